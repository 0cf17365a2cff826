#!/usr/bin/python3
"""Independent check of the ranked findings of a vocreport run
(docs/decisions.md "Findings by what they are worth").

Takes the run's figures from <results>.kpi_values (every one of them is
checked against the raw rows by reference.py, reference_topics.py,
reference_depts.py and reference_experiments.py in the same tests), and the
ownership map from the config file,
then chooses the candidate findings, computes money, confidence, score,
owner and rank by the documented formula, written again here from the
page, and compares them with the finding.* figures of the run.

Usage:
    reference_findings.py --db DB --run-id N --config FILE [--results-schema vocreport]

Prints one line per mismatch and, last, `reference_findings: N figures
checked, M mismatches`.  Exit 0 only when M is 0 and N > 0 (a run without
any candidate is checked by its absence of finding.* figures: N counts 1).
"""

import argparse
import configparser
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402

CODES = ('finding.score', 'finding.money', 'finding.confidence', 'finding.rank')
# Ties are broken in this order, then by dims.
KINDS = ['nps_drop', 'nps_rise', 'nps_decline', 'revenue_at_risk', 'dept_missed', 'experiment',
         'promoter_to_passive', 'satisfied_churned']
COHORT = ['cohort.a_customers', 'cohort.a_churn_rate', 'cohort.churn_gap', 'cohort.p_value',
          'cohort.lost_customers', 'cohort.revenue_at_risk']


def split(value):
    return [x.strip() for x in value.split(',') if x.strip()]


def ownership(config):
    """({touchpoint: department}, {topic: department}, [departments]) as
    the config's [department.*] sections list them (the one place that
    says who owns what)."""
    cp = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(';',))
    cp.optionxform = str
    cp.read(config)
    tps, topics, depts = {}, {}, []
    for section in cp.sections():
        if not section.startswith('department.'):
            continue
        code = section[len('department.'):]
        depts.append(code)
        for tp in split(cp[section].get('touchpoints', '')):
            tps[tp] = code
        for t in split(cp[section].get('topics', '')):
            topics[t] = code
    return tps, topics, depts


class Figures:
    def __init__(self, kpis):
        self.rows = {(c, d): (v, n, ref.flag_set(f)) for c, d, v, n, f in kpis}

    def value(self, code, dims=''):
        row = self.rows.get((code, dims))
        return None if row is None or row[0] is None or not math.isfinite(row[0]) else row[0]

    def n(self, code, dims=''):
        row = self.rows.get((code, dims))
        return None if row is None else row[1]

    def flags(self, code, dims=''):
        row = self.rows.get((code, dims))
        return frozenset() if row is None else row[2]

    def of(self, code):
        return [(d, v, n, f) for (c, d), (v, n, f) in self.rows.items() if c == code]


def with_finding(kind, subject):
    pairs = [p.split('=', 1) for p in subject.split(';') if p] + [['finding', kind]]
    return ';'.join('%s=%s' % (k, v) for k, v in sorted(pairs))


def dim(dims, key):
    for p in dims.split(';'):
        k, _, v = p.partition('=')
        if k == key:
            return v
    return None


