#!/usr/bin/env bash
# A SQL_ASCII database can hold feedback that is not valid UTF-8 (a UTF-8
# database cannot): such a body is rejected as invalid_utf8, counted, and
# the run still completes; valid Chinese text in the same database is kept.
. "$(dirname "$0")/lib.sh"

export PGDATABASE=vrt_sql_ascii
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb -T template0 -E SQL_ASCII --lc-collate=C --lc-ctype=C "$PGDATABASE" || exit 1
psql -qX -v ON_ERROR_STOP=1 -f "$top/sql/demo/contract.sql" >/dev/null || exit 1
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
INSERT INTO voc.customers VALUES (1, 'retail', 'north', '2025-01-01');
INSERT INTO voc.feedback (feedback_id, customer_id, received_at, channel, body) VALUES
 (1, 1, '2026-09-10 10:00+02', 'review', 'fine'),
 (2, 1, '2026-09-11 10:00+02', 'review', E'broken \xff\xfe bytes'),
 (3, 1, '2026-09-12 10:00+02', 'review', E'half a character \xe9'),
 (4, 1, '2026-09-13 10:00+02', 'review', '送货很快');
SQL
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "run on SQL_ASCII" "$?" 0
expect_eq "invalid_utf8 counted" "$(sql "SELECT value FROM vocreport.kpi_values WHERE code = 'dq.rejected' AND dims = 'reason=invalid_utf8;table=feedback'")" 2
expect_eq "valid rows kept" "$(sql "SELECT value FROM vocreport.kpi_values WHERE code = 'dq.rows' AND dims = 'table=feedback'")" 4
expect_eq "recorded in runs" "$(sql "SELECT rejected_rows->'feedback'->>'invalid_utf8' FROM vocreport.runs")" 2
finish
