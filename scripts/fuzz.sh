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
for target in email phone csv_import command_args; do
  mkdir -p "fuzz/corpus/$target"
  echo "==> fuzz $target for ${seconds} s"
  cargo fuzz run -s "$sanitizer" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 2>&1 | grep -E "^Done|stat::number_of_executed_units|ERROR|panicked|SUMMARY" || true
  # libFuzzer exits non-zero on a crash; pipefail would hide it behind grep,
  # so a crash is detected by its artifact instead.
  if ls "fuzz/artifacts/$target"/crash-* >/dev/null 2>&1; then
    echo "fuzz: $target found a crash: $(ls fuzz/artifacts/$target/crash-*)" >&2
    exit 1
  fi
done
