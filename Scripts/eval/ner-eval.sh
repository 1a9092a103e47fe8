#!/usr/bin/env bash
# Named-entity quality (NEREL dev, ../shared/tools/ner_score.py) and speed of NewsMill's entities
# stage beside natasha 1.6.0 (evaluation only).
#
# Usage: Scripts/eval/ner-eval.sh [ner_eval.py options]        (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
#
# Reads ../shared/data/nerel-ru-wikinews (override with --shared); writes tars, predictions and
# NewsMill output to /work/bench/ner (override with --work); prints markdown tables.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
eval_setup ner-eval natasha==1.6.0
"$PY" "$EVAL_HERE/ner_eval.py" --newsmill "$NEWSMILL" "$@"
