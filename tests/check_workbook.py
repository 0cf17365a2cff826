#!/usr/bin/python3
"""Checks an executive workbook written by report/xlsx.c.

    check_workbook.py FILE.xlsx [--expect-sample] [--templates DIR] [--libreoffice]

Always checked, in either locale (found from the sheet names):
  - the six sheets, named from templates/<locale>/workbook.ini, in order;
  - frozen panes on every sheet;
  - no cell holds a number written as text ("1,234.00", "40 %");
  - figure columns hold numbers or the n/a text, nothing else;
  - ARPU, LTV, the ratios, the gains, ltv_all and the reconciliation are
    formulas (read with data_only=False) with a cached value (read with
    data_only=True), and the LTV and gain formulas read the labelled input
    cells;
  - native charts on the Customer classes sheet, with cached points;
  - conditional formatting on the Scores and Data quality sheets.

--expect-sample: also compares the figures with the model that
tests/render_sample.c builds, computed here independently
(ARPU promoter = 120000 / 400 = 300.00; LTV = 300 x 0.35 / 0.06 = 1750.00 ...).

--libreoffice: also lets LibreOffice recalculate every formula (a scratch
profile with "always recalculate on load") and checks that its results
equal the cached values and that no cell shows an error (#DIV/0!, Err:...).

Exit status 0 when every check passes, 1 with one line per failure.
"""

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
SHEET_KEYS = ["summary", "scores", "classes", "quality", "recon", "about"]
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


def load_texts(templates, locale):
    texts = {}
    folder = os.path.join(templates, locale)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ini") and not name.startswith("."):
            read_ini(os.path.join(folder, name), texts)
    return texts


