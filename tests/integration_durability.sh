#!/usr/bin/env bash
# What the README promises when the process, its database connection or its
# mail server fails at the worst moment (issue 10): no mail is lost (a
# process killed while sending leaves mail that the next process fails,
# alerts the owner about, and resend sends), SIGTERM ends a mail outage's
# retries at once, mail the server took but never confirmed is not sent
# twice, a slow reply to the message is waited for, a crash on either side
# of the folder swap leaves either the old reports with a failed run or the
# new ones with a succeeded run, the bookkeeping connection survives an
# idle timeout and is re-locked after being killed, and database errors
# map to one exit status whatever the phase.
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/integration_durability.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/delivery_lib.sh"

cfg=$scratch/vocreport.ini
fresh_db durability "$top/tests/fixtures/small.sql"
make_config "$cfg"
"$bin" init-db --config "$cfg" >/dev/null 2>&1 || bad "init-db"
folder=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01
digest() { (cd "$folder" && find . -type f -exec sha256sum {} + | sed 's|  .*/|  |' | sort); }
n_reports() { sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $1 AND kind = 'report'"; }
# start_job CONFIG [ENV=VALUE ...]: the job in the background; $job_pid, $scratch/err
start_job() {
    local c=$1; shift
    : >"$scratch/err"
    env "$@" "$bin" run --config "$c" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err" &
    job_pid=$!
}
# recover CONFIG: a run-due call with no job due, which only recovers
recover() {
    sed -i 's/^schedule = .*/schedule =/' "$1"
    "$bin" run-due --config "$1" >"$scratch/recover.out" 2>"$scratch/recover.err"
}

# --- 1. SIGKILL while the mail is being retried ---------------------------
port=$(free_port)
start_dropper "$port"
wait_port "$port" || bad "dropping server did not start"
mail_config "$cfg" "$port" 's/^retry_seconds = .*/retry_seconds = 5/'
start_job "$cfg"
wait_log "$scratch/err" 'retrying in' 120 || bad "kill: the mail was never retried"
kill -KILL "$job_pid"; wait "$job_pid" 2>/dev/null
run=$(last_run)
n=$(n_reports "$run")
expect_eq "kill: the run had published and stays succeeded" \
    "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run")" succeeded
expect_eq "kill: every report mail left pending" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run AND status = 'pending'")" "$n"
stop_servers
port=$(free_port)
box=$scratch/box-kill
start_server "$port" "$box"
wait_port "$port" || bad "smtp server did not start"
mail_config "$cfg" "$port"
recover "$cfg"
expect_eq "kill: the next process (run-due, nothing due) succeeds" "$?" 0
expect_eq "kill: the pending mail is failed with the reason" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run AND kind = 'report'
             AND status = 'failed' AND last_error LIKE 'interrupted: the process ended before this mail was sent%'")" "$n"
expect_match "kill: logged with the command to send it" "$(cat "$scratch/recover.err")" \
    "run $run: $n report mails were left unsent by a process that ended; marked failed, send with: vocreport resend --config $cfg --run $run"
{
    echo "to ops@example.com"
    echo "subject ops@example.com nightly: report mail failed (run $run, as of 2026-10-01)"
    echo "body ops@example.com ceo@example.com: interrupted: the process ended before this mail was sent"
    echo "body ops@example.com vocreport resend --config $cfg --run $run"
} >"$scratch/expect-alert"
check_box "kill: the owner is alerted, once" "$box" "$scratch/expect-alert"
recover "$cfg"
check_box "kill: a second recovery alerts nobody again" "$box" "$scratch/expect-alert"
rm -f "$box"/new/*
out=$("$bin" resend --config "$cfg" --run "$run" 2>&1)
expect_eq "kill: resend exit status" "$?" 0
run_id=$run
expectations "$scratch/expect-kill"
check_box "kill: resend delivers each recipient its files once" "$box" "$scratch/expect-kill"
stop_servers

# --- 2. SIGTERM during the retries: out in seconds, then recovered --------
port=$(free_port)
start_dropper "$port"
wait_port "$port" || bad "dropping server did not start"
mail_config "$cfg" "$port" 's/^retry_seconds = .*/retry_seconds = 30/' 's/^max_attempts = .*/max_attempts = 4/'
start_job "$cfg"
wait_log "$scratch/err" 'retrying in 30000 ms' 120 || bad "term: the mail was never retried"
t0=$(date +%s%N)
kill -TERM "$job_pid"; wait "$job_pid"; status=$?
took_ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "term: exit status 5 (reports published, mail not sent)" "$status" 5
expect_eq "term: out within 3 s (not after the retries): $took_ms ms" "$((took_ms < 3000))" 1
run=$(last_run)
expect_match "term: says what happened and what to do" "$(cat "$scratch/err")" \
    "stopped by signal 15 while sending the mail of run $run: $(n_reports "$run") mails not sent .*vocreport resend --config $cfg --run $run"
