#!/usr/bin/env bash
# Runs every row of cli_errors.tsv against the built binary ($VR_TEST_BIN).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${VR_TEST_BIN:?set VR_TEST_BIN to the vocreport binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The config files decide the output root here, not the caller's environment.
unset VOCREPORT_OUTPUT_DIR
{ printf '[nightly]\nperiod = previous_month\ncurrency = '; head -c 5000 /dev/zero | tr '\0' 'E'; printf '\n'; } > "$tmp/too_long.ini"
# Bytes a report cannot show, in a config, a taxonomy and a locale's texts
# (generated: raw bytes in committed files are easy to lose in an editor).
printf '[nightly]\nperiod = previous_month\n\n[department.logistics]\nname = Log\xffistics\nhead = l@example.com\n' > "$tmp/bad_utf8.ini"
printf '[nightly]\nperiod = previous_month\ncurrency = EU\x01R\n' > "$tmp/control_char.ini"
printf '[nightly]\nperiod = previous_month\ncurrency = EU\0R\n' > "$tmp/nul_byte.ini"
printf '[nightly]\r\nperiod = previous_month\r\ncurrency = EUR\r\n' > "$tmp/crlf.ini"
printf '[topic.a]\nlabel_en = Late\x1b[0m\nlabel_zh = 迟\n' > "$tmp/bad_taxonomy.ini"
printf '[classify]\ntaxonomy = %s\n\n[nightly]\nperiod = previous_month\n' "$tmp/bad_taxonomy.ini" > "$tmp/bad_taxonomy_config.ini"
cp -r "$here/../templates" "$tmp/templates"
printf '[x]\nbad = a\x7fb\n' > "$tmp/templates/en_US/zz_bad.ini"
printf '[output]\ntemplates = %s\n\n[nightly]\nperiod = previous_month\n' "$tmp/templates" > "$tmp/bad_templates_config.ini"
# One run, three files: a config error, a template error, two taxonomy errors.
printf '[topic.a]\nlabel_en = A\nlabel_zh = 甲\nkeywords_en = a\ndepartment = logistics\ncolor = red\n' > "$tmp/two_errors_taxonomy.ini"
printf '[output]\ntemplates = %s\n\n[classify]\ntaxonomy = %s\n\n[nightly]\nperod = previous_month\n' \
    "$tmp/templates" "$tmp/two_errors_taxonomy.ini" > "$tmp/three_files.ini"

pass=0 fail=0
# An optional fourth column: how many lines the output must have (every
# error of a check-config run, one line each).
while IFS=$'\t' read -r args want_status pattern want_lines; do
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
    lines=$(grep -c '' <<<"$text")
    if [ "$status" = "$want_status" ] && grep -Eq -- "$pattern" <<<"$text" &&
        { [ -z "${want_lines:-}" ] || [ "$lines" = "$want_lines" ]; }; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'FAIL: vocreport %s\n  status %s (want %s), %s lines (want %s)\n  output: %s\n  want:   %s\n' \
            "$args" "$status" "$want_status" "$lines" "${want_lines:-any}" \
            "$(printf '%s' "$text" | head -9)" "$pattern"
    fi
done < "$here/cli_errors.tsv"
echo "cli_errors: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
