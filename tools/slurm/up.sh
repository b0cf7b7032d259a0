#!/usr/bin/env bash
# Stands up a real single-node Slurm on localhost (munge, slurmctld, slurmd) for tests and local trials, as
# root without systemd (why each setting: tools/slurm/README.md). State, logs and slurm.conf live in
# $SLURM_DIR (default /tmp/condense-slurm); callers must `export SLURM_CONF=$SLURM_DIR/slurm.conf`.
# Installs slurmctld slurmd slurm-client munge with apt when missing. Tear down with tools/slurm/down.sh.
set -euo pipefail
D=${SLURM_DIR:-/tmp/condense-slurm}
export SLURM_CONF=$D/slurm.conf
[ "$(id -u)" -eq 0 ] || { echo "up.sh: slurmd must run as root" >&2; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
if [ -s "$D/run/slurmctld.pid" ] && kill -0 "$(cat "$D/run/slurmctld.pid")" 2>/dev/null; then
  echo "up.sh: a slurmctld from $D is already running; run tools/slurm/down.sh first" >&2; exit 1
fi
mkdir -p "$D"/{state,spool,log,run}
# munge: run as the munge user (root fails on the ownership of /var/lib/munge); skip when one already answers.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || runuser -u munge -- /usr/sbin/mungekey --create
  install -d -o munge -g munge -m 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged </dev/null >/dev/null 2>&1   # never hold the caller's pipes
  cp /run/munge/munged.pid "$D/run/munged.pid"          # ours to stop in down.sh
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null
fi
HOST=$(hostname -s)
HW=$(slurmd -C | head -1 | cut -d' ' -f2-)                 # the node line from the real hardware
cat > "$SLURM_CONF" <<CONF
ClusterName=condense
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 $HW State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
if timeout 5 scontrol ping 2>/dev/null | grep -q UP; then
  echo "up.sh: another slurmctld already answers on $HOST (ports 6817/6818); stop it first" >&2; exit 1
fi
slurmctld -f "$SLURM_CONF" </dev/null >/dev/null 2>&1
slurmd -f "$SLURM_CONF" </dev/null >/dev/null 2>&1
st=""
for _ in $(seq 150); do
  st=$(sinfo -h -n "$HOST" -o %t 2>/dev/null || true)
  [ "$st" = idle ] && break
  case $st in inval*|drain*) sinfo -R >&2; tail -n 20 "$D"/log/*.log >&2; exit 1;; esac
  sleep 0.1
done
[ "$st" = idle ] || { echo "up.sh: node never became idle (state '$st')" >&2; tail -n 20 "$D"/log/*.log >&2; exit 1; }
echo "slurm up: export SLURM_CONF=$SLURM_CONF"
