#!/usr/bin/env bash
# Throughput / peak-RSS benchmark of `newsmill run` against a bsdtar floor.
#
#   Benchmarks/run-bench.sh CORPUS_DIR        (made by Benchmarks/make-corpus.sh)
#
# For each format (CORPUS/tar/*.tar.gz, CORPUS/tar-zst/*.tar.zst):
#   floor:    for f in shards; do bsdtar -xOf "$f"; done >/dev/null      (timed, RUNS times)
#   newsmill: .build/release/newsmill run shards -o OUT --pipeline Pipelines/default.yaml -j J -q
#             under /usr/bin/time (wall s, peak RSS, user+sys CPU s), RUNS times per J in JOBS
# A run during which other processes used > NOISE % (default 15) of a core is repeated (RETRIES=3).
# Prints a markdown table: median wall s, docs/s, MB/s of text (1 MB = 1e6 bytes of uncompressed
# member text, meta.json text_bytes, same numerator for floor and newsmill), % of floor, peak RSS.
# Env: RUNS=3  JOBS="2 1"  FORMATS="gz zst"  PIPELINE=Pipelines/default.yaml
#      NEWSMILL=.build/release/newsmill (built with `swift build -c release` if missing)
#      SCRATCH=/tmp/newsmill-bench (output folders; deleted between runs, outside the timing)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/corpus-args.sh"
RUNS=${RUNS:-3}
NOISE=${NOISE:-15}
RETRIES=${RETRIES:-3}
JOBS=${JOBS:-2 1}
FORMATS=${FORMATS:-gz zst}
PIPELINE=${PIPELINE:-$REPO/Pipelines/default.yaml}
NEWSMILL=${NEWSMILL:-$REPO/.build/release/newsmill}
SCRATCH=${SCRATCH:-/tmp/newsmill-bench}
mkdir -p "$SCRATCH"

command -v bsdtar >/dev/null || { echo "bsdtar missing (apt-get install -y libarchive-tools)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || apt-get install -y time >/dev/null
if [[ ! -x $NEWSMILL ]]; then (cd "$REPO" && swift build -c release >&2); fi

log() { echo "# $*" >&2; }
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x.rstrip("*")) for x in sys.argv[1:]))' "$@"; }
CLK_TCK=$(getconf CLK_TCK)
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }   # user nice system irq softirq steal
# timed CMD...: runs CMD under /usr/bin/time; sets T (wall s), RSS (KB), CPU (own user+sys s),
# OTHER (% of one core used by other processes during the run), RC. A run with OTHER > NOISE is
# repeated up to RETRIES times (the machine has 2 cores; a concurrent build halves throughput).
timed() {
  local try b0 b1
  for ((try = 0; try <= RETRIES; try++)); do
    b0=$(busy_jiffies)
    RC=0
    /usr/bin/time -f '%e %M %U %S' -o "$SCRATCH/time.txt" "$@" || RC=$?
    b1=$(busy_jiffies)
    read -r T RSS u s < <(tail -1 "$SCRATCH/time.txt")
    CPU=$(python3 -c "print(f'{$u+$s:.2f}')")
    # other processes' CPU, less 0.05 s of clock-tick rounding, as % of one core over the run
    OTHER=$(python3 -c "print(max(0, round(100*(($b1-$b0)/$CLK_TCK - $CPU - 0.05)/max($T, 0.01))))")
    (( OTHER <= NOISE )) && return 0
    log "  noisy run ($T s, other processes used $OTHER% of a core): repeating"
  done
  T="$T*"   # still noisy: kept, marked with *
}

# corpus size: documents and uncompressed text bytes
if [[ -f $CORPUS/meta.json ]]; then
  read -r NDOCS TEXT_BYTES < <(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["n_docs"], m["text_bytes"])' "$CORPUS/meta.json")
