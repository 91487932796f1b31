#!/usr/bin/env bash
# Runs every test: unit and integration tests (cargo, against a real
# PostgreSQL with a fresh database per test), then the browser tests
# (Playwright + Debian Chromium against the real binary). Exits non-zero
# when any test fails.
#
#   scripts/test.sh            everything
#   SKIP_E2E=1 scripts/test.sh   cargo checks and tests only (fmt, clippy -D warnings, tests)
#   SKIP_CARGO=1 E2E_ARGS=tests/telegram.spec.ts scripts/test.sh   one browser spec
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/paperclub}"
SERVER_URL="${DATABASE_URL%/*}"

ensure_postgres

# Databases left by earlier runs (each integration test makes its own).
if command -v psql >/dev/null 2>&1; then
  psql "$SERVER_URL/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'paperclub\_test\_%' OR datname LIKE 'paperclub\_e2e\_%'" \
    | while read -r db; do psql "$SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
fi

# A real SMTP server for the tests, on ports of its own.
SMTP_PORT="$(free_port)"
MAILDEV_WEB_PORT="$(free_port)"
start_maildev "$SMTP_PORT" "$MAILDEV_WEB_PORT"
export PAPERCLUB_TEST_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"
export PAPERCLUB_TEST_MAILDEV_URL="http://127.0.0.1:$MAILDEV_WEB_PORT"
SERVER_PID=""
FAKE_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null || true
  kill "$MAILDEV_PID" 2>/dev/null || true
  if command -v psql >/dev/null 2>&1; then
    psql "$SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS \"paperclub_e2e_$$\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [ -n "${SKIP_CARGO:-}" ]; then
  log "SKIP_CARGO set: cargo tests skipped"
else
  log "formatting and lints"
  cargo fmt --all -- --check || die "cargo fmt --all would change files: run it and commit"
  cargo clippy --workspace --all-targets -- -D warnings
  log "unit and integration tests"
  cargo test --workspace
fi

if [ -n "${SKIP_E2E:-}" ]; then
  log "SKIP_E2E set: browser tests skipped"
  exit 0
fi

log "browser tests"
ensure_chromium
PROFILE=dev scripts/build-site.sh
BIN="$CARGO_TARGET_DIR/debug/paperclub"

PORT="$(free_port)"
export DATABASE_URL="$SERVER_URL/paperclub_e2e_$$"
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
export PUBLIC_BASE_URL="http://127.0.0.1:$PORT"
export PAPERCLUB_URL="$PUBLIC_BASE_URL"
export PAPERCLUB_ORGANISER_EMAIL="e2e-organiser@example.org"
export PAPERCLUB_ORGANISER_PASSWORD="e2e organiser password"
export SMTP_URL="$PAPERCLUB_TEST_SMTP_URL"
export MAILDEV_URL="$PAPERCLUB_TEST_MAILDEV_URL"
# The bot talks to the fake Telegram Bot API; the browser tests read the
# channel from it and move the server's clock through the test control.
FAKE_PORT="$(free_port)"
export TELEGRAM_BOT_TOKEN="123456:e2e-fake-token"
export TELEGRAM_API_URL="http://127.0.0.1:$FAKE_PORT"
export FAKE_TELEGRAM_URL="$TELEGRAM_API_URL"
export PAPERCLUB_TEST_CONTROLS=1
"$CARGO_TARGET_DIR/debug/fake-telegram" --port "$FAKE_PORT" --token "$TELEGRAM_BOT_TOKEN" >"$PAPERCLUB_CACHE/e2e-fake-telegram.log" 2>&1 &
FAKE_PID=$!

"$BIN" seed >/dev/null
printf '%s' "$PAPERCLUB_ORGANISER_PASSWORD" | "$BIN" admin create --email "$PAPERCLUB_ORGANISER_EMAIL" --name "E2E organiser" --password-stdin >/dev/null

SERVER_LOG="$PAPERCLUB_CACHE/e2e-server.log"
# Every request and job at debug level, so the check after the browser run
# sees all that a verbose production log would hold.
RUST_LOG="info,sqlx=warn,tower_http=debug,paperclub_core=debug,paperclub_server=debug" "$BIN" serve >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 60); do
  curl -fsS "$PUBLIC_BASE_URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "the server exited before answering"; }
  sleep 0.5
done

cd e2e
if ! npx playwright test ${E2E_ARGS:-}; then
  log "browser tests failed; server log: $SERVER_LOG"
  tail -n 40 "$SERVER_LOG" >&2
  exit 1
fi
cd ..

log "feeds and calendar files read by independent parsers (feedparser, icalendar)"
PYCHECK="$PAPERCLUB_CACHE/pycheck"
if ! "$PYCHECK/bin/python" -c 'import feedparser, icalendar' 2>/dev/null; then
  log "installing feedparser and icalendar into $PYCHECK (once)"
  python3 -m venv "$PYCHECK"
  "$PYCHECK/bin/pip" install -q feedparser icalendar
fi
"$PYCHECK/bin/python" scripts/check-open-data.py "$PUBLIC_BASE_URL"

log "no secret in the server's log"
scripts/check-log-secrets.sh "$SERVER_LOG"
