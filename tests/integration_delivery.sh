#!/usr/bin/env bash
# Quality gates and report mail (jobs/deliver/gates.c, jobs/deliver/deliver.c, jobs/run/resend.c)
# against a real local SMTP server (aiosmtpd, Maildir): who gets which
# files and nobody else, the headline figures in the body equal kpi_values,
# deliveries rows, retries when the server comes up late, a server that
# drops every connection (failed, exit 5, then resend sends exactly the
# failed ones), a changed file refused by resend, a failed gate (all held,
# owner alerted, exit 5, reason in runs.gate_failures, --release-held), mail
# off, and the SMTP password in no log, row or message.
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/integration_delivery.sh
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/delivery_lib.sh"

cfg=$scratch/vocreport.ini
fresh_db delivery "$top/tests/fixtures/small.sql"
make_config "$cfg"
"$bin" init-db --config "$cfg" >/dev/null 2>&1 || bad "init-db"

# --- 1. a good run: each recipient exactly its files, nobody else ------------
port=$(free_port)
box=$scratch/box1
start_server "$port" "$box"
wait_port "$port" || bad "smtp server on $port did not start"
mail_config "$cfg" "$port"
run_job "$cfg"
expect_eq "good run: exit status" "$status" 0
expect_eq "good run: recorded succeeded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" succeeded
expect_eq "good run: no gate failures" "$(sql "SELECT cardinality(gate_failures) FROM vocreport.runs WHERE run_id = $run_id")" 0
expectations "$scratch/expect1"
check_box "good run: messages" "$box" "$scratch/expect1"
n_expected=$(grep -c '^to ' "$scratch/expect1")
expect_eq "good run: one row per recipient, all sent once" \
    "$(dsql "count(*) || ' ' || count(*) FILTER (WHERE status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL AND last_error IS NULL)" "AND kind = 'report'")" \
    "$n_expected $n_expected"
expect_eq "good run: no alert" "$(dsql "count(*)" "AND kind = 'alert'")" 0
expect_eq "good run: finance row" \
    "$(dsql "audience || ' ' || array_length(files, 1)" "AND recipient = 'controlling@example.com'")" "finance 2"
expect_match "good run: log says what was sent" "$(cat "$scratch/err")" 'report mail sent to ceo@example.com \(2 files\)'
stop_servers

