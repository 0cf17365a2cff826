#!/usr/bin/env bash
# What a run leaves behind when it succeeds, is repeated, is killed half
# way, meets dirty data over the limit, or cannot reach its database: no
# half-written folder is ever published, a failed run is recorded as failed,
# the previous good report stays, and no secret reaches a log or a table.
. "$(dirname "$0")/lib.sh"

fresh_db publish "$here/fixtures/small.sql"
cfg=$scratch/vocreport.ini
secret=Sup3rSecretPassw0rd
# trust authentication ignores the password, so it can sit in the conninfo.
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
    "s|^conninfo =.*|conninfo = dbname=$PGDATABASE password=$secret|"
"$bin" init-db --config "$cfg" >/dev/null 2>&1
folder=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01
run() { "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 "$@"; }
# "sha256  name" of every file, department folders included
digest() { (cd "$folder" && find . -type f -exec sha256sum {} + | sed 's|  .*/|  |' | sort); }

# 1. A run publishes both files and records their size and sha256.
run >"$scratch/out1" 2>"$scratch/err1"; expect_eq "first run" "$?" 0
expect_eq "stdout names the folder" "$(head -1 "$scratch/out1")" "$folder"
expect_eq "three company files" "$(ls "$folder" | grep -vc -- '^dept-')" 3
expect_eq "each pack in its own folder, closed to others" \
    "$(find "$folder" -mindepth 1 -type d -printf '%f %m\n' | sort | tr '\n' ' ')" \
    "$(sql "SELECT string_agg('dept-' || department || ' 750', ' ' ORDER BY 'dept-' || department) || ' ' FROM (SELECT DISTINCT department FROM vocreport.outputs WHERE run_id = 1 AND department IS NOT NULL) d")"
expect_eq "a pack per department" \
    "$(sql "SELECT count(DISTINCT department) FROM vocreport.outputs WHERE run_id = 1 AND audience = 'department'")" \
    "$(grep -c '^\[department\.' "$cfg")"
recorded=$(sql "SELECT sha256 || '  ' || regexp_replace(path, '^.*/', '') FROM vocreport.outputs WHERE run_id = 1 ORDER BY 1")
expect_eq "outputs.sha256 = file digests" "$recorded" "$(digest | sort)"
expect_eq "outputs.bytes = file sizes" "$(sql "SELECT sum(bytes) FROM vocreport.outputs WHERE run_id = 1")" \
    "$(find "$folder" -type f -exec cat {} + | wc -c)"
expect_eq "outputs kinds" "$(sql "SELECT string_agg(kind || ':' || audience, ',' ORDER BY kind) FROM vocreport.outputs WHERE run_id = 1 AND audience <> 'department'")" \
    "csv:finance,pdf:executive,xlsx:executive"

# Finance's CSV holds exactly the figures of kpi_values: money to the cent,
# every other number to the last digit (check_figures_csv.py).
sql "COPY (SELECT code, dims, coalesce(value::text, ''), coalesce(n::text, ''), coalesce(flag, '') FROM vocreport.kpi_values WHERE run_id = 1) TO STDOUT" > "$scratch/db.tsv"
out=$("$py" "$here/check_figures_csv.py" "$folder/nightly-2026-10-01-figures.csv" "$scratch/db.tsv" 2>&1) && ok || bad "figures CSV differs from kpi_values: $out"

# 2. The same job and as-of again replaces the folder (new run id inside).
before=$(digest)
run >/dev/null 2>"$scratch/err2"; expect_eq "second run" "$?" 0
expect_eq "still one folder" "$(ls -A "$VOCREPORT_OUTPUT_DIR/nightly" | tr '\n' ' ')" "2026-10-01 "
after=$(digest)
[ "$before" != "$after" ] && ok || bad "re-run did not replace the files"
expect_eq "second run's digests recorded" "$(sql "SELECT sha256 || '  ' || regexp_replace(path, '^.*/', '') FROM vocreport.outputs WHERE run_id = 2 ORDER BY 1")" "$(digest | sort)"
good=$after

# Holds a lock in the background until told to stop; waits for a run to block on it.
hold_lock() { # SQL
    psql -XAtq -c "BEGIN; $1; SELECT pg_sleep(60); COMMIT;" >/dev/null 2>&1 &
    locker=$!
    sleep 0.5
}
wait_blocked() {
    for _ in $(seq 1 100); do
        n=$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vocreport' AND wait_event_type = 'Lock'")
        [ "$n" -gt 0 ] && return 0
        sleep 0.1
    done
    return 1
}
release_lock() { sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'BEGIN;%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null; wait "$locker" 2>/dev/null; }

# 3. SIGTERM while reading the source: recorded as failed, nothing published.
hold_lock "LOCK TABLE voc.orders IN ACCESS EXCLUSIVE MODE"
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err3" & pid=$!
wait_blocked && ok || bad "run did not block on the locked source table"
kill -TERM "$pid"; wait "$pid"; status=$?
release_lock
expect_eq "SIGTERM exit status" "$status" 1
expect_eq "SIGTERM run recorded" "$(sql "SELECT status || ': ' || error FROM vocreport.runs WHERE run_id = 3")" \
    "failed: interrupted by signal 15; nothing was published"
expect_eq "SIGTERM left the good report" "$(digest)" "$good"
expect_eq "SIGTERM left no temporary folder" "$(ls -A "$VOCREPORT_OUTPUT_DIR/nightly" | tr '\n' ' ')" "2026-10-01 "

# 4. SIGKILL after the files are written, while recording them: the
#    temporary folder holds complete files but is not published; the next
#    run marks the dead run failed and clears the leftovers.  EXCLUSIVE
#    still lets the compute step read earlier figures (dept.kpi.previous)
#    and only stops the writes.
hold_lock "LOCK TABLE vocreport.kpi_values IN EXCLUSIVE MODE"
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err4" & pid=$!
wait_blocked && ok || bad "run did not block on the locked results table"
ls -A "$VOCREPORT_OUTPUT_DIR/nightly" | grep -q '^\.tmp-' && ok || bad "no temporary folder while writing"
kill -KILL "$pid"; wait "$pid" 2>/dev/null
release_lock
expect_eq "SIGKILL: good report untouched" "$(digest)" "$good"
expect_eq "SIGKILL: run still says running" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = 4")" running
run >/dev/null 2>"$scratch/err5"; expect_eq "run after SIGKILL" "$?" 0
expect_eq "dead run marked failed" "$(sql "SELECT status || ': ' || error FROM vocreport.runs WHERE run_id = 4")" \
    "failed: interrupted: the process ended before the run finished"
expect_eq "leftovers cleared" "$(ls -A "$VOCREPORT_OUTPUT_DIR/nightly" | tr '\n' ' ')" "2026-10-01 "
good=$(digest)

# 5. Rejected share over the limit: exit 3, counts recorded, nothing published.
strict=$scratch/strict.ini
sed 's/^max_rejected_share = .*/max_rejected_share = 0.2/' "$cfg" > "$strict"
"$bin" run --config "$strict" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err6"; status=$?
expect_eq "data error exit status" "$status" 3
expect_match "data error message" "$(cat "$scratch/err6")" 'of the rows of [a-z_]+ were rejected, more than the limit of 20.0 %'
expect_eq "data error recorded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = 6")" failed
expect_eq "data error keeps counts" "$(sql "SELECT rejected_rows->'orders'->>'orphan' FROM vocreport.runs WHERE run_id = 6")" 2
expect_eq "data error: no figures" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = 6")" 0
expect_eq "data error: good report stays" "$(digest)" "$good"

# 6. The same job already running: refused with its own status.
hold_lock "SELECT pg_advisory_lock(hashtext('vocreport.job'), hashtext('nightly'))"
run >/dev/null 2>"$scratch/err7"; status=$?
release_lock
expect_eq "busy exit status" "$status" 7
expect_match "busy message" "$(cat "$scratch/err7")" 'job "nightly" is already running'

# 7. An as-of in the future is refused before anything runs.
"$bin" run --config "$cfg" --job nightly --as-of 2999-01-01 >/dev/null 2>"$scratch/err8"
expect_eq "future as-of status" "$?" 2
expect_match "future as-of message" "$(cat "$scratch/err8")" 'as-of 2999-01-01 is in the future'

# 8. Database unavailable: exit 4, and the password is nowhere.
down=$scratch/down.ini
sed "s|^conninfo =.*|conninfo = host=$scratch/nosuchdir dbname=x password=$secret|" "$cfg" > "$down"
"$bin" run --config "$down" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err9"
expect_eq "database down status" "$?" 4
expect_match "database down message" "$(cat "$scratch/err9")" 'could not connect to the database'

# A file that is not what its kind promises fails the run before publication.
before=$(digest)
VOCREPORT_TEST_DAMAGE=-executive.xlsx run >/dev/null 2>"$scratch/err-damaged"
expect_eq "damaged workbook: exit status 6" "$?" 6
expect_match "damaged workbook: named, with the reason" "$(cat "$scratch/err-damaged")" \
    'nightly-2026-10-01-executive.xlsx is not a valid xlsx file: .*; nothing is published'
expect_eq "damaged workbook: run failed" "$(sql "SELECT status FROM vocreport.runs ORDER BY run_id DESC LIMIT 1")" failed
expect_eq "damaged workbook: previous reports untouched" "$(digest)" "$before"
VOCREPORT_TEST_DAMAGE=-briefing.pdf run >/dev/null 2>"$scratch/err-damaged2"
expect_eq "damaged briefing: exit status 6" "$?" 6
expect_match "damaged briefing: named" "$(cat "$scratch/err-damaged2")" 'briefing.pdf is not a valid pdf file: no %%EOF trailer'

# No secret in any log, table or report.
cat "$scratch"/err* > "$scratch/all-logs"
expect_no_match "secret in logs" "$(cat "$scratch/all-logs")" "$secret"
expect_eq "secret in results tables" "$(sql "SELECT count(*) FROM vocreport.runs r WHERE r::text LIKE '%$secret%'")" 0
for f in $(find "$folder" -type f); do
    case $f in
    *.xlsx) text=$("$py" -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print("".join(z.read(n).decode("utf-8","replace") for n in z.namelist()))' "$f") ;;
    *.pdf) text=$(pdftotext "$f" - 2>/dev/null) ;;
    *) text=$(cat "$f") ;;
    esac
    expect_no_match "secret in $(basename "$f")" "$text" "$secret"
done
finish
