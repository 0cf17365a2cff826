"""The department figures of tests/sample_depts.c, typed again here (not
read from the C), and the checks of the department tables both workbooks
show (report/xlsx_depts.c): used by check_workbook.py (every department)
and check_dept_workbook.py (one department)."""

import datetime

DEPTS = ["customer_service", "logistics", "product", "billing"]
DEPT_NAMES = {"customer_service": ("Customer service", "客户服务"),
              "logistics": ("Logistics", "物流"), "product": ("Product", "产品"),
              "billing": ("Billing", "账务")}

PCT, SCORE, INT = "0.0%", "0.0", "#,##0"
GREEN, AMBER, RED, GREY = 2, 1, 0, None

# dept, kpi, metric as written, lower is better, target, amber, actual, n,
# previous, status, low sample, the eleven earlier reports, number format.
KPIS = [
    ("customer_service", "nps", "nps", False, 45, 5, 38, 120, 41, RED, False,
     [30, 32, 35, 33, 36, 38, 40, 42, 41, 39, 41], SCORE),
    ("customer_service", "red_answered_24h", "sla.first_response_24h", False, 0.90, 0.05, 0.92,
     50, 0.88, GREEN, False,
     [0.80, 0.82, 0.85, 0.83, 0.86, 0.87, 0.85, 0.89, 0.90, 0.88, 0.88], PCT),
    ("customer_service", "clarity", "topic.sentiment_score(refund_delay)", False, 60, 5, 57, 90,
     58.5, AMBER, False, [50, 52, 51, 55, 54, 56, 57, 58, 59, 58, 58.5], SCORE),
    ("logistics", "late_complaints", "topic.negative(late_delivery)", True, 100, 10, 120, 150,
     150, RED, False, [170, 165, 160, 150, 155, 148, 150, 152, 149, 151, 150], INT),
    ("logistics", "closed_48h", "sla.closed_48h", False, 0.80, 0.10, 0.81, 210, 0.79, GREEN,
     False, [0.70, 0.72, 0.74, 0.73, 0.75, 0.76, 0.78, 0.77, 0.79, 0.80, 0.79], PCT),
    ("logistics", "nps", "nps", False, 30, 5, 31, 90, 34, GREEN, False,
     [20, 22, 25, 27, 26, 28, 30, 33, 35, 36, 34], SCORE),
    ("product", "app_crash", "topic.negative(app_crash)", True, 120, 20, 140, 180, 100, AMBER,
     False, [60, 62, 70, 65, 72, 80, 85, 90, 95, 98, 100], INT),
    ("product", "onboarding_nps", "nps", False, 20, 5, None, 0, None, GREY, False, [], SCORE),
    ("billing", "csat", "csat", False, 0.80, 0.05, 0.78, 20, 0.81, AMBER, True,
     [0.83, 0.82, 0.84, 0.80, 0.81, 0.83, 0.82, 0.80, 0.79, 0.82, 0.81], PCT),
]
KPI_NAMES = {"nps": ("NPS", "NPS"), "csat": ("CSAT", "CSAT")}
# The first days of the twelve periods, October 2025 to the sample's own
# September 2026, as Excel dates.
TREND_DATES = [datetime.datetime(2025, m, 1) for m in (10, 11, 12)] + \
    [datetime.datetime(2026, m, 1) for m in range(1, 10)]

# scope: (first response, red cases, closed 48h, cases, open over 72h, cases)
CLOSURE = {"": (0.86, 100, 0.74, 560, 0.12, 560),
           "customer_service": (0.92, 50, 0.70, 260, 0.11, 260),
           "logistics": (0.80, 40, 0.81, 210, 0.10, 210),
           "product": (0.80, 10, 0.65, 60, 0.20, 60),
           "billing": (None, 0, 0.80, 30, 0.13, 30)}

# touchpoint, owner, (nps, status), (csat, status), (negative share, status), n, low
JOURNEY = [("purchase", "billing", (52, GREEN), (0.75, AMBER), (0.18, GREEN), 90, False),
           ("delivery", "logistics", (31, GREEN), (0.80, GREEN), (0.32, RED), 90, False),
           ("onboarding", "product", (None, GREY), (None, GREY), (None, GREY), 0, False),
           ("after_sales", "customer_service", (60, GREEN), (0.85, GREEN), (0.27, AMBER), 20,
            True)]
