#!/usr/bin/env python3
"""Lists the Rust functions longer than LINES lines (default 120), longest first, counting from
the `fn` line to its closing brace:  scripts/long-fns.py [LINES] [DIR...]  (default DIR: src).
Comments, strings and char literals are blanked before braces are counted."""
import re, sys, os

def strip(src):
    """Replace comments/strings/chars with spaces, keeping newlines, so braces can be counted."""
    out = []; i = 0; n = len(src)
    while i < n:
        c = src[i]
        if src.startswith('//', i):
            j = src.find('\n', i); j = n if j < 0 else j
            out.append(' ' * (j - i)); i = j
        elif src.startswith('/*', i):
            depth = 0; j = i
            while j < n:
                if src.startswith('/*', j): depth += 1; j += 2
                elif src.startswith('*/', j):
                    depth -= 1; j += 2
                    if depth == 0: break
                else: j += 1
            out.append(re.sub(r'[^\n]', ' ', src[i:j])); i = j
        else:
            m = re.match(r'b?r(#*)"', src[i:i+20])
            if m and (i == 0 or not (src[i-1].isalnum() or src[i-1] == '_')):
                end = '"' + m.group(1)
                j = src.find(end, i + m.end()); j = n if j < 0 else j + len(end)
                out.append(re.sub(r'[^\n]', ' ', src[i:j])); i = j
            elif c == '"':
                j = i + 1
                while j < n and src[j] != '"':
                    j += 2 if src[j] == '\\' else 1
                j += 1
                out.append(re.sub(r'[^\n]', ' ', src[i:j])); i = j
            elif c == "'":
                m = re.match(r"'(\\.[^']*|[^\\'])'", src[i:i+12])
                if m:
                    out.append(' ' * m.end()); i += m.end()
                else:
                    out.append(c); i += 1
            else:
                out.append(c); i += 1
    return ''.join(out)

def fns(path, limit):
    src = open(path, encoding='utf-8').read()
    s = strip(src)
    lines_start = [0]
    for m in re.finditer('\n', s): lines_start.append(m.end())
    import bisect
    line_of = lambda pos: bisect.bisect_right(lines_start, pos)
    for m in re.finditer(r'\bfn\s+([A-Za-z_][A-Za-z0-9_]*)', s):
        # find the body's opening brace (or ';' for declarations)
        j = m.end(); depth_paren = 0
        while j < len(s):
            ch = s[j]
            if ch in '([': depth_paren += 1
            elif ch in ')]': depth_paren -= 1
            elif ch == ';' and depth_paren == 0: j = -1; break
            elif ch == '{' and depth_paren == 0: break
            j += 1
        if j < 0 or j >= len(s): continue
        depth = 0; k = j
        while k < len(s):
            if s[k] == '{': depth += 1
            elif s[k] == '}':
                depth -= 1
                if depth == 0: break
            k += 1
        a, b = line_of(m.start()), line_of(k)
        if b - a + 1 > limit:
            yield b - a + 1, path, a, m.group(1)

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 120
roots = sys.argv[2:] or ['src']
rows = []
for root in roots:
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith('.rs'):
                rows.extend(fns(os.path.join(d, f), limit))
for n, p, a, name in sorted(rows, reverse=True):
    print(f"{n:5}  {p}:{a}  {name}")
