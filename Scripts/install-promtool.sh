#!/usr/bin/env bash
# Puts Prometheus's promtool at .build/tools/promtool (the metrics check uses it), taken from
# Debian's prometheus package without installing the package (no daemon, no dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
tool=.build/tools/promtool
[ -x "$tool" ] && exit 0
command -v promtool >/dev/null && { mkdir -p .build/tools; ln -sf "$(command -v promtool)" "$tool"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
(cd "$work" && apt-get download prometheus >/dev/null 2>&1) || { $sudo apt-get update -qq && (cd "$work" && apt-get download prometheus >/dev/null 2>&1); }
dpkg-deb -x "$work"/prometheus_*.deb "$work/x"
mkdir -p .build/tools
cp "$work/x/usr/bin/promtool" "$tool"
echo "promtool: $("$tool" --version 2>&1 | head -1)" >&2
