#!/usr/bin/env bash
# Benchmark `digest build` and `digest serve` on the generated corpus: the three figures the
# team tracks (clean build, no-op build, serve edit -> reload), each a median with peak memory.
#
#   scripts/bench.sh [SIZES...]        default: 1000 10000 50000
#
# For each size: generates the corpus once into $WORK/corpus-N (scripts/gen-corpus.sh: the
# repository's generator, byte-identical to ../shared/bench/gen_corpus.py; GEN_CORPUS runs
# another), then reports the median wall time and the peak memory (/usr/bin/time -v) of RUNS
# (default 5) builds of each kind, output on tmpfs:
#   clean     no output folder and no .digest-cache: everything from scratch;
#   warm      no output folder, the cache of an earlier build kept (highlighted code);
#   no-op     a second build with nothing changed (the output is current);
# and the pages, files and bytes written. At 10,000 articles it also prints the per-stage
# profile (--timings) of one clean build. With SEARCH=1 a second table gives the clean build
# with search (a copy of the corpus with `[search] enabled = true`) and what search adds. With
# BILINGUAL=1 another gives the clean build with a second language (every article translated,
# `[languages.zh]`), and the example site's with and without its translations.
#
# Then scripts/bench-serve.py at 10,000 articles (at the largest size when 10,000 is not among
# SIZES): the median, best and worst of SERVE_EDITS (default 20) saves -> reload events, and
# the server's peak memory. SKIP_SERVE=1 leaves it out. A summary line gives the three figures.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/digest-bench}
OUT_BASE=${OUT_BASE:-/dev/shm/digest-bench-out}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)

# DIGEST_BIN measures another binary (an earlier commit's, for a before/after).
if [ -n "${DIGEST_BIN:-}" ]; then
  BIN=$DIGEST_BIN
else
  cargo build --release --quiet
  BIN=$ROOT/target/release/digest
fi
mkdir -p "$WORK"

clear_output() {
  rm -rf "$OUT_BASE" "$(dirname "$OUT_BASE")/.$(basename "$OUT_BASE").digest-"*
}

# Runs one build under /usr/bin/time; appends its seconds to TIMES and raises PEAK (KiB).
timed_build() {
  /usr/bin/time -v "$BIN" build -q --root "$1" --output "$OUT_BASE" 2>"$WORK/time.txt"
  local t m
  t=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
  TIMES+=("$t")
  [ "$m" -gt "$PEAK" ] && PEAK=$m
  return 0
}

# RUNS clean builds of site $1 (no output, no cache): MEDIAN holds their median time, PEAK
# their peak memory. Called as is, not in $(…), which would lose both.
median_clean() {
  TIMES=(); PEAK=0
  for _ in $(seq "$RUNS"); do
    clear_output
    rm -rf "$1/.digest-cache"
    timed_build "$1"
  done
  MEDIAN=$(median "${TIMES[@]}")
}

