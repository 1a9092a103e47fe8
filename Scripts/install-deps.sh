#!/usr/bin/env bash
# Installs the system packages NewsMill builds against (Debian/Ubuntu): libarchive-dev for the
# archive layer, libssl-dev for SHA-256 (the input ledger), libzstd-dev and zlib1g-dev for compressed
# part files, pkg-config to find them. Does nothing when they are already there.
set -euo pipefail
missing=()
for pkg in libarchive-dev libssl-dev libzstd-dev zlib1g-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
