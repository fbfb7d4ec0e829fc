#!/usr/bin/env bash
# Measures what the window costs: release binary and package sizes, launch
# to an interactive Members table (median of several runs, through
# WebDriver), and the idle memory (RSS and PSS) of the whole process tree
# (app + WebKit processes) 10 s after launch. Needs scripts/package.sh
# first (or a release build) and the test tools (scripts/setup.sh --test).
#   scripts/measure.sh [MEMBERS]      (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
members="${1:-10000}"
bin=target/release/seatdesk
[ -x "$bin" ] || { echo "build first: scripts/package.sh" >&2; exit 1; }

echo "== sizes"
ls -l "$bin" | awk '{printf "release binary  %d bytes\n", $5}'
for f in target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  [ -e "$f" ] && ls -l "$f" | awk '{printf "%-15s %d bytes\n", substr($9, length($9)-2), $5}'
done

echo "== launch to an interactive Members table ($members members)"
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo run --release -q --example launch_time -- --members "$members" --runs 5 --bin "$bin"

echo "== idle memory 10 s after launch ($members members)"
data=$(mktemp -d)
"$bin" --data-dir "$data" --json demo --members "$members" > /dev/null
export NO_AT_BRIDGE=1 WEBKIT_DISABLE_COMPOSITING_MODE=1
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$0" --data-dir "$1" & app=$!
  sleep 10
  tree="$app $(pgrep -P "$app" | tr "\n" " ")"
  for p in $(pgrep -P "$app"); do tree="$tree $(pgrep -P "$p" | tr "\n" " ")"; done
  rss=0; pss=0
  for p in $tree; do
    [ -r /proc/$p/smaps_rollup ] || continue
    rss=$((rss + $(awk "/^Rss:/ {print \$2}" /proc/$p/smaps_rollup)))
    pss=$((pss + $(awk "/^Pss:/ {print \$2}" /proc/$p/smaps_rollup)))
  done
  echo "processes: $(echo $tree | wc -w)   RSS $((rss / 1024)) MiB   PSS $((pss / 1024)) MiB"
  kill "$app"; wait "$app" 2>/dev/null || true
' "$bin" "$data"
rm -rf "$data"
