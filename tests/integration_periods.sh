#!/usr/bin/env bash
# Periods a person asks for, on the hand-made fixture tests/fixtures/periods.sql:
# period = all (by hand and by run-due), ad-hoc ranges with --from/--to
# (their folder, their prior period, never another run's "previous"), and
# a period without a single survey response (log and briefing, both
# locales).  Every run's figures and recorded period are also checked by
# the independent implementation, tests/reference.py.
. "$(dirname "$0")/lib.sh"

fresh_db periods "$here/fixtures/periods.sql"
cfg=$scratch/month.ini
make_config "$cfg"
all_cfg=$scratch/all.ini
# min_sample 5: the overall NPS (6 responses) is not low-sample, so the
# workbook check sees its traffic light.
make_config "$all_cfg" 's/^period = .*/period = all/' 's/^min_sample = .*/min_sample = 5/'
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

# run WHAT CONFIG ARGS...: the log in $log, the status in $st, the run in $run.
run() {
    local what=$1 config=$2; shift 2
    log=$("$bin" run --config "$config" --job nightly "$@" 2>&1 >/dev/null); st=$?
    run=$(last_run)
    expect_eq "$what: status" "$st" 0 || printf '%s\n' "$log" | tail -5
}
reference() { # WHAT: tests/reference.py on $run
    local ref
    ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run" 2>&1)
    expect_eq "$1: reference.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -8
}
kpi() { # CODE DIMS: value|n|flag of $run
    sql "SELECT concat_ws('|', coalesce(round(value::numeric, 4)::text, 'NULL'),
                 coalesce(n::text, 'NULL'), coalesce(flag, 'NULL'))
         FROM vocreport.kpi_values WHERE run_id = $run AND code = '$1' AND dims = '$2'"
}
period_of() { # the recorded period of $run, in Berlin time
    PGTZ=Europe/Berlin sql "SELECT concat_ws(' ', period_start, period_end,
        coalesce(prior_start::text, 'NULL'), coalesce(prior_end::text, 'NULL'))
        FROM vocreport.runs WHERE run_id = $run"
}

# ---- period = all, as-of 2026-10-01.  Start: the earliest dated row is
# feedback f1, 2025-11-20 23:30 UTC = 2025-11-21 00:30 Berlin.  Responses
# before the as-of: r1 r2 r8 r7 r3 r4 r5 = 7, six scored: promoters r1 r2
# r5, passive r4, detractors r7 r3: NPS = 100 x (3 - 2) / 6 = 16.6667.
run "period = all" "$all_cfg" --as-of 2026-10-01
all_run=$run
expect_eq "all: recorded period, no prior" "$(period_of)" \
    "2025-11-21 00:00:00+01 2026-10-01 00:00:00+02 NULL NULL"
expect_eq "all: nps" "$(kpi nps '')" "16.6667|6|NULL"
expect_eq "all: responses" "$(kpi responses '')" "7.0000|7|NULL"
expect_eq "all: nps_delta" "$(kpi nps_delta '')" "NULL|6|no_prior_period"
expect_eq "all: nps_prior" "$(kpi nps_prior '')" "NULL|NULL|no_prior_period"
# f1 and f2 are negative late_delivery rows in the period.
expect_eq "all: late_delivery negative" "$(kpi topic.negative topic=late_delivery)" "2.0000|2|NULL"
expect_eq "all: late_delivery prior" "$(kpi topic.negative_prior topic=late_delivery)" "NULL|NULL|no_prior_period"
expect_eq "all: late_delivery change" "$(kpi topic.negative_change topic=late_delivery)" "NULL|NULL|no_prior_period"
expect_eq "all: late_delivery trend" "$(kpi topic.trend topic=late_delivery)" "NULL|NULL|no_prior_period"
expect_eq "all: nps decline" "$(kpi warn.nps_decline '')" "NULL|6|no_prior_period"
expect_eq "all: one history period per topic" \
    "$(sql "SELECT string_agg(DISTINCT split_part(dims, ';', 1), ',') FROM vocreport.kpi_values
            WHERE run_id = $run AND code = 'topic.negative_history'")" "period=2025-11-21"