TOUCHPOINT_NAMES = {"purchase": ("Purchase", "购买"), "delivery": ("Delivery", "配送"),
                    "onboarding": ("Onboarding", "开户引导"),
                    "after_sales": ("After-sales", "售后")}

# dept: (decline set, why, promoters turned passive, earlier promoters)
WARNINGS = {"customer_service": (1, "three_periods", 6, 30), "logistics": (0, None, 5, 35),
            "product": (None, None, 0, 0), "billing": (0, None, 3, 30)}
OVERALL_WARNINGS = {"nps_decline": (0, 200), "promoter_to_passive": (14, 95),
                    "satisfied_churned": (0.45, 40)}

# topic owners and labels (render_sample.c), and each owner's comments
TOPIC_OWNER = {"late_delivery": "logistics", "packaging": "logistics", "app_crash": "product",
               "design": "product", "reliability": "product",
               "refund_delay": "customer_service", "pricing": "billing"}
TOPIC_LABELS = {"design": ("Design", "设计"), "late_delivery": ("Late delivery", "配送延迟"),
                "app_crash": ("App crashes", "应用闪退"), "pricing": ("Pricing", "价格"),
                "refund_delay": ("Slow refunds", "退款缓慢"), "packaging": ("Packaging", "包装"),
                "reliability": ("Reliability", "可靠性")}
VERBATIMS = {
    "app_crash": ["App froze at checkout, lost my cart twice.",
                  "更新之后应用一打开就闪退，根本没法用。",
                  "Crashes every time I open the order history.",
                  "The new version keeps crashing on my phone."],
    "late_delivery": ["快递晚了五天，没有任何通知。",
                      "Parcel arrived a week after the promised date.",
                      "Delivery slot missed again, nobody called."],
    "refund_delay": ["退款申请两周了还没有到账。", "Still waiting for my refund after 20 days."],
    "packaging": ["Box was crushed and the glass inside broken."],
    "design": ["Love the look but the buttons are too small."],
}
# The briefing's detractor quotes: no topic, so no owner: never in a
# department's workbook.
UNOWNED_VERBATIMS = ["送货太慢了，等了一个星期才到，客服也不回复。",
                     "The refund took three weeks and nobody answered my emails."]


def pick(ck, pair):
    return pair[1] if ck.locale == "zh_CN" else pair[0]


def dept_name(ck, d):
    return pick(ck, DEPT_NAMES[d])


def kpi_name(ck, kpi):
    if kpi in KPI_NAMES:
        return pick(ck, KPI_NAMES[kpi])
    return ck.t.get("kpi." + kpi, kpi.replace("_", " ").capitalize())


def cf_rules(ws, coord):
    """The formulas of the conditional formats that cover a cell."""
    out = []
    for cf in ws.conditional_formatting:
        if coord in cf.sqref:
            for rule in cf.rules:
                out.extend(rule.formula or [])
    return out


def check_lights(ck, ws, row, col, status_col, what):
    """Green / amber / red / grey rules on the cell, reading the status cell."""
    coord = ws.cell(row, col).coordinate
    ref = ws.cell(row, status_col).coordinate.rstrip("0123456789")
    got = cf_rules(ws, coord)
    for want in ("=2", "=1", "=0", "NOT(ISNUMBER("):
        ck.ok(any(want in f and ref in f for f in got),
              f"{ws.title}!{coord} ({what}): no traffic-light rule {want!r} on column {ref}: {got}")


def check_status(ck, ws, row, col, want, what):
    c = ws.cell(row, col)
    where = f"{ws.title}!{c.coordinate} ({what})"
    if want is None:
        ck.ok(c.value == ck.t["depts.status.grey"], f"{where}: {c.value!r}, expected grey text")
    else:
        ck.ok(ck.is_number(c.value) and c.value == want, f"{where}: {c.value!r}, expected {want}")
        ck.ok(c.number_format.startswith("[=2]") and ck.t["depts.status.green"] in c.number_format,
              f"{where}: number format {c.number_format!r} does not show the word")
    check_lights(ck, ws, row, col, col, what)


