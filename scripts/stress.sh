#!/usr/bin/env bash
# Resource bounds of `digest build` (issue 8): inputs that must build without running out of
# memory, each measured with /usr/bin/time -v on a release build.
#
#   scripts/stress.sh                 every case, then the #[ignore]d tests of tests/hardening.rs
#   scripts/stress.sh 100k 50mb       some cases only
#   SKIP_TESTS=1 scripts/stress.sh    the measurements only
#   KEEP=1 scripts/stress.sh          keep the generated sites and outputs (in $WORK)
#
# Cases:
#   100k    100,000 tiny articles, 1,000 per folder
#   50mb    one 50 MB Markdown article (headings, emphasis, links, code blocks to highlight)
#   2000    one article naming 2,000 companies, with the built-in theme and every feed
#
# For each case: wall time, peak resident memory, pages and megabytes written.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-$(mktemp -d /tmp/digest-stress.XXXXXX)}
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(100k 50mb 2000)
if [ -z "${KEEP:-}" ]; then
  trap 'rm -rf "$WORK"' EXIT
fi

cargo build --release --quiet
BIN=$ROOT/target/release/digest

generate() {
  local case=$1 site=$WORK/site-$1
  rm -rf "$site"
  mkdir -p "$site/content"
  python3 - "$case" "$site" <<'EOF'
import os, sys
case, site = sys.argv[1], sys.argv[2]
content = os.path.join(site, "content")
toml = 'title = "Stress"\nbase_url = "https://example.com/"\n'
if case == "100k":
    for i in range(100_000):
        folder = os.path.join(content, "%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(folder)
        date = "%d-%02d-%02d" % (2000 + i // 336 % 24, 1 + i // 28 % 12, 1 + i % 28)
        with open(os.path.join(folder, "a%06d.md" % i), "w") as f:
            f.write('+++\ntitle = "A%d"\ndate = %s\n+++\nx\n' % (i, date))
elif case == "50mb":
    para = ("The quick brown fox jumps over *the lazy dog*, and [a link](https://example.org/) "
            "with `code`.\n\n")
    parts, size, n = ['+++\ntitle = "Fifty megabytes"\ndate = 2023-01-01\n+++\n'], 0, 0
    while size < 50 * 1024 * 1024:
        n += 1
        chunk = "## Section %d\n\n%s```rust\nfn main() { println!(\"%d\"); }\n```\n\n" % (n, para * 20, n)
        parts.append(chunk)
        size += len(chunk)
    with open(os.path.join(content, "huge.md"), "w") as f:
        f.write("".join(parts))
elif case == "2000":
    toml += 'taxonomies = ["companies"]\n'
    names = ", ".join('"Company %d"' % i for i in range(2000))
    with open(os.path.join(content, "many.md"), "w") as f:
        f.write('+++\ntitle = "Two thousand companies"\ndate = 2023-01-01\ncompanies = [%s]\n+++\nBody.\n' % names)
else:
    sys.exit("unknown case " + case)
with open(os.path.join(site, "site.toml"), "w") as f:
    f.write(toml)
EOF
}

printf '%-6s %10s %10s %9s %10s  %s\n' case wall_s peak_MiB pages MiB_out input
for case in "${CASES[@]}"; do
  site=$WORK/site-$case
  out=$WORK/out-$case
  generate "$case"
  input=$(du -sh "$site/content" | cut -f1)
  rm -rf "$out"
  /usr/bin/time -v "$BIN" build -q --no-cache --root "$site" --output "$out" 2>"$WORK/time-$case.txt" \
    || { cat "$WORK/time-$case.txt"; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time-$case.txt" \
    | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time-$case.txt")
  pages=$(find "$out" -name '*.html' | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  printf '%-6s %10s %10d %9d %10.1f  %s\n' "$case" "$wall" $((peak / 1024)) "$pages" \
    "$(echo "$bytes / 1048576" | bc -l)" "$input"
  [ -n "${KEEP:-}" ] || rm -rf "$site" "$out"
done

if [ -z "${SKIP_TESTS:-}" ]; then
  echo
  echo "The #[ignore]d tests of tests/hardening.rs (release build; peak memory from wait4):"
  cargo test --release --test hardening -- --ignored --nocapture --test-threads=1 2>&1 \
    | grep -E 'peak memory|test result'
fi
