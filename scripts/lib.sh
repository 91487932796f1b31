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
