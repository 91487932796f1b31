#!/usr/bin/env bash
# Runs the property tests of the parsers that read strangers' text
# (backend/core/tests/hostile_text.rs) with many more cases than CI does.
# cargo-fuzz needs a nightly compiler, which this project does not use; the
# properties are the same ones a fuzz target would check.
#   scripts/fuzz.sh            100,000 cases per property
#   PROPTEST_CASES=N scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${PAPERCLUB_CACHE:-$HOME/.cache/paperclub}/target}"
export PROPTEST_CASES="${PROPTEST_CASES:-100000}"
started=$(date +%s)
cargo test --release -p paperclub-core --test hostile_text -- --nocapture
echo "fuzz: $PROPTEST_CASES cases per property in $(( $(date +%s) - started )) s (build included)"