else
  NDOCS=$(for f in "$CORPUS"/tar/*.tar.gz; do bsdtar -tf "$f"; done | wc -l)
  TEXT_BYTES=$(for f in "$CORPUS"/tar/*.tar.gz; do bsdtar -xOf "$f"; done | wc -c)
fi
TEXT_MB=$(python3 -c "print($TEXT_BYTES/1e6)")

shards_of() { case $1 in gz) ls "$CORPUS"/tar/*.tar.gz ;; zst) ls "$CORPUS"/tar-zst/*.tar.zst ;; esac; }

row() {   # format tool jobs median times rss_kb floor_median extra
  python3 - "$@" <<'PY'
import sys
fmt, tool, jobs, med, times, rss, floor, extra = sys.argv[1:9]
ndocs, mb = float(sys.argv[9]), float(sys.argv[10])
med = float(med); floor = float(floor) if floor else med
pct = 100 * floor / med
rss = f"{int(rss)/1024:.0f}" if rss else "–"
print(f"| {fmt} | {tool} | {jobs} | {times} | {med:.2f} | {ndocs/med:,.0f} | {mb/med:.1f} | {pct:.0f}% | {rss} | {extra} |")
PY
}

SHARDS_GZ=($(shards_of gz)); cat "${SHARDS_GZ[@]}" >/dev/null   # warm the page cache
TABLE=()
for fmt in $FORMATS; do
  mapfile -t SHARDS < <(shards_of "$fmt")
  [[ ${#SHARDS[@]} -gt 0 ]] || { log "no $fmt shards in $CORPUS"; continue; }
  cat "${SHARDS[@]}" >/dev/null
  # (a) bsdtar floor
  times=(); cpus=()
  for ((r = 1; r <= RUNS; r++)); do
    timed bash -c 'for f; do bsdtar -xOf "$f"; done >/dev/null' _ "${SHARDS[@]}"
    log "floor $fmt run $r: $T s, CPU $CPU s, others $OTHER%"
    times+=("$T"); cpus+=("$CPU")
  done
  floor=$(median "${times[@]}")
  TABLE+=("$(row "$fmt" "bsdtar -xOf (floor)" 1 "$floor" "$(IFS=' '; echo "${times[*]}")" "" "" "CPU $(median "${cpus[@]}") s" "$NDOCS" "$TEXT_MB")")
  # (b) newsmill
  for j in $JOBS; do
    times=(); cpus=(); rss=0; reports=()
    for ((r = 1; r <= RUNS; r++)); do
      out=$SCRATCH/out-$fmt-j$j-r$r
      rm -rf "$out"
      timed "$NEWSMILL" run "${SHARDS[@]}" -o "$out" --pipeline "$PIPELINE" -j "$j" -q
      [[ $RC == 0 || $RC == 3 ]] || { echo "newsmill failed (exit $RC)" >&2; exit 1; }
      log "newsmill $fmt -j $j run $r: $T s, CPU $CPU s, peak RSS $((RSS / 1024)) MB, exit $RC, others $OTHER%"
      times+=("$T"); cpus+=("$CPU"); (( RSS > rss )) && rss=$RSS
      cp "$out/report.json" "$SCRATCH/report-$fmt-j$j-r$r.json"
      reports+=("$SCRATCH/report-$fmt-j$j-r$r.json")
      rm -rf "$out"
    done
    med=$(median "${times[@]}")
    # counts + stage timings from the run whose wall time is the median
    cpu=$(median "${cpus[@]}")
    extra=$(python3 - "$med" "${times[@]}" -- "${reports[@]}" <<'PY'
import json, sys
a = sys.argv[1:]; med = float(a[0]); k = a.index('--')
times = [float(x.rstrip('*')) for x in a[1:k]]; reps = a[k+1:]
i = min(range(len(times)), key=lambda i: abs(times[i] - med))
r = json.load(open(reps[i]))
d, t = r["documents"], r["timing"]
st = " ".join(f"{k}={v:.1f}" for k, v in t.get("stages", {}).items())
print(f"read {d['read']}, written {d['written']}, rejected {d['rejected']}; report {t['seconds']:.1f} s; stages(s) {st}")
PY
)
    TABLE+=("$(row "$fmt" "newsmill run" "$j" "$med" "$(IFS=' '; echo "${times[*]}")" "$rss" "$floor" "CPU $cpu s; $extra" "$NDOCS" "$TEXT_MB")")
  done
done

echo "Corpus: $CORPUS — $NDOCS docs, $TEXT_MB MB text (uncompressed members), $(du -sh "$CORPUS/tar" | cut -f1) tar.gz, $(du -sh "$CORPUS/tar-zst" 2>/dev/null | cut -f1) tar.zst, ${#SHARDS_GZ[@]} shards"
echo "Host: $(nproc) cores, load avg $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r); $NEWSMILL (built $(date -r "$NEWSMILL" +%F\ %T)), repo $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- Sources || echo '+dirty'); runs=$RUNS, median"
echo
echo "| fmt | tool | -j | runs (s) | median s | docs/s | MB/s text | % of floor | peak RSS MB | notes |"
echo "|---|---|---:|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${TABLE[@]}"
