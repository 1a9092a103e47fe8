# Sourced by the Scripts/eval/*-eval.sh wrappers (evaluation only).
#   eval_setup NAME PIP_PACKAGE...   checks $NEWSMILL (default .build/release/newsmill; not built here),
#                                    makes or reuses the virtualenv ($VENV, else a throwaway one),
#                                    installs the packages; sets NEWSMILL (exported) and PY.
EVAL_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EVAL_ROOT="$(cd "$EVAL_HERE/../.." && pwd)"
EVAL_TMP=""
eval_cleanup() { if [[ -n "$EVAL_TMP" ]]; then rm -rf "$EVAL_TMP"; fi; }
trap eval_cleanup EXIT

eval_setup() {
    local name="$1"; shift
    NEWSMILL="${NEWSMILL:-$EVAL_ROOT/.build/release/newsmill}"
    case "$NEWSMILL" in /*) ;; *) NEWSMILL="$EVAL_ROOT/$NEWSMILL" ;; esac
    if [[ ! -x "$NEWSMILL" ]]; then
        echo "$name: newsmill not found at $NEWSMILL: run \`swift build -c release\` first (or set NEWSMILL)" >&2
        exit 2
    fi
    export NEWSMILL
    local venv
    if [[ -n "${VENV:-}" ]]; then
        venv="$VENV"
    else
        EVAL_TMP="$(mktemp -d "${TMPDIR:-/tmp}/newsmill-$name.XXXXXX")"
        venv="$EVAL_TMP/venv"
    fi
    if [[ ! -x "$venv/bin/python" ]]; then
        if ! python3 -m venv "$venv" 2>/dev/null; then
            echo "python3 -m venv failed; installing python3-venv" >&2
            rm -rf "$venv"
            apt-get install -y python3-venv >/dev/null
            python3 -m venv "$venv"
        fi
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
    PY="$venv/bin/python"
}
