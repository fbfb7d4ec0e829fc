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
if [ "${1:-}" = "--long" ]; then
  cargo mutants -p seatdesk-core -f "$core/domain/**" -f "$core/service/**" -e "$core/**/*tests.rs" -j 1 --profile mutants --test-package seatdesk-core
else
  cargo mutants -p seatdesk-core \
    -f "$core/domain/billing.rs" -f "$core/domain/plan.rs" -f "$core/domain/seats.rs" -f "$core/domain/money.rs" \
    -j 1 --profile mutants --test-package seatdesk-core --cargo-test-arg=--lib
fi
