#!/usr/bin/env bash
# A throwaway single-node Slurm cluster on this machine, for the Slurm executor's tests and for
# trying `--executor slurm` without a real cluster:
#
#   scripts/slurm_test_cluster.sh start DIR   # prints: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm_test_cluster.sh stop DIR    # cancels its jobs, stops its daemons, removes DIR
#
# Needs root (slurmctld and slurmd run as root, munged as the munge user) and Debian's
# `slurm-wlm` and `munge`, which scripts/setup.sh installs when they are missing. Everything the
# cluster writes (config, munge key and socket, state, spool, logs) lives in DIR, and its ports
# are picked free, so it touches no system service and two clusters can run side by side.
# Exit status 3 with a one-line reason on stderr means Slurm cannot start here.
set -euo pipefail
cd "$(dirname "$0")/.."

command="${1:-}"
dir="${2:-}"
if [[ -z "$dir" || ( "$command" != start && "$command" != stop ) ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

cannot() {
  echo "Slurm cannot start here: $*" >&2
  exit 3
}

# Stops one daemon of this cluster by the pid its pid file names, and waits for it to go.
stop_pid_file() {
  local file="$1"
  [[ -f "$file" ]] || return 0
  local pid
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

if [[ "$command" == stop ]]; then
  if [[ -f "$dir/slurm.conf" ]]; then
    export SLURM_CONF="$dir/slurm.conf"
    # Jobs first (their processes are the cluster's, not the system's), then the daemons.
    jobs="$(squeue -h -o %i 2>/dev/null || true)"
    if [[ -n "$jobs" ]]; then
      # shellcheck disable=SC2086
      scancel --full $jobs 2>/dev/null || true
      for _ in $(seq 50); do
        [[ -z "$(squeue -h -o %i 2>/dev/null || true)" ]] && break
        sleep 0.2
      done
    fi
  fi
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munge/munged.pid"
  rm -rf "$dir"
  exit 0
fi

[[ "$(id -u)" -eq 0 ]] || cannot "the test cluster's daemons must be started as root (current user: $(id -un))"
missing() {
  for tool in munged slurmctld slurmd sbatch squeue scancel sinfo; do
    command -v "$tool" >/dev/null 2>&1 || return 0
  done
  return 1
}
if missing; then
  bash scripts/setup.sh >&2 || cannot "scripts/setup.sh could not install slurm-wlm and munge"
  missing && cannot "slurm-wlm or munge is not installed and scripts/setup.sh did not install it"
fi
id munge >/dev/null 2>&1 || cannot "there is no 'munge' user (the munge package creates it)"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# munged checks that its folder is not writable by others and that its key is private.
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 755 "$dir"
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chown -R munge:munge "$dir/munge"
chmod 755 "$dir/munge"
chmod 600 "$dir/munge/munge.key"
# A private socket: no /run/munge needed, and the system's munged (if any) is left alone.
runuser -u munge -- munged \
  --socket="$dir/munge/socket" \
  --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" \
  --seed-file="$dir/munge/munged.seed" \
  --log-file="$dir/munge/munged.log" ||
  cannot "munged did not start: $(tail -n 1 "$dir/munge/munged.log" 2>/dev/null)"

# Two free TCP ports: a refused connection means nothing listens there.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  cannot "no free TCP port found"
}
ctld_port="$(free_port)"
slurmd_port="$(free_port)"
while [[ "$slurmd_port" == "$ctld_port" ]]; do slurmd_port="$(free_port)"; done

host="$(hostname -s)"
cpus="$(nproc)"
memory="$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)"
cat >"$dir/slurm.conf" <<EOF
# Written by scripts/slurm_test_cluster.sh: a throwaway single-node cluster.
ClusterName=cnnlab-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmdTimeout=20
KillWait=10
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
GresTypes=gpu
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory Gres=gpu:1 State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
PartitionName=light Nodes=ALL MaxTime=INFINITE State=UP
EOF
# A GPU the node claims, backed by /dev/null (Slurm drops a GPU without a device file): enough
# to check that jobs ask for it (--gres=gpu:1); nothing computes on it.
echo "NodeName=$host Name=gpu File=/dev/null" >"$dir/gres.conf"

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF" || cannot "slurmctld did not start: $(tail -n 2 "$dir/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" || cannot "slurmd did not start: $(tail -n 2 "$dir/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 100); do
  state="$(sinfo -h -N -o %T 2>/dev/null | head -n 1)"
  [[ "$state" == idle || "$state" == inval* || "$state" == drain* ]] && break
  sleep 0.2
done
if [[ "$state" != idle ]]; then
  reason="the node did not come up (state '${state:-unknown}'): $(tail -n 2 "$dir/log/slurmd.log" 2>/dev/null)"
  [[ -n "${CNNLAB_KEEP_CLUSTER:-}" ]] || "$0" stop "$dir" || true
  cannot "$reason"
fi
echo "export SLURM_CONF=$SLURM_CONF"
