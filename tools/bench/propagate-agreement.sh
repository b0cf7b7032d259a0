#!/usr/bin/env bash
# Larger-N agreement of `condense propagate`'s predictions with simulation (not a test; see tools/bench/README.md).
# Builds condense in release, runs each setup with many networks and prints, per model, the largest |z| and the row
# at the last hidden layer; then the simulation's speed on 1 and 2 worker threads (the ratio is the reference).
# BENCH_SCRATCH=.build-x adds a --scratch-path. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(tools/bench/release-bin.sh 2>/dev/null)

summarise() {  # stdin: propagate --json; $1: a title
  /usr/bin/python3 tools/bench/propagate_summary.py "$1"
}

run() {  # $1 title, rest: propagate arguments
  local title=$1; shift
  "$bin" propagate --json "$@" | summarise "$title"
}

run "ReLU He 784-100x10-10, θ₀ = π/2, N = 2000" --widths 784,$(printf '100,%.0s' {1..10})10 --simulate 2000 --seed 1
run "ReLU He 784-15x30-10 (narrow), θ₀ = π/2, N = 2000" --preset 15x30 --simulate 2000 --seed 2
run "ReLU He 20-256x16-10, θ₀ = 0.1 (small angle), N = 1000" --widths 20,$(printf '256,%.0s' {1..16})10 --theta0 0.1 --simulate 1000 --seed 3
run "leaky_relu(0.2) he_normal, bias std 0.3, 50-1000x5-10, θ₀ = 1, N = 300" --widths 50,1000,1000,1000,1000,1000,10 --activation 'leaky_relu(0.2)' --bias-std 0.3 --theta0 1 --simulate 300 --seed 4
if "$bin" propagate --widths 10,20,5 --kappa=-0.5 >/dev/null 2>&1; then
  for k in -1 -0.5 -0.1; do
    run "anti_correlated(kappa=$k), 100-400x10-10, θ₀ = π/3, N = 200" --widths 100,$(printf '400,%.0s' {1..10})10 --kappa="$k" --theta0 1.0471975512 --simulate 200 --seed 5
  done
else
  echo "## anti-correlated: the anti_correlated initializer is not in this build (skipped)"
fi
echo "## Lyapunov preset (deep narrow leaky_relu(0.1), depth 100), N = 4000"
"$bin" propagate --preset lyapunov --simulate 4000 --seed 6
echo "## Degeneracy preset, N = 1000"
"$bin" propagate --preset degeneracy --simulate 1000 --seed 7

echo "## Simulation speed: 784-100x10-10, N = 4000 (seconds, min of 2)"
t() { local best=""; for _ in 1 2; do local s e; s=$(date +%s.%N); "$bin" propagate --widths 784,$(printf '100,%.0s' {1..10})10 --simulate 4000 --threads "$1" >/dev/null; e=$(date +%s.%N); local d; d=$(echo "$e - $s" | bc); if [ -z "$best" ] || (( $(echo "$d < $best" | bc) )); then best=$d; fi; done; echo "$best"; }
t1=$(t 1); t2=$(t 2)
echo "  1 thread: ${t1} s   2 threads: ${t2} s   speed-up: $(echo "scale=2; $t1 / $t2" | bc)×   ($(echo "scale=1; 4000 * (784*100 + 9*100*100) / $t2 / 1000000" | bc) M weights drawn and applied per second on 2 threads)"
