#!/usr/bin/python3
"""Keyword discovery for tests/airline_taxonomy.ini (stdlib only).

    tests/airline_taxonomy_learn.py [CSV] [INI]

Defaults: /work/shared/data/en/airline_tweets.csv and tests/airline_taxonomy.ini
(relative to the repository root).  Reads ONLY the even half of the CSV (the
parity of int(tweet_id) >> 22, the rule of tests/taxonomy_accuracy.c; odd rows
are dropped as soon as their id is parsed, before anything else is looked at),
finds discriminative words and word bigrams per complaint reason, merges them
into the hand-written keyword lists of INI and rewrites INI in place.

Rows used: negative tweets whose reason is set and is not "Can't Tell" (the rows
taxonomy_accuracy.c scores).  Candidates: lower-cased unigrams and bigrams of the
text with @mentions and URLs stripped; their support and precision are counted
with the loader's own matching rule (ASCII case folded, white space runs = one
space, word boundary = a neighbour that is not an ASCII letter or digit) on the
raw text, so what is counted is what the matcher will find.

A candidate joins reason r when support >= N tweets and smoothed precision
((c_r + 1) / (n + 2)) >= P and it is not already a keyword of that topic; kept
candidates get a weight 1..9 by formula F.  N, P, F (and a per-topic cap) are
chosen by a grid search INSIDE the even half: split by parity of tweet_id >> 23,
learn on one part, score (simulated matcher, hand-written + generated keywords)
on the other, both ways, mean accuracy.  The winner is then learnt on the whole
even half and written.

Re-running is idempotent: generated keywords are listed in a "; generated_en:"
comment above each keywords_en line; those items are removed before learning
again, so the hand-written keywords (and their weights) are kept as they are.
"""
import csv
import math
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CSV = "/work/shared/data/en/airline_tweets.csv"
DEFAULT_INI = os.path.join(HERE, "airline_taxonomy.ini")

GEN_BEGIN = "; --- BEGIN generated-keywords note (tests/airline_taxonomy_learn.py) ---"
GEN_END = "; --- END generated-keywords note ---"
GEN_PREFIX = "; generated_en:"

SPACE = b" \t\n\v\f\r"


# ---------------------------------------------------------------------------
# Data (even half only)

def reason_code(reason):
    """'Customer Service Issue' -> 'customer_service_issue' (as the C tool)."""
    out = []
    for ch in reason:
        c = ch.lower() if "A" <= ch <= "Z" else ch
        if ("a" <= c <= "z") or ("0" <= c <= "9"):
            out.append(c)
        elif out and out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")


