#!/usr/bin/env bash
# Runs every test: the core's unit and property tests, the CLI as a
# process, the bindings and permission checks, and the end-to-end tests
# through the real window (tauri-driver + WebKitWebDriver under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
export WEBKIT_DISABLE_COMPOSITING_MODE=1
# No accessibility bus for the test windows (it would outlive them).
export NO_AT_BRIDGE=1
# The installers (a release build) for the install test.
bash scripts/package.sh
started=$(date +%s)
# A throwaway PostgreSQL server for the shared store's tests, removed at the
# end, also on failure (scripts/pg.sh).
source scripts/pg.sh
pg_start
trap pg_stop EXIT
# xvfb-run gives the window tests a display of their own, and dbus-run-session
# one session bus that every window shares (otherwise each WebKit process
# starts a bus of its own, which outlives it); both are removed after.
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  cargo test --workspace --features seatdesk/e2e --no-fail-fast "$@"
# The same service tests and the model, again on the shared server: each
# test gets a schema of its own there (Seatdesk::open_scratch).
SEATDESK_TEST_STORE=postgres SEATDESK_MODEL_SEQUENCES=${SEATDESK_PG_MODEL_SEQUENCES:-1000} \
  cargo test -p seatdesk-core --lib --test model --no-fail-fast "$@"
# The fuzz targets, a short run each.
bash scripts/fuzz.sh 15
echo "all tests finished in $(( $(date +%s) - started )) s"
