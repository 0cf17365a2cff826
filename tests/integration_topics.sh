#!/usr/bin/env bash
# Topics, share of voice and root-cause cohorts: the hand-made fixture
# (tests/fixtures/topics.sql) through the real program and the real
# PostgreSQL, every topic.*, sov.* and cohort.* figure compared with the
# independent implementation (reference_topics.py), the headline figures
# with the hand calculation (topics_expected.txt), and the other figures
# with reference.py.
. "$(dirname "$0")/lib.sh"

taxonomy=$here/fixtures/topics_taxonomy.ini
cfg=$scratch/vocreport.ini
topics_config "$cfg"
expect_match "config names the fixture taxonomy" "$(cat "$cfg")" "taxonomy = $taxonomy"

# The tag rows of the fixture go into the results schema: init-db comes
# before the fixture (fresh_db would load it first).
export PGDATABASE=${VR_TOPICS_DB:-vrt_topics}
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE" || exit 1
psql -qX -v ON_ERROR_STOP=1 -f "$top/sql/demo/contract.sql" >/dev/null || exit 1
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0
psql -qX -v ON_ERROR_STOP=1 -f "$here/fixtures/topics.sql" >/dev/null || exit 1

"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
status=$?
expect_eq "run status" "$status" 0
[ "$status" = 0 ] || { tail -5 "$scratch/err"; finish; }
run_id=$(last_run)
expect_eq "run recorded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" succeeded

ref=$("$py" "$here/reference_topics.py" --db "$PGDATABASE" --run-id "$run_id" \
    --taxonomy "$taxonomy" --expect "$here/fixtures/topics_expected.txt" 2>&1)
status=$?
expect_eq "reference_topics.py agrees" "$status" 0
[ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
echo "topics: $(printf '%s\n' "$ref" | tail -1)"
# The cohorts that may be worded are candidate findings, ranked by their
# revenue at risk and p-value (reference_findings.py, the same formula).
ref=$("$py" "$here/reference_findings.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
expect_eq "reference_findings.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -10
echo "findings: $(printf '%s\n' "$ref" | tail -1)"
expect_eq "every significant cohort a candidate" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'finding.money' AND dims LIKE 'finding=revenue_at_risk;topic=%'")" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values p JOIN vocreport.kpi_values r ON r.run_id = p.run_id AND r.dims = p.dims AND r.code = 'cohort.revenue_at_risk' WHERE p.run_id = $run_id AND p.code = 'cohort.p_value' AND p.flag = 'significant' AND r.value > 0")"
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
status=$?
expect_eq "reference.py agrees" "$status" 0
[ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20

# What the figures rest on: the tag-only rows still carry the fixture's
# topics after the run's own classification, upstream topics win over tags.
expect_eq "multi-topic tag" "$(sql "SELECT array_to_string(array(SELECT unnest(topics) ORDER BY 1), ',') FROM vocreport.feedback_tags WHERE feedback_id = 213")" "app,service"
expect_eq "tag without topics" "$(sql "SELECT cardinality(topics) FROM vocreport.feedback_tags WHERE feedback_id = 160")" 0
kpi() { sql "SELECT coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || coalesce(flag, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
expect_eq "delivery worsening" "$(kpi topic.trend topic=delivery)" "1 NULL worsening"
expect_eq "app improving" "$(kpi topic.trend topic=app)" "-1 NULL improving"
expect_eq "service steady" "$(kpi topic.trend topic=service)" "0 NULL steady"
expect_eq "packaging new" "$(kpi topic.trend topic=packaging)" "NULL NULL new"
expect_eq "delivery negatives of 6 mentions" "$(kpi topic.negative topic=delivery)" "4 6 NULL"
expect_eq "returns is not a topic of the run" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND dims LIKE '%topic=returns'")" 0
expect_eq "12 history periods per topic" "$(sql "SELECT string_agg(DISTINCT c::text, ',') FROM (SELECT count(*) c FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'topic.negative_history' GROUP BY split_part(dims, ';', 2)) x")" 12
expect_eq "delivery cohort significant" "$(sql "SELECT flag FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'cohort.p_value' AND dims = 'topic=delivery'")" significant
expect_eq "empty cohort is low sample, nothing counted" "$(kpi cohort.a_churn_rate topic=quality)" "NULL 0 low_sample,no_sample"
expect_eq "own share of quality" "$(kpi sov.share 'brand=own;dimension=quality')" "0.5 6 NULL"
expect_eq "no share for a brand absent from the period" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND dims LIKE 'brand=initech%'")" 0
# The exposure window as the run resolved it (kpi_cohorts), in the Root cause
# sheet's words: 12 to 3 months before 2026-10-01, the last day included;
# churn at the end of the period's last day.
root=$(sheet_text "$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01/nightly-2026-10-01-executive.xlsx" "Root cause")
expect_match "root cause: exposure window" "$root" "exposure window 2025-10-01 – 2026-06-30,"
expect_match "root cause: outcome day" "$root" "at the end of 2026-09-30,"

# A company without usable cases and with few answers, read as pages: every
# n/a says why, whole, and a figure too wide for its box is rounded, not cut.
day=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01
brief=$(pdftotext -layout "$day/nightly-2026-10-01-briefing.pdf" - 2>/dev/null | tr -s ' ')
billing=$(pdftotext -layout "$day/dept-billing/nightly-2026-10-01-dept-billing.pdf" - 2>/dev/null | tr -s ' ')
expect_match "briefing: a case target's reason, whole" "$brief" \
    "Red cases answered within 24 h n/a min 90.0 % no usable cases rows in the source"
expect_match "briefing: no figure, so no low-sample note" "$brief" "NPS n/a min 45 none counted \(n = 0\)$"
expect_match "briefing: four journey boxes, purchase's CSAT rounded" "$brief" "^ ?0\* 100 %\* n/a 0\* 50.0 %\*"
expect_no_match "briefing: no figure cut" "$brief" "[0-9]…|[0-9]·|\(n = 0\) ·"
expect_eq "scorecard: each closure tile says why" \
    "$(grep -o 'n/a no usable cases rows in the source' <<<"$billing" | wc -l)" 3
expect_match "scorecard: one box, CSAT whole" "$billing" "0\* 100.0 %\* n/a"

# The other period rules: history steps by calendar month (month_to_date)
# or by the period's length in days (across the end of DST in Berlin).
for rule in "month_to_date 2026-10-15" "previous_week 2026-09-28" "trailing_days 2026-10-27"; do
    set -- $rule
    pcfg=$scratch/$1.ini
    sed "s/^period = .*/period = $1/" "$cfg" > "$pcfg"
    [ "$1" = trailing_days ] && sed -i 's/^period = trailing_days/period = trailing_days\ntrailing_days = 30/' "$pcfg"
    "$bin" run --config "$pcfg" --job nightly --as-of "$2" >/dev/null 2>"$scratch/err"
    status=$?
    expect_eq "$1 run" "$status" 0
    [ "$status" = 0 ] || { tail -5 "$scratch/err"; continue; }
    run_id=$(last_run)
    ref=$("$py" "$here/reference_topics.py" --db "$PGDATABASE" --run-id "$run_id" --taxonomy "$taxonomy" 2>&1)
    expect_eq "$1: reference_topics.py agrees" "$?" 0
    printf '%s\n' "$ref" | tail -3
done
finish
