"""What issue 13 added to the executive workbook, checked for check_workbook.py:

  - traffic lights: the NPS cells of the Summary and the Scores sheets are
    filled green / amber / red as the job's NPS bands say (nps_green and
    nps_amber read from the About sheet, default 30 and 0), computed here
    by light(), written independently of jobs/model/status.c; touchpoint rows
    only in --expect-sample (a real run's touchpoints follow the journey's
    target: integration.depts checks those against journey.status);
  - the Summary's history: one row per period, its first day an Excel date,
    NPS / CSAT / churn as numbers or an empty cell whose "n/a: why" is in
    the comment on the row's date, the NPS target column equal to nps_green; a native line chart
    per figure that has a value, its series over exactly the table's
    column (the target as a second series), none for a figure without any
    value (a line says why);
  - the VoC ROI row of the Summary: its value, interval and "not
    significant" as the figures say;
  - the Programme cost sheet: months as Excel dates, each row total and
    column total the sum of its cells, the grand total their sum and the
    run's programme cost (the VoC ROI sheet's cost cell links to it);
  - the Findings sheet: ranks 1..n in order, score = money x confidence,
    ordered by score, every row equal to the run's finding.* figures in the
    figures CSV beside the workbook (itself checked against kpi_values by
    check_figures_csv.py), kinds and next steps in the locale's words.
"""

import csv
import datetime
import io
import os
import re

FILL = {"green": "FFC6EFCE", "amber": "FFFFEB9C", "red": "FFFFC7CE"}


def light(v, green, amber):
    """The NPS traffic light: green from the green band up, amber from the
    amber band up, red below, grey without a number."""
    if not isinstance(v, (int, float)):
        return "grey"
    if v >= green - 1e-9:
        return "green"
    if v >= amber - 1e-9:
        return "amber"
    return "red"


def fill_word(cell):
    f = cell.fill
    if not f or f.fill_type != "solid":
        return "grey"
    rgb = f.fgColor.rgb if f.fgColor is not None else None
    for word, want in FILL.items():
        if rgb == want:
            return word
    return "grey"


def bands(ck):
    wsf, _ = ck.sheet("about")
    got = {}
    for row in wsf.iter_rows(min_col=1, max_col=2):
        if row[0].value in ("nps_green", "nps_amber"):
            got[row[0].value] = float(row[1].value)
    return got.get("nps_green", 30.0), got.get("nps_amber", 0.0)


def check_lights(ck, sample):
    green, amber = bands(ck)
    seen = set()
    wsf, wsv = ck.sheet("summary")
    r = ck.find_row(wsf, ck.t["summary.nps"], startswith=True)
    hdr = ck.find_row(wsf, ck.t["summary.figure"])
    if r and hdr:
        c = ck.header_cols(wsf, hdr)[ck.t["summary.value"]]
        cell = wsf.cell(r, c)
        want = light(cell.value, green, amber)
        seen.add(want)
        ck.ok(fill_word(cell) == want, f"{wsf.title}!{cell.coordinate}: NPS {cell.value!r} filled "
                                       f"{fill_word(cell)}, bands {green}/{amber} say {want}")
    wsf, wsv = ck.sheet("scores")
    hdr = ck.find_row(wsf, ck.t["scores.dimension"])
    if not hdr:
        return
    c = ck.header_cols(wsf, hdr)[ck.t["scores.nps"]]
    r = hdr + 1
    while wsf.cell(r, 1).value not in (None, ""):
        if sample or wsf.cell(r, 1).value != ck.t["dims.touchpoint"]:
            cell = wsf.cell(r, c)
            want = light(cell.value, green, amber)
            seen.add(want)
            ck.ok(fill_word(cell) == want,
                  f"{wsf.title}!{cell.coordinate}: NPS {cell.value!r} filled {fill_word(cell)}, "
                  f"bands {green}/{amber} say {want}")
        r += 1
    if sample:
        # The sample's bands (50, 40) put NPS 45 between them: every colour.
        ck.ok({"green", "amber", "red"} <= seen, f"lights: the sample shows only {sorted(seen)}")


def comment_says_na(ck, cell):
    prefix = ck.text("na.note", why="").strip()
    return cell.comment is not None and cell.comment.text.startswith(prefix)


