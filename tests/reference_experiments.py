#!/usr/bin/env python3
"""Independent check of the retention experiment and VoC ROI figures.

Recomputes every exp.* and roi.* figure of one vocreport run from the source
tables, the results schema's experiment_assignments and program_costs, with
the rules of docs/decisions.md "Retention experiments and VoC ROI" (and
"VoC ROI: one window": roi.cost and its breakdown on every run, the ROI
interval propagated from the churn difference's), and
compares them with kpi_values.  For a run inside an experiment's enrollment
it also recomputes the risk pool at T and checks that every member is
assigned, and that every assignment's arm is the documented md5 formula.

Standard library only; reuses reference.py (periods, rejected rows, churn,
ltv_all).  Conventions as reference.py: money to the cent, other values
rel 1e-9; last line `reference_experiments: N figures checked, M mismatches`;
exit 0 only when M is 0 and N > 0.
"""

import argparse
import datetime as dt
import hashlib
import math
import os
import struct
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402
from reference_topics import two_proportion_p  # noqa: E402

MONEY = {'exp.value', 'exp.cost', 'roi.benefit', 'roi.cost'}
# The figures that need program_costs (jobs/extract/contract.c, feeds).
COST_FED = {'roi.cost', 'roi.value', 'roi.value_low', 'roi.value_high', 'exp.cost', 'exp.roi',
            'exp.roi_low', 'exp.roi_high'}
EXP_KEYS = ('start', 'enrollment_days', 'risk_lookback_days', 'nps_max', 'treatment_share',
            'evaluation_window_months')


Z95 = 1.96


def roi_with_interval(benefit, se, cost):
    """(roi, low, high, not significant) as decisions.md: the benefit an
    estimate with standard error se, the cost exact."""
    if benefit is None or not cost:
        return None, None, None, False
    ends = [(benefit - Z95 * abs(se) - cost) / cost, (benefit + Z95 * abs(se) - cost) / cost]
    low, high = min(ends), max(ends)
    return (benefit - cost) / cost, low, high, low <= 0 <= high


