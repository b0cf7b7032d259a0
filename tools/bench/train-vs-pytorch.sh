#!/usr/bin/env bash
# condense train vs a PyTorch reference of the same recipe: time per step, ratio, snapshot cost.
# Installs torch + numpy into tools/bench/.venv (once), builds condense in release, runs tools/bench/bench.py,
# prints a markdown table and writes it to tools/bench/results.md. Not part of the test suite.
#
# Environment: BENCH_SECONDS (timed seconds per measurement, default 2), BENCH_REPEATS (condense pairs, default 3),
# BENCH_SCRATCH (a --scratch-path for swift build), PYTHON (interpreter for the venv, default python3),
# TORCH_SPEC (what pip installs for torch; default: a CPU-only torch wheel from pip's find-links if one is there,
# else "torch" from PyPI).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# 1. torch and numpy in a virtual environment, only if not already there.
py="$("$here/torch-venv.sh")"   # torch and numpy in tools/bench/.venv, made once

# 2. condense in release.
cd "$root"
bin="$("$here/release-bin.sh")"

# 3. Measure.
exec "$py" "$here/bench.py" --condense "$bin" --python "$py" \
    --seconds "${BENCH_SECONDS:-2}" --repeats "${BENCH_REPEATS:-3}"
