#!/usr/bin/env bash
# Runs a real one-node Slurm 22.05 cluster (Debian's slurm-wlm + munge) out of one folder, so the
# end-to-end tests can submit job arrays through the real sbatch. Needs root; no systemd needed.
#
# Usage: Scripts/slurm-local.sh start DIR     eval "$(Scripts/slurm-local.sh start DIR)"
#        Scripts/slurm-local.sh stop DIR      stops the daemons and waits until they are gone
#        Scripts/slurm-local.sh status DIR    exit 0 when the cluster in DIR runs, 3 when not
#
# start installs slurm-wlm and munge with apt-get when missing, writes the munge key and
# DIR/slurm.conf, starts munged, slurmctld and slurmd (pid, log, state and spool files all under DIR),
# waits until the node is idle and prints `export SLURM_CONF=DIR/slurm.conf`, the only thing on
# stdout. Already running: it only prints that line. Finished jobs are in DIR/jobcomp.txt (no sacct).
#
# Env: SLURM_MAX_ARRAY_SIZE (default: Slurm's own, 1001; N allows array indices 0..N-1)
#      SLURM_PORT=6817 (slurmctld's port; slurmd takes the next one: two clusters need two ports)
#      SLURM_START_TIMEOUT=60 (seconds)
set -euo pipefail

usage() { sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -eq 2 && $1 =~ ^(start|stop|status)$ ]] || usage
cmd=$1
[[ $2 != *[[:space:]]* ]] || { echo "slurm-local: DIR must not contain spaces (slurm.conf paths)" >&2; exit 2; }
if [[ ! -d $2 ]]; then
  [[ $cmd == start ]] || { echo "slurm-local: not running: $2" >&2; [[ $cmd == stop ]] && exit 0; exit 3; }
  mkdir -p "$2"
fi
DIR=$(cd "$2" && pwd)
CONF=$DIR/slurm.conf
DAEMONS=(slurmd slurmctld munged)   # stop order; start is the reverse

log() { echo "slurm-local: $*" >&2; }
die() { log "$*"; exit 1; }

# A failed start stops what it started, so a CI retry begins clean.
abort_start() { tails; stop_all; die "$*"; }

pidfile() { echo "$DIR/run/$1.pid"; }

# A pid counts only when it is still the daemon named in its pid file (not a reused pid) and one of
# its threads is not a zombie: the daemons' parent (init here) may never reap them, and a daemon
# shutting down can show a zombie main thread while its other threads still work.
alive() { local pid; pid=$(cat "$(pidfile "$1")" 2>/dev/null) && pid_alive "$1" "$pid"; }

