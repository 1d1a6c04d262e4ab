#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the example site, the test fixtures and a few hand-written
inputs. Files are named by the SHA-1 of their bytes, as libFuzzer names them, so re-running
adds nothing twice. Run from anywhere: python3 fuzz/scripts/seed.py"""

import hashlib
import pathlib

FUZZ = pathlib.Path(__file__).resolve().parent.parent
ROOT = FUZZ.parent


def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def body_of(text):
    lines = text.split("\n")
    if lines and lines[0].strip() in ("+++", "---"):
        fence = lines[0].strip()
        for i, line in enumerate(lines[1:], 1):
            if line.strip() == fence:
                return "\n".join(lines[i + 1 :])
    return text


files = sorted(
    p
    for base in (ROOT / "content", ROOT / "tests" / "fixtures")
    for p in base.rglob("*")
    if p.suffix in (".md", ".markdown") and p.is_file()
)
for path in files:
    data = path.read_bytes()
    if len(data) > 16384:
        continue
    add("front_matter", data)
    add("markdown", body_of(data.decode("utf-8", "replace")))

FRONT = [
    "+++\ntitle = \"a\"\n",
    "---\ntitle: a\ntags: [a, b\n---\n",
    "+++\ntitle = \"a\"\ndate = = 3\n+++\n",
    "\ufeff+++\r\ntitle = \"BOM and CRLF\"\r\ndate = 2023-09-15\r\n+++\r\nBody\r\n",
    "+++\ntitle = 3\ndraft = \"no\"\ntags = \"AI\"\ndate = 2023-13-45\n+++\n",
    "+++\ntitle = \"x\"\ndate = \"yesterday\"\nupdated = \"2020-12-2\"\n+++\n",
    "+++\ntitle = \"x\"\ndate = 2023-09-15T08:30:00Z\nslug = \"../../x\"\n+++\n",
    "+++\ntitle = \"x\"\ndate = 2023-09-15\nslug = \"/etc/x\"\nimage = \"javascript:alert(1)\"\n"
    "[source]\nname = \"s\"\nurl = \"data:text/html,hi\"\n[extra]\na = [1, 2.5, true, {b = 1}]\n+++\n",
    "---\ntitle: \"A: b\"\ndate: 2023-09-15\ntags: [AI, LLM]\ndraft: false\nsummary:\n"
    "companies:\n  - Alibaba\n  - 阿里巴巴\nextra: {a: [1, {b: c}], 1: x, true: y}\n---\nBody\n",
    "---\n- a\n- b\n---\n",
    "---\n&a [*a]\n---\n",
    "---\n!!binary aGk=\n---\n",
    "+++\n\"title\" = \"quoted\"\n[[timeline]]\ndate = 2021-01-01\nevent = \"x\"\n+++\n",
    "+++\ntitle = \"\"\"\nmulti\nline\"\"\"\ndate = 1979-05-27T00:32:00.999999-07:00\n+++\n",
    "+++\n+++\n",
    "---\n---\n",
    "+++",
    "",
]
for text in FRONT:
    add("front_matter", text)

MARKDOWN = [
    "# Title {#custom .cls}\n\n## Title\n\n## Title\n\nText with [link](other.md#frag) and "
    "[x](javascript:alert(1)) ![i](data:image/png,x)\n\n<!-- more -->\n\nAfter.\n",
    "| a | b |\n|:--|--:|\n| Alibaba | `code` |\n\n- [x] done\n- [ ] not\n\n"
    "Footnote[^1].\n\n[^1]: The note.\n\n~~gone~~ \"smart\" -- quotes...\n",
    "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> <a href=\"https://x\">Alibaba</a>\n",
    "Alibaba and Meta, OpenAI, open ai, JD.com, 阿里巴巴发布, https://www.alibaba.com/Alibaba x@Meta.com\n",
    "extra|Names|中文\0Extra names and 中文 and Names.\n",
    "    indented code\n\n1. one\n2. two\n   ```\n   nested fence\n   ```\n\n> quote\n> > nested\n",
    "``a ` b`` and `unclosed\n\n~~~\nfence\n~~~~\n\n````\n```\n````\n",
]
LANGS = {
    "rust": "fn main() {\n    let x: Vec<u8> = vec![1, 2]; // comment\n    println!(\"{x:?}\");\n}\n",
    "python": "def f(x):\n    \"\"\"doc\"\"\"\n    return [i ** 2 for i in x]  # c\n",
    "toml": "[a]\nb = \"c\"\nd = [1, 2]\n",
    "json": "{\"a\": [1, 2.5, true, null], \"b\": {\"c\": \"d\"}}\n",
    "bash": "for f in *.md; do echo \"$f\" | sed 's/a/b/'; done\n",
    "html": "<!doctype html>\n<script>var x = 1 < 2;</script>\n<style>a{color:red}</style>\n",
    "javascript": "const f = async (x) => `t ${x}`; /re[gex]/g;\n",
    "yaml": "a: [1, 2]\nb: |\n  text\n",
    "c": "#include <stdio.h>\nint main(void) { return 0; }\n",
    "go": "package main\nfunc main() { go f() }\n",
    "sql": "SELECT * FROM t WHERE a = 'b';\n",
    "diff": "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n",
    "klingon": "qapla'\n",
    "rust,ignore": "let x = 1;\n",
    "": "plain\n",
    "text": "plain\n",
}
for lang, code in LANGS.items():
    MARKDOWN.append(f"Before.\n\n```{lang}\n{code}```\n\nAfter.\n")
for text in MARKDOWN:
    add("markdown", text)

PATHS = [
    "/news/../secret.txt",
    "/news/%2e%2e/secret.txt",
    "/news/%2E%2E%2Fsecret.txt",
    "/news/..%2fsecret.txt",
    "/news/..%5csecret.txt",
    "//..//secret.txt",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/news/..\\secret.txt",
    "/news/%00",
    "/news/%c0%ae%c0%ae/x",
    "/articles/x/index.html",
    "C:/x",
    '<a href="/digest/">Home</a><link href=\'/digest/style.css\'><a href="/digest/articles/y/#top">y</a>'
    '<img src="/digest/i.png"><a href="https://e.com/digest/x">x</a><a href="#a">a</a>\0articles/x/index.html\0/digest\0/digest/x',
    '<a href="/companies/">c</a><a href="//cdn.e.com/x">x</a>\0index.html\0\0/%2e%2e',
    '<p>x href=/digest/ y</p><p>src = "/digest/"</p>\n<a\nhref="/digest/?q=1">',
]
for text in PATHS:
    add("paths", text)
