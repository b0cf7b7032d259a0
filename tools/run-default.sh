#!/usr/bin/env bash
# The main job on the built-in default experiment: install what is missing, build condense (release), train the
# paper's 5-D tanh experiment (5-50-1, N(0, 0.005²), Adam 1e-3, 100 steps), then count its condensed
# orientations per snapshot against 2p and print the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
flags=$(tools/release-flags.sh)
swift build -c release --product condense $flags >&2
bin="$(swift build -c release --show-bin-path $flags)/condense"
out="${1:-default-run.h5}"
"$bin" train -o "$out" --force
"$bin" analyze "$out"