# Site $1 copied to $2 (hard links) with a second language, zh, every article translated.
bilingual_copy() {
  rm -rf "$2"
  cp -al "$1" "$2"
  rm -rf "$2/site.toml" "$2/.digest-cache"
  { cat "$1/site.toml"; printf '\n[languages.zh]\ntag = "zh-Hans"\ntitle = "文摘"\n'; } >"$2/site.toml"
  find "$2/content/articles" -name '*.md' ! -name '*.*.md' | while read -r f; do
    ln "$f" "${f%.md}.zh.md"
  done
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

declare -A FIGURES SEARCH_ROWS LANGUAGE_ROWS
printf '%-8s %8s %9s %8s %9s %8s %8s %8s %8s\n' articles clean_s clean_MiB warm_s warm_MiB noop_s pages files MiB_out
for n in "${SIZES[@]}"; do
  site=$WORK/corpus-$n
  if [ ! -d "$site" ]; then
    # Into a side folder first: an interrupted run must not leave a partial corpus to reuse.
    rm -rf "$site.partial"
    scripts/gen-corpus.sh --n "$n" --flavor digest --out "$site.partial" >/dev/null
    mv "$site.partial" "$site"
  fi

  median_clean "$site"; clean=$MEDIAN; clean_peak=$PEAK

  TIMES=(); PEAK=0
  for _ in $(seq "$RUNS"); do
    clear_output
    timed_build "$site"
  done
  warm=$(median "${TIMES[@]}"); warm_peak=$PEAK

  TIMES=(); PEAK=0
  for _ in $(seq "$RUNS"); do
    timed_build "$site"
  done
  noop=$(median "${TIMES[@]}"); noop_peak=$PEAK

  pages=$(find "$OUT_BASE" -name '*.html' | wc -l)
  files=$(find "$OUT_BASE" -type f | wc -l)
  bytes=$(du -sb "$OUT_BASE" | cut -f1)
  printf '%-8s %8s %9d %8s %9d %8s %8d %8d %8.1f\n' "$n" "$clean" $((clean_peak / 1024)) \
    "$warm" $((warm_peak / 1024)) "$noop" "$pages" "$files" "$(echo "$bytes / 1048576" | bc -l)"
  FIGURES[$n]="clean $clean s (peak $((clean_peak / 1024)) MiB), no-op $noop s (peak $((noop_peak / 1024)) MiB)"

  # With SEARCH=1, the same corpus with search turned on (it is off by default): hard links to
  # its files, its own site.toml.
  if [ "${SEARCH:-0}" = 1 ]; then
    searched=$WORK/corpus-$n-search
    rm -rf "$searched"
    cp -al "$site" "$searched"
    rm -rf "$searched/site.toml" "$searched/.digest-cache"
    { cat "$site/site.toml"; printf '\n[search]\nenabled = true\n'; } >"$searched/site.toml"
    median_clean "$searched"; search_clean=$MEDIAN; search_peak=$PEAK
    index_bytes=0
    [ -d "$OUT_BASE/pagefind" ] && index_bytes=$(du -sb "$OUT_BASE/pagefind" | cut -f1)
    SEARCH_ROWS[$n]=$(printf '%-8s %8s %9d %8s %9d %8s %9d %9.1f' "$n" "$search_clean" $((search_peak / 1024)) \
      "$clean" $((clean_peak / 1024)) "$(echo "$search_clean - $clean" | bc -l | sed 's/^\./0./;s/^-\./-0./')" \
      $(((search_peak - clean_peak) / 1024)) "$(echo "$index_bytes / 1048576" | bc -l)")
    rm -rf "$searched"
  fi
  # With BILINGUAL=1, the same corpus with a second language: `[languages.zh]` and every
  # article translated (x.zh.md, a hard link to x.md: the same amount of text again).
  if [ "${BILINGUAL:-0}" = 1 ]; then
    two=$WORK/corpus-$n-zh
    bilingual_copy "$site" "$two"
    median_clean "$two"; zh_clean=$MEDIAN
    LANGUAGE_ROWS[$n]=$(printf '%-8s %8s %9d %8s %9d' "$n" "$clean" $((clean_peak / 1024)) "$zh_clean" $((PEAK / 1024)))
    rm -rf "$two"
  fi
  if [ "$n" = 10000 ]; then
    clear_output
    rm -rf "$site/.digest-cache"
    "$BIN" build -q --timings --root "$site" --output "$OUT_BASE" 2>&1 | sed 's/^/    /'
  fi
done
clear_output

if [ "${SEARCH:-0}" = 1 ]; then
  echo
  echo "search: clean build with and without it (median s, peak MiB), what it adds, the index size:"
  printf '%-8s %8s %9s %8s %9s %8s %9s %9s\n' articles search_s search_MiB bare_s bare_MiB adds_s adds_MiB index_MiB
  for n in "${SIZES[@]}"; do
    echo "${SEARCH_ROWS[$n]}"
  done
fi

if [ "${BILINGUAL:-0}" = 1 ]; then
  echo
  echo "a second language: clean build (median s, peak MiB) of each corpus alone and with every article translated:"
  printf '%-8s %8s %9s %8s %9s\n' articles one_s one_MiB two_s two_MiB
  for n in "${SIZES[@]}"; do
    echo "${LANGUAGE_ROWS[$n]}"
  done
  # The example site (this repository) as it is, bilingual, and without its translations.
  example=$WORK/example
  rm -rf "$example" "$example-en"
  mkdir -p "$example"
  cp -r site.toml content templates static "$example/"
  [ -d i18n ] && cp -r i18n "$example/"
  median_clean "$example"; ex_two=$MEDIAN; ex_two_peak=$PEAK
  cp -r "$example" "$example-en"
  find "$example-en/content" -name '*.zh.md' -delete
  sed -i '/^\[languages\./,/^\[[^l]/{/^\[[^l]/!d}' "$example-en/site.toml"
  median_clean "$example-en"; ex_one=$MEDIAN; ex_one_peak=$PEAK
  printf '%-8s %8s %9d %8s %9d\n' example "$ex_one" $((ex_one_peak / 1024)) "$ex_two" $((ex_two_peak / 1024))
  rm -rf "$example" "$example-en"
fi

# The serve figure: at 10,000 articles, or at the largest size given when 10,000 is not.
serve_n=""
for n in "${SIZES[@]}"; do
  if [ "$n" = 10000 ]; then serve_n=10000; fi
done
if [ -z "$serve_n" ]; then
  serve_n=$(printf '%s\n' "${SIZES[@]}" | sort -g | tail -n 1)
fi
if [ -z "${SKIP_SERVE:-}" ]; then
  echo
  echo "digest serve, save -> reload event at $serve_n articles:"
  python3 scripts/bench-serve.py --n "$serve_n" --edits "${SERVE_EDITS:-20}" --work "$WORK" \
    | tee "$WORK/serve.txt" | sed 's/^/    /'
  serve_median=$(sed -n 's/.* median \([0-9.]*\) ms.*/\1/p' "$WORK/serve.txt")
  serve_peak=$(sed -n 's/^serve peak memory: \([0-9]*\) MiB.*/\1/p' "$WORK/serve.txt")
  echo
  echo "at $serve_n articles: ${FIGURES[$serve_n]}, edit -> reload ${serve_median} ms (peak ${serve_peak} MiB)"
fi
