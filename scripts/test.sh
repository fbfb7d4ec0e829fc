#!/usr/bin/env bash
# Runs every test: the core's unit and property tests, the CLI as a
# process, the bindings and permission checks, and the end-to-end tests
# through the real window (tauri-driver + WebKitWebDriver under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
export WEBKIT_DISABLE_COMPOSITING_MODE=1
started=$(date +%s)
# xvfb-run gives the window tests a display of their own and removes it after.
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  cargo test --workspace --features seatdesk/e2e --no-fail-fast "$@"
echo "all tests finished in $(( $(date +%s) - started )) s"
