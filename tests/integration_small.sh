#!/usr/bin/env bash
# The hand-made fixtures through the real program and the real PostgreSQL,
# every figure compared with the independent implementation (reference.py)
# and the headline figures with the hand calculation (small_expected.txt).
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
# The fixtures are deliberately dirty (60 % of some tables): lift the limit.
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/'

for fixture in small edge; do
    fresh_db "$fixture" "$here/fixtures/$fixture.sql"
    out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "$fixture init-db" "$?" 0
    out=$("$bin" init-db --config "$cfg" 2>&1); expect_match "$fixture init-db again" "$out" 'is up to date'
    "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
    expect_eq "$fixture run status" "$?" 0
    run_id=$(sql "SELECT max(run_id) FROM vocreport.runs")
    expect_eq "$fixture run recorded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" succeeded
    expect_args=()
    [ "$fixture" = small ] && expect_args=(--expect "$here/fixtures/small_expected.txt")
    ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" "${expect_args[@]}" 2>&1)
    status=$?
    expect_eq "$fixture reference.py agrees" "$status" 0
    [ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
    echo "$fixture: $(printf '%s\n' "$ref" | tail -1)"
done

# On small.sql the counts in runs.rejected_rows equal the dq.rejected figures.
export PGDATABASE=vrt_small
expect_eq "runs.rejected_rows matches kpi_values" "$(sql "
    SELECT count(*) FROM vocreport.runs r
    CROSS JOIN LATERAL jsonb_each(r.rejected_rows) t(tab, reasons)
    CROSS JOIN LATERAL jsonb_each_text(t.reasons) x(reason, cnt)
    JOIN vocreport.kpi_values k ON k.run_id = 1 AND k.code = 'dq.rejected'
         AND k.dims = 'reason=' || x.reason || ';table=' || t.tab AND k.value = x.cnt::float8
    WHERE r.run_id = 1")" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = 1 AND code = 'dq.rejected'")"
expect_eq "orders orphans in runs" "$(sql "SELECT rejected_rows->'orders'->>'orphan' FROM vocreport.runs WHERE run_id = 1")" 2
expect_eq "period recorded" "$(PGTZ=Europe/Berlin sql "SELECT period_start || ' ' || period_end FROM vocreport.runs WHERE run_id = 1")" \
    "2026-09-01 00:00:00+02 2026-10-01 00:00:00+02"
expect_eq "parameters recorded" "$(sql "SELECT parameters->>'churn_rule' || ',' || (parameters->>'min_sample') || ',' || (parameters->>'period') FROM vocreport.runs WHERE run_id = 1")" \
    "explicit,5,previous_month"
finish
