#!/usr/bin/env bash
# Report mail through a relay that requires STARTTLS and authentication
# (tests/smtp_tls_server.py, a self-signed certificate trusted through
# [mail] ca_file): the right password delivers every mail; a wrong one is
# a permanent failure (no retries), recorded, exit 5; a certificate the
# client cannot verify is refused before any password is sent; the
# password appears in no log, row or message.
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/integration_smtp_tls.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/smtp_lib.sh"

secret='S3cret-pa55-Tl5'
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$scratch/key.pem" -out "$scratch/cert.pem" >/dev/null 2>&1 || bad "openssl could not make a certificate"

port=$(free_port)
box=$scratch/box
"$py" "$here/smtp_tls_server.py" "$port" "$box" "$scratch/cert.pem" "$scratch/key.pem" vrbot "$secret" \
    >"$scratch/tls-server.log" 2>&1 &
servers+=($!)
wait_port "$port" || bad "TLS smtp server did not start"

cfg=$scratch/vocreport.ini
tls_config() { # extra sed expressions
    make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
        's/^min_sample = .*/min_sample = 5/' \
        "s|^url =.*|url = smtp://127.0.0.1:$port|" 's/^starttls = .*/starttls = yes/' \
        's/^username =.*/username = vrbot/' "s|^ca_file =.*|ca_file = $scratch/cert.pem|" \
        's/^retry_seconds = .*/retry_seconds = 0/' 's/^max_attempts = .*/max_attempts = 3/' \
        's/^timeout_seconds = .*/timeout_seconds = 10/' \
        's/^gate_[a-z_]* = .*//' "$@"
}
run_job() { # every run's output is kept in $scratch/logs for the leak check
    VOCREPORT_SMTP_PASSWORD=$1 "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 \
        >"$scratch/out" 2>"$scratch/err"
    status=$?
    cat "$scratch/out" "$scratch/err" >>"$scratch/logs"
    run_id=$(last_run)
}
n_mail() { find "$box/new" -type f 2>/dev/null | wc -l; }

fresh_db smtp_tls "$top/tests/fixtures/small.sql"
tls_config
"$bin" init-db --config "$cfg" >/dev/null 2>&1 || bad "init-db"

# --- the right password over STARTTLS: everything delivered ------------------
run_job "$secret"
expect_eq "tls+auth: exit status" "$status" 0
recipients=$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run_id AND kind = 'report'")
expect_eq "tls+auth: every report mail sent once" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run_id AND status = 'sent' AND attempts = 1")" "$recipients"
expect_eq "tls+auth: the server stored one message per recipient" "$(n_mail)" "$recipients"
expect_match "tls+auth: at least the executives and finance" "$recipients" '^([3-9]|[1-9][0-9])$'
first=$(find "$box/new" -type f | head -1)
expect_match "tls+auth: a stored message is a report mail" "$(cat "$first")" '^Subject: '

# --- in Chinese: subject and body decode to the zh_CN texts ------------------
tls_config 's/^locale = .*/locale = zh_CN/'
before_zh=$(n_mail)
run_job "$secret"
expect_eq "zh_CN: exit status" "$status" 0
zh=$("$py" - "$box" "$before_zh" <<'PYEOF'
import email, email.policy, os, sys
box, skip = sys.argv[1], int(sys.argv[2])
new = os.path.join(box, "new")
files = sorted((os.path.getmtime(os.path.join(new, f)), f) for f in os.listdir(new))
for _, f in files[skip:]:
    with open(os.path.join(new, f), "rb") as fh:
        m = email.message_from_binary_file(fh, policy=email.policy.default)
    if m["To"] == "ceo@example.com":
        print(m["Subject"])
        print(m.get_body(preferencelist=("plain",)).get_content())
PYEOF
)
expect_match "zh_CN: the subject decodes to Chinese" "$zh" '^nightly：客户之声报告 2026-09-01 – 2026-09-30$'
expect_match "zh_CN: the body is the Chinese text" "$zh" '^您好：$'
expect_match "zh_CN: with the headline figures" "$zh" '^核心指标：$'
expect_match "zh_CN: the body names the attachments" "$zh" 'nightly-2026-10-01-executive.xlsx'
tls_config

# --- a wrong password: refused for good, recorded, no retries ----------------
before=$(n_mail)
run_job "wrong-$secret"
expect_eq "wrong password: exit status 5" "$status" 5
expect_eq "wrong password: nothing stored" "$(n_mail)" "$before"
expect_eq "wrong password: every report mail failed after one attempt" \
    "$(sql "SELECT count(*) FROM vocreport.deliveries WHERE run_id = $run_id AND kind = 'report' AND status = 'failed' AND attempts = 1")" "$recipients"
expect_match "wrong password: the server's refusal recorded" \
    "$(sql "SELECT last_error FROM vocreport.deliveries WHERE run_id = $run_id AND kind = 'report' LIMIT 1")" '535|[Aa]uthentication'

# --- a certificate the client cannot verify: refused before AUTH ------------
tls_config 's|^ca_file =.*|ca_file =|'
run_job "$secret"
expect_eq "untrusted certificate: exit status 5" "$status" 5
expect_eq "untrusted certificate: nothing stored" "$(n_mail)" "$before"
expect_match "untrusted certificate: recorded as a certificate problem" \
    "$(sql "SELECT last_error FROM vocreport.deliveries WHERE run_id = $run_id AND kind = 'report' LIMIT 1")" '[Cc]ertificate|SSL|TLS'

# --- a relay that echoes the credential it refused ----------------------------
# The password is an ordinary word that also stands in every address: masking
# it inside the reply would print "ceo@***.com" and give it away.
stop_servers
port=$(free_port)
"$py" "$here/smtp_tls_server.py" "$port" "$box" "$scratch/cert.pem" "$scratch/key.pem" vrbot "$secret" echo \
    >"$scratch/tls-echo.log" 2>&1 &
servers+=($!)
wait_port "$port" || bad "echoing TLS smtp server did not start"
tls_config
: >"$scratch/echo-logs"
VOCREPORT_SMTP_PASSWORD=example "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 \
    >"$scratch/echo-logs" 2>&1
expect_eq "echoing relay: exit status 5" "$?" 5
run_id=$(last_run)
echoed=$(sql "SELECT string_agg(coalesce(last_error, ''), E'\n') FROM vocreport.deliveries WHERE run_id = $run_id")
expect_match "echoing relay: the reply is withheld" "$echoed" \
    'the server.s reply is withheld because it contains the SMTP credential'
plain=$(printf '\0vrbot\0example' | base64)
expect_no_match "echoing relay: no base64 credential in rows or logs" "$echoed$(cat "$scratch/echo-logs")" "$plain"
expect_no_match "echoing relay: no echo in rows or logs" "$echoed$(cat "$scratch/echo-logs")" 'refused example'
expect_no_match "echoing relay: no masking that shows where it stood" "$echoed$(cat "$scratch/echo-logs")" '\*\*\*'
expect_match "echoing relay: addresses are intact" "$(cat "$scratch/echo-logs")" 'report mail to ceo@example.com failed'

# --- the password never leaks ------------------------------------------------
leaks=$(grep -rlF -- "$secret" "$scratch/logs" "$box" 2>/dev/null | wc -l)
expect_eq "password in no log (of any run) or message" "$leaks" 0
expect_eq "password in no row" "$(sql "SELECT count(*) FROM vocreport.deliveries d JOIN vocreport.runs r USING (run_id)
    WHERE position('$secret' IN coalesce(d.last_error, '') || r::text) > 0")" 0
finish
