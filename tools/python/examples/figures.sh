#!/usr/bin/env bash
# Draws every figure kind of `python -m condense plot` once, from the example runs in notebooks-data/, a few small
# runs and sweeps, a `condense reproduce` directory, compare-init and propagate output: the gallery that
# tools/python/README.md ("Every figure, with the command that makes it") lists. Run from the repository root:
#   tools/python/examples/figures.sh [OUT]        (default OUT: figures-gallery; condense: $CONDENSE or the release
#                                                  build, then the debug build)
set -euo pipefail
OUT=${1:-figures-gallery}
C=${CONDENSE:-$( [ -x .build/release/condense ] && echo .build/release/condense || echo .build/debug/condense )}
PY=$(tools/python/venv.sh)
P() { PYTHONPATH=tools/python MPLBACKEND=Agg "$PY" -m condense plot "$@"; }
EX=notebooks-data
mkdir -p "$OUT"

# The example runs (1-50-1 tanh and x·tanh x on sin1d, 5-50-1 tanh; format 1.0, analyzed).
P loss      $EX/tanh-1d.h5 --logx                 -o "$OUT/loss.png"
P heatmap   $EX/xtanh-1d.h5 --steps 0,20,300      -o "$OUT/heatmap.png"
P heatmap   $EX/paper-tanh-5d.h5 --steps 0,50,100 -o "$OUT/heatmap-5d.png"
P count     $EX/xtanh-1d.h5 --logx                -o "$OUT/count.png"
P polar     $EX/xtanh-1d.h5 --steps 0,20,300      -o "$OUT/polar.png"
P evolution $EX/tanh-1d.h5                        -o "$OUT/evolution.png"
P output    $EX/xtanh-1d.h5 --steps 20,300        -o "$OUT/output.png"
P field     $EX/tanh-1d.h5 --steps 20             -o "$OUT/field.png"

# Two hidden layers (P1 Fig. 3's panels, counts of several layers) and one 1000-wide layer (block view).
$C train --target teacher --input-dim 3 --hidden 12,8 --activation xtanh --activation tanh --steps 300 \
  --snapshots log:20 --seed 5 -q --force -o "$OUT/deep.h5"
$C analyze "$OUT/deep.h5" > /dev/null
P layers    "$OUT/deep.h5" --snapshots 0,10,-1    -o "$OUT/layers.png"
P count     "$OUT/deep.h5" --logx                 -o "$OUT/count-layers.png"
$C train --target sin1d --hidden 1000 --steps 200 --snapshots every:50 --seed 1 -q --force -o "$OUT/wide.h5"
$C analyze "$OUT/wide.h5" > /dev/null
P heatmap   "$OUT/wide.h5" --steps 0,200          -o "$OUT/heatmap-wide.png"

# A small phase-diagram sweep (γ × γ′ × width, two-layer ReLU): P2 Figs. 3 and 4.
rm -rf "$OUT/sw-small"
$C sweep plan tools/python/examples/sw-small.json -o "$OUT/sw-small" > /dev/null
$C sweep run "$OUT/sw-small" > /dev/null
$C sweep collect "$OUT/sw-small" > /dev/null
P rd-fit    "$OUT/sw-small"                       -o "$OUT/rd-fit.png"
P sw-map    "$OUT/sw-small"                       -o "$OUT/sw-map.png"

# The activation × seed grid (P1 Fig. 2): from a sweep, and from a reproduce directory.
rm -rf "$OUT/activations"
$C sweep plan tools/python/examples/activations.json -o "$OUT/activations" > /dev/null
$C sweep run "$OUT/activations" > /dev/null
$C sweep collect "$OUT/activations" > /dev/null
P grid      "$OUT/activations"                    -o "$OUT/grid.png"
$C reproduce p1-fig2 --quick --no-figures -o "$OUT/reproduce" > /dev/null
P grid      "$OUT/reproduce" --experiment p1-fig2 -o "$OUT/grid-reproduce.png"

# compare-init and propagate.
$C compare-init --steps 300 --json > "$OUT/ci.json"
P compare-init "$OUT/ci.json"                     -o "$OUT/compare-init.png"
$C propagate --preset 100x10 --simulate 200 -o "$OUT/prop.h5" > /dev/null
P propagate "$OUT/prop.h5"                        -o "$OUT/propagate.png"
echo "figures in $OUT/"
