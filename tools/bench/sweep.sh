#!/usr/bin/env bash
# Sweep runner speed (release build, this machine): throughput of `condense sweep run --jobs 2` against
# `--jobs 1` on the paper's small network (5-50-1 tanh, 80 points, Adam; goal ≥ 1.8×), and the per-run overhead
# of the runner (goal < 50 ms): a sweep of 0-step runs (process start, run-file create/close, records) against
# the same `condense train` commands run directly one after another. Prints the ratios; not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release $(tools/release-flags.sh) >/dev/null
C=$PWD/.build/release/condense
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
RUNS=${RUNS:-16}
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $* }"; }

cat > "$T/work.json" <<JSON
{"name": "bench", "options": {"steps": ${STEPS:-10000}, "snapshots": "log:50"}, "seeds": $RUNS}
JSON
cat > "$T/empty.json" <<JSON
{"name": "overhead", "options": {"steps": 0}, "seeds": $RUNS}
JSON

wall() {  # wall <sweep file> <jobs>: plan into a fresh directory, time `sweep run`
  rm -rf "$T/sw"; "$C" sweep plan "$1" -o "$T/sw" >/dev/null
  local t0; t0=$(now); "$C" sweep run "$T/sw" --jobs "$2" >/dev/null; calc "$(now) - $t0"
}
one=$(wall "$T/work.json" 1); two=$(wall "$T/work.json" 2)
one_b=$(wall "$T/work.json" 1); two_b=$(wall "$T/work.json" 2)
best1=$(calc "($one < $one_b) ? $one : $one_b"); best2=$(calc "($two < $two_b) ? $two : $two_b")
printf 'throughput: %d runs of 5-50-1 tanh x %d steps: 1 worker %.2f s, 2 workers %.2f s (best of 2): %.2fx (goal >= 1.8x)\n' \
  "$RUNS" "${STEPS:-10000}" "$best1" "$best2" "$(calc "$best1 / $best2")"

sweep0=$(wall "$T/empty.json" 1)
t0=$(now)
for s in $(seq 1 "$RUNS"); do
  OPENBLAS_NUM_THREADS=1 "$C" train --steps 0 --seed "$s" --threads 1 -q -o "$T/direct.h5" --force
done
direct=$(calc "$(now) - $t0")
printf 'per run, 0 steps: via sweep run %.1f ms, direct condense train %.1f ms: runner overhead %.1f ms (goal < 50 ms)\n' \
  "$(calc "1000 * $sweep0 / $RUNS")" "$(calc "1000 * $direct / $RUNS")" "$(calc "1000 * ($sweep0 - $direct) / $RUNS")"
