#!/usr/bin/env bash
# Near-duplicate clustering of NewsMill vs datasketch MinHashLSH on a make_neardup.py set
# (evaluation only).
#
# Usage: Scripts/eval/neardup-eval.sh [neardup_eval.py options]        (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
#
# Generates the set from ../shared/data (override with --shared) into /work/bench/neardup-eval
# (override with --work), scores with ../shared/tools/dedup_score.py, prints a markdown table.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
eval_setup neardup-eval datasketch
"$PY" "$EVAL_HERE/neardup_eval.py" --newsmill "$NEWSMILL" "$@"
