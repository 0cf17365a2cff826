#!/usr/bin/env bash
# Source tables partitioned by month (tests/fixtures/partition_source.sql:
# the same rows as the plain fixture, the contract views over partitioned
# tables): every kpi_values row equals the run on the plain tables, and the
# plan the job's period-bounded ledger query ran with (auto_explain, in the
# server's log) scans only the partitions of the run's trailing year.
. "$(dirname "$0")/lib.sh"

fresh_db partitioned "$here/fixtures/small.sql" "$here/fixtures/partition_source.sql"
db=$PGDATABASE
common=('s/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/')
plain=$scratch/plain.ini
make_config "$plain" "${common[@]}"
parted=$scratch/parted.ini
# Results of their own: the first run's tags would be the second's
# "nothing new to classify" otherwise.
make_config "$parted" "${common[@]}" 's/^source_schema = .*/source_schema = vocp/' \
    's/^results_schema = .*/results_schema = vocreport_p/'
expect_eq "partitioned: orders is partitioned" \
    "$(sql "SELECT relkind FROM pg_class WHERE oid = 'vocp_data.orders'::regclass")" p
expect_eq "partitioned: same rows" \
    "$(sql "SELECT (SELECT count(*) FROM vocp.orders) || ' ' || (SELECT count(*) FROM vocp.feedback)")" \
    "$(sql "SELECT (SELECT count(*) FROM voc.orders) || ' ' || (SELECT count(*) FROM voc.feedback)")"

for c in "$plain" "$parted"; do
    "$bin" init-db --config "$c" >/dev/null 2>"$scratch/err" || cat "$scratch/err"
done
"$bin" run --config "$plain" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/plain.err"
expect_eq "plain run" "$?" 0 || tail -5 "$scratch/plain.err"

# Every statement of the partitioned run's sessions logs the plan it ran.
log=$PGHOST/server.log
from=$(wc -c <"$log")
sql "ALTER DATABASE $db SET session_preload_libraries = 'auto_explain'"
sql "ALTER DATABASE $db SET auto_explain.log_min_duration = 0"
"$bin" run --config "$parted" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/parted.err"
expect_eq "partitioned run" "$?" 0 || tail -5 "$scratch/parted.err"
sql "ALTER DATABASE $db RESET ALL"

last_run_in() { sql "SELECT max(run_id) FROM $1.runs"; }
figure_rows "$db" vocreport "$(last_run_in vocreport)" >"$scratch/plain.tsv"
figure_rows "$db" vocreport_p "$(last_run_in vocreport_p)" >"$scratch/parted.tsv"
n=$(wc -l <"$scratch/plain.tsv")
expect_match "the plain run has figures" "$n" '^[0-9]{3,}$'
expect_same_figures "plain and partitioned source" "$scratch/plain.tsv" "$scratch/parted.tsv"
echo "partitioned: $n kpi_values rows compared"

# The ledger (sql/compute/classes_ledger.sql, its first line in the log): paid orders in [T - 12 months, T), T = 1
# October 2026 in Berlin.  The partitions it may scan: October 2025 to
# September 2026, twelve; the fixture's orders run from June 2025 to
# December 2026, so seven month partitions and the default one are left.
plan=$(tail -c +"$((from + 1))" "$log" | awk '
    /Query Text: -- The revenue ledger/ { on = 1; print; next }
    on && /^\t/ { print; next }
    { on = 0 }')
expect_match "the ledger query's plan was logged" "$plan" 'FROM src_orders'
scanned=$(grep -oE ' on orders_[a-z0-9]+' <<<"$plan" | sed 's/ on //' | LC_ALL=C sort -u | tr '\n' ' ')
want=$(for m in 2025-10 2025-11 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 \
    2026-08 2026-09; do printf 'orders_%s ' "${m/-/}"; done)
expect_eq "the ledger scans only its year's partitions" "$scanned" "$want" || printf '%s\n' "$plan" | head -40
expect_eq "partitions of orders" \
    "$(sql "SELECT count(*) FROM pg_inherits WHERE inhparent = 'vocp_data.orders'::regclass")" 20

finish
