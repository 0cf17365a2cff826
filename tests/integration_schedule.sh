#!/usr/bin/env bash
# vocreport run-due against the real PostgreSQL, with a pretend clock
# (--now): what is due, catch-up after the machine was off, a failed run
# not retried, the job lock held elsewhere, two run-due processes started
# together (one runs row per job and fire time), and a backfill that
# reproduces the original run's figures after newer rows arrived.
# Fire times are 02:30 Europe/Berlin = 01:30Z in November (CET).
. "$(dirname "$0")/lib.sh"

fresh_db schedule "$here/fixtures/small.sql"

# The shipped config up to its job, then jobs written here: the fixture is
# dirty on purpose (max_rejected_share = 1).
base=$scratch/base.ini
sed '/^\[nightly\]/,$d' "$top/config/vocreport.ini" > "$base"
job() { # NAME [key = value ...]: the given keys replace the defaults
    local name=$1 kv key; shift
    local lines=("period = previous_month" "time_zone = Europe/Berlin" "min_sample = 5"
                 "max_rejected_share = 1" "schedule = 30 2 * * *")
    printf '\n[%s]\n' "$name"
    for kv in "${lines[@]}"; do
        key=${kv%% =*}
        printf '%s\n' "$@" | grep -q "^$key =" || printf '%s\n' "$kv"
    done
    for kv in "$@"; do printf '%s\n' "$kv"; done
}
cfg=$scratch/catchup.ini
{ cat "$base"; job latest "catch_up = latest"; job all "catch_up = all"
  job capped "catch_up = all" "max_catch_up = 2"; job manual_only "schedule ="; } > "$cfg"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

# due NOW CONFIG: run-due's log in $out, its exit status in $st.
due() { out=$("$bin" run-due --config "$2" --now "$1" 2>&1 >/dev/null); st=$?; }
# The job's scheduled runs, oldest first: as-of@fire time (UTC) status.
runs() {
    sql "SELECT coalesce(string_agg(to_char(as_of AT TIME ZONE 'Europe/Berlin', 'MM-DD') || '@'
             || to_char(scheduled_for AT TIME ZONE 'UTC', 'MM-DD HH24:MI') || ' ' || status, ', '
             ORDER BY run_id), '')
         FROM vocreport.runs WHERE job = '$1' AND trigger = 'schedule'"
}

# No scheduled run yet: only the most recent fire time runs (9 Nov), not
# every fire time since the schedule was written.
due 2026-11-10T01:00Z "$cfg"
expect_eq "first call status" "$st" 0
for j in latest all capped; do
    expect_eq "first call: $j" "$(runs $j)" "11-09@11-09 01:30 succeeded"
done
expect_match "first call log" "$out" 'job=latest ran as-of 2026-11-09 \(fire time 2026-11-09 01:30:00\+00\): run [0-9]+ succeeded'
expect_match "job without schedule" "$out" 'job=manual_only skipped: no schedule'
expect_eq "runs.parameters has no schedule keys" \
    "$(sql "SELECT count(*) FROM vocreport.runs WHERE parameters ? 'schedule' OR parameters ? 'catch_up'")" 0

# Ten minutes before the next fire time: nothing due.
due 2026-11-10T01:20Z "$cfg"
expect_eq "nothing due: status" "$st" 0
expect_match "nothing due: log" "$out" 'job=all nothing due \(next fire time 2026-11-10 01:30:00\+00\)'
expect_eq "nothing due: no new runs" "$(sql "SELECT count(*) FROM vocreport.runs")" 3

# At the fire time: once; a second call five minutes later runs nothing.
due 2026-11-10T01:30Z "$cfg"
expect_eq "due once: status" "$st" 0
expect_eq "due once" "$(runs latest)" "11-09@11-09 01:30 succeeded, 11-10@11-10 01:30 succeeded"
due 2026-11-10T01:35Z "$cfg"
expect_eq "second call: status" "$st" 0
expect_eq "second call runs nothing" "$(sql "SELECT count(*) FROM vocreport.runs")" 6
expect_match "second call log" "$out" 'job=latest nothing due'

# Off for three days (11, 12, 13 November missed), back at 09:00 local.
due 2026-11-13T08:00Z "$cfg"
expect_eq "catch-up: status" "$st" 0
expect_eq "catch_up = latest: the newest only" "$(runs latest)" \
    "11-09@11-09 01:30 succeeded, 11-10@11-10 01:30 succeeded, 11-13@11-13 01:30 succeeded"
