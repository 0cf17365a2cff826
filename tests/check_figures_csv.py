#!/usr/bin/python3
"""Checks a figures CSV (report/csv.c) against kpi_values.

    check_figures_csv.py FILE.csv DB.tsv

DB.tsv: code, dims, value, n, flag of the run's kpi_values (COPY ... TO
STDOUT, NULL as ''), value as PostgreSQL prints a float8 (shortest exact).

Checked: the file starts with the UTF-8 byte order mark (so Excel opens
Chinese names intact) and is UTF-8; every figure of the run is a row and
no other; a money figure (unit money in jobs/config/metrics.c) is written with
exactly two decimals, equal to the database value rounded to the cent
(Python's own correctly rounded formatting); every other value reads back
as the same double; n and flag equal.  Exit 1 with one line per failure.
"""
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def money_codes():
    src = open(os.path.join(HERE, "..", "jobs", "config", "metrics.c"), encoding="utf-8").read()
    return set(re.findall(r'C\("([^"]+)",\s*UNIT_MONEY', src))


def main():
    raw = open(sys.argv[1], "rb").read()
    fails = []
    if not raw.startswith(b"\xef\xbb\xbf"):
        fails.append("no UTF-8 byte order mark")
    text = raw.decode("utf-8-sig")
    money = money_codes()
    if len(money) < 10:
        fails.append("found only %d money codes in jobs/config/metrics.c" % len(money))
    got = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        got[(row["code"], row["dims"])] = row
    want = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        code, dims, value, n, flag = line.rstrip("\n").split("\t")
        want[(code, dims)] = (value, n, flag)
    for key in sorted(set(got) - set(want)):
        fails.append("%s %s: in the CSV, not in kpi_values" % key)
    checked_money = 0
    for key, (value, n, flag) in sorted(want.items()):
        row = got.get(key)
        if row is None:
            fails.append("%s %s: missing from the CSV" % key)
            continue
        if (row["n"], row["flag"]) != (n, flag):
            fails.append("%s %s: n/flag %r/%r, want %r/%r" % (key + (row["n"], row["flag"], n, flag)))
        if not value:
            if row["value"]:
                fails.append("%s %s: %r for a NULL figure" % (key + (row["value"],)))
            continue
        if key[0] in money:
            checked_money += 1
            cents = format(float(value), ".2f")
            if cents == "-0.00":
                cents = "0.00"
            if row["value"] != cents:
                fails.append("%s %s: money %r, want %r (db %s)" % (key + (row["value"], cents, value)))
        elif float(row["value"]) != float(value):
            fails.append("%s %s: %r, want %r" % (key + (row["value"], value)))
    print("figures csv: %d rows, %d money values to the cent, %d failures" % (len(got), checked_money, len(fails)))
    for f in fails[:40]:
        print(f)
    sys.exit(1 if fails or not got else 0)


main()
