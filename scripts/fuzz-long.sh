#!/usr/bin/env bash
# The long fuzz run: every target of fuzz/ for a share of the given total time (default 30m;
# accepts 90s, 32m, 1h), one libFuzzer process at a time at the lowest priority. A crash does
# not end a target's run: it is counted, its input kept, and fuzzing resumes for the time left.
# Prints, per target, the executions and the crashes (with the file of each).
#
# Usage: scripts/fuzz-long.sh [duration] [target...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). It uses the nightly toolchain when rustup has
# one, else stable with RUSTC_BOOTSTRAP=1 (cargo-fuzz passes nightly-only -Z flags).
# New corpus entries and crash inputs go to $LOGS (default /tmp/digest-fuzz-long), not to the
# repository: copy a crash into fuzz/artifacts/<target>/ once it is fixed, and
# `cargo test --test fuzz_regressions` replays it from then on.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
fuzz_dir="$repo/fuzz"

to_seconds() {
  local d="$1"
  case "$d" in
    *h) echo $(( ${d%h} * 3600 )) ;;
    *m) echo $(( ${d%m} * 60 )) ;;
    *s) echo "${d%s}" ;;
    *) echo "$d" ;;
  esac
}
total=$(to_seconds "${1:-30m}")
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' "$fuzz_dir/Cargo.toml" | grep -v '^digest-fuzz$')
fi
share=$(( total / ${#targets[@]} ))

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 2
fi
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi

logs="${LOGS:-/tmp/digest-fuzz-long}"
mkdir -p "$logs"
echo "fuzzing ${targets[*]}: ${share}s each, ${total}s in all; logs in $logs"

# Build everything first, so each target's time is all fuzzing.
build_start=$(date +%s)
nice -n 19 cargo "${toolchain[@]}" fuzz build --fuzz-dir "$fuzz_dir" >"$logs/build.log" 2>&1 || {
  echo "fuzz build failed; see $logs/build.log" >&2
  exit 2
}
echo "built in $(( $(date +%s) - build_start ))s"

summary=()
for target in "${targets[@]}"; do
  case "$target" in
    markdown | mentions) max_len=16384 ;;
    front_matter | text) max_len=8192 ;;
    *) max_len=4096 ;;
  esac
  corpus="$logs/corpus/$target"
  artifacts="$logs/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts" "$fuzz_dir/corpus/$target"
  execs=0
  crashes=0
  runs=0
  left=$share
  echo "== $target: ${share}s from $(date -u +%H:%M:%S) UTC"
  while [ "$left" -gt 0 ]; do
    runs=$(( runs + 1 ))
    log="$logs/$target.$runs.log"
    started=$(date +%s)
    status=0
    nice -n 19 cargo "${toolchain[@]}" fuzz run --fuzz-dir "$fuzz_dir" "$target" \
      "$corpus" "$fuzz_dir/corpus/$target" -- \
      -max_total_time="$left" -timeout=10 -max_len="$max_len" -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || status=$?
    left=$(( left - ($(date +%s) - started) ))
    # Executions: the final stats, else (after a crash) the last status line.
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    execs=$(( execs + ${n:-0} ))
    if [ "$status" -ne 0 ]; then
      written=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1 || true)
      if [ -z "$written" ]; then
        echo "   $target stopped without a crash input (exit $status); see $log"
        break
      fi
      crashes=$(( crashes + 1 ))
      echo "   crash: $written"
      grep -m1 -E 'panicked at|ERROR: AddressSanitizer|ERROR: libFuzzer' "$log" | sed 's/^/   /' || true
    fi
  done
  echo "   $target: $execs executions, $crashes crashes, $runs runs"
  summary+=("$(printf '%-14s %12s executions %4s crashes' "$target" "$execs" "$crashes")")
done

echo "== summary (${total}s, $(date -u +%H:%M:%S) UTC)"
printf '%s\n' "${summary[@]}"
