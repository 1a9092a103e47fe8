#!/usr/bin/env bash
# Date-mention precision and recall of NewsMill vs natasha's DatesExtractor on NEREL DATE gold
# (evaluation only).
#
# Usage: Scripts/eval/dates-eval.sh [dates_eval.py options]        (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
#
# Reads ../shared/data/nerel-ru-wikinews (override with --shared) and scores with
# ../shared/tools/ner_score.py; writes its tar, predictions and NewsMill output to /work/bench/dates
# (override with --work); prints a markdown table.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
eval_setup dates-eval natasha
"$PY" "$EVAL_HERE/dates_eval.py" --newsmill "$NEWSMILL" "$@"
