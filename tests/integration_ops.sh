#!/usr/bin/env bash
# What the ops person who runs vocreport unattended relies on (issue 12,
# point 7): `vocreport history` lists the runs one line each, in the
# machine's local time, with figures, files, mail and the error; a database
# that is down (or a results schema that is missing) alerts the job's owner
# by mail, once per error and 6 hours, from `run` and from `run-due`, and
# every such failure is a log line with time and level.
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/integration_ops.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/delivery_lib.sh"

cfg=$scratch/vocreport.ini
fresh_db ops "$top/tests/fixtures/small.sql"
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1 || bad "init-db"

# --- history --------------------------------------------------------------
run() { "$bin" run --config "$1" --job nightly --as-of 2026-10-01 >/dev/null 2>&1; }
run "$cfg"                                                   # 1 succeeded, mail off
port=$(free_port); start_dropper "$port"; wait_port "$port" || bad "dropper"
mail_config "$scratch/mail.ini" "$port"
run "$scratch/mail.ini"                                      # 2 succeeded, mail failed
stop_servers
make_config "$scratch/strict.ini" 's/^max_rejected_share = .*/max_rejected_share = 0/'
run "$scratch/strict.ini"                                    # 3 failed: rejected rows
out=$(TZ=Asia/Shanghai "$bin" history --config "$cfg" 2>&1)
expect_eq "history: exit status" "$?" 0
expect_eq "history: a header and one line per run" "$(wc -l <<<"$out")" 4
expect_match "history: the header" "$(head -1 <<<"$out")" '^ +run +job +as-of +status +trigger +started +took +figures +files +mail +error$'
line() { sed -n "$(($1 + 1))p" <<<"$out"; }
for id in 1 2 3; do
    want=$(sql "SELECT run_id || ' +nightly +2026-10-01 +' || status || ' +manual +'
                    || to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' CST +[0-9hms]+ +'
                    || (SELECT count(*) FROM vocreport.kpi_values k WHERE k.run_id = r.run_id) || ' +'
                    || (SELECT count(*) FROM vocreport.outputs o WHERE o.run_id = r.run_id)
                FROM vocreport.runs r WHERE run_id = $id")
    expect_match "history: run $id, local time, figures and files from the tables" "$(line $id)" "^ +$want +"
done
expect_match "history: run 1 had no mail" "$(line 1)" ' - +$'
expect_match "history: run 2's mail by status" "$(line 2)" \
    " $(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = 2 AND kind = 'report'") failed +\$"
error=$(sql "SELECT error FROM vocreport.runs WHERE run_id = 3")
expect_match "history: run 3's error, cut with a mark" "$(line 3)" " ${error:0:30}.*…$"
expect_eq "history: --last 1 --job nightly" "$("$bin" history --config "$cfg" --job nightly --last 1 | tail -1 | awk '{print $1}')" 3
expect_match "history: a job without runs" "$("$bin" history --config "$cfg" --job weekly 2>/dev/null)" 'no runs of job "weekly" in vocreport$'

# --- the database is down: the owner hears it, once --------------------------
port=$(free_port)
box=$scratch/box
start_server "$port" "$box"
wait_port "$port" || bad "smtp server did not start"
mail_config "$scratch/down.ini" "$port" "s|^conninfo =.*|conninfo = host=$scratch/no-such-socket-dir|" \
    's/^schedule = .*/schedule = * * * * */'
"$bin" run --config "$scratch/down.ini" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "db down: exit status 4" "$?" 4
expect_match "db down: a log line with time and level" "$(cat "$scratch/err")" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z ERROR +run=0 job=nightly could not start: could not connect to the database'
{
    echo "to ops@example.com"
    echo "subject ops@example.com nightly: run could not start (as of 2026-10-01)"
    echo "body ops@example.com could not connect to the database"
    echo "body ops@example.com vocreport run --config $scratch/down.ini --job nightly --as-of 2026-10-01"
} >"$scratch/expect-down"
check_box "db down: the owner is alerted" "$box" "$scratch/expect-down"
"$bin" run --config "$scratch/down.ini" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_match "db down again: not alerted twice" "$(cat "$scratch/err")" 'alerted about this error less than 6 hours ago'
"$bin" run-due --config "$scratch/down.ini" >/dev/null 2>"$scratch/err"
expect_eq "db down, run-due: exit status 4" "$?" 4
expect_match "db down, run-due: logged for the job" "$(cat "$scratch/err")" 'ERROR +run=0 job=nightly could not start: could not connect'
check_box "db down, run-due: still one alert" "$box" "$scratch/expect-down"
# A different error is news: the results schema is missing.
rm -f "$box"/new/*
mail_config "$scratch/noschema.ini" "$port" 's/^results_schema = .*/results_schema = vr_missing/'
"$bin" run --config "$scratch/noschema.ini" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "schema missing: exit status 4" "$?" 4
printf 'to ops@example.com\nbody ops@example.com results schema "vr_missing" is missing\nbody ops@example.com init-db\n' >"$scratch/expect-schema"
check_box "schema missing: a new alert" "$box" "$scratch/expect-schema"
# Once a run starts, the memory is cleared: the next failure alerts at once.
rm -f "$box"/new/*
mail_config "$scratch/ok.ini" "$port"
"$bin" run --config "$scratch/ok.ini" --job nightly --as-of 2026-10-01 >/dev/null 2>&1
"$bin" run --config "$scratch/down.ini" --job nightly --as-of 2026-10-01 >/dev/null 2>&1
expect_eq "after a good run: the next failure alerts at once" \
    "$(grep -l 'could not start' "$box"/new/* 2>/dev/null | wc -l)" 1
stop_servers
finish
