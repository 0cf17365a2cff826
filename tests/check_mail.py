#!/usr/bin/python3
"""Checks the messages an aiosmtpd Maildir received against explicit
expectations, one per line of the expectations file:

  to ADDR [NAME ...]     ADDR gets exactly one message with exactly these
                         attachment names (none: a message without files);
                         nobody without a "to" line gets any message
  sha NAME HEX           every attachment NAME received has this sha256
  subject ADDR TEXT      ADDR's subject contains TEXT
  body ADDR TEXT         ADDR's body contains TEXT
  headline ADDR          ADDR's body has the headline figures of the
                         "figure" lines, formatted as vocreport formats them
  figure CODE VALUE N    a kpi_values figure (dims ''); VALUE "" = NULL
  absent TEXT            no header or body of any message contains TEXT

Prints one "FAIL: ..." line per broken expectation and "ok N" at the end;
exit status 1 when anything failed.  Python's email module with the
default policy parses every message: one that does not parse fails."""
import email
import email.policy
import hashlib
import math
import os
import sys


def fmt_number(v, decimals):
    """report/texts.c fmt_number for en_US: thousands ',', no '-0'."""
    digits = "%.*f" % (decimals, abs(v))
    negative = v < 0 and digits.strip("0.") != ""
    whole, _, frac = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ",".join(groups) + ("." + frac if frac else "")
    return ("-" if negative else "") + out


def fmt_score(v):
    return fmt_number(v, 0 if abs(v - round(v)) < 0.05 else 1)


def fmt_signed(v, decimals):
    s = fmt_number(v, decimals)
    return "+" + s if v > 0 and s.strip("0.,") != "" else s


def fmt_percent(v, decimals):
    return fmt_number(v * 100.0, decimals) + " %"


def headline(fig):
    lines = []
    nps = fig.get("nps")
    if nps is None or nps[0] is None:
        lines.append("NPS: n/a (no scored responses)")
    else:
        moe = fig.get("nps_moe", (None, None))[0]
        moe_s = fmt_number(moe, 1) if moe is not None else "n/a"
        n = fmt_number(float(nps[1] or 0), 0)
        delta = fig.get("nps_delta", (None, None))[0]
        if delta is not None:
            lines.append("NPS: %s (%s vs prior period, margin of error ±%s, %s responses)"
                         % (fmt_score(nps[0]), fmt_signed(delta, 1), moe_s, n))
        else:
            lines.append("NPS: %s (no prior period score, margin of error ±%s, %s responses)"
                         % (fmt_score(nps[0]), moe_s, n))
    csat = fig.get("csat", (None, None))[0]
    lines.append("CSAT: " + (fmt_percent(csat, 1) if csat is not None else "n/a"))
    churn = fig.get("churn_rate", (None, None))[0]
    lines.append("Churn rate: " + (fmt_percent(churn, 1) if churn is not None else "n/a"))
    roi = fig.get("roi.value", (None, None))[0]
    lines.append("VoC ROI: " + fmt_percent(roi, 0) if roi is not None else "VoC ROI: not yet measured")
    return lines


def main():
    box, expect_file = sys.argv[1], sys.argv[2]
    failures = []
    checks = 0
    msgs = {}
    newdir = os.path.join(box, "new")
    for name in sorted(os.listdir(newdir)) if os.path.isdir(newdir) else []:
        with open(os.path.join(newdir, name), "rb") as f:
            raw = f.read()
        m = email.message_from_bytes(raw, policy=email.policy.default)
        rcpt = str(m["X-RcptTo"])
        msgs.setdefault(rcpt, []).append((m, raw))

    want_to, shas, fig, rest = {}, {}, {}, []
    with open(expect_file, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            kind, _, arg = line.partition(" ")
            if kind == "to":
                addr, *names = arg.split()
                want_to[addr] = sorted(names)
            elif kind == "sha":
                name, hexd = arg.split()
                shas[name] = hexd
            elif kind == "figure":
                parts = arg.split(" ")
                code, value, n = parts[0], parts[1], parts[2] if len(parts) > 2 else ""
                fig[code] = (float(value) if value != "" else None, int(n) if n else None)
            else:
                rest.append((kind, arg))

    def fail(msg):
        failures.append(msg)

    def one(addr):
        got = msgs.get(addr, [])
        return got[0][0] if len(got) == 1 else None

    for addr, names in sorted(want_to.items()):
        checks += 1
        got = msgs.get(addr, [])
        if len(got) != 1:
            fail("%s: %d messages, want 1" % (addr, len(got)))
            continue
        m = got[0][0]
        if str(m["To"]) != addr:
            fail("%s: To header is %r" % (addr, str(m["To"])))
        atts = list(m.iter_attachments())
        have = sorted(p.get_filename() for p in atts)
        if have != names:
            fail("%s: attachments %s, want %s" % (addr, have, names))
        for p in atts:
            want = shas.get(p.get_filename())
            if want and hashlib.sha256(p.get_payload(decode=True)).hexdigest() != want:
                fail("%s: attachment %s differs from the published file" % (addr, p.get_filename()))
    checks += 1
    extra = sorted(set(msgs) - set(want_to))
    if extra:
        fail("unexpected recipients: %s" % ", ".join(extra))

    for kind, arg in rest:
        checks += 1
        if kind in ("subject", "body"):
            addr, _, text = arg.partition(" ")
            m = one(addr)
            if m is None:
                fail("%s: no single message to check the %s" % (addr, kind))
                continue
            hay = str(m["Subject"]) if kind == "subject" else m.get_body(("plain",)).get_content()
            if text not in hay:
                fail("%s: %s %r does not contain %r" % (addr, kind, hay[:300], text))
        elif kind == "headline":
            m = one(arg)
            if m is None:
                fail("%s: no single message to check the headline" % arg)
                continue
            body = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
            for line in headline(fig):
                if line not in body.split("\n"):
                    fail("%s: body lacks the line %r" % (arg, line))
        elif kind == "absent":
            for rcpt, lst in msgs.items():
                for m, raw in lst:
                    text = raw.decode("utf-8", "replace")
                    body = m.get_body(("plain",))
                    if arg in text or (body is not None and arg in body.get_content()):
                        fail("%s: message contains %r" % (rcpt, arg))
        else:
            fail("unknown expectation %r" % kind)

    for f in failures:
        print("FAIL: " + f)
    print("ok %d" % (checks - len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
