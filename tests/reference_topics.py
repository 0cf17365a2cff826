#!/usr/bin/python3
"""Independent reference implementation of the topic, share-of-voice and
root-cause cohort figures of a vocreport run.

Recomputes every topic.*, sov.*, cohort.* and dq.unknown_topic figure of one
run from the raw
source rows, the feedback tags and the taxonomy file, following
docs/decisions.md "Topics, share of voice and root cause", and compares them
with what the C program wrote to <results>.kpi_values. Periods, rejected
rows, churn and ltv_all come from tests/reference.py (imported, not
rewritten); everything else is computed here in plain Python, so that a
mistake in the C program's SQL cannot be repeated by the check.

Usage:
    reference_topics.py --db DB --run-id N --taxonomy FILE
                        [--source-schema voc] [--results-schema vocreport]
                        [--dump] [--expect FILE]

The PG* environment variables choose the server (see scripts/pg.sh env).
Prints one line per mismatch and, last, `reference_topics: N figures
checked, M mismatches`. Exit status 0 only when M is 0 and N > 0; 1 on
mismatches; 2 when the data, the taxonomy or the run row cannot be read.

--expect FILE holds hand-computed `code<TAB>dims<TAB>value` lines; a value
written with d decimals is compared to d decimals (0.0254 matches
0.025395...), one without a decimal point to 1e-6.
"""

import argparse
import configparser
import datetime as dt
import math
import os
import re
import struct
import sys
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402  (tests/reference.py, next to this file)

PREFIXES = ('topic.', 'sov.', 'cohort.', 'dq.unknown_topic')
MONEY_CODES = {'cohort.revenue_at_risk'}
COHORT_CODES = ['cohort.a_customers', 'cohort.b_customers', 'cohort.a_churn_rate',
                'cohort.b_churn_rate', 'cohort.churn_gap', 'cohort.p_value',
                'cohort.lost_customers', 'cohort.revenue_at_risk']


# --------------------------------------------------------------------------
# Sentiment: the contract and feedback_tags store a `real`. The thresholds
# apply to that stored value (a row showing -0.05 is not negative), so
# values and thresholds are both rounded to single precision here, exactly as
# PostgreSQL compares a real with real '-0.05'.
# --------------------------------------------------------------------------

