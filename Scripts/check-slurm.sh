#!/usr/bin/env bash
# End-to-end check of sharded runs on a real Slurm cluster: starts a one-node cluster
# (Scripts/slurm-local.sh, arrays of at most 2 tasks so that map and write go in chunks), submits a
# 3-shard run of corpus/ through `newsmill slurm submit` with a binary that fails map task 1 once,
# sees the failure in `newsmill slurm status`, resubmits, and compares the output with a run on one
# machine. Then a clean submission, timed. Stops the cluster it started, however it ends.
#
#   Scripts/check-slurm.sh            Env: NEWSMILL=.build/debug/newsmill  WORK=/tmp/newsmill-slurm-check
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
NEWSMILL=$(realpath "${NEWSMILL:-.build/debug/newsmill}")
WORK=${WORK:-/tmp/newsmill-slurm-check}
rm -rf "$WORK" && mkdir -p "$WORK"
CLUSTER=$WORK/cluster
trap 'Scripts/slurm-local.sh stop "$CLUSTER" >&2 || true' EXIT
eval "$(SLURM_MAX_ARRAY_SIZE=2 Scripts/slurm-local.sh start "$CLUSTER")"

fail() { echo "slurm: FAILED: $*" >&2; for log in "$WORK"/.*.run/logs/*; do [[ -f $log ]] && { echo "== $log" >&2; tail -5 "$log" >&2; }; done; exit 1; }
now() { date +%s.%N; }
# wait_for OUTPUT PATTERN: polls `newsmill slurm status` until a line matches (120 s at most).
wait_for() {
  local status
  for _ in $(seq 1 240); do
    status=$("$NEWSMILL" slurm status "$1")
    if grep -qE "$2" <<<"$status"; then echo "$status"; return 0; fi
    sleep 0.5
  done
  echo "$status" >&2
  fail "no '$2' in the status of $1 after 120 s"
}
same() {  # same REF OUT: part files and rejects byte-identical, report counts equal
  python3 - "$1" "$2" <<'PY' || fail "$2 differs from $1"
import json, os, sys, filecmp
a, b = sys.argv[1:3]
names = lambda d: sorted(f for f in os.listdir(d) if f not in ('report.json', '_SUCCESS'))
assert names(a) == names(b), (names(a), names(b))
for f in names(a): assert filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False), f
strip = lambda r: {k: v for k, v in r.items() if k not in ('timing', 'jobs', 'pipeline')}
assert strip(json.load(open(os.path.join(a, 'report.json')))) == strip(json.load(open(os.path.join(b, 'report.json')))), 'report.json counts'
PY
}

"$NEWSMILL" run corpus -o "$WORK/reference" -q || [[ $? == 3 ]]

# A binary that fails map task 1 the first time it runs.
cat >"$WORK/flaky-newsmill" <<SH
#!/usr/bin/env bash
if [[ "\$1 \$2" == "shard map" && \${SLURM_ARRAY_TASK_ID:-} == 1 && \${4:-} == --task-offset && \${5:-} == 0 && ! -e "$WORK/failed-once" ]]; then
  touch "$WORK/failed-once"; echo "flaky-newsmill: failing map task 1 on purpose" >&2; exit 1
fi
exec "$NEWSMILL" "\$@"
SH
chmod +x "$WORK/flaky-newsmill"

t0=$(now)
"$NEWSMILL" slurm submit corpus -o "$WORK/out" --shards 3 --cpus-per-task 1 --binary "$WORK/flaky-newsmill" | sed 's/^/submit: /'
wait_for "$WORK/out" '^map .* 1 \(1\)$' | sed 's/^/status: /'
"$NEWSMILL" slurm resubmit "$WORK/out" | sed 's/^/resubmit: /'
wait_for "$WORK/out" '^done:' | sed 's/^/status: /'
t1=$(now)
same "$WORK/reference" "$WORK/out"
echo "ok: a failed map task resubmitted alone; output identical to one machine's ($(python3 -c "print(f'{$t1-$t0:.1f}')") s)"

t0=$(now)
"$NEWSMILL" slurm submit corpus -o "$WORK/out2" --shards 3 --cpus-per-task 1 >/dev/null
wait_for "$WORK/out2" '^done:' >/dev/null
t1=$(now)
same "$WORK/reference" "$WORK/out2"
echo "ok: corpus/ on Slurm, 3 shards, chunked arrays: submit to done in $(python3 -c "print(f'{$t1-$t0:.1f}')") s, identical"
echo "slurm: passed"
