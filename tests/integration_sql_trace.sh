#!/usr/bin/env bash
# A reader runs a metric's file of sql/ in psql and gets the run's figure
# (docs/sql.md): `vocreport run --sql-trace FILE` writes the session of the
# run's snapshot; psql replays it with the file, on the same data, and the
# rows it prints give the figures the run recorded in kpi_values (survey
# scores; customer classes, which read the run's own population table).  Also:
# the trace holds no secret and leaves nothing behind in the database.
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
# A password in the conninfo (the test server trusts the socket and ignores
# it): it must not reach the trace.
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/' \
    's/^conninfo =.*/conninfo = password=s3cret-trace/'
fresh_db sql_trace "$here/fixtures/small.sql"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0
trace=$scratch/session.sql
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 --sql-trace "$trace" >/dev/null 2>"$scratch/err"
expect_eq "run with --sql-trace" "$?" 0 || tail -5 "$scratch/err"
run=$(last_run)
expect_match "the trace names its run" "$(head -1 "$trace")" "run $run "
tables_before=$(sql "SELECT count(*) FROM pg_class WHERE relpersistence <> 't'")

# replay FILE: the rows psql prints for sql/FILE after the session, '|'-separated.
replay() {
    psql -XAtq -F '|' -v ON_ERROR_STOP=1 -f "$trace" -f "$top/sql/$1" 2>"$scratch/psql.err" |
        grep -v '^\(SET\|BEGIN\|CREATE\|ANALYZE\|RESET\|SELECT [0-9]*\)$'
}
kpi() { # CODE DIMS: the run's value, 4 decimals
    sql "SELECT round(value::numeric, 4) FROM vocreport.kpi_values
         WHERE run_id = $run AND code = '$1' AND dims = '$2'"
}

# Survey scores: per|dim|val|scored|promoters|passives|detractors|csat_n|csat_top2|ces_n|ces_sum|responses
rows=$(replay compute/survey_scores.sql)
expect_eq "survey_scores.sql runs in psql" "$?" 0 || cat "$scratch/psql.err"
checked=0
while IFS='|' read -r per dim val scored prom pass det csat_n csat_top ces_n ces_sum responses; do
    [ "$per" = cur ] || continue
    dims=""
    [ -n "$dim" ] && dims="$dim=$val"
    expect_eq "nps_n [$dims] from psql" "$scored" "$(kpi nps_n "$dims" | sed 's/\.0000$//')"
    expect_eq "promoters [$dims] from psql" "$prom" "$(kpi promoters "$dims" | sed 's/\.0000$//')"
    if [ "$scored" -gt 0 ]; then
        nps=$(awk -v p="$prom" -v d="$det" -v n="$scored" 'BEGIN { printf "%.4f", 100 * (p - d) / n }')
        expect_eq "nps [$dims] from psql's counts" "$nps" "$(kpi nps "$dims")"
    fi
    checked=$((checked + 1))
done <<<"$rows"
[ "$checked" -ge 4 ] && ok || bad "survey scores: only $checked groups read back from psql"

# Customer classes, from the run's population t_cust (built by a file with
# values, replayed by the trace): cls|customers|revenue|repeaters|churned
rows=$(replay compute/classes_by_class.sql)
expect_eq "classes_by_class.sql runs in psql" "$?" 0 || cat "$scratch/psql.err"
classes=0
while IFS='|' read -r cls customers revenue repeaters churned; do
    expect_eq "class.customers [$cls] from psql" "$customers.0000" "$(kpi class.customers "class=$cls")"
    expect_eq "class.revenue [$cls] from psql" "$(printf '%.4f' "$revenue")" "$(kpi class.revenue "class=$cls")"
    classes=$((classes + 1))
done <<<"$rows"
expect_eq "four classes read back from psql" "$classes" 4

# The session is temporary: replaying it left no table behind.
expect_eq "nothing left in the database" "$(sql "SELECT count(*) FROM pg_class WHERE relpersistence <> 't'")" "$tables_before"
# No secret: the trace is SQL and values, never the connection.
expect_no_match "no password in the trace" "$(cat "$trace")" 's3cret-trace|password'
# A trace file that cannot be written stops the run before it starts.
out=$("$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 --sql-trace /nonexistent/dir/x.sql 2>&1)
expect_eq "unwritable --sql-trace: usage error" "$?" 2
expect_match "unwritable --sql-trace: says which file" "$out" 'could not write --sql-trace /nonexistent/dir/x.sql'
finish
