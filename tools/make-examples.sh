#!/usr/bin/env bash
# Regenerates the example run files in notebooks-data/ (committed, so a newcomer can plot before training):
# condense train with fixed seeds, then condense analyze into each file. Parameters are bit-identical on every run
# (same machine and BLAS thread count); only times (created_utc, wall_time) change.
#   tools/make-examples.sh            # uses CONDENSE_BIN, else builds condense (debug)
# The committed files are of format 1.0, and the tests read tanh-1d.h5 as a file of that older format
# (notebooks-data/README.md): regenerating it with a newer condense needs a copy kept for them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CONDENSE_BIN:-}" ]; then
    swift build --product condense >&2
    CONDENSE_BIN="$(swift build --show-bin-path)/condense"
fi
out=notebooks-data
mkdir -p "$out"
example() {  # name, then train options
    local name=$1; shift
    "$CONDENSE_BIN" train -q --force --threads 1 -o "$out/$name.h5" "$@"
    "$CONDENSE_BIN" analyze "$out/$name.h5" --jobs 1 | tail -n 2 | head -n 1
}
# The paper's 5-D experiment: 5-50-1 tanh, y = Σ 3.5 sin(5x_k+1), N(0, 0.005²), Adam 1e-3, 100 steps.
example paper-tanh-5d --seed 1 --snapshots every:5
# One-dimensional input (the (θ, A) figure): 1-50-1 tanh (p = 1) and x·tanh x (p = 2) on sin1d, with a test set.
example tanh-1d --seed 1 --target sin1d --hidden 50 --steps 300 --snapshots every:10 --n-test 40
example xtanh-1d --seed 1 --target sin1d --hidden 50 --activation xtanh --steps 300 --snapshots every:10 --n-test 40
ls -l "$out"/*.h5 >&2