def candidates(f, tps, topics, depts, min_sample):
    """[(kind, subject, owner, money, confidence)] by decisions.md."""
    out = []

    def step(a, b):
        x, y = f.value('class.ltv', 'class=' + a), f.value('class.ltv', 'class=' + b)
        return None if x is None or y is None else abs(y - x)

    lower, upper = step('detractor', 'passive'), step('passive', 'promoter')
    ltv_all = f.value('ltv_all')

    def owner(subject):
        if subject.startswith('department='):
            return subject[len('department='):]
        if dim(subject, 'touchpoint') is not None:
            return tps.get(dim(subject, 'touchpoint'))
        if dim(subject, 'topic') is not None:
            return topics.get(dim(subject, 'topic'))
        return None

    # Significant NPS changes (not low sample): |delta| / 100 x n x step.
    for dims, delta, n, flags in f.of('nps_delta'):
        moe, moe_p = f.value('nps_moe', dims), f.value('nps_moe_prior', dims)
        if delta is None or 'significant' not in flags or 'low_sample' in flags or n is None \
                or moe is None or moe_p is None:
            continue
        se = math.hypot(moe, moe_p) / 1.96
        conf = 1 - math.erfc(abs(delta / se) / math.sqrt(2)) if se > 0 else 1.0
        money = None if lower is None else abs(delta) / 100 * n * lower
        out.append(('nps_drop' if delta < 0 else 'nps_rise', dims, owner(dims), money, conf))

    company_drop = any(c[0] == 'nps_drop' and c[1] == '' for c in out)
    for dims, v, n, flags in f.of('warn.nps_decline'):
        fall = f.value('warn.nps_fall', dims)
        if v is None or v < 0.5 or (dims == '' and company_drop) or fall is None or n is None:
            continue
        out.append(('nps_decline', dims, owner(dims),
                    None if lower is None else fall / 100 * n * lower, 1.0))
    slips = {dims: v for dims, v, n, flags in f.of('warn.promoter_to_passive') if v is not None}
    for dims, v in slips.items():
        # the company's: only the customers of touchpoints no department owns
        left = v if dims else v - sum(x for d, x in slips.items() if d)
        if left >= 0.5:
            out.append(('promoter_to_passive', dims, owner(dims),
                        None if upper is None else left * upper, 1.0))
    for dims, v, n, flags in f.of('gap.satisfied_churned'):
        left = None if v is None or n is None else round(v * n)
        if left:
            out.append(('satisfied_churned', dims, None,
                        None if ltv_all is None else left * ltv_all, 1.0))

    # Topics whose cohort may be worded: significant, not low sample.
    def at_risk(topic):
        dims = 'topic=' + topic
        if any('low_sample' in f.flags(c, dims) for c in COHORT):
            return None
        rev, p, a = (f.value('cohort.revenue_at_risk', dims), f.value('cohort.p_value', dims),
                     f.value('cohort.a_customers', dims))
        if rev is None or rev <= 0 or p is None or 'significant' not in f.flags(
                'cohort.p_value', dims) or a is None or a < min_sample:
            return None
        return rev, p

    for dims, *_ in f.of('cohort.revenue_at_risk'):
        topic = dim(dims, 'topic')
        got = at_risk(topic)
        if got:
            out.append(('revenue_at_risk', dims, owner(dims), got[0], 1 - got[1]))

    # Departments with a red KPI.
    for d in depts:
        red = any(dims.startswith('department=%s;' % d) and v is not None and v < 0.5
                  for dims, v, n, flags in f.of('dept.kpi.status'))
        if not red:
            continue
        detractors = sum(f.value('detractors', 'touchpoint=' + tp) or 0
                         for tp, owner_ in tps.items() if owner_ == d)
        risk = sum((at_risk(t) or (0, 0))[0] for t, owner_ in topics.items() if owner_ == d)
        money = None if lower is None else detractors * lower + risk
        out.append(('dept_missed', 'department=' + d, d, money, 1.0))

    # Evaluated experiments.
    for dims, v, n, flags in f.of('exp.status'):
        value, p = f.value('exp.value', dims), f.value('exp.p_value', dims)
        if 'evaluated' in flags and value is not None:
            out.append(('experiment', dims, None, abs(value), None if p is None else 1 - p))
    return out


def expected(cands):
    rows = []
    for kind, subject, owner, money, conf in cands:
        score = None if money is None or conf is None else money * conf
        rows.append((kind, subject, owner, money, conf, score, with_finding(kind, subject)))
    rows.sort(key=lambda r: (r[5] is None, -(r[5] or 0), KINDS.index(r[0]), r[6].encode()))
    figs = {}
    for rank, (kind, subject, owner, money, conf, score, dims) in enumerate(rows, 1):
        figs[('finding.score', dims)] = (score, {'owner=' + owner} if owner else set())
        figs[('finding.money', dims)] = (money, set())
        figs[('finding.confidence', dims)] = (conf, set())
        figs[('finding.rank', dims)] = (float(rank), set())
    return figs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('--run-id', required=True, type=int)
    ap.add_argument('--config', required=True)
    ap.add_argument('--results-schema', default='vocreport')
    args = ap.parse_args(argv)
    problems, report = ref.reporter()
    try:
        run = ref.load_run(args.db, args.results_schema, args.run_id)
        kpis = ref.load_kpis(args.db, args.results_schema, args.run_id)
    except ref.ReferenceError_ as e:
        print('reference_findings: error: %s' % e, file=sys.stderr)
        return 2
    min_sample = int(run['parameters'].get('min_sample', 30))
    tps, topics, depts = ownership(args.config)
    want = expected(candidates(Figures(kpis), tps, topics, depts, min_sample))
    got = {(c, d): (v, ref.flag_set(fl)) for c, d, v, n, fl in kpis if c in CODES}
    for key in sorted(want):
        code, dims = key
        if key not in got:
            report('missing: %s [%s] (expected %s)' % (code, dims, ref.fmt(want[key][0])))
            continue
        (value, flags), (gv, gflags) = want[key], got[key]
        money = code == 'finding.money' or code == 'finding.score'
        same = (value is None and gv is None) or (
            value is not None and gv is not None and
            (abs(value - gv) <= 0.005 + 1e-9 if money else
             math.isclose(value, gv, rel_tol=1e-9, abs_tol=1e-9)))
        if not same:
            report('mismatch: %s [%s] value expected %s, got %s'
                   % (code, dims, ref.fmt(value), ref.fmt(gv)))
        if frozenset(flags) != gflags:
            report('mismatch: %s [%s] flag expected %s, got %s'
                   % (code, dims, ','.join(sorted(flags)) or 'NULL', ','.join(sorted(gflags))
                      or 'NULL'))
    for key in sorted(set(got) - set(want)):
        report('unexpected: %s [%s] value %s' % (key[0], key[1], ref.fmt(got[key][0])))
    checked = len(want) or 1
    print('reference_findings: %d figures checked, %d mismatches (%d candidates)'
          % (checked, len(problems), len(want) // len(CODES)))
    return 0 if not problems else 1


if __name__ == '__main__':
    sys.exit(main())
