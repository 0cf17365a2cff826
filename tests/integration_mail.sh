#!/usr/bin/env bash
# SMTP delivery (report/mail.c) against a local aiosmtpd storing a Maildir:
# a multipart mail with a Chinese subject, a UTF-8 body and two attachments
# (one binary, one with a Chinese file name) reaches both recipients intact;
# a refused connection is retried and reported; a server that comes up after
# the first attempt receives the mail on a later attempt. No database.
#   VR_MAIL_SEND=build-asan/tests/mail_send tests/integration_mail.sh
export VR_TEST_BIN=${VR_TEST_BIN:-unused} # lib.sh wants it; this test does not run vocreport
. "$(dirname "$0")/lib.sh"

send=${VR_MAIL_SEND:-$top/build-asan/tests/mail_send}
[ -x "$send" ] || { bad "no mail_send driver at $send (set VR_MAIL_SEND)"; finish; }

. "$(dirname "$0")/smtp_lib.sh"

# --- the inputs ---------------------------------------------------------
subject='每周客户之声报告 — 2026-11-22 (Kundenstimme, ä ö ü)'
printf 'Guten Tag,\n\n本周报告见附件。\n.a line starting with a dot\nNPS: 42 — Trend ↑\n' > "$scratch/body.txt"
"$py" -c 'import os, sys; sys.stdout.buffer.write(b"PK\x03\x04" + os.urandom(70000) + bytes(range(256)))' \
    > "$scratch/voc-weekly.xlsx"
printf '类别;数量\n延误;12\n行李;7\n' > "$scratch/客户反馈.csv"

# --- 1. a complete message reaches both recipients ------------------------
port=$(free_port)
box="$scratch/box1"
start_server "$port" "$box"
wait_port "$port" || bad "smtp server on $port did not start"
out=$("$send" --attempts 2 --retry-ms 200 "smtp://127.0.0.1:$port" 'VoC Reports <voc@example.com>' \
      "$subject" "$scratch/body.txt" 'ceo@example.com,finance@example.org' \
      "$scratch/voc-weekly.xlsx" "$scratch/客户反馈.csv" 2>&1)
expect_eq "send exit status" "$?" 0
expect_match "send attempts" "$out" '^attempts: 1$'
check=$("$py" - "$box" "$subject" "$scratch/body.txt" "$scratch/voc-weekly.xlsx" "$scratch/客户反馈.csv" <<'EOF'
import email, email.policy, hashlib, os, sys
box, subject, body, *files = sys.argv[1:]
msgs = os.listdir(os.path.join(box, "new"))
print("messages", len(msgs))
with open(os.path.join(box, "new", msgs[0]), "rb") as f:
    m = email.message_from_binary_file(f, policy=email.policy.default)
print("rcpt", m["X-RcptTo"])
print("to", m["To"])
print("from", m["X-MailFrom"])
print("subject_ok", m["Subject"] == subject)
print("date", bool(m["Date"]) and m["Date"].datetime is not None)
print("message_id", m["Message-ID"])
text = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
print("body_ok", text == open(body, encoding="utf-8").read())
got = {p.get_filename(): hashlib.sha256(p.get_payload(decode=True)).hexdigest() for p in m.iter_attachments()}
for path in files:
    want = hashlib.sha256(open(path, "rb").read()).hexdigest()
    name = os.path.basename(path)
    print("attachment", name, "ok" if got.get(name) == want else "missing or different")
print("attachments", len(got))
EOF
)
expect_match "one message stored" "$check" '^messages 1$'
expect_match "both recipients in RCPT TO" "$check" '^rcpt ceo@example.com, finance@example.org$'
expect_match "To header" "$check" '^to ceo@example.com, finance@example.org$'
expect_match "envelope sender" "$check" '^from voc@example.com$'
expect_match "subject decodes to the original" "$check" '^subject_ok True$'
expect_match "Date header" "$check" '^date True$'
expect_match "Message-ID header" "$check" '^message_id <[^ ]+@example.com>$'
expect_match "UTF-8 body intact" "$check" '^body_ok True$'
expect_match "binary attachment intact" "$check" '^attachment voc-weekly.xlsx ok$'
expect_match "Chinese-named attachment intact" "$check" '^attachment 客户反馈.csv ok$'
expect_match "exactly two attachments" "$check" '^attachments 2$'
stop_servers

# --- 2. a refused connection is retried, then reported --------------------
dead=$(free_port)
start=$(date +%s%N)
out=$("$send" --attempts 3 --retry-ms 100 "smtp://127.0.0.1:$dead" voc@example.com "$subject" \
      "$scratch/body.txt" ceo@example.com 2>&1)
expect_eq "refused: exit status" "$?" 5
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_match "refused: all attempts made" "$out" '^attempts: 3$'
expect_match "refused: clear message" "$out" \
    "^error: could not send mail to ceo@example.com via smtp://127.0.0.1:$dead \(3 attempts, giving up\): .*(onnect|refused)"
expect_match "refused: retries logged" "$out" 'attempt 1 of 3.*retrying in 100 ms'
if [ "$elapsed_ms" -ge 300 ]; then ok; else bad "refused: backoff 100+200 ms not waited (${elapsed_ms} ms)"; fi

# --- 3. a server that comes up late gets the mail on a later attempt ------
port=$(free_port)
box="$scratch/box3"
start_server "$port" "$box" 1
out=$("$send" --attempts 8 --retry-ms 250 "smtp://127.0.0.1:$port" voc@example.com "$subject" \
      "$scratch/body.txt" 'ceo@example.com,head.cs@example.com' "$scratch/客户反馈.csv" 2>&1)
expect_eq "late server: exit status" "$?" 0
expect_match "late server: more than one attempt" "$out" '^attempts: ([2-9]|[1-9][0-9]+)$'
expect_eq "late server: message stored" "$(ls "$box/new" 2>/dev/null | wc -l)" 1
stop_servers

# --- 4. a rejected recipient (550) is permanent: no retry ------------------
port=$(free_port)
"$py" - "$port" >"$scratch/reject.log" 2>&1 <<'EOF' &
import sys, time
from aiosmtpd.controller import Controller
class Reject:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <%s>: recipient unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
c = Controller(Reject(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
time.sleep(120)
EOF
servers+=($!)
wait_port "$port" || bad "rejecting smtp server on $port did not start"
out=$("$send" --attempts 4 --retry-ms 100 "smtp://127.0.0.1:$port" voc@example.com "$subject" \
      "$scratch/body.txt" 'ceo@example.com,nobody@example.com' 2>&1)
expect_eq "rejected: exit status" "$?" 5
expect_match "rejected: one attempt only" "$out" '^attempts: 1$'
expect_match "rejected: reply code and text in the message" "$out" \
    'permanent failure.*550 5.1.1 <nobody@example.com>: recipient unknown'
stop_servers

# --- 5. input refused before connecting ------------------------------------
out=$("$send" --attempts 3 --retry-ms 100 "smtp://127.0.0.1:$dead" voc@example.com "$subject" \
      "$scratch/body.txt" $'ceo@example.com\r\nBcc: x@evil.example' 2>&1)
expect_eq "header injection: exit status (config)" "$?" 2
expect_match "header injection: no attempt" "$out" '^attempts: 0$'
out=$("$send" "smtp://127.0.0.1:$dead" voc@example.com "$subject" "$scratch/body.txt" \
      ceo@example.com "$scratch/missing.xlsx" 2>&1)
expect_eq "missing attachment: exit status" "$?" 5
expect_match "missing attachment: message" "$out" 'could not read attachment ".*missing.xlsx": No such file'

finish
