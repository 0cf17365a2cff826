#!/usr/bin/env bash
# The search for feedback to classify across server restarts, on a cluster
# of its own (the suite's server cannot be restarted under the other
# tests): a clean restart keeps the statistics, so the night after it
# still skips the full search; a crash discards them, so the night after
# it searches in full, and finds a row written before the crash that no
# counter saw (docs/decisions.md, "Finding the feedback to classify").
. "$(dirname "$0")/lib.sh"

pgbin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
# A socket path postgres can reach and that stays under 107 bytes.
rdir=$(mktemp -d /tmp/vr-restart.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$rdir"
server() { as_pg "$pgbin/pg_ctl" -D "$rdir/data" -w "$@" >/dev/null 2>&1; }
start() { server -l "$rdir/server.log" -o "-k $rdir -c listen_addresses='' -c port=$PGPORT -c fsync=off" start; }
trap 'server -m immediate stop; rm -rf "$rdir"; cleanup' EXIT
as_pg "$pgbin/initdb" -D "$rdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$rdir/initdb.log" 2>&1
expect_eq "initdb" "$?" 0 || cat "$rdir/initdb.log"
start
expect_eq "the test's own server started" "$?" 0 || tail -5 "$rdir/server.log"
export PGHOST=$rdir

fresh_db tagrestart "$here/fixtures/small.sql"
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1
run() { "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"; }
. "$here/tag_lib.sh"
full="full search: the source or the tags changed since the last one"

run; expect_eq "first night" "$?" 0
expect_eq "first night: full search" "$(found)" "found 9 feedback rows to classify (full search: no full search to compare with)"
run; expect_eq "nothing new: no full search" "$(found)" "found 0 feedback rows to classify ($same)"

# A clean restart (what an upgrade or a reboot does): the counters survive.
server -m fast stop; start
expect_eq "restarted cleanly" "$?" 0
run; expect_eq "after a clean restart: no full search" "$(found)" "found 0 feedback rows to classify ($same)"

# A crash: a row written where no counter saw it, then the server killed
# (stop -m immediate: no shutdown checkpoint, no statistics saved).
uncounted "INSERT INTO voc.feedback VALUES (60, 1, NULL, '2026-09-20 10:00+02', 'review', NULL, 'The app keeps crashing when I pay', NULL, NULL)"
server -m immediate stop; start
expect_eq "restarted after a crash" "$?" 0
expect_match "the crash was recovered from" "$(cat "$rdir/server.log")" "not properly shut down|automatic recovery"
run; expect_eq "after a crash: full search" "$(found)" "found 1 feedback rows to classify ($full)"
expect_eq "the row no counter saw is tagged" "$(tag 60)" "$(classified 'The app keeps crashing when I pay')"
run; expect_eq "and the night after: none" "$(found)" "found 0 feedback rows to classify ($same)"
finish
