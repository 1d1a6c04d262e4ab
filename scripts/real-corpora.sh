#!/usr/bin/env bash
# Build real public collections of posts with digest and report everything that went wrong.
#
#   scripts/real-corpora.sh [NAME...]      default: every corpus of scripts/real-corpora.tsv
#
# The corpora are the repositories that scripts/real-corpora.tsv names, at the commit it names,
# read from a mirror of bare git folders (the fetch tool's, /work/.mirror/OWNER+NAME/repo); a
# corpus whose repository is not there is reported as not fetched. Nothing is written into the
# repository: each corpus is unpacked, wrapped and built under $WORK.
#
#   wrap    the posts are copied into content/articles/ of a digest site (sub-folders kept, the
#           `_index.md` section files of Hugo and Zola left out), the recipe's assets into
#           static/, a site.toml is written, and `digest build` runs;
#   import  (Pelican, whose `Key: value` headers digest cannot read) `digest import --from …`
#           when the binary has that command, else "skipped: needs digest import". When import
#           exists, a second pass imports every other corpus from its original layout as well.
#
# For each build: files found, articles built, exit code, whether it panicked (exit 101 or
# "panicked" on stderr), the build's errors and warnings grouped by kind, the codes of
# `digest check --format json` (unknown-key by key), build time and peak memory (/usr/bin/time -v).
# A summary table ends the run; the exit status is 1 if anything panicked.
#
# Environment:
#   DIGEST    the binary (default: target/release/digest, built with `cargo build --release` if missing)
#   MIRROR    where the bare git folders are (default /work/.mirror)
#   WORK      the work folder, emptied per corpus (default /tmp/digest-corpora)
#   RECIPES   the recipe file (default scripts/real-corpora.tsv)
#   BASE_URL  base_url of the wrapped sites (default https://corpus.example/)
#
# Never run by CI: it needs the fetched repositories, which CI does not have.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MIRROR=${MIRROR:-/work/.mirror}
WORK=${WORK:-/tmp/digest-corpora}
RECIPES=${RECIPES:-$ROOT/scripts/real-corpora.tsv}
BASE_URL=${BASE_URL:-https://corpus.example/}

case "$WORK" in
  "$ROOT" | "$ROOT"/*) echo "WORK must lie outside the repository: $WORK" >&2; exit 2 ;;
esac

if [ -z "${DIGEST:-}" ]; then
  DIGEST=$ROOT/target/release/digest
  [ -x "$DIGEST" ] || cargo build --release --quiet || exit 2
fi
[ -x "$DIGEST" ] || { echo "no digest binary at $DIGEST" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

HAS_IMPORT=0
"$DIGEST" import --help >/dev/null 2>&1 && HAS_IMPORT=1

mkdir -p "$WORK"
SUMMARY=$WORK/summary.tsv
printf 'corpus\tdialect\tfiles\tarticles\texit\tpanic\terrors\twarnings\tseconds\tpeak_MiB\n' >"$SUMMARY"
PANICKED=0

# The bare git folder of a repository in the mirror, or nothing.
git_dir() {
  local d=$MIRROR/${1/\//+}/repo
  [ -d "$d/.git" ] && d=$d/.git
  [ -f "$d/HEAD" ] && echo "$d"
}

# Unpacks the given paths of COMMIT into DEST; paths missing at that commit are named and skipped.
# A snapshot lacks files of 4 MiB and more, which makes `git archive` stop half-way: then the
# files are written one by one from `git cat-file --batch`, and the missing ones are counted.
unpack() {
  local gd=$1 commit=$2 dest=$3 p
  shift 3
  mkdir -p "$dest"
  for p in $(printf '%s\n' "$@" | sort -u); do
    if ! git --git-dir="$gd" cat-file -e "$commit:$p" 2>/dev/null; then
      echo "  note: $p is not in $commit"
    elif ! git --git-dir="$gd" archive "$commit" -- "$p" 2>/dev/null | tar -x -C "$dest" 2>/dev/null; then
      unpack_blobs "$gd" "$commit" "$dest" "$p"
    fi
  done
}

unpack_blobs() {
  python3 - "$@" <<'PY'
import os, subprocess, sys

gd, commit, dest, path = sys.argv[1:]
tree = subprocess.run(["git", f"--git-dir={gd}", "ls-tree", "-r", "-z", commit, "--", path],
                      check=True, capture_output=True).stdout
entries = []
for item in tree.split(b"\0"):
    if not item:
        continue
    meta, name = item.split(b"\t", 1)
    mode, kind, oid = meta.split()
    if kind == b"blob" and mode != b"120000":  # symlinks and submodules are left out
        entries.append((oid, name.decode("utf-8", "surrogateescape")))
cat = subprocess.Popen(["git", f"--git-dir={gd}", "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
missing = []
for oid, name in entries:
    cat.stdin.write(oid + b"\n")
    cat.stdin.flush()
    header = cat.stdout.readline().split()
    if header[-1] == b"missing":
        missing.append(name)
        continue
    data = cat.stdout.read(int(header[2]))
    cat.stdout.read(1)
    target = os.path.join(dest, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
cat.stdin.close()
cat.wait()
if missing:
    print(f"  note: {len(missing)} file(s) of {path} are not in the snapshot (4 MiB and more?), e.g. {missing[0]}")
PY
}

# Copies files under FROM (matching find's remaining arguments) to INTO, keeping sub-folders.
copy_tree() {
  local from=$1 into=$2
  shift 2
  [ -d "$from" ] || return 0
  mkdir -p "$into"
  (cd "$from" && find . -type f ! -path '*/.*' "$@" -print0 | xargs -0 -r cp --parents -t "$into")
}

