#!/usr/bin/env bash
# The benchmarks' PyTorch: makes tools/bench/.venv with torch and numpy on first use (a CPU-only torch wheel from
# pip's find-links when one is there — far smaller than PyPI's default CUDA build — else `torch` from PyPI;
# TORCH_SPEC overrides, PYTHON picks the base interpreter) and prints its python's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if ! "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
    echo "bench: installing torch and numpy into $venv (once)" >&2
    "${PYTHON:-python3}" -m venv "$venv"
    spec="${TORCH_SPEC:-}"
    if [ -z "$spec" ]; then
        pytag="$("$venv/bin/python" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
        links="${PIP_FIND_LINKS:-} $("$venv/bin/pip" config get global.find-links 2>/dev/null || true)"
        for dir in $links; do
            for whl in "$dir"/torch-*+cpu-"$pytag"-*.whl; do
                if [ -f "$whl" ]; then spec="$whl"; fi
            done
        done
        spec="${spec:-torch}"
    fi
    "$venv/bin/pip" install --quiet "$spec" numpy >&2
fi
echo "$venv/bin/python"