def real(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


NEGATIVE_BELOW = real(-0.05)
POSITIVE_ABOVE = real(0.05)


def parse_real(text):
    return None if text is None else real(float(text))


# --------------------------------------------------------------------------
# Inputs: taxonomy file, feedback tags
# --------------------------------------------------------------------------

LIST_SEPARATORS = re.compile('[,\uff0c\u3001]')


def split_list(value):
    return [item.strip(' \t\r\n\v\f\u3000') for item in LIST_SEPARATORS.split(value)]


def load_taxonomy(path):
    """[(code, dimension, [events], [aliases])] in file order, from [topic.<code>]
    sections."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(';',),
                                       comment_prefixes=(';', '#'), strict=True)
    try:
        with open(path, encoding='utf-8') as f:
            parser.read_file(f)
    except (OSError, configparser.Error, UnicodeDecodeError) as e:
        raise ref.ReferenceError_('cannot read taxonomy %s: %s' % (path, e))
    topics = []
    for section in parser.sections():
        if not section.startswith('topic.'):
            raise ref.ReferenceError_('%s: unexpected section [%s]' % (path, section))
        code = section[len('topic.'):]
        if not re.fullmatch('[a-z0-9_]+', code):
            raise ref.ReferenceError_('%s: invalid topic code %r' % (path, code))
        s = parser[section]
        dimension = s.get('dimension', 'no').strip().lower()
        if dimension not in ('yes', 'no'):
            raise ref.ReferenceError_('%s: [%s] dimension must be yes or no' % (path, section))
        events = []
        for ev in split_list(s['events']) if 'events' in s else []:
            if ev not in events:
                events.append(ev)
        aliases = split_list(s['aliases']) if 'aliases' in s else []
        topics.append((code, dimension == 'yes', events, aliases))
    return topics


def parse_text_array(text):
    """A one-dimensional text[] in PostgreSQL's array literal form."""
    if text is None:
        return None
    if not (text.startswith('{') and text.endswith('}')):
        raise ref.ReferenceError_('cannot read array %r' % text)
    body = text[1:-1]
    items = []
    i = 0
    while i < len(body):
        if body[i] == '"':
            i += 1
            out = []
            while body[i] != '"':
                if body[i] == '\\':
                    i += 1
                out.append(body[i])
                i += 1
            items.append(''.join(out))
            i += 1
        else:
            j = body.find(',', i)
            j = len(body) if j < 0 else j
            word = body[i:j].strip()
            items.append(None if word.upper() == 'NULL' else word)
            i = j
        if i < len(body):
            if body[i] != ',':
                raise ref.ReferenceError_('cannot read array %r' % text)
            i += 1
    return items


def load_tags(db, results_schema):
    """{feedback_id: (topics, sentiment)} from <results>.feedback_tags."""
    header, rows = ref.psql_query(db, 'SELECT * FROM %s.feedback_tags'
                                  % ref.quote_ident(results_schema))
    tags = {}
    for raw in rows:
        row = dict(zip(header, raw))
        tags[int(row['feedback_id'])] = (parse_text_array(row['topics']) or [],
                                         parse_real(row['sentiment']))
    return tags


# --------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------

def history_periods(params, period):
    """The 12 periods ending with the current one, oldest first, as
    (first local day, start, end): reference.py's, shared with the other
    histories."""
    return ref.history_periods(params['period'], period)


# --------------------------------------------------------------------------
# Expected figures
# --------------------------------------------------------------------------

def resolved_feedback(clean_feedback, tags, aliases):
    """Each clean feedback row with its topics and sentiment: the upstream
    topic when set (the taxonomy topic it is an alias of, else the code as
    written), else the tag's topics (each once); the upstream sentiment when
    set, else the tag's."""
    out = []
    for row in clean_feedback:
        tag = tags.get(row['feedback_id'])
        if row['topic'] is not None:
            topics = [aliases.get(row['topic'], row['topic'])]
        else:
            topics = tag[0] if tag else []
        seen = []
        for t in topics:
            if t is not None and t not in seen:
                seen.append(t)
        sentiment = parse_real(row['sentiment'])
        if sentiment is None and tag:
            sentiment = tag[1]
        out.append({'id': row['feedback_id'], 'customer': row['customer_id'],
                    'brand': row['brand'], 'at': row['received_at'], 'topics': seen,
                    'upstream': row['topic'] is not None, 'sentiment': sentiment,
                    'channel': row['channel'], 'body': row['body']})
    return out


def negative(r):
    return r['sentiment'] is not None and r['sentiment'] < NEGATIVE_BELOW


def positive(r):
    return r['sentiment'] is not None and r['sentiment'] > POSITIVE_ABOVE


def population_and_churn(source, run, params, period):
    """Population at T and the customers churned at T, by the rules of
    decisions.md, with reference.py's rejection and churn functions."""
    judged = ref.reject_rows(source, run)
    clean = {t: [row for row, reason in judged[t] if reason is None] for t in ref.CHECKED_TABLES}
    end = period['end']
    customers = {row['customer_id'] for row in clean['customers'] if row['customer_id'] is not None}
    paid = [o for o in clean['orders'] if o['status'] == 'paid']
    population = {row['customer_id'] for row in clean['customers']
                  if row['customer_id'] is not None
                  and (row['acquired_at'] is None or row['acquired_at'] < period['end_day'])}
    population |= {o['customer_id'] for o in paid
                   if o['ordered_at'] is not None and o['ordered_at'] < end}
    population &= customers
    rule = params['churn_rule']
    if params['churn_rule_source'] == 'auto':
        rule = 'explicit' if clean['churn_events'] else 'inactivity'
    inactive_start = None
    if rule == 'inactivity':
        inactive_start = ref.days_before_end(period, params['inactive_days'])
    churned = ref.churned_customers(rule, clean['churn_events'], paid, end, inactive_start)
    return clean, paid, population, churned


def two_proportion_p(x1, n1, x2, n2):
    """Two-sided pooled z-test; None for an empty sample or a pooled rate of 0 or 1."""
    if n1 == 0 or n2 == 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    if pooled <= 0 or pooled >= 1:
        return None
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x1 / n1 - x2 / n2) / se
    return math.erfc(abs(z) / math.sqrt(2))


