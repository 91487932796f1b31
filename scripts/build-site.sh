#!/usr/bin/env bash
# Builds the whole site: the server binary (with the site's SSR), the
# hydration bundle (wasm + JS glue) and the stylesheet, into
# $PAPERCLUB_SITE_ROOT/pkg. Only package registries are used.
#
#   scripts/build-site.sh            release build (what `run` uses)
#   PROFILE=dev scripts/build-site.sh   debug server binary (what tests use)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"

PROFILE="${PROFILE:-release}"

# 1. The wasm target and the matching wasm-bindgen CLI, installed once into the cache.
if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
WB_VERSION="$(wasm_bindgen_version)"
WB_ROOT="$PAPERCLUB_CACHE/tools/wasm-bindgen-$WB_VERSION"
WASM_BINDGEN="$WB_ROOT/bin/wasm-bindgen"
if [ ! -x "$WASM_BINDGEN" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION into $WB_ROOT (once; a few minutes)"
  # Not --locked: the CLI's own lockfile pins a yanked crate.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_ROOT"
fi

# 2. The islands' bundles, size-optimised: the public one, and one per group
# of pages (the same plus that group's islands; frontend/src/islands.rs).
PKG="$PAPERCLUB_SITE_ROOT/pkg"
mkdir -p "$PKG"
# Every bundle is linked to the same file (a cdylib's name has no hash), so
# when cargo finds a bundle's build fresh, that file may hold another
# bundle. Each bundle's own wasm is kept beside it, copied when cargo did
# link it, and rebuilt when it is missing.
BUNDLES_DIR="$CARGO_TARGET_DIR/wasm32-unknown-unknown/bundles"
mkdir -p "$BUNDLES_DIR"
bundle() { # name features
  log "building the $1 bundle (wasm-release profile, features $2)"
  local linked="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/paperclub_frontend.wasm"
  local kept="$BUNDLES_DIR/$1.wasm"
  local messages
  messages="$(cargo rustc -p paperclub-frontend --lib --crate-type cdylib \
    --target wasm32-unknown-unknown --features "$2" --profile wasm-release \
    --message-format=json-render-diagnostics)"
  local artifact
  artifact="$(grep '"reason":"compiler-artifact"' <<<"$messages" | grep '"name":"paperclub_frontend"' || true)"
  if grep -q '"fresh":false' <<<"$artifact"; then
    cp "$linked" "$kept"
  elif [ ! -f "$kept" ]; then
    touch frontend/src/lib.rs
    cargo rustc -p paperclub-frontend --lib --crate-type cdylib \
      --target wasm32-unknown-unknown --features "$2" --profile wasm-release
    cp "$linked" "$kept"
  fi
  # Dropping the names section takes the wasm to a third of its size.
  "$WASM_BINDGEN" --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$PKG" --out-name "$1" "$kept"
}
bundle paperclub hydrate
for group in organiser member demos; do
  bundle "paperclub-$group" "hydrate,$group"
done

# No wasm-opt pass: Debian's binaryen (108) mangles the externref table that
# current wasm-bindgen emits, and dropping the names section already gives
# most of its gain (1.37 MB vs 1.29 MB).

# 3. The stylesheet.
cp style/main.css "$PKG/paperclub.css"

# 4. The server binary, and the fake Telegram Bot API for runs without a token.
log "building the server and the fake Telegram ($PROFILE)"
if [ "$PROFILE" = "release" ]; then
  cargo build -p paperclub-server -p paperclub-bot --bins --release
  BIN="$CARGO_TARGET_DIR/release/paperclub"
else
  cargo build -p paperclub-server -p paperclub-bot --bins
  BIN="$CARGO_TARGET_DIR/debug/paperclub"
fi

# 5. Content-hashed names (kept by browsers for a year) with brotli and gzip copies.
log "naming the static files after their content: $("$BIN" assets "$PKG")"

log "site built into $PKG:"
ls -l "$PKG" >&2
