#!/usr/bin/env bash
# Import real public sites with `digest import`, build them, and report what was kept.
#
#   scripts/import-real.sh [NAME...]      default: every site of scripts/import-real.tsv
#
# Each site is the repository scripts/import-real.tsv names, at the commit it names, read from a
# mirror of bare git folders (the fetch tool's, /work/.mirror/OWNER+NAME/repo); a site whose
# repository is not there is reported as not fetched. Nothing is written into this repository:
# each site is unpacked under $WORK/NAME/src, imported from inside $WORK/NAME/site as a user
# types it (`digest import --from GEN ../src`), then built (`digest build --output ../out`).
#
# Per site: posts found and imported, URLs kept by the [permalinks] pattern / as aliases / lost,
# shortcodes found and converted (from the import's summary line), whether every old URL the
# report lists as kept resolves in the output (the pattern's pages and the alias redirect pages),
# the build's exit code and its errors and warnings by code (`digest check --format json`).
#
# Environment:
#   DIGEST    the binary (default: target/debug/digest, built with `cargo build` if missing)
#   MIRROR    where the bare git folders are (default /work/.mirror)
#   WORK      the work folder, emptied per site (default /tmp/digest-import-real)
#   RECIPES   the recipe file (default scripts/import-real.tsv)
#
# Never run by CI: it needs the fetched repositories, which CI does not have.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MIRROR=${MIRROR:-/work/.mirror}
WORK=${WORK:-/tmp/digest-import-real}
RECIPES=${RECIPES:-$ROOT/scripts/import-real.tsv}

case "$WORK" in
  "$ROOT" | "$ROOT"/*) echo "WORK must lie outside the repository: $WORK" >&2; exit 2 ;;
esac
if [ -z "${DIGEST:-}" ]; then
  DIGEST=$ROOT/target/debug/digest
  [ -x "$DIGEST" ] || cargo build --quiet || exit 2
fi
[ -x "$DIGEST" ] || { echo "no digest binary at $DIGEST" >&2; exit 2; }
mkdir -p "$WORK"
SUMMARY=$WORK/summary.tsv
printf 'site\tgenerator\tcommit\timport\n' >"$SUMMARY"

# Whether site $1 was asked for (every site when none was named).
wanted() {
  [ ${#SELECTED[@]} -eq 0 ] && return 0
  local w
  for w in "${SELECTED[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}
SELECTED=("$@")

while IFS=$'\t' read -r name repo commit path generator; do
  case "$name" in ''|'#'*|name) continue ;; esac
  wanted "$name" || continue
  git_dir=$MIRROR/${repo/\//+}/repo
  echo "== $name ($repo @ ${commit:0:12}, $generator)"
  if [ ! -d "$git_dir" ] || ! git -C "$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "   not fetched: fetch github:$repo first"
    printf '%s\t%s\t%s\tnot fetched\n' "$name" "$generator" "$commit" >>"$SUMMARY"
    continue
  fi
  dir=$WORK/$name
  rm -rf "$dir"; mkdir -p "$dir/src" "$dir/site"
  if [ "$path" = "." ]; then
    git -C "$git_dir" archive "$commit" | tar -x -C "$dir/src"
  else
    git -C "$git_dir" archive "$commit" "$path" | tar -x -C "$dir/src" --strip-components="$(tr -cd / <<<"$path/" | wc -c)"
  fi
  start=$(date +%s.%N)
  (cd "$dir/site" && NO_COLOR=1 "$DIGEST" import --from "$generator" ../src) >"$dir/import.out" 2>"$dir/import.err"
  import_exit=$?
  took=$(echo "$(date +%s.%N) - $start" | bc)
  sed 's/^/   /' "$dir/import.out" | head -3
  [ $import_exit -ne 0 ] && sed 's/^/   /' "$dir/import.err" | head -5
  (cd "$dir/site" && NO_COLOR=1 "$DIGEST" build --output ../out) >"$dir/build.out" 2>"$dir/build.err"
  build_exit=$?
  (cd "$dir/site" && NO_COLOR=1 "$DIGEST" check --format json) >"$dir/check.json" 2>/dev/null
  python3 - "$dir" "$import_exit" "$build_exit" "$took" <<'PY'
import collections, json, os, re, sys
d, import_exit, build_exit, took = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
out = open(os.path.join(d, "import.out"), encoding="utf-8").read()
built = open(os.path.join(d, "build.out"), encoding="utf-8").read().strip()
try:
    problems = json.load(open(os.path.join(d, "check.json"), encoding="utf-8"))
except (OSError, json.JSONDecodeError):
    problems = []
codes = collections.Counter((p["severity"], p["code"]) for p in problems)
# Every old URL kept: the pattern's pages and each alias redirect page must be in the output.
site, pub = os.path.join(d, "site"), os.path.join(d, "out")
def served(url):
    path = os.path.join(pub, url.strip("/"))
    return os.path.isfile(os.path.join(path, "index.html") if url.endswith("/") else path)
missing = 0
redirects = os.path.join(pub, "_redirects")
if os.path.exists(redirects):
    for line in open(redirects, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 2 and not parts[0].startswith("#") and not served(parts[0]):
            missing += 1
print(f"   import: exit {import_exit} in {took:.2f} s; build: exit {build_exit}: {built.splitlines()[-1] if built else '-'}")
print(f"   aliases not served: {missing}")
for (severity, code), n in sorted(codes.items()):
    print(f"   {severity} {code}: {n}")
PY
  printf '%s\t%s\t%s\t%s\n' "$name" "$generator" "$commit" "$(grep -m1 "^Imported" "$dir/import.out")" >>"$SUMMARY"
done <"$RECIPES"
echo
column -t -s $'\t' "$SUMMARY"