def compute_topics(source, tags, taxonomy, run, params, period, ltv_all):
    figs = ref.Figures()
    clean, paid, population, churned = population_and_churn(source, run, params, period)
    aliases = {a: code for code, _, _, names in taxonomy for a in names}
    rows = resolved_feedback(clean['feedback'], tags, aliases)

    def in_p(r):
        return ref.in_window(r['at'], period['start'], period['end'])

    def in_q(r):
        return ref.in_window(r['at'], period['prior_start'], period['prior_end'])

    codes = [code for code, _, _, _ in taxonomy]
    topics = set(codes)
    for r in rows:
        if r['upstream'] and (in_p(r) or in_q(r)):
            topics.update(r['topics'])
    own = [r for r in rows if r['brand'] is None]

    # ---- topic figures
    negatives = {}
    for t in topics:
        cur = [r for r in own if t in r['topics'] and in_p(r)]
        neg = sum(1 for r in cur if negative(r))
        prior = sum(1 for r in own if t in r['topics'] and in_q(r) and negative(r))
        negatives[t] = neg
        dims = ref.dims_of(topic=t)
        figs.add('topic.mentions', dims, len(cur), len(cur))
        figs.add('topic.negative', dims, neg, len(cur))
        figs.add('topic.negative_prior', dims, prior)
        change = None if prior == 0 else (neg - prior) / prior
        figs.add('topic.negative_change', dims, change)
        if change is None:
            trend, word = (0, 'steady') if neg == 0 and prior == 0 else (None, 'new')
        elif change > 0.10:
            trend, word = 1, 'worsening'
        elif change < -0.10:
            trend, word = -1, 'improving'
        else:
            trend, word = 0, 'steady'
        figs.add('topic.trend', dims, trend, None, [word])
        scored = [r['sentiment'] for r in cur if r['sentiment'] is not None]
        score = 50 * (1 + sum(scored) / len(scored)) if scored else None
        figs.add('topic.sentiment_score', dims, score, len(scored))
    order = sorted(topics, key=lambda t: (-negatives[t], t.encode('utf-8', 'surrogateescape')))
    for rank, t in enumerate(order, 1):
        figs.add('topic.rank', ref.dims_of(topic=t), rank)

    # ---- negative history
    for first_day, lo, hi in history_periods(params, period):
        for t in topics:
            n = sum(1 for r in own if t in r['topics'] and negative(r)
                    and ref.in_window(r['at'], lo, hi))
            figs.add('topic.negative_history',
                     ref.dims_of(period=first_day.isoformat(), topic=t), n)

    # ---- share of voice: own, and every competitor seen in the period
    brands = {None} | {r['brand'] for r in rows if r['brand'] is not None and in_p(r)}
    for code, dimension, _, _ in taxonomy:
        if not dimension:
            continue
        pos = {}
        for r in rows:
            if in_p(r) and code in r['topics'] and positive(r):
                pos[r['brand']] = pos.get(r['brand'], 0) + 1
        total = sum(pos.values())
        for b in brands:
            figs.add('sov.share', ref.dims_of(brand='own' if b is None else b, dimension=code),
                     ref.share(pos.get(b, 0), total), total)

    # ---- what no topic matched, and the upstream codes no topic claims
    unread_groups = {'': [0, 0]}
    for r in own:
        if not in_p(r):
            continue
        language = 'zh' if any(ref.is_cjk(ch) for ch in r['body']) else 'en'
        channel = 'unknown' if r['channel'] is None else r['channel']
        for dims in ('', ref.dims_of(channel=channel), ref.dims_of(language=language)):
            group = unread_groups.setdefault(dims, [0, 0])
            group[0] += not r['topics']
            group[1] += 1
    for dims, (unread, total) in unread_groups.items():
        figs.add('topic.uncategorised_share', dims, ref.share(unread, total), total)
    for t in topics - set(codes):
        figs.add('dq.unknown_topic', ref.dims_of(topic=t),
                 sum(1 for r in rows if r['upstream'] and t in r['topics'] and in_p(r)))

    # ---- cohorts: every topic of the run, events only for taxonomy topics
    lo = ref.months_before_end(period, params['cohort_window_months'])
    hi = ref.months_before_end(period, params['outcome_gap_months'])
    buyers = {o['customer_id'] for o in paid if ref.in_window(o['ordered_at'], lo, hi)}
    buyers &= population
    min_sample = params['min_sample']
    events_of = {code: events for code, _, events, _ in taxonomy}
    for code in sorted(topics):
        events = events_of.get(code, [])
        exposed = {r['customer'] for r in own
                   if code in r['topics'] and negative(r) and ref.in_window(r['at'], lo, hi)}
        exposed |= {e['customer_id'] for e in clean['customer_events']
                    if e['event'] in events and ref.in_window(e['occurred_at'], lo, hi)}
        a = exposed & population
        b = buyers - a
        a_churned, b_churned = len(a & churned), len(b & churned)
        a_rate, b_rate = ref.share(a_churned, len(a)), ref.share(b_churned, len(b))
        gap = None if a_rate is None or b_rate is None else a_rate - b_rate
        p = two_proportion_p(a_churned, len(a), b_churned, len(b))
        lost = None if gap is None else max(gap, 0.0) * len(a)
        risk = None if lost is None or ltv_all is None else lost * ltv_all
        low = ['low_sample'] if len(a) < min_sample else []
        sig = ['significant'] if p is not None and p < 0.05 else []
        dims = ref.dims_of(topic=code)
        figs.add('cohort.a_customers', dims, len(a), None, low)
        figs.add('cohort.b_customers', dims, len(b), None, low)
        figs.add('cohort.a_churn_rate', dims, a_rate, len(a), low)
        figs.add('cohort.b_churn_rate', dims, b_rate, len(b), low)
        figs.add('cohort.churn_gap', dims, gap, None, low)
        figs.add('cohort.p_value', dims, p, None, low + sig)
        figs.add('cohort.lost_customers', dims, lost, None, low)
        figs.add('cohort.revenue_at_risk', dims, risk, None, low)
    return figs


