#!/usr/bin/env bash
# Runs every row of cli_errors.tsv against the built binary ($VR_TEST_BIN).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${VR_TEST_BIN:?set VR_TEST_BIN to the vocreport binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ printf '[nightly]\nperiod = previous_month\ncurrency = '; head -c 5000 /dev/zero | tr '\0' 'E'; printf '\n'; } > "$tmp/too_long.ini"

pass=0 fail=0
while IFS=$'\t' read -r args want_status pattern; do
    case $args in \#*) continue ;; esac
    [ "$args" = "(none)" ] && args=""
    args=${args//\{C\}/$here/configs}
    args=${args//\{T\}/$tmp}
    # shellcheck disable=SC2086
    out=$("$bin" $args 2>"$tmp/stderr"); status=$?
    text=$(cat "$tmp/stderr")
    [ "$want_status" = 0 ] && text=$out
    # a here-string, not a pipe: under pipefail an early grep -q exit could
    # kill the writer with SIGPIPE and fail a row that matched
    if [ "$status" = "$want_status" ] && grep -Eq -- "$pattern" <<<"$text"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'FAIL: vocreport %s\n  status %s (want %s)\n  output: %s\n  want:   %s\n' \
            "$args" "$status" "$want_status" "$(printf '%s' "$text" | head -5)" "$pattern"
    fi
done < "$here/cli_errors.tsv"
echo "cli_errors: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
