#!/usr/bin/env bash
# Fails when a secret handed to someone during the browser run appears in the
# server's log: ticket tokens (from the database), every token mailed out
# (tickets, sign-in links, unsubscribe addresses, read back from maildev), the
# organiser's password and the bot token. Usage: check-log-secrets.sh LOG
# (DATABASE_URL, MAILDEV_URL, TELEGRAM_BOT_TOKEN, PAPERCLUB_ORGANISER_PASSWORD
# as scripts/test.sh sets them).
set -euo pipefail
log_file="$1"
secrets="$(mktemp)"
trap 'rm -f "$secrets"' EXIT

psql "$DATABASE_URL" -Atqc "SELECT token FROM registrations" >>"$secrets"
tickets="$(wc -l <"$secrets")"
curl -fsS "$MAILDEV_URL/api/email" | grep -oE '[0-9a-f]{64}' | sort -u >>"$secrets" || true
mailed="$(( $(wc -l <"$secrets") - tickets ))"
printf '%s\n' "$TELEGRAM_BOT_TOKEN" "$PAPERCLUB_ORGANISER_PASSWORD" >>"$secrets"

# A check that looked at nothing would pass for nothing.
if [ "$tickets" -lt 1 ] || [ "$mailed" -lt 1 ]; then
  echo "check-log-secrets: found $tickets ticket tokens and $mailed mailed tokens; expected some of each" >&2
  exit 1
fi
if leaks="$(grep -c -F -f "$secrets" "$log_file")"; then
  echo "check-log-secrets: $leaks line(s) of $log_file hold a secret, e.g.:" >&2
  grep -n -F -f "$secrets" "$log_file" | head -n 5 | cut -c1-200 >&2
  exit 1
fi
echo "check-log-secrets: none of $tickets ticket tokens, $mailed mailed tokens, the password or the bot token in $(wc -l <"$log_file") log lines"
