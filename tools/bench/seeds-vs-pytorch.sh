#!/usr/bin/env bash
# Many seeds in one process (condense train --seeds) against separate processes and PyTorch, one network at a time
# and batched over networks: prints each goal with its ratio and met / not met and appends the results to
# tools/bench/results.md. Not part of the test suite.
#
# Environment: SEEDS (networks, default 16), STEPS (steps per network for the throughput, comma-separated, default 100,10000),
# BENCH_REPEATS (default 3), BENCH_SCRATCH (a --scratch-path for swift build), PYTHON, TORCH_SPEC (torch-venv.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="$("$here/torch-venv.sh")"
cd "$root"
bin="$("$here/release-bin.sh")"
exec "$py" "$here/seeds_bench.py" --condense "$bin" --python "$py" \
    --seeds "${SEEDS:-16}" --steps "${STEPS:-100,10000}" --repeats "${BENCH_REPEATS:-3}"
