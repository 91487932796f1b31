#!/usr/bin/env bash
# 1,000 personal reminders due in the same second, through the real
# publisher and PostgreSQL, against the fake Bot API enforcing Telegram's
# rates: lateness beyond the rate limit and the achieved rate. Not a test:
# the figures are written down in docs/benchmarks.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/paperclub}"
ensure_postgres
cargo bench -p paperclub-bot --bench reminders
