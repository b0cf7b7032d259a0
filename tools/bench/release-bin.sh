#!/usr/bin/env bash
# Builds the release `condense` (with tools/release-flags.sh, in $BENCH_SCRATCH when set, so a benchmark can keep
# its own build beside a developer's) and prints its path: the one build step every benchmark script shares.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
scratch=()
[ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
flags=$(tools/release-flags.sh)
# shellcheck disable=SC2086
swift build -c release --product condense "${scratch[@]}" $flags >&2
# shellcheck disable=SC2086
bin="$(swift build -c release --show-bin-path "${scratch[@]}" $flags)/condense"
[ -x "$bin" ] || { echo "bench: no condense binary at $bin" >&2; exit 1; }
echo "$bin"
