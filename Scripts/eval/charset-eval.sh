#!/usr/bin/env bash
# Charset-detection accuracy of NewsMill vs chardet vs charset-normalizer, and mojibake repair of
# NewsMill vs ftfy (evaluation only).
#
# Usage: Scripts/eval/charset-eval.sh [charset_eval.py options]      (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
#
# Reads real texts from ../shared/data (override with --shared), writes its tar files and NewsMill
# output to /work/bench/charset (override with --work), prints markdown tables on stdout.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
eval_setup charset-eval chardet charset-normalizer ftfy
"$PY" "$EVAL_HERE/charset_eval.py" --newsmill "$NEWSMILL" "$@"
