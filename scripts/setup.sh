#!/usr/bin/env bash
# Installs everything Seatdesk needs on Debian or Ubuntu (idempotent; uses
# sudo when not root), then builds the UI into ui/dist.
#   scripts/setup.sh          build and run the app
#   scripts/setup.sh --test   also what the tests need (Xvfb, WebKitWebDriver, tauri-driver, PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libayatana-appindicator3-dev
          librsvg2-dev file curl ca-certificates)
if [ "${1:-}" = "--test" ]; then
  # PostgreSQL (with pg_trgm, in contrib): the shared store's throwaway test server.
  PACKAGES+=(xvfb xauth webkit2gtk-driver dbus dbus-x11 fonts-dejavu-core postgresql postgresql-contrib)
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> Rust: installing the stable toolchain with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> cargo: installing tauri-driver 2.1.0"
  cargo install tauri-driver --version 2.1.0 --locked
fi

if [ "${1:-}" = "--test" ] && ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> cargo: installing cargo-fuzz 0.13.2 (the fuzz targets' short run)"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

echo "==> npm: UI packages"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)
echo "==> building the UI"
(cd ui && npm run --silent build)