class Checker:
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
            if not os.path.isfile(os.path.join(templates, loc, "workbook.ini")):
                continue
            t = load_texts(templates, loc)
            want = [t.get("sheet." + k, "sheet." + k) for k in SHEET_KEYS]
            if got == want:
                self.passed += 1
                return loc, t
            tried.append(f"{loc} {want}")
        self.fail(f"sheet names/order: got {got}, expected one of: " + "; ".join(tried))
        raise SystemExit(self.report())

    def sheet(self, key):
        name = self.t["sheet." + key]
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

    def formula(self, wsf, wsv, row, col, what, want=None, refs=(), tol=0.005, plain=False):
        """A formula with its value cached: a number, or the n/a text when the
        figure is NULL (no expected value).  plain: a number or n/a written
        without a formula is accepted too (nothing to compute from)."""
        f = wsf.cell(row, col).value
        v = wsv.cell(row, col).value
        where = f"{wsf.title}!{wsf.cell(row, col).coordinate}"
        if plain and want is None and (f == self.na or self.is_number(f)):
            self.passed += 1
            return
        if not self.ok(isinstance(f, str) and f.startswith("="),
                       f"{where} ({what}): expected a formula, got {f!r}"):
            return
        if want is None:
            self.ok(self.is_number(v) or v == self.na,
                    f"{where} ({what}): cached value {v!r} is neither a number nor {self.na!r} "
                    "(written with worksheet_write_formula, not _num?)")
        else:
            self.ok(self.is_number(v), f"{where} ({what}): cached value {v!r} is not a number "
                                       "(written with worksheet_write_formula, not _num?)")
        for ref in refs:
            self.ok(ref in f, f"{where} ({what}): formula {f} does not read {ref}")
        if want is not None:
            self.ok(self.near(v, want, tol),
                    f"{where} ({what}): cached {v!r}, expected {want:.4f}")

    def value(self, wsf, wsv, row, col, what, want=None, tol=0.005):
        """A plain number; the n/a text too when no value is expected."""
        f = wsf.cell(row, col).value
        where = f"{wsf.title}!{wsf.cell(row, col).coordinate}"
        if want is None and f == self.na:
            self.passed += 1
            return
        if not self.ok(self.is_number(f), f"{where} ({what}): expected a number or "
                                          f"{self.na!r}, got {f!r}"):
            return
        if want is not None:
            self.ok(self.near(f, want, tol), f"{where} ({what}): {f!r}, expected {want}")

    # -- checks ----------------------------------------------------------

    def check_all_sheets(self):
        for wsf in self.wf.worksheets:
            wsv = self.wv[wsf.title]
            self.ok(wsf.freeze_panes is not None, f"{wsf.title}: no frozen panes")
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
                self.ok(self.is_number(v) or v == self.na,
                        f"{wsf.title}!{wsf.cell(r, c).coordinate}: {v!r} is neither a number "
                        f"nor {self.na!r}")
            r += 1
        self.ok(rows, f"{wsf.title}: no rows")
        self.ok(wsf.cell(hdr + 1, 1).value == self.t["dims.overall"],
                f"{wsf.title}: first row is not {self.t['dims.overall']!r}")
        if any(self.is_number(wsf.cell(r, fcols["nps"]).value) for r in rows.values()):
            self.ok(len(wsf.conditional_formatting) > 0,
                    f"{wsf.title}: no conditional formatting (traffic light on NPS)")
        if sample:
            overall = rows.get((self.t["dims.overall"], ""))
            if overall:
                self.value(wsf, wsv, overall, fcols["nps"], "overall nps", SAMPLE["nps"])
            low_mark = self.text("mark.low_sample", min=30)
            sms = rows.get((self.t["dims.channel"], "sms"))
            if self.ok(sms, f"{wsf.title}: no row for channel sms"):
                self.ok(wsf.cell(sms, fcols["nps"]).value == self.na,
                        f"{wsf.title}: NULL NPS of channel sms is not shown as {self.na!r}")
            after = rows.get((self.t["dims.touchpoint"], "after_sales"))
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
                self.value(wsf, wsv, r, c[k], f"{name} {k}",
                           SAMPLE[sk][i] if sample else None, tol=1e-9)
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

        charts = getattr(wsf, "_charts", [])
        self.ok(len(charts) >= 2, f"{wsf.title}: {len(charts)} charts, expected 2 "
                                  "(ARPU and churn rate by class)")
        for ch in charts:
            for ser in ch.series:
                num = ser.val.numRef if ser.val else None
                cache = num.numCache if num else None
                pts = {p.idx: p.v for p in cache.pt} if cache else {}
                self.ok(num and wsf.title in num.f,
                        f"{wsf.title}: chart series does not read this sheet ({num and num.f})")
                if not self.ok(len(pts) == 4,
                               f"{wsf.title}: chart series {num and num.f} caches {len(pts)} "
                               "points, expected 4"):
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
        no_ledger = wsf.cell(rows["ledger"], 2).value == self.na
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

    def check_about(self, sample):
        wsf, wsv = self.sheet("about")
        r = self.find_row(wsf, self.t["about.run_id"])
        if self.ok(r, f"{wsf.title}: no run id"):
            self.value(wsf, wsv, r, 2, "run id", 42 if sample else None)
        for key in ("job", "as_of", "period_start", "period_end", "prior_start", "time_zone",
                    "locale", "program_version", "config_digest"):
            self.ok(self.find_row(wsf, self.t["about." + key]),
                    f"{wsf.title}: no row {self.t['about.' + key]!r}")
        if sample:
            names = {c.value for c in wsf["A"] if isinstance(c.value, str)}
            missing = [p for p in SAMPLE["params"] if p not in names]
            self.ok(not missing, f"{wsf.title}: parameters missing: {missing}")
            for table in SAMPLE["sources"]:
                self.ok(table in names, f"{wsf.title}: no source row count for {table}")

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
    ck.check_summary(sample)
    ck.check_scores(sample)
    ck.check_classes(sample)
    ck.check_quality(sample)
    ck.check_recon(sample)
    ck.check_about(sample)
    if a.libreoffice:
        ck.check_libreoffice()
    return ck.report()


if __name__ == "__main__":
    sys.exit(main())