# Runs one digest command under /usr/bin/time, output in DIR/STEM.{stdout,stderr,time}; returns its exit code.
timed() {
  local dir=$1 stem=$2
  shift 2
  /usr/bin/time -v -o "$dir/$stem.time" "$DIGEST" "$@" >"$dir/$stem.stdout" 2>"$dir/$stem.stderr"
}

# Builds SITE into DIR/public, runs check, prints the report and adds a summary row.
build_and_report() {
  local label=$1 dialect=$2 site=$3 dir=$4 files=$5 rc check_rc
  rm -rf "$dir/public" "$dir/.public.digest-staging"* "$site/.digest-cache"
  timed "$dir" build build --root "$site" --output "$dir/public"
  rc=$?
  NO_COLOR=1 "$DIGEST" check --root "$site" --format json >"$dir/check.json" 2>"$dir/check.stderr"
  check_rc=$?
  python3 - "$label" "$dialect" "$dir" "$files" "$rc" "$check_rc" "$SUMMARY" <<'PY'
import json, os, re, sys
from collections import Counter, defaultdict
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

label, dialect, d, files, rc, check_rc, summary = sys.argv[1:]
rc, check_rc = int(rc), int(check_rc)

def read(name):
    try:
        with open(f"{d}/{name}", encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""

class Page(HTMLParser):
    """The links, images, description and prose (code aside) of one built page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.images, self.text, self.description, self.skip = [], [], [], None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img":
            self.images.append(a.get("src") or "")
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content") or ""
        elif tag in ("code", "pre", "script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("code", "pre", "script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def audit(public):
    """What a reader meets on the article pages: links and images going nowhere, shortcodes and
    Liquid left raw, reference links left unresolved, HTML shown as text, empty summaries."""
    found = defaultdict(list)  # finding -> "page: detail"
    pages = 0
    for folder, _, names in os.walk(public):
        for n in names:
            if not n.endswith(".html"):
                continue
            path = os.path.join(folder, n)
            html = open(path, encoding="utf-8", errors="replace").read()
            if '"@type":"NewsArticle"' not in html:
                continue
            pages += 1
            url = "/" + os.path.relpath(path, public).replace(os.sep, "/")
            page = Page()
            page.feed(html)
            where = url.removesuffix("index.html")
            for kind_, targets in (("broken internal link", page.links), ("broken image", page.images)):
                for t in targets:
                    target = urlsplit(t)
                    if target.scheme or target.netloc or not target.path:
                        if not t and kind_ == "broken image":
                            found["image without src"].append(where)
                        continue
                    resolved = urljoin(url, unquote(target.path)).split("?")[0]
                    local = os.path.join(public, resolved.lstrip("/"))
                    if not (os.path.isfile(local) or os.path.isfile(os.path.join(local, "index.html"))):
                        found[kind_].append(f"{where} -> {t}")
            text = "".join(page.text)
            for label, pattern in (("raw Hugo shortcode {{< >}} / {{% %}}", r"\{\{[<%].{0,60}"),
                                   ("raw Liquid tag {% %}", r"(?<!\{)\{%.{0,60}"),
                                   ("raw template output {{ }}", r"\{\{(?![<%]).{0,60}"),
                                   ("unresolved reference link [text][ref]", r"\[[^\]\n]{1,80}\]\[[^\]\n]{0,80}\]"),
                                   ("HTML shown as text", r"<[a-zA-Z/][^>\n]{0,60}>")):
                for m in re.finditer(pattern, text):
                    found[label].append(f"{where}: {m.group(0)[:70]!r}")
            if page.description is not None and not page.description.strip():
                found["empty meta description (summary)"].append(where)
            elif page.description and re.search(r"\{\{|\{%|\]\[", page.description):
                found["summary with raw markup"].append(f"{where}: {page.description[:70]!r}")
    print(f"  pages read: {pages} article pages")
    for label, items in sorted(found.items(), key=lambda kv: -len(kv[1])):
        pages_hit = len({i.split(" ")[0].rstrip(":") for i in items})
        print(f"    {len(items):6}  {label} (on {pages_hit} pages)")
        for i in items[:3]:
            print(f"            e.g. {i}")


def kind(message):
    """The message with its particulars (quoted names, numbers) blanked, so alike messages group."""
    m = re.sub(r"(?:content|static|templates)/\S+", "PATH", message)
    m = re.sub(r'"[^"]*"', '"…"', m)
    m = re.sub(r"`[^`]*`", "`…`", m)
    m = re.sub(r"\d+", "N", m)
    return " ".join(m.split()[:9])

stderr, stdout, timing = read("build.stderr"), read("build.stdout"), read("build.time")
lines = stderr.splitlines()
diags = defaultdict(lambda: defaultdict(list))  # severity -> kind -> locations
particulars = defaultdict(Counter)  # kind -> the first quoted name of each message
other = []
for i, line in enumerate(lines):
    m = re.match(r"^(error|warning): (.*)$", line)
    if not m:
        continue
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    loc = re.match(r"^\s*--> (.*)$", nxt)
    if loc:
        k = kind(m.group(2))
        diags[m.group(1)][k].append(loc.group(1))
        q = re.search(r'`([^`]*)`|"([^"]*)"', m.group(2))
        if q:
            particulars[k][(q.group(1) if q.group(1) is not None else q.group(2))[:40]] += 1
    else:
        other.append(line)

panic_lines = [l for l in lines if "panicked" in l]
panicked = rc == 101 or bool(panic_lines) or check_rc == 101 or "panicked" in read("check.stderr")
m = re.search(r"\((\d+) articles?", stdout)
articles = int(m.group(1)) if m else 0
secs = peak = "?"
m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", timing)
if m:
    secs = f"{int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)):.2f}"
m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing)
if m:
    peak = str(int(m.group(1)) // 1024)

n_err = sum(len(v) for v in diags["error"].values())
n_warn = sum(len(v) for v in diags["warning"].values())
print(f"  build: exit {rc}{' PANICKED' if panicked else ''}, {articles} articles built of {files} files, "
      f"{n_err} errors, {n_warn} warnings, {secs} s, peak {peak} MiB")
for l in panic_lines[:3]:
    print(f"    panic: {l.strip()}")
if panic_lines:
    i = lines.index(panic_lines[0])
    for l in lines[i + 1:i + 3]:
        print(f"           {l.strip()}")
for l in other:
    print(f"    {l}")
for severity in ("error", "warning"):
    groups = diags[severity]
    if not groups:
        continue
    print(f"  {severity}s by kind:")
    for k, locs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"    {len(locs):6}  {k}")
        if particulars[k]:
            print("            " + ", ".join(f"{v} {n}" for v, n in particulars[k].most_common(6)))
        print(f"            e.g. {'; '.join(locs[:3])}")

try:
    problems = json.loads(read("check.json") or "[]")
except json.JSONDecodeError:
    problems = []
    print(f"  check: exit {check_rc}, no JSON ({read('check.stderr').strip()[:200]})")
if problems:
    codes = Counter((p["severity"], p["code"]) for p in problems)
    print(f"  check (exit {check_rc}): " + ", ".join(f"{c} {s} {n}" for (s, c), n in codes.most_common()))
    keys = Counter()
    for p in problems:
        if p["code"] == "unknown-key":
            m = re.search(r"`([^`]+)`", p["message"])
            keys[m.group(1) if m else p["message"]] += 1
    if keys:
        print("  unknown keys: " + ", ".join(f"{k} {n}" for k, n in keys.most_common(25)))

if rc == 0 and os.path.isdir(f"{d}/public"):
    audit(f"{d}/public")

with open(summary, "a", encoding="utf-8") as f:
    f.write("\t".join(map(str, [label, dialect, files, articles, rc, "PANIC" if panicked else "no",
                                n_err, n_warn, secs, peak])) + "\n")
sys.exit(3 if panicked else 0)
PY
  [ $? -eq 3 ] && PANICKED=1
  return 0
}

# Counts the Markdown files a corpus offers (the ones digest reads), sections aside.
count_posts() {
  find "$1" -type f \( -name '*.md' -o -name '*.markdown' \) ! -name '_index.md' ! -path '*/.*' | wc -l
}

# Wraps the posts of one corpus as a digest site and builds it.
wrap() {
  local name=$1 dialect=$2 src=$3 posts=$4 assets=$5 dir=$6/wrap site=$6/wrap/site pair from to n other
  rm -rf "$dir"
  mkdir -p "$site/content/articles" "$site/static"
  printf 'title = "%s (real corpus)"\nbase_url = "%s"\n' "$name" "$BASE_URL" >"$site/site.toml"
  copy_tree "$src/$posts" "$site/content/articles" \( -name '*.md' -o -name '*.markdown' \) ! -name '_index.md'
  if [ "$assets" != - ]; then
    IFS=, read -ra pairs <<<"$assets"
    for pair in "${pairs[@]}"; do
      from=${pair%%:*} to=${pair#*:}
      copy_tree "$src/$from" "$site/static/$to" ! -name '*.md' ! -name '*.markdown'
    done
  fi
  n=$(count_posts "$site/content/articles")
  other=$(find "$src/$posts" -type f ! -name '*.md' ! -name '*.markdown' ! -path '*/.*' | wc -l)
  echo "  files: $n Markdown posts ($(find "$src/$posts" -name _index.md | wc -l) section files left out," \
    "$(find "$src/$posts" -type f -name '*.html' | wc -l) .html posts not read, $other other files beside them);" \
    "$(find "$site/static" -type f | wc -l) files in static/"
  build_and_report "$name" "$dialect" "$site" "$dir" "$n"
  if grep -q '"severity": "error"' "$dir/check.json" 2>/dev/null; then
    salvage "$name" "$dialect" "$dir" "$6/salvage" "$n"
  fi
}

# What a reader would see if the errors were mended the way the original generator reads the
# files: a copy of the wrapped site where a missing `date` comes from the file name
# (YYYY-MM-DD-…, Jekyll), a Zola `path = "YYYY/MM/DD/…"` or a Hugo bundle's folders
# (2019/0524-smi/index.md), a bundle's `index.md` gets its folder's name as slug, and the files
# still in error are left out. Not what digest does: it shows what the pages look like.
salvage() {
  local name=$1 dialect=$2 from=$3 dir=$4 files=$5 round
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$from/site" "$dir/site"
  for round in 1 2 3; do
    NO_COLOR=1 "$DIGEST" check --root "$dir/site" --format json >"$dir/check.json" 2>/dev/null
    python3 - "$dir/site" "$dir/check.json" "$round" <<'PY'
import json, os, re, sys
from collections import defaultdict

site, check, round_ = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    problems = json.load(open(check, encoding="utf-8"))
except (OSError, json.JSONDecodeError):
    problems = []
errors = {}
for p in problems:
    if p["severity"] == "error" and p["file"].startswith("content/"):
        errors.setdefault(p["file"], []).append(p)
if round_ == 1:  # every bundle, not only those in error: the first `index.md` keeps slug "index"
    for folder, _, names in os.walk(os.path.join(site, "content")):
        if "index.md" in names:
            errors.setdefault(os.path.relpath(os.path.join(folder, "index.md"), site), [])

def date_for(rel, text):
    m = re.search(r"(?:^|/)(\d{4})-(\d{1,2})-(\d{1,2})-[^/]*$", rel)
    if m:
        return m.groups()
    m = re.search(r'^path\s*=\s*"(?:[^"]*/)?(\d{4})/(\d{2})/(\d{2})/', text, re.M)
    if m:
        return m.groups()
    m = re.search(r"/(\d{4})/(\d{2})(\d{2})-[^/]+/index\.md$", rel)
    if m:
        return m.groups()
    return None

mended = dropped = 0
why = defaultdict(list)
for rel, probs in errors.items():
    path = os.path.join(site, rel)
    text = open(path, encoding="utf-8", errors="replace").read()
    fence = text.split("\n", 1)[0].strip()
    eq = " = " if fence == "+++" else ": "
    add = []
    if any(p["code"] == "missing-field" and "date" in p["message"] for p in probs):
        d = date_for(rel, text)
        if d:
            add.append(f"date{eq}{int(d[0]):04}-{int(d[1]):02}-{int(d[2]):02}")
    if rel.endswith("/index.md") and not re.search(r"^slug\s*[:=]", text, re.M):
        slug = re.sub(r"[^a-z0-9._-]+", "-", os.path.basename(os.path.dirname(rel)).lower()).strip("-")
        if slug:
            add.append(f'slug{eq}"{slug}"')
    if add and fence in ("---", "+++"):
        head, rest = text.split("\n", 1)
        open(path, "w", encoding="utf-8").write(head + "\n" + "\n".join(add) + "\n" + rest)
        mended += 1
    elif round_ == 3:
        os.remove(path)
        dropped += 1
        for p in probs[:1]:
            why[re.sub(r"`[^`]*`|\"[^\"]*\"|(?:content|static)/\S+", "…", p["message"])[:70]].append(f"{rel}:{p['line']}")
if round_ < 3:
    print(f"  salvage round {round_}: {mended} files given a date or a bundle slug")
else:
    print(f"  salvage: {dropped} files still in error left out")
    for k, where in sorted(why.items(), key=lambda kv: -len(kv[1])):
        print(f"    {len(where):6}  {k}")
        print(f"            e.g. {'; '.join(where[:3])}")
PY
  done
  build_and_report "$name/salvage" "$dialect" "$dir/site" "$dir" "$files"
}

# Imports the original site with `digest import` and builds the result.
import_and_build() {
  local name=$1 dialect=$2 src=$3 root=$4 dir=$5/import files rc
  local from=${dialect%%-*}
  rm -rf "$dir"
  mkdir -p "$dir"
  files=$(count_posts "$src/$root")
  timed "$dir" import import --from "$from" "$src/$root" "$dir/imported" --force
  rc=$?
  echo "  import --from $from: exit $rc ($(tail -n 1 "$dir/import.stderr"))"
  if grep -q panicked "$dir/import.stderr" || [ $rc -eq 101 ]; then
    echo "    panic: $(grep -m1 panicked "$dir/import.stderr")"
    printf '%s\t%s\t%s\t0\t%s\tPANIC\t?\t?\t?\t?\n' "$name/import" "$dialect" "$files" "$rc" >>"$SUMMARY"
    PANICKED=1
    return
  fi
  if [ ! -f "$dir/imported/site.toml" ]; then
    printf '%s\t%s\t%s\t0\t%s\tno\t?\t?\t?\t?\n' "$name/import" "$dialect" "$files" "$rc" >>"$SUMMARY"
    return
  fi
  build_and_report "$name/import" "$dialect" "$dir/imported" "$dir" "$files"
}

run_corpus() {
  local name=$1 repo=$2 commit=$3 root=$4 config=$5 posts=$6 dialect=$7 how=$8 assets=$9 pass=${10}
  local gd dir=$WORK/$name paths pair
  echo
  echo "== $name  ($dialect, $repo@${commit:0:10}, $posts)"
  gd=$(git_dir "$repo") || true
  if [ -z "$gd" ]; then
    echo "  not fetched: no $MIRROR/${repo/\//+}; fetch github:$repo first"
    printf '%s\t%s\t-\t-\t-\tno\t-\t-\t-\t-\n' "$name" "$dialect" >>"$SUMMARY"
    return
  fi
  if ! git --git-dir="$gd" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "  commit $commit is not in $gd"
    printf '%s\t%s\t-\t-\t-\tno\t-\t-\t-\t-\n' "$name" "$dialect" >>"$SUMMARY"
    return
  fi
  if [ "$pass" = first ]; then
    rm -rf "$dir"
    paths=("$config" "$posts")
    if [ "$assets" != - ]; then
      IFS=, read -ra pairs <<<"$assets"
      for pair in "${pairs[@]}"; do paths+=("${pair%%:*}"); done
    fi
    unpack "$gd" "$commit" "$dir/src" "${paths[@]}"
  fi
  if [ "$pass" = first ] && [ "$how" = wrap ]; then
    wrap "$name" "$dialect" "$dir/src" "$posts" "$assets" "$dir"
  elif [ "$HAS_IMPORT" = 1 ]; then
    import_and_build "$name" "$dialect" "$dir/src" "$root" "$dir"
  else
    echo "  files: $(count_posts "$dir/src/$posts") posts"
    echo "  skipped: needs digest import"
    printf '%s\t%s\t%s\t-\tskipped\tno\t-\t-\t-\t-\n' "$name" "$dialect" "$(count_posts "$dir/src/$posts")" >>"$SUMMARY"
  fi
}

# The recipes, minus comments and the header, restricted to the names asked for.
mapfile -t RECIPE_LINES < <(grep -v '^#' "$RECIPES" | tail -n +2 | grep -v '^[[:space:]]*$')
selected() {
  local want
  for want in "${@:2}"; do [ "$want" = "$1" ] && return 0; done
  return 1
}

echo "digest: $DIGEST ($("$DIGEST" --version 2>/dev/null)); import: $([ $HAS_IMPORT = 1 ] && echo yes || echo no)"
echo "work folder: $WORK"
for line in "${RECIPE_LINES[@]}"; do
  IFS=$'\t' read -r name repo commit root config posts dialect how assets <<<"$line"
  [ $# -eq 0 ] || selected "$name" "$@" || continue
  run_corpus "$name" "$repo" "$commit" "$root" "$config" "$posts" "$dialect" "$how" "$assets" first
done
if [ "$HAS_IMPORT" = 1 ]; then
  echo
  echo "## second pass: digest import of the corpora built by wrapping"
  for line in "${RECIPE_LINES[@]}"; do
    IFS=$'\t' read -r name repo commit root config posts dialect how assets <<<"$line"
    [ "$how" = wrap ] || continue
    [ $# -eq 0 ] || selected "$name" "$@" || continue
    run_corpus "$name" "$repo" "$commit" "$root" "$config" "$posts" "$dialect" import "$assets" second
  done
fi

echo
echo "## summary"
column -t -s $'\t' "$SUMMARY"
[ $PANICKED = 0 ] || { echo "something panicked"; exit 1; }
