#!/usr/bin/python3
"""Checks the HTML of the report mails an aiosmtpd Maildir received
(report/mailhtml.c, issue 13 point 9) against the run's kpi_values:

  check_mail_html.py MAILDIR FIGURES CONFIG OUTDIR [--exact]

FIGURES: `code|dims|value|n|flag` lines of the run (psql -At).  CONFIG:
the run's config, for who heads which department and each department's
names, codes, touchpoints and topics.  For every message:
- the structure: multipart/mixed whose first part is multipart/alternative
  of text/plain and then the HTML, which for executives and finance is a
  multipart/related of text/html and an image/png whose Content-ID the
  HTML references as cid: (and a PNG 880x440 with an opaque background);
- every cell marked data-code (data-dims) shows the figure of kpi_values:
  the number it prints equals the value rounded as shown (percentages
  x100); with --exact (en_US) the headline tiles are also formatted
  exactly as vocreport formats them (check_mail.py's functions);
- a KPI's status is its dept.kpi.status flag; a low-sample actual is marked;
- the findings are the five best by finding.rank, in that order;
- a department head's mail shows only that department's KPI rows, and no
  other department's name, code, touchpoint or topic anywhere in it.
Writes OUTDIR/<local part>.html with the image inlined as a data: URI, for
a browser to render.  Prints "FAIL: ..." lines and "ok N"; exit 1 on a
failure."""
import base64
import configparser
import email
import email.policy
import html.parser
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_mail import fmt_percent, fmt_score  # noqa: E402


class Cells(html.parser.HTMLParser):
    """Text of the elements that carry data-code or data-finding."""

    def __init__(self):
        super().__init__()
        self.stack = []  # [attrs, text parts] of open marked elements
        self.cells = []  # (attrs, text)
        self.findings = []
        self.marks = []
        self.imgs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if "data-mark" in a:
            self.marks.append(a["data-mark"])
        if "data-finding" in a:
            self.findings.append(a["data-finding"])
        if "data-code" in a and tag not in ("img",):
            self.stack.append([a, [], tag, 0])
        elif self.stack and tag == self.stack[-1][2]:
            self.stack[-1][3] += 1

    def handle_endtag(self, tag):
        if self.stack and tag == self.stack[-1][2]:
            if self.stack[-1][3] == 0:
                a, parts, _, _ = self.stack.pop()
                self.cells.append((a, "".join(parts)))
            else:
                self.stack[-1][3] -= 1

    def handle_data(self, data):
        for s in self.stack:
            s[1].append(data)


def number_in(text):
    """The first number a cell prints, its decimals and whether it is a %."""
    m = re.search(r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(%?)", text)
    if not m:
        return None, 0, False
    digits = m.group(1).replace(",", "")
    dec = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits), dec, m.group(2) == "%"


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    return w, h, colour


