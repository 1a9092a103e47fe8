#!/usr/bin/env bash
# Direct-quotation precision and recall of NewsMill's quotes stage on the hand-made gold
# (Scripts/eval/quotes-gold.jsonl + quotes-gold.docs.jsonl over NEREL articles; evaluation only).
#
# Usage: Scripts/eval/quotes-eval.sh [quotes_eval.py options]        (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   --no-entities                run `quotes` without `entities` before it
#   --pred FILE                  score a predictions JSONL ({doc_id, quotes}) instead of running newsmill
#
# Reads ../shared/data/nerel-ru-wikinews (override with --shared); writes its tar, pipeline,
# predictions and NewsMill output to /work/bench/quotes (override with --work); prints markdown
# tables. The scorer needs only the Python standard library, so no virtualenv is made.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
NEWSMILL="${NEWSMILL:-$EVAL_ROOT/.build/release/newsmill}"
case "$NEWSMILL" in /*) ;; *) NEWSMILL="$EVAL_ROOT/$NEWSMILL" ;; esac
python3 "$EVAL_HERE/quotes_eval.py" --newsmill "$NEWSMILL" "$@"
