#!/usr/bin/python3
"""Independent reference implementation of the lagged-correlation figures
(corr.*) of a vocreport run.

Recomputes every corr.* figure of one run from the raw source rows,
following docs/decisions.md "Lagged correlation with business outcomes",
and compares them with what the C program wrote to <results>.kpi_values.
Rejected rows and periods come from tests/reference.py (imported, not
rewritten); the monthly series, the pairing and the statistics are done
here in plain Python (statistics-free: textbook sums), so that a mistake in
the C program's SQL cannot be repeated by the check.

Usage:
    reference_corr.py --db DB --run-id N [--source-schema voc]
                      [--results-schema vocreport] [--dump]

Prints one line per mismatch and, last, `reference_corr: N figures checked,
M mismatches`. Exit status 0 only when M is 0 and N > 0; 1 on mismatches;
2 when the data or the run row cannot be read.
"""

import argparse
import datetime as dt
import math
import os
import sys
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402

MIN_PAIRS = 6
MAX_LAG = 6


def month_index(day):
    return day.year * 12 + day.month - 1


def month_day(index):
    return dt.date(index // 12, index % 12 + 1, 1)


def pearson_slope(xs, ys):
    n = len(xs)
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx if sxx > 0 else None
    r = sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None
    if r is not None:
        r = max(-1.0, min(1.0, r))
    return r, slope


def load_metrics(db, schema):
    _, rows = ref.psql_query(db, 'SELECT month, metric, value FROM %s.business_metrics'
                             % ref.quote_ident(schema))
    out = []
    for month, metric, value in rows:
        out.append((None if month is None else dt.date.fromisoformat(month), metric,
                    None if value is None else float(value)))
    return out


def compute_corr(source, metrics, run, params):
    tz = ZoneInfo(params['time_zone'])
    period = ref.period_bounds(params['as_of'], tz, params['period'], params['trailing_days'])
    months = params['correlation_months']
    # The window: complete local months before T's month start (T itself
    # when T is the first of a month).
    hi_day = period['end_day'].replace(day=1)
    hi_idx = month_index(hi_day)
    lo_idx = hi_idx - months
    judged = ref.reject_rows(source, run)
    figs = ref.Figures()

    counts = {}
    for row, reason in judged['survey_responses']:
        if reason is not None or row['nps'] is None or row['responded_at'] is None:
            continue
        local = row['responded_at'].astimezone(tz)
        idx = local.year * 12 + local.month - 1
        if not lo_idx <= idx < hi_idx:
            continue
        c = counts.setdefault(idx, [0, 0, 0])
        c[0] += 1
        c[1] += row['nps'] >= 9
        c[2] += row['nps'] <= 6
    nps = {}
    for idx in sorted(counts):
        scored, pro, det = counts[idx]
        nps[idx] = 100.0 * (pro - det) / scored
        figs.add('corr.nps_month', ref.dims_of(month=month_day(idx).isoformat()), nps[idx], scored)

    values = {}
    for month, metric, value in metrics:
        if month is None or metric is None or value is None or not math.isfinite(value):
            continue
        idx = month_index(month)
        if lo_idx <= idx < hi_idx:
            values.setdefault(metric, {}).setdefault(idx, []).append(value)
    for metric in sorted(values, key=lambda s: s.encode('utf-8')):
        series = {idx: sum(v) / len(v) for idx, v in values[metric].items()}
        for idx in sorted(series):
            figs.add('corr.metric_month',
                     ref.dims_of(metric=metric, month=month_day(idx).isoformat()), series[idx], -1)
        best = None
        any_lag = False
        for lag in range(MAX_LAG + 1):
            pairs = [(nps[i], series[i + lag]) for i in sorted(nps) if i + lag in series]
            if len(pairs) < MIN_PAIRS:
                continue
            any_lag = True
            r, slope = pearson_slope([p[0] for p in pairs], [p[1] for p in pairs])
            dims = ref.dims_of(lag=lag, metric=metric)
            figs.add('corr.r', dims, r, len(pairs))
            figs.add('corr.slope', dims, slope, len(pairs))
            figs.add('corr.n', dims, len(pairs), len(pairs))
            if r is not None and (best is None or abs(r) > best[1]):
                best = (lag, abs(r), len(pairs))
        if any_lag:
            figs.add('corr.best_lag', ref.dims_of(metric=metric),
                     None if best is None else best[0], -1 if best is None else best[2])
    return figs


def compare(figs, kpis, report):
    got = {}
    for code, dims, value, n, flag in kpis:
        if not code.startswith('corr.'):
            continue
        if (code, dims) in got:
            report('duplicate: %s' % ref.show_key(code, dims))
        got[(code, dims)] = (value, n, flag)
    checked = 0
    for (code, dims), exp in sorted(figs.items.items()):
        checked += 1
        if (code, dims) not in got:
            report('missing: %s (expected value %s)' % (ref.show_key(code, dims),
                                                         ref.fmt(exp['value'])))
            continue
        value, n, flag = got[(code, dims)]
        expected_n = None if exp['n'] == -1 else exp['n']
        if not ref.values_match(code, exp['value'], value):
            report('mismatch: %s value expected %s, got %s'
                   % (ref.show_key(code, dims), ref.fmt(exp['value']), ref.fmt(value)))
        if n != expected_n:
            report('mismatch: %s n expected %s, got %s'
                   % (ref.show_key(code, dims), ref.fmt(expected_n), ref.fmt(n)))
        if flag is not None:
            report('mismatch: %s flag expected NULL, got %s' % (ref.show_key(code, dims), flag))
    for key in sorted(got):
        if key not in figs.items:
            report('unexpected: %s value %s' % (ref.show_key(*key), ref.fmt(got[key][0])))
    return checked


def main(argv=None):
    ap = argparse.ArgumentParser(description='Recompute the corr.* figures of a vocreport run.')
    ap.add_argument('--db', required=True)
    ap.add_argument('--run-id', required=True, type=int)
    ap.add_argument('--source-schema', default='voc')
    ap.add_argument('--results-schema', default='vocreport')
    ap.add_argument('--dump', action='store_true')
    args = ap.parse_args(argv)

    mismatches = []

    def report(line):
        mismatches.append(line)
        print(line)

    try:
        run = ref.load_run(args.db, args.results_schema, args.run_id)
        params = ref.resolve_parameters(run)
        params['correlation_months'] = ref.param(run['parameters'], 'correlation_months', int)
        source = ref.load_source(args.db, args.source_schema)
        metrics = load_metrics(args.db, args.source_schema)
        figs = compute_corr(source, metrics, run, params)
        kpis = ref.load_kpis(args.db, args.results_schema, args.run_id)
    except ref.ReferenceError_ as e:
        print('reference_corr: error: %s' % e, file=sys.stderr)
        return 2
    if args.dump:
        ref.dump(figs, sys.stdout)
    checked = compare(figs, kpis, report)
    print('reference_corr: %d figures checked, %d mismatches' % (checked, len(mismatches)))
    return 0 if not mismatches and checked > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
