#!/usr/bin/env bash
# Department packs through the real program: one run writes, per department
# of the job, <job>-<as_of>-dept-<D>.pdf (audience department, outputs
# .department = D), a one-page A4 scorecard; a row planted in one pack's
# slice with the test hook VOCREPORT_TEST_PLANT_LEAK is caught by the leak
# check, which logs an error, writes none of that pack's files and holds
# delivery, while the run and every other file still succeed.
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/' 's/^gate_[a-z_]* = .*//'
depts=$(sed -n 's/^\[department\.\(.*\)\]$/\1/p' "$cfg")
expect_match "config has departments" "$depts" 'logistics'
fresh_db packs "$here/fixtures/small.sql"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
expect_eq "run status" "$?" 0
run_id=$(last_run)
dir=$(head -1 "$scratch/out")
for d in $depts; do
    f=$dir/dept-$d/nightly-2026-10-01-dept-$d.pdf
    expect_eq "$d scorecard written" "$([ -s "$f" ] && echo yes)" yes
    expect_eq "$d outputs row" \
        "$(sql "SELECT string_agg(kind || ' ' || audience, ',' ORDER BY kind) FROM vocreport.outputs WHERE run_id = $run_id AND department = '$d'")" \
        "pdf department,xlsx department"
    expect_eq "$d workbook written" "$([ -s "${f%.pdf}.xlsx" ] && echo yes)" yes
    expect_eq "$d one page" "$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }')" 1
    expect_match "$d A4" "$(pdfinfo "$f" 2>/dev/null)" 'Page size: +595.2[0-9]* x 841.8[0-9]* pts'
    qpdf --check "$f" >/dev/null 2>&1; expect_eq "$d qpdf --check" "$?" 0
done
expect_no_match "clean run: no leak" "$(cat "$scratch/err")" 'leak_check|delivery held'

expect_eq "clean run: no gate failure" \
    "$(sql "SELECT cardinality(gate_failures) FROM vocreport.runs WHERE run_id = $run_id")" 0

# A foreign figure planted in logistics' pack: caught, pack not written.
VOCREPORT_TEST_PLANT_LEAK='logistics:topic.negative:topic=app_crash' \
    "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
expect_eq "planted run status" "$?" 0
err=$(cat "$scratch/err")
expect_match "leak logged at error level" "$err" \
    'ERROR .*leak_check: nightly-2026-10-01-dept-logistics would show topic.negative topic=app_crash, owned by'
expect_match "leak recorded as a failed gate (holds the mail)" \
    "$(sql "SELECT array_to_string(gate_failures, '|') FROM vocreport.runs WHERE run_id = $(last_run)")" \
    '^leak_check: nightly-2026-10-01-dept-logistics would show topic.negative topic=app_crash'
expect_match "delivery held" "$err" 'ERROR .*delivery held: 1 department pack'
run_id=$(last_run)
dir=$(head -1 "$scratch/out")
expect_eq "leaking pack not written" "$(ls -R "$dir" | grep -c 'dept-logistics')" 0
expect_eq "leaking pack not recorded" \
    "$(sql "SELECT count(*) FROM vocreport.outputs WHERE run_id = $run_id AND department = 'logistics'")" 0
expect_eq "other packs written" "$(ls "$dir"/dept-* | grep -c 'dept-.*\.pdf')" "$(($(wc -w <<<"$depts") - 1))"
expect_eq "other packs' workbooks written" "$(ls "$dir"/dept-* | grep -c 'dept-.*\.xlsx')" "$(($(wc -w <<<"$depts") - 1))"
expect_eq "executive briefing written" "$(ls "$dir" | grep -c 'briefing.pdf')" 1

# A company-wide figure (no owner at all) is a leak too.
VOCREPORT_TEST_PLANT_LEAK='billing:nps:' \
    "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_match "company-wide figure caught" "$(cat "$scratch/err")" \
    'leak_check: nightly-2026-10-01-dept-billing would show nps, company-wide'
finish
