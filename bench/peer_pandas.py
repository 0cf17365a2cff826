#!/usr/bin/python3
"""The analyst's alternative: survey scores and customer classes in pandas.

An independent implementation, for bench/run.sh, of what an analyst would
write instead of vocreport for a part of its figures: NPS, CSAT and CES of
the period (overall and by touchpoint, channel and segment) and the customer
classes at T (customers, revenue, ARPU, repeat rate, churn rate, LTV per
class), as ../shared/spec/metrics.md and docs/decisions.md define them,
with the rejection rules of docs/decisions.md "Rejected rows" that these
figures depend on.  It reads the source tables whole (psql COPY to CSV),
writes a workbook (openpyxl) and a chart (matplotlib, PNG), and prints every
figure as "code<TAB>dims<TAB>value" so the bench can compare them with the
job's kpi_values.  It shares no code with vocreport or tests/reference.py.

Usage: peer_pandas.py --schema voc --as-of YYYY-MM-DD --time-zone ZONE
                      --out-dir DIR [--started-at ISO-TIME]
Connection: the PG* environment, as for psql.  Period: previous_month;
parameters: the defaults of config/vocreport.ini (segment lookback 12
months, churn rule auto, inactive 180 days, churn floor 0.01, gross
margin auto, max_order_amount 1,000,000).
"""
import argparse
import io
import os
import subprocess
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

LOOKBACK_MONTHS = 12
INACTIVE_DAYS = 180
CHURN_FLOOR = 0.01
MAX_ORDER_AMOUNT = 1_000_000
CLASSES = ['promoter', 'passive', 'detractor', 'none']


def read_table(schema, table, columns):
    """The whole table through psql's COPY, as strings (NULL as NaN)."""
    sql = 'COPY (SELECT %s FROM "%s"."%s") TO STDOUT WITH (FORMAT csv, HEADER true)' % (
        ', '.join(columns), schema, table)
    out = subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql],
                         check=True, stdout=subprocess.PIPE).stdout
    return pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False,
                       na_values=[''])


