#!/usr/bin/python3
"""Checks a department's workbook written by report/xlsx_dept.c.

    check_dept_workbook.py FILE.xlsx DEPARTMENT [--expect-sample] [--templates DIR]
                           [--libreoffice]

Always: the seven sheets named from templates/<locale>/dept_workbook.ini in
order, frozen panes and column widths on every sheet, no number stored as
text, no error value, no number without a number format.

--expect-sample (the model of tests/render_sample.c, its department
figures typed again in tests/dept_expect.py): the Scorecard holds exactly
DEPARTMENT's KPIs with their values, number formats, status words and
traffic-light rules, and its early warnings; Trend the twelve periods' first days (Excel dates)
and values of each KPI and one native line chart per KPI with twelve cached
points; Closure, Journey, Topics and Verbatims only its own rows; and no
cell of any sheet names another department, its KPI metrics, touchpoints,
topics or customer comments (nor the comments without a topic, which have
no owner).

--libreoffice: LibreOffice converts the file (no crash, no repair) and
finds no error value.

Exit status 0 when every check passes, 1 with one line per failure.
"""

import argparse
import os
import sys

import check_workbook as cw
import dept_expect as dx

SHEETS = ["scorecard", "trend", "closure", "journey", "topics", "verbatims", "about"]


def chart_title(chart):
    """A chart's title as text ("" when it has none or it is a cell reference)."""
    tx = chart.title.tx if chart.title is not None else None
    if tx is None or tx.rich is None:
        return ""
    return "".join(r.t for p in tx.rich.p for r in (p.r or []))


