#!/usr/bin/env bash
# Orientation-clustering benchmark: builds cluster-runner (release), makes a private venv with
# numpy + scikit-learn from PyPI, and runs bench.py. Extra arguments go to bench.py
# (e.g. --quick for a small smoke run). Results: results.json next to this script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
swift build -c release --package-path runner --scratch-path "$here/.build" >&2
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet numpy scikit-learn
fi
exec .venv/bin/python bench.py --runner "$here/.build/release/cluster-runner" "$@"
