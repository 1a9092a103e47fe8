#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests (swift test), then the analytics check that
# reads real output with DuckDB and pandas from a throwaway virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/install-models.sh
swift build --build-tests 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
swift test --skip-build
NEWSMILL=.build/debug/newsmill Scripts/check-analytics.sh
