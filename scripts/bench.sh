#!/usr/bin/env bash
# Benchmark `digest build` on the shared generated corpus.
#
#   scripts/bench.sh [SIZES...]        default: 1000 10000 50000
#
# For each size: generates the corpus once (../shared/bench/gen_corpus.py), then runs a clean
# build RUNS times (default 5) into tmpfs and reports the median wall time, the peak memory
# (/usr/bin/time -v), and the pages, files and bytes written. At 10,000 articles it also
# prints the per-stage profile (--timings) of one run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
GEN=${GEN:-$ROOT/../shared/bench/gen_corpus.py}
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/digest-bench}
OUT_BASE=${OUT_BASE:-/dev/shm/digest-bench-out}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)

cargo build --release --quiet
BIN=$ROOT/target/release/digest
mkdir -p "$WORK"

printf '%-8s %10s %10s %8s %8s %10s\n' articles median_s peak_MiB pages files MiB_out
for n in "${SIZES[@]}"; do
  site=$WORK/corpus-$n
  [ -d "$site" ] || python3 "$GEN" --n "$n" --flavor digest --out "$site" >/dev/null
  times=()
  peak=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT_BASE" "$(dirname "$OUT_BASE")/.$(basename "$OUT_BASE").digest-"*
    /usr/bin/time -v "$BIN" build -q --root "$site" --output "$OUT_BASE" 2>"$WORK/time.txt"
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    times+=("$t")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  pages=$(find "$OUT_BASE" -name '*.html' | wc -l)
  files=$(find "$OUT_BASE" -type f | wc -l)
  bytes=$(du -sb "$OUT_BASE" | cut -f1)
  printf '%-8s %10s %10d %8d %8d %10.1f\n' "$n" "$median" $((peak / 1024)) "$pages" "$files" "$(echo "$bytes / 1048576" | bc -l)"
  if [ "$n" = 10000 ]; then
    # A clean build again (the output must not be current, or nothing would be done).
    rm -rf "$OUT_BASE"
    "$BIN" build -q --timings --root "$site" --output "$OUT_BASE" 2>&1 | sed 's/^/    /'
  fi
done
rm -rf "$OUT_BASE"
