#!/usr/bin/env bash
# Prints the extra `swift build` flags for a release build on this machine: on x86-64 CPUs with AVX2 and FMA,
# compile for that instruction set (`-target-cpu haswell`). Measured on the 5-50-1 benchmark: 0.025 → 0.016
# ms/step with bit-identical parameters (Swift does not contract a·b+c into FMA, so IEEE results are unchanged;
# only wider vectors are used). Elsewhere it prints nothing and the build is portable.
if [ "$(uname -m)" = "x86_64" ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null; then
  echo "-Xswiftc -target-cpu -Xswiftc haswell"
fi