def check_history(ck, sample):
    wsf, wsv = ck.sheet("summary")
    top = ck.find_row(wsf, ck.t["summary.history"])
    if not ck.ok(top, f"{wsf.title}: no history ({ck.t['summary.history']!r})"):
        return
    hdr = top + 1
    cols = ck.header_cols(wsf, hdr)
    green, _ = bands(ck)
    keys = ("nps", "csat", "churn")
    col = {k: cols.get(ck.t["summary.history_" + k]) for k in keys}
    tcol = {k: cols.get(ck.text("summary.history_target", kpi=ck.t["summary.history_" + k]))
            for k in keys}
    for k in keys:
        ck.ok(col[k], f"{wsf.title}: no history column {ck.t['summary.history_' + k]!r}")
    ck.ok(tcol["nps"], f"{wsf.title}: no NPS target column")
    first = r = hdr + 1
    values = {k: [] for k in keys}
    while isinstance(wsf.cell(r, 1).value, datetime.datetime):
        d = wsf.cell(r, 1)
        ck.ok("yy" in d.number_format, f"{wsf.title}!{d.coordinate}: date without a date format")
        for k in keys:
            if not col[k]:
                continue
            cell = wsf.cell(r, col[k])
            if cell.value is None:
                # The reason is on the row's date: a comment on the cell
                # itself would be a 0 point in the chart's cache.
                label = ck.t["summary.history_" + k]
                note = d.comment.text if d.comment else ""
                want = label + ": " + ck.text("na.note", why="").strip()
                ck.ok(want in note, f"{wsf.title}!{cell.coordinate}: empty {k}, the row's "
                                    f"comment {note!r} lacks {want!r}")
            else:
                ck.ok(ck.is_number(cell.value), f"{wsf.title}!{cell.coordinate}: {cell.value!r}")
            values[k].append(cell.value)
        if tcol["nps"]:
            t = wsf.cell(r, tcol["nps"]).value
            ck.ok(ck.near(t, green, 1e-9), f"{wsf.title}: NPS target {t!r}, nps_green is {green}")
        r += 1
    last = r - 1
    ck.ok(last >= first, f"{wsf.title}: the history has no period")
    charts = {}
    for ch in wsf._charts:
        refs = [s.val.numRef.f for s in ch.series if s.val and s.val.numRef]
        if refs:
            charts[refs[0]] = (ch, refs)

    def rng(c):
        letter = wsf.cell(1, c).column_letter
        # One period (period = all): a range of one cell is written as the cell.
        if first == last:
            return f"'{wsf.title}'!${letter}${first}"
        return f"'{wsf.title}'!${letter}${first}:${letter}${last}"

    for k in keys:
        if not col[k]:
            continue
        any_value = any(v is not None for v in values[k])
        got = charts.get(rng(col[k]))
        if any_value:
            if ck.ok(got, f"{wsf.title}: no line chart over the {k} history {rng(col[k])}"):
                want = [rng(col[k])] + ([rng(tcol[k])] if tcol[k] else [])
                ck.ok(got[1] == want, f"{wsf.title}: {k} chart series {got[1]}, expected {want}")
                _, pts = ck.chart_points(got[0].series[0])
                cached = [pts.get(i) for i in range(len(values[k]))]
                ck.ok(all((v is None and p is None) or (v is not None and p is not None and
                                                         abs(v - p) < 1e-9)
                          for v, p in zip(values[k], cached)),
                      f"{wsf.title}: {k} chart caches {cached}, the table holds {values[k]}")
        else:
            ck.ok(not got, f"{wsf.title}: a chart of {k} although no period has one (zeros?)")
            tmpl = ck.t["summary.history_none"].replace("{kpi}", ck.t["summary.history_" + k])
            prefix = tmpl.split("{why}")[0]
            texts = [c.value for row in wsf.iter_rows() for c in row if isinstance(c.value, str)]
            ck.ok(any(t.startswith(prefix) for t in texts),
                  f"{wsf.title}: no line saying why there is no {k} chart ({prefix!r}...)")
    if sample:
        want_nps = [30.0 + 1.5 * k for k in range(11)] + [45.0]  # the run's own: 45
        ck.ok(len(values["nps"]) == 12 and all(ck.near(a, b, 1e-9)
                                               for a, b in zip(values["nps"], want_nps)),
              f"{wsf.title}: NPS history {values['nps']}, expected {want_nps}")
        ck.ok(values["csat"][3] is None, f"{wsf.title}: January's CSAT should be empty")
        ck.ok(wsf.cell(first, 1).value == datetime.datetime(2025, 10, 1),
              f"{wsf.title}: the history starts {wsf.cell(first, 1).value!r}, not 2025-10-01")


