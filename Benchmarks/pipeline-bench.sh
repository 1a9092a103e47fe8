#!/usr/bin/env bash
# The default pipeline (every stage, entities included) over a benchmark corpus of tar.gz shards.
#
#   Benchmarks/pipeline-bench.sh CORPUS
#
# CORPUS: a folder with tar/shard-*.tar.gz (30,000 documents or more). The one of docs/performance.md:
#   SHARDS=8 SEED=ru30k-1 TEXTS=$SHARED/data/nerel-ru-wikinews/texts Benchmarks/make-corpus.sh /work/bench/ru30k 30000
# For each J in JOBS: `newsmill run CORPUS/tar/*.tar.gz -o OUT -j J -q` under /usr/bin/time, RUNS times.
# Prints markdown: per J the median wall s, docs/s, MB/s of text, CPU s, peak RSS, entities articles/s
# per core (documents / entities stage s); then the seconds of every stage. The word cache's hit rate:
# Benchmarks/README.md (newsmill-nerbench).
# With REFERENCE=/path/to/an/older/newsmill, each run of NEWSMILL is followed by one of REFERENCE
# (back to back, so both see the same machine load), and every part file and rejects.jsonl of the
# two must be byte-identical, else the script stops with exit 1.
# Env: RUNS=3  JOBS="2 1"  PIPELINE=Pipelines/default.yaml  NEWSMILL=.build/release/newsmill
#      REFERENCE=  SCRATCH=/tmp/newsmill-pipeline-bench  NEWSMILL_MODELS (where the NER model is)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/corpus-args.sh"
RUNS=${RUNS:-3}
JOBS=${JOBS:-2 1}
PIPELINE=${PIPELINE:-$REPO/Pipelines/default.yaml}
NEWSMILL=${NEWSMILL:-$REPO/.build/release/newsmill}
REFERENCE=${REFERENCE:-}
SCRATCH=${SCRATCH:-/tmp/newsmill-pipeline-bench}
mkdir -p "$SCRATCH"

[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (apt-get install -y time)" >&2; exit 2; }
if [[ ! -x $NEWSMILL ]]; then (cd "$REPO" && swift build -c release >&2); fi
SHARDS=("$CORPUS"/tar/*.tar.gz)
[[ -f ${SHARDS[0]} ]] || { echo "no tar/*.tar.gz in $CORPUS" >&2; exit 2; }
cat "${SHARDS[@]}" >/dev/null   # page cache

# run LABEL BINARY J R: one timed run; its report.json and time line are kept in $SCRATCH
run() {
  local label=$1 binary=$2 j=$3 r=$4 out=$SCRATCH/out-$1-j$3
  rm -rf "$out"
  local rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$SCRATCH/time-$label-j$j-r$r.txt" \
    "$binary" run "${SHARDS[@]}" -o "$out" --pipeline "$PIPELINE" -j "$j" -q || rc=$?
  [[ $rc == 0 || $rc == 3 ]] || { echo "$binary failed (exit $rc)" >&2; exit 1; }
  cp "$out/report.json" "$SCRATCH/report-$label-j$j-r$r.json"
  echo "# $label -j $j run $r: $(cut -d' ' -f1 "$SCRATCH/time-$label-j$j-r$r.txt") s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

# same J: the outputs of NEWSMILL and REFERENCE, part files and rejects, byte for byte
compare() {
  local a=$SCRATCH/out-new-j$1 b=$SCRATCH/out-ref-j$1 f
  for f in $(cd "$a" && ls part-* rejects.jsonl) $(cd "$b" && ls part-* rejects.jsonl); do
    cmp -s "$a/$f" "$b/$f" || { echo "outputs differ at -j $1: $f" >&2; exit 1; }
  done
  echo "# -j $1: every part file and rejects.jsonl identical ($(cat "$a"/part-* | wc -c) bytes)" >&2
}

for j in $JOBS; do
  for ((r = 1; r <= RUNS; r++)); do
    run new "$NEWSMILL" "$j" "$r"
    if [[ -n $REFERENCE ]]; then
      run ref "$REFERENCE" "$j" "$r"
      compare "$j"
    fi
  done
done

TEXT_BYTES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["text_bytes"])' "$CORPUS/meta.json" 2>/dev/null ||
  for f in "${SHARDS[@]}"; do bsdtar -xOf "$f"; done | wc -c)
echo "Corpus: $CORPUS — ${#SHARDS[@]} shards, $(du -sh "$CORPUS/tar" | cut -f1) tar.gz, $TEXT_BYTES bytes of text"
echo "Host: $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg) at the end; $NEWSMILL$([[ -n $REFERENCE ]] && echo " against $REFERENCE"); runs=$RUNS, median"
echo
python3 - "$SCRATCH" "$TEXT_BYTES" "$RUNS" "$JOBS" "$([[ -n $REFERENCE ]] && echo "new ref" || echo new)" <<'PY'
import json, statistics, sys
scratch, text_bytes, runs, jobs, labels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(), sys.argv[5].split()
names = {"new": "newsmill", "ref": "reference"}
rows, stages = [], {}
for label in labels:
    for j in jobs:
        times, reports = [], []
        for r in range(1, runs + 1):
            wall, rss, user, system = open(f"{scratch}/time-{label}-j{j}-r{r}.txt").read().split()[-4:]
            times.append((float(wall), int(rss), float(user) + float(system)))
            reports.append(json.load(open(f"{scratch}/report-{label}-j{j}-r{r}.json")))
        wall = statistics.median(t[0] for t in times)
        i = min(range(runs), key=lambda i: abs(times[i][0] - wall))   # the median run's report
        report = reports[i]
        docs = report["documents"]["read"]
        stage_cpu = report["timing"]["stages"]
        entities = stage_cpu.get("entities")
        per_core = f"{docs / entities:,.0f}" if entities else "–"
        rows.append(
            f"| {names[label]} | {j} | {' '.join(f'{t[0]:.2f}' for t in times)} | {wall:.2f} | {docs / wall:,.0f} "
            f"| {text_bytes / 1e6 / wall:.2f} | {statistics.median(t[2] for t in times):.1f} | {max(t[1] for t in times) / 1024:.0f} "
            f"| {per_core} |")
        stages[(names[label], j)] = stage_cpu
print("| binary | -j | runs (s) | median s | docs/s | MB/s text | CPU s | peak RSS MB | entities articles/s per core |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
print("\n".join(rows))
print()
columns = list(next(iter(stages.values())).keys())
print("Seconds per stage (report.json timing.stages of the median run: time in the stage summed over workers):")
print()
print("| binary | -j | " + " | ".join(columns) + " |")
print("|---|---:|" + "---:|" * len(columns))
for (name, j), values in stages.items():
    print(f"| {name} | {j} | " + " | ".join(f"{values.get(c, 0):.2f}" for c in columns) + " |")
PY
