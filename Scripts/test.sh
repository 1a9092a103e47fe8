#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests (swift test), then the analytics check that
# reads real output with DuckDB and pandas from a throwaway virtualenv, the operations check (metrics
# file with promtool, systemd units), a sharded run on a one-node Slurm cluster (Scripts/check-slurm.sh),
# the docs' links, then a short fuzzing smoke
# run of every decoder and extractor (Scripts/fuzz.sh; set FUZZ_SECONDS=0 to skip it).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/install-models.sh
swift build --build-tests 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
swift test --skip-build
NEWSMILL=.build/debug/newsmill Scripts/check-analytics.sh
NEWSMILL=.build/debug/newsmill Scripts/check-operations.sh
NEWSMILL=.build/debug/newsmill Scripts/check-slurm.sh
Scripts/check-links.sh
if [ "${FUZZ_SECONDS:-10}" != 0 ]; then FUZZ_SEED=1 Scripts/fuzz.sh "${FUZZ_SECONDS:-10}"; fi
