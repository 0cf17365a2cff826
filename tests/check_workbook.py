#!/usr/bin/python3
"""Checks an executive workbook written by report/xlsx.c.

    check_workbook.py FILE.xlsx [--expect-sample] [--templates DIR] [--libreoffice]

Always checked, in either locale (found from the sheet names):
  - the sheets, named from templates/<locale>/workbook.ini, in order;
  - frozen panes on every sheet;
  - no cell holds a number written as text ("1,234.00", "40 %"), and no
    number is left without a number format (General prints -9.92E-05),
    the About sheet's parameters (as typed) aside;
  - figure columns hold numbers or, for a figure without one, an empty cell
    whose comment says "n/a: <why>" (on the row's label where a chart reads
    the cell); no cell holds the n/a text (the Topics trend words aside) and
    no formula yields it;
  - ARPU, LTV, the ratios, the gains, ltv_all and the reconciliation are
    formulas (read with data_only=False) with a cached value (read with
    data_only=True), and the LTV and gain formulas read the labelled input
    cells;
  - native charts on the Customer classes sheet, with cached points;
  - conditional formatting on the Data quality sheet;
  - what issue 13 added (workbook_i13.py): NPS fills by the job's bands,
    the Summary's history with its charts and its VoC ROI row, the
    Programme cost sheet, the Findings sheet against the figures CSV;
  - Topics, Root cause and Share of voice: either the one line saying the
    run has no such figures, or the table; on Root cause the gap, customers
    lost and revenue at risk are formulas, revenue at risk reading the
    labelled lifetime-value cell, itself a link to the Customer classes
    sheet; a line chart of the top complaints and a chart per share-of-voice
    dimension, every one with cached points.

--expect-sample: also checks the Departments, Journey and Closure sheets
and the Summary's early warnings cell by cell (values, number formats,
status words and traffic-light rules) against the department figures of
tests/sample_depts.c typed again in tests/dept_expect.py; and compares the figures with the model that
tests/render_sample.c builds, computed here independently
(ARPU promoter = 120000 / 400 = 300.00; LTV = 300 x 0.35 / 0.06 = 1750.00 ...;
topics in rank order with their trend words; revenue at risk = MAX(a churn -
b churn, 0) x a customers x ltv_all; the significance word of each cohort;
share of voice and positive mentions = share x n).

--libreoffice: also lets LibreOffice recalculate every formula (a scratch
profile with "always recalculate on load") and checks that its results
equal the cached values and that no cell shows an error (#DIV/0!, Err:...).

Exit status 0 when every check passes, 1 with one line per failure.
"""

import argparse
import datetime
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl

import dept_expect as dx
import workbook_i13

HERE = os.path.dirname(os.path.abspath(__file__))
SHEET_KEYS = ["summary", "findings", "departments", "journey", "closure", "scores", "classes", "topics", "root", "sov", "corr", "exp", "roi", "cost",
              "quality", "recon", "about"]
CLASSES = ["promoter", "passive", "detractor", "none"]
NUMBER_AS_TEXT = re.compile(r"^\s*[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*%?\s*$")
ERROR_VALUES = ("#DIV/0!", "#NAME?", "#VALUE!", "#REF!", "#N/A", "#NUM!", "#NULL!", "Err:")

# The model of tests/render_sample.c.
SAMPLE = {
    "customers": [400, 250, 150, 200],
    "revenue": [120000.0, 45000.0, 15000.0, 10000.0],
    "churn": [0.06, 0.12, 0.26, 0.30],
    "repeat": [0.7, 0.5, 0.3, 0.2],
    "gross_margin": 0.35,
    "churn_floor": 0.01,
    "shift_pct": 0.01,
    "churn_all": 0.14,
    "ledger": 190250.00,
    "bridge": [300.00, -50.00],
    "nps": 45.0,
    "nps_moe": 9.87,
    "nps_n": 200,
    "nps_delta": 7.5,
    "csat": 0.8125,
    "ces": 5.4,
    "sources": {"customers": (1000, 2), "orders": (5000, 5),
                "survey_responses": (4000, 9), "feedback": (2000, 3)},
    "params": ["period", "time_zone", "locale", "min_sample", "segment_lookback_months",
               "shift_pct", "gross_margin", "churn_floor", "churn_rule", "inactive_days",
               "max_rejected_share"],
}


# Topics of tests/render_sample.c: code, English and Chinese label (None:
# the code is shown), mentions, negative, prior negative, sentiment score
# (None: NULL), rank, 12 periods of negative mentions.
SAMPLE_TOPICS = [
    ("design", "Design", "设计", 80, 10, 9, 71.0, 6, [8, 9, 7, 8, 10, 9, 8, 9, 11, 10, 9, 10]),
    ("late_delivery", "Late delivery", "配送延迟", 150, 120, 150, 35.0, 2,
     [170, 165, 160, 150, 155, 148, 150, 152, 149, 151, 150, 120]),
    ("app_crash", "App crashes", "应用闪退", 180, 140, 100, 28.5, 1,
     [60, 62, 70, 65, 72, 80, 85, 90, 95, 98, 100, 140]),
    ("pricing", "Pricing", "价格", 0, 0, 0, None, 8, [0] * 12),
    ("refund_delay", "Slow refunds", "退款缓慢", 90, 60, 58, 40.2, 3,
     [50, 52, 55, 54, 57, 56, 58, 59, 57, 60, 58, 60]),
    ("packaging", "Packaging", "包装", 70, 30, 0, 55.0, 4, [0] * 11 + [30]),
    ("reliability", "Reliability", "可靠性", 120, 25, 30, 62.0, 5,
     [35, 33, 30, 31, 29, 30, 28, 27, 31, 32, 30, 25]),
    ("gift_cards", None, None, 5, 2, 2, 45.0, 7, [0, 0, 0, 1, 0, 0, 1, 0, 0, 3, 2, 2]),
]
SAMPLE_PERIODS = [f"2025-{m:02d}-01" for m in (10, 11, 12)] + \
    [f"2026-{m:02d}-01" for m in range(1, 10)]
# Cohorts: code, a customers, a churn rate (None: NULL), b customers,
# b churn rate, p-value (None: NULL).
SAMPLE_COHORTS = [
    ("app_crash", 60, 20 / 60, 700, 0.10, 7.9e-8),
    ("late_delivery", 150, 0.185, 600, 0.10, 0.0041),
    ("refund_delay", 29, 17 / 29, 720, 0.10, 1.2e-6),
    ("packaging", 400, 0.14, 500, 0.10, 0.064),
    ("reliability", 90, 0.096, 650, 0.10, 0.03),  # significant, gap -0.4 %
    ("design", 0, None, 740, 0.10, None),
    ("pricing", 35, 4 / 35, 700, 0.10, 0.79),
]
# Share of voice: dimension -> (n, {brand: share}).
SAMPLE_SOV = {
    "reliability": (200, {"own": 0.45, "BrandX": 0.35, "BrandY": 0.20}),
    "design": (120, {"own": 0.25, "BrandX": 0.50, "品牌丙": 0.25}),
}
# Example comments per topic: (received, start of the text); the newest
# three of the top five complaints are shown.
SAMPLE_QUOTES = {
    "app_crash": [("2026-09-03", "App froze at checkout"), ("2026-09-27", "更新之后应用一打开就闪退"),
                  ("2026-09-21", "Crashes every time"), ("2026-09-14", "The new version")],
    "late_delivery": [("2026-09-25", "快递晚了五天"), ("2026-09-18", "Parcel arrived"),
                      ("2026-09-16", "Box was crushed"),  # tagged packaging too
                      ("2026-09-09", "Delivery slot missed")],
    "refund_delay": [("2026-09-22", "退款申请两周了"), ("2026-09-11", "Still waiting")],
    "packaging": [("2026-09-16", "Box was crushed")],
    "design": [("2026-09-05", "Love the look")],
}


def sample_topic_expectations(min_sample=30):
    """Everything the three topic sheets should show, computed here."""
    ltv_all = sample_expectations()["ltv_all"]
    topics = sorted(SAMPLE_TOPICS, key=lambda t: (t[7], t[0]))
    rows = []
    for code, en, zh, mentions, neg, prior, score, rank, hist in topics:
        change = (neg - prior) / prior if prior else None
        if change is None:
            trend = "new" if neg else "steady"
        else:
            trend = "worsening" if change > 0.10 else "improving" if change < -0.10 else "steady"
        rows.append({"code": code, "en": en or code, "zh": zh or code, "mentions": mentions,
                     "negative": neg, "prior": prior, "change": change, "trend": trend,
                     "score": score, "rank": rank, "history": hist})
    top = [r for r in rows if r["negative"] > 0][:5]
    cohorts = []
    for code, a, ac, b, bc, p in SAMPLE_COHORTS:
        gap = ac - bc if ac is not None else None
        lost = max(gap, 0) * a if gap is not None else None
        rev = lost * ltv_all if lost is not None else None
        word = ("low_sample" if a < min_sample else "significant" if p is not None and p < 0.05
                else "not_significant" if p is not None else "no_test")
        cohorts.append({"code": code, "a": a, "a_churn": ac, "b": b, "b_churn": bc, "p": p,
                        "gap": gap, "lost": lost, "revenue": rev, "word": word})
    cohorts.sort(key=lambda c: (c["revenue"] is None, -(c["revenue"] or 0), c["code"]))
    return {"topics": rows, "top": top, "cohorts": cohorts, "ltv_all": ltv_all,
            "labels": {r["code"]: (r["en"], r["zh"]) for r in rows}}


