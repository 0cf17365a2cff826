#!/usr/bin/env bash
# [database] source_conninfo: the contract views read from a streaming
# replica of the test cluster (pg_basebackup -R), results, locks and runs on
# the primary in a database that has no source schema at all.  Every
# kpi_values row equals the single-server run of the same data and as-of.
# A replica that cannot be reached is exit 4 with a failed run naming
# source_conninfo; the password of source_conninfo reaches no log, report
# or results table (it lives in the primary's user mapping only).
. "$(dirname "$0")/lib.sh"

pgbin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
# A socket path postgres can reach and that stays under 107 bytes.
rdir=$(mktemp -d /tmp/vr-replica.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$rdir"
stop_replica() { as_pg "$pgbin/pg_ctl" -D "$rdir/data" -m fast -w stop >/dev/null 2>&1; }
trap 'stop_replica; rm -rf "$rdir"; cleanup' EXIT
password=Sekr3t-replica-pw

cfg=$scratch/single.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/'

# The single-server run first: source and results in one database.
fresh_db replica_src "$here/fixtures/small.sql"
src_db=$PGDATABASE
"$bin" init-db --config "$cfg" >/dev/null 2>&1
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/single.err"
expect_eq "single-server run" "$?" 0 || tail -5 "$scratch/single.err"
single_run=$(last_run)

# The replica, streaming from the test cluster; the fixture was loaded
# before it was copied, a later change is waited for below. A fast
# checkpoint: the default spread one waits out most of checkpoint_timeout
# (108 s of this test's 175 s).
as_pg "$pgbin/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U postgres -D "$rdir/data" -R -X stream \
    --checkpoint=fast --no-sync >"$rdir/basebackup.log" 2>&1
expect_eq "pg_basebackup -R" "$?" 0 || cat "$rdir/basebackup.log"
as_pg "$pgbin/pg_ctl" -D "$rdir/data" -l "$rdir/server.log" -w \
    -o "-k $rdir -c listen_addresses='' -c port=$PGPORT -c hot_standby=on" start >/dev/null
expect_eq "replica in recovery" "$(psql -XAtq -h "$rdir" -d "$src_db" -c 'SELECT pg_is_in_recovery()')" t
# A row changed on the primary after the copy reaches the replica by
# streaming: the replica is live, not a snapshot of the moment of the copy.
sql "COMMENT ON TABLE voc.customers IS 'streamed'"
lsn=$(sql "SELECT pg_current_wal_lsn()")
for _ in $(seq 100); do
    [ "$(psql -XAtq -h "$rdir" -d postgres -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break
    sleep 0.1
done
expect_eq "replayed on the replica" \
    "$(psql -XAtq -h "$rdir" -d "$src_db" -c "SELECT obj_description('voc.customers'::regclass)")" streamed

# Results on the primary, in a database without the source schema: every
# source row the job reads has to come from the replica.
export PGDATABASE=vrt_replica_res
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE" || exit 1
rcfg=$scratch/replica.ini
make_config "$rcfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/' \
    "s|^source_conninfo =.*|source_conninfo = host=$rdir port=$PGPORT dbname=$src_db user=postgres password=$password|"
"$bin" init-db --config "$rcfg" >"$scratch/replica.out" 2>"$scratch/replica.err"
expect_eq "init-db on the results database" "$?" 0 || cat "$scratch/replica.err"
expect_eq "no source schema on the results database" "$(sql "SELECT to_regnamespace('voc') IS NULL")" t
"$bin" run --config "$rcfg" --job nightly --as-of 2026-10-01 >>"$scratch/replica.out" 2>>"$scratch/replica.err"
expect_eq "run with source_conninfo" "$?" 0 || tail -5 "$scratch/replica.err"
replica_run=$(last_run)
expect_eq "run recorded succeeded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $replica_run")" succeeded
expect_eq "the link reads the replica's socket" \
    "$(sql "SELECT option_value FROM pg_options_to_table((SELECT srvoptions FROM pg_foreign_server WHERE srvname = 'vocreport_src_nightly')) WHERE option_name = 'host'")" "$rdir"

figure_rows "$src_db" vocreport "$single_run" >"$scratch/single.tsv"
figure_rows vrt_replica_res vocreport "$replica_run" >"$scratch/replica.tsv"
n=$(wc -l <"$scratch/single.tsv")
expect_match "the single-server run has figures" "$n" '^[0-9]{3,}$'
expect_same_figures "single-server and replica runs" "$scratch/single.tsv" "$scratch/replica.tsv"
echo "replica: $n kpi_values rows compared"

# The password: in the user mapping (where postgres_fdw needs it), nowhere else.
expect_eq "the password is in the user mapping" \
    "$(sql "SELECT count(*) FROM pg_user_mappings WHERE srvname = 'vocreport_src_nightly' AND 'password=$password' = ANY (umoptions)")" 1

# The replica down: a clear error naming source_conninfo, exit 4
# (database unavailable, README), the run recorded failed.
stop_replica
"$bin" run --config "$rcfg" --job nightly --as-of 2026-10-01 >>"$scratch/replica.out" 2>"$scratch/down.err"
expect_eq "replica down: exit status" "$?" 4
expect_match "replica down: names source_conninfo" "$(cat "$scratch/down.err")" \
    'failed: could not read the source views through \[database\] source_conninfo .*could not connect to server "vocreport_src_nightly"'
down_run=$(last_run)
expect_eq "replica down: a new run" "$((down_run > replica_run))" 1
expect_eq "replica down: run recorded failed" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $down_run")" failed
expect_match "replica down: the run's error" "$(sql "SELECT error FROM vocreport.runs WHERE run_id = $down_run")" \
    'source_conninfo'

# No secret in the logs, the published files or the results tables.
leaks=$(cat "$scratch/replica.out" "$scratch/replica.err" "$scratch/down.err")
expect_no_match "no password in vocreport's output" "$leaks" "$password"
expect_eq "no password in the published files" \
    "$(grep -rlaF "$password" "$VOCREPORT_OUTPUT_DIR" | wc -l)" 0
for t in runs kpi_values outputs deliveries; do
    expect_eq "no password in vocreport.$t" \
        "$(sql "SELECT count(*) FROM vocreport.$t x WHERE x::text LIKE '%$password%'")" 0
done
[ -f "$PGHOST/server.log" ] &&
    expect_eq "no password in the primary's server log" "$(grep -cF "$password" "$PGHOST/server.log")" 0
expect_eq "no password in the replica's server log" "$(grep -cF "$password" "$rdir/server.log")" 0

finish