expect_eq "term: run succeeded, every report mail still pending, no alert yet" \
    "$(sql "SELECT r.status || ' ' || count(*) FILTER (WHERE d.status = 'pending' AND d.kind = 'report') || ' ' || count(*) FILTER (WHERE d.kind = 'alert')
             FROM vocreport.runs r JOIN vocreport.deliveries d USING (run_id) WHERE run_id = $run GROUP BY r.status")" \
    "succeeded $(n_reports "$run") 0"
expect_match "term: the interrupted attempt is recorded with the last reason" \
    "$(sql "SELECT attempts || ' ' || last_error FROM vocreport.deliveries WHERE run_id = $run ORDER BY delivery_id LIMIT 1")" \
    "^1 could not send mail to ceo@example.com via smtp://127.0.0.1:$port \\(1 attempt, stopped\\): [a-z]"
stop_servers
port=$(free_port)
box=$scratch/box-term
start_server "$port" "$box"
wait_port "$port" || bad "smtp server did not start"
mail_config "$cfg" "$port"
out=$("$bin" resend --config "$cfg" --run "$run" 2>&1)
expect_eq "term: resend (which recovers first) exit status" "$?" 0
run_id=$run
expectations "$scratch/expect-term"
echo "to ops@example.com" >>"$scratch/expect-term"
echo "body ops@example.com controlling@example.com: interrupted: the process ended" >>"$scratch/expect-term"
check_box "term: the owner alerted and every report delivered once" "$box" "$scratch/expect-term"
stop_servers

# --- 3. SIGTERM while a server says nothing at all -----------------------
port=$(free_port)
start_odd "$port" silent
wait_port "$port" || bad "silent server did not start"
mail_config "$cfg" "$port" 's/^timeout_seconds = .*/timeout_seconds = 120/'
start_job "$cfg"
wait_log "$scratch/err" 'succeeded: ' 120 || bad "silent: the run did not get to its mail"
sleep 1
t0=$(date +%s%N)
kill -TERM "$job_pid"; wait "$job_pid"; status=$?
took_ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "silent: exit status 5" "$status" 5
expect_eq "silent: out within 3 s: $took_ms ms" "$((took_ms < 3000))" 1
stop_servers
run=$(last_run)
recover "$cfg"
expect_eq "silent: the next process fails the mail left pending" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run AND kind = 'report' AND status = 'failed'")" "$(n_reports "$run")"

# --- 4. a server that takes the message and drops the line: unconfirmed --
port=$(free_port)
start_odd "$port" drop
wait_port "$port" || bad "dropping-after-data server did not start"
mail_config "$cfg" "$port" 's/^max_attempts = .*/max_attempts = 4/'
start_job "$cfg"; wait "$job_pid"; status=$?
run=$(last_run)
n=$(n_reports "$run")
expect_eq "unconfirmed: exit status 5" "$status" 5
expect_eq "unconfirmed: every report mail unconfirmed after one attempt" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run AND kind = 'report' AND status = 'unconfirmed' AND attempts = 1")" "$n"
expect_eq "unconfirmed: the server got each message once (and the owner's alert)" \
    "$(grep -c '^message' "$scratch/odd-$port.log")" "$((n + 1))"
expect_match "unconfirmed: the reason says it may have arrived" \
    "$(sql "SELECT last_error FROM vocreport.deliveries WHERE run_id = $run ORDER BY delivery_id LIMIT 1")" \
    'unconfirmed: the whole message went out but the server did not confirm it, so it may have arrived'
stop_servers
port=$(free_port)
box=$scratch/box-unconfirmed
start_server "$port" "$box"
wait_port "$port" || bad "smtp server did not start"
mail_config "$cfg" "$port"
out=$("$bin" resend --config "$cfg" --run "$run" 2>&1)
expect_eq "unconfirmed: plain resend sends nothing" "$?" 0
expect_match "unconfirmed: resend names each and says how" "$out" \
    "unconfirmed ceo@example.com: the server took the mail but never confirmed it, so it may have arrived; ask, then send it again with: vocreport resend --config $cfg --run $run --recipient ceo@example.com"
