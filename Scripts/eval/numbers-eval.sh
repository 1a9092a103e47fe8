#!/usr/bin/env bash
# Figure precision and recall of NewsMill's numbers stage on NEREL NUMBER, MONEY, PERCENT and
# ORDINAL gold, by span overlap (evaluation only; needs no Python packages).
#
# Usage: Scripts/eval/numbers-eval.sh [numbers_eval.py options]     (see --help; --dates runs dates first)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#
# Reads ../shared/data/nerel-ru-wikinews (override with --shared); writes its tar and NewsMill
# output to /work/bench/numbers (override with --work); prints markdown tables.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
NEWSMILL="${NEWSMILL:-$root/.build/release/newsmill}"
case "$NEWSMILL" in /*) ;; *) NEWSMILL="$root/$NEWSMILL" ;; esac
if [[ ! -x "$NEWSMILL" ]]; then
    echo "numbers-eval: newsmill not found at $NEWSMILL: run \`swift build -c release\` first (or set NEWSMILL)" >&2
    exit 2
fi
exec python3 "$here/numbers_eval.py" --newsmill "$NEWSMILL" "$@"
