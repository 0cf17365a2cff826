#!/usr/bin/python3
"""How each Chinese review file labels a mixed review, without any model.

    bench/label_conventions.py [--data DIR]

A review that praises, then adds a reservation ("安装有点贵，其他不错" read
backwards: "不错……就是安装费贵") has no verdict of its own; the labellers
of each file gave it one.  For the TRAIN rows of every Chinese file (the
split of bench/sentiment_data.sh, as the shipped model is trained), print
the file's share of negative rows, how many rows praise then reserve, and
what share of those the file labels negative.  Where files disagree, one
model for every company cannot read such a review the way each file does:
docs/benchmark.md "What the misses are, read by hand".
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = "waimai books tablets phones fruit shampoo heaters dairy clothes computers hotel".split()
# a praise word, then within 30 characters a clause that opens with a
# reservation ("就是 …", "但是 …")
PRAISE_THEN_RESERVATION = re.compile(
    r"(不错|挺好|很好|还行|还可以|满意|好吃|喜欢).{0,30}[，,。 ]\s*(就是|只是|但是|但|不过|可是)")


def split(data, out):
    script = '. "$1/bench/sentiment_data.sh" && sentiment_split "$2" "$3"'
    subprocess.run(["bash", "-c", script, "split", TOP, data, out], check=True,
                   stderr=subprocess.DEVNULL)


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        label, text = header.index("label"), len(header) - 1
        for r in reader:
            if r[label] in ("0", "1"):
                yield r[label] == "0", r[text]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(TOP, "..", "shared", "data"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vr-conventions.") as tmp:
        split(args.data, tmp)
        print("| file (TRAIN) | rows | negative share | praise-then-reservation rows "
              "| of them labelled negative |")
        print("|---|---|---|---|---|")
        for name in FILES:
            labelled = list(rows(os.path.join(tmp, name + ".train.csv")))
            mixed = [neg for neg, text in labelled if PRAISE_THEN_RESERVATION.search(text)]
            neg = sum(neg for neg, _ in labelled)
            share = f"{sum(mixed) / len(mixed):.2f}" if mixed else "n/a (none)"
            print(f"| {name} | {len(labelled):,} | {neg / len(labelled):.2f} | {len(mixed):,} | {share} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