def sample_expectations():
    s = SAMPLE
    gm, floor, shift = s["gross_margin"], s["churn_floor"], s["shift_pct"]
    arpu = [r / c for r, c in zip(s["revenue"], s["customers"])]
    ltv = [a * gm / max(ch, floor) for a, ch in zip(arpu, s["churn"])]
    P, PA, D = 0, 1, 2
    all_c, all_r = sum(s["customers"]), sum(s["revenue"])
    ltv_all = (all_r / all_c) * gm / max(s["churn_all"], floor)
    diff = s["ledger"] - all_r
    return {
        "arpu": arpu,
        "ltv": ltv,
        "arpu_ratio": arpu[P] / arpu[D],
        "ltv_ratio": ltv[P] / ltv[D],
        "revenue_gain": shift * s["customers"][D] * (arpu[PA] - arpu[D]),
        "ltv_gain": shift * s["customers"][D] * (ltv[PA] - ltv[D]),
        "all_customers": all_c,
        "all_revenue": all_r,
        "all_arpu": all_r / all_c,
        "ltv_all": ltv_all,
        "difference": diff,
        "bridge_total": sum(s["bridge"]),
        "unexplained": diff - sum(s["bridge"]),
        **sample_experiment(ltv_all),
    }


def sample_experiment(ltv_all):
    """The evaluated experiment of render_sample.c from its counts (control
    13 of 25 churned, treatment 5 of 27), computed here, not read back."""
    nc, nt = 25, 27
    pc, pt = 13 / nc, 5 / nt
    diff = pc - pt
    retained = diff * nt
    value = retained * ltv_all
    cost, roi_cost = 6000.0, 15000.0
    se = math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt)
    pool = (13 + 5) / (nc + nt)
    z = diff / math.sqrt(pool * (1 - pool) * (1 / nc + 1 / nt))
    return {
        "exp_customers": {"control": nc, "treatment": nt},
        "exp_churn": {"control": pc, "treatment": pt},
        "exp_diff": diff,
        "exp_ci": (diff - 1.96 * se, diff + 1.96 * se),
        "exp_p": math.erfc(abs(z) / math.sqrt(2)),
        "exp_retained": retained,
        "exp_value": value,
        "exp_cost": cost,
        "exp_roi": (value - cost) / cost,
        "running_customers": {"control": 12, "treatment": 14},
        "roi_benefit": value,
        "roi_cost": roi_cost,
        "roi_value": (value - roi_cost) / roi_cost,
    }


def read_ini(path, into):
    """The subset of inih's syntax the templates use."""
    section = ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in ";#":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                continue
            key, sep, value = line.partition("=")
            if not sep:
                continue
            value = re.split(r"\s;", value, maxsplit=1)[0]
            full = f"{section}.{key.strip()}" if section else key.strip()
            into[full] = value.strip()


def percent_shown(fmt, v):
    """How Excel shows the number v in a percent format of sections
    "pos;neg;zero" such as "+0.0%;-0.0%;0.0%" (a section's literal sign
    and its decimals; no sign of its own in a negative section); None for
    another kind of format."""
    if not isinstance(v, (int, float)) or "%" not in fmt:
        return None
    parts = fmt.split(";")
    sec = parts[1] if v < 0 and len(parts) > 1 else parts[2] if v == 0 and len(parts) > 2 \
        else parts[0]
    m = re.match(r'^([^0#]*)[0#,]*0(?:\.(0+))?%$', sec)
    if not m:
        return None
    sign = "-" if v < 0 and len(parts) == 1 else ""
    return f"{sign}{m.group(1)}{abs(v) * 100:.{len(m.group(2) or '')}f}%"


def load_texts(templates, locale):
    texts = {}
    folder = os.path.join(templates, locale)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ini") and not name.startswith("."):
            read_ini(os.path.join(folder, name), texts)
    return texts


