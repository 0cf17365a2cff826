#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs and builds with
# AddressSanitizer and UndefinedBehaviorSanitizer, starts a throwaway
# PostgreSQL under var/pg-test, and runs every test with ctest.
# Usage: scripts/test.sh [ctest arguments, e.g. -R integration]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# The optimised builds too (-O2 and -O3, warnings as errors): optimisation
# finds warnings a debug build does not.
scripts/setup.sh >/dev/null
scripts/setup.sh --release >/dev/null
build=$(scripts/setup.sh --sanitize)
scripts/pg.sh start "$top/var/pg-test"
trap '"$top/scripts/pg.sh" stop "$top/var/pg-test"' EXIT
eval "$(scripts/pg.sh env "$top/var/pg-test")"
export VR_TEST_BIN="$build/vocreport" VR_TEST_BUILD="$build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
ctest --output-on-failure -j2 "$@"