pid_alive() {  # NAME PID
  local pid=$2 t stat
  [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == "$1" ]] || return 1
  for t in /proc/"$pid"/task/*/stat; do
    stat=$(cat "$t" 2>/dev/null) || continue
    stat=${stat##*) }
    [[ ${stat%% *} == [ZX] ]] || return 0
  done
  return 1
}

running() { local d; for d in "${DAEMONS[@]}"; do alive "$d" || return 1; done; }

tails() {
  local f
  for f in "$DIR"/log/*.log; do
    [[ -f $f ]] && { echo "---- $f (last 15 lines)"; tail -n 15 "$f"; }
  done >&2
}

install_packages() {
  local need=() p
  for p in slurm-wlm munge; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == *' ok installed' ]] || need+=("$p")
  done
  [[ ${#need[@]} -eq 0 ]] && return 0
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep apt from starting the system's own munged/slurmd with /etc defaults (no-op where a
  # policy-rc.d exists already, as in Docker images).
  local policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
    trap 'rm -f '"$policy" EXIT
  fi
  local updated=0
  if ! apt-cache show "${need[@]}" >/dev/null 2>&1; then apt-get update -qq >&2; updated=1; fi
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    # Stale package lists (404s) are the usual cause: update once and retry.
    [[ $updated -eq 0 ]] || die "apt-get install ${need[*]} failed"
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || die "apt-get install ${need[*]} failed"
  fi
  if [[ -n $(trap -p EXIT) ]]; then rm -f "$policy"; trap - EXIT; fi
}

write_config() {
  local host node
  # slurmd finds its node by the short host name; the address is pinned to 127.0.0.1 so that a
  # host name that does not resolve (CI machines) does not matter.
  host=$(hostname -s)
  node=$(slurmd -C | grep '^NodeName=') || die "slurmd -C printed no NodeName line"
  [[ $node == "NodeName=$host "* ]] || die "slurmd -C names the node '${node%% *}', hostname -s says '$host'"
  cat >"$CONF" <<EOF
# Written by Scripts/slurm-local.sh; rewritten at every start.
ClusterName=local
SlurmctldPort=${SLURM_PORT:-6817}
SlurmdPort=$(( ${SLURM_PORT:-6817} + 1 ))
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket.2
MpiDefault=none
# The default, /bin/mail, is not installed: slurmctld would log an error at every start.
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.txt
SchedulerType=sched/backfill
# Without it each wave of array tasks waits ~3 s.
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$(pidfile slurmctld)
SlurmdPidFile=$(pidfile slurmd)
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
EOF
  [[ -n ${SLURM_MAX_ARRAY_SIZE:-} ]] && echo "MaxArraySize=$SLURM_MAX_ARRAY_SIZE" >>"$CONF"
  cat >>"$CONF" <<EOF
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  install -d -m 755 "$DIR/munge"
  if [[ ! -s $DIR/munge/munge.key ]]; then
    dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 400 "$DIR/munge/munge.key"
  munged --key-file "$DIR/munge/munge.key" --socket "$DIR/munge/munge.socket.2" \
    --pid-file "$(pidfile munged)" --log-file "$DIR/log/munged.log" \
    --seed-file "$DIR/munge/munged.seed" </dev/null >>"$DIR/log/daemons.out" 2>&1 ||
    abort_start "munged did not start"
}

start() {
  [[ $(id -u) -eq 0 ]] || die "needs root (slurmd runs jobs as their user)"
  if running; then
    log "already running in $DIR"
    echo "export SLURM_CONF=$CONF"
    return 0
  fi
  stop_all   # whatever half of an earlier cluster is left
  install_packages
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/state" "$DIR/spool"
  write_config
  export SLURM_CONF=$CONF
  local t0=$SECONDS timeout=${SLURM_START_TIMEOUT:-60} d
  start_munge
  local ctld_log=$DIR/log/slurmctld.log from
  from=$(( $(stat -c %s "$ctld_log" 2>/dev/null || echo 0) + 1 ))
  # The daemons' output goes to a file: an inherited stdout would keep $(slurm-local.sh start) open.
  slurmctld -f "$CONF" </dev/null >>"$DIR/log/daemons.out" 2>&1 || abort_start "slurmctld did not start"
  slurmd -f "$CONF" </dev/null >>"$DIR/log/daemons.out" 2>&1 || abort_start "slurmd did not start"
  # The forked daemons write their pid files a moment after the commands return.
  for d in munged slurmctld slurmd; do
    until [[ -s $(pidfile "$d") ]]; do
      (( SECONDS - t0 < 10 )) || abort_start "$d wrote no pid file (logs above)"
      sleep 0.05
    done
  done
  # Ready = ping UP, the node idle, and the scheduler's first pass done: slurmctld schedules
  # nothing for ~3 s after it starts, and logs its SchedulerParameters at that first pass.
  until [[ $(scontrol ping 2>/dev/null) == *'is UP'* &&
           $(sinfo -h -N -o '%t' 2>/dev/null) == idle &&
           $(tail -c "+$from" "$ctld_log") == *SchedulerParameters=* ]]; do
    for d in munged slurmctld slurmd; do
      alive "$d" || abort_start "$d died (logs above)"
    done
    if (( SECONDS - t0 >= timeout )); then
      { scontrol ping; sinfo -N -l; } >&2 2>&1 || true
      abort_start "cluster in $DIR not ready after ${timeout}s (logs above)"
    fi
    sleep 0.2
  done
  log "ready in $((SECONDS - t0)) s: $DIR"
  echo "export SLURM_CONF=$CONF"
}

stop_one() {
  local d=$1 pid i
  alive "$d" || { rm -f "$(pidfile "$d")"; return 0; }
  # Watch the pid, not the pid file: slurmctld deletes its pid file before it has finished.
  pid=$(cat "$(pidfile "$d")")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do pid_alive "$d" "$pid" || break; sleep 0.05; done
  if pid_alive "$d" "$pid"; then
    log "$d ($pid) ignored SIGTERM for 15 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do pid_alive "$d" "$pid" || break; sleep 0.05; done
    pid_alive "$d" "$pid" && die "$d ($pid) is still alive"
  fi
  rm -f "$(pidfile "$d")"
}

stop_all() {
  # Cancel the jobs first: slurmstepd and the job's processes outlive slurmd otherwise.
  if alive slurmctld && alive slurmd; then
    SLURM_CONF=$CONF scancel --full --user="$(id -un)" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
      [[ -z $(SLURM_CONF=$CONF squeue -h -t R,CG 2>/dev/null) ]] && break
      sleep 0.2
    done
  fi
  local d
  for d in "${DAEMONS[@]}"; do stop_one "$d"; done
}

case $cmd in
  start) start ;;
  stop) stop_all; log "stopped: $DIR" ;;
  status)
    if running; then log "running: $DIR"; exit 0; fi
    for d in "${DAEMONS[@]}"; do alive "$d" && log "$d alone is running in $DIR"; done
    log "not running: $DIR"; exit 3 ;;
  *) usage ;;
esac
