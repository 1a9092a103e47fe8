#!/usr/bin/env bash
# Crash test of resume: kills `newsmill run` with SIGKILL at random moments (and at the failpoints
# between its last steps), runs the same command again, and checks that the finished output and
# state are byte-identical to an uninterrupted run's.
#
#   Scripts/kill-test.sh INPUT...          (≥ 50k documents recommended: the benchmark corpus)
#
# Env: KILLS=20  PIPELINE=Pipelines/nightly.yaml  NEWSMILL=.build/release/newsmill
#      JOBS=2  CHECKPOINT=2 (seconds between checkpoints)  WORK=/tmp/newsmill-kill-test  SEED=1
# Prints one line per kill and a summary; exits 1 if any finished output or state differs.
set -euo pipefail

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
[[ ${1:-} == -h || ${1:-} == --help || $# -lt 1 ]] && { usage; exit $(( $# < 1 ? 2 : 0 )); }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KILLS=${KILLS:-20}
PIPELINE=${PIPELINE:-$REPO/Pipelines/nightly.yaml}
NEWSMILL=${NEWSMILL:-$REPO/.build/release/newsmill}
JOBS=${JOBS:-2}
CHECKPOINT=${CHECKPOINT:-2}
WORK=${WORK:-/tmp/newsmill-kill-test}
RANDOM=${SEED:-1}
[[ -x $NEWSMILL ]] || (cd "$REPO" && swift build -c release >&2)
rm -rf "$WORK" && mkdir -p "$WORK"

run() {  # run OUT STATE [env...]: the command under test
  local out=$1 state=$2; shift 2
  env "$@" "$NEWSMILL" run "${INPUTS[@]}" -o "$out" --state "$state" --pipeline "$PIPELINE" -j "$JOBS" -q \
    --checkpoint-every "$CHECKPOINT" || [[ $? == 3 ]]
}
INPUTS=("$@")
now() { date +%s.%N; }

# What must be equal: part files and rejects; the state's data files, ledger and manifest sections;
# one history line, status ok. (report.json, _SUCCESS and the history line hold times.)
compare() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import json, os, sys, filecmp
ref_out, ref_state, out, state = sys.argv[1:5]
bad = []
def files(d, skip):
    return sorted(f for f in os.listdir(d) if f not in skip and not f.startswith('.'))
if files(ref_out, {'report.json', '_SUCCESS'}) != files(out, {'report.json', '_SUCCESS'}): bad.append('output file lists')
for f in files(ref_out, {'report.json', '_SUCCESS'}):
    if os.path.exists(os.path.join(out, f)) and not filecmp.cmp(os.path.join(ref_out, f), os.path.join(out, f), shallow=False): bad.append(f)
if not os.path.exists(os.path.join(out, '_SUCCESS')): bad.append('_SUCCESS missing')
ref_manifest = json.load(open(os.path.join(ref_state, 'state.json')))
manifest = json.load(open(os.path.join(state, 'state.json')))
for key in ('format', 'version', 'runs'):
    if ref_manifest[key] != manifest[key]: bad.append('state.json ' + key)
ref_sections = {k: v for k, v in ref_manifest['sections'].items() if k != 'runs'}
sections = {k: v for k, v in manifest['sections'].items() if k != 'runs'}
if ref_sections != sections: bad.append('state.json sections')
for name, section in ref_sections.items():
    for f, length in section['files'].items():
        a = open(os.path.join(ref_state, f), 'rb').read(length); b = open(os.path.join(state, f), 'rb').read(length)
        if a != b: bad.append(f)
runs = [json.loads(l) for l in open(os.path.join(state, 'runs.history.jsonl'))]
if [(r['run'], r['status']) for r in runs] not in ([(1, 'ok')], [(1, 'rejects')]): bad.append('history %s' % [(r['run'], r['status']) for r in runs])
print('identical' if not bad else 'DIFFERENT: ' + ', '.join(bad))
PY
}

t0=$(now); run "$WORK/ref-out" "$WORK/ref-state"; t1=$(now)
FULL=$(python3 -c "print(f'{$t1-$t0:.2f}')")
DOCS=$(python3 -c "import json; print(json.load(open('$WORK/ref-out/report.json'))['documents']['read'])")
echo "# uninterrupted: $DOCS documents in $FULL s ($PIPELINE, -j $JOBS, checkpoints every $CHECKPOINT s)"
printf '%-5s %-22s %-8s %-28s %-9s %s\n' kill "when" killed "resumed" "resume_s" result

failpoints=(checkpoint finished committed)
identical=0
for ((k = 1; k <= KILLS; k++)); do
  out="$WORK/out-$k" state="$WORK/state-$k"
  if (( k <= ${#failpoints[@]} )); then
    fp=${failpoints[k-1]}; when="failpoint $fp"
    run "$out" "$state" NEWSMILL_FAILPOINT=$fp 2>/dev/null || true
    killed=yes
  else
    # kill k-3 of the others at about 80% of the run: the figure of what a resume saves
    if (( k == KILLS )); then at=$(python3 -c "print(f'{0.8*$FULL:.2f}')"); else at=$(python3 -c "import random; random.seed($RANDOM); print(f'{random.uniform(0.05, 0.95)*$FULL:.2f}')"); fi
    when="at $at s"
    ( run "$out" "$state" ) 2>/dev/null &
    pid=$!
    sleep "$at"
    if kill -0 $pid 2>/dev/null; then pkill -KILL -P $pid 2>/dev/null || true; kill -KILL $pid 2>/dev/null || true; killed=yes; else killed=no; fi
    wait $pid 2>/dev/null || true
  fi
  staging="$WORK/.out-$k.partial"
  if [[ -f $staging/_SUCCESS ]]; then resumed="finished run completed"
  elif [[ -f $staging/checkpoint.json ]]; then resumed="from checkpoint"
  elif [[ -d $out ]]; then resumed="was done before the kill"
  else resumed="started over"; fi
  # A run that ended before the kill is compared as it is: run again, it would be the next night.
  t0=$(now); [[ $killed == no ]] || run "$out" "$state"; t1=$(now)
  if [[ $resumed == "from checkpoint" ]]; then
    resumed=$(python3 -c "import json; print('after %d docs' % json.load(open('$out/report.json')).get('resumed_after_documents', -1))")
  fi
  result=$(compare "$WORK/ref-out" "$WORK/ref-state" "$out" "$state")
  [[ $result == identical ]] && identical=$((identical + 1))
  printf '%-5s %-22s %-8s %-28s %-9s %s\n' "$k" "$when" "$killed" "$resumed" "$(python3 -c "print(f'{$t1-$t0:.2f}')")" "$result"
  rm -rf "$out" "$state" "$WORK/.out-$k".*
done
echo "# $identical of $KILLS killed runs finished identical to the uninterrupted run ($FULL s)"
(( identical == KILLS ))