def f32(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


def arm_of(experiment, customer_id, share):
    """docs/decisions.md: first 13 hex digits of md5('<experiment>:<id>') / 2^52."""
    h = hashlib.md5(('%s:%d' % (experiment, customer_id)).encode()).hexdigest()[:13]
    return 'treatment' if int(h, 16) / 2 ** 52 < share else 'control'


def shift_local(instant, tz, months=0, days=0):
    """PostgreSQL's timestamptz + interval in the session zone: local calendar."""
    local = instant.astimezone(tz)
    day = ref.add_months(local.date(), months) - dt.timedelta(days=days)
    if local.time() == dt.time(0, 0):
        return ref.local_midnight(day, tz)
    return dt.datetime.combine(day, local.time(), tzinfo=tz).astimezone(ref.UTC)


def experiments_of(params):
    out = {}
    for key, value in params.items():
        if key.startswith('experiment.'):
            name, _, field = key[len('experiment.'):].rpartition('.')
            out.setdefault(name, {})[field] = value
    for name, x in out.items():
        missing = [k for k in EXP_KEYS if k not in x]
        if missing:
            raise ref.ReferenceError_('experiment %s lacks %s in runs.parameters'
                                      % (name, ', '.join(missing)))
    return out


def load_rows(db, query):
    header, rows = ref.psql_query(db, query)
    return [dict(zip(header, r)) for r in rows]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('--run-id', required=True, type=int)
    ap.add_argument('--source-schema', default='voc')
    ap.add_argument('--results-schema', default='vocreport')
    args = ap.parse_args(argv)
    problems = []

    def report(line):
        problems.append(line)
        print(line)

    q = ref.quote_ident
    try:
        run = ref.load_run(args.db, args.results_schema, args.run_id)
        params = ref.resolve_parameters(run)
        raw_params = run['parameters']
        source = ref.load_source(args.db, args.source_schema)
        base, _ = ref.compute_expected(source, run, params)
        kpis = ref.load_kpis(args.db, args.results_schema, args.run_id)
        assignments = load_rows(args.db, 'SELECT experiment, customer_id, arm, assigned_at FROM %s.'
                                'experiment_assignments' % q(args.results_schema))
        # decisions.md "Absent and empty source views": without a cost row
        # nothing that needs program_costs is measured.
        has_costs = 'program_costs' in ref.present_tables(args.db, args.source_schema)
        costs = load_rows(args.db, 'SELECT month, category, amount FROM %s.program_costs'
                          % q(args.source_schema)) if has_costs else []
        cost_gap = None if costs else 'empty_program_costs' if has_costs else 'no_program_costs'
        tags = {int(r['feedback_id']): r['sentiment'] for r in load_rows(
            args.db, 'SELECT feedback_id, sentiment FROM %s.feedback_tags' % q(args.results_schema))}
        experiments = experiments_of(raw_params)
    except ref.ReferenceError_ as e:
        print('reference_experiments: error: %s' % e, file=sys.stderr)
        return 2

    tz = ZoneInfo(params['time_zone'])
    period = ref.period_bounds(params['as_of'], tz, params['period'], params['trailing_days'])
    T, P0 = period['end'], period['start']
    judged = ref.reject_rows(source, run)
    clean = {t: [row for row, reason in judged[t] if reason is None] for t in ref.CHECKED_TABLES}
    paid = [o for o in clean['orders'] if o['status'] == 'paid']
    customers = {r['customer_id'] for r in clean['customers'] if r['customer_id'] is not None}
    population = {r['customer_id'] for r in clean['customers'] if r['customer_id'] is not None
                  and (r['acquired_at'] is None or r['acquired_at'] < period['end_day'])}
    population |= {o['customer_id'] for o in paid if o['ordered_at'] < T}
    events_of, paid_of = {}, {}
    for e in clean['churn_events']:
        events_of.setdefault(e['customer_id'], []).append(e)
    for o in paid:
        paid_of.setdefault(o['customer_id'], []).append(o)
    for c in costs:
        c['month'] = dt.date.fromisoformat(c['month'])
        c['amount'] = Decimal(c['amount'])
    ltv_all = base.value('ltv_all')
    rule, inactive = params['churn_rule'], params['inactive_days'] or 0

    figs = {}
    checked_extra = 0

    def add(code, dims, value, n=None, flag=None):
        if cost_gap and code in COST_FED:
            value, n, flag = None, None, ','.join(f for f in (flag, cost_gap) if f)
        figs[(code, dims)] = (value, n, flag)

    window_start = ref.months_before_end(period, 12)
    benefit, variance, counted_in_window = 0.0, 0.0, 0
    for name, x in sorted(experiments.items()):
        start = dt.date.fromisoformat(x['start'])
        enroll_days, months = int(x['enrollment_days']), int(x['evaluation_window_months'])
        share = float(x['treatment_share'])
        start_at = ref.local_midnight(start, tz)
        enroll_end = ref.local_midnight(start + dt.timedelta(days=enroll_days), tz)
        eval_at = ref.local_midnight(ref.add_months(start + dt.timedelta(days=enroll_days),
                                                    months), tz)
        mine = [a for a in assignments if a['experiment'] == name]
        for a in mine:
            a['customer_id'] = int(a['customer_id'])
            a['assigned_at'] = ref.parse_timestamp(a['assigned_at'])
        # Arms follow the documented formula, whenever they were written.
        checked_extra += 1
        wrong = [a['customer_id'] for a in mine if a['arm'] != arm_of(name, a['customer_id'], share)]
        if wrong:
            report('mismatch: %s arms differ from the md5 formula for %s' % (name, wrong[:10]))
        if T < start_at:
            continue
        dims = 'experiment=%s' % name
        upto = [a for a in mine if a['assigned_at'] <= T]
        if start_at <= T < enroll_end:
            # The risk pool at T, recomputed: every member must be assigned by now.
            lo = shift_local(T, tz, days=int(x['risk_lookback_days']))
            latest = {}
            for r in clean['survey_responses']:
                if r['nps'] is None or not ref.in_window(r['responded_at'], lo, T):
                    continue
                key = (r['responded_at'], r['response_id'])
                if r['customer_id'] not in latest or key > latest[r['customer_id']][0]:
                    latest[r['customer_id']] = (key, r['nps'])
            negative = set()
            for f in clean['feedback']:
                s = f['sentiment'] if f['sentiment'] is not None else tags.get(f['feedback_id'])
                if (f['brand'] is None and f['customer_id'] is not None and s is not None
                        and ref.in_window(f['received_at'], lo, T) and f32(s) < f32('-0.05')):
                    negative.add(f['customer_id'])
            pool = {c for c, (_, nps) in latest.items()
                    if nps <= int(x['nps_max']) and c in negative and c in population}
            assigned = {a['customer_id'] for a in upto}
            checked_extra += 1
            if pool - assigned:
                report('mismatch: %s risk pool at T not assigned: %s'
                       % (name, sorted(pool - assigned)[:10]))
            print('reference_experiments: %s risk pool at T: %d customers' % (name, len(pool)))
        if T < eval_at:
            for arm in ('treatment', 'control'):
                n = sum(1 for a in upto if a['arm'] == arm)
                add('exp.customers', 'arm=%s;%s' % (arm, dims), float(n), n)
            add('exp.status', dims, 0.0, None, 'running')
            continue
        stats = {'treatment': [0, 0], 'control': [0, 0]}
        for a in upto:
            c = a['customer_id']
            e = shift_local(a['assigned_at'], tz, months=months)
            churned = ref.churned_customers(rule, events_of.get(c, []), paid_of.get(c, []), e,
                                            shift_local(e, tz, days=inactive))
            stats[a['arm']][0] += 1
            stats[a['arm']][1] += c in churned
        rates = {}
        for arm, (n, x_) in stats.items():
            rates[arm] = x_ / n if n else None
            add('exp.customers', 'arm=%s;%s' % (arm, dims), float(n), n)
            add('exp.churn_rate', 'arm=%s;%s' % (arm, dims), rates[arm], n)
        (nt, xt), (nc, xc) = stats['treatment'], stats['control']
        diff = lo_ = hi_ = retained = value = None
        se = 0.0
        if nt and nc:
            rt, rc = rates['treatment'], rates['control']
            se = math.sqrt(rc * (1 - rc) / nc + rt * (1 - rt) / nt)
            diff = rc - rt
            lo_, hi_ = diff - 1.96 * se, diff + 1.96 * se
            retained = diff * nt
            value = retained * ltv_all if ltv_all is not None else None
        first = start.replace(day=1)
        cost = float(sum((c['amount'] for c in costs if c['category'] == 'intervention'
                          and c['month'] >= first and ref.local_midnight(c['month'], tz) < eval_at),
                         Decimal(0)))
        add('exp.churn_diff', dims, diff)
        add('exp.ci_low', dims, lo_)
        add('exp.ci_high', dims, hi_)
        add('exp.p_value', dims, two_proportion_p(xc, nc, xt, nt))
        add('exp.retained_customers', dims, retained)
        add('exp.value', dims, value)
        add('exp.cost', dims, cost)
        value_se = se * nt * abs(ltv_all) if ltv_all is not None else 0.0
        roi, roi_lo, roi_hi, unclear = roi_with_interval(value, value_se, cost)
        add('exp.roi', dims, roi, None, 'not_significant' if unclear else None)
        add('exp.roi_low', dims, roi_lo)
        add('exp.roi_high', dims, roi_hi)
        add('exp.status', dims, 1.0, None, 'evaluated')
        # VoC ROI: evaluated, counted, and started (its first cost month) in the window
        if value is not None and x.get('counts_in_roi', 'yes') == 'yes' \
                and ref.local_midnight(first, tz) >= window_start:
            benefit += value
            variance += value_se ** 2
            counted_in_window += 1
    # The programme's cost in the trailing year, on every run, by month and category.
    in_window = [c for c in costs if window_start <= ref.local_midnight(c['month'], tz) < T]
    total = float(sum((c['amount'] for c in in_window if c['amount'] is not None), Decimal(0)))
    add('roi.cost', '', total)
    cells = {}
    for c in in_window:
        key = 'category=%s;month=%s' % (c['category'] or 'unknown', c['month'].replace(day=1))
        cells[key] = cells.get(key, Decimal(0)) + (c['amount'] or Decimal(0))
    for key, amount in cells.items():
        add('roi.cost', key, float(amount))
    last_day = (T.astimezone(tz) - dt.timedelta(days=1)).date()
    checked_extra += 1
    window = '%s/%s' % (window_start.astimezone(tz).date(), last_day)
    if raw_params.get('roi_window') != window:
        report('mismatch: runs.parameters roi_window is %r, expected %r'
               % (raw_params.get('roi_window'), window))
    if experiments:
        cost = total
        none = None if counted_in_window else 'no_evaluated_experiment'
        roi, roi_lo, roi_hi, unclear = roi_with_interval(benefit, math.sqrt(variance), cost)
        add('roi.benefit', '', benefit, None, none)
        add('roi.value', '', roi, None, none or ('not_significant' if unclear else None))
        add('roi.value_low', '', roi_lo if counted_in_window else None, None, none)
        add('roi.value_high', '', roi_hi if counted_in_window else None, None, none)
        checked_extra += 1
        if raw_params.get('roi_benefits') != 'evaluated experiments':
            report('mismatch: runs.parameters roi_benefits is %r' % raw_params.get('roi_benefits'))
        counted = sorted(n for n, x in experiments.items() if x.get('counts_in_roi', 'yes') == 'yes')
        recorded = sorted(v.strip() for v in raw_params.get('roi_experiments', '').split(',')
                          if v.strip() and v.strip() != 'none')
        if counted != recorded:
            report('mismatch: runs.parameters roi_experiments is %r, expected %r'
                   % (raw_params.get('roi_experiments'), ', '.join(counted) or 'none'))

    got = {}
    for code, dims, value, n, flag in kpis:
        if code.startswith('exp.') or code.startswith('roi.'):
            got[(code, dims)] = (value, n, flag)
    for key, (value, n, flag) in sorted(figs.items()):
        code, dims = key
        if key not in got:
            report('missing: %s [%s] (expected %s)' % (code, dims, value))
            continue
        gv, gn, gf = got[key]
        if not ref.values_match(code, value, gv) and not (
                code in MONEY and value is not None and gv is not None
                and abs(value - gv) <= 0.005 + 1e-9):
            report('mismatch: %s [%s] value expected %s, got %s' % (code, dims, value, gv))
        if n is not None and gn != n:
            report('mismatch: %s [%s] n expected %s, got %s' % (code, dims, n, gn))
        if ref.flag_set(flag) != ref.flag_set(gf):
            report('mismatch: %s [%s] flag expected %s, got %s' % (code, dims, flag, gf))
    for key in sorted(set(got) - set(figs)):
        report('unexpected: %s [%s] value %s' % (key[0], key[1], got[key][0]))
    checked = len(figs) + checked_extra
    print('reference_experiments: %d figures checked, %d mismatches' % (checked, len(problems)))
    return 0 if not problems and checked > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