class DeptChecker(cw.Checker):
    INI = "dept_workbook.ini"
    SHEET_PREFIX = "dept_book.sheet."
    SHEETS = SHEETS

    def check_all_sheets(self):
        for wsf in self.wf.worksheets:
            self.ok(wsf.freeze_panes is not None, f"{wsf.title}: no frozen panes")
            self.check_no_na_text(wsf)
            self.ok([d for d in wsf.column_dimensions.values() if d.width],
                    f"{wsf.title}: no column widths set")
            for row in wsf.iter_rows():
                for c in row:
                    v = c.value
                    if isinstance(v, str) and cw.NUMBER_AS_TEXT.match(v):
                        self.fail(f"{wsf.title}!{c.coordinate}: number stored as text {v!r}")
                    if isinstance(v, str) and any(v.startswith(e) for e in cw.ERROR_VALUES):
                        self.fail(f"{wsf.title}!{c.coordinate}: error value {v!r}")
        self.check_number_formats()

    def check_trend(self, dept):
        ws, _ = self.sheet("trend")
        kpis = [k for k in dx.KPIS if k[0] == dept]
        hdr = self.find_row(ws, self.t["dept_book.period_from"])
        if not self.ok(hdr, f"{ws.title}: no table"):
            return
        cols = self.header_cols(ws, hdr)
        dates = [ws.cell(hdr + 1 + i, 1).value for i in range(12)]
        self.ok(dates == dx.TREND_DATES, f"{ws.title}: period dates {dates}")
        for i in range(12):
            f = ws.cell(hdr + 1 + i, 1).number_format
            self.ok("yy" in f, f"{ws.title}!A{hdr + 1 + i}: a date in {f!r}")
        for k in kpis:
            name = dx.kpi_name(self, k[1])
            c = cols.get(name)
            if not self.ok(c, f"{ws.title}: no column {name!r}"):
                continue
            want = list(k[11]) + [k[6]] if k[11] else [None] * 11 + [k[6]]
            for i, w in enumerate(want):
                cell = ws.cell(hdr + 1 + i, c)
                if w is None:  # a gap, its reason a line of the note on the date
                    self.ok(cell.value is None and cell.comment is None,
                            f"{ws.title}!{cell.coordinate}: {cell.value!r}, expected empty (a gap)")
                    self.ok(self.missing(ws, hdr + 1 + i, c, label_col=1, label=name),
                            f"{ws.title}!A{hdr + 1 + i}: no line {name + ': n/a: ...'!r} in the "
                            "date's comment")
                else:
                    dx.number(self, ws, hdr + 1 + i, c, w, k[12], f"trend {k[1]}")
        charts = getattr(ws, "_charts", [])
        self.ok(len(charts) == len(kpis), f"{ws.title}: {len(charts)} charts, expected "
                                          f"{len(kpis)} (one per KPI)")
        for ch, k in zip(charts, kpis):
            self.ok(type(ch).__name__ == "LineChart", f"{ws.title}: {type(ch).__name__}")
            num, pts = self.chart_points(ch.series[0]) if ch.series else (None, {})
            n = len(k[11]) + (1 if k[6] is not None else 0)
            self.ok(len(pts) == n, f"{ws.title}: chart of {k[1]} caches {len(pts)} points, "
                                   f"expected {n}")
            self.ok(len(ch.series) == 2, f"{ws.title}: chart of {k[1]} has no target line")

    def check_topics_and_quotes(self, dept):
        ws, _ = self.sheet("topics")
        own = [t for t, d in dx.TOPIC_OWNER.items() if d == dept]
        texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        for t in own:
            self.ok(dx.pick(self, dx.TOPIC_LABELS[t]) in texts,
                    f"{ws.title}: topic {t} of {dept} missing")
        ws, _ = self.sheet("verbatims")
        texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        quotes = [q for t in own for q in dx.VERBATIMS.get(t, [])]
        for q in quotes:
            self.ok(q in texts, f"{ws.title}: comment {q!r} missing")
        if not quotes:
            self.ok(self.t["dept_book.no_verbatims"] in texts, f"{ws.title}: no empty note")

    def check_no_leak(self, dept):
        """No cell of any sheet shows anything of another department."""
        banned = []
        for d in dx.DEPTS:
            if d != dept:
                banned += list(dx.DEPT_NAMES[d])
        mine = {k[2] for k in dx.KPIS if k[0] == dept}
        banned += [k[2] for k in dx.KPIS if k[0] != dept and k[2] not in mine]
        banned += [f"{k[1]}" for k in dx.KPIS if k[0] != dept and
                   k[1] not in {m[1] for m in dx.KPIS if m[0] == dept} and
                   k[1] not in ("nps", "csat")]
        for t, d in dx.TOPIC_OWNER.items():
            if d != dept:
                banned += list(dx.TOPIC_LABELS[t]) + dx.VERBATIMS.get(t, [])
        for tp, owner, *_ in dx.JOURNEY:
            if owner != dept:
                banned += list(dx.TOUCHPOINT_NAMES[tp])
        banned += dx.UNOWNED_VERBATIMS + ["gift_cards", "Gift cards"]
        banned = [b for b in banned if b]
        for ws in self.wf.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if not isinstance(c.value, str):
                        continue
                    hit = [b for b in banned if b in c.value]
                    if hit:
                        self.fail(f"{ws.title}!{c.coordinate}: {c.value!r} shows another "
                                  f"department's {hit}")
                    else:
                        self.passed += 1
            for ch in getattr(ws, "_charts", []):
                title = chart_title(ch)
                if not self.ok(title, f"{ws.title}: a chart without a title"):
                    continue
                hit = [b for b in banned if b in title]
                self.ok(not hit, f"{ws.title}: chart title {title!r} shows another "
                                 f"department's {hit}")

    def check_sample(self, dept):
        self.check_properties(self.text("dept_book.title", department=dx.dept_name(self, dept)),
                              "dept_book.subject", "nightly")
        ws, _ = self.sheet("scorecard")
        dx.check_kpi_table(self, ws, dept)
        dx.check_warning_table(self, ws, dept)
        self.check_trend(dept)
        ws, _ = self.sheet("closure")
        dx.check_closure_table(self, ws, dept)
        ws, _ = self.sheet("journey")
        dx.check_journey_table(self, ws, dept)
        self.check_topics_and_quotes(dept)
        self.check_no_leak(dept)
        ws, _ = self.sheet("about")
        self.ok(self.find_row(ws, dept, col=2), f"{ws.title}: department code {dept} not shown")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("department")
    ap.add_argument("--expect-sample", action="store_true")
    ap.add_argument("--templates", default=os.path.join(cw.HERE, "..", "templates"))
    ap.add_argument("--libreoffice", action="store_true")
    a = ap.parse_args()
    try:
        ck = DeptChecker(a.file, a.templates)
    except SystemExit:
        raise
    except Exception as e:  # unreadable file: one clear line, not a traceback
        print(f"FAIL {a.file}: cannot read workbook: {e}", file=sys.stderr)
        return 1
    print(f"{a.file}: locale {ck.locale}, department {a.department}")
    ck.check_all_sheets()
    if a.expect_sample:
        ck.check_sample(a.department)
    if a.libreoffice:
        ck.check_libreoffice()
    return ck.report()


if __name__ == "__main__":
    sys.exit(main())
