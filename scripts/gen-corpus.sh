#!/usr/bin/env bash
# The benchmark corpus, from the repository's own generator (examples/gen-corpus), which writes
# the same bytes as the team's ../shared/bench/gen_corpus.py for the same arguments:
#
#   scripts/gen-corpus.sh --n 10000 --flavor digest|hugo|zola --out DIR [--seed S] [--stats]
#
# Builds the generator first (release; cargo does nothing when it is current), then runs it.
#   GEN_CORPUS=PROGRAM          run another generator that takes the same arguments instead;
#                               a .py file runs with python3 (GEN_CORPUS=../shared/bench/gen_corpus.py)
#   GEN_CORPUS_PROFILE=debug    build and run the debug generator (where the debug build of the
#                               dependencies is already there and the corpus is small)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${GEN_CORPUS:-}" ]; then
  case "$GEN_CORPUS" in
    *.py) exec python3 "$GEN_CORPUS" "$@" ;;
    *) exec "$GEN_CORPUS" "$@" ;;
  esac
fi

profile="${GEN_CORPUS_PROFILE:-release}"
case "$profile" in
  release) (cd "$root" && cargo build --release --quiet --example gen-corpus) ;;
  debug) (cd "$root" && cargo build --quiet --example gen-corpus) ;;
  *) echo "gen-corpus.sh: GEN_CORPUS_PROFILE is release or debug, not '$profile'" >&2; exit 2 ;;
esac
exec "${CARGO_TARGET_DIR:-$root/target}/$profile/examples/gen-corpus" "$@"