def row_text(df, columns):
    """The row as PostgreSQL prints a record, for the duplicate tie break:
    (a,b,...) with NULL as nothing; values here have no quotes to add
    except where they contain a comma, a space or a parenthesis."""
    def field(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ''
        s = str(v)
        if s == '' or any(ch in s for ch in ' ,()"\\'):
            return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'
        return s
    return df[columns].astype(object).apply(
        lambda r: '(' + ','.join(field(v) for v in r) + ')', axis=1)


def drop_duplicates(df, key, ts, columns):
    """Keeps the first row per key: earliest ts (NULL last), then the row's
    text in byte order; the rest are duplicate_key rejections.  df holds the
    columns as PostgreSQL printed them; ts is already parsed."""
    dup = df[key].duplicated(keep=False)
    if not dup.any():
        return df
    groups = df[dup].copy()
    groups['_text'] = row_text(groups, columns).map(lambda s: s.encode('utf-8'))
    groups['_null_ts'] = groups[ts].isna()
    groups = groups.sort_values([key, '_null_ts', ts, '_text'], kind='mergesort')
    keep = groups.drop_duplicates(key, keep='first').drop(columns=['_text', '_null_ts'])
    return pd.concat([df[~dup], keep])


NOT_FINITE = {'NaN', 'Infinity', '-Infinity'}


def load(schema, started_at):
    cust_cols = ['customer_id', 'segment', 'region', 'acquired_at']
    cust = read_table(schema, 'customers', cust_cols)
    cust['_key'] = pd.to_numeric(cust['customer_id'])
    cust['_ts'] = pd.to_datetime(cust['acquired_at'])
    cust = drop_duplicates(cust, '_key', '_ts', cust_cols)
    cust = cust.assign(customer_id=cust['_key'], acquired_at=cust['_ts'])
    known = set(cust['customer_id'].dropna())

    def clean_common(df, key, ts, columns):
        df[ts] = pd.to_datetime(df[ts], utc=True)
        if key:
            df['_key'] = pd.to_numeric(df[key])
            df = drop_duplicates(df, '_key', ts, columns)
            df = df.assign(**{key: df['_key']})
        df = df.assign(customer_id=pd.to_numeric(df['customer_id']))
        df = df[df['customer_id'].isin(known)]
        return df[~(df[ts] > started_at)]

    ord_cols = ['order_id', 'customer_id', 'ordered_at', 'amount', 'cost', 'status']
    orders = read_table(schema, 'orders', ord_cols)
    orders = clean_common(orders, 'order_id', 'ordered_at', ord_cols)
    orders = orders[~(orders['amount'].isin(NOT_FINITE) | orders['cost'].isin(NOT_FINITE))]
    orders = orders.assign(amount=pd.to_numeric(orders['amount']),
                           cost=pd.to_numeric(orders['cost']))
    paid = orders['status'] == 'paid'
    orders = orders[~(paid & (orders['amount'] < 0))]
    paid = orders['status'] == 'paid'
    orders = orders[~(paid & (orders['amount'] > MAX_ORDER_AMOUNT))]

    sr_cols = ['response_id', 'customer_id', 'responded_at', 'touchpoint', 'channel', 'nps',
               'csat', 'ces']
    resp = read_table(schema, 'survey_responses', sr_cols)
    resp = clean_common(resp, 'response_id', 'responded_at', sr_cols)
    resp = resp.assign(**{c: pd.to_numeric(resp[c]) for c in ('nps', 'csat', 'ces')})
    bad = ((resp['nps'].notna() & ~resp['nps'].between(0, 10))
           | (resp['csat'].notna() & ~resp['csat'].between(1, 5))
           | (resp['ces'].notna() & ~resp['ces'].between(1, 7)))
    resp = resp[~bad]

    churn = read_table(schema, 'churn_events', ['customer_id', 'churned_at'])
    churn = clean_common(churn, None, 'churned_at', None)
    return cust, orders, resp, churn


def month_start(as_of, months_back, tz):
    day = pd.Timestamp(as_of) - pd.DateOffset(months=months_back)
    return day.tz_localize(tz)


def survey_scores(resp, cust, start, end):
    r = resp[(resp['responded_at'] >= start) & (resp['responded_at'] < end)]
    r = r.merge(cust[['customer_id', 'segment']], on='customer_id', how='inner')
    for c in ('touchpoint', 'channel', 'segment'):
        r[c] = r[c].fillna('unknown')
    figures = []
    groups = [('', None), ('touchpoint', 'touchpoint'), ('channel', 'channel'),
              ('segment', 'segment')]
    for dim, col in groups:
        parts = [('', r)] if col is None else list(r.groupby(col))
        for value, g in parts:
            dims = '' if col is None else '%s=%s' % (dim, value)
            scored = g['nps'].dropna()
            if len(scored):
                nps = 100.0 * ((scored >= 9).sum() - (scored <= 6).sum()) / len(scored)
                figures.append(('nps', dims, nps))
            csat = g['csat'].dropna()
            if len(csat):
                figures.append(('csat', dims, float((csat >= 4).mean())))
            ces = g['ces'].dropna()
            if len(ces):
                figures.append(('ces', dims, float(ces.mean())))
    return figures


def customer_classes(cust, orders, resp, churn, end, tz):
    t_day = end.tz_convert(tz).tz_localize(None).normalize()
    paid = orders[orders['status'] == 'paid']
    paid_before = paid[paid['ordered_at'] < end]
    pop = set(cust.loc[cust['acquired_at'].isna() | (cust['acquired_at'] < t_day),
                       'customer_id'])
    pop |= set(paid_before['customer_id'])
    pop = pd.DataFrame({'customer_id': sorted(pop)})

    look = month_start(end.tz_convert(tz).tz_localize(None), LOOKBACK_MONTHS, tz)
    scored = resp[resp['nps'].notna() & (resp['responded_at'] >= look)
                  & (resp['responded_at'] < end)]
    latest = scored.sort_values(['customer_id', 'responded_at', 'response_id']) \
        .drop_duplicates('customer_id', keep='last')
    latest = latest.assign(cls=np.where(latest['nps'] >= 9, 'promoter',
                                        np.where(latest['nps'] >= 7, 'passive', 'detractor')))
    pop = pop.merge(latest[['customer_id', 'cls']], on='customer_id', how='left')
    pop['cls'] = pop['cls'].fillna('none')

    window = month_start(end.tz_convert(tz).tz_localize(None), 12, tz)
    paid_window = paid_before[paid_before['ordered_at'] >= window]
    rev = paid_window.groupby('customer_id')['amount'].agg(['sum', 'count'])
    pop = pop.merge(rev, left_on='customer_id', right_index=True, how='left')
    pop['sum'] = pop['sum'].fillna(0.0)
    pop['count'] = pop['count'].fillna(0)

    with_cost = paid_window[paid_window['cost'].notna()]
    amount = with_cost['amount'].sum()
    margin = 1.0 - with_cost['cost'].sum() / amount if amount else 1.0

    last_paid = paid_before.groupby('customer_id')['ordered_at'].max()
    if len(churn):
        ev = churn[churn['churned_at'] < end].groupby('customer_id')['churned_at'].max()
        lp = last_paid.reindex(ev.index)
        churned = set(ev.index[lp.isna() | (lp <= ev)])
    else:
        cutoff = end - pd.Timedelta(days=INACTIVE_DAYS)
        churned = set(last_paid.index[last_paid < cutoff])
    pop['churned'] = pop['customer_id'].isin(churned)

    figures = [('gross_margin', '', margin)]
    table = []
    for cls in CLASSES:
        g = pop[pop['cls'] == cls]
        n = len(g)
        revenue = float(g['sum'].sum())
        arpu = revenue / n if n else None
        repeat = float((g['count'] >= 2).mean()) if n else None
        churn_rate = float(g['churned'].mean()) if n else None
        ltv = (arpu * margin / max(churn_rate, CHURN_FLOOR)) if n else None
        dims = 'class=%s' % cls
        for code, v in (('class.customers', n), ('class.revenue', revenue),
                        ('class.arpu', arpu), ('class.repeat_rate', repeat),
                        ('class.churn_rate', churn_rate), ('class.ltv', ltv)):
            if v is not None:
                figures.append((code, dims, float(v)))
        table.append({'class': cls, 'customers': n, 'revenue': revenue, 'arpu': arpu,
                      'repeat_rate': repeat, 'churn_rate': churn_rate, 'ltv': ltv})
    figures.append(('churn_rate', '', float(pop['churned'].mean())))
    return figures, pd.DataFrame(table)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--schema', default='voc')
    ap.add_argument('--as-of', required=True)
    ap.add_argument('--time-zone', required=True)
    ap.add_argument('--out-dir', required=True)
    ap.add_argument('--started-at', help='moment after which rows are future-dated '
                    '(default: now)')
    a = ap.parse_args()
    tz = a.time_zone
    started = pd.Timestamp(a.started_at) if a.started_at else pd.Timestamp.now(tz='UTC')
    if started.tzinfo is None:
        started = started.tz_localize('UTC')
    end = pd.Timestamp(a.as_of).tz_localize(tz)
    start = month_start(pd.Timestamp(a.as_of), 1, tz)

    cust, orders, resp, churn = load(a.schema, started)
    figures = survey_scores(resp, cust, start, end)
    class_figures, classes = customer_classes(cust, orders, resp, churn, end, tz)
    figures += class_figures

    os.makedirs(a.out_dir, exist_ok=True)
    scores = pd.DataFrame(figures, columns=['code', 'dims', 'value'])
    with pd.ExcelWriter(os.path.join(a.out_dir, 'peer.xlsx'), engine='openpyxl') as xw:
        scores.to_excel(xw, sheet_name='Figures', index=False)
        classes.to_excel(xw, sheet_name='Classes', index=False)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(classes['class'], classes['ltv'].fillna(0))
    ax.set_title('LTV per NPS class at %s' % a.as_of)
    fig.tight_layout()
    fig.savefig(os.path.join(a.out_dir, 'peer-ltv.png'), dpi=100)
    for code, dims, value in figures:
        print('%s\t%s\t%.12g' % (code, dims, value))
    return 0


if __name__ == '__main__':
    sys.exit(main())
