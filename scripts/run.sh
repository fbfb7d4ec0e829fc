#!/usr/bin/env bash
# Builds Seatdesk and opens the window on its default database
# (~/.local/share/seatdesk/seatdesk.db). The first run offers
# "Create account" and "Open demo account". Extra arguments go to seatdesk.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
echo "==> building seatdesk"
cargo build --bin seatdesk
exec target/debug/seatdesk "$@"
