#!/usr/bin/env bash
# Creates (on first use) the virtual environment for condense's Python tools and prints its python's path.
#   PY=$(tools/python/venv.sh) && PYTHONPATH=tools/python "$PY" -m condense plot ...
# The environment is .venv-python/ at the repository root (gitignored), with tools/python/requirements.txt from
# PyPI. It is rebuilt when requirements.txt changes (a hash of it is kept in the venv). PYTHON picks the base
# interpreter (default /usr/bin/python3, Debian's, with python3-venv from tools/install-deps.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${CONDENSE_VENV:-$root/.venv-python}"
requirements="$here/requirements.txt"
base="${PYTHON:-/usr/bin/python3}"
[ -x "$base" ] || base="$(command -v python3)"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "python tools: creating $venv from $requirements (once)" >&2
    rm -rf "$venv"
    "$base" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet -r "$requirements" >&2
    echo "$want" >"$stamp"
fi
echo "$venv/bin/python"
