#!/usr/bin/env bash
# Source numbers that are not numbers (tests/fixtures/quality.sql on top of
# the topics fixture): NaN, Infinity and out-of-range sentiments, NaN
# amounts and amounts above max_order_amount are rejected rows with their
# own reasons, counted by hand; the figures they would have poisoned equal
# the hand calculation and the independent implementations (reference.py,
# reference_topics.py); no figure, in kpi_values or finance's CSV, is NaN
# or infinite.
. "$(dirname "$0")/lib.sh"

taxonomy=$here/fixtures/topics_taxonomy.ini
cfg=$scratch/vocreport.ini
topics_config "$cfg"

export PGDATABASE=vrt_quality
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE" || exit 1
psql -qX -v ON_ERROR_STOP=1 -f "$top/sql/demo/contract.sql" >/dev/null || exit 1
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0
for f in topics quality; do
    psql -qX -v ON_ERROR_STOP=1 -f "$here/fixtures/$f.sql" >/dev/null || exit 1
done

"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
status=$?
expect_eq "run status" "$status" 0
[ "$status" = 0 ] || { tail -5 "$scratch/err"; finish; }
run_id=$(last_run)
kpi() { sql "SELECT coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || coalesce(flag, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }

# Hand counts (see the top of quality.sql; topics.sql's own rejected rows too).
expect_eq "invalid_sentiment rows" "$(kpi dq.rejected 'reason=invalid_sentiment;table=feedback' | cut -d' ' -f1)" 4
expect_eq "feedback reasons" \
    "$(sql "SELECT rejected_rows->'feedback' FROM vocreport.runs WHERE run_id = $run_id")" \
    '{"orphan": 1, "empty_body": 1, "future_dated": 1, "duplicate_key": 1, "invalid_sentiment": 4}'
expect_eq "order reasons" "$(sql "SELECT rejected_rows->'orders' FROM vocreport.runs WHERE run_id = $run_id")" \
    '{"not_finite": 2, "implausible_amount": 1}'
expect_eq "limit recorded" \
    "$(sql "SELECT parameters->>'max_order_amount' FROM vocreport.runs WHERE run_id = $run_id")" 1000000
expect_eq "warranty sentiment score" "$(kpi topic.sentiment_score topic=warranty)" "37.5 3 NULL"
expect_eq "warranty negatives" "$(kpi topic.negative topic=warranty | cut -d' ' -f1-2)" "2 3"
money() { sql "SELECT round(value::numeric, 2) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
expect_eq "ledger: all but the NaN amount" "$(money recon.revenue_ledger '')" 1000001002279.99
expect_eq "bridge: NaN cost row" "$(money recon.rejected_revenue reason=not_finite)" 80.00
expect_eq "bridge: implausible order" "$(money recon.rejected_revenue reason=implausible_amount)" \
    999999999999.99
expect_eq "ties out" "$(money recon.unexplained '')" 0.00
expect_eq "no non-finite figure" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id
            AND value IN ('NaN', 'Infinity', '-Infinity')")" 0
expect_eq "no not_finite flag" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND flag LIKE '%not_finite%'")" 0

# Finance's CSV: every value is empty or a finite number.
csv=$(ls "$VOCREPORT_OUTPUT_DIR"/nightly/2026-10-01/*-figures.csv)
out=$("$py" - "$csv" <<'PY'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
bad = [r for r in rows if r['value'] and not math.isfinite(float(r['value']))]
print(len(rows), len(bad))
PY
)
expect_match "csv rows, none non-finite" "$out" '^[0-9]{3,} 0$'
expect_no_match "csv spells no nan or inf" "$(cut -d, -f4 "$csv")" '[Nn][Aa][Nn]|[Ii][Nn][Ff]'

# The Data quality sheet names the reason in words.
book=$(ls "$VOCREPORT_OUTPUT_DIR"/nightly/2026-10-01/*-executive.xlsx)
out=$("$py" - "$book" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print('\n'.join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c))
PY
)
expect_match "reason in words" "$out" 'Sentiment not a number in -1\.\.1'

ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
expect_eq "reference.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -20
ref=$("$py" "$here/reference_topics.py" --db "$PGDATABASE" --run-id "$run_id" --taxonomy "$taxonomy" 2>&1)
expect_eq "reference_topics.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -20

# max_order_amount = 0: no limit, the large order is revenue again.
sed -i 's/^max_order_amount = .*/max_order_amount = 0/' "$cfg"
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "run without a limit" "$?" 0 || tail -5 "$scratch/err"
run_id=$(last_run)
expect_eq "no limit recorded" \
    "$(sql "SELECT parameters->>'max_order_amount' FROM vocreport.runs WHERE run_id = $run_id")" 0
expect_eq "no implausible order" "$(sql "SELECT rejected_rows->'orders' FROM vocreport.runs WHERE run_id = $run_id")" \
    '{"not_finite": 2}'
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
expect_eq "reference.py agrees without a limit" "$?" 0 || printf '%s\n' "$ref" | tail -20

# Duplicates are ranked only within the keys more than one row shares
# (d_<table> in quality.c): three rows without a response_id are one group
# (PARTITION BY groups NULLs: the first by time is kept), two copies of key
# 40 at the same moment are decided by the row's text ("(40,21,...,3,..."
# sorts before "(40,21,...,9,...": the 9 is rejected), and key 41 seen once
# without a time is kept.
sql "INSERT INTO voc.survey_responses VALUES
     (NULL, 21, '2026-09-05 10:00+02', 'delivery', 'email', 1, 1, 1),
     (NULL, 22, '2026-09-04 10:00+02', 'delivery', 'email', 10, 5, 7),
     (NULL, 23, NULL, 'delivery', 'email', 5, 3, 4),
     (40, 21, '2026-09-06 10:00+02', 'purchase', 'app', 9, 5, 7),
     (40, 21, '2026-09-06 10:00+02', 'purchase', 'app', 3, 5, 7),
     (41, 22, NULL, 'purchase', 'app', 8, 4, 6)" >/dev/null
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "run with duplicate keys" "$?" 0 || tail -5 "$scratch/err"
run_id=$(last_run)
expect_eq "duplicates: two without a key, one of key 40" \
    "$(sql "SELECT rejected_rows->'survey_responses' FROM vocreport.runs WHERE run_id = $run_id")" \
    '{"duplicate_key": 3}'
# Kept in September: 1 (nps 3), 2 (9), 3 (7), the key-less row of 09-04
# (10) and 40 (3); 41 has no time, so no period: promoters 2, detractors 2
# of 5 scored.
expect_eq "nps by hand" "$(kpi nps '' | cut -d' ' -f1-2)" "0 5"
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
expect_eq "reference.py agrees on duplicate keys" "$?" 0 || printf '%s\n' "$ref" | tail -20
# Unknown customers (sql/extract/orphan_keys.sql): an order without a
# customer and one of customer 999999 are orphans; a feedback row without
# a customer is a public post and kept. The key set is read in customer
# order from a view's customer index or sorted when there is none. Tables
# this small are sorted whatever their indexes, so the first run has
# sequential scans switched off (the plan is checked), and the second runs
# with every customer index dropped: the same rows are rejected and every
# figure is the same (but classify.tagged: the first run classified the
# new post).
sql "INSERT INTO voc.orders VALUES
     (9001, NULL, '2026-09-10 10:00+02', 10.00, 5.00, 'paid'),
     (9002, 999999, '2026-09-10 10:00+02', 10.00, 5.00, 'paid')" >/dev/null
sql "INSERT INTO voc.feedback VALUES
     (9003, NULL, NULL, '2026-09-10 10:00+02', 'twitter', NULL, 'The courier was friendly', NULL, NULL)" >/dev/null
sql "ALTER DATABASE $PGDATABASE SET enable_seqscan = off" >/dev/null
expect_match "the key set read from the customer index" \
    "$(psql -XAtq -c "SET enable_hashagg = off" -c "SET enable_hashjoin = off" \
        -c "EXPLAIN SELECT DISTINCT customer_id FROM voc.orders WHERE customer_id IS NOT NULL")" \
    'Index (Only )?Scan using orders_customer_id_idx'
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "run with unknown customers" "$?" 0 || tail -5 "$scratch/err"
indexed=$(last_run)
sql "ALTER DATABASE $PGDATABASE RESET enable_seqscan" >/dev/null
expect_eq "orphan orders: no customer, unknown customer" \
    "$(sql "SELECT rejected_rows->'orders' FROM vocreport.runs WHERE run_id = $indexed")" \
    '{"orphan": 2, "not_finite": 2}'
expect_eq "a public post is kept" \
    "$(sql "SELECT rejected_rows->'feedback' FROM vocreport.runs WHERE run_id = $indexed")" \
    '{"orphan": 1, "empty_body": 1, "future_dated": 1, "duplicate_key": 1, "invalid_sentiment": 4}'
sql "DROP INDEX voc.orders_customer_id_idx, voc.churn_events_customer_id_idx,
     voc.survey_responses_customer_id_idx, voc.feedback_customer_id_idx,
     voc.customer_events_customer_id_idx, voc.cases_customer_id_idx" >/dev/null
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "run without customer indexes" "$?" 0 || tail -5 "$scratch/err"
sorted=$(last_run)
expect_eq "same rejected rows without the indexes" \
    "$(sql "SELECT (SELECT rejected_rows FROM vocreport.runs WHERE run_id = $indexed)
                 = (SELECT rejected_rows FROM vocreport.runs WHERE run_id = $sorted)")" t
expect_eq "same figures without the indexes" \
    "$(sql "SELECT string_agg(concat_ws(' ', code, dims, value, n, flag), '; ' ORDER BY code, dims, value)
              FROM ((SELECT code, dims, value, n, flag FROM vocreport.kpi_values WHERE run_id = $indexed
                     EXCEPT SELECT code, dims, value, n, flag FROM vocreport.kpi_values WHERE run_id = $sorted)
                    UNION ALL
                    (SELECT code, dims, value, n, flag FROM vocreport.kpi_values WHERE run_id = $sorted
                     EXCEPT SELECT code, dims, value, n, flag FROM vocreport.kpi_values WHERE run_id = $indexed)) d
             WHERE code <> 'classify.tagged'")" ""
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$sorted" 2>&1)
expect_eq "reference.py agrees with unknown customers" "$?" 0 || printf '%s\n' "$ref" | tail -20
finish
