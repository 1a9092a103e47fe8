#!/usr/bin/env bash
# Checks what an operator relies on for nightly runs: the metrics file passes `promtool check
# metrics` (after a finished run and after a failed one, which keeps the last success time), and
# the systemd units pass `systemd-analyze verify` where systemd-analyze runs.
#
# Usage: Scripts/check-operations.sh     (after `swift build`; NEWSMILL=/path/to/newsmill to override)
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSMILL=${NEWSMILL:-.build/debug/newsmill}
Scripts/install-promtool.sh
PROMTOOL=.build/tools/promtool
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
check() { if "$@"; then echo "ok: ${*: -1}"; else echo "FAILED: $*"; failed=1; fi; }

"$NEWSMILL" run corpus -o "$work/out" --state "$work/state" --metrics-file "$work/newsmill.prom" -q || [ $? = 3 ]
"$PROMTOOL" check metrics < "$work/newsmill.prom" && echo "ok: promtool check metrics" || { echo "FAILED: promtool check metrics"; failed=1; }
grep -q '^newsmill_last_run_success{job="newsmill"} 1$' "$work/newsmill.prom" && echo "ok: last run succeeded" || { echo "FAILED: success gauge"; failed=1; }
success=$(grep '^newsmill_last_success_timestamp_seconds' "$work/newsmill.prom")

touch "$work/file"
status=0
"$NEWSMILL" run corpus -o "$work/file/out" --state "$work/state" --metrics-file "$work/newsmill.prom" -q 2>/dev/null || status=$?
[ $status = 74 ] && echo "ok: unwritable output exits 74" || { echo "FAILED: unwritable output exited $status"; failed=1; }
"$PROMTOOL" check metrics < "$work/newsmill.prom" && echo "ok: promtool check metrics after a failed run" || { echo "FAILED: promtool after a failed run"; failed=1; }
grep -q '^newsmill_last_run_success{job="newsmill"} 0$' "$work/newsmill.prom" && echo "ok: last run failed" || { echo "FAILED: failure gauge"; failed=1; }
[ "$(grep '^newsmill_last_success_timestamp_seconds' "$work/newsmill.prom")" = "$success" ] && echo "ok: last success time kept" || { echo "FAILED: last success time"; failed=1; }

if command -v systemd-analyze >/dev/null; then
  check systemd-analyze verify deploy/systemd/newsmill-nightly.timer deploy/systemd/newsmill-nightly.service
else
  echo "skipped: systemd-analyze is not installed"
fi
echo "operations: $([ $failed = 0 ] && echo passed || echo FAILED)"
exit $failed
