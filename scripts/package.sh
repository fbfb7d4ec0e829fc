#!/usr/bin/env bash
# Builds the release binary and the .deb and .rpm installers, offline
# (AppImage is left out: its bundler downloads tools).
#   scripts/package.sh   → target/release/bundle/{deb,rpm}/
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
ui/node_modules/.bin/tauri build --bundles deb,rpm --ci
echo "==> installers"
ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
ls -l target/release/seatdesk
