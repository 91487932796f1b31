# Shared settings for the scripts in this folder. Sourced, not run.
#
# Build output and tools live in a cache outside the clone so that CI runs
# and fresh clones on the same machine reuse them (a cold build takes 10+
# minutes on 2 cores).

PAPERCLUB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PAPERCLUB_CACHE="${PAPERCLUB_CACHE:-$HOME/.cache/paperclub}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PAPERCLUB_CACHE/target}"
export PAPERCLUB_SITE_ROOT="${PAPERCLUB_SITE_ROOT:-$PAPERCLUB_CACHE/site}"
export LEPTOS_SITE_ROOT="$PAPERCLUB_SITE_ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[paperclub]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$PAPERCLUB_ROOT/Cargo.lock"
}

# Makes sure a PostgreSQL server answers on 127.0.0.1:5432, installing and
# starting Debian's package when there is none. Skipped when DATABASE_URL
# points elsewhere: then that server is the caller's business.
ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" != *"127.0.0.1"* && "$DATABASE_URL" != *"localhost"* ]]; then
    return 0
  fi
  if pg_answers; then return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "PostgreSQL is not installed: installing Debian's package"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$version" ] || die "PostgreSQL is installed but has no cluster; create one with pg_createcluster"
  # Local development trusts connections from this machine only, like the
  # CI machines do; nothing listens beyond the loopback interface.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -w "$hba" ] && ! grep -q 'paperclub: trust loopback' "$hba"; then
    log "allowing passwordless connections from 127.0.0.1 in $hba"
    as_root sed -i '1i # paperclub: trust loopback for local development\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  for _ in $(seq 1 30); do
    pg_answers && return 0
    sleep 1
  done
  die "PostgreSQL did not start; see /var/log/postgresql/"
}

pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The Debian Chromium the browser tests drive (Playwright's own download
# cannot work without internet).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  log "installing Debian's chromium for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

# A TCP port nobody listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Node tooling for tests and local runs (Playwright, maildev), from e2e/.
ensure_node_tools() {
  command -v npm >/dev/null 2>&1 || { log "installing Node.js and npm"; as_root apt-get install -y -qq nodejs npm >/dev/null; }
  if [ ! -x "$PAPERCLUB_ROOT/e2e/node_modules/.bin/maildev" ] || [ "$PAPERCLUB_ROOT/e2e/package-lock.json" -nt "$PAPERCLUB_ROOT/e2e/node_modules/.package-lock.json" ]; then
    log "installing the Node tools in e2e/ (npm ci)"
    (cd "$PAPERCLUB_ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

# Starts maildev (a real SMTP server with a web inbox and a REST API) on the
# given ports, in the background, and waits until it answers. Its pid goes
# into MAILDEV_PID.
start_maildev() {
  local smtp_port="$1" web_port="$2" log_file="$PAPERCLUB_CACHE/maildev-$1.log"
  ensure_node_tools
  mkdir -p "$PAPERCLUB_CACHE"
  "$PAPERCLUB_ROOT/e2e/node_modules/.bin/maildev" --smtp "$smtp_port" --web "$web_port" \
    --ip 127.0.0.1 --web-ip 127.0.0.1 >"$log_file" 2>&1 &
  MAILDEV_PID=$!
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$web_port/api/email" >/dev/null 2>&1 && return 0
    kill -0 "$MAILDEV_PID" 2>/dev/null || { cat "$log_file" >&2; die "maildev did not start"; }
    sleep 0.5
  done
  die "maildev did not answer on port $web_port"
}

# Starts `$1 serve` (a built binary) on a fresh seeded database named after
# `$2` and a free port, exports DATABASE_URL, LEPTOS_SITE_ADDR and
# SERVER_PID, waits until it answers, and stops it and drops the database
# on exit. For the benchmark scripts; needs SERVER_URL (the server part of
# DATABASE_URL).
serve_seeded() {
  local bin="$1" name="$2"
  SERVED_DATABASE="paperclub_${name}_$$"
  export DATABASE_URL="$SERVER_URL/$SERVED_DATABASE"
  export LEPTOS_SITE_ADDR="127.0.0.1:$(free_port)"
  export RUST_LOG="${RUST_LOG:-warn}"
  "$bin" seed >/dev/null
  "$bin" serve >"$PAPERCLUB_CACHE/$name-server.log" 2>&1 &
  SERVER_PID=$!
  trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true;
        psql "$SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS \"$SERVED_DATABASE\"" >/dev/null 2>&1 || true' EXIT
  for _ in $(seq 1 60); do curl -fsS "http://$LEPTOS_SITE_ADDR/healthz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "the server did not answer on $LEPTOS_SITE_ADDR"
}
