#!/usr/bin/env bash
# Lighthouse's mobile preset (simulated mid-range phone on a slow 4G link)
# against the release binary on a fresh seeded database: performance score,
# time to interactive and total bytes of the meetup page, the 100th meeting
# and the home page. Lighthouse is installed from npm into the cache once.
# Not a test: the figures go into docs/benchmarks.md.
#
#   scripts/lighthouse.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/paperclub}"
SERVER_URL="${DATABASE_URL%/*}"
ensure_postgres
ensure_node_tools
ensure_chromium
LH_ROOT="$PAPERCLUB_CACHE/tools/lighthouse"
if [ ! -x "$LH_ROOT/node_modules/.bin/lighthouse" ]; then
  log "installing lighthouse into $LH_ROOT (once)"
  npm install --no-audit --no-fund --silent --prefix "$LH_ROOT" lighthouse
fi
[ -x "$CARGO_TARGET_DIR/release/paperclub" ] && [ -f "$PAPERCLUB_SITE_ROOT/pkg/assets.json" ] || scripts/build-site.sh
BIN="$CARGO_TARGET_DIR/release/paperclub"

serve_seeded "$BIN" lighthouse

MEETUP_ID="$(psql "$DATABASE_URL" -Atc "SELECT id FROM events WHERE kind = 'meetup' ORDER BY id LIMIT 1")"
SESSION_ID="$(psql "$DATABASE_URL" -Atc "SELECT id FROM events WHERE number = 100 ORDER BY id LIMIT 1")"
for path in "/events/$MEETUP_ID" "/events/$SESSION_ID" "/"; do
  report="$PAPERCLUB_CACHE/lighthouse-$(echo "$path" | tr '/' '_').json"
  CHROME_PATH=/usr/bin/chromium "$LH_ROOT/node_modules/.bin/lighthouse" "http://$LEPTOS_SITE_ADDR$path" \
    --quiet --only-categories=performance --output=json --output-path="$report" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const a = r.audits;
    console.log(`${process.argv[2]}: performance ${Math.round(r.categories.performance.score * 100)}, ` +
      `time to interactive ${(a.interactive.numericValue / 1000).toFixed(2)} s, ` +
      `largest contentful paint ${(a["largest-contentful-paint"].numericValue / 1000).toFixed(2)} s, ` +
      `total bytes ${(a["total-byte-weight"].numericValue / 1024).toFixed(1)} KiB (${r.configSettings.formFactor})`);
  ' "$report" "$path"
done
