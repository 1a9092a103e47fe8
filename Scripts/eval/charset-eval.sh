#!/usr/bin/env bash
# Charset-detection accuracy of NewsMill vs chardet vs charset-normalizer (evaluation only).
#
# Usage: Scripts/eval/charset-eval.sh [charset_eval.py options]      (see --help)
#   NEWSMILL=/path/to/newsmill   binary to test (default: .build/release/newsmill; not built here)
#   VENV=/path/to/venv           reuse this virtualenv (created if missing) instead of a throwaway one
#
# Reads real texts from ../shared/data (override with --shared), writes its tar files and NewsMill
# output to /work/bench/charset (override with --work), prints markdown tables on stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NEWSMILL="${NEWSMILL:-$ROOT/.build/release/newsmill}"
case "$NEWSMILL" in /*) ;; *) NEWSMILL="$ROOT/$NEWSMILL" ;; esac
if [[ ! -x "$NEWSMILL" ]]; then
    echo "charset-eval: newsmill not found at $NEWSMILL: run \`swift build -c release\` first (or set NEWSMILL)" >&2
    exit 2
fi
export NEWSMILL

TMP=""
cleanup() { if [[ -n "$TMP" ]]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT
if [[ -n "${VENV:-}" ]]; then
    venv="$VENV"
else
    TMP="$(mktemp -d "${TMPDIR:-/tmp}/newsmill-charset-eval.XXXXXX")"
    venv="$TMP/venv"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        echo "python3 -m venv failed; installing python3-venv" >&2
        rm -rf "$venv"
        apt-get install -y python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check chardet charset-normalizer >&2

"$venv/bin/python" "$HERE/charset_eval.py" --newsmill "$NEWSMILL" "$@"
