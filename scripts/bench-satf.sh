#!/usr/bin/env bash
# GA-SATF: the Rust demo against the numpy reference (shared/reference/satf_ref.py)
# on the same data, HR@10 agreement and fit-time ratio, then the
# MovieLens-1M-sized run (fit time, whole demo, peak memory). Not a test: the
# figures are written down in docs/benchmarks.md.
#
#   scripts/bench-satf.sh
#   SATF_REF=/path/to/satf_ref.py scripts/bench-satf.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAPERCLUB_ROOT"

export SATF_REF="${SATF_REF:-$PAPERCLUB_ROOT/../shared/reference/satf_ref.py}"
VENV="$PAPERCLUB_CACHE/pyref"
if [ -f "$SATF_REF" ]; then
  if ! "$VENV/bin/python" -c 'import numpy, scipy' 2>/dev/null; then
    log "installing numpy and scipy into $VENV (once)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q numpy scipy
  fi
  export PYTHON="$VENV/bin/python"
else
  log "no reference at $SATF_REF: measuring the Rust side only"
  unset SATF_REF
fi
cargo bench -p paperclub-demos --bench satf
