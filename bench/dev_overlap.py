#!/usr/bin/python3
"""Is our own labelled service feedback (models/service_feedback.csv, trained
on) apart from every text the sentiment benchmarks measure?  Compares each
of its sentences, and each entry of models/service_lexicon.csv, with the
held-out service sentences (tests/fixtures/service_sentences.tsv), the demo
generator's phrases and closing remarks (sql/demo/generate.sql, what
bench/demo_agreement.sh scores) and issue 11's table.

Two measures of a near-copy, both Jaccard similarities:
  words   content words and word pairs (English; "because", articles and
          the like left out) or character pairs (Chinese)
  chars   character 5-grams of the lower-cased text ("Because" left out)
A feedback sentence at or above LIMIT on either, or a lexicon entry that is
a whole measured text, is a failure.  Prints the closest pairs; exits 1 on
a failure.

  bench/dev_overlap.py [--show N]
"""
import csv
import os
import re
import sys

LIMIT = 0.4
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ISSUE_TABLE = [
    "The support agent solved my problem in one call.",
    "客服很耐心，问题一次就解决了",
    "Because they were helpful and polite",
    "Because it was easy",
    "No complaints, everything arrived on time",
]
STOP = set("a an the and or but i my me we our it its is was were be been to of in on at "
           "for with by from that this they them you your have has had did do does so very "
           "because not no".split())


def measured():
    out = []
    with open(os.path.join(TOP, "tests/fixtures/service_sentences.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("lang\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 5:
                out.append(("test", cols[4]))
    sql = open(os.path.join(TOP, "sql/demo/generate.sql"), encoding="utf-8").read()
    bank = sql[sql.index("CREATE TEMP TABLE g_phrase"):sql.index("CREATE TEMP TABLE g_topic_w")]
    for m in re.findall(r"ARRAY\[([^\]]*)\]", bank):
        out += [("demo", t.replace("''", "'")) for t in re.findall(r"'((?:[^']|'')*)'", m) if t]
    out += [("issue", t) for t in ISSUE_TABLE]
    return out


def is_zh(t):
    return re.search(r"[\u3400-\u9fff]", t) is not None


def words(t):
    if is_zh(t):
        s = re.sub(r"[^\u3400-\u9fff0-9A-Za-z]", "", t)
        return set(s[i:i + 2] for i in range(len(s) - 1)) or {s}
    w = [x for x in re.findall(r"[a-z0-9']+", t.lower()) if x not in STOP]
    return set(w) | set(a + "_" + b for a, b in zip(w, w[1:]))


def chars(t):
    s = re.sub(r"\s+", " ", re.sub(r"^because\b ?", "", t.lower().strip(" .!,。！，")))
    return set(s[i:i + 5] for i in range(max(1, len(s) - 4)))


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def bare(t):
    return re.sub(r"[\s.!?,。！？，]+", " ", t.lower()).strip()


def main():
    show = int(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == "--show" else 5
    refs = [(k, t, words(t), chars(t)) for k, t in measured()]
    feedback = [r["text"] for r in csv.DictReader(
        open(os.path.join(TOP, "models/service_feedback.csv"), encoding="utf-8"))]
    pairs = []
    for d in feedback:
        fw, fc = words(d), chars(d)
        for k, t, rw, rc in refs:
            j = max(jaccard(fw, rw), jaccard(fc, rc), 1.0 if bare(d) == bare(t) else 0.0)
            pairs.append((j, k, d, t))
    pairs.sort(key=lambda p: -p[0])
    bad = [p for p in pairs if p[0] >= LIMIT]
    lexicon = [r["text"] for r in csv.DictReader(
        open(os.path.join(TOP, "models/service_lexicon.csv"), encoding="utf-8"))]
    texts = {bare(t): (k, t) for k, t, _, _ in refs}
    whole = [(e, texts[bare(e)]) for e in lexicon if bare(e) in texts]
    print("dev overlap: %d feedback sentences against %d measured texts; closest:" %
          (len(feedback), len(refs)))
    for j, k, d, t in pairs[:show]:
        print("  %.2f  %-5s %s  |  %s" % (j, k, d, t))
    for e, (k, t) in whole:
        print("  lexicon entry \"%s\" is the %s text \"%s\"" % (e, k, t))
    ok = not bad and not whole
    print("dev overlap: %s (near-copy: %.1f or more on either measure)" %
          ("ok, none" if ok else "FAIL, %d near-copies" % (len(bad) + len(whole)), LIMIT))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
