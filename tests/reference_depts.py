#!/usr/bin/python3
"""Independent reference implementation of the department, target and
closure figures of a vocreport run (metrics.md "Departments, targets and
closure", docs/departments.md, docs/decisions.md).

Recomputes every sla.*, journey.*, dept.kpi.{actual,target,amber,status},
warn.* and gap.* figure of one run in plain Python from the raw source rows
and the config file's [department.*] and [journey] sections, and compares
them with <results>.kpi_values.  Loading, rejected rows, periods and churn
come from tests/reference.py (imported, not rewritten).  Topics are read
from the upstream `topic`/`sentiment` columns only: use it on fixtures that
tag every row upstream (tests/fixtures/depts.sql does).

Usage:
    reference_depts.py --db DB --run-id N --config FILE
                       [--source-schema voc] [--results-schema vocreport]

Prints one line per mismatch and, last, `reference_depts: N figures
checked, M mismatches`.  Exit 0 only when M is 0 and N > 0.
"""

import argparse
import configparser
import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402
from reference_topics import real, NEGATIVE_BELOW  # noqa: E402

PREFIXES = ('sla.', 'journey.', 'dept.kpi.actual', 'dept.kpi.target', 'dept.kpi.amber',
            'dept.kpi.status', 'dept.kpi.previous', 'warn.', 'gap.')
H = dt.timedelta(hours=1)
TARGET = re.compile(r'^\s*([a-z0-9_.]+)\s*(?:\(\s*([A-Za-z0-9_.-]+)\s*\))?\s*(>=|<=)\s*'
                    r'(-?[0-9.]+)(%?)\s*(?:amber\s+([0-9.]+)(%?))?\s*$')


def parse_target(text, metric=None):
    if metric:
        text = metric + ' ' + text
    m = TARGET.match(text)
    if not m:
        raise ref.ReferenceError_('cannot read target %r' % text)
    value = float(m.group(4)) / (100 if m.group(5) else 1)
    amber = float(m.group(6) or 0) / (100 if m.group(7) else 1)
    return {'metric': m.group(1), 'arg': m.group(2), 'lower': m.group(3) == '<=',
            'value': value, 'amber': amber}


def split(value):
    return [x.strip() for x in value.split(',') if x.strip()]


def load_config(path):
    cp = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(';',))
    cp.optionxform = str
    cp.read(path)
    depts = []
    for section in cp.sections():
        if not section.startswith('department.'):
            continue
        s = cp[section]
        kpis = [(key[4:], parse_target(v)) for key, v in s.items() if key.startswith('kpi.')]
        depts.append({'code': section[11:], 'touchpoints': split(s.get('touchpoints', '')),
                      'kpis': kpis})
    journey = {'touchpoints': [], 'targets': {}}
    if cp.has_section('journey'):
        j = cp['journey']
        journey['touchpoints'] = split(j.get('touchpoints', ''))
        for metric in ('nps', 'csat', 'negative_share'):
            if j.get(metric):
                journey['targets'][metric] = parse_target(j[metric], metric)
    return depts, journey


def colour(target, actual):
    """green / amber / red / grey, with a millionth's tolerance as in the spec."""
    if target is None or actual is None:
        return 'grey'
    short = actual - target['value'] if target['lower'] else target['value'] - actual
    eps = 1e-9 * max(1.0, abs(target['value']))
    if short <= eps:
        return 'green'
    if short <= target['amber'] + eps:
        return 'amber'
    return 'red'


STATUS_VALUE = {'green': 2, 'amber': 1, 'red': 0, 'grey': None}


def status_fig(figs, code, dims, target, actual, low):
    c = colour(target, actual)
    figs.add(code, dims, STATUS_VALUE[c], None, [c] + (['low_sample'] if low else []))


def step_periods(period, rule, trailing_days, count):
    """[(lo, hi)] for k = 0..count-1: month rules by calendar month, the
    others by the period's length in local days."""
    tz = period['tz']
    start_day = period['start'].astimezone(tz).date()
    end_day = period['end_day']
    out = []
    for k in range(count):
        if rule in ('previous_month', 'month_to_date'):
            lo, hi = ref.add_months(start_day, -k), ref.add_months(end_day, -k)
        else:
            days = (end_day - start_day).days
            lo = start_day - dt.timedelta(days=days * k)
            hi = end_day - dt.timedelta(days=days * k)
        out.append((ref.local_midnight(lo, tz), ref.local_midnight(hi, tz)))
    return out