def number(ck, ws, row, col, want, fmt, what, tol=1e-6):
    c = ws.cell(row, col)
    where = f"{ws.title}!{c.coordinate} ({what})"
    if want is None:  # an empty cell with its reason, never the n/a text
        ck.expect_missing(ws, row, col, what)
        return
    if ck.ok(ck.is_number(c.value), f"{where}: {c.value!r} is not a number"):
        ck.ok(abs(c.value - want) <= tol, f"{where}: {c.value!r}, expected {want}")
    if fmt:
        ck.ok(c.number_format == fmt, f"{where}: number format {c.number_format!r}, "
                                      f"expected {fmt!r}")


def header_row(ck, ws, key):
    r = ck.find_row(ws, ck.t[key]) or ck.find_row(ws, ck.t[key], col=2)
    ck.ok(r, f"{ws.title}: no table with header {ck.t[key]!r}")
    return r


def check_kpi_table(ck, ws, dept=None):
    """The KPI table: every department's KPIs (dept None) or dept's only."""
    hdr = header_row(ck, ws, "depts.kpi.kpi")
    if not hdr:
        return
    cols = ck.header_cols(ws, hdr)
    col = {k: ck.col_of(cols, "depts.kpi." + k) for k in
           ("department", "kpi", "metric", "direction", "target", "amber", "actual",
            "previous", "change", "status", "n", "note")}
    # "previous" is the period before the run's, named with its days.
    head = ck.text("depts.kpi.previous_dated", **{"from": "2026-08-01", "to": "2026-08-31"})
    ck.ok(col["previous"] and ws.cell(hdr, col["previous"]).value == head,
          f"{ws.title}: previous column head {ws.cell(hdr, col['previous'] or 1).value!r}, "
          f"expected {head!r}")
    want = [k for k in KPIS if dept is None or k[0] == dept]
    r = hdr + 1
    for (d, kpi, metric, lower, target, amber, actual, n, prev, status, low, _h, fmt) in want:
        what = f"{d}/{kpi}"
        if dept is None:
            ck.ok(ws.cell(r, col["department"]).value == dept_name(ck, d),
                  f"{ws.title}!A{r}: department {ws.cell(r, col['department']).value!r}, "
                  f"expected {dept_name(ck, d)!r}")
        ck.ok(ws.cell(r, col["kpi"]).value == kpi_name(ck, kpi),
              f"{ws.title} row {r}: KPI {ws.cell(r, col['kpi']).value!r}, expected "
              f"{kpi_name(ck, kpi)!r}")
        ck.ok(ws.cell(r, col["metric"]).value == metric,
              f"{ws.title} row {r}: metric {ws.cell(r, col['metric']).value!r}, expected {metric}")
        ck.ok(ws.cell(r, col["direction"]).value ==
              ck.t["depts.kpi." + ("lower" if lower else "higher")],
              f"{ws.title} row {r}: direction {ws.cell(r, col['direction']).value!r}")
        number(ck, ws, r, col["target"], target, fmt, what + " target")
        number(ck, ws, r, col["amber"], amber, fmt, what + " amber")
        number(ck, ws, r, col["actual"], actual, fmt, what + " actual")
        number(ck, ws, r, col["previous"], prev, fmt, what + " previous")
        change = None if actual is None or prev is None else actual - prev
        cfmt = {PCT: "+0.0%;-0.0%;0.0%", SCORE: "+0.0;-0.0;0.0", INT: "+#,##0;-#,##0;0"}[fmt]
        number(ck, ws, r, col["change"], change, cfmt, what + " change")
        check_status(ck, ws, r, col["status"], status, what + " status")
        number(ck, ws, r, col["n"], n, "#,##0", what + " n")
        note = ws.cell(r, col["note"]).value or ""
        mark = ck.text("mark.low_sample", min=30)
        ck.ok((mark in note) == low, f"{ws.title} row {r} ({what}): note {note!r}")
        r += 1
    nxt = ws.cell(r, col["kpi"]).value
    ck.ok(nxt in (None, ""), f"{ws.title} row {r}: unexpected KPI row {nxt!r}")