# --------------------------------------------------------------------------
# Comparison. Unlike reference.py, a figure decisions.md gives no n for
# must have n NULL in kpi_values.
# --------------------------------------------------------------------------

def values_match(code, expected, got, decimals=None):
    if expected is None or got is None:
        return expected is None and got is None
    if math.isnan(expected) or math.isnan(got):
        return False
    if decimals:
        return abs(expected - got) <= 0.5 * 10 ** -decimals + 1e-9
    if code in MONEY_CODES:
        return abs(expected - got) <= 0.005 + 1e-9
    return math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-6)


def ours(code):
    return code.startswith(PREFIXES)


def compare(figs, kpis, report):
    got = {}
    for code, dims, value, n, flag in kpis:
        if not ours(code):
            continue
        if (code, dims) in got:
            report('duplicate: %s appears more than once in kpi_values' % ref.show_key(code, dims))
            continue
        got[(code, dims)] = (value, n, flag)
    checked = 0
    for (code, dims), exp in sorted(figs.items.items()):
        checked += 1
        if (code, dims) not in got:
            report('missing: %s (expected value %s, n %s)'
                   % (ref.show_key(code, dims), ref.fmt(exp['value']), ref.fmt(exp['n'])))
            continue
        value, n, flag = got[(code, dims)]
        if not values_match(code, exp['value'], value):
            report('mismatch: %s value expected %s, got %s'
                   % (ref.show_key(code, dims), ref.fmt(exp['value']), ref.fmt(value)))
        if n != exp['n']:
            report('mismatch: %s n expected %s, got %s'
                   % (ref.show_key(code, dims), ref.fmt(exp['n']), ref.fmt(n)))
        if ref.flag_set(flag) != exp['flags']:
            report('mismatch: %s flag expected %s, got %s'
                   % (ref.show_key(code, dims), ','.join(sorted(exp['flags'])) or 'NULL',
                      ref.fmt(flag)))
    for (code, dims), (value, _, _) in sorted(got.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if (code, dims) not in figs.items:
            report('unexpected: %s value %s is not an expected figure'
                   % (ref.show_key(code, dims), ref.fmt(value)))
    return checked


def check_expect_file(path, figs, report):
    checked = 0
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) != 3:
                raise ref.ReferenceError_('%s:%d: expected code<TAB>dims<TAB>value'
                                          % (path, number))
            code, dims, text = parts
            value = None if text == 'NULL' else float(text)
            decimals = len(text.split('.')[1]) if '.' in text else None
            checked += 1
            if (code, dims) not in figs.items:
                report('expect: %s:%d %s is not a figure the reference computes'
                       % (path, number, ref.show_key(code, dims)))
            elif not values_match(code, value, figs.items[(code, dims)]['value'], decimals):
                report('expect: %s:%d %s hand value %s, reference computes %s'
                       % (path, number, ref.show_key(code, dims), text,
                          ref.fmt(figs.items[(code, dims)]['value'])))
    return checked


