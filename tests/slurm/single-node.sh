#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, started for one check and stopped again:
# the same synthesis points are swept locally and as a Slurm job array, and the two
# results.json (every point's whole report: cell counts, Fmax and critical path of each seed)
# must be identical byte for byte. docs/sweeps.md explains it; run as root from the repository:
#
#   make build && flock /tmp/bit1hw-heavy.lock tests/slurm/single-node.sh
#
# Environment: POINTS (default docs/examples/sweep-small.json, 8 points); EXPLORE_ARGS (instead of
# POINTS: run `bit1hw explore $EXPLORE_ARGS` both ways and compare points.json, points.csv and
# front.csv, e.g. "--model bitnet-b1.58-2b-4t --target xc7 --space S --synthesize 8"); WORK (default
# /tmp/bit1hw-slurm: configuration, state, logs and both sweeps), BIT1HW (default bin/bit1hw),
# SLURM_PORT (default 16817; slurmd uses the next port). Nothing under /etc is changed: the
# daemons and every client read $WORK/slurm.conf (SLURM_CONF) and talk through their own munge socket.
set -euo pipefail
cd "$(dirname "$0")/../.."
POINTS=${POINTS:-docs/examples/sweep-small.json}
WORK=${WORK:-/tmp/bit1hw-slurm}
BIT1HW=${BIT1HW:-$PWD/bin/bit1hw}
PORT=${SLURM_PORT:-16817}
NODE=$(hostname -s)
CPUS=$(nproc)

say() { echo "single-node: $*" >&2; }
[ "$(id -u)" = 0 ] || { say "run as root (the daemons and apt-get need it)"; exit 2; }
[ -x "$BIT1HW" ] || { say "$BIT1HW is missing: run make build first"; exit 2; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

rm -rf "$WORK"
mkdir -p "$WORK"/{state,spool,log,munge}
chmod 700 "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge/munge.key"
export SLURM_CONF=$WORK/slurm.conf
cat > "$SLURM_CONF" <<EOF
# Written by tests/slurm/single-node.sh: one node (this host), no cgroups, no accounting.
ClusterName=bit1hw-single
SlurmctldHost=$NODE
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$WORK/munge/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
NodeName=$NODE CPUs=$CPUS State=UNKNOWN
PartitionName=sweep Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

stop() {
  set +e
  squeue -h -o %i 2>/dev/null | xargs -r scancel 2>/dev/null
  for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munge/munged.pid"; do
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  sleep 1
  say "daemons stopped"
}
trap stop EXIT

munged --force --socket="$WORK/munge/munge.sock" --key-file="$WORK/munge/munge.key" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/munge.seed"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
say "waiting for node $NODE ($CPUS CPUs) to be idle"
for _ in $(seq 60); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || { say "node is '$state' after 60 s; see $WORK/log"; exit 1; }
sinfo

if [ -n "${EXPLORE_ARGS:-}" ]; then
  what="bit1hw explore $EXPLORE_ARGS"
  # shellcheck disable=SC2086 # the arguments are words
  run() { "$BIT1HW" explore $EXPLORE_ARGS --out "$@"; }
  files="points.json points.csv front.csv"
else
  what="the sweep of $POINTS"
  run() { "$BIT1HW" sweep --points "$POINTS" --out "$@"; }
  files="results.json results.csv"
fi

say "$what as a Slurm job array"
start=$(date +%s)
run "$WORK/slurm-run" --slurm --slurm-partition sweep
slurm_s=$(( $(date +%s) - start ))
say "$what locally on $CPUS workers"
start=$(date +%s)
run "$WORK/local-run" --workers "$CPUS"
local_s=$(( $(date +%s) - start ))

n=$(find "$WORK/slurm-run" -path '*/cache/*/report.json' | wc -l)
tasks=$(find "$WORK/slurm-run" -path '*/slurm/logs/*.log' | wc -l)
same=yes
for f in $files; do
  cmp "$WORK/slurm-run/$f" "$WORK/local-run/$f" || { same=no; diff "$WORK/slurm-run/$f" "$WORK/local-run/$f" | head -20 >&2; }
done
if [ "$same" = yes ] && [ "$n" -gt 0 ] && [ "$tasks" = "$n" ]; then
  say "PASS: $n synthesis points ran as $tasks Slurm array tasks ($slurm_s s) and locally ($local_s s); identical $files"
else
  say "FAIL: $n points, $tasks Slurm tasks; identical $files: $same"
  exit 1
fi
