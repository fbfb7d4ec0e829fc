#!/usr/bin/env bash
# Runs every cargo-fuzz target (src-tauri/core/fuzz) for SECONDS each
# (default 15, the short run the tests make; the long run in the README
# gives 600). The targets: the members CSV importer, the email and phone
# parsers, and the Tauri commands' argument decoding.
#
# cargo-fuzz needs a nightly compiler's -Z flags: RUSTC_BOOTSTRAP=1 lets
# the stable toolchain take them (no toolchain download). `-s none` leaves
# AddressSanitizer out for speed; FUZZ_SANITIZER=address puts it back.
set -euo pipefail
cd "$(dirname "$0")/../src-tauri/core"
seconds="${1:-15}"
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"
cargo fuzz build -s "$sanitizer"
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
for target in email phone csv_import command_args; do
  mkdir -p "fuzz/corpus/$target"
  echo "==> fuzz $target for ${seconds} s"
  log="$log_dir/$target.log"
  # Any non-zero exit fails the run: a crash, a failed property, an input
  # slower than 10 s (-timeout), a process above 2 GiB (-rss_limit_mb), or
  # a fuzzer that could not start.
  set +e
  cargo fuzz run -s "$sanitizer" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  grep -E "^Done|stat::number_of_executed_units|ERROR|panicked|SUMMARY" "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target failed (exit $status): a crash, a failed property, a timeout, out of memory, or it did not start" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  # It ran its full time: libFuzzer's last line says how long.
  ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  if [ -z "$ran" ] || [ "$ran" -lt $((seconds - 1)) ]; then
    echo "fuzz: $target did not run its full ${seconds} s (ran: ${ran:-unknown})" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target ran ${runs:-?} inputs in ${ran} s ($(( ${runs:-0} / (ran > 0 ? ran : 1) )) per second)"
done
