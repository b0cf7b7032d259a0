#!/usr/bin/env bash
# Prints the extra `swift build` flags for a release build on this machine: on x86-64 CPUs with AVX2 and FMA,
# compile for this very CPU (`-target-cpu native`: AVX2, or AVX-512 where the CPU has it). Swift does not contract
# a·b+c into FMA, so IEEE results are unchanged whatever the vector width (checked: 3000-step 5-50-1 runs built for
# haswell and for this Zen 4 CPU have equal weights and losses); only wider vectors are used. Measured on the
# 5-50-1 benchmark: portable 0.025 → haswell 0.016 ms/step (Zen 1), and on Zen 4 haswell 0.0165-0.018 → native
# (AVX-512) 0.0140-0.0151 ms/step in six interleaved pairs. The binary is for the machine that built it; elsewhere
# this prints nothing and the build is portable.
if [ "$(uname -m)" = "x86_64" ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  echo "-Xswiftc -target-cpu -Xswiftc native"
fi