def check_warning_table(ck, ws, dept=None):
    hdr = header_row(ck, ws, "depts.warn.nps_decline")
    if not hdr:
        return
    cols = ck.header_cols(ws, hdr)
    c_dec = cols[ck.t["depts.warn.nps_decline"]]
    c_why = cols[ck.t["depts.warn.why"]]
    c_pp = cols[ck.t["depts.warn.promoter_to_passive"]]
    c_n = cols[ck.t["depts.warn.previous_promoters"]]
    r = hdr + 1
    for d in DEPTS if dept is None else [dept]:
        dec, why, pp, n = WARNINGS[d]
        ck.ok(ws.cell(r, 1).value == dept_name(ck, d), f"{ws.title}!A{r}: {ws.cell(r, 1).value!r}")
        number(ck, ws, r, c_dec, dec, None, d + " nps decline")
        if dec is not None:
            ck.ok(ws.cell(r, c_dec).number_format.startswith('"' + ck.t["depts.warn.yes"]),
                  f"{ws.title} row {r}: decline format {ws.cell(r, c_dec).number_format!r}")
        w = ws.cell(r, c_why).value or ""
        ck.ok(w == (ck.t["depts.warn." + why] if why else ""), f"{ws.title} row {r}: why {w!r}")
        number(ck, ws, r, c_pp, pp, "#,##0", d + " promoter to passive")
        number(ck, ws, r, c_n, n, "#,##0", d + " earlier promoters")
        r += 1
    ck.ok(ws.cell(r, 1).value in (None, ""), f"{ws.title}!A{r}: unexpected row")


def check_journey_table(ck, ws, dept=None):
    hdr = header_row(ck, ws, "depts.journey.touchpoint")
    if not hdr:
        return
    cols = ck.header_cols(ws, hdr)
    c_tp = cols[ck.t["depts.journey.touchpoint"]]
    c_n = cols[ck.t["depts.journey.n"]]
    firsts = [cols[ck.t["depts.journey." + k]] for k in ("nps", "csat", "negative")]
    want = [j for j in JOURNEY if dept is None or j[1] == dept]
    r = hdr + 1
    for tp, owner, *vals, n, low in want:
        ck.ok(ws.cell(r, c_tp).value == pick(ck, TOUCHPOINT_NAMES[tp]),
              f"{ws.title} row {r}: touchpoint {ws.cell(r, c_tp).value!r}")
        if dept is None:
            ck.ok(ws.cell(r, 1).value == dept_name(ck, owner), f"{ws.title}!A{r}: owner")
        for (v, st), c, fmt, name in zip(vals, firsts, (SCORE, PCT, PCT),
                                         ("nps", "csat", "negative_share")):
            number(ck, ws, r, c, v, fmt, f"{tp} {name}")
            check_status(ck, ws, r, c + 1, st, f"{tp} {name} status")
            check_lights(ck, ws, r, c, c + 1, f"{tp} {name}")
        number(ck, ws, r, c_n, n, "#,##0", f"{tp} n")
        # Every figure below min_sample carries the mark, naming it (the
        # sample's low one is after_sales' NPS).
        note = ws.cell(r, cols[ck.t["depts.journey.note"]]).value or ""
        mark = ck.text("mark.low_sample", min=30)
        ck.ok((mark in note) == bool(low) and (not low or ck.t["depts.journey.nps"] in note),
              f"{ws.title} row {r}: {tp} note {note!r}")
        r += 1
    ck.ok(ws.cell(r, c_tp).value in (None, ""), f"{ws.title} row {r}: unexpected touchpoint")


def check_closure_table(ck, ws, dept=None):
    hdr = header_row(ck, ws, "depts.closure.scope")
    if not hdr:
        return
    scopes = [dept] if dept else [""] + DEPTS
    r = hdr + 1
    for sc in scopes:
        label = ck.t["depts.closure.all"] if sc == "" else dept_name(ck, sc)
        ck.ok(ws.cell(r, 1).value == label, f"{ws.title}!A{r}: {ws.cell(r, 1).value!r}, "
                                            f"expected {label!r}")
        for i, v in enumerate(CLOSURE[sc]):
            number(ck, ws, r, 2 + i, v, PCT if i % 2 == 0 else "#,##0",
                   f"closure {sc or 'all'} col {2 + i}")
        r += 1
    ck.ok(ws.cell(r, 1).value in (None, ""), f"{ws.title}!A{r}: unexpected scope row")
