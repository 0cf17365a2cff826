#!/usr/bin/python3
"""Checks a published treatment call list (report/calllist.c) against the
database (tests/integration_experiments.sh).

  check_calllist.py --file X.xlsx --run-id N --experiment NAME --hours H

The database is libpq's environment (PGDATABASE ...), read with psql.  For
the experiment's sheet: the title names the experiment and says "treatment
arm only"; the header is frozen; the customer ids are exactly the treatment
arm of experiment_assignments assigned up to the run's T; no control-arm
customer id is in any sheet's customer column; each deadline is a real
date-time cell equal to assigned_at + H hours (local, the run's time zone);
the latest score equals the customer's latest clean response before T; every
row names a department and a verbatim, wrapped.  Prints one line per
failure; exit status 1 when any."""
import argparse
import datetime
import subprocess
import sys

import openpyxl

HEADER_ROW, FIRST_ROW = 4, 5   # 1-based, as openpyxl counts


def sql(query):
    out = subprocess.run(["psql", "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--run-id", type=int, required=True)
    ap.add_argument("--experiment", required=True)
    ap.add_argument("--hours", type=int, default=24)
    a = ap.parse_args()
    fails = []

    (tz, end), = sql(f"SELECT time_zone, period_end FROM vocreport.runs WHERE run_id = {a.run_id}")
    name = a.experiment.replace("'", "''")
    arms = {}
    expected = {}
    for cid, arm, assigned, deadline in sql(
            f"SET TIME ZONE '{tz}'; SELECT customer_id, arm,"
            " to_char(assigned_at, 'YYYY-MM-DD HH24:MI:SS'),"
            f" to_char(assigned_at + interval '{a.hours} hours', 'YYYY-MM-DD HH24:MI:SS')"
            f" FROM vocreport.experiment_assignments WHERE experiment = '{name}'"
            f" AND assigned_at <= '{end}'::timestamptz"):
        arms[int(cid)] = arm
        if arm == "treatment":
            expected[int(cid)] = (assigned, deadline)
    control = {c for c, arm in arms.items() if arm == "control"}
    nps = {int(c): int(v) for c, v in sql(
        "SELECT DISTINCT ON (customer_id) customer_id, nps FROM voc.survey_responses"
        f" WHERE nps IS NOT NULL AND responded_at < '{end}'::timestamptz"
        " ORDER BY customer_id, responded_at DESC, response_id DESC")}

    wb = openpyxl.load_workbook(a.file)
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=FIRST_ROW, max_col=1, values_only=True):
            if isinstance(row[0], int) and row[0] in control:
                fails.append(f"sheet {ws.title}: control-arm customer {row[0]} listed")
    if a.experiment[:31] not in wb.sheetnames:
        fails.append(f"no sheet {a.experiment!r}: {wb.sheetnames}")
        return report(fails)
    ws = wb[a.experiment[:31]]
    title, note = ws["A1"].value or "", ws["A2"].value or ""
    if a.experiment not in title:
        fails.append(f"title {title!r} does not name the experiment")
    if "treatment arm only" not in note.lower() or "deadline" not in note.lower():
        fails.append(f"note {note!r} does not say 'treatment arm only; respond by the deadline'")
    if ws.freeze_panes != f"B{FIRST_ROW}":
        fails.append(f"freeze panes {ws.freeze_panes}, want B{FIRST_ROW}")
    header = [c.value for c in ws[HEADER_ROW]]
    col = {h: i for i, h in enumerate(header)}
    for h in ("Customer ID", "Respond by", "Owning department", "Latest NPS",
              "Latest negative verbatim", "Assigned at"):
        if h not in col:
            fails.append(f"header lacks {h!r}: {header}")
    if fails:
        return report(fails)

    seen = {}
    for cells in ws.iter_rows(min_row=FIRST_ROW):
        v = [c.value for c in cells]
        cid = v[col["Customer ID"]]
        if not isinstance(cid, int):
            fails.append(f"row {cells[0].row}: customer id {cid!r} is not a number")
            continue
        seen[cid] = cells
        if cid not in expected:
            continue
        assigned, deadline = expected[cid]
        d = cells[col["Respond by"]]
        if not isinstance(d.value, datetime.datetime) or not d.is_date:
            fails.append(f"customer {cid}: deadline {d.value!r} is not a date-time cell")
        elif d.value.strftime("%Y-%m-%d %H:%M:%S") != deadline:
            fails.append(f"customer {cid}: deadline {d.value}, want {deadline}")
        s = cells[col["Assigned at"]].value
        if not isinstance(s, datetime.datetime) or s.strftime("%Y-%m-%d %H:%M:%S") != assigned:
            fails.append(f"customer {cid}: assigned at {s!r}, want {assigned}")
        elif isinstance(d.value, datetime.datetime) and d.value - s != datetime.timedelta(hours=a.hours):
            fails.append(f"customer {cid}: deadline - assigned = {d.value - s}")
        if v[col["Latest NPS"]] != nps.get(cid):
            fails.append(f"customer {cid}: latest NPS {v[col['Latest NPS']]!r}, want {nps.get(cid)}")
        if not v[col["Owning department"]]:
            fails.append(f"customer {cid}: no owning department")
        verb = cells[col["Latest negative verbatim"]]
        if not verb.value or not verb.alignment.wrap_text:
            fails.append(f"customer {cid}: verbatim {verb.value!r} missing or not wrapped")
    if set(seen) != set(expected):
        fails.append(f"customers {sorted(seen)} != treatment arm {sorted(expected)}")
    if sorted(seen) != list(seen):
        fails.append("rows not in customer order")
    print(f"check_calllist: {len(seen)} treatment customers, {len(control)} control kept out")
    return report(fails)


def report(fails):
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