# --- 2. a server that refuses at first, then comes up: retried, recorded ----
port=$(free_port)
box=$scratch/box2
: >"$scratch/err"
# The server comes up only once the first attempt has failed (whatever the
# machine's speed), then the retries find it.
(for _ in $(seq 600); do grep -q 'failed (attempt 1 of' "$scratch/err" 2>/dev/null && break; sleep 0.1; done
 exec "$py" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$box") >"$scratch/smtpd-late.log" 2>&1 &
servers+=($!)
mail_config "$cfg" "$port" 's/^retry_seconds = .*/retry_seconds = 1/' 's/^max_attempts = .*/max_attempts = 5/'
run_job "$cfg"
expect_eq "late server: exit status" "$status" 0
expectations "$scratch/expect2"
check_box "late server: messages" "$box" "$scratch/expect2"
expect_eq "late server: all sent" "$(dsql "count(*) FILTER (WHERE status <> 'sent')" "")" 0
expect_match "late server: first mail took several attempts" \
    "$(dsql "attempts" "ORDER BY delivery_id LIMIT 1")" '^[2-5]$'
expect_match "late server: retries logged" "$(cat "$scratch/err")" 'failed \(attempt 1 of 5\), retrying in 1000 ms'
stop_servers

# --- 3. a server that drops every connection: failed, exit 5; resend ------
port=$(free_port)
start_dropper "$port"
wait_port "$port" || bad "dropping server on $port did not start"
mail_config "$cfg" "$port"
run_job "$cfg"
expect_eq "dropped: exit status 5" "$status" 5
expect_eq "dropped: run still succeeded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" succeeded
expect_match "dropped: reports still published" "$(cat "$scratch/out")" 'nightly-2026-10-01-briefing.pdf'
expect_match "dropped: message says what to do" "$(cat "$scratch/err")" \
    "report mails failed; when the mail server works again: vocreport resend --config $cfg --run $run_id"
expect_eq "dropped: every report row failed after 3 attempts with a reason" \
    "$(dsql "count(*) FILTER (WHERE status = 'failed' AND attempts = 3 AND last_error <> '' AND sent_at IS NULL) = count(*)" "AND kind = 'report'")" t
expect_eq "dropped: owner alert recorded (failed too)" \
    "$(dsql "string_agg(recipient || ' ' || status, ',')" "AND kind = 'alert'")" "ops@example.com failed"
failed_run=$run_id
stop_servers

# a changed file is refused, the others are sent; then the rest
port2=$(free_port)
box=$scratch/box3
start_server "$port2" "$box"
wait_port "$port2" || bad "smtp server on $port2 did not start"
mail_config "$cfg" "$port2"
csv=$(sql "SELECT path FROM vocreport.outputs WHERE run_id = $failed_run AND kind = 'csv'")
cp "$csv" "$scratch/csv.bak"
echo "tampered" >>"$csv"
out=$("$bin" resend --config "$cfg" --run "$failed_run" 2>&1)
expect_eq "resend with a changed file: exit status 5" "$?" 5
expect_match "resend: the changed file is named" "$out" 'refused controlling@example.com: ".*figures.csv" changed since it was published'
expect_eq "resend: finance still failed, the others sent" \
    "$(run_id=$failed_run dsql "string_agg(status || ':' || attempts, ',' ORDER BY delivery_id)" "AND recipient IN ('ceo@example.com', 'controlling@example.com')")" "sent:4,failed:3"
cp "$scratch/csv.bak" "$csv"
out=$("$bin" resend --config "$cfg" --run "$failed_run" --recipient controlling@example.com 2>&1)
expect_eq "resend one recipient: exit status" "$?" 0
expect_match "resend one recipient: sent" "$out" '^sent controlling@example.com$'
out=$("$bin" resend --config "$cfg" --run "$failed_run" 2>&1)
expect_eq "resend again: nothing left" "$?" 0
expect_match "resend again: says so" "$out" "run $failed_run: nothing to resend"
run_id=$failed_run
expectations "$scratch/expect3"
check_box "resend: exactly the failed report mail arrived once each" "$box" "$scratch/expect3"
expect_eq "resend: alerts not resent" "$(dsql "string_agg(status, ',')" "AND kind = 'alert'")" failed
# The resent HTML is the run's: its five best findings by finding.rank, its
# tiles and KPI lines (check_mail_html.py, as for the first sending).
sql "SELECT code, dims, coalesce(value::text, ''), coalesce(n::text, ''), coalesce(flag, '')
     FROM vocreport.kpi_values WHERE run_id = $failed_run" >"$scratch/figures-resend"
expect_match "resend: the run recorded findings" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $failed_run AND code = 'finding.rank'")" '^[1-9]'
out=$("$py" "$top/tests/check_mail_html.py" "$box" "$scratch/figures-resend" "$cfg" "$scratch/html-resend" --exact 2>&1)
expect_match "resend: HTML mail checks" "$out" '^ok [0-9]+$'
expect_no_match "resend: HTML mail checks, no failure" "$out" '^FAIL' || grep "^FAIL" <<<"$out" | head -20
expect_eq "resend: attempts add up" "$(dsql "min(attempts) || '-' || max(attempts)" "AND kind = 'report'")" "4-4"
stop_servers

# --- 4. a failed gate: everything held, the owner alerted, exit 5 ---------
port=$(free_port)
box=$scratch/box4
start_server "$port" "$box"
wait_port "$port" || bad "smtp server on $port did not start"
mail_config "$cfg" "$port" 's/^gate_min_responses = .*/gate_min_responses = 100000/' \
    's/^gate_freshness_hours = .*/gate_freshness_hours = 1/'
run_job "$cfg"
expect_eq "gate: exit status 5" "$status" 5
expect_eq "gate: run succeeded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" succeeded
expect_match "gate: reason in runs.gate_failures" \
    "$(sql "SELECT array_to_string(gate_failures, E'\n') FROM vocreport.runs WHERE run_id = $run_id")" \
    '^minimum responses: [0-9]+ scored NPS responses in the period, fewer than gate_min_responses = 100000$'
expect_match "gate: freshness reason too" \
    "$(sql "SELECT array_to_string(gate_failures, E'\n') FROM vocreport.runs WHERE run_id = $run_id")" \
    '^freshness: the newest [a-z_]+ row is [0-9.]+ hours older than the period end'
expect_match "gate: log says it in words" "$(cat "$scratch/err")" 'quality gate failed: minimum responses'
expect_match "gate: message says how to override" "$(cat "$scratch/err")" "resend --config $cfg --run $run_id --release-held"
expect_eq "gate: all report rows held with the reason" \
    "$(dsql "bool_and(status = 'held' AND attempts = 0 AND held_reason LIKE '%minimum responses%')" "AND kind = 'report'")" t
{
    echo "to ops@example.com"
    echo "subject ops@example.com nightly: report mail held, quality gates failed (run $run_id"
    echo "body ops@example.com minimum responses:"
    echo "body ops@example.com vocreport resend --config $cfg --run $run_id --release-held"
} >"$scratch/expect4"
check_box "gate: only the owner's alert arrived" "$box" "$scratch/expect4"
expect_eq "gate: alert row sent" "$(dsql "string_agg(status, ',')" "AND kind = 'alert'")" sent
out=$("$bin" resend --config "$cfg" --run "$run_id" 2>&1)
expect_match "gate: plain resend leaves held mail alone" "$out" 'held mail is sent only with --release-held'
rm -f "$box"/new/*
out=$("$bin" resend --config "$cfg" --run "$run_id" --release-held 2>&1)
expect_eq "gate: --release-held exit status" "$?" 0
expect_match "gate: release logged as an override" "$out" 'releasing held mail to ceo@example.com: the operator overrides'
expectations "$scratch/expect5"
check_box "gate: released mail arrived" "$box" "$scratch/expect5"
expect_eq "gate: released rows sent" "$(dsql "bool_and(status = 'sent')" "AND kind = 'report'")" t
stop_servers

# --- 5. mail off: no rows, exit 0; the row-change gate still recorded -----
# a third of the feedback gone since the previous run: a broken feed
sql "DELETE FROM voc.feedback WHERE feedback_id % 3 = 0" >/dev/null
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/' \
    's/^gate_min_responses = .*/gate_min_responses = 100000/' 's/^gate_freshness_hours = .*/gate_freshness_hours = 0/' \
    's/^gate_row_change_pct = .*/gate_row_change_pct = 10/'
prev=$(sql "SELECT source_rows->>'feedback' FROM vocreport.runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1")
run_job "$cfg"
expect_eq "mail off: exit status 0 even with a failed gate" "$status" 0
expect_match "row change: recorded with both counts" \
    "$(sql "SELECT array_to_string(gate_failures, E'\n') FROM vocreport.runs WHERE run_id = $run_id")" \
    "^row change: feedback has [0-9]+ rows, -[0-9.]+ % against $prev in run [0-9]+ \\(gate_row_change_pct = 10\\)$"
expect_no_match "row change: unchanged tables pass" \
    "$(sql "SELECT array_to_string(gate_failures, E'\n') FROM vocreport.runs WHERE run_id = $run_id")" 'row change: (customers|orders)'
expect_match "mail off: logged" "$(cat "$scratch/err")" 'mail is off'
expect_eq "mail off: no deliveries" "$(dsql "count(*)" "")" 0

# --- 6. the password: never in a log, row or message ---------------------
secret='S3cr3t-pa55word-xyzzy'
port=$(free_port)
box=$scratch/box6
start_server "$port" "$box"
wait_port "$port" || bad "smtp server on $port did not start"
printf '%s\n' "$secret" >"$scratch/pw"
chmod 644 "$scratch/pw"
mail_config "$cfg" "$port" 's/^starttls = .*/starttls = yes/' 's/^username =.*/username = voc/' \
    "s|^password_file =.*|password_file = $scratch/pw|"
run_job "$cfg"
expect_eq "readable password file: exit status 5" "$status" 5
expect_match "readable password file: refused" "$(cat "$scratch/err")" 'may be read by group or others: chmod 600'
expect_eq "readable password file: rows failed with the reason" \
    "$(dsql "bool_and(status = 'failed' AND last_error LIKE '%chmod 600%')" "")" t
cat "$scratch/err" >"$scratch/all-logs"
chmod 600 "$scratch/pw"
run_job "$cfg"
expect_eq "no STARTTLS on the server: exit status 5" "$status" 5
expect_match "no STARTTLS on the server: says why" "$(dsql "last_error" "ORDER BY delivery_id LIMIT 1")" '(STARTTLS|SSL|TLS)'
cat "$scratch/err" >>"$scratch/all-logs"
# credentials without TLS are refused before anything runs
mail_config "$scratch/cleartext.ini" "$port" 's/^username =.*/username = voc/'
out=$(VOCREPORT_SMTP_PASSWORD=$secret "$bin" check-config --config "$scratch/cleartext.ini" 2>&1)
expect_eq "credentials without TLS: config error" "$?" 2
expect_match "credentials without TLS: says why" "$out" 'username but starttls = no'
echo "$out" >>"$scratch/all-logs"
# the environment variable is read when there is no password file
mail_config "$cfg" "$port" 's/^starttls = .*/starttls = yes/' 's/^username =.*/username = voc/'
VOCREPORT_SMTP_PASSWORD=$secret "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>>"$scratch/all-logs"
expect_eq "password from the environment: exit status 5 (no TLS server)" "$?" 5
out=$(unset VOCREPORT_SMTP_PASSWORD; "$bin" resend --config "$cfg" --run "$(last_run)" 2>&1)
expect_match "no password at all: says where to put it" "$out" 'password_file or VOCREPORT_SMTP_PASSWORD'
echo "$out" >>"$scratch/all-logs"
expect_no_match "password in no log" "$(cat "$scratch/all-logs")" "$secret"
expect_eq "password in no deliveries row" "$(sql "SELECT count(*) FROM vocreport.deliveries d WHERE d::text LIKE '%$secret%'")" 0
expect_eq "password in no runs row" "$(sql "SELECT count(*) FROM vocreport.runs r WHERE r::text LIKE '%$secret%'")" 0
expect_eq "no mail got through without TLS" "$(ls "$box/new" 2>/dev/null | wc -l)" 0
stop_servers

# --- a company without cases: the head's KPI line says why it is n/a -------
# (expectations: "Cases closed within 48 h — n/a (target ≥ 80.0 %), no usable
# cases rows in the source", from the actual's flag; no "no data")
port=$(free_port)
box=$scratch/box-nocases
start_server "$port" "$box"
wait_port "$port" || bad "smtp server on $port did not start"
sql "BEGIN; CREATE TABLE cases_kept AS TABLE voc.cases; DELETE FROM voc.cases; COMMIT" >/dev/null
mail_config "$cfg" "$port"
run_job "$cfg"
expect_eq "no cases: exit status" "$status" 0
expectations "$scratch/expect-nocases"
expect_match "no cases: the expected line says why" "$(cat "$scratch/expect-nocases")" \
    'Cases closed within 48 h — n/a \(target ≥ 80.0 %\), no usable cases rows in the source'
check_box "no cases: messages" "$box" "$scratch/expect-nocases"
# In the HTML alternative the reason stands in the status cell and may wrap:
# a status word's nowrap would widen the table past a 390 px phone screen.
cell=$("$py" - "$box/new" <<'EOF'
import email, os, re, sys
from email import policy
for f in sorted(os.listdir(sys.argv[1])):
    m = email.message_from_binary_file(open(os.path.join(sys.argv[1], f), "rb"), policy=policy.default)
    if "logistics.head@" in m["To"]:
        html = m.get_body(("html",)).get_content()
        td = re.search(r'<td[^>]*data-code="dept\.kpi\.status" data-dims="department=logistics;kpi=closed_48h"[^>]*>.*?</td>', html, re.S)
        print(re.sub(r"\s+", " ", td.group(0)) if td else "none")
EOF
)
expect_match "no cases: the HTML status cell gives the reason" "$cell" 'data-status="grey".*>no usable cases rows in the source</span></td>'
expect_no_match "no cases: the reason may wrap" "$cell" 'nowrap'
sql "BEGIN; INSERT INTO voc.cases SELECT * FROM cases_kept; DROP TABLE cases_kept; COMMIT" >/dev/null
stop_servers

# --- a failed run: nothing published or mailed, the owner alerted ----------
port=$(free_port)
box=$scratch/box-failed
start_server "$port" "$box"
wait_port "$port" || bad "smtp server on $port did not start"
mail_config "$cfg" "$port" 's/^max_rejected_share = .*/max_rejected_share = 0/'
run_job "$cfg"
expect_eq "failed run: exit status 3 (source data)" "$status" 3
expect_eq "failed run: recorded failed" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" failed
expect_eq "failed run: only the owner's alert, sent" \
    "$(dsql "string_agg(kind || ' ' || recipient || ' ' || status, ',')" "")" "alert ops@example.com sent"
printf 'to ops@example.com\nsubject ops@example.com nightly: run failed, nothing published (run %s, as of 2026-10-01)\nbody ops@example.com rejected\nbody ops@example.com vocreport run --config %s --job nightly --as-of 2026-10-01\n' \
    "$run_id" "$cfg" >"$scratch/expect-failed"
check_box "failed run: the alert" "$box" "$scratch/expect-failed"
stop_servers

finish
