#!/usr/bin/env bash
# A relocatable condense for machines without Swift (cluster nodes, where `condense sweep slurm` sends it):
#   tools/bundle.sh [DIR]        # default dist/condense; DIR/bin/condense, DIR/lib/*.so*, DIR/share/condense/commit
#   tools/bundle.sh --check DIR  # run DIR's binary with the Swift toolchain hidden (root: a private mount namespace)
# The binary links the Swift standard library and Foundation statically and finds HDF5, OpenBLAS/LAPACKE and
# their dependencies in DIR/lib through an RPATH of $ORIGIN/../lib (DT_RPATH, which also serves the libraries'
# own dependencies). glibc and the C runtime's core libraries are not bundled: the target needs glibc at least as
# new as this machine's. The build is portable (no -target-cpu native), so it is a little slower than
# tools/run-default.sh's build on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
check() {
    local dir=$1 exe="$1/bin/condense"
    [ -x "$exe" ] || { echo "bundle: no $exe" >&2; exit 2; }
    local empty; empty=$(mktemp -d)
    local swift_dir; swift_dir=$(dirname "$(dirname "$(command -v swift || echo /opt/swift/usr/bin/swift)")")
    swift_dir=$(dirname "$swift_dir")   # /opt/swift for /opt/swift/usr/bin/swift
    # The check trains and analyzes a tiny run too, from a directory outside the repository.
    local work; work=$(mktemp -d)
    local script="cd '$work' && '$exe' --version && '$exe' train -q --steps 20 -o r.h5 && '$exe' analyze r.h5 --no-write | tail -n 1"
    if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
        # Hiding the toolchain's directory proves that no Swift runtime is loaded from it.
        unshare -m bash -c "mount --bind '$empty' '$swift_dir' && env -i PATH=/usr/bin:/bin bash -c \"$script\"" 
        echo "bundle check: ran with $swift_dir hidden"
    else
        env -i PATH=/usr/bin:/bin bash -c "$script"
        echo "bundle check: ran with a clean environment (not root: the toolchain could not be hidden)"
    fi
    # Every library the binary loads must come from the bundle or from glibc's own set.
    local outside
    outside=$(env -i LD_TRACE_LOADED_OBJECTS=1 "$exe" | awk '/=>/ {print $3}' | xargs -r realpath \
        | grep -v "^$(cd "$dir/lib" && pwd -P)/" \
        | grep -vE '/(libc|libm|libdl|libpthread|librt|libresolv)\.so' || true)
    rm -rf "$empty" "$work"
    if [ -n "$outside" ]; then echo "bundle check: loaded from outside the bundle:"; echo "$outside"; exit 1; fi
    echo "bundle check: every library comes from $dir/lib or glibc"
}
if [ "${1:-}" = "--check" ]; then check "${2:?usage: tools/bundle.sh --check DIR}"; exit 0; fi
out=${1:-dist/condense}
tools/install-deps.sh
swift build -c release --product condense --static-swift-stdlib --scratch-path .build-bundle \
    -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$ORIGIN/../lib' >&2
bin=.build-bundle/release/condense
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/share/condense"
cp "$bin" "$out/bin/condense"
strip --strip-unneeded "$out/bin/condense"   # symbols are most of its size
# Every shared library the binary needs except glibc's core, with symbolic links resolved.
ldd "$bin" | awk '/=>/ {print $1, $3}' | while read -r name path; do
    case "$name" in libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|libresolv.so*|ld-linux*) continue ;; esac
    cp -L "$path" "$out/lib/$name"
done
git rev-parse HEAD > "$out/share/condense/commit" 2>/dev/null || echo unknown > "$out/share/condense/commit"
echo "bundle: $out ($(du -sh "$out" | cut -f1)); try it with tools/bundle.sh --check $out" >&2