expect_eq "unconfirmed: nothing arrived" "$(ls "$box/new" 2>/dev/null | wc -l)" 0
out=$("$bin" resend --config "$cfg" --run "$run" --recipient ceo@example.com 2>&1)
expect_eq "unconfirmed: resend to a named recipient" "$?" 0
p=nightly-2026-10-01
printf 'to ceo@example.com %s-executive.xlsx %s-briefing.pdf\n' "$p" "$p" >"$scratch/expect-ceo"
check_box "unconfirmed: only the named recipient gets it" "$box" "$scratch/expect-ceo"
stop_servers

# --- 5. a reply to the message slower than timeout_seconds ---------------
port=$(free_port)
start_odd "$port" slow 4
wait_port "$port" || bad "slow server did not start"
mail_config "$cfg" "$port" 's/^timeout_seconds = .*/timeout_seconds = 2/'
start_job "$cfg"; wait "$job_pid"; status=$?
run=$(last_run)
expect_eq "slow reply: exit status 0" "$status" 0
expect_eq "slow reply: each mail sent on the first attempt" \
    "$(sql "SELECT count(*) FILTER (WHERE status = 'sent' AND attempts = 1) || '/' || count(*) FROM vocreport.deliveries WHERE run_id = $run")" \
    "$(n_reports "$run")/$(n_reports "$run")"
expect_eq "slow reply: one copy each" "$(grep -c '^message' "$scratch/odd-$port.log")" "$(n_reports "$run")"
stop_servers

# --- 6. killed between the swap and the record, and before the swap -------
port=$(free_port)
box=$scratch/box-swap
start_server "$port" "$box"
wait_port "$port" || bad "smtp server did not start"
mail_config "$cfg" "$port"
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>&1 || bad "swap: a good run first"
before=$(digest)
rm -f "$box"/new/*
start_job "$cfg" VOCREPORT_TEST_PAUSE=swapped:60
wait_log "$scratch/err" 'test hook: pausing 60 s at swapped' 120 || bad "swap: never got to the swap"
kill -KILL "$job_pid"; wait "$job_pid" 2>/dev/null
run=$(last_run)
expect_eq "after swap: the new files are live" \
    "$(digest)" "$(sql "SELECT sha256 || '  ' || regexp_replace(path, '^.*/', '') FROM vocreport.outputs WHERE run_id = $run ORDER BY 1")"
expect_eq "after swap: the run is still 'running'" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run")" running
expect_eq "after swap: the replaced folder waits beside it" "$(ls -A "$folder/.." | grep -c "^\.tmp-2026-10-01-$run$")" 1
recover "$cfg"
expect_eq "after swap: recorded succeeded by the next process" \
    "$(sql "SELECT status || ' ' || (finished_at IS NOT NULL) FROM vocreport.runs WHERE run_id = $run")" "succeeded true"
expect_match "after swap: logged" "$(cat "$scratch/recover.err")" "run $run \\(job nightly\\) had published its reports in $folder when its process ended; recorded as succeeded"
expect_eq "after swap: the replaced folder is gone" "$(ls -A "$folder/.." | grep -c '^\.tmp-')" 0
expect_eq "after swap: the figures CSV names a run with its figures" \
    "$(sql "SELECT count(*) > 0 FROM vocreport.kpi_values WHERE run_id = $(awk -F, 'NR == 2 {print $1}' "$folder/nightly-2026-10-01-figures.csv")")" t
expect_eq "after swap: its mail failed for resend" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run AND kind = 'report' AND status = 'failed'")" "$(n_reports "$run")"
rm -f "$box"/new/*
"$bin" resend --config "$cfg" --run "$run" >/dev/null 2>&1
expect_eq "after swap: resend sends it (the files match their record)" "$?" 0
published=$(digest)
rm -f "$box"/new/*
start_job "$cfg" VOCREPORT_TEST_PAUSE=publish:60
wait_log "$scratch/err" 'test hook: pausing 60 s at publish' 120 || bad "swap: never got to the publication"
kill -KILL "$job_pid"; wait "$job_pid" 2>/dev/null
run=$(last_run)
expect_eq "before swap: the previous reports stay" "$(digest)" "$published"
recover "$cfg"
expect_eq "before swap: recorded failed by the next process" \
    "$(sql "SELECT status || ': ' || error FROM vocreport.runs WHERE run_id = $run")" \
    "failed: interrupted: the process ended before the run finished"
expect_eq "before swap: its planned mail cancelled" \
    "$(sql "SELECT count(*) FILTER (WHERE status = 'cancelled') = count(*) FROM vocreport.deliveries WHERE run_id = $run AND kind = 'report'")" t
expect_eq "before swap: its unpublished files are gone" "$(ls -A "$folder/.." | grep -c '^\.tmp-')" 0
printf 'to ops@example.com\nsubject ops@example.com nightly: run failed, nothing published (run %s, as of 2026-10-01)\nbody ops@example.com interrupted: the process ended before the run finished\n' "$run" >"$scratch/expect-failed"
check_box "before swap: the owner is alerted" "$box" "$scratch/expect-failed"
expect_eq "before swap: the previous run's files still match its record" \
    "$(digest)" "$(sql "SELECT sha256 || '  ' || regexp_replace(path, '^.*/', '') FROM vocreport.outputs WHERE run_id = $((run - 1)) ORDER BY 1")"
