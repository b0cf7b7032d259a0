#!/usr/bin/env bash
# Whether stacking many networks' first-layer products (shared inputs) keeps each network's bits and saves time,
# with the system OpenBLAS condense links (tools/bench/stacked/StackedProducts.swift, compiled against the
# package's CBLAS module). Exit 1 if any bit differs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swiftc -O -I "$here/../../Sources/CBLAS" "$here/stacked/StackedProducts.swift" -o "$out/stacked"
OPENBLAS_NUM_THREADS=1 "$out/stacked"
