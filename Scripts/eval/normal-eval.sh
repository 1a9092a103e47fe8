#!/usr/bin/env bash
# Entity normal forms and in-document groups (NEREL, ../shared/tools/normal_score.py) of NewsMill's
# entities stage beside natasha 1.6.0 with its syntax parser (evaluation only), and what the new
# work costs against the entities stage.
#
# Usage: Scripts/eval/normal-eval.sh [normal_eval.py options]        (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here;
#                                newsmill-normaleval beside it, `swift build -c release` builds both)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/evalcommon.sh"
eval_setup normal-eval natasha==1.6.0
"$PY" "$EVAL_HERE/normal_eval.py" --newsmill "$NEWSMILL" "$@"