expect_eq "catch_up = all: each, oldest first" "$(runs all)" \
    "11-09@11-09 01:30 succeeded, 11-10@11-10 01:30 succeeded, 11-11@11-11 01:30 succeeded, 11-12@11-12 01:30 succeeded, 11-13@11-13 01:30 succeeded"
expect_eq "max_catch_up = 2" "$(runs capped)" \
    "11-09@11-09 01:30 succeeded, 11-10@11-10 01:30 succeeded, 11-11@11-11 01:30 succeeded, 11-12@11-12 01:30 succeeded"
due 2026-11-13T08:05Z "$cfg"
expect_eq "capped continues at the next call" "$(runs capped | sed 's/.*, //')" "11-13@11-13 01:30 succeeded"
expect_eq "the others have nothing left" "$(sql "SELECT count(*) FROM vocreport.runs WHERE job IN ('latest', 'all')")" 8

# Fire times sharing an as-of are one run, for the newest: 00:15 and 23:15
# local each day.  The ledger holds a succeeded run of 14 November (its
# 00:15 fire time), so 23:15 on the 14th is already done; the two of the
# 15th are one run, recorded with 23:15 local = 22:15Z.
multi=$scratch/multi.ini
{ cat "$base"; job twice "schedule = 15 0,23 * * *" "catch_up = all"; } > "$multi"
sql "INSERT INTO vocreport.runs (job, as_of, period_start, period_end, prior_start, prior_end,
         time_zone, status, program_version, config_digest, parameters, trigger, scheduled_for)
     VALUES ('twice', '2026-11-14 00:00+01', '2026-10-01 00:00+02', '2026-11-01 00:00+01',
         '2026-09-01 00:00+02', '2026-10-01 00:00+02', 'Europe/Berlin', 'succeeded', 'test', 'test',
         '{}', 'schedule', '2026-11-13 23:15Z')" >/dev/null
due 2026-11-15T23:00Z "$multi"
expect_eq "same as-of collapses: status" "$st" 0
expect_match "same as-of already succeeded: skipped" "$out" \
    'job=twice skipped as-of 2026-11-14 \(fire time 2026-11-14 22:15:00\+00\): already done \(a scheduled run for this as-of succeeded\)'
expect_eq "same as-of collapses" "$(runs twice)" \
    "11-14@11-13 23:15 succeeded, 11-15@11-15 22:15 succeeded"

# A failed scheduled run is recorded and not retried by the next call.
strict=$scratch/strict.ini
{ cat "$base"; job strict "max_rejected_share = 0.05"; } > "$strict"
due 2026-11-13T08:00Z "$strict"
expect_eq "failed run: exit status of the data error" "$st" 3
expect_match "failed run: log" "$out" 'job=strict ran as-of 2026-11-13 .*failed: .*max_rejected_share'
expect_match "failed run: summary" "$out" '1 scheduled run failed; the most severe: '
due 2026-11-13T08:05Z "$strict"
expect_eq "failed run not retried: status" "$st" 0
expect_eq "failed run not retried" "$(runs strict)" "11-13@11-13 01:30 failed"

# The job lock held by another machine: skipped quietly, nothing recorded.
lockcfg=$scratch/lock.ini
{ cat "$base"; job held; } > "$lockcfg"
PGAPPNAME=vr_lock_holder psql -XAtq -c "SELECT pg_advisory_lock(hashtext('vocreport.job'), hashtext('held'))" \
    -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
