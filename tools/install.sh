#!/usr/bin/env bash
# Puts `condense` on the PATH: builds the relocatable bundle (tools/bundle.sh: Swift's runtime linked in, HDF5 and
# OpenBLAS beside it) into PREFIX/lib/condense and links PREFIX/bin/condense to it.
#   tools/install.sh            # PREFIX = ~/.local (on most distributions already on the PATH)
#   tools/install.sh /usr/local # system-wide (root)
# Installing again replaces the previous installation; `rm -r PREFIX/lib/condense PREFIX/bin/condense` removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-$HOME/.local}
mkdir -p "$prefix/bin" "$prefix/lib"
prefix=$(cd "$prefix" && pwd)
staging="$prefix/lib/.condense-new"
tools/bundle.sh "$staging"
rm -rf "$prefix/lib/condense"
mv "$staging" "$prefix/lib/condense"
ln -sfn "../lib/condense/bin/condense" "$prefix/bin/condense"
echo "installed: $prefix/bin/condense -> $("$prefix/bin/condense" --version)"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add it to your PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
