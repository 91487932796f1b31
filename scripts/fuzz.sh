#!/usr/bin/env bash
# Runs the property tests of the parsers that read strangers' text
# (backend/core/tests/hostile_text.rs) and the Telegram chat fuzz (strangers'
# messages and button data through the real handler against the strict fake;
# needs the PostgreSQL the tests use) with many more cases than CI does.
# cargo-fuzz needs a nightly compiler, which this project does not use; the
# properties are the same ones a fuzz target would check.
#   scripts/fuzz.sh            100,000 cases per property
#   PROPTEST_CASES=N TELEGRAM_FUZZ_CASES=M scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${PAPERCLUB_CACHE:-$HOME/.cache/paperclub}/target}"
export PROPTEST_CASES="${PROPTEST_CASES:-100000}"
started=$(date +%s)
cargo test --release -p paperclub-core --test hostile_text -- --nocapture
echo "fuzz: $PROPTEST_CASES cases per property in $(( $(date +%s) - started )) s (build included)"
export TELEGRAM_FUZZ_CASES="${TELEGRAM_FUZZ_CASES:-2000}"
started=$(date +%s)
cargo test -p paperclub-server --test api telegram_chat::whatever_strangers -- --nocapture
echo "fuzz: $TELEGRAM_FUZZ_CASES chats of up to 7 updates each in $(( $(date +%s) - started )) s (build included)"
