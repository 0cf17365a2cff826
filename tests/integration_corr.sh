#!/usr/bin/env bash
# Lagged correlation of monthly NPS with business metrics: the fixture
# (tests/fixtures/corr.sql) through the real program and PostgreSQL, every
# corr.* figure compared with the independent implementation
# (reference_corr.py), and the planted relation checked by hand: the lead
# conversion follows NPS exactly 3 months later with slope 0.05.
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
# One response is out of scale on purpose.
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'

export PGDATABASE=${VR_CORR_DB:-vrt_corr}
fresh_db corr "$here/fixtures/corr.sql"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
status=$?
expect_eq "run status" "$status" 0
[ "$status" = 0 ] || { tail -5 "$scratch/err"; finish; }
run_id=$(last_run)

ref=$("$py" "$here/reference_corr.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
status=$?
expect_eq "reference_corr.py agrees" "$status" 0
[ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
echo "corr: $(printf '%s\n' "$ref" | tail -1)"

val() { sql "SELECT coalesce(value::text, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
near() { # what got want tolerance
    if [ -n "$2" ] && "$py" -c "import sys; sys.exit(0 if abs(float('$2') - $3) <= $4 else 1)"; then ok
    else bad "$1: got '$2', want $3 ± $4"; fi
}
planted='metric=lead_conversion_rate'
expect_eq "best lag of the planted metric" "$(val corr.best_lag "$planted")" 3
near "planted r at lag 3" "$(val corr.r "lag=3;$planted")" 1.0 1e-9
near "planted slope at lag 3" "$(val corr.slope "lag=3;$planted")" 0.05 1e-9
expect_eq "planted pairs at lag 3 (month 2025-08 has no score)" "$(val corr.n "lag=3;$planted")" 20
expect_eq "month without a scored response is left out" "$(val corr.nps_month month=2025-08-01)" ""
expect_eq "24 months, one without a score" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'corr.nps_month'")" 23
expect_eq "cac: lags with fewer than 6 pairs are not reported" "$(sql "SELECT string_agg(dims, ',' ORDER BY dims) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'corr.n' AND dims LIKE '%metric=cac'")" "lag=0;metric=cac,lag=1;metric=cac,lag=2;metric=cac"

# The workbook carries the Correlation sheet; the briefing names the finding.
xlsx=$(ls "$VOCREPORT_OUTPUT_DIR"/nightly/2026-10-01/*-executive.xlsx 2>/dev/null | head -1)
sheet=$(sheet_text "$xlsx" Correlation 2>&1)
expect_match "Correlation sheet sentence" "$sheet" "[Ee]ach \+1 NPS point was followed 3 months later by \+0\.05 lead conversion rate \(r = 1\.00, 20 months\)"
expect_match "correlation, not proof of cause" "$sheet" "not proof of cause"
expect_match "a chart on the sheet" "$sheet" "charts 1"
# The chart's data are the months the run paired at the best lag (kpi_corr),
# not the workbook's own calendar: NPS of 2024-10 against lead conversion in
# 2025-01, ..., NPS of 2026-06 against 2026-09; 2025-08 has no score.
pairs=$("$py" -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1], data_only=True)["Correlation"]
hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "NPS month")
rows = []
r = hdr + 1
while ws.cell(r, 1).value is not None:
    # Excel dates (months), read back as datetimes
    rows.append(f"{ws.cell(r, 1).value:%Y-%m-%d}>{ws.cell(r, 3).value:%Y-%m-%d}")
    r += 1
print(len(rows), rows[0], rows[-1], "2025-08-01>2025-11-01" in rows)
' "$xlsx" 2>&1)
expect_eq "chart data: the 20 pairs of lag 3" "$pairs" "20 2024-10-01>2025-01-01 2026-06-01>2026-09-01 False"
# Slopes such as -9.92E-05 need a format, not General (jobs/config/metrics.c).
formats=$("$py" -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Correlation"]
print(sorted({c.number_format for row in ws.iter_rows() for c in row
              if isinstance(c.value, (int, float))}))
' "$xlsx" 2>&1)
expect_no_match "no number in General format" "$formats" "'General'"
finish