def check_roi_row(ck, sample):
    found = table(ck, "summary", "summary.figure")
    if not found:
        return
    wsf, wsv, hdr, cols = found
    r = ck.find_row(wsf, ck.t["summary.roi"])
    if not ck.ok(r, f"{wsf.title}: no VoC ROI row ({ck.t['summary.roi']!r})"):
        return
    v = wsf.cell(r, cols[ck.t["summary.value"]])
    note = wsf.cell(r, cols[ck.t["summary.note"]]).value or ""
    if v.value is None:
        ck.ok(comment_says_na(ck, v), f"{wsf.title}!{v.coordinate}: empty ROI without a comment")
        ck.ok(note, f"{wsf.title}: an empty ROI without a note")
    else:
        ck.ok(ck.is_number(v.value) and "%" in v.number_format,
              f"{wsf.title}!{v.coordinate}: ROI {v.value!r} in {v.number_format!r}, not a percentage")
    if sample:
        ck.ok(v.value is not None, f"{wsf.title}: the sample's ROI is not shown")


def table(ck, sheet, header_key):
    """The sheet (formulas, values), its table's header row and columns."""
    wsf, wsv = ck.sheet(sheet)
    hdr = ck.find_row(wsf, ck.t[header_key])
    if not ck.ok(hdr, f"{wsf.title}: no table (header {ck.t[header_key]!r})"):
        return None
    return wsf, wsv, hdr, ck.header_cols(wsf, hdr)


def check_cost(ck, sample):
    found = table(ck, "cost", "cost.month")
    if not found:
        return
    wsf, wsv, hdr, cols = found
    tot = ck.col_of(cols, "cost.total")
    cats = [c for t, c in cols.items() if c not in (1, tot)]
    r = hdr + 1
    col_sums = {c: 0.0 for c in cats}
    row_totals = 0.0
    while isinstance(wsf.cell(r, 1).value, datetime.datetime):
        d = wsf.cell(r, 1)
        ck.ok("yy" in d.number_format and d.value.day == 1,
              f"{wsf.title}!{d.coordinate}: month {d.value!r} in {d.number_format!r}")
        s = 0.0
        for c in cats:
            v = wsf.cell(r, c).value
            if v is not None:
                ck.ok(ck.is_number(v), f"{wsf.title}!{wsf.cell(r, c).coordinate}: {v!r}")
                s += v
                col_sums[c] += v
        ck.formula(wsf, wsv, r, tot, "row total", s, refs=("SUM(",))
        row_totals += s
        r += 1
    total_row = ck.find_row(wsf, ck.t["cost.total"])
    if not ck.ok(total_row, f"{wsf.title}: no total row"):
        return
    for c in cats:
        ck.formula(wsf, wsv, total_row, c, "category total", col_sums[c], refs=("SUM(",))
    grand = wsv.cell(total_row, tot).value
    if r > hdr + 1:
        ck.formula(wsf, wsv, total_row, tot, "programme cost", row_totals, refs=("SUM(",))
    # The VoC ROI sheet's cost is this total.
    rf, rv = ck.sheet("roi")
    rr = ck.find_row(rf, ck.t["roi.cost"])
    if rr:
        link = rf.cell(rr, 2).value
        ck.ok(isinstance(link, str) and ck.t["sheet.cost"] in link,
              f"{rf.title}: the cost {link!r} does not read the {wsf.title} sheet")
        ck.ok(rv.cell(rr, 2).value == grand,
              f"{rf.title}: cost {rv.cell(rr, 2).value!r}, the {wsf.title} total {grand!r}")
    if sample:
        ck.ok(ck.near(grand, 15000.0), f"{wsf.title}: total {grand!r}, the sample's roi.cost 15000")
        ck.ok(r - hdr - 1 == 2, f"{wsf.title}: {r - hdr - 1} months, the sample has 2")
        sub = wsf.cell(2, 1).value or ""
        ck.ok("2025-10-01" in sub and "2026-09-30" in sub,
              f"{wsf.title}: the window is not stated ({sub!r})")


