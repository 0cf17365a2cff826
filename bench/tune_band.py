#!/usr/bin/python3
"""How steady the choice of the opinion threshold o and the neutral band t
is (classify/sentiment_train.c, choose_thresholds), computed again from
the held-out scores a tuning training writes:

  VR_SENT_HELD=FILE bench/tune.sh ...     (one line a held-out row:
                                           lang, file, class, r, p)
  bench/tune_band.py FILE...

For each file and language it prints the pair four criteria choose: the
best pair on one part (the rows of the first fold, as before issue 11's
fifth round), on all five parts, with the mean over +-0.06, and with the
centre of the pairs within 0.005 of that best (the shipped rule).  A
second implementation of the choice: where both were run it gives the
pair the C code wrote into the model."""
import sys

import numpy as np

STEPS = 96


def load(path):
    d = np.loadtxt(path, ndmin=2)
    # rows come fold by fold, each in row order: a new fold starts where
    # the file index falls (so this needs two files or more with neutral
    # rows, as the shipped recipe has)
    fold = np.concatenate([[0], np.cumsum(d[1:, 1] < d[:-1, 1])])
    return d, fold


def surface(f, c, r, p):
    """Score of each (o, t): the mean over files with neutral and
    opinionated rows of the mean over their classes of the share right."""
    o = np.arange(STEPS) / 100.0
    t = np.arange(STEPS) / 100.0
    edge = np.where(t > 0, t, 0.05)  # t = 0: the reports' 0.05
    total, files = np.zeros((STEPS, STEPS)), 0
    for fi in sorted(set(f)):
        m = f == fi
        cls, rr, pp = c[m], r[m], p[m]
        present = [k for k in range(3) if (cls == k).any()]
        if 2 not in present or len(present) < 2:
            continue
        opin = pp[None, :] >= o[:, None]
        strong = np.abs(rr)[None, :] > edge[:, None]
        sc = np.zeros((STEPS, STEPS))
        for k in present:
            mk = cls == k
            if k == 2:
                hit = ~opin[:, None, mk] | ~strong[None, :, mk]
            else:
                side = rr[mk] > 0 if k == 1 else rr[mk] < 0
                hit = opin[:, None, mk] & strong[None, :, mk] & side[None, None, :]
            sc += hit.sum(axis=2) / mk.sum()
        total += sc / len(present)
        files += 1
    return total / files if files else total


def choose(s, radius, tolerance):
    mean = np.zeros_like(s)
    for i in range(STEPS):
        for j in range(STEPS):
            cols = slice(max(0, j - radius), min(STEPS, j + radius + 1))
            rows = slice(0, 1) if i == 0 else slice(max(1, i - radius), min(STEPS, i + radius + 1))
            mean[i, j] = s[rows, cols].mean()
    near = np.argwhere(mean >= mean.max() - tolerance - 1e-12)
    if tolerance == 0:
        k = 0  # the first best in row-major order
    else:
        k = np.argmin(((near - near.mean(axis=0)) ** 2).sum(axis=1))
    return near[k][0] / 100, near[k][1] / 100


RULES = [("one part, best pair", 1, 0, 0.0), ("five parts, best pair", 5, 0, 0.0),
         ("five parts, +-0.06 mean", 5, 6, 0.0), ("five parts, +-0.06 mean, centre within 0.005", 5, 6, 0.005)]


def main():
    for path in sys.argv[1:]:
        d, fold = load(path)
        for name, folds, radius, tolerance in RULES:
            line = "%s: %s:" % (path, name)
            for lang, lname in ((0, "zh"), (1, "en")):
                m = (fold < folds) & (d[:, 0] == lang)
                s = surface(d[m, 1].astype(int), d[m, 2].astype(int), d[m, 3], d[m, 4])
                o, t = choose(s, radius, tolerance)
                line += " %s o=%.2f t=%.2f" % (lname, o, t)
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