def main():
    box, figfile, cfgfile, outdir = sys.argv[1:5]
    exact = "--exact" in sys.argv[5:]
    os.makedirs(outdir, exist_ok=True)
    fig = {}
    for line in open(figfile, encoding="utf-8"):
        code, dims, value, n, flag = line.rstrip("\n").split("|")
        fig[(code, dims)] = (float(value) if value != "" else None, int(n) if n else None, flag)
    cfg = configparser.ConfigParser(interpolation=None, strict=False, inline_comment_prefixes=None)
    cfg.read(cfgfile, encoding="utf-8")
    depts = {}
    for sec in cfg.sections():
        if not sec.startswith("department."):
            continue
        code = sec.split(".", 1)[1]
        d = cfg[sec]
        heads = [a.strip() for a in (d.get("head", "") + "," + d.get("recipients", "")).split(",") if a.strip()]
        depts[code] = {
            "name": d.get("name", code),
            "heads": heads,
            "owned": [x.strip() for k in ("touchpoints", "topics") for x in d.get(k, "").split(",") if x.strip()],
            "kpis": [k[4:] for k in d if k.startswith("kpi.")],
        }
    job = cfg["nightly"]
    execs = [a.strip() for k in ("executives", "finance") for a in job.get(k, "").split(",") if a.strip()]
    service = [a.strip() for a in job.get("service", "").split(",") if a.strip()]
    ranked = sorted((v[0], dims) for (code, dims), v in fig.items() if code == "finding.rank" and v[0] is not None)
    best5 = [dims for _, dims in ranked[:5]]

    failures, checks = [], 0

    def check(cond, msg):
        nonlocal checks
        checks += 1
        if not cond:
            failures.append(msg)
        return cond

    for name in sorted(os.listdir(os.path.join(box, "new"))):
        with open(os.path.join(box, "new", name), "rb") as f:
            m = email.message_from_binary_file(f, policy=email.policy.default)
        who = str(m["X-RcptTo"])
        heads_of = [c for c, d in depts.items() if who in d["heads"]]
        exec_like = who in execs
        check(m.get_content_type() == "multipart/mixed", "%s: top is %s" % (who, m.get_content_type()))
        parts = list(m.iter_parts())
        alt = parts[0] if parts else None
        if not check(alt is not None and alt.get_content_type() == "multipart/alternative",
                     "%s: first part is not multipart/alternative" % who):
            continue
        sub = list(alt.iter_parts())
        check([p.get_content_type() for p in sub][:1] == ["text/plain"], "%s: alternative does not start with text/plain" % who)
        check(len(sub) == 2, "%s: alternative has %d parts" % (who, len(sub)))
        last = sub[-1]
        png = cid = None
        if last.get_content_type() == "multipart/related":
            rel = list(last.iter_parts())
            check(rel[0].get_content_type() == "text/html", "%s: related does not start with the HTML" % who)
            page = rel[0].get_content()
            for p in rel[1:]:
                check(p.get_content_type() == "image/png", "%s: related holds %s" % (who, p.get_content_type()))
                png, cid = p.get_payload(decode=True), str(p["Content-ID"]).strip("<>")
        else:
            check(last.get_content_type() == "text/html", "%s: alternative ends with %s" % (who, last.get_content_type()))
            page = last.get_content()
        check(m.get_body(("plain",)).get_content().strip() != "", "%s: empty plain-text part" % who)
        out = page
        if png is not None:
            out = out.replace("cid:" + cid, "data:image/png;base64," + base64.b64encode(png).decode())
        with open(os.path.join(outdir, who.split("@")[0] + ".html"), "w", encoding="utf-8") as f:
            f.write(out)
        if png is not None:
            with open(os.path.join(outdir, who.split("@")[0] + "-chart.png"), "wb") as f:
                f.write(png)

        if exec_like:
            if check(png is not None, "%s: no inline NPS chart" % who):
                check(("cid:" + cid) in page, "%s: the HTML does not reference cid:%s" % (who, cid))
                size = png_size(png)
                check(size is not None and size[:2] == (880, 440) and size[2] == 2,
                      "%s: chart is not an opaque 880x440 PNG: %s" % (who, size))
        elif heads_of:
            check(png is None and "<img" not in page, "%s: a department head's mail has a picture" % who)
        check('name="color-scheme"' in page and "max-width:600px" in page and "prefers-color-scheme: dark" in page,
              "%s: no color-scheme meta, 600px width or dark style" % who)

        cells = Cells()
        cells.feed(page)
        shown = {}
        for a, text in cells.cells:
            code, dims = a["data-code"], a.get("data-dims", "")
            if code == "finding.money":
                # Rounded the briefing's way: "1.3M", "19.9万", else whole units.
                want = fig.get((code, dims))
                mo = re.search(r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)(M|B|万|亿)?", text)
                if check(want is not None and want[0] is not None and mo is not None,
                         "%s: finding money %r for %s, figure %r" % (who, text, dims, want)):
                    digits = mo.group(1).replace(",", "")
                    unit = {"M": 1e6, "B": 1e9, "万": 1e4, "亿": 1e8}.get(mo.group(2), 1)
                    dec = len(digits.split(".")[1]) if "." in digits else 0
                    check(abs(float(digits) * unit - want[0]) <= 0.5 * unit / 10 ** dec + 1e-6,
                          "%s: finding money %r, finding.money is %.2f" % (who, text, want[0]))
                continue
            if code.startswith("finding."):
                continue
            shown[(code, dims)] = text
            want = fig.get((code, dims))
            if want is None and dims == "" and code in ("nps", "csat", "churn_rate", "roi.value"):
                want = (None, None, "")  # a tile without its figure says n/a
            if not check(want is not None, "%s: shows %s %s, not a figure of the run" % (who, code, dims)):
                continue
            if code == "dept.kpi.status":
                check(a.get("data-status") == (want[2] or "grey").split(",")[0],
                      "%s: %s status %s, flag %s" % (who, dims, a.get("data-status"), want[2]))
                continue
            v, dec, pct = number_in(text)
            if want[0] is None:
                check(v is None, "%s: %s %s is NULL but shows %r" % (who, code, dims, text))
                continue
            if not check(v is not None, "%s: %s %s shows no number: %r" % (who, code, dims, text)):
                continue
            # A change of a share is shown in points ("+1.2 pts"), x100.
            expect = want[0] * 100 if pct or code.endswith("_change") else want[0]
            check(abs(v - expect) <= 0.5 * 10 ** -dec + 1e-9,
                  "%s: %s %s shows %r, kpi_values has %r" % (who, code, dims, text, want[0]))
            if code == "dept.kpi.actual" and "low_sample" in (want[2] or ""):
                check("low_sample" in cells.marks, "%s: %s is low sample but not marked" % (who, dims))
        if exact and exec_like:
            fmt = {"nps": fmt_score, "csat": lambda v: fmt_percent(v, 1),
                   "churn_rate": lambda v: fmt_percent(v, 1), "roi.value": lambda v: fmt_percent(v, 0)}
            for code, f in fmt.items():
                v = fig.get((code, ""), (None,))[0]
                check(shown.get((code, "")) == (f(v) if v is not None else "n/a"),
                      "%s: tile %s shows %r, want %r" % (who, code, shown.get((code, "")), f(v) if v is not None else "n/a"))
            check(cells.findings == best5, "%s: findings %s, want the five best %s" % (who, cells.findings, best5))
        if exec_like or who in service:
            continue
        # a department head: exactly the own KPI rows, nothing of another
        want_rows = sorted("department=%s;kpi=%s" % (c, k) for c in heads_of for k in depts[c]["kpis"])
        got_rows = sorted(d for (code, d) in shown if code == "dept.kpi.actual")
        check(got_rows == want_rows, "%s: KPI rows %s, want %s" % (who, got_rows, want_rows))
        check(not cells.findings and ("nps", "") not in shown, "%s: company figures in a head's mail" % who)
        for c, d in depts.items():
            if c in heads_of:
                continue
            own_names = " ".join(depts[o]["name"] for o in heads_of)
            for word in [c, d["name"]] + d["owned"]:
                if word in own_names:
                    continue
                check(not re.search(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(word), page),
                      "%s: names %r of department %s" % (who, word, c))


    for f in failures:
        print("FAIL: " + f)
    print("ok %d" % (checks - len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
