#!/usr/bin/env bash
# Installs what is missing (system packages, the NER model files) and builds the release binary:
# .build/release/newsmill
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/install-models.sh
swift build -c release 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; } >&2
