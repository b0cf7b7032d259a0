#!/usr/bin/env bash
# One epoch of 784-30-1 on the 60 000 Fashion-MNIST images (mini-batch 128, Adam, Float64): condense train against
# PyTorch in the same run (tools/bench/epoch_bench.py); prints JSON with the ratio PyTorch time / condense time and
# the goal (≥ 2). Uses the benchmarks' torch venv (tools/bench/torch-venv.sh, tools/bench/.venv)
# and needs dataset-fashion-mnist (tools/install-deps.sh). Not part of the test suite.
#
# Environment: BENCH_THREADS (default 1), BENCH_REPEATS (default 3), BENCH_SCRATCH (a --scratch-path for swift
# build), PYTHON, TORCH_SPEC as for train-vs-pytorch.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || {
    echo "bench: dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)" >&2; exit 1; }

py="$("$here/torch-venv.sh")"   # torch and numpy in tools/bench/.venv, made once

cd "$root"
bin="$("$here/release-bin.sh")"
exec "$py" "$here/epoch_bench.py" --condense "$bin" --threads "${BENCH_THREADS:-1}" \
    --repeats "${BENCH_REPEATS:-3}"