stop_servers

# --- 7. the bookkeeping connection: idle timeout, killed, lock taken ------
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
sql "ALTER DATABASE $PGDATABASE SET idle_session_timeout = '1s'" >/dev/null
VOCREPORT_TEST_PAUSE=render:3 "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "idle timeout: the run succeeds" "$?" 0
expect_no_match "idle timeout: no reconnection was needed" "$(cat "$scratch/err")" reconnect
sql "ALTER DATABASE $PGDATABASE RESET idle_session_timeout" >/dev/null
# (other tests run beside this one on the same server: this database's locks only)
kill_meta() { sql "SELECT count(pg_terminate_backend(pid)) FROM (SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) l"; }
start_job "$cfg" VOCREPORT_TEST_PAUSE=render:4
wait_log "$scratch/err" 'test hook: pausing' 120 || bad "killed connection: never paused"
expect_eq "killed connection: one backend held the locks" "$(kill_meta)" 1
wait "$job_pid"; status=$?
expect_eq "killed connection: the run reconnects and succeeds" "$status" 0
expect_match "killed connection: says so" "$(cat "$scratch/err")" 'lost the connection that holds the job.s lock .*reconnecting'
expect_match "killed connection: locks taken again" "$(cat "$scratch/err")" 'reconnected; the job.s lock is held again'
before=$(digest)
start_job "$cfg" VOCREPORT_TEST_PAUSE=render:4
wait_log "$scratch/err" 'test hook: pausing' 120 || bad "lock taken: never paused"
kill_meta >/dev/null
psql -XAtq -c "SELECT pg_advisory_lock(hashtext('vocreport.job'), hashtext('nightly')); SELECT pg_sleep(30)" >/dev/null 2>&1 &
holder=$!
wait "$job_pid"; status=$?
run=$(last_run)
expect_eq "lock taken meanwhile: exit status 7" "$status" 7
expect_match "lock taken meanwhile: says why" "$(cat "$scratch/err")" 'another run of job "nightly" holds it now; this run stops without publishing'
expect_eq "lock taken meanwhile: recorded failed" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run")" failed
expect_eq "lock taken meanwhile: the previous reports stay" "$(digest)" "$before"
kill "$holder" 2>/dev/null; sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$holder" 2>/dev/null

# --- 8. one exit status per cause, whatever the phase ---------------------
role=vr_reader_durability
sql "DROP OWNED BY $role" >/dev/null 2>&1; sql "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
sql "CREATE ROLE $role LOGIN; GRANT CREATE ON DATABASE $PGDATABASE TO $role;
     GRANT USAGE ON SCHEMA voc TO $role; GRANT SELECT ON ALL TABLES IN SCHEMA voc TO $role;
     REVOKE SELECT ON voc.orders FROM $role" >/dev/null
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
    "s|^conninfo =.*|conninfo = user=$role|" 's/^results_schema = .*/results_schema = vr_reader_results/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1 || bad "privileges: init-db as the reader"
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "no SELECT on a source view: exit status 4" "$?" 4
expect_match "no SELECT: names it and says what to grant" "$(cat "$scratch/err")" \
    'permission denied for table orders \(hint: grant the database user'
sql "GRANT SELECT ON voc.orders TO $role; ALTER ROLE $role SET statement_timeout = 1" >/dev/null
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "statement timeout: exit status 4" "$?" 4
expect_match "statement timeout: says so" "$(cat "$scratch/err")" 'statement timeout'
sql "DROP OWNED BY $role; DROP ROLE $role" >/dev/null

finish