expect_eq "all: parameters" "$(sql "SELECT parameters->>'period' FROM vocreport.runs WHERE run_id = $run")" all
reference "period = all"
xlsx=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01/nightly-2026-10-01-executive.xlsx
scores_sub=$("$py" -c 'import openpyxl, sys
print(openpyxl.load_workbook(sys.argv[1])["Scores"]["A2"].value)' "$xlsx" 2>&1)
expect_eq "all: workbook says there is no prior period" "$scores_sub" \
    "Period 2025-11-21 – 2026-09-30: everything before the as-of, so no prior period to compare with"
out=$("$py" "$here/check_workbook.py" "$xlsx" 2>&1)
expect_eq "all: workbook reads back" "$?" 0 || printf '%s\n' "$out" | grep FAIL | head -5

# The same job on a schedule: run-due's as-of is the fire time's date
# (02:30 Berlin = 00:30Z on 1 October), the period the same.
due=$("$bin" run-due --config "$all_cfg" --now 2026-10-01T01:00Z 2>&1 >/dev/null)
expect_eq "all by run-due: status" "$?" 0 || printf '%s\n' "$due" | tail -3
run=$(last_run)
expect_eq "all by run-due: a scheduled run" \
    "$(sql "SELECT trigger || ' ' || (parameters->>'period') FROM vocreport.runs WHERE run_id = $run")" "schedule all"
expect_eq "all by run-due: period" "$(period_of)" \
    "2025-11-21 00:00:00+01 2026-10-01 00:00:00+02 NULL NULL"
expect_eq "all by run-due: nps" "$(kpi nps '')" "16.6667|6|NULL"
reference "period = all by run-due"

# ---- Ad-hoc ranges.  A nightly report of August (as-of 09-01), a range of
# 1 July to 10 September (as-of 09-11, between two nightlies) and then the
# nightly of September: its "previous" is August's, never the range.
# Logistics owns delivery: August r7 (6): -100, n 1; the range r2 r7 r3
# (9, 6, 3): 100 x (1 - 2) / 3 = -33.3333, n 3; September r3 r5 (3, 10): 0.
run "nightly of August" "$cfg" --as-of 2026-09-01
august=$run
expect_eq "August: logistics nps" "$(kpi dept.kpi.actual 'department=logistics;kpi=nps')" "-100.0000|1|low_sample"
reference "nightly of August"
# Four more orders (a load between two nightlies: +100 % for the row-change gate).
sql "INSERT INTO voc.orders VALUES (105, 5, '2026-05-05 10:00+02', 10, 5, 'paid'),
     (106, 5, '2026-05-06 10:00+02', 10, 5, 'paid'), (107, 6, '2026-05-07 10:00+02', 10, 5, 'paid'),
     (108, 6, '2026-05-08 10:00+02', 10, 5, 'paid')" >/dev/null
run "range 1 July to 10 September" "$cfg" --from 2026-07-01 --to 2026-09-10
expect_eq "range: recorded as-of and period (prior: the 72 days before)" \
    "$(PGTZ=Europe/Berlin sql "SELECT as_of FROM vocreport.runs WHERE run_id = $run") $(period_of)" \
    "2026-09-11 00:00:00+02 2026-07-01 00:00:00+02 2026-09-11 00:00:00+02 2026-04-20 00:00:00+02 2026-07-01 00:00:00+02"
expect_eq "range: parameters" "$(sql "SELECT concat_ws(' ', parameters->>'period', parameters->>'range_from',
    parameters->>'range_to', parameters->>'as_of') FROM vocreport.runs WHERE run_id = $run")" \
    "range 2026-07-01 2026-09-10 2026-09-11"
expect_eq "range: logistics nps" "$(kpi dept.kpi.actual 'department=logistics;kpi=nps')" "-33.3333|3|low_sample"
expect_eq "range: published in its own folder" \
    "$(sql "SELECT output_dir FROM vocreport.runs WHERE run_id = $run")" "$VOCREPORT_OUTPUT_DIR/nightly/2026-07-01_2026-09-10"
[ -f "$VOCREPORT_OUTPUT_DIR/nightly/2026-07-01_2026-09-10/nightly-2026-07-01_2026-09-10-briefing.pdf" ] \
    && ok || bad "range: no nightly-2026-07-01_2026-09-10-briefing.pdf"
expect_match "range: the log says so" "$log" 'started: as-of 2026-09-11, .*\(Europe/Berlin, an ad-hoc range\)'
reference "range 1 July to 10 September"

run "nightly of September" "$cfg" --as-of 2026-10-01
expect_eq "September: logistics nps" "$(kpi dept.kpi.actual 'department=logistics;kpi=nps')" "0.0000|2|low_sample"
expect_eq "September: previous is August's, computed for its dates, not the range" \
    "$(kpi dept.kpi.previous 'department=logistics;kpi=nps')" "-100.0000|1|period=2026-08-01/2026-08-31,low_sample"
expect_match "September: row change compared with the August nightly, not the range" \
    "$(sql "SELECT array_to_string(gate_failures, ' / ') FROM vocreport.runs WHERE run_id = $run")" \
    "row change: orders has 8 rows, \+100\.0 % against 4 in run $august "
reference "nightly of September"

# September as a range: the same days as the nightly, published beside it;
# the prior period is the 30 days before (2 August - 31 August): r8 (no
# score) and r7 (6) = -100; September r3 r4 r5 (3, 8, 10) = 0, delta +100.
run "range of September" "$cfg" --from 2026-09-01 --to 2026-09-30
expect_eq "September range: period" "$(period_of)" \
    "2026-09-01 00:00:00+02 2026-10-01 00:00:00+02 2026-08-02 00:00:00+02 2026-09-01 00:00:00+02"
expect_eq "September range: nps" "$(kpi nps '')" "0.0000|3|low_sample"
expect_eq "September range: nps_prior" "$(kpi nps_prior '')" "-100.0000|1|NULL"
expect_eq "September range: nps_delta" "$(kpi nps_delta '')" "100.0000|3|low_sample,significant"
expect_eq "September range: responses" "$(kpi responses '')" "3.0000|3|NULL"
[ -d "$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01" ] && [ -d "$VOCREPORT_OUTPUT_DIR/nightly/2026-09-01_2026-09-30" ] \
    && ok || bad "the nightly of as-of 2026-10-01 and the range of September must both stay published"
reference "range of September"

# One day: 30 September holds r5 only (10): NPS 100; 29 September, its prior, nothing.
run "range of one day" "$cfg" --from 2026-09-30 --to 2026-09-30
expect_eq "one day: nps" "$(kpi nps '')" "100.0000|1|low_sample"
expect_eq "one day: nps_prior, nothing counted" "$(kpi nps_prior '')" "NULL|0|no_sample"
reference "range of one day"

# A range not over yet: refused like an as-of in the future, before any run row.
today=$(TZ=Europe/Berlin date +%F)
before=$(sql "SELECT count(*) FROM vocreport.runs")
out=$("$bin" run --config "$cfg" --job nightly --from 2026-09-01 --to "$today" 2>&1 >/dev/null)
expect_eq "--to today: status" "$?" 2
expect_match "--to today: message" "$out" \
    "^vocreport: --to $today is not over yet in time zone Europe/Berlin \(the range ends as [0-9-]+ begins, which is in the future\): the latest --to is yesterday$"
expect_eq "--to today: nothing recorded" "$(sql "SELECT count(*) FROM vocreport.runs")" "$before"

# ---- No survey response in the period (November).  The run succeeds,
# says so twice in the log, flags "responses" and opens the briefing with it.
warning='no survey responses between 2026-11-01 and 2026-11-30 \(Europe/Berlin\): every score is empty; is the as-of right\? \(the source.s responses span 2026-03-10 to 2026-10-05\)'
for locale in en_US zh_CN; do
    lcfg=$scratch/month_$locale.ini
    sed "s/^locale = .*/locale = $locale/" "$cfg" > "$lcfg"
    run "empty November ($locale)" "$lcfg" --as-of 2026-12-01
    expect_match "empty ($locale): warning" "$log" " WARN  run=$run job=nightly $warning$"
    expect_match "empty ($locale): repeated after success" "$log" \
        " WARN  run=$run job=nightly succeeded with an empty period: $warning$"
    expect_eq "empty ($locale): responses" "$(kpi responses '')" "0.0000|0|empty_period"
    expect_eq "empty ($locale): nps" "$(kpi nps '')" "NULL|0|low_sample,no_sample"
    pdf=$VOCREPORT_OUTPUT_DIR/nightly/2026-12-01/nightly-2026-12-01-briefing.pdf
    qpdf --check "$pdf" >/dev/null 2>&1; expect_eq "empty ($locale): qpdf --check" "$?" 0
    text=$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | tr -s '[:space:]' ' ')
    if [ "$locale" = en_US ]; then
        expect_match "empty (en_US): briefing" "$text" \
            'No survey response at all between 1 Nov 2026 and 30 Nov 2026 \(Europe/Berlin\): every score in this briefing is empty for want of data'
    else
        # Chinese wraps between any two characters: compare without spaces.
        expect_match "empty (zh_CN): briefing" "$(tr -d ' ' <<<"$text")" \
            '2026年11月1日至2026年11月30日（Europe/Berlin）之间没有任何调查答卷：本简报的所有得分均因缺少数据而为空'
    fi
    reference "empty November ($locale)"
    expect_match "empty ($locale): history says so" \
        "$("$bin" history --config "$lcfg" --last 1 | tail -1)" "^ +$run +nightly .* warning: no survey response in the period$"
done
# Without --as-of the period is today's (after every row here): the warning
# says how to ask for older data; still a success.
run "no --as-of" "$cfg"
expect_match "no --as-of: warning" "$log" "WARN .*no survey responses between .*; without --as-of the period is the job's latest: for older data give --as-of YYYY-MM-DD, or --from and --to\)$"
# A period with responses has neither warning nor sentence.
run "September again" "$cfg" --as-of 2026-10-01
expect_no_match "September: no empty-period warning" "$log" 'no survey responses between'
text=$(pdftotext -enc UTF-8 "$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01/nightly-2026-10-01-briefing.pdf" - 2>/dev/null)
expect_no_match "September: no empty-period sentence" "$text" 'No survey response at all'

# period = all asks only the dated tables the source has: without
# customer_events (optional) the start is the same, not an error.
run=$all_run; all_period=$(period_of)
sql "DROP TABLE voc.customer_events CASCADE"
run "period = all without customer_events" "$all_cfg" --as-of 2026-10-01
expect_eq "all without customer_events: same period" "$(period_of)" "$all_period"

finish
