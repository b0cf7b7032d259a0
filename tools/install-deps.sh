#!/usr/bin/env bash
# Installs the Debian packages condense needs to build and test: HDF5 (with the high-level library for
# dimension scales) and its tools, OpenBLAS + LAPACKE, pkg-config, and for the tests h5py/xarray/h5netcdf for the
# system python, python3-venv (tools/python/venv.sh makes the venv of the Python tools), netcdf-bin (ncdump), and
# Slurm + munge (the sweep job-array integration test stands up a single-node Slurm), zlib (gzip IDX files, .npz),
# and dataset-fashion-mnist (`condense train --dataset fashion-mnist`; the stand-in for MNIST, which no package ships).
# Idempotent: does nothing when everything is present.
set -euo pipefail
packages=(pkg-config libhdf5-dev hdf5-tools libopenblas-dev liblapacke-dev python3-h5py python3-xarray python3-h5netcdf
          python3-venv netcdf-bin slurmctld slurmd slurm-client munge zlib1g-dev dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