def counts(responses):
    scored = [r['nps'] for r in responses if r['nps'] is not None]
    csat = [r['csat'] for r in responses if r['csat'] is not None]
    ces = [r['ces'] for r in responses if r['ces'] is not None]
    return {'n': len(scored), 'p': sum(1 for s in scored if s >= 9),
            'd': sum(1 for s in scored if s <= 6),
            'csat_n': len(csat), 'csat_top': sum(1 for s in csat if s >= 4),
            'ces_n': len(ces), 'ces_sum': sum(ces)}


def tp_of(r):
    return r['touchpoint'] if r['touchpoint'] is not None else 'unknown'


def compute(source, run, params, depts, journey):
    judged = ref.reject_rows(source, run)
    clean = {t: [row for row, why in rows if why is None] for t, rows in judged.items()}
    period = ref.period_bounds(params['as_of'], params['time_zone'], params['period'],
                               params['trailing_days'])
    S, T = period['start'], period['end']
    min_sample = params['min_sample']
    owner = {tp: d['code'] for d in depts for tp in d['touchpoints']}
    figs = ref.Figures()

    # SLA, as known at the end of the window
    def dept_of(c):
        return c['department'] if c['department'] not in (None, '') else 'unknown'
    def cases_in(lo, hi):
        return [c for c in clean['cases'] if ref.in_window(c['opened_at'], lo, hi)]
    def sla_shares(group, at):
        """{metric: (share, n)} of cases opened in a window, as known at `at`."""
        red = [c for c in group if c['priority'] == 'red']
        answered = [c for c in red if c['first_response_at'] is not None
                    and c['first_response_at'] < at
                    and c['first_response_at'] - c['opened_at'] <= 24 * H]
        closed = [c for c in group if c['closed_at'] is not None and c['closed_at'] < at
                  and c['closed_at'] - c['opened_at'] <= 48 * H]
        long_open = [c for c in group if c['closed_at'] is None or c['closed_at'] >= at
                     or c['closed_at'] - c['opened_at'] > 72 * H]
        return {'sla.first_response_24h': (ref.share(len(answered), len(red)), len(red)),
                'sla.closed_48h': (ref.share(len(closed), len(group)), len(group)),
                'sla.open_over_72h': (ref.share(len(long_open), len(group)), len(group))}
    cases = cases_in(S, T)
    for code in [''] + sorted({d['code'] for d in depts} | {dept_of(c) for c in cases}):
        group = [c for c in cases if not code or dept_of(c) == code]
        for metric, (value, n) in sla_shares(group, T).items():
            figs.add(metric, 'department=' + code if code else '', value, n)

    # Journey
    responses = clean['survey_responses']
    in_period = [r for r in responses if ref.in_window(r['responded_at'], S, T)]
    by_id = {r['response_id']: r for r in responses}
    def linked_in(lo, hi):
        """{touchpoint: [negative?]}: own-brand feedback received in the
        window, linked to a response given before its end."""
        linked = {}
        for f in clean['feedback']:
            r = by_id.get(f['response_id'])
            if f['brand'] is None and ref.in_window(f['received_at'], lo, hi) and r is not None \
                    and r['responded_at'] < hi:
                neg = f['sentiment'] is not None and real(float(f['sentiment'])) < NEGATIVE_BELOW
                linked.setdefault(tp_of(r), []).append(neg)
        return linked
    linked = linked_in(S, T)
    tps = list(journey['touchpoints']) + sorted({tp_of(r) for r in in_period}
                                                - set(journey['touchpoints']))
    def negative_share(touchpoints, links=linked):
        rows = [neg for tp in touchpoints for neg in links.get(tp, [])]
        return ref.share(sum(rows), len(rows)), len(rows)
    for tp in tps:
        k = counts([r for r in in_period if tp_of(r) == tp])
        nps = ref.nps_value(k['p'], k['d'], k['n'])
        csat = ref.share(k['csat_top'], k['csat_n'])
        neg, neg_n = negative_share([tp])
        for metric, value, n, low in (('nps', nps, k['n'], k['n'] < min_sample),
                                      ('csat', csat, k['csat_n'], k['csat_n'] < min_sample),
                                      ('negative_share', neg, neg_n, False)):
            figs.add('journey.' + metric, 'touchpoint=' + tp, value, n,
                     ['low_sample'] if low else [])
            status_fig(figs, 'journey.status', ref.dims_of(metric=metric, touchpoint=tp),
                       journey['targets'].get(metric), value, low)

    # Department scorecards
    def topic_figure(metric, topic, lo, hi):
        rows = [f for f in clean['feedback'] if f['brand'] is None and f['topic'] == topic
                and ref.in_window(f['received_at'], lo, hi)]
        sent = [real(float(f['sentiment'])) for f in rows if f['sentiment'] is not None]
        if metric == 'topic.mentions':
            return len(rows), len(rows)
        if metric == 'topic.negative':
            return sum(1 for s in sent if s < NEGATIVE_BELOW), len(rows)
        return (50 * (1 + sum(sent) / len(sent)) if sent else None), len(sent)
    def kpi_actual(d, t, lo, hi):
        """(actual, n, low sample) of a KPI over the window [lo, hi), as
        known at hi."""
        metric = t['metric']
        if metric in ('nps', 'csat', 'ces'):
            k = counts([r for r in responses if ref.in_window(r['responded_at'], lo, hi)
                        and tp_of(r) in d['touchpoints']])
            if metric == 'nps':
                return ref.nps_value(k['p'], k['d'], k['n']), k['n'], k['n'] < min_sample
            if metric == 'csat':
                n = k['csat_n']
                return ref.share(k['csat_top'], n), n, n < min_sample
            n = k['ces_n']
            return ref.mean(k['ces_sum'], n), n, n < min_sample
        if metric.startswith('topic.'):
            return topic_figure(metric, t['arg'], lo, hi) + (False,)
        if metric.startswith('sla.'):
            group = [c for c in cases_in(lo, hi) if dept_of(c) == d['code']]
            return sla_shares(group, hi)[metric] + (False,)
        return negative_share(d['touchpoints'], linked_in(lo, hi)) + (False,)
    history = ref.history_periods(params['period'], period)
    for d in depts:
        for name, t in d['kpis']:
            dims = ref.dims_of(department=d['code'], kpi=name)
            actual, n, low = kpi_actual(d, t, S, T)
            figs.add('dept.kpi.actual', dims, actual, n, ['low_sample'] if low else [])
            figs.add('dept.kpi.target', dims, t['value'], None,
                     ['lower_is_better' if t['lower'] else 'higher_is_better'])
            figs.add('dept.kpi.amber', dims, t['amber'])
            status_fig(figs, 'dept.kpi.status', dims, t, actual, low)
            # its history: every period, and the one before the run's own
            for i, (first_day, lo, hi) in enumerate(history):
                actual, n, low = kpi_actual(d, t, lo, hi)
                flags = ['low_sample'] if low else []
                figs.add('dept.kpi.actual', dims + ';period=' + first_day.isoformat(), actual, n,
                         flags)
                if i == len(history) - 2:
                    last_day = hi.astimezone(period['tz']).date() - dt.timedelta(days=1)
                    figs.add('dept.kpi.previous', dims, actual, n,
                             flags + ['period=%s/%s' % (first_day, last_day)])
            if len(history) < 2:
                figs.add('dept.kpi.previous', dims, None, None, ['no_prior_period'])
    for metric, target in journey['targets'].items():
        dims = 'metric=' + metric
        figs.add('journey.target', dims, target['value'], None,
                 ['lower_is_better' if target['lower'] else 'higher_is_better'])
        figs.add('journey.amber', dims, target['amber'])

    # warn.nps_decline
    periods = step_periods(period, params['period'], params['trailing_days'], 4)
    groups = [('', None)] + [('department=' + d['code'], set(d['touchpoints'])) for d in depts]
    for dims, tpset in groups:
        ks = [counts([r for r in responses if ref.in_window(r['responded_at'], lo, hi)
                      and (tpset is None or tp_of(r) in tpset)]) for lo, hi in periods]
        nps = [ref.nps_value(k['p'], k['d'], k['n']) for k in ks]
        if nps[0] is None or nps[1] is None:
            figs.add('warn.nps_decline', dims, None, ks[0]['n'])
            continue
        delta = nps[0] - nps[1]
        moe = [ref.nps_moe(k['p'], k['d'], k['n']) for k in ks[:2]]
        significant = delta < 0 and abs(delta) > (moe[0] ** 2 + moe[1] ** 2) ** 0.5
        three = all(nps[i] is not None and nps[i + 1] is not None and nps[i] < nps[i + 1]
                    for i in range(3))
        flags = (['significant_drop'] if significant else []) + (['three_periods'] if three else [])
        figs.add('warn.nps_decline', dims, 1 if flags else 0, ks[0]['n'], flags)
        if flags:  # how far it fell: over the three periods when they all fell
            figs.add('warn.nps_fall', dims, nps[3 if three else 1] - nps[0], ks[0]['n'])

    # warn.promoter_to_passive
    lookback = ref.months_before_end(period, params['segment_lookback_months'])
    history = {}
    for r in responses:
        if r['nps'] is not None and ref.in_window(r['responded_at'], lookback, T):
            history.setdefault(r['customer_id'], []).append(r)
    slip = {dims: [0, 0] for dims, _ in groups}
    for rows in history.values():
        rows.sort(key=lambda r: (r['responded_at'], r['response_id']), reverse=True)
        if len(rows) < 2 or rows[0]['responded_at'] < S or rows[1]['nps'] < 9:
            continue
        keys = [''] + (['department=' + owner[tp_of(rows[0])]] if tp_of(rows[0]) in owner else [])
        for key in keys:
            slip[key][1] += 1
            slip[key][0] += 7 <= rows[0]['nps'] <= 8
    for dims, (value, n) in slip.items():
        figs.add('warn.promoter_to_passive', dims, value, n)

    # gap.satisfied_churned: population as in the classes
    paid = [o for o in clean['orders'] if o['status'] == 'paid']
    rule = params['churn_rule']
    days = params['inactive_days'] or 0
    def churn_at(at):
        inactive = at - dt.timedelta(days=days)  # elapsed days, as the C program's interval
        return ref.churned_customers(rule, clean['churn_events'], paid, at, inactive)
    at_t, at_s = churn_at(T), churn_at(S)
    population = {c['customer_id'] for c in clean['customers']
                  if c['acquired_at'] is None or c['acquired_at'] < period['end_day']} \
        | {o['customer_id'] for o in paid if o['ordered_at'] < T}
    def moment(c):
        if rule == 'explicit':
            return max(e['churned_at'] for e in clean['churn_events']
                       if e['customer_id'] == c and e['churned_at'] < T)
        return max(o['ordered_at'] for o in paid
                   if o['customer_id'] == c and o['ordered_at'] < T) + dt.timedelta(days=days)
    satisfied = n = 0
    for c in (at_t - at_s) & population:
        before = [r for r in responses if r['customer_id'] == c and r['csat'] is not None
                  and r['responded_at'] < moment(c)]
        if before:
            last = max(before, key=lambda r: (r['responded_at'], r['response_id']))
            n += 1
            satisfied += last['csat'] >= 4
    figs.add('gap.satisfied_churned', '', ref.share(satisfied, n), n)
    return figs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('--run-id', required=True, type=int)
    ap.add_argument('--config', required=True)
    ap.add_argument('--source-schema', default='voc')
    ap.add_argument('--results-schema', default='vocreport')
    args = ap.parse_args()
    try:
        run = ref.load_run(args.db, args.results_schema, args.run_id)
        params = ref.resolve_parameters(run)
        source = ref.load_source(args.db, args.source_schema)
        depts, journey = load_config(args.config)
        figs = compute(source, run, params, depts, journey)
        kpis = ref.load_kpis(args.db, args.results_schema, args.run_id)
    except ref.ReferenceError_ as e:
        print('reference_depts: error: %s' % e, file=sys.stderr)
        return 2
    got = {(code, dims): (value, n, flag) for code, dims, value, n, flag in kpis
           if code.startswith(PREFIXES)}
    bad = 0
    for (code, dims), exp in sorted(figs.items.items()):
        g = got.pop((code, dims), None)
        if g is None:
            print('missing: %s' % ref.show_key(code, dims))
            bad += 1
            continue
        value, n, flag = g
        problems = []
        if not ref.values_match(code, exp['value'], value):
            problems.append('value %s, want %s' % (ref.fmt(value), ref.fmt(exp['value'])))
        if exp['n'] is not None and n != exp['n']:
            problems.append('n %s, want %s' % (ref.fmt(n), ref.fmt(exp['n'])))
        if ref.flag_set(flag) != exp['flags']:
            problems.append('flag %s, want %s' % (ref.fmt(flag), ','.join(sorted(exp['flags']))))
        if problems:
            print('mismatch: %s: %s' % (ref.show_key(code, dims), '; '.join(problems)))
            bad += 1
    for code, dims in sorted(got):
        print('unexpected: %s' % ref.show_key(code, dims))
        bad += 1
    print('reference_depts: %d figures checked, %d mismatches' % (len(figs.items), bad))
    return 0 if bad == 0 and figs.items else 1


if __name__ == '__main__':
    sys.exit(main())
