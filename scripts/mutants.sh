#!/usr/bin/env bash
# Mutation testing with cargo-mutants (crates.io): would the tests notice
# if the code were wrong? Each mutant (an operator flipped, a return value
# replaced, a branch removed) must make a test fail ("caught"); a mutant
# that passes every test ("missed") is a test that cannot fail yet.
#
#   scripts/mutants.sh          short form: the money code (domain billing,
#                               plan, seats, money; about 120 mutants) against
#                               the core's unit tests, about 12 minutes here
#   scripts/mutants.sh --long   the whole domain and service layer against
#                               every test of the core (hours; before a release)
#   scripts/mutants.sh --service-sample K/N
#                               every N-th mutant of the service layer (shard K,
#                               round robin: a uniform sample), against the
#                               core's unit tests and 300 model sequences;
#                               1/8 of the service is about 95 mutants, 1-2 h
#
# Not part of the README's test command. The report is in mutants.out/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo mutants --version >/dev/null 2>&1; then
  echo "==> cargo: installing cargo-mutants"
  cargo install cargo-mutants --locked
fi
core=src-tauri/core/src
if [ "${1:-}" = "--service-sample" ]; then
  SEATDESK_MODEL_SEQUENCES=300 cargo mutants -p seatdesk-core -f "$core/service/**" -e "$core/**/*tests.rs" \
    --shard "${2:?give the shard, e.g. 0/8}" --sharding round-robin -j 1 --profile mutants --test-package seatdesk-core
elif [ "${1:-}" = "--long" ]; then
  cargo mutants -p seatdesk-core -f "$core/domain/**" -f "$core/service/**" -e "$core/**/*tests.rs" -j 1 --profile mutants --test-package seatdesk-core
else
  cargo mutants -p seatdesk-core \
    -f "$core/domain/billing.rs" -f "$core/domain/plan.rs" -f "$core/domain/seats.rs" -f "$core/domain/money.rs" \
    -j 1 --profile mutants --test-package seatdesk-core --cargo-test-arg=--lib
fi
