#!/usr/bin/env bash
# Snapshot cost of two condense binaries, paired (e.g. before and after a change to the run writer): the default
# 5-50-1 tanh run with --snapshots every:10 against every:1000, --n-test 0, one thread; each repeat runs the two
# binaries alternately in ABBA order, so that a steady change of load hits both alike.
# Usage: tools/bench/snapshot-cost-pair.sh BASE_BIN NEW_BIN STEPS REPEATS   (e.g. 200000 5)
# Prints per repeat and binary: wall ms of every:10 and every:1000 (each the mean of its ABBA pair), their
# difference and the relative cost of the extra snapshots. Not part of the test suite.
base=$1 new=$2 steps=$3 reps=$4
export OPENBLAS_NUM_THREADS=1
d=$(mktemp -d)
ms() { date +%s%N; }
one() { local b=$1 s=$2 t0 t1; t0=$(ms); "$b" train --steps "$steps" --snapshots "$s" --n-test 0 --threads 1 -q -o "$d/r.h5" --force || echo FAIL >&2; t1=$(ms); echo $(( (t1 - t0) / 1000000 )); }
echo "repeat bin every10_ms every1000_ms extra_ms cost_pct"
for r in $(seq "$reps"); do
  order=(base new new base); [ $((r % 2)) = 0 ] && order=(new base base new)
  declare -A a10=() a1000=()
  for who in "${order[@]}"; do
    b=$base; [ "$who" = new ] && b=$new
    x=$(one "$b" every:10); y=$(one "$b" every:1000)
    a10[$who]=$(( ${a10[$who]:-0} + x )); a1000[$who]=$(( ${a1000[$who]:-0} + y ))
  done
  for who in base new; do
    t10=$(( a10[$who] / 2 )); t1000=$(( a1000[$who] / 2 ))
    echo "$r $who $t10 $t1000 $(( t10 - t1000 )) $(awk -v a=$t10 -v b=$t1000 'BEGIN{printf "%.1f", 100*(a-b)/b}')"
  done
done
rm -rf "$d"
