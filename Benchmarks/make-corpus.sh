#!/usr/bin/env bash
# Generate a throughput-benchmark corpus (tar.gz shards + the same shards as tar.zst).
#
#   Benchmarks/make-corpus.sh OUTDIR [N_DOCS]        (N_DOCS default 100000)
#
# Wraps $SHARED/tools/make_bench_corpus.py (SHARED default: <parent of repo>/shared).
# Env: SHARED=…      shared folder (tools/ and data/)
#      TEXTS=…       source text folders, ':'-separated (default: $SHARED/data = the real mix:
#                    NEREL Russian news texts + multilingual UD sentences)
#      SHARDS=16 JOBS=2 SEED=bench-1 LEVEL=6 (gzip level) ZSTD_LEVEL=3
# Output: OUTDIR/tar/shard-*.tar.gz, OUTDIR/tar-zst/shard-*.tar.zst (same members),
#         OUTDIR/jsonl/…, OUTDIR/manifest.jsonl.gz, OUTDIR/meta.json (text_bytes = total member bytes).
# OUTDIR must be outside the repository (generated data is never committed).
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
[[ ${1:-} == -h || ${1:-} == --help || $# -lt 1 ]] && { usage; exit $(( $# < 1 ? 2 : 0 )); }

OUT=$1
N=${2:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$(dirname "$REPO")/shared}
GEN=$SHARED/tools/make_bench_corpus.py
TEXTS=${TEXTS:-$SHARED/data}
SHARDS=${SHARDS:-16}
JOBS=${JOBS:-2}
SEED=${SEED:-bench-1}
LEVEL=${LEVEL:-6}
ZSTD_LEVEL=${ZSTD_LEVEL:-3}

[[ -f $GEN ]] || { echo "generator not found: $GEN (set SHARED=…)" >&2; exit 2; }
command -v zstd >/dev/null || { echo "zstd not found (apt-get install -y zstd)" >&2; exit 2; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$OUT/" in "$REPO"/*) echo "refusing to write generated data into the repo: $OUT" >&2; exit 2 ;; esac

if [[ -f $OUT/meta.json ]]; then
  echo "# $OUT/meta.json exists: keeping the tar.gz shards" >&2
else
  args=(--out "$OUT" --n-docs "$N" --shards "$SHARDS" --jobs "$JOBS" --seed "$SEED" --level "$LEVEL")
  IFS=: read -r -a tdirs <<<"$TEXTS"
  for d in "${tdirs[@]}"; do args+=(--texts "$d"); done
  echo "+ python3 $GEN ${args[*]}" >&2
  python3 "$GEN" "${args[@]}"
fi

# tar.zst: the same tar streams, recompressed (byte-identical members)
mkdir -p "$OUT/tar-zst"
export ZSTD_LEVEL OUT
ls "$OUT"/tar/*.tar.gz | xargs -P "$JOBS" -I{} bash -c '
  f={}; b=$(basename "$f" .tar.gz); z="$OUT/tar-zst/$b.tar.zst"
  [[ -s $z ]] || { zcat "$f" | zstd -q -"$ZSTD_LEVEL" -o "$z.tmp" && mv "$z.tmp" "$z"; }'
echo "# tar.gz:  $(du -sh "$OUT/tar" | cut -f1)  tar.zst: $(du -sh "$OUT/tar-zst" | cut -f1)  in $OUT" >&2
