#!/usr/bin/env bash
# Measures requests per second and latency of the public meetup page, the
# home page, an event's .ics, the stylesheet and /healthz under 50
# concurrent connections, with wrk, against the release binary on a fresh
# seeded database; the meetup page's rate as a share of /healthz's; the
# server's memory under that load; and what a visitor's browser downloads
# for the main pages (Chromium, nothing cached). Not a test: the figures are
# written down in docs/benchmarks.md.
#
#   scripts/bench.sh              20 s per endpoint
#   DURATION=60s scripts/bench.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"

DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-50}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/paperclub}"
SERVER_URL="${DATABASE_URL%/*}"

ensure_postgres
command -v wrk >/dev/null 2>&1 || { log "installing wrk"; as_root apt-get install -y -qq wrk >/dev/null; }
ensure_node_tools
ensure_chromium
scripts/build-site.sh
BIN="$CARGO_TARGET_DIR/release/paperclub"

# The load comes from one address: lift the per-address registration limit.
export REGISTRATION_RATE_LIMIT=0
serve_seeded "$BIN" bench

MEETUP_ID="$(psql "$DATABASE_URL" -Atc "SELECT id FROM events WHERE kind = 'meetup' ORDER BY id LIMIT 1")"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk: 2 threads, $CONNECTIONS connections, $DURATION per endpoint, server and wrk on the same machine"
CSS="/pkg/$(sed -n 's/.*"output_name": *"\([^"]*\)".*/\1/p' "$PAPERCLUB_SITE_ROOT/pkg/assets.json").css"
declare -A RATE
for path in "/events/$MEETUP_ID" "/events/$MEETUP_ID/calendar.ics" "/" "$CSS" "/healthz"; do
  curl -fsS -o /dev/null "http://$LEPTOS_SITE_ADDR$path"   # warm up and check it answers
  echo
  echo "== GET $path"
  out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://$LEPTOS_SITE_ADDR$path")"
  echo "$out" | grep -E 'Requests/sec|Transfer/sec|Latency|  50%|  90%|  99%|requests in|Non-2xx|Socket errors'
  RATE[$path]="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
done
echo
echo "meetup page / healthz: $(awk -v a="${RATE[/events/$MEETUP_ID]}" -v b="${RATE[/healthz]}" 'BEGIN {printf "%.1f%%", 100 * a / b}')"
echo "server memory after the load: $(grep -E 'VmRSS|VmHWM' /proc/$SERVER_PID/status | tr -s ' ' | tr '\n' ' ')"
echo
echo "== what a browser downloads (390 px wide, nothing cached)"
TICKET_FREE_EVENT="$(psql "$DATABASE_URL" -Atc "SELECT id FROM events WHERE kind = 'session' ORDER BY id LIMIT 1")"
(cd e2e && node bench/page-weight.mjs "http://$LEPTOS_SITE_ADDR/events/$MEETUP_ID" \
  "http://$LEPTOS_SITE_ADDR/events/$TICKET_FREE_EVENT" "http://$LEPTOS_SITE_ADDR/" "http://$LEPTOS_SITE_ADDR/demos")

# Registrations through the whole stack: an open event without a seat limit,
# a new e-mail on every request.
OPEN_ID="$(psql "$DATABASE_URL" -qAtc "INSERT INTO events (series_id, kind, number, title, starts_at, ends_at, time_zone, format,
    registration_mode, status, published_at, venue_name)
  SELECT id, 'meetup', 99, 'Bench', now() + interval '30 days', now() + interval '30 days 3 hours', 'Europe/Moscow',
    'in_person', 'open', 'scheduled', now(), 'Hall' FROM series ORDER BY id LIMIT 1 RETURNING id")"
echo
echo "== POST /api/register (new e-mail each time, one open event)"
EVENT_ID="$OPEN_ID" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s scripts/bench-register.lua "http://$LEPTOS_SITE_ADDR" \
  | grep -E 'Requests/sec|Latency|  50%|  90%|  99%|requests in|Non-2xx|Socket errors'

# The service alone, against PostgreSQL: the 1,000-for-100 rush and spread load.
echo
DATABASE_URL="$SERVER_URL/paperclub_bench_service" cargo bench -q -p paperclub-core --bench registrations 2>/dev/null
psql "$SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS paperclub_bench_service WITH (FORCE)" >/dev/null 2>&1 || true
