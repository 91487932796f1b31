#!/usr/bin/env bash
# Runs paperclub locally: PostgreSQL (installed or started if needed), the
# database (created and migrated), the seed (into an empty database), a
# local organiser account, then the site on http://127.0.0.1:3000.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/paperclub}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://$LEPTOS_SITE_ADDR}"

ensure_postgres

# Without an SMTP server of your own, e-mail goes to a local maildev whose
# web inbox shows every message the platform sends.
MAILDEV_NOTE=""
if [ -z "${SMTP_URL:-}" ]; then
  export SMTP_URL="smtp://127.0.0.1:1025"
  if curl -fsS http://127.0.0.1:1080/api/email >/dev/null 2>&1; then
    log "using the maildev already running on ports 1025/1080"
  else
    start_maildev 1025 1080
    trap 'kill "$MAILDEV_PID" 2>/dev/null || true' EXIT
  fi
  MAILDEV_NOTE="  E-mail inbox (maildev): http://127.0.0.1:1080"
fi

# PROFILE=dev builds the debug binaries (quicker to build, slower to run).
PROFILE="${PROFILE:-release}" scripts/build-site.sh
BIN_DIR="$CARGO_TARGET_DIR/$([ "${PROFILE:-release}" = release ] && echo release || echo debug)"
BIN="$BIN_DIR/paperclub"

# Without a bot token of your own, the bot talks to the fake Telegram Bot API
# (Telegram itself cannot be reached from here); its page shows the channel.
TELEGRAM_NOTE=""
if [ -z "${TELEGRAM_BOT_TOKEN:-}" ]; then
  FAKE_PORT="${FAKE_TELEGRAM_PORT:-8081}"
  export TELEGRAM_BOT_TOKEN="123456:local-fake-token"
  export TELEGRAM_API_URL="http://127.0.0.1:$FAKE_PORT"
  "$BIN_DIR/fake-telegram" --port "$FAKE_PORT" --token "$TELEGRAM_BOT_TOKEN" \
    >"$PAPERCLUB_CACHE/fake-telegram.log" 2>&1 &
  FAKE_PID=$!
  trap 'kill "$FAKE_PID" 2>/dev/null || true; kill "${MAILDEV_PID:-}" 2>/dev/null || true' EXIT
  TELEGRAM_NOTE="  Telegram channel (fake Bot API): $TELEGRAM_API_URL/"
fi

"$BIN" seed

# A local organiser, with a password generated once and kept in the cache
# (outside the repository). Production organisers are made with
# `paperclub admin create`.
ORGANISER_EMAIL="${PAPERCLUB_ORGANISER_EMAIL:-organiser@paperclub.local}"
PASSWORD_FILE="$PAPERCLUB_CACHE/local-organiser-password"
if [ ! -s "$PASSWORD_FILE" ]; then
  mkdir -p "$PAPERCLUB_CACHE"
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$PASSWORD_FILE")
fi
"$BIN" admin create --email "$ORGANISER_EMAIL" --name "Local organiser" --password-stdin < "$PASSWORD_FILE" >/dev/null

cat >&2 <<MSG

  paperclub is starting on $PUBLIC_BASE_URL
  Organiser sign-in: $PUBLIC_BASE_URL/admin/sign-in
    e-mail:   $ORGANISER_EMAIL
    password: $(cat "$PASSWORD_FILE")   (kept in $PASSWORD_FILE)
$MAILDEV_NOTE
$TELEGRAM_NOTE
  Stop with Ctrl-C.

MSG
"$BIN" serve
