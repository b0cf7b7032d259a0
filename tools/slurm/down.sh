#!/usr/bin/env bash
# Tears down what tools/slurm/up.sh started: cancels every job, stops slurmd, slurmctld and (if up.sh started
# it) munged by their pid files only, and removes $SLURM_DIR.
set -uo pipefail
D=${SLURM_DIR:-/tmp/condense-slurm}
export SLURM_CONF=$D/slurm.conf
if [ -f "$SLURM_CONF" ] && command -v squeue >/dev/null; then
  squeue -h -o %A 2>/dev/null | xargs -r scancel 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
fi
pids=$(cat "$D/run/slurmd.pid" "$D/run/slurmctld.pid" "$D/run/munged.pid" 2>/dev/null || true)
live=""
for p in $pids; do kill -0 "$p" 2>/dev/null && live="$live $p"; done
[ -n "$live" ] && kill $live 2>/dev/null || true
for p in $live; do
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true        # a slurmd stuck in DNS retries ignores TERM
done
rm -rf "$D"
echo "slurm down"