for _ in $(seq 50); do
    [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" -gt 0 ] && break
    sleep 0.1
done
due 2026-11-13T08:00Z "$lockcfg"
expect_eq "lock held elsewhere: status" "$st" 0
expect_match "lock held elsewhere: log" "$out" 'job=held skipped as-of 2026-11-13 \(fire time 2026-11-13 01:30:00\+00\): running elsewhere'
expect_eq "lock held elsewhere: no run" "$(runs held)" ""
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vr_lock_holder'" >/dev/null
wait
due 2026-11-13T08:05Z "$lockcfg"
expect_eq "lock released: runs" "$(runs held)" "11-13@11-13 01:30 succeeded"

# Two run-due processes started together, twice, each with two jobs and
# three fire times to catch up: exactly one runs row per job and fire time.
pair=$scratch/pair.ini
{ cat "$base"; job p1 "catch_up = all"; job p2 "catch_up = all"; } > "$pair"
due 2026-11-15T02:00Z "$pair"
for now in 2026-11-18T02:00Z 2026-11-21T02:00Z; do
    "$bin" run-due --config "$pair" --now "$now" >/dev/null 2>"$scratch/a.log" & a=$!
    "$bin" run-due --config "$pair" --now "$now" >/dev/null 2>"$scratch/b.log" & b=$!
    wait $a; sa=$?; wait $b; sb=$?
    expect_eq "together ($now): both exit 0" "$sa $sb" "0 0"
    logs=$(cat "$scratch/a.log" "$scratch/b.log")
    for j in p1 p2; do
        ran=$(grep -c "job=$j ran as-of" <<<"$logs")
        expect_eq "together ($now): $j ran three as-ofs in all" "$ran" 3
        # The other process skips each, or by then finds nothing due.
        other=$(grep -Ec "job=$j (skipped as-of|nothing due)" <<<"$logs")
        [ "$other" -ge 1 ] && ok || bad "together ($now): $j: no skip logged"
    done
    printf '%s\n' "$logs" | grep -E 'job=p[12] (skipped|nothing due)' | sed 's/^[^ ]* /  /'
done
expect_eq "one runs row per job and fire time" \
    "$(sql "SELECT count(*) || ' ' || count(DISTINCT (job, scheduled_for)) FROM vocreport.runs WHERE job IN ('p1', 'p2')")" "14 14"
expect_eq "all succeeded" "$(sql "SELECT count(*) FROM vocreport.runs WHERE job IN ('p1', 'p2') AND status <> 'succeeded'")" 0

# --as-of backfill: run, let newer rows arrive (all dated at or after T),
# run again.  Every figure of the period is the same; the data-quality
# counts (dq.*) describe the tables as each run read them and grow by
# exactly the late rows; classify.tagged counts the rows this run tagged
# (docs/decisions.md, "Schedules").
bcfg=$scratch/backfill.ini
{ cat "$base"; job backfill "schedule ="; } > "$bcfg"
"$bin" run --config "$bcfg" --job backfill --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "original run" "$?" 0
first=$(last_run)
psql -qX -v ON_ERROR_STOP=1 -f "$here/fixtures/late_rows.sql" >/dev/null || bad "late rows not loaded"
"$bin" run --config "$bcfg" --job backfill --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "backfill run" "$?" 0
second=$(last_run)
figures() { # RUN: every figure but the source counts, one line each
    sql "SELECT code || '|' || dims || '|' || coalesce(value::text, 'NULL') || '|'
             || coalesce(n::text, 'NULL') || '|' || coalesce(flag, '')
         FROM vocreport.kpi_values WHERE run_id = $1
          AND code NOT LIKE 'dq.%' AND code NOT LIKE 'classify.%' ORDER BY 1"
}
figures "$first" > "$scratch/first.txt"
figures "$second" > "$scratch/second.txt"
n_fig=$(wc -l < "$scratch/first.txt")
[ "$n_fig" -gt 300 ] && ok || bad "backfill: only $n_fig figures compared"
if cmp -s "$scratch/first.txt" "$scratch/second.txt"; then ok; else
    bad "backfill differs from the original run"; diff "$scratch/first.txt" "$scratch/second.txt" | head -20
fi
echo "backfill: $n_fig figures identical"
expect_eq "backfill: dq.rows grew by the late rows only" \
    "$(sql "SELECT string_agg(substr(b.dims, 7) || '+' || (b.value - a.value)::int, ' ' ORDER BY b.dims)
            FROM vocreport.kpi_values a JOIN vocreport.kpi_values b USING (code, dims)
            WHERE a.run_id = $first AND b.run_id = $second AND code = 'dq.rows'")" \
    "cases+1 churn_events+1 customer_events+1 customers+1 feedback+2 orders+3 survey_responses+2"
expect_eq "backfill: same rejected rows" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values a JOIN vocreport.kpi_values b USING (code, dims)
            WHERE a.run_id = $first AND b.run_id = $second AND code = 'dq.rejected'
              AND a.value IS DISTINCT FROM b.value")" 0
expect_eq "backfill: same parameters" \
    "$(sql "SELECT (SELECT parameters FROM vocreport.runs WHERE run_id = $first)
                 = (SELECT parameters FROM vocreport.runs WHERE run_id = $second)")" t

finish
