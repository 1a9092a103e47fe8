#!/usr/bin/env bash
# Sharded runs against a run on one machine: wall time, the largest task's peak RSS and byte
# identity of the output, for --shards 1, 2 and 4 (or SHARDS="…"), then the sequence phase alone.
#
#   Benchmarks/shards.sh PIPELINE INPUT...
#
# Env: NEWSMILL=.build/release/newsmill  JOBS=2  SHARDS="1 2 4"  WORK=/tmp/newsmill-shards-bench
# Prints a Markdown table. The task lines (documents, seconds, VmHWM) are kept in WORK/*.log.
set -euo pipefail
[[ $# -lt 2 ]] && { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
cd "$(dirname "$0")/.."
PIPELINE=$1; shift
NEWSMILL=$(realpath "${NEWSMILL:-.build/release/newsmill}")
JOBS=${JOBS:-2}
WORK=${WORK:-/tmp/newsmill-shards-bench}
rm -rf "$WORK" && mkdir -p "$WORK"

measure() {  # measure NAME ARGS...: runs newsmill, prints "seconds peak_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$NEWSMILL" run "$@" -o "$WORK/$name" --pipeline "$PIPELINE" -j "$JOBS" \
    >"$WORK/$name.log" 2>&1 || [[ $? == 3 ]]
  cat "$WORK/$name.time"
}
identical() {
  for f in $(cd "$WORK/one" && ls | grep -v -e report.json -e _SUCCESS); do cmp -s "$WORK/one/$f" "$WORK/$1/$f" || { echo "DIFFERENT ($f)"; return; }; done
  echo identical
}

echo "| run | wall s | peak RSS, largest process | largest task (VmHWM) | output |"
echo "|---|---:|---:|---:|---|"
read -r secs kb < <(measure one "$@")
echo "| newsmill run | $secs | $((kb / 1024)) MB | – | reference |"
for n in ${SHARDS:-1 2 4}; do
  read -r secs kb < <(measure "s$n" "$@" --shards "$n")
  task=$(grep -o 'peak RSS [0-9]* MB' "$WORK/s$n.log" | awk '{print $3}' | sort -n | tail -1)
  echo "| --shards $n | $secs | $((kb / 1024)) MB | $task MB | $(identical "s$n") |"
done
echo
grep -h '^map task\|^sequence\|^write task' "$WORK"/s*.log | sed 's/^/    /'
