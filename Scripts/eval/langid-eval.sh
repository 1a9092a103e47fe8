#!/usr/bin/env bash
# Language-identification accuracy of NewsMill vs langdetect vs lingua (evaluation only).
#
# Usage: Scripts/eval/langid-eval.sh [langid_eval.py options]        (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
#
# Reads the dev sentences of ../shared/data/lang-sentences (override with --shared), writes its tar
# files and NewsMill output to /work/bench/langid (override with --work), prints markdown tables.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
eval_setup langid-eval langdetect lingua-language-detector
"$PY" "$EVAL_HERE/langid_eval.py" --newsmill "$NEWSMILL" "$@"
