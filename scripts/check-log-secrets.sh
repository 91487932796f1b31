#!/usr/bin/env bash
# Fails when a secret handed to someone during the browser run appears in the
# server's log: every token mailed out (tickets, join and unsubscribe
# addresses, sign-in links, read back from maildev: the database keeps only
# their digests), the organiser's password and the bot token. Usage: check-log-secrets.sh LOG (MAILDEV_URL,
# TELEGRAM_BOT_TOKEN, PAPERCLUB_ORGANISER_PASSWORD as scripts/test.sh sets them).
set -euo pipefail
log_file="$1"
secrets="$(mktemp)"
trap 'rm -f "$secrets"' EXIT

mail="$(curl -fsS "$MAILDEV_URL/api/email")"
tickets="$(printf '%s' "$mail" | grep -oE '/tickets/[0-9a-f]{64}' | sort -u | wc -l)"
printf '%s' "$mail" | grep -oE '[0-9a-f]{64}' | sort -u >>"$secrets" || true
mailed="$(wc -l <"$secrets")"
printf '%s\n' "$TELEGRAM_BOT_TOKEN" "$PAPERCLUB_ORGANISER_PASSWORD" >>"$secrets"

# A check that looked at nothing would pass for nothing.
if [ "$tickets" -lt 1 ]; then
  echo "check-log-secrets: found $mailed mailed tokens of which $tickets ticket links; expected tickets" >&2
  exit 1
fi
if leaks="$(grep -c -F -f "$secrets" "$log_file")"; then
  echo "check-log-secrets: $leaks line(s) of $log_file hold a secret, e.g.:" >&2
  grep -n -F -f "$secrets" "$log_file" | head -n 5 | cut -c1-200 >&2
  exit 1
fi
echo "check-log-secrets: none of $mailed mailed tokens ($tickets ticket links), the password or the bot token in $(wc -l <"$log_file") log lines"