def read_even(path):
    """[(tweet_id, reason_code, text)] of the even half's scored rows."""
    rows = []
    with open(path, "r", encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        ci = {h: i for i, h in enumerate(header)}
        c_id, c_sent, c_reason, c_text = (ci["tweet_id"], ci["airline_sentiment"],
                                          ci["negativereason"], ci["text"])
        need = max(c_id, c_sent, c_reason, c_text)
        for r in rd:
            if len(r) <= need:
                continue
            try:
                tid = int(r[c_id])
            except ValueError:
                continue
            if (tid >> 22) & 1:
                continue  # odd half: never looked at
            reason = r[c_reason]
            if r[c_sent] != "negative" or not reason or reason == "Can't Tell":
                continue
            rows.append((tid, reason_code(reason), r[c_text]))
    return rows


# ---------------------------------------------------------------------------
# The matcher's rule (classify/taxonomy.c)

def normalise(b):
    """ASCII letters folded, every run of ASCII white space one space."""
    out = bytearray()
    prev = False
    for c in b.lower():
        if c in SPACE:
            if prev:
                continue
            prev = True
            out.append(32)
        else:
            prev = False
            out.append(c)
    return bytes(out)


class Corpus:
    def __init__(self, texts):
        self.norm = [normalise(t.encode("utf-8")) for t in texts]
        # \x00 between texts: not alnum, and never inside a keyword.
        self.blob = b"\x00".join(self.norm)
        self.starts = []
        pos = 0
        for t in self.norm:
            self.starts.append(pos)
            pos += len(t) + 1
        self.cache = {}

    def docs(self, kw_norm):
        """Indices of texts where the (normalised, bytes) keyword matches."""
        s = self.cache.get(kw_norm)
        if s is not None:
            return s
        rx = re.compile(rb"(?<![A-Za-z0-9])" + re.escape(kw_norm) + rb"(?![A-Za-z0-9])")
        s = set()
        import bisect
        for m in rx.finditer(self.blob):
            s.add(bisect.bisect_right(self.starts, m.start()) - 1)
        s = frozenset(s)
        self.cache[kw_norm] = s
        return s


def kw_norm(kw):
    return normalise(kw.encode("utf-8"))


# ---------------------------------------------------------------------------
# The INI file

def split_item(item):
    """'late^3' -> ('late', 3)."""
    item = item.strip()
    if "^" in item:
        k, w = item.rsplit("^", 1)
        return k.strip(), int(w.strip())
    return item, 1


def read_ini(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # header: the leading comment block, minus an earlier generated note
    header, i = [], 0
    while i < len(lines) and not lines[i].startswith("["):
        header.append(lines[i])
        i += 1
    if GEN_BEGIN in header:
        a = header.index(GEN_BEGIN)
        b = header.index(GEN_END)
        header = header[:a] + header[b + 1:]
    while header and header[-1].strip() in ("", ";"):
        header.pop()
    # sections: lines kept as written, with the hand-written keywords parsed
    sections = []  # [code, [lines], hand[(kw, w)]]
    cur = None
    for line in lines[i:]:
        m = re.match(r"\[topic\.([a-z0-9_]+)\]\s*$", line)
        if m:
            cur = [m.group(1), [], [], set()]
            sections.append(cur)
            continue
        if line.startswith(GEN_PREFIX):
            body = line[len(GEN_PREFIX):].strip()
            cur[3] = {kw_norm(split_item(x)[0]) for x in body.split(",") if x.strip()}
            continue
        km = re.match(r"\s*keywords_en\s*=\s*(.*)$", line)
        if km:
            cur[2] = [split_item(x) for x in km.group(1).split(",") if x.strip()]
            cur[1].append(None)  # where keywords_en goes
            continue
        cur[1].append(line)
    for s in sections:
        gen = s[3]
        s[2] = [(k, w) for k, w in s[2] if kw_norm(k) not in gen]
        while s[1] and s[1][-1] is not None and s[1][-1].strip() == "":
            s[1].pop()
    return header, [(code, body, hand) for code, body, hand, _ in sections]


def write_ini(path, header, sections, generated, note):
    out = list(header)
    out.append(";")
    out.append(GEN_BEGIN)
    out.extend(note)
    out.append(GEN_END)
    out.append("")
    for code, body, hand in sections:
        out.append("[topic.%s]" % code)
        gen = generated.get(code, [])
        for line in body:
            if line is None:
                if gen:
                    out.append(GEN_PREFIX + " " + ", ".join(fmt(k, w) for k, w in gen))
                items = [fmt(k, w) for k, w in hand] + [fmt(k, w) for k, w in gen]
                out.append("keywords_en = " + ", ".join(items))
            else:
                out.append(line)
        out.append("")
    while out and out[-1] == "":
        out.pop()
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.replace(path + ".tmp", path)


def fmt(k, w):
    return k if w == 1 else "%s^%d" % (k, w)


def valid_keyword(k):
    b = k.encode("utf-8")
    return (0 < len(b) <= 255 and "," not in k and "^" not in k and ";" not in k
            and "=" not in k and "#" not in k and k == k.strip()
            and "\uff0c" not in k and "\u3001" not in k)


# ---------------------------------------------------------------------------
# Candidates

MENTION = re.compile(r"@\w+")
URL = re.compile(r"https?://\S+|www\.\S+")
TOKEN = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
STOP = set()  # no stop list: precision and support decide


def candidates(text):
    t = URL.sub(" ", MENTION.sub(" ", text.lower()))
    t = t.replace("&amp;", " ").replace("&gt;", " ").replace("&lt;", " ")
    toks = TOKEN.findall(t)
    out = set(x for x in toks if len(x) >= 2)
    out.update(a + " " + b for a, b in zip(toks, toks[1:]))
    return out


# ---------------------------------------------------------------------------
# Learning and the simulated matcher

def weight_of(formula, c, n, prior, nbytes):
    p = (c + 1.0) / (n + 2.0)
    if formula == "prec":          # the rule used for the hand-written weights
        w = 9.0 * p
    elif formula == "logodds":     # log-odds against the reason's prior
        lo = math.log(p / (1 - p)) - math.log(prior / (1 - prior))
        w = 2.0 * lo
    elif formula == "prec_logsupp":
        w = 2.0 * p * math.log(n)
    elif formula == "half_prec":
        w = 4.5 * p
    elif formula == "per_byte":    # a match then scores about 40 x p whatever its length
        w = 40.0 * p / nbytes
    elif formula == "per_byte_small":
        w = 20.0 * p / nbytes
    else:
        raise ValueError(formula)
    return max(1, min(9, int(round(w))))


def learn(train, labels, corpus, cand_docs, hand_norm, codes, N, P, F, cap):
    """{code: [(kw, w)]} from the training indices."""
    train = set(train)
    n_train = len(train)
    prior = {r: max(1, sum(1 for i in train if labels[i] == r)) / n_train for r in codes}
    out = defaultdict(list)
    for kw, docs in cand_docs.items():
        d = docs & train
        n = len(d)
        if n < N:
            continue
        cnt = defaultdict(int)
        for i in d:
            cnt[labels[i]] += 1
        for r, c in cnt.items():
            p = (c + 1.0) / (n + 2.0)
            if p < P or r not in codes or kw_norm(kw) in hand_norm[r]:
                continue
            rank = p * math.log(n)
            out[r].append((rank, kw, weight_of(F, c, n, prior[r], len(kw_norm(kw)))))
    res = {}
    for r, lst in out.items():
        lst.sort(key=lambda x: (-x[0], x[1]))
        if cap:
            lst = lst[:cap]
        res[r] = [(kw, w) for _, kw, w in lst]
    return res


def accuracy(test, labels, corpus, codes, hand, gen):
    """Best topic == reason on the test indices (ties: taxonomy order)."""
    test = list(test)
    tset = set(test)
    scores = {i: [0] * len(codes) for i in test}
    for ti, code in enumerate(codes):
        kws = {}
        for k, w in hand[code] + gen.get(code, []):
            nk = kw_norm(k)
            kws[nk] = max(w, kws.get(nk, 0))  # the loader keeps the higher weight
        for nk, w in kws.items():
            for i in corpus.docs(nk) & tset:
                scores[i][ti] += len(nk) * w
    ok = 0
    for i in test:
        s = scores[i]
        best = max(s)
        if best == 0:
            continue
        if codes[s.index(best)] == labels[i]:
            ok += 1
    return ok / len(test)


def main():
    args = sys.argv[1:]
    csv_path = args[0] if len(args) > 0 else DEFAULT_CSV
    ini_path = args[1] if len(args) > 1 else DEFAULT_INI

    rows = read_even(csv_path)
    header, sections, = read_ini(ini_path)
    codes = [c for c, _, _ in sections]
    hand = {c: h for c, _, h in sections}
    hand_norm = {c: {kw_norm(k) for k, _ in h} for c, _, h in sections}

    labels = [r for _, r, _ in rows]
    corpus = Corpus([t for _, _, t in rows])
    cand_count = defaultdict(int)
    for _, _, t in rows:
        for c in candidates(t):
            cand_count[c] += 1
    cand_docs = {}
    for c, n in cand_count.items():
        if n >= 2 and valid_keyword(c) and kw_norm(c) == c.encode("utf-8"):
            d = corpus.docs(kw_norm(c))
            if len(d) >= 2:
                cand_docs[c] = d
    print("even half: %d scored rows, %d candidates (support >= 2)" % (len(rows), len(cand_docs)),
          file=sys.stderr)

    fold = [(tid >> 23) & 1 for tid, _, _ in rows]
    A = [i for i in range(len(rows)) if fold[i] == 0]
    B = [i for i in range(len(rows)) if fold[i] == 1]
    base = (accuracy(B, labels, corpus, codes, hand, {}) + accuracy(A, labels, corpus, codes,
                                                                    hand, {})) / 2
    print("inner split, hand-written only: mean %.4f" % base, file=sys.stderr)

    grid = []
    for F in ("prec", "half_prec", "logodds", "prec_logsupp", "per_byte", "per_byte_small"):
        for N in (3, 5, 8):
            for P in (0.4, 0.5, 0.6, 0.7):
                for cap in (0, 25, 50):
                    gA = learn(A, labels, corpus, cand_docs, hand_norm, codes, N, P, F, cap)
                    gB = learn(B, labels, corpus, cand_docs, hand_norm, codes, N, P, F, cap)
                    accB = accuracy(B, labels, corpus, codes, hand, gA)
                    accA = accuracy(A, labels, corpus, codes, hand, gB)
                    grid.append(((accA + accB) / 2, accA, accB, F, N, P, cap))
    grid.sort(key=lambda g: -g[0])
    for g in grid[:10]:
        print("  mean %.4f (learn A->B %.4f, B->A %.4f)  F=%s N=%d P=%.2f cap=%s"
              % (g[0], g[2], g[1], g[3], g[4], g[5], g[6] or "none"), file=sys.stderr)
    best = grid[0]
    _, accA, accB, F, N, P, cap = best

    allidx = list(range(len(rows)))
    gen = learn(allidx, labels, corpus, cand_docs, hand_norm, codes, N, P, F, cap)
    for code in gen:
        for k, _ in gen[code]:
            assert valid_keyword(k), k
    acc_even = accuracy(allidx, labels, corpus, codes, hand, gen)
    n_gen = sum(len(v) for v in gen.values())
    print("chosen F=%s N=%d P=%.2f cap=%s: %d keywords; simulated even accuracy %.4f"
          % (F, N, P, cap or "none", n_gen, acc_even), file=sys.stderr)

    fw = {"prec": "round(9 x p)", "half_prec": "round(4.5 x p)",
          "logodds": "round(2 x (logit p - logit prior))",
          "prec_logsupp": "round(2 x p x ln support)",
          "per_byte": "round(40 x p / keyword bytes)",
          "per_byte_small": "round(20 x p / keyword bytes)"}[F]
    note = [
        "; The items listed on each \"; generated_en:\" line are GENERATED and were appended to",
        "; that topic's keywords_en; every other keyword is hand-written (above). Regenerate with",
        ";     /usr/bin/python3 tests/airline_taxonomy_learn.py",
        "; (from the repository root; it reads only the even half of the CSV and rewrites this",
        "; file, keeping the hand-written keywords). Method: lower-cased words and word bigrams",
        "; (@mentions and URLs stripped) of the even half's scored tweets; support n and",
        "; precision p = (c + 1) / (n + 2) counted with the matcher's own rule; kept when",
        "; n >= %d and p >= %.2f%s, weight %s clipped to 1..9." % (
            N, P, ", top %d per topic by p x ln n" % cap if cap else "", fw),
        "; Chosen by a grid over the even half split by parity of tweet_id >> 23 (learn on one",
        "; part, score the other): mean %.4f (%.4f / %.4f); hand-written only %.4f." % (
            best[0], accB, accA, base),
    ]
    generated = {c: sorted(v, key=lambda x: x[0]) for c, v in gen.items()}
    write_ini(ini_path, header, sections, generated, note)
    print("wrote %s" % ini_path, file=sys.stderr)


if __name__ == "__main__":
    main()
