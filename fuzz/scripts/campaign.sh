#!/usr/bin/env bash
# The long fuzz campaign: each target in turn, one libFuzzer process at the lowest priority,
# for the given number of seconds each (default 660). Logs go to $LOGS (default /tmp/digest-fuzz).
# Usage: fuzz/scripts/campaign.sh [seconds] [target...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); a stable toolchain works with RUSTC_BOOTSTRAP=1.
set -euo pipefail
fuzz_dir="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-660}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter markdown paths)
logs="${LOGS:-/tmp/digest-fuzz}"
mkdir -p "$logs"
cd "$logs"
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  case "$target" in
    markdown) max_len=16384 ;;
    front_matter) max_len=8192 ;;
    *) max_len=4096 ;;
  esac
  # Build first, so the time limit is all fuzzing.
  nice -n 19 cargo fuzz build --fuzz-dir "$fuzz_dir" "$target" >"$target.build" 2>&1
  echo "== $target: ${seconds}s from $(date -u +%H:%M:%S) UTC"
  # -jobs=1 writes libFuzzer's output to fuzz-0.log in this folder; keep it per target.
  rm -f fuzz-0.log
  status=0
  nice -n 19 cargo fuzz run --fuzz-dir "$fuzz_dir" "$target" -- \
    -jobs=1 -workers=1 -max_total_time="$seconds" -timeout=10 -max_len="$max_len" \
    -print_final_stats=1 >"$target.out" 2>&1 || status=$?
  mv -f fuzz-0.log "$target.log" 2>/dev/null || true
  echo "   exit $status; $(grep -E '^#[0-9]+' "$target.log" | tail -1)"
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|Test unit written|panicked' "$target.log" || true
done
