#!/usr/bin/env bash
# Linear-time benchmark: every decoder and every stage of the default pipeline on generated
# pathological inputs of 1, 2, 4 and 8 MB; prints a markdown table and exits non-zero when a
# row's time grows more than 2.3x per doubling of the input (Benchmarks/README.md, "Linear time").
#
# Usage: Benchmarks/linear-time.sh [newsmill-stagebench options]   e.g. --filter quotes,html --sizes 0.5,1,2,4
#   STAGEBENCH=/path/to/newsmill-stagebench   binary to run (default: built here in release)
# Runs from the repository root, so the default pipeline and the NER model files in models/ are found.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -z "${STAGEBENCH:-}" ]]; then
    swift build -c release --product newsmill-stagebench >&2
    STAGEBENCH=.build/release/newsmill-stagebench
fi
exec "$STAGEBENCH" "$@"