def main(argv=None):
    ap = argparse.ArgumentParser(description='Recompute the topic, share-of-voice and cohort '
                                             'figures of a vocreport run.')
    ap.add_argument('--db', required=True, help='database name (PG* variables give the server)')
    ap.add_argument('--run-id', required=True, type=int)
    ap.add_argument('--taxonomy', required=True, help='the taxonomy file the run used')
    ap.add_argument('--source-schema', default='voc')
    ap.add_argument('--results-schema', default='vocreport')
    ap.add_argument('--dump', action='store_true',
                    help='print every expected figure as TSV before comparing')
    ap.add_argument('--expect', metavar='FILE',
                    help='also check hand-computed code<TAB>dims<TAB>value lines')
    args = ap.parse_args(argv)

    mismatches = []

    def report(line):
        mismatches.append(line)
        print(line)

    try:
        taxonomy = load_taxonomy(args.taxonomy)
        run = ref.load_run(args.db, args.results_schema, args.run_id)
        params = ref.resolve_parameters(run)
        p = run['parameters']
        params['cohort_window_months'] = ref.param(p, 'cohort_window_months', int)
        params['outcome_gap_months'] = ref.param(p, 'outcome_gap_months', int)
        source = ref.load_source(args.db, args.source_schema)
        tags = load_tags(args.db, args.results_schema)
        period = ref.period_bounds(params['as_of'], ZoneInfo(params['time_zone']),
                                   params['period'], params['trailing_days'])
        base, _ = ref.compute_expected(source, run, params)
        figs = compute_topics(source, tags, taxonomy, run, params, period,
                              base.value('ltv_all'))
        kpis = ref.load_kpis(args.db, args.results_schema, args.run_id)
    except ref.ReferenceError_ as e:
        print('reference_topics: error: %s' % e, file=sys.stderr)
        return 2

    if run['status'] != 'succeeded':
        print('reference_topics: note: run %d has status %s' % (args.run_id, run['status']),
              file=sys.stderr)
    if args.dump:
        ref.dump(figs, sys.stdout)
    checked = 0
    if args.expect:
        try:
            checked += check_expect_file(args.expect, figs, report)
        except (OSError, ref.ReferenceError_, ValueError) as e:
            print('reference_topics: error: %s' % e, file=sys.stderr)
            return 2
    checked += compare(figs, kpis, report)
    print('reference_topics: %d figures checked, %d mismatches' % (checked, len(mismatches)))
    return 0 if not mismatches and checked > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