class Checker:
    # Which workbook: its texts file and sheet keys (check_dept_workbook.py
    # checks another with the same helpers).
    INI = "workbook.ini"
    SHEET_PREFIX = "sheet."
    SHEETS = SHEET_KEYS

    def __init__(self, path, templates):
        self.path = path
        self.failures = []
        self.passed = 0
        self.wf = openpyxl.load_workbook(path, data_only=False)  # formulas
        self.wv = openpyxl.load_workbook(path, data_only=True)   # cached values
        self.locale, self.t = self.find_locale(templates)
        self.na = self.t.get("format.na", "n/a")

    # -- helpers ---------------------------------------------------------

    def fail(self, msg):
        self.failures.append(msg)

    def ok(self, cond, msg):
        if cond:
            self.passed += 1
        else:
            self.fail(msg)
        return cond

    def find_locale(self, templates):
        got = self.wf.sheetnames
        tried = []
        for loc in sorted(os.listdir(templates)):
            if not os.path.isfile(os.path.join(templates, loc, self.INI)):
                continue
            t = load_texts(templates, loc)
            want = [t.get(self.SHEET_PREFIX + k, self.SHEET_PREFIX + k) for k in self.SHEETS]
            if got == want:
                self.passed += 1
                return loc, t
            tried.append(f"{loc} {want}")
        self.fail(f"sheet names/order: got {got}, expected one of: " + "; ".join(tried))
        raise SystemExit(self.report())

    def sheet(self, key):
        name = self.t[self.SHEET_PREFIX + key]
        return self.wf[name], self.wv[name]

    def text(self, key, **fill):
        s = self.t.get(key, key)
        for k, v in fill.items():
            s = s.replace("{" + k + "}", str(v))
        return s

    @staticmethod
    def find_row(ws, label, col=1, startswith=False):
        for row in ws.iter_rows(min_col=col, max_col=col):
            v = row[0].value
            if isinstance(v, str) and (v.strip() == label or
                                       (startswith and v.strip().startswith(label))):
                return row[0].row
        return None

    @staticmethod
    def header_cols(ws, row):
        return {c.value: c.column for c in ws[row] if isinstance(c.value, str)}

    def col_of(self, cols, key):
        """Column of a header whose text is the label, perhaps with a currency."""
        label = self.t[key]
        for text, col in cols.items():
            if text == label or text.startswith(label + " (") or text.startswith(label + "（"):
                return col
        return None

    def is_number(self, v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    def near(self, got, want, tol=0.005):
        return self.is_number(got) and abs(got - want) <= tol

    def missing(self, wsf, row, col, why=None, label_col=None, label=None):
        """An empty cell for a figure without a value: its comment says
        "n/a: <why>" (why: the text key of the reason expected, else any).
        label_col: a cell a chart reads carries no comment (it would be a 0
        point); its reason is a line "<label>: n/a: <why>" of the comment on
        the row's label in that column (label: the figure's name expected
        there, else any)."""
        c = wsf.cell(row, col)
        if c.value is not None or self.wv[wsf.title].cell(row, col).value is not None:
            return False
        want = self.text("na.note", why=self.t.get(why, why) if why else "")
        if label_col is not None and c.comment is None:
            lab = wsf.cell(row, label_col).comment
            lines = lab.text.split("\n") if lab else []
            head = label + ": " if label else ""
            return any(ln.startswith(head) and (ln.endswith(": " + want) if why else
                                                (": " + want) in ln) for ln in lines)
        note = c.comment.text if c.comment else ""
        return note == want if why else note.startswith(want)

    def expect_missing(self, wsf, row, col, what, why=None, label_col=None):
        c = wsf.cell(row, col)
        got = c.comment.text if c.comment else None
        return self.ok(self.missing(wsf, row, col, why, label_col),
                       f"{wsf.title}!{c.coordinate} ({what}): {c.value!r} with comment {got!r}, "
                       f"expected an empty cell whose comment is "
                       f"{self.text('na.note', why=self.t.get(why, why) if why else '...')!r}")

    def formula(self, wsf, wsv, row, col, what, want=None, refs=(), tol=0.005, plain=False):
        """A formula with its value cached: a number, or no formula but an
        empty cell with its reason when the figure is NULL (no expected
        value).  plain: a number written without a formula is accepted too
        (nothing to compute from)."""
        f = wsf.cell(row, col).value
        v = wsv.cell(row, col).value
        where = f"{wsf.title}!{wsf.cell(row, col).coordinate}"
        if want is None and (self.missing(wsf, row, col) or (plain and self.is_number(f))):
            self.passed += 1
            return
        if not self.ok(isinstance(f, str) and f.startswith("="),
                       f"{where} ({what}): expected a formula, got {f!r}"):
            return
        if want is None:
            self.ok(self.is_number(v),
                    f"{where} ({what}): cached value {v!r} is not a number "
                    "(written with worksheet_write_formula, not _num?)")
        else:
            self.ok(self.is_number(v), f"{where} ({what}): cached value {v!r} is not a number "
                                       "(written with worksheet_write_formula, not _num?)")
        for ref in refs:
            self.ok(ref in f, f"{where} ({what}): formula {f} does not read {ref}")
        if want is not None:
            self.ok(self.near(v, want, tol),
                    f"{where} ({what}): cached {v!r}, expected {want:.4f}")

    def expect_date(self, wsf, row, col, ymd, what):
        """An Excel date (not text) with a date format, the day ymd."""
        c = wsf.cell(row, col)
        v = c.value
        got = v.strftime("%Y-%m-%d") if isinstance(v, (datetime.datetime, datetime.date)) else None
        return self.ok(got == ymd and "yy" in c.number_format.lower(),
                       f"{wsf.title}!{c.coordinate} ({what}): {v!r} in format "
                       f"{c.number_format!r}, expected the date {ymd} with a date format")

    def value(self, wsf, wsv, row, col, what, want=None, tol=0.005, label_col=None, label=None):
        """A plain number; when no value is expected, an empty cell with its
        reason is accepted too (missing)."""
        f = wsf.cell(row, col).value
        where = f"{wsf.title}!{wsf.cell(row, col).coordinate}"
        if want is None and self.missing(wsf, row, col, label_col=label_col, label=label):
            self.passed += 1
            return
        if not self.ok(self.is_number(f), f"{where} ({what}): expected a number or an empty "
                                          f"cell with its reason, got {f!r}"):
            return
        if want is not None:
            self.ok(self.near(f, want, tol), f"{where} ({what}): {f!r}, expected {want}")

    # -- checks ----------------------------------------------------------

    def check_properties(self, title, subject_key, job=None):
        """The document properties a file browser shows (job: None, any)."""
        p = self.wf.properties
        self.ok(p.title == title, f"properties: title {p.title!r}, expected {title!r}")
        self.ok(p.subject == self.text(subject_key),
                f"properties: subject {p.subject!r}, expected {self.text(subject_key)!r}")
        self.ok(p.creator == "vocreport", f"properties: author {p.creator!r}")
        self.ok(job is None or p.description == job,
                f"properties: comments {p.description!r}, expected {job!r}")

    def na_text_allowed(self, wsf, cell):
        """Where the n/a word may stand: the Topics trend column, a word
        column; and a traffic light's grey word where a locale spells it
        as n/a (zh_CN: 无数据)."""
        if cell.value == self.t.get("depts.status.grey"):
            return True
        topics = self.t.get(self.SHEET_PREFIX + "topics")
        if wsf.title != topics:
            return False
        hdr = self.find_row(wsf, self.t["topics.topic"])
        return bool(hdr) and wsf.cell(hdr, cell.column).value == self.t["topics.trend"]

    def check_no_na_text(self, wsf):
        """No figure column holds the n/a word, nor does a formula yield it:
        a figure without data is an empty cell with its reason."""
        wsv = self.wv[wsf.title]
        na_lit = '"' + self.na + '"'
        for row in wsf.iter_rows():
            for c in row:
                f, v = c.value, wsv[c.coordinate].value
                if (f == self.na or v == self.na) and not self.na_text_allowed(wsf, c):
                    self.fail(f"{wsf.title}!{c.coordinate}: the text {self.na!r} "
                              "instead of an empty cell with its reason")
                elif isinstance(f, str) and f.startswith("=") and na_lit in f:
                    self.fail(f"{wsf.title}!{c.coordinate}: formula yields {self.na!r}: {f}")
                else:
                    self.passed += 1

    def check_all_sheets(self):
        for wsf in self.wf.worksheets:
            wsv = self.wv[wsf.title]
            self.ok(wsf.freeze_panes is not None, f"{wsf.title}: no frozen panes")
            self.check_no_na_text(wsf)
            for row in wsv.iter_rows():
                for c in row:
                    v = c.value
                    if isinstance(v, str):
                        if NUMBER_AS_TEXT.match(v):
                            self.fail(f"{wsf.title}!{c.coordinate}: number stored as text {v!r}")
                        if any(v.startswith(e) for e in ERROR_VALUES):
                            self.fail(f"{wsf.title}!{c.coordinate}: error value {v!r}")
            widths = [d.width for d in wsf.column_dimensions.values() if d.width]
            self.ok(widths, f"{wsf.title}: no column widths set")
        self.check_number_formats()

    def check_number_formats(self):
        """Every number has a number format (jobs/config/metrics.c), never General,
        which prints -9.92E-05; only the About sheet's parameters stay as
        typed."""
        about = self.t[self.SHEET_PREFIX + "about"]
        for wsf in self.wf.worksheets:
            if wsf.title == about:
                continue
            wsv = self.wv[wsf.title]
            for row in wsf.iter_rows():
                for c in row:
                    v = wsv[c.coordinate].value
                    if self.is_number(v) and c.number_format == "General":
                        self.fail(f"{wsf.title}!{c.coordinate}: number {v!r} without a number "
                                  "format (General)")

    def check_summary(self, sample):
        wsf, wsv = self.sheet("summary")
        hdr = self.find_row(wsf, self.t["summary.figure"])
        if not self.ok(hdr, f"{wsf.title}: no headline table (header {self.t['summary.figure']!r})"):
            return
        cols = self.header_cols(wsf, hdr)
        vcol = cols.get(self.t["summary.value"])
        rows = {}
        for key in ("nps", "csat", "ces", "churn", "ltv_all", "recon"):
            rows[key] = self.find_row(wsf, self.t["summary." + key], startswith=True)
            if self.ok(rows[key], f"{wsf.title}: no row {self.t['summary.' + key]!r}"):
                if key in ("ltv_all", "recon"):
                    continue
                self.value(wsf, wsv, rows[key], vcol, key)
        classes_name = self.t["sheet.classes"]
        if rows["ltv_all"]:
            self.formula(wsf, wsv, rows["ltv_all"], vcol, "ltv_all",
                         sample["ltv_all"] if sample else None, refs=(classes_name,))
        if rows["recon"]:
            self.formula(wsf, wsv, rows["recon"], vcol, "unexplained",
                         sample["unexplained"] if sample else None,
                         refs=(self.t["sheet.recon"],))
        frow = self.find_row(wsf, self.t["summary.findings"])
        if self.ok(frow, f"{wsf.title}: no findings heading"):
            nxt = wsf.cell(frow + 1, 1).value
            self.ok(isinstance(nxt, str) and nxt.strip(), f"{wsf.title}: no findings below heading")
            # Each finding as the briefing gives it: its sentence, then its
            # owner, what it is worth and its next step.
            owner = self.text("finding.owner").split("{owner}")[0]
            step = self.text("finding.next").split("{step}")[0]
            r = frow + 1
            while isinstance(wsf.cell(r, 1).value, str) and wsf.cell(r, 1).value.startswith("•"):
                meta = wsf.cell(r + 1, 1).value or ""
                self.ok(owner in meta and step in meta,
                        f"{wsf.title}!A{r + 1}: {meta!r} gives no owner ({owner!r}) and next "
                        f"step ({step!r}) for the finding above it")
                r += 2
        if sample:
            s = SAMPLE
            r = rows["nps"]
            if r:
                self.value(wsf, wsv, r, vcol, "nps", s["nps"])
                self.value(wsf, wsv, r, cols[self.t["summary.moe"]], "nps_moe", s["nps_moe"])
                self.value(wsf, wsv, r, cols[self.t["summary.n"]], "nps_n", s["nps_n"])
                self.value(wsf, wsv, r, cols[self.t["summary.delta"]], "nps_delta",
                           s["nps_delta"])
                note = wsf.cell(r, cols[self.t["summary.note"]]).value or ""
                self.ok(self.t["mark.significant"] in note,
                        f"{wsf.title}: NPS change not marked significant ({note!r})")
            for key, want in (("csat", s["csat"]), ("ces", s["ces"]), ("churn", s["churn_all"])):
                if rows[key]:
                    self.value(wsf, wsv, rows[key], vcol, key, want, tol=1e-9)
            self.ok(self.find_row(wsf, "2026-09-01", col=2, startswith=True),
                    f"{wsf.title}: period 2026-09-01 – 2026-09-30 not shown")

    def check_scores(self, sample):
        wsf, wsv = self.sheet("scores")
        hdr = self.find_row(wsf, self.t["scores.dimension"])
        if not self.ok(hdr, f"{wsf.title}: no table header"):
            return
        cols = self.header_cols(wsf, hdr)
        figure_keys = ["nps", "moe", "n", "promoters", "passives", "detractors", "csat", "ces",
                       "delta"]
        fcols = {k: cols.get(self.t["scores." + k]) for k in figure_keys}
        for k, c in fcols.items():
            self.ok(c, f"{wsf.title}: no column {self.t['scores.' + k]!r}")
        r = hdr + 1
        rows = {}
        while wsf.cell(r, 1).value not in (None, ""):
            group = wsf.cell(r, 2).value or ""
            rows[(wsf.cell(r, 1).value, group)] = r
            for k, c in fcols.items():
                if not c:
                    continue
                v = wsf.cell(r, c).value
                self.ok(self.is_number(v) or self.missing(wsf, r, c),
                        f"{wsf.title}!{wsf.cell(r, c).coordinate}: {v!r} is neither a number "
                        f"nor an empty cell with its reason")
            r += 1
        self.ok(rows, f"{wsf.title}: no rows")
        self.ok(wsf.cell(hdr + 1, 1).value == self.t["dims.overall"],
                f"{wsf.title}: first row is not {self.t['dims.overall']!r}")
        # The NPS traffic lights: workbook_i13.check_lights.
        if sample:
            overall = rows.get((self.t["dims.overall"], ""))
            if overall:
                self.value(wsf, wsv, overall, fcols["nps"], "overall nps", SAMPLE["nps"])
            low_mark = self.text("mark.low_sample", min=30)
            # Groups by name, as the Journey sheet and the briefing name them.
            sms = rows.get((self.t["dims.channel"], self.t["channel.sms"]))
            if self.ok(sms, f"{wsf.title}: no row for channel sms"):
                self.expect_missing(wsf, sms, fcols["nps"], "NULL NPS of channel sms (n = 0)",
                                    "na.no_sample")
            after = rows.get((self.t["dims.touchpoint"], self.t["touchpoint.after_sales"]))
            if self.ok(after, f"{wsf.title}: no row for touchpoint after_sales"):
                c = wsf.cell(after, fcols["nps"])
                self.ok(c.font is not None and c.font.i,
                        f"{wsf.title}: low-sample row after_sales is not italic")
                flags = wsf.cell(after, cols[self.t["scores.flags"]]).value or ""
                self.ok(low_mark in flags,
                        f"{wsf.title}: low-sample row after_sales lacks {low_mark!r}")
            self.ok(len(rows) == 7, f"{wsf.title}: {len(rows)} rows, expected 7 "
                                    "(overall, 3 touchpoints, 2 channels, 1 segment)")

    def check_classes(self, sample):
        wsf, wsv = self.sheet("classes")
        exp = sample_expectations() if sample else None
        inputs = {}
        for key in ("gross_margin", "churn_floor", "shift_pct"):
            r = self.find_row(wsf, self.t["classes." + key])
            if self.ok(r, f"{wsf.title}: no input {self.t['classes.' + key]!r}"):
                self.value(wsf, wsv, r, 2, key, SAMPLE[key] if sample else None, tol=1e-9)
                inputs[key] = wsf.cell(r, 2).coordinate
        ref = {k: "$" + re.sub(r"(\d+)", r"$\1", v) for k, v in inputs.items()}
        hdr = self.find_row(wsf, self.t["classes.class"])
        if not self.ok(hdr, f"{wsf.title}: no class table"):
            return
        cols = self.header_cols(wsf, hdr)
        c = {k: self.col_of(cols, "classes." + k)
             for k in ("customers", "revenue", "repeat_rate", "churn_rate", "arpu", "ltv")}
        for k, col in c.items():
            if not self.ok(col, f"{wsf.title}: no column {self.t['classes.' + k]!r}"):
                return
        class_rows = []
        for i, name in enumerate(CLASSES):
            r = self.find_row(wsf, self.t["class." + name])
            if not self.ok(r, f"{wsf.title}: no row for class {name}"):
                return
            class_rows.append(r)
            for k, sk in (("customers", "customers"), ("revenue", "revenue"),
                          ("repeat_rate", "repeat"), ("churn_rate", "churn")):
                # The churn chart reads the churn rates: their reasons are
                # on the class's name.
                self.value(wsf, wsv, r, c[k], f"{name} {k}",
                           SAMPLE[sk][i] if sample else None, tol=1e-9,
                           label_col=1 if k == "churn_rate" else None,
                           label=self.t["classes.churn_rate"] if k == "churn_rate" else None)
            # n/a without a formula only where there is nothing to divide.
            plain = not all(self.is_number(wsf.cell(r, c[k]).value)
                            for k in ("customers", "revenue"))
            self.formula(wsf, wsv, r, c["arpu"], f"{name} ARPU",
                         exp["arpu"][i] if sample else None, plain=plain)
            self.formula(wsf, wsv, r, c["ltv"], f"{name} LTV", exp["ltv"][i] if sample else None,
                         refs=[ref[k] for k in ("gross_margin", "churn_floor") if k in ref],
                         plain=plain)
        r = self.find_row(wsf, self.t["classes.all"])
        if self.ok(r, f"{wsf.title}: no row {self.t['classes.all']!r} (ltv_all inputs)"):
            self.formula(wsf, wsv, r, c["customers"], "all customers",
                         exp["all_customers"] if sample else None)
            self.formula(wsf, wsv, r, c["revenue"], "all revenue",
                         exp["all_revenue"] if sample else None)
            self.value(wsf, wsv, r, c["churn_rate"], "all churn rate",
                       SAMPLE["churn_all"] if sample else None, tol=1e-9)
            self.formula(wsf, wsv, r, c["arpu"], "all ARPU", exp["all_arpu"] if sample else None)
            self.formula(wsf, wsv, r, c["ltv"], "ltv_all", exp["ltv_all"] if sample else None,
                         refs=[ref[k] for k in ("gross_margin", "churn_floor") if k in ref])
        for key, refs in (("arpu_ratio", ()), ("ltv_ratio", ()),
                          ("revenue_gain", [ref[k] for k in ("shift_pct",) if k in ref]),
                          ("ltv_gain", [ref[k] for k in ("shift_pct",) if k in ref])):
            r = self.find_row(wsf, self.t["classes." + key], startswith=True)
            if self.ok(r, f"{wsf.title}: no row {self.t['classes.' + key]!r}"):
                self.formula(wsf, wsv, r, 2, key, exp[key] if sample else None, refs=refs)

        # What detractors say, under the charts: the sample's two quotes
        # without a topic, in the model's order, with date and channel name;
        # the quotes with a topic stay on the Topics sheet.
        qt = self.find_row(wsf, self.t["classes.quotes_title"])
        if self.ok(qt, f"{wsf.title}: no section {self.t['classes.quotes_title']!r}") and sample:
            head = [wsf.cell(qt + 1, c).value for c in (1, 2, 3)]
            self.ok(head == [self.t["topics.received"], self.t["topics.channel"],
                             self.t["topics.comment"]],
                    f"{wsf.title}: quote heads {head}")
            got = [[wsf.cell(r, c).value for c in (1, 2, 3)] for r in (qt + 2, qt + 3, qt + 4)]
            want = [["2026-09-28", self.t["channel.call_center"],
                     "送货太慢了，等了一个星期才到，客服也不回复。"],
                    ["2026-09-20", self.t["channel.review"],
                     "The refund took three weeks and nobody answered my emails."],
                    [None, None, None]]
            self.ok(got == want, f"{wsf.title}: detractor quotes {got}, expected {want}")

        # A chart per figure some class has; for one no class has, a line
        # saying why in its place (four empty columns would read as zeros).
        texts = [cl.value for row in wsf.iter_rows() for cl in row if isinstance(cl.value, str)]
        want = 0
        for title, col in (("classes.chart_arpu", self.col_of(cols, "classes.run_arpu")),
                           ("classes.chart_churn", c["churn_rate"])):
            drawn = col and any(self.is_number(wsv.cell(r, col).value) for r in class_rows)
            none = self.text("classes.chart_none", chart=self.t[title]).split("{why}")[0]
            said = any(tx.startswith(none) for tx in texts)
            want += bool(drawn)
            self.ok(said != bool(drawn),
                    f"{wsf.title}: {self.t[title]!r} " + ("drawn, yet also said to be absent"
                                                         if drawn else
                                                         "has no figure and no line saying why"))
        charts = getattr(wsf, "_charts", [])
        self.ok(len(charts) == want, f"{wsf.title}: {len(charts)} charts, expected {want} "
                                     "(ARPU and churn rate by class, where a class has them)")
        for ch in charts:
            for ser in ch.series:
                num = ser.val.numRef if ser.val else None
                cache = num.numCache if num else None
                pts = {p.idx: p.v for p in cache.pt} if cache else {}
                self.ok(num and wsf.title in num.f,
                        f"{wsf.title}: chart series does not read this sheet ({num and num.f})")
                # A point per class with a number; a class without one is a
                # gap (its reason on the class's name), never a 0 point.
                numbers = 4
                m = re.search(r"\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$", num.f if num else "")
                if m:
                    numbers = sum(self.is_number(wsv[f"{m.group(1)}{r}"].value)
                                  for r in range(int(m.group(2)), int(m.group(3)) + 1))
                if not self.ok(len(pts) == numbers,
                               f"{wsf.title}: chart series {num and num.f} caches {len(pts)} "
                               f"points, expected {numbers}") or numbers < 4:
                    continue
                if sample:
                    vals = [float(pts[i]) for i in range(4)]
                    known = {"ARPU": exp["arpu"], "churn": SAMPLE["churn"]}
                    self.ok(any(all(abs(a - b) < 0.005 for a, b in zip(vals, want))
                                for want in known.values()),
                            f"{wsf.title}: chart {num.f} caches {vals}, neither ARPU nor "
                            "churn rate by class")

    def check_quality(self, sample):
        wsf, wsv = self.sheet("quality")
        hdr = self.find_row(wsf, self.t["quality.table"])
        if not self.ok(hdr, f"{wsf.title}: no table"):
            return
        cols = self.header_cols(wsf, hdr)
        rc, jc, sc = (cols.get(self.t[k]) for k in ("quality.rows", "quality.rejected",
                                                     "quality.share"))
        r = hdr + 1
        seen = {}
        while wsf.cell(r, 1).value not in (None, ""):
            table = wsf.cell(r, 1).value
            seen[table] = r
            self.value(wsf, wsv, r, rc, f"{table} rows read")
            self.value(wsf, wsv, r, jc, f"{table} rejected")
            want = None
            if sample and table in SAMPLE["sources"]:
                rows, rej = SAMPLE["sources"][table]
                want = rej / rows
            self.formula(wsf, wsv, r, sc, f"{table} rejected share", want, tol=1e-9)
            r += 1
        if sample:
            self.ok(set(seen) == set(SAMPLE["sources"]),
                    f"{wsf.title}: tables {sorted(seen)}, expected {sorted(SAMPLE['sources'])}")
            reasons = self.find_row(wsf, self.t["quality.reasons"])
            self.ok(reasons, f"{wsf.title}: no table of rejections by reason")
        if seen:
            self.ok(len(wsf.conditional_formatting) > 0,
                    f"{wsf.title}: no conditional formatting on the rejected share")

    def check_exp(self, sample):
        wsf, wsv = self.sheet("exp")
        heads = [c.value for row in wsf.iter_rows(max_col=1) for c in row
                 if isinstance(c.value, str)]
        ev_head = self.text("exp.head_evaluated", name="callback_24h")
        run_head = self.text("exp.head_running", name="winback_sms")
        if not sample:
            none = self.t["exp.none"]
            self.ok(none in heads or any(h.startswith(self.t["exp.head_evaluated"].split("{")[0])
                                         for h in heads),
                    f"{wsf.title}: neither experiments nor {none!r}")
            return
        exp = sample_expectations()
        for h in (ev_head, run_head):
            self.ok(h in heads, f"{wsf.title}: no heading {h!r}")
        r0 = self.find_row(wsf, ev_head)
        r1 = self.find_row(wsf, run_head)
        if not (r0 and r1):
            return
        arm_rows = {}
        for arm in ("control", "treatment"):
            label = self.t["exp.arm_" + arm]
            for r in range(r0 + 1, r1):
                if isinstance(wsf.cell(r, 1).value, str) and wsf.cell(r, 1).value.strip() == label:
                    arm_rows[arm] = r
                    break
            if not self.ok(arm in arm_rows, f"{wsf.title}: no arm row {label!r}"):
                return
            self.value(wsf, wsv, arm_rows[arm], 2, f"{arm} customers", exp["exp_customers"][arm])
            self.value(wsf, wsv, arm_rows[arm], 3, f"{arm} churn", exp["exp_churn"][arm], 1e-9)

        def row_of(key, start=r0, end=r1):
            label = self.t[key]
            for r in range(start, end):
                v = wsf.cell(r, 1).value
                if isinstance(v, str) and (v.strip() == label or v.startswith(label + " (")
                                           or v.startswith(label + "（")):
                    return r
            self.fail(f"{wsf.title}: no row {label!r} for callback_24h")
            return None

        cref = lambda arm, col: wsf.cell(arm_rows[arm], col).coordinate
        r = row_of("exp.diff")
        if r:
            self.formula(wsf, wsv, r, 2, "churn difference", exp["exp_diff"], tol=1e-9,
                         refs=(cref("control", 3), cref("treatment", 3)))
        r = row_of("exp.ci_low")
        if r:
            self.value(wsf, wsv, r, 2, "CI low", exp["exp_ci"][0], 1e-6)
        r = row_of("exp.ci_high")
        if r:
            self.value(wsf, wsv, r, 2, "CI high", exp["exp_ci"][1], 1e-6)
        r = row_of("exp.p_value")
        if r:
            self.value(wsf, wsv, r, 2, "p-value", exp["exp_p"], 1e-6)
            self.ok(wsf.cell(r, 3).value == self.t["exp.significant"],
                    f"{wsf.title}: p-value {exp['exp_p']:.4f} not called significant")
        r = row_of("exp.retained")
        if r:
            self.formula(wsf, wsv, r, 2, "retained customers", exp["exp_retained"], tol=1e-6,
                         refs=(cref("treatment", 2),))
        r = row_of("exp.ltv_all")
        if r:
            self.formula(wsf, wsv, r, 2, "ltv_all", exp["ltv_all"],
                         refs=(self.t["sheet.classes"],))
        r = row_of("exp.value_money")
        if r:
            self.formula(wsf, wsv, r, 2, "value", exp["exp_value"])
        r = row_of("exp.cost")
        if r:
            self.value(wsf, wsv, r, 2, "cost", exp["exp_cost"])
        r = row_of("exp.roi")
        if r:
            self.formula(wsf, wsv, r, 2, "ROI", exp["exp_roi"], tol=1e-6)
        # Running: progress only, never a verdict.
        end = wsf.max_row + 1
        texts = [wsf.cell(rr, c).value for rr in range(r1, end) for c in range(1, 5)]
        self.ok(self.text("exp.running_note", date="2027-02-28") in texts,
                f"{wsf.title}: winback_sms does not say when it is evaluated (2027-02-28)")
        for key in ("exp.diff", "exp.p_value", "exp.roi", "exp.value_money"):
            self.ok(not any(isinstance(t, str) and t.startswith(self.t[key]) for t in texts),
                    f"{wsf.title}: running experiment shows a verdict ({self.t[key]!r})")
        for arm in ("control", "treatment"):
            rr = self.find_row(wsf, self.t["exp.arm_" + arm]) and None
            for rr in range(r1, end):
                if wsf.cell(rr, 1).value == self.t["exp.arm_" + arm]:
                    self.value(wsf, wsv, rr, 2, f"running {arm} customers",
                               exp["running_customers"][arm])
                    break
            else:
                self.fail(f"{wsf.title}: running experiment without its {arm} arm")

    def check_roi(self, sample):
        wsf, wsv = self.sheet("roi")
        texts = [c.value for row in wsf.iter_rows() for c in row if isinstance(c.value, str)]
        rows = {k: self.find_row(wsf, self.t["roi." + k]) for k in ("benefit", "cost", "value")}
        if not all(rows.values()):
            self.ok(self.t["roi.none"] in texts,
                    f"{wsf.title}: neither the ROI rows nor {self.t['roi.none']!r}")
            return
        exp = sample_expectations() if sample else None
        self.formula(wsf, wsv, rows["benefit"], 2, "benefit",
                     exp["roi_benefit"] if sample else None,
                     refs=("SUM(", self.t["sheet.exp"]) if sample else (), plain=not sample)
        self.formula(wsf, wsv, rows["cost"], 2, "cost", exp["roi_cost"] if sample else None,
                     refs=(self.t["sheet.cost"],), plain=not sample)
        self.formula(wsf, wsv, rows["value"], 2, "VoC ROI", exp["roi_value"] if sample else None,
                     tol=1e-6)
        self.ok(self.find_row(wsf, self.t["roi.rule_label"]),
                f"{wsf.title}: the benefit rule is not stated")

    def check_recon(self, sample):
        wsf, wsv = self.sheet("recon")
        exp = sample_expectations() if sample else None
        rows = {}
        for key in ("ledger", "difference", "bridge_total", "unexplained"):
            rows[key] = self.find_row(wsf, self.t["recon." + key])
            self.ok(rows[key], f"{wsf.title}: no row {self.t['recon.' + key]!r}")
        rows["classes"] = self.find_row(
            wsf, self.text("recon.classes", sheet=self.t["sheet.classes"]))
        self.ok(rows["classes"], f"{wsf.title}: no row for revenue by class")
        if not all(rows.values()):
            return
        self.value(wsf, wsv, rows["ledger"], 2, "ledger", SAMPLE["ledger"] if sample else None)
        no_ledger = not self.is_number(wsf.cell(rows["ledger"], 2).value)
        self.formula(wsf, wsv, rows["classes"], 2, "revenue by class",
                     exp["all_revenue"] if sample else None,
                     refs=("SUM(", self.t["sheet.classes"]))
        self.formula(wsf, wsv, rows["difference"], 2, "difference",
                     exp["difference"] if sample else None, plain=no_ledger)
        # No bridge lines: a plain 0.00 (no range to sum).
        bridge_lines = rows["bridge_total"] - rows["difference"] - 2
        self.formula(wsf, wsv, rows["bridge_total"], 2, "bridge total",
                     exp["bridge_total"] if sample else None, plain=bridge_lines <= 0)
        self.formula(wsf, wsv, rows["unexplained"], 2, "unexplained",
                     exp["unexplained"] if sample else None, plain=no_ledger)
        sentences = [self.t["recon.ok"]] + [
            self.t[k].split("{")[0] for k in ("recon.explained", "recon.unexplained_text",
                                              "recon.na")]
        texts = [c.value for row in wsf.iter_rows() for c in row if isinstance(c.value, str)]
        self.ok(any(any(t.startswith(s) for s in sentences) for t in texts),
                f"{wsf.title}: no sentence saying whether the revenue reconciles")
        if sample:
            want = self.text("recon.explained", amount="250.00 EUR")
            self.ok(want in texts, f"{wsf.title}: expected the sentence {want!r}")
        # Tie-out: value, control total, difference formula, status in words.
        hdr = self.find_row(wsf, self.t["recon.source"], col=6)
        if not self.ok(hdr, f"{wsf.title}: no tie-out table"):
            return
        want = {}
        if sample:
            want = {self.t["recon.tie_ledger"]: (SAMPLE["ledger"], SAMPLE["ledger"]),
                    self.t["recon.tie_classes"]: (exp["all_revenue"],
                                                  SAMPLE["ledger"] - exp["bridge_total"]),
                    self.t["recon.tie_roi_cost"]: (exp["roi_cost"], exp["roi_cost"]),
                    self.text("recon.tie_exp_cost", name="callback_24h"): (exp["exp_cost"],
                                                                          exp["exp_cost"])}
        seen = set()
        r = hdr + 1
        # Columns: item, value, control total, difference, status, source, filter.
        while isinstance(wsf.cell(r, 1).value, str) and wsf.cell(r, 6).value:
            item = wsf.cell(r, 1).value
            seen.add(item)
            self.ok(isinstance(wsf.cell(r, 7).value, str) and "[" in wsf.cell(r, 7).value,
                    f"{wsf.title}: tie-out {item!r} has no filter and period")
            v, c = want.get(item, (None, None))
            self.formula(wsf, wsv, r, 2, f"tie-out value {item}", v)
            cv = wsv.cell(r, 3).value  # a ledger figure, or a formula over them
            self.ok(self.is_number(cv) and (c is None or self.near(cv, c)),
                    f"{wsf.title}: tie-out {item!r} control total {cv!r}, expected {c!r}")
            d = None if v is None else round(v - c, 2)
            self.formula(wsf, wsv, r, 4, f"tie-out difference {item}", d)
            st = wsv.cell(r, 5).value
            dv = wsv.cell(r, 4).value
            good = self.is_number(dv) and abs(dv) < 0.005
            self.ok(st == self.t["recon.ties_out" if good else "recon.off"],
                    f"{wsf.title}: tie-out {item!r} status {st!r} for difference {dv!r}")
            r += 1
        for item in want:
            self.ok(item in seen, f"{wsf.title}: no tie-out row {item!r}")
        if sample:
            self.ok(self.text("recon.filter_ledger", **{"from": "2025-10-01", "to": "2026-10-01"})
                    in texts, f"{wsf.title}: ledger filter not in words")
            self.ok(self.text("recon.filter_exp_cost", **{"from": "2026-02-01",
                                                         "to": "2026-09-03"}) in texts,
                    f"{wsf.title}: experiment cost filter not in words")

    def check_about(self, sample):
        wsf, wsv = self.sheet("about")
        r = self.find_row(wsf, self.t["about.run_id"])
        if self.ok(r, f"{wsf.title}: no run id"):
            self.value(wsf, wsv, r, 2, "run id", 42 if sample else None)
        for key in ("job", "as_of", "period_start", "period_end", "prior_start", "time_zone",
                    "locale", "program_version", "config_digest"):
            self.ok(self.find_row(wsf, self.t["about." + key]),
                    f"{wsf.title}: no row {self.t['about.' + key]!r}")
        r = self.find_row(wsf, self.t["about.as_of"])
        if r:  # a date of its own: an Excel date
            v = wsf.cell(r, 2).value
            self.ok(isinstance(v, datetime.datetime), f"{wsf.title}!B{r}: as-of {v!r} is no date")
            if sample:
                self.expect_date(wsf, r, 2, "2026-10-01", "as-of")
        # The period's bounds and the run's start: local date-times (the zone
        # is the row below them), never text.
        moments = {"period_start": "2026-09-01 00:00", "period_end": "2026-10-01 00:00",
                   "prior_start": "2026-08-01 00:00", "started_at": "2026-10-01 02:00"}
        for key, want in moments.items():
            r = self.find_row(wsf, self.t["about." + key])
            if not r:
                continue
            c = wsf.cell(r, 2)
            v = c.value
            if v is None and key == "prior_start" and not sample and c.comment:
                continue  # a run without a prior period says so in a comment
            got = v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime.datetime) else None
            self.ok(got is not None and "hh:mm" in c.number_format.lower()
                    and (not sample or got == want),
                    f"{wsf.title}!{c.coordinate} ({key}): {v!r} in format {c.number_format!r},"
                    f" expected a date and time" + (f" {want}" if sample else ""))
        wss, _ = self.sheet("summary")
        r = self.find_row(wss, self.t["summary.as_of"])
        if self.ok(r, f"{wss.title}: no as-of row"):
            v = wss.cell(r, 2).value
            self.ok(isinstance(v, datetime.datetime), f"{wss.title}!B{r}: as-of {v!r} is no date")
            if sample:
                self.expect_date(wss, r, 2, "2026-10-01", "as-of")
        if sample:
            names = {c.value for c in wsf["A"] if isinstance(c.value, str)}
            missing = [p for p in SAMPLE["params"] if p not in names]
            self.ok(not missing, f"{wsf.title}: parameters missing: {missing}")
            for table in SAMPLE["sources"]:
                self.ok(table in names, f"{wsf.title}: no source row count for {table}")

    # -- topics, root cause, share of voice --------------------------------

    def label(self, code, exp):
        en, zh = exp["labels"].get(code, (code, code))
        return zh if self.locale == "zh_CN" else en

    def topic_sheet_empty(self, wsf, key):
        """True when the sheet holds only the line saying there are no figures."""
        texts = [c.value for row in wsf.iter_rows() for c in row if isinstance(c.value, str)]
        return self.t[key + ".none"] in texts

    def chart_points(self, ser):
        num = ser.val.numRef if ser.val else None
        cache = num.numCache if num else None
        return num, ({p.idx: float(p.v) for p in cache.pt} if cache else {})

    def check_topics(self, sample):
        wsf, wsv = self.sheet("topics")
        exp = sample_topic_expectations() if sample else None
        if self.topic_sheet_empty(wsf, "topics"):
            self.ok(not sample, f"{wsf.title}: says it has no topic figures")
            return
        hdr = self.find_row(wsf, self.t["topics.rank"])
        if not self.ok(hdr, f"{wsf.title}: no topic table (header {self.t['topics.rank']!r})"):
            return
        cols = self.header_cols(wsf, hdr)
        c = {k: cols.get(self.t["topics." + k]) for k in
             ("topic", "mentions", "negative", "negative_prior", "change", "trend", "sentiment")}
        for k, col in c.items():
            if not self.ok(col, f"{wsf.title}: no column {self.t['topics.' + k]!r}"):
                return
        # no_prior: period = all has no prior period to trend against.
        trend_words = {self.t["trend." + w]: w for w in ("worsening", "improving", "steady",
                                                          "new", "no_prior")}
        r = hdr + 1
        got = []
        while wsf.cell(r, c["topic"]).value not in (None, ""):
            for k in ("mentions", "negative", "negative_prior", "change", "sentiment"):
                self.value(wsf, wsv, r, c[k], f"topic {k}")
            tw = wsf.cell(r, c["trend"]).value
            # n/a: a trend that could not be measured (no feedback view)
            self.ok(tw in trend_words or tw == self.na,  # a word column
                    f"{wsf.title}!{wsf.cell(r, c['trend']).coordinate}: "
                    f"trend {tw!r} is not one of {list(trend_words)} nor {self.na!r}")
            got.append(r)
            r += 1
        self.ok(got, f"{wsf.title}: no topic rows")
        # The arrows carry their colour: red worsening, green improving.
        for row in got:
            cell = wsf.cell(row, c["trend"])
            word = trend_words.get(cell.value)
            colour = (cell.font.color.rgb if cell.font and cell.font.color else "") or ""
            if word in ("worsening", "new"):
                self.ok(str(colour).upper().endswith("9C0006"),
                        f"{wsf.title}!{cell.coordinate}: {word} is not red ({colour})")
            elif word == "improving":
                self.ok(str(colour).upper().endswith("006100"),
                        f"{wsf.title}!{cell.coordinate}: improving is not green ({colour})")
        charts = getattr(wsf, "_charts", [])
        if sample:
            want = exp["topics"]
            self.ok(len(got) == len(want), f"{wsf.title}: {len(got)} topic rows, expected "
                                           f"{len(want)}")
            for row, t in zip(got, want):
                where = f"{wsf.title} row {row}"
                name = self.label(t["code"], exp)
                self.ok(wsf.cell(row, c["topic"]).value == name,
                        f"{where}: topic {wsf.cell(row, c['topic']).value!r}, expected {name!r} "
                        "(rank order)")
                self.value(wsf, wsv, row, 1, "rank", t["rank"], tol=0)
                self.value(wsf, wsv, row, c["mentions"], "mentions", t["mentions"], tol=0)
                self.value(wsf, wsv, row, c["negative"], "negative", t["negative"], tol=0)
                self.value(wsf, wsv, row, c["negative_prior"], "prior", t["prior"], tol=0)
                if t["change"] is None:
                    self.expect_missing(wsf, row, c["change"], "NULL change", "na.none")
                else:
                    self.value(wsf, wsv, row, c["change"], "change", t["change"], tol=1e-9)
                tw = trend_words.get(wsf.cell(row, c["trend"]).value)
                self.ok(tw == t["trend"], f"{where}: trend {tw}, expected {t['trend']}")
                if t["score"] is None:
                    # the sample's NULL score counts no mention (n = 0)
                    self.expect_missing(wsf, row, c["sentiment"], "NULL sentiment score",
                                        "na.no_sample")
                else:
                    self.value(wsf, wsv, row, c["sentiment"], "score", t["score"], tol=1e-9)
            # The history of the top five: a table and a line chart from it.
            prow = self.find_row(wsf, self.t["topics.period"])
            if self.ok(prow, f"{wsf.title}: no history table ({self.t['topics.period']!r})"):
                hcols = self.header_cols(wsf, prow)
                for t in exp["top"]:
                    col = hcols.get(self.label(t["code"], exp))
                    if not self.ok(col, f"{wsf.title}: history has no column for {t['code']}"):
                        continue
                    for i, period in enumerate(SAMPLE_PERIODS):
                        self.expect_date(wsf, prow + 1 + i, 1, period, f"history row {i + 1}")
                        self.value(wsf, wsv, prow + 1 + i, col, f"history {t['code']} {period}",
                                   t["history"][i], tol=0)
            lines = [ch for ch in charts if ch.tagname == "lineChart"]
            if self.ok(len(lines) == 1, f"{wsf.title}: {len(lines)} line charts, expected 1"):
                series = lines[0].series
                self.ok(len(series) == len(exp["top"]),
                        f"{wsf.title}: line chart has {len(series)} series, expected "
                        f"{len(exp['top'])}")
                for ser, t in zip(series, exp["top"]):
                    num, pts = self.chart_points(ser)
                    vals = [pts.get(i) for i in range(12)]
                    self.ok(vals == [float(v) for v in t["history"]],
                            f"{wsf.title}: chart series {num and num.f} caches {vals}, expected "
                            f"the history of {t['code']} {t['history']}")
            # Three newest comments per top complaint, none for the others.
            texts = [c.value for row in wsf.iter_rows() for c in row if isinstance(c.value, str)]
            for code, quotes in SAMPLE_QUOTES.items():
                shown = sorted(quotes, reverse=True)[:3] if any(
                    t["code"] == code for t in exp["top"]) else []
                for received, start in quotes:
                    found = any(isinstance(v, str) and v.startswith(start) for v in texts)
                    self.ok(found == ((received, start) in shown),
                            f"{wsf.title}: comment {start!r} on {code} "
                            f"{'missing' if not found else 'shown but should not be'}")
        else:
            for ch in charts:
                for ser in ch.series:
                    num, pts = self.chart_points(ser)
                    self.ok(pts, f"{wsf.title}: chart series {num and num.f} caches no points")

    def check_root(self, sample):
        wsf, wsv = self.sheet("root")
        exp = sample_topic_expectations() if sample else None
        if self.topic_sheet_empty(wsf, "root"):
            self.ok(not sample, f"{wsf.title}: says it has no root-cause figures")
            return
        # The lifetime value the revenue at risk reads: labelled, a link to
        # the Customer classes sheet.
        lrow = self.find_row(wsf, self.t["root.ltv_all"], startswith=True)
        if not self.ok(lrow, f"{wsf.title}: no labelled lifetime value "
                             f"({self.t['root.ltv_all']!r})"):
            return
        lcol = next((c.column for c in wsf[lrow]
                     if isinstance(c.value, str) and c.value.startswith("=")), None)
        if not lcol and not sample:  # no LTV: an empty cell with its reason
            lcol = next((c.column for c in wsf[lrow] if self.missing(wsf, lrow, c.column)), None)
        if not self.ok(lcol, f"{wsf.title}: the lifetime value is neither a formula nor an "
                             "empty cell with its reason"):
            return
        self.formula(wsf, wsv, lrow, lcol, "ltv_all", exp["ltv_all"] if sample else None,
                     refs=(self.t["sheet.classes"],))
        ltv_ref = "$" + wsf.cell(lrow, lcol).column_letter + "$" + str(lrow)
        no_ltv = not self.is_number(wsv.cell(lrow, lcol).value)
        hdr = self.find_row(wsf, self.t["root.topic"])
        if not self.ok(hdr, f"{wsf.title}: no cohort table"):
            return
        cols = self.header_cols(wsf, hdr)
        c = {k: self.col_of(cols, "root." + k) for k in
             ("a_customers", "a_churn", "b_customers", "b_churn", "gap", "p_value",
              "significance", "lost", "revenue")}
        for k, col in c.items():
            if not self.ok(col, f"{wsf.title}: no column {self.t['root.' + k]!r}"):
                return
        words = {self.t["root." + w]: w for w in ("significant", "not_significant",
                                                   "low_sample", "no_test")}
        letter = {k: wsf.cell(1, col).column_letter for k, col in c.items()}
        r = hdr + 1
        got = []
        while wsf.cell(r, 1).value not in (None, ""):
            got.append(r)
            w = wsf.cell(r, c["significance"]).value
            self.ok(w in words, f"{wsf.title}!{wsf.cell(r, c['significance']).coordinate}: "
                                f"{w!r} is not a significance word")
            rr = str(r)
            plain = not all(self.is_number(wsf.cell(r, c[k]).value)
                            for k in ("a_churn", "b_churn"))
            self.formula(wsf, wsv, r, c["gap"], "churn gap", plain=plain,
                         refs=() if plain else (letter["a_churn"] + rr, letter["b_churn"] + rr))
            self.formula(wsf, wsv, r, c["lost"], "customers lost", plain=plain,
                         refs=() if plain else ("MAX(", letter["gap"] + rr,
                                                letter["a_customers"] + rr))
            self.formula(wsf, wsv, r, c["revenue"], "revenue at risk", plain=plain or no_ltv,
                         refs=() if plain or no_ltv else (letter["lost"] + rr, ltv_ref))
            r += 1
        self.ok(got, f"{wsf.title}: no cohort rows")
        texts = [v.value for row in wsf.iter_rows() for v in row if isinstance(v.value, str)]
        if not sample:
            return
        self.ok(len(got) == len(exp["cohorts"]),
                f"{wsf.title}: {len(got)} cohorts, expected {len(exp['cohorts'])}")
        for row, co in zip(got, exp["cohorts"]):
            where = f"{wsf.title} row {row} ({co['code']})"
            name = self.label(co["code"], exp)
            self.ok(wsf.cell(row, 1).value == name,
                    f"{where}: topic {wsf.cell(row, 1).value!r}, expected {name!r} "
                    "(costliest first)")
            self.value(wsf, wsv, row, c["a_customers"], "a customers", co["a"], tol=0)
            self.value(wsf, wsv, row, c["b_customers"], "b customers", co["b"], tol=0)
            self.value(wsf, wsv, row, c["b_churn"], "b churn", co["b_churn"], tol=1e-9)
            for k, kind in (("a_churn", "a churn"), ("p_value", "p-value")):
                want = co["a_churn" if k == "a_churn" else "p"]
                if want is None:
                    # an empty cohort counted nobody (n = 0); a p-value has no n
                    self.expect_missing(wsf, row, c[k], f"NULL {kind}",
                                        "na.no_sample" if k == "a_churn" else "na.none")
                else:
                    self.value(wsf, wsv, row, c[k], kind, want, tol=1e-12)
            if co["gap"] is not None:
                self.formula(wsf, wsv, row, c["gap"], "churn gap", co["gap"], tol=1e-9)
                if co["gap"] < 0:
                    # A negative gap shows with its sign: "-0.4%", never
                    # "0.0%" or a bare 0.
                    fmt = wsf.cell(row, c["gap"]).number_format
                    shown = percent_shown(fmt, wsv.cell(row, c["gap"]).value)
                    want = f"-{abs(co['gap']) * 100:.1f}%"
                    self.ok(shown == want, f"{where}: churn gap {wsv.cell(row, c['gap']).value!r} "
                                           f"in format {fmt!r} reads {shown!r}, expected {want!r}")
                self.formula(wsf, wsv, row, c["lost"], "customers lost", co["lost"], tol=1e-9)
                self.formula(wsf, wsv, row, c["revenue"], "revenue at risk", co["revenue"])
            else:
                for k in ("gap", "lost", "revenue"):
                    self.expect_missing(wsf, row, c[k], f"{k} of an empty cohort", "na.none")
            w = words.get(wsf.cell(row, c["significance"]).value)
            self.ok(w == co["word"], f"{where}: significance {w}, expected {co['word']}")
            # Not a finding: grey (italic for low sample), never bold.
            cell = wsf.cell(row, c["revenue"])
            if co["word"] == "significant":
                self.ok(cell.font.b, f"{where}: significant revenue at risk is not bold")
            else:
                self.ok(not cell.font.b, f"{where}: {co['word']} revenue at risk is bold")
        window = next((v for v in texts if "2025-10-01" in v), "")
        self.ok("2026-06-30" in window and "12" in window and "3" in window,
                f"{wsf.title}: no exposure window 2025-10-01 – 2026-06-30 (12 and 3 months) in "
                "words")

    def check_sov(self, sample):
        wsf, wsv = self.sheet("sov")
        if self.topic_sheet_empty(wsf, "sov"):
            self.ok(not sample, f"{wsf.title}: says it has no share-of-voice figures")
            return
        exp = sample_topic_expectations() if sample else None
        hdrs = [c.row for c in wsf["A"] if c.value == self.t["sov.brand"]]
        self.ok(hdrs, f"{wsf.title}: no brand table")
        charts = getattr(wsf, "_charts", [])
        # A chart per dimension where some brand has a share.
        def has_share(h):
            r = h + 1
            while wsf.cell(r, 1).value not in (None, "", self.t["sov.all"]):
                if self.is_number(wsf.cell(r, 2).value):
                    return True
                r += 1
            return False
        with_share = [h for h in hdrs if has_share(h)]
        self.ok(len(charts) == len(with_share),
                f"{wsf.title}: {len(charts)} charts for {len(with_share)} dimensions with shares")
        for ch in charts:
            for ser in ch.series:
                num, pts = self.chart_points(ser)
                self.ok(pts, f"{wsf.title}: chart series {num and num.f} caches no points")
        tables = {}
        for h in hdrs:
            dim = wsf.cell(h - 1, 1).value
            cols = self.header_cols(wsf, h)
            sc, pc = cols.get(self.t["sov.share"]), cols.get(self.t["sov.positive"])
            if not self.ok(sc and pc, f"{wsf.title}: table {dim!r} lacks share or positive "
                                      "mentions"):
                continue
            r, brands = h + 1, {}
            while wsf.cell(r, 1).value not in (None, "", self.t["sov.all"]):
                brands[wsf.cell(r, 1).value] = r
                # The pie reads the shares: a missing one's reason is on the brand.
                self.value(wsf, wsv, r, sc, f"{dim} share", label_col=1, label=self.t["sov.share"])
                r += 1
            if not self.ok(wsf.cell(r, 1).value == self.t["sov.all"],
                           f"{wsf.title}: table {dim!r} has no total row"):
                continue
            tables[dim] = (brands, r, sc, pc)
            for br in brands.values():
                self.formula(wsf, wsv, br, pc, f"{dim} positive mentions", plain=True,
                             refs=("$" + wsf.cell(r, pc).column_letter + "$" + str(r),))
        if not sample:
            return
        for code, (n, shares) in SAMPLE_SOV.items():
            dim = self.label(code, exp)
            if not self.ok(dim in tables, f"{wsf.title}: no table for dimension {dim!r}"):
                continue
            brands, total, sc, pc = tables[dim]
            names = {(self.t["sov.own"] if b == "own" else b): v for b, v in shares.items()}
            self.ok(list(brands)[0] == self.t["sov.own"],
                    f"{wsf.title}: {dim}: our brand is not first ({list(brands)})")
            self.ok(set(brands) == set(names), f"{wsf.title}: {dim}: brands {list(brands)}, "
                                               f"expected {list(names)}")
            for b, share in names.items():
                if b in brands:
                    self.value(wsf, wsv, brands[b], sc, f"{dim} {b} share", share, tol=1e-9)
                    self.formula(wsf, wsv, brands[b], pc, f"{dim} {b} positive mentions",
                                 round(share * n), tol=0)
            self.value(wsf, wsv, total, pc, f"{dim} all brands n", n, tol=0)
            self.formula(wsf, wsv, total, sc, f"{dim} share total", 1.0, tol=1e-9)
        pies = [ch for ch in charts if ch.tagname == "pieChart"]
        want = sorted(sorted(v[1].values()) for v in SAMPLE_SOV.values())
        got = sorted(sorted(self.chart_points(ser)[1].values())
                     for ch in pies for ser in ch.series)
        self.ok(got == want, f"{wsf.title}: pie charts cache {got}, expected {want}")

    def check_departments(self, sample):
        """Departments, Journey and Closure, and the early warnings on the
        Summary: against the sample's figures (tests/dept_expect.py)."""
        if not sample:
            return
        wsf, _ = self.sheet("departments")
        dx.check_kpi_table(self, wsf)
        dx.check_warning_table(self, wsf)
        wsf, _ = self.sheet("journey")
        dx.check_journey_table(self, wsf)
        wsf, _ = self.sheet("closure")
        dx.check_closure_table(self, wsf)
        wsf, wsv = self.sheet("summary")
        hdr = self.find_row(wsf, self.t["summary.figure"])
        cols = self.header_cols(wsf, hdr)
        vcol, ncol = cols[self.t["summary.value"]], cols[self.t["summary.n"]]
        for key, label, fmt in (("nps_decline", "nps_decline_overall", None),
                                ("promoter_to_passive", "promoter_to_passive_overall", "#,##0"),
                                ("satisfied_churned", "satisfied_churned", "0.0%")):
            r = self.find_row(wsf, self.t["depts.warn." + label])
            if self.ok(r, f"{wsf.title}: no warning row {self.t['depts.warn.' + label]!r}"):
                v, n = dx.OVERALL_WARNINGS[key]
                dx.number(self, wsf, r, vcol, v, fmt, "warning " + key)
                dx.number(self, wsf, r, ncol, n, "#,##0", "warning " + key + " n")

    def check_corr(self, sample):
        """Correlation, with the sample: the chart data are the months the
        best lag of lead conversion (3) paired, NPS month m against the
        metric in m + 3, with the values tests/render_sample.c made."""
        if not sample:
            return
        wsf, wsv = self.sheet("corr")
        hdr = self.find_row(wsf, self.t["corr.month"])
        if not self.ok(hdr, f"{wsf.title}: no chart data (header {self.t['corr.month']!r})"):
            return
        nps = [22, 25, 19, 30, 34, 28, 31, 36, 40, 33, 29, 35, 38, 42, 37, 41, 45, 39]

        def month(k):  # k months after 2025-04
            return f"{2025 + (k + 3) // 12}-{(k + 3) % 12 + 1:02d}-01"

        want = [(month(i), nps[i], month(i + 3),
                 2.0 + 0.05 * nps[i] + (((i + 3) * 7) % 5 - 2) * 0.12) for i in range(18)]
        got = []
        r = hdr + 1
        while wsv.cell(r, 1).value is not None:
            # The months are Excel dates shown as months.
            for c in (1, 3):
                self.ok(isinstance(wsf.cell(r, c).value, datetime.datetime)
                        and wsf.cell(r, c).number_format == "yyyy-mm",
                        f"{wsf.title}!{wsf.cell(r, c).coordinate}: {wsf.cell(r, c).value!r} in "
                        f"{wsf.cell(r, c).number_format!r} is not a month (an Excel date)")
            got.append(tuple(v.strftime("%Y-%m-%d") if isinstance(v, datetime.datetime) else v
                             for v in (wsv.cell(r, c).value for c in range(1, 5))))
            r += 1
        self.ok(len(got) == len(want), f"{wsf.title}: {len(got)} chart data rows, want 18")
        for g, w in zip(got, want):
            self.ok(g[0] == w[0] and g[2] == w[2] and self.near(g[1], w[1], 1e-9)
                    and self.near(g[3], w[3], 1e-9),
                    f"{wsf.title}: chart data row {g!r}, want {w!r}")

    def check_libreoffice(self):
        lo = shutil.which("libreoffice") or shutil.which("soffice")
        if not self.ok(lo, "--libreoffice: libreoffice not found"):
            return
        with tempfile.TemporaryDirectory() as tmp:
            prof = os.path.join(tmp, "profile", "user")
            os.makedirs(prof)
            with open(os.path.join(prof, "registrymodifications.xcu"), "w") as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
                        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value>'
                        '</prop></item>\n</oor:items>\n')
            out = os.path.join(tmp, "out")
            src = os.path.join(tmp, "in.xlsx")
            shutil.copy(self.path, src)
            p = subprocess.run([lo, "-env:UserInstallation=file://" + os.path.join(tmp, "profile"),
                                "--headless", "--convert-to", "xlsx", "--outdir", out, src],
                               capture_output=True, text=True, timeout=180)
            conv = os.path.join(out, "in.xlsx")
            if not self.ok(os.path.exists(conv),
                           f"--libreoffice: conversion failed: {p.stderr.strip()}"):
                return
            lov = openpyxl.load_workbook(conv, data_only=True)
            for wsf in self.wf.worksheets:
                wsv, wsl = self.wv[wsf.title], lov[wsf.title]
                for row in wsf.iter_rows():
                    for c in row:
                        if not (isinstance(c.value, str) and c.value.startswith("=")):
                            continue
                        mine = wsv[c.coordinate].value
                        theirs = wsl[c.coordinate].value
                        where = f"{wsf.title}!{c.coordinate}"
                        if isinstance(theirs, str) and any(theirs.startswith(e)
                                                           for e in ERROR_VALUES):
                            self.fail(f"{where}: LibreOffice computes {theirs} for {c.value}")
                        elif self.is_number(mine) and self.is_number(theirs):
                            self.ok(abs(mine - theirs) <= 1e-6 * max(1.0, abs(theirs)),
                                    f"{where}: cached {mine!r}, LibreOffice computes {theirs!r}")
                        else:
                            self.ok(mine == theirs or (mine in (None, "") and
                                                       theirs in (None, "")),
                                    f"{where}: cached {mine!r}, LibreOffice computes {theirs!r}")

    def report(self):
        for f in self.failures:
            print(f"FAIL {f}", file=sys.stderr)
        status = "FAILED" if self.failures else "ok"
        print(f"{self.path}: {status}: {self.passed} checks passed, "
              f"{len(self.failures)} failed", file=sys.stderr if self.failures else sys.stdout)
        return 1 if self.failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--expect-sample", action="store_true",
                    help="compare with the model of tests/render_sample.c")
    ap.add_argument("--templates", default=os.path.join(HERE, "..", "templates"))
    ap.add_argument("--libreoffice", action="store_true",
                    help="recalculate with LibreOffice and compare with the cached values")
    a = ap.parse_args()
    try:
        ck = Checker(a.file, a.templates)
    except SystemExit:
        raise
    except Exception as e:  # unreadable file: one clear line, not a traceback
        print(f"FAIL {a.file}: cannot read workbook: {e}", file=sys.stderr)
        return 1
    sample = sample_expectations() if a.expect_sample else None
    print(f"{a.file}: locale {ck.locale}")
    ck.check_all_sheets()
    ck.check_properties(ck.text("workbook.title"), "workbook.subject", "nightly" if sample else None)
    ck.check_summary(sample)
    ck.check_departments(sample)
    ck.check_scores(sample)
    ck.check_classes(sample)
    ck.check_topics(sample)
    ck.check_root(sample)
    ck.check_sov(sample)
    ck.check_corr(sample)
    ck.check_exp(sample)
    ck.check_roi(sample)
    ck.check_quality(sample)
    ck.check_recon(sample)
    ck.check_about(sample)
    workbook_i13.check_all(ck, sample)
    if a.libreoffice:
        ck.check_libreoffice()
    return ck.report()


if __name__ == "__main__":
    sys.exit(main())
