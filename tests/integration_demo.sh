#!/usr/bin/env bash
# Generated demo data (realistic, with a sprinkling of every kind of dirty
# row) through the real program at the default limits; every figure
# compared with the independent implementation, and the planted effects
# visible in the figures.
. "$(dirname "$0")/lib.sh"

export PGDATABASE=vrt_demo
dropdb --if-exists "$PGDATABASE" 2>/dev/null; createdb "$PGDATABASE" || exit 1
PGTZ=Europe/Berlin "$top/scripts/demo-data.sh" --db "$PGDATABASE" --seed 7 --customers 3000 \
    --responses 15000 --as-of 2026-10-20 >/dev/null || exit 1
cfg=$scratch/vocreport.ini
make_config "$cfg"
"$bin" init-db --config "$cfg" >/dev/null 2>&1
for locale in en_US zh_CN; do
    sed -i "s/^locale = .*/locale = $locale/" "$cfg"
    "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
    status=$?
    expect_eq "demo run ($locale)" "$status" 0
    [ "$status" = 0 ] || tail -5 "$scratch/err"
done
run_id=$(last_run)
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
expect_eq "reference.py agrees on demo data" "$?" 0
printf '%s\n' "$ref" | tail -4

ref=$("$py" "$here/reference_topics.py" --db "$PGDATABASE" --run-id "$run_id" --taxonomy "$top/config/taxonomy.ini" 2>&1)
expect_eq "reference_topics.py agrees on demo data" "$?" 0
printf '%s\n' "$ref" | tail -4

# Findings by what they are worth: every candidate, its score and owner.
ref=$("$py" "$here/reference_findings.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
expect_eq "reference_findings.py agrees on demo data" "$?" 0 || printf '%s\n' "$ref" | tail -10
printf '%s\n' "$ref" | tail -1

fig() { sql "SELECT value FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
rejected=$(sql "SELECT sum(value) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'dq.rejected'")
[ "${rejected%.*}" -gt 0 ] && ok || bad "demo data should contain rejected rows"
expect_eq "every kind of dirty row is there" "$(sql "SELECT string_agg(DISTINCT split_part(split_part(dims, ';', 1), '=', 2), ',') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'dq.rejected'")" \
    "duplicate_key,empty_body,future_dated,negative_amount,orphan,out_of_scale"
"$py" - "$(fig class.arpu_ratio '')" "$(fig class.churn_rate class=detractor)" "$(fig class.churn_rate class=promoter)" <<'PY' && ok || bad "planted effects not visible"
import sys
ratio, det, pro = map(float, sys.argv[1:])
print(f"demo: promoters spend {ratio:.2f}x detractors; churn detractors {det:.1%} vs promoters {pro:.1%}")
sys.exit(0 if ratio > 1.8 and det > 2 * pro else 1)
PY
# Every stored code is in the metric catalogue: one outside it has no unit
# (a share would read 0.452 for 45.2 %) and no label. A department's or a
# touchpoint's KPI, target and margins take the unit of the metric they name
# (kpi= or metric= in their dims), so they are not entries of their own.
uncatalogued=$(comm -23 <(sql "SELECT DISTINCT code FROM vocreport.kpi_values WHERE run_id = $run_id AND code NOT IN ('dept.kpi.actual', 'dept.kpi.target', 'dept.kpi.previous', 'dept.kpi.amber', 'journey.target', 'journey.amber') ORDER BY 1" | LC_ALL=C sort) \
    <(grep -oP '^\s*(C|T0|T1)\("\K[^"]+' "$top/jobs/config/metrics.c" | LC_ALL=C sort))
expect_eq "every stored code is catalogued" "$uncatalogued" ""
expect_eq "reconciled" "$(fig recon.unexplained '')" 0
# The planted root cause: late deliveries drive churn, significantly.
expect_eq "late delivery cohort is significant" "$(sql "SELECT flag FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'cohort.p_value' AND dims = 'topic=late_delivery'")" significant
expect_eq "no raw generator topic codes" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'topic.mentions' AND dims IN ('topic=delivery', 'topic=app')")" 0
finish
