#!/usr/bin/env bash
# Whether stacking many networks' first-layer products (shared inputs) keeps each network's bits and saves time,
# with the system OpenBLAS condense links (tools/bench/stacked/stacked_products.c). Exit 1 if any bit differs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cc -O2 "$here/stacked/stacked_products.c" -o "$out/stacked" -lopenblas
OPENBLAS_NUM_THREADS=1 "$out/stacked"