def figures_csv(path):
    p = re.sub(r"-executive\.xlsx$", "-figures.csv", path)
    if p == path or not os.path.exists(p):
        return None
    rows = csv.DictReader(io.StringIO(open(p, encoding="utf-8-sig").read(), newline=""))
    out = {}
    for row in rows:
        if row["code"].startswith("finding."):
            out.setdefault(row["dims"], {})[row["code"]] = (float(row["value"])
                                                            if row["value"] else None)
    return out


def check_findings(ck, sample):
    found = table(ck, "findings", "findings.rank")
    if not found:
        return
    wsf, wsv, hdr, cols = found
    c = {k: ck.col_of(cols, "findings." + k)
         for k in ("rank", "kind", "subject", "owner", "money", "confidence", "score", "next")}
    for k, v in c.items():
        ck.ok(v, f"{wsf.title}: no column {ck.t['findings.' + k]!r}")
    rows = []
    r = hdr + 1
    while ck.is_number(wsf.cell(r, 1).value):
        rows.append({k: wsf.cell(r, col).value for k, col in c.items()})
        r += 1
    kinds = {ck.t[k]: k[len("findings.kind_"):] for k in ck.t if k.startswith("findings.kind_")}
    steps = {v for k, v in ck.t.items() if k.startswith("next.")}
    for i, row in enumerate(rows):
        where = f"{wsf.title} row {hdr + 1 + i}"
        ck.ok(row["rank"] == i + 1, f"{where}: rank {row['rank']!r}, expected {i + 1}")
        ck.ok(row["kind"] in kinds, f"{where}: kind {row['kind']!r} not in the locale's words")
        ck.ok(row["next"] in steps, f"{where}: next step {row['next']!r} is no next.* text")
        if all(ck.is_number(row[k]) for k in ("money", "confidence", "score")):
            ck.ok(abs(row["money"] * row["confidence"] - row["score"]) <= 1e-6 * max(1, row["score"]),
                  f"{where}: score {row['score']!r} is not money x confidence")
        if i and ck.is_number(row["score"]) and ck.is_number(rows[i - 1]["score"]):
            ck.ok(rows[i - 1]["score"] >= row["score"], f"{where}: not ordered by score")
    figs = figures_csv(ck.path)
    if figs is None:  # the sample: no CSV beside it
        return
    by_rank = {v.get("finding.rank"): d for d, v in figs.items() if v.get("finding.rank")}
    ck.ok(len(by_rank) == len(rows),
          f"{wsf.title}: {len(rows)} rows, the figures CSV ranks {len(by_rank)} findings")
    for row in rows:
        dims = by_rank.get(float(row["rank"]))
        if not ck.ok(dims, f"{wsf.title}: rank {row['rank']} not in the figures CSV"):
            continue
        kind = re.search(r"(?:^|;)finding=([^;]+)", dims).group(1)
        ck.ok(kinds.get(row["kind"]) == kind, f"{wsf.title}: rank {row['rank']} is {row['kind']!r}, "
                                              f"the CSV says {kind}")
        f = figs[dims]
        for k in ("money", "confidence", "score"):
            want = f.get("finding." + k)
            got = row[k]
            if want is None:
                ck.ok(not ck.is_number(got), f"{wsf.title}: rank {row['rank']} {k} {got!r}, "
                                             "the CSV has none")
            else:
                ck.ok(ck.near(got, want, 0.005), f"{wsf.title}: rank {row['rank']} {k} {got!r}, "
                                                 f"the CSV {want!r}")


def check_all(ck, sample):
    check_lights(ck, sample)
    check_history(ck, sample)
    check_roi_row(ck, sample)
    check_cost(ck, sample)
    check_findings(ck, sample)
