#!/usr/bin/python3
"""Independent reference implementation of the vocreport figures.

The C program computes its figures in SQL and C; this script recomputes the
same figures from the raw source rows with nothing but Python's standard
library, following docs/decisions.md and shared/spec/metrics.md, and compares
them with what the C program wrote to <results>.kpi_values for one run.

Only plain `SELECT * FROM voc.<table>` is sent to the database for the
source data: deduplication, rejection, periods, classes, churn and every
aggregate are computed here, so that a mistake in the C program's SQL cannot
be repeated by the check.

Usage:
    reference.py --db DB --run-id N [--source-schema voc]
                 [--results-schema vocreport] [--dump] [--expect FILE]

The PG* environment variables choose the server (see scripts/pg.sh env).
Prints one line per mismatch and, last, `reference: N figures checked,
M mismatches`. Exit status 0 only when M is 0 and N > 0; 1 on mismatches;
2 when the data cannot be read or the run row is unusable.

The module is importable: period_bounds(), local_midnight(), add_months(),
the metric arithmetic (nps_value(), nps_moe(), ...) and compute_expected()
can be reused by unit-style checks.
"""

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


class ReferenceError_(Exception):
    """Data or run row that cannot be checked at all (exit status 2)."""


# --------------------------------------------------------------------------
# Reading from PostgreSQL
#
# psql --csv cannot tell a NULL from an empty string (both print as an empty
# field), and that difference matters here (an empty `dims` is '' and must
# not be NULL; an empty feedback body is '' or NULL). COPY's text format
# marks NULL as \N, so every query goes through
# `COPY (SELECT ...) TO STDOUT` with psql. The session is pinned to UTC and
# ISO dates so that timestamps parse the same way on every machine.
# --------------------------------------------------------------------------

def quote_ident(name):
    """SQL identifier quoting, so a schema name from the command line is safe."""
    return '"' + name.replace('"', '""') + '"'


def unescape_copy_field(field):
    """Turns one field of COPY's text format into its text value (None = NULL)."""
    if field == '\\N':
        return None
    if '\\' not in field:
        return field
    escapes = {'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v'}
    out = []
    i = 0
    while i < len(field):
        ch = field[i]
        if ch == '\\' and i + 1 < len(field):
            nxt = field[i + 1]
            # COPY TO only writes the escapes above and \\; any other
            # backslash pair means the character itself.
            out.append(escapes.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return ''.join(out)


def psql_query(db, query):
    """Runs one SELECT through psql and returns (column names, rows of text values).

    Invalid UTF-8 (only possible in a SQL_ASCII database) survives as
    surrogate escapes, so that it can be recognised as `invalid_utf8`.
    """
    env = dict(os.environ, PGTZ='UTC', PGDATESTYLE='ISO, MDY', PGCLIENTENCODING='UTF8')
    sql = 'COPY (' + query + ') TO STDOUT WITH (FORMAT text, HEADER true)'
    proc = subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql],
                          env=env, capture_output=True)
    if proc.returncode != 0:
        raise ReferenceError_('psql failed for %s: %s'
                              % (query, proc.stderr.decode('utf-8', 'replace').strip()))
    text = proc.stdout.decode('utf-8', 'surrogateescape')
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines:
        raise ReferenceError_('psql returned no header for %s' % query)
    header = [unescape_copy_field(f) for f in lines[0].split('\t')]
    rows = [[unescape_copy_field(f) for f in line.split('\t')] for line in lines[1:]]
    return header, rows


# [database] source_time_zone as the run recorded it (runs.parameters): the
# zone a source time without one was written in.  Set by load_run(), before
# the source is read; None: such a time is an error, as the contract says.
SOURCE_TIME_ZONE = None


def local_instant(naive, tz):
    """A local time without zone as PostgreSQL's `timestamp AT TIME ZONE tz`
    reads it: in a DST gap or overlap the smaller UTC offset, i.e. the later
    instant (see local_midnight)."""
    candidates = [naive.replace(tzinfo=tz, fold=fold) for fold in (0, 1)]
    return max(c.astimezone(UTC) for c in candidates)


def parse_timestamp(text):
    """timestamptz text as printed with TimeZone=UTC and DateStyle=ISO; a
    time without zone (or a date) is read in SOURCE_TIME_ZONE."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ReferenceError_('cannot read timestamp %r' % text)
    if value.tzinfo is None:
        if SOURCE_TIME_ZONE is None:
            raise ReferenceError_('timestamp without time zone: %r' % text)
        return local_instant(value, ZoneInfo(SOURCE_TIME_ZONE))
    return value.astimezone(UTC)


def parse_date(text):
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReferenceError_('cannot read date %r' % text)


def parse_int(text):
    return None if text is None else int(text)


def parse_decimal(text):
    # Decimal keeps money exact; scores are read the same way so that a view
    # with a wider numeric type still compares correctly with the scales.
    return None if text is None else Decimal(text)


def parse_text(text):
    return text


# The contract's columns and how to read them. Columns a view adds beyond
# these are kept as text (they still take part in the row's text form).
SOURCE_COLUMNS = {
    'customers': {'customer_id': parse_int, 'segment': parse_text, 'region': parse_text,
                  'acquired_at': parse_date},
    'orders': {'order_id': parse_int, 'customer_id': parse_int, 'ordered_at': parse_timestamp,
               'amount': parse_decimal, 'cost': parse_decimal, 'status': parse_text},
    'churn_events': {'customer_id': parse_int, 'churned_at': parse_timestamp},
    'survey_responses': {'response_id': parse_int, 'customer_id': parse_int,
                         'responded_at': parse_timestamp, 'touchpoint': parse_text,
                         'channel': parse_text, 'nps': parse_decimal, 'csat': parse_decimal,
                         'ces': parse_decimal},
    'feedback': {'feedback_id': parse_int, 'customer_id': parse_int, 'response_id': parse_int,
                 'received_at': parse_timestamp, 'channel': parse_text, 'brand': parse_text,
                 'body': parse_text, 'topic': parse_text, 'sentiment': parse_text},
    'customer_events': {'customer_id': parse_int, 'occurred_at': parse_timestamp,
                        'event': parse_text},
    'cases': {'case_id': parse_int, 'customer_id': parse_int, 'feedback_id': parse_int,
              'department': parse_text, 'priority': parse_text, 'opened_at': parse_timestamp,
              'first_response_at': parse_timestamp, 'closed_at': parse_timestamp,
              'root_cause': parse_text},
}

# The 7 tables with row rules, in the order they are reported.
CHECKED_TABLES = ['customers', 'orders', 'churn_events', 'survey_responses', 'feedback',
                  'customer_events', 'cases']


def record_text(fields):
    """The row's text form as PostgreSQL's record output writes it: `(a,b,...)`.

    decisions.md breaks ties between duplicate keys "by the row's text form
    in byte order"; this rebuilds that text from the column texts (rules of
    record_out: NULL is empty, a value is double-quoted when it is empty or
    holds a quote, backslash, parenthesis, comma or white space, and quotes
    and backslashes inside are doubled).
    """
    parts = []
    for value in fields:
        if value is None:
            parts.append('')
            continue
        needs_quotes = value == '' or any(
            ch in '"\\(),' or ch in ' \t\n\r\v\f' for ch in value)
        body = value.replace('\\', '\\\\').replace('"', '""')
        parts.append('"' + body + '"' if needs_quotes else body)
    return '(' + ','.join(parts) + ')'


def load_table(db, schema, table):
    """All rows of one source table as dicts; '_text' holds the row's text form."""
    header, raw_rows = psql_query(db, 'SELECT * FROM %s.%s' % (quote_ident(schema),
                                                              quote_ident(table)))
    columns = SOURCE_COLUMNS[table]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ReferenceError_('%s.%s lacks column(s) %s' % (schema, table, ', '.join(missing)))
    rows = []
    for raw in raw_rows:
        row = {}
        for name, text in zip(header, raw):
            row[name] = columns.get(name, parse_text)(text)
        row['_text'] = record_text(raw)
        rows.append(row)
    return rows


# data-contract.md "Which tables a company must have": every other view may
# be absent.
REQUIRED_TABLES = {'customers', 'survey_responses'}


def present_tables(db, schema):
    """Names of the relations (tables, views) in the schema."""
    _, rows = psql_query(db, "SELECT table_name FROM information_schema.tables "
                             "WHERE table_schema = '%s'" % schema.replace("'", "''"))
    return {row[0] for row in rows}


def load_source(db, schema):
    """The checked tables; a view the company does not have reads as no rows
    and is listed in source['_absent']."""
    present = present_tables(db, schema)
    missing = [t for t in CHECKED_TABLES if t in REQUIRED_TABLES and t not in present]
    if missing:
        raise ReferenceError_('required view(s) %s missing in %s' % (', '.join(missing), schema))
    source = {table: load_table(db, schema, table) if table in present else []
              for table in CHECKED_TABLES}
    source['_absent'] = {t for t in CHECKED_TABLES if t not in present}
    # Only its months matter here: period = all starts no later than them.
    if 'program_costs' in present:
        _, rows = psql_query(db, 'SELECT month FROM %s.program_costs' % quote_ident(schema))
        source['program_costs'] = [{'month': parse_date(month)} for (month,) in rows]
    else:
        source['program_costs'] = []
    return source


def load_run(db, results_schema, run_id):
    header, rows = psql_query(db, 'SELECT * FROM %s.runs WHERE run_id = %d'
                              % (quote_ident(results_schema), run_id))
    if len(rows) != 1:
        raise ReferenceError_('run %d: %d rows in %s.runs' % (run_id, len(rows), results_schema))
    raw = dict(zip(header, rows[0]))
    run = {
        'run_id': int(raw['run_id']),
        'job': raw.get('job'),
        'status': raw.get('status'),
        'time_zone': raw.get('time_zone'),
        'parameters': json.loads(raw['parameters']) if raw.get('parameters') else {},
    }
    for name in ('as_of', 'period_start', 'period_end', 'prior_start', 'prior_end', 'started_at'):
        run[name] = parse_timestamp(raw.get(name))
    # The zone the run read source times without one in (contract check).
    global SOURCE_TIME_ZONE
    SOURCE_TIME_ZONE = run['parameters'].get('source_time_zone')
    if run['started_at'] is None:
        # the cut-off for future-dated rows; nothing can be checked without it
        raise ReferenceError_('run %d has no started_at' % run_id)
    return run


def load_kpis(db, results_schema, run_id):
    """kpi_values of the run as a list of (code, dims, value, n, flag)."""
    _, rows = psql_query(db, 'SELECT code, dims, value, n, flag FROM %s.kpi_values '
                             'WHERE run_id = %d' % (quote_ident(results_schema), run_id))
    out = []
    for code, dims, value, n, flag in rows:
        out.append((code, dims, None if value is None else float(value),
                    None if n is None else int(n), flag))
    return out


# --------------------------------------------------------------------------
# Periods (decisions.md "Periods and the as-of cut-off")
#
# Day and month arithmetic is done on local calendar dates; only then is a
# local midnight turned into an instant.
# --------------------------------------------------------------------------

def local_midnight(day, tz):
    """The instant of 00:00 local time on `day` in zone `tz`, as UTC.

    Where midnight falls in a DST gap or overlap (zones with midnight
    transitions), PostgreSQL's `timestamp AT TIME ZONE` picks the smaller UTC
    offset, i.e. the later instant, in both cases; do the same so that the
    check agrees with a C program that converts in SQL.
    """
    candidates = [dt.datetime(day.year, day.month, day.day, tzinfo=tz, fold=fold)
                  for fold in (0, 1)]
    return max(c.astimezone(UTC) for c in candidates)


def add_months(day, months):
    """Calendar month arithmetic, clamping to the month's last day as
    PostgreSQL's `date - interval '1 month'` does (31 March - 1 month = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_first - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


# period = all: the dated columns of the tables whose rows a period counts.
ALL_START_COLUMNS = {'survey_responses': 'responded_at', 'feedback': 'received_at',
                     'cases': 'opened_at', 'orders': 'ordered_at', 'churn_events': 'churned_at',
                     'customer_events': 'occurred_at'}


def all_start_day(source, as_of_date, tz):
    """First local day of period = all: the day of the earliest dated row
    before the as-of in any of those tables or program_costs, clean or not,
    and at the latest the day before the as-of (decisions.md)."""
    a = local_midnight(as_of_date, tz)
    days = [as_of_date - dt.timedelta(days=1)]
    for table, column in ALL_START_COLUMNS.items():
        days += [row[column].astimezone(tz).date() for row in source[table]
                 if row[column] is not None and row[column] < a]
    days += [row['month'] for row in source['program_costs']
             if row['month'] is not None and row['month'] < as_of_date]
    return min(days)


def period_bounds(as_of_date, time_zone, rule, trailing_days=None, range_days=None,
                  all_start=None):
    """Report and prior period for an as-of date, per decisions.md.

    Returns a dict of instants (UTC): as_of (A), start, end (T), prior_start,
    prior_end (None without a prior period), and the local date of T as
    end_day (the base of every "trailing" window).  Rule 'range' needs
    range_days = (first day, last day), both included (the as-of is the day
    after the last); rule 'all' needs its first day, all_start (see
    all_start_day()).
    """
    tz = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    d = as_of_date
    if rule == 'range':
        if range_days is None:
            raise ReferenceError_('period range needs its first and last day')
        start_day, end_day = range_days[0], range_days[1] + dt.timedelta(days=1)
        if end_day != d:
            raise ReferenceError_('range ending %s has as-of %s, not the day after'
                                  % (range_days[1], d))
        length = end_day - start_day
        prior_start_day, prior_end_day = start_day - length, start_day
    elif rule == 'all':
        if all_start is None:
            raise ReferenceError_('period all needs its first day')
        end_day, start_day = d, all_start
        prior_start_day = prior_end_day = None
    elif rule == 'previous_month':
        end_day = d.replace(day=1)
        start_day = add_months(end_day, -1)
        prior_start_day, prior_end_day = add_months(start_day, -1), start_day
    elif rule == 'month_to_date':
        end_day = d
        start_day = (d - dt.timedelta(days=1)).replace(day=1)
        # "the same span one calendar month earlier"
        prior_start_day, prior_end_day = add_months(start_day, -1), add_months(end_day, -1)
    elif rule == 'previous_week':
        end_day = d - dt.timedelta(days=d.weekday())  # Monday of D's ISO week
        start_day = end_day - dt.timedelta(days=7)
        prior_start_day, prior_end_day = start_day - dt.timedelta(days=7), start_day
    elif rule == 'trailing_days':
        if trailing_days is None or trailing_days < 1:
            raise ReferenceError_('period trailing_days needs trailing_days >= 1')
        end_day = d
        start_day = d - dt.timedelta(days=trailing_days)
        prior_start_day = start_day - dt.timedelta(days=trailing_days)
        prior_end_day = start_day
    else:
        raise ReferenceError_('unknown period rule %r' % rule)
    return {
        'as_of': local_midnight(d, tz),
        'start': local_midnight(start_day, tz),
        'end': local_midnight(end_day, tz),
        'prior_start': local_midnight(prior_start_day, tz) if prior_start_day is not None else None,
        'prior_end': local_midnight(prior_end_day, tz) if prior_end_day is not None else None,
        'end_day': end_day,
        'tz': tz,
    }


HISTORY_PERIODS = 12


def history_periods(rule, period, count=HISTORY_PERIODS):
    """The periods of the histories, oldest first, as (first local day,
    start, end): the run's own and count - 1 before it (decisions.md
    "Histories by period").  Month rules step by calendar month, the others
    (ranges too) by the period's length in local days, each from the run's
    own bounds; without a prior period (period = all) there is only the
    run's own."""
    tz = period['tz']
    start_day = period['start'].astimezone(tz).date()
    end_day = period['end_day']
    out = []
    for k in range(count - 1 if period['prior_start'] is not None else 0, -1, -1):
        if rule in ('previous_month', 'month_to_date'):
            lo, hi = add_months(start_day, -k), add_months(end_day, -k)
        else:
            step = dt.timedelta(days=k * (end_day - start_day).days)
            lo, hi = start_day - step, end_day - step
        out.append((lo, local_midnight(lo, tz), local_midnight(hi, tz)))
    return out


def months_before_end(period, months):
    """[T - months, T) starts here: local month arithmetic on T's date."""
    return local_midnight(add_months(period['end_day'], -months), period['tz'])


def days_before_end(period, days):
    return local_midnight(period['end_day'] - dt.timedelta(days=days), period['tz'])


def in_window(ts, lo, hi):
    return ts is not None and lo <= ts < hi


# --------------------------------------------------------------------------
# Rejected rows (decisions.md "Rejected rows"): at most one reason a row, the
# first that applies.
# --------------------------------------------------------------------------

# table -> (primary key, timestamp that ranks duplicates)
DUPLICATE_KEYS = {
    'customers': ('customer_id', 'acquired_at'),
    'orders': ('order_id', 'ordered_at'),
    'survey_responses': ('response_id', 'responded_at'),
    'feedback': ('feedback_id', 'received_at'),
    'cases': ('case_id', 'opened_at'),
}
# table -> the timestamp checked for future_dated (customers has none)
ROW_TIMESTAMPS = {
    'orders': 'ordered_at',
    'churn_events': 'churned_at',
    'survey_responses': 'responded_at',
    'feedback': 'received_at',
    'customer_events': 'occurred_at',
    'cases': 'opened_at',
}
SCALES = {'nps': (0, 10), 'csat': (1, 5), 'ces': (1, 7)}


def duplicate_losers(rows, key, ts_column):
    """ids (Python id()) of rows that lose the duplicate-key ranking.

    Rank within a key: timestamp ascending with NULLs last, ties by the row's
    text form compared as UTF-8 bytes. Rows with a NULL key are grouped
    together like PARTITION BY does (an assumption; the contract's keys are
    never NULL).
    """
    groups = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    losers = set()
    for group in groups.values():
        if len(group) < 2:
            continue

        def rank(row):
            text = row['_text'].encode('utf-8', 'surrogateescape')
            ts = row[ts_column]
            return (1, text) if ts is None else (0, ts, text)

        for row in sorted(group, key=rank)[1:]:
            losers.add(id(row))
    return losers


def has_invalid_utf8(text):
    # bytes that were not UTF-8 arrive as surrogate escapes (see psql_query)
    return any('\udc80' <= ch <= '\udcff' for ch in text)


def reject_rows(source, run):
    """Returns {table: [(row, reason or None), ...]} in source order, for the
    run's start (future_dated) and its max_order_amount (implausible_amount;
    absent in runs older than the parameter, 0: no limit)."""
    result = {}
    started_at = run['started_at']
    limit = param(run['parameters'], 'max_order_amount', Decimal, required=False) or 0

    customer_losers = duplicate_losers(source['customers'], 'customer_id', 'acquired_at')
    kept_customers = {row['customer_id'] for row in source['customers']
                      if id(row) not in customer_losers and row['customer_id'] is not None}

    for table in CHECKED_TABLES:
        rows = source[table]
        losers = set()
        if table in DUPLICATE_KEYS:
            losers = duplicate_losers(rows, *DUPLICATE_KEYS[table])
        judged = []
        for row in rows:
            judged.append((row, row_reason(table, row, losers, kept_customers, started_at,
                                           limit)))
        result[table] = judged
    return result


def row_reason(table, row, losers, kept_customers, started_at, max_order_amount):
    if id(row) in losers:
        return 'duplicate_key'
    if table == 'customers':
        return None  # customers are only checked for duplicates
    customer = row['customer_id']
    if table == 'feedback':
        if customer is not None and customer not in kept_customers:
            return 'orphan'  # NULL is a public post, allowed
    elif customer is None or customer not in kept_customers:
        return 'orphan'
    ts = row[ROW_TIMESTAMPS[table]]
    if ts is not None and ts > started_at:
        return 'future_dated'
    if table == 'survey_responses':
        for score, (low, high) in SCALES.items():
            # NaN or Infinity (a numeric view column) is on no scale
            if row[score] is not None and not (row[score].is_finite()
                                               and low <= row[score] <= high):
                return 'out_of_scale'
    if table == 'orders':
        if any(row[c] is not None and not row[c].is_finite() for c in ('amount', 'cost')):
            return 'not_finite'
        if row['status'] == 'paid' and row['amount'] is not None and row['amount'] < 0:
            return 'negative_amount'
        if row['status'] == 'paid' and max_order_amount > 0 and row['amount'] is not None \
                and row['amount'] > max_order_amount:
            return 'implausible_amount'
    if table == 'feedback':
        # float() reads PostgreSQL's NaN, Infinity and -Infinity; a comparison
        # with NaN is false, so NaN is outside -1..1 as well
        if row['sentiment'] is not None and not -1 <= float(row['sentiment']) <= 1:
            return 'invalid_sentiment'
        body = row['body']
        # "only white space": any Unicode white space (str.isspace), so a
        # body of ideographic spaces is empty too.
        if body is None or body.strip() == '':
            return 'empty_body'
        if has_invalid_utf8(body):
            return 'invalid_utf8'
        if not has_words(body):
            return NO_TEXT  # not a rejection: see compute_expected
        if not in_known_language(body):
            return 'unknown_language'
    return None


# A body without words: kept out of the text figures, not rejected.
NO_TEXT = 'no_text'


def has_words(text):
    """data-contract.md: "10", ".", an emoji or one letter hold no words.
    decisions.md: two letters of any script (str.isalpha: Unicode letters),
    or one Chinese character (a word on its own)."""
    letters = 0
    for ch in text:
        if is_cjk(ch):
            return True
        if ch.isalpha():
            letters += 1
            if letters >= 2:
                return True
    return False


def is_cjk(ch):
    cp = ord(ch)
    return (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x2FA1F)


def in_known_language(text):
    """decisions.md: a Chinese character, or at least two Latin letters."""
    latin = 0
    for ch in text:
        if ('a' <= ch <= 'z') or ('A' <= ch <= 'Z'):
            latin += 1
            if latin >= 2:
                return True
        if is_cjk(ch):
            return True
    return False


# --------------------------------------------------------------------------
# Metric arithmetic (metrics.md), kept in small functions for reuse.
# --------------------------------------------------------------------------

def nps_class(score):
    """promoter 9-10, passive 7-8, detractor 0-6."""
    if score >= 9:
        return 'promoter'
    if score >= 7:
        return 'passive'
    return 'detractor'


def nps_value(promoters, detractors, n):
    """100 × (promoters − detractors) / scored; NULL without a scored response."""
    if n == 0:
        return None
    return 100.0 * (promoters - detractors) / n


def nps_moe(promoters, detractors, n):
    """100 × 1.96 × sqrt((p + d − (p − d)²) / n) with p, d the shares."""
    if n == 0:
        return None
    p = promoters / n
    d = detractors / n
    # p + d - (p - d)^2 is >= 0 in exact arithmetic; guard a rounding -0.0
    variance = max(0.0, p + d - (p - d) ** 2)
    return 100.0 * 1.96 * math.sqrt(variance / n)


def top2box(top, n):
    return None if n == 0 else top / n


def mean(total, n):
    return None if n == 0 else float(total) / n


def share(part, whole):
    return None if whole == 0 else part / whole


def ltv(arpu, gross_margin, churn_rate, churn_floor):
    """arpu × gross_margin / max(churn_rate, churn_floor); NULL with NULL inputs."""
    if arpu is None or churn_rate is None:
        return None
    return arpu * gross_margin / max(churn_rate, churn_floor)


def ratio(promoter_value, detractor_value):
    """promoter / detractor; NULL when either is NULL or the detractor value is 0."""
    if promoter_value is None or detractor_value is None or detractor_value == 0:
        return None
    return promoter_value / detractor_value


def shift_gain(shift_pct, detractor_customers, passive_value, detractor_value):
    """shift_pct × detractors × (passive − detractor); NULL when either value is."""
    if passive_value is None or detractor_value is None:
        return None
    return shift_pct * detractor_customers * (passive_value - detractor_value)


def auto_gross_margin(paid_orders_in_window):
    """1 − sum(cost)/sum(amount) over clean paid orders with a cost; 1.0 if none
    or their amount sums to 0."""
    amount = Decimal(0)
    cost = Decimal(0)
    for order in paid_orders_in_window:
        if order['cost'] is not None:
            amount += order['amount']
            cost += order['cost']
    if amount == 0:
        return 1.0
    return float(1 - cost / amount)


def churned_customers(rule, churn_events, paid_orders, end, inactive_start):
    """Customers churned at T=end by the rule (decisions.md "Churn").

    churn_events and paid_orders are clean rows only.
    explicit: the latest churn event before T is followed by no paid order
    in (churned_at, T) (an order at the very moment does not undo it).
    inactivity: a paid order before T and none in [inactive_start, T).
    """
    churned = set()
    if rule == 'explicit':
        latest = {}
        for event in churn_events:
            at = event['churned_at']
            if at is not None and at < end:
                c = event['customer_id']
                if c not in latest or at > latest[c]:
                    latest[c] = at
        undone = set()
        for order in paid_orders:
            c = order['customer_id']
            at = order['ordered_at']
            if c in latest and at is not None and latest[c] < at < end:
                undone.add(c)
        churned = set(latest) - undone
    elif rule == 'inactivity':
        ordered_before = set()
        recent = set()
        for order in paid_orders:
            at = order['ordered_at']
            if at is not None and at < end:
                ordered_before.add(order['customer_id'])
                if at >= inactive_start:
                    recent.add(order['customer_id'])
        churned = ordered_before - recent
    else:
        raise ReferenceError_('unknown churn rule %r' % rule)
    return churned


# --------------------------------------------------------------------------
# Expected figures
# --------------------------------------------------------------------------

MONEY_CODES = {'class.revenue', 'class.arpu', 'class.ltv', 'shift.revenue_gain',
               'shift.ltv_gain', 'arpu_all', 'ltv_all', 'recon.revenue_ledger',
               'recon.revenue_classes',
               'recon.difference', 'recon.unexplained', 'recon.rejected_revenue'}
CLASSES = ['promoter', 'passive', 'detractor', 'none']
SURVEY_CODES = ['nps', 'nps_moe', 'nps_n', 'promoters', 'passives', 'detractors', 'csat',
                'ces', 'nps_delta', 'nps_prior', 'nps_moe_prior', 'responses']
KNOWN_CODES = set(SURVEY_CODES) | {
    'class.customers', 'class.revenue', 'class.arpu', 'class.repeat_rate', 'class.churn_rate',
    'class.ltv', 'class.arpu_ratio', 'class.ltv_ratio', 'shift.revenue_gain', 'shift.ltv_gain',
    'arpu_all', 'ltv_all', 'churn_rate', 'gross_margin', 'recon.revenue_ledger',
    'recon.revenue_classes',
    'recon.difference', 'recon.unexplained', 'recon.rejected_revenue', 'dq.rows',
    'dq.rejected', 'dq.rejected_share', 'dq.no_text', 'csat_change', 'churn_rate_change'}


# n of a figure that could not be measured: NULL in kpi_values.
NO_N = 'NULL'


class Figures:
    """Expected figures keyed by (code, dims); n None = not checked.

    gaps: {view: flag} of the optional views the company does not have
    (no_<view>) or that have no usable row (empty_<view>); a figure that
    needs one is NULL, n NULL, with the flags (decisions.md "Absent and
    empty source views")."""

    def __init__(self, gaps=None):
        self.items = {}
        self.gaps = gaps or {}

    def add(self, code, dims, value, n=None, flags=(), needs=()):
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            # decisions.md: no figure is NaN or infinite, it is NULL instead
            value, flags = None, set(flags) | {'not_finite'}
        missing = {self.gaps[t] for t in needs if t in self.gaps}
        if missing:
            value, n, flags = None, NO_N, set(flags) | missing
        if value is None and n == 0 and not any(f.startswith(('no_', 'empty_')) for f in flags):
            flags = set(flags) | {'no_sample'}  # decisions.md: nothing counted, no other reason
        key = (code, dims)
        assert key not in self.items, key
        self.items[key] = {'value': value, 'n': n, 'flags': frozenset(flags)}

    def value(self, code, dims=''):
        return self.items[(code, dims)]['value']


def dims_of(**pairs):
    """Canonical dims text: keys sorted, `key=value` joined by ';'."""
    return ';'.join('%s=%s' % (k, pairs[k]) for k in sorted(pairs))


def param(params, name, convert=str, required=True):
    if name not in params or params[name] is None:
        if required:
            raise ReferenceError_('runs.parameters lacks %r' % name)
        return None
    try:
        return convert(params[name])
    except ValueError:
        raise ReferenceError_('runs.parameters %s=%r is not valid' % (name, params[name]))


def fraction(text):
    """A share parameter; '1 %' style values are read as percent (shift_pct's
    default is written "1 %" in metrics.md), plain numbers as fractions."""
    text = str(text).strip()
    if text.endswith('%'):
        return float(text[:-1]) / 100.0
    return float(text)


def resolve_parameters(run):
    """The parameters this script needs, read from runs.parameters."""
    p = run['parameters']
    out = {
        'as_of': param(p, 'as_of', dt.date.fromisoformat),
        'period': param(p, 'period'),
        'time_zone': param(p, 'time_zone'),
        'min_sample': param(p, 'min_sample', int),
        'segment_lookback_months': param(p, 'segment_lookback_months', int),
        'shift_pct': param(p, 'shift_pct', fraction),
        'gross_margin': param(p, 'gross_margin', float),
        'churn_floor': param(p, 'churn_floor', float),
        'churn_rule': param(p, 'churn_rule'),
        'inactive_days': param(p, 'inactive_days', int, required=False),
        'trailing_days': param(p, 'trailing_days', int, required=False),
        'range_from': param(p, 'range_from', dt.date.fromisoformat, required=False),
        'range_to': param(p, 'range_to', dt.date.fromisoformat, required=False),
        'gross_margin_source': param(p, 'gross_margin_source', required=False),
        'churn_rule_source': param(p, 'churn_rule_source', required=False),
    }
    return out


def population_at(customers, paid, at, at_day):
    """Customers counted at the instant `at` (local date at_day): acquired
    before that day (or never dated), or with a clean paid order before it."""
    population = set()
    for c, row in customers.items():
        if row['acquired_at'] is None or row['acquired_at'] < at_day:
            population.add(c)
    for o in paid:
        if o['ordered_at'] is not None and o['ordered_at'] < at:
            population.add(o['customer_id'])
    return population


def history_figures(figs, clean, customers, period, params, rule, min_sample, churn_needs=()):
    """nps, nps_moe, csat, ces and churn_rate of every period of the
    history, dims period=<first day> (decisions.md "Histories by period"):
    the period's responses; the population at the period's end and those
    of it churned there by the run's rule."""
    tz = period['tz']
    paid = [o for o in clean['orders'] if o['status'] == 'paid']
    for first_day, lo, hi in history_periods(params['period'], period):
        dims = dims_of(period=first_day.isoformat())
        rows = [r for r in clean['survey_responses'] if in_window(r['responded_at'], lo, hi)]
        scores = [r['nps'] for r in rows if r['nps'] is not None]
        csat = [r['csat'] for r in rows if r['csat'] is not None]
        ces = [r['ces'] for r in rows if r['ces'] is not None]
        n = len(scores)
        promoters = sum(1 for x in scores if x >= 9)
        detractors = sum(1 for x in scores if x <= 6)
        low = ['low_sample'] if n < min_sample else []
        figs.add('nps', dims, nps_value(promoters, detractors, n), n, low)
        figs.add('nps_moe', dims, nps_moe(promoters, detractors, n), n, low)
        figs.add('csat', dims, top2box(sum(1 for x in csat if x >= 4), len(csat)), len(csat),
                 ['low_sample'] if len(csat) < min_sample else [])
        figs.add('ces', dims, mean(sum(ces, Decimal(0)), len(ces)), len(ces),
                 ['low_sample'] if len(ces) < min_sample else [])
        hi_day = hi.astimezone(tz).date()
        population = population_at(customers, paid, hi, hi_day)
        inactive_start = None
        if rule == 'inactivity':
            inactive_start = local_midnight(hi_day - dt.timedelta(days=params['inactive_days']), tz)
        churned = churned_customers(rule, clean['churn_events'], paid, hi, inactive_start)
        figs.add('churn_rate', dims, share(len(churned & population), len(population)),
                 len(population), needs=churn_needs)
    # The headline's change against the previous period: the last two
    # points of the history (decisions.md "Changes against the previous
    # period"); the previous point's reason when it is NULL.
    days = [first_day for first_day, _, _ in history_periods(params['period'], period)]
    for code, needs in (('csat', ()), ('churn_rate', churn_needs)):
        change = code + '_change'
        if len(days) < 2:
            figs.add(change, '', None, NO_N, ['no_prior_period'], needs=needs)
            continue
        now = figs.items[(code, dims_of(period=days[-1].isoformat()))]
        prev = figs.items[(code, dims_of(period=days[-2].isoformat()))]
        both = now['value'] is not None and prev['value'] is not None
        why = now if now['value'] is None else prev
        figs.add(change, '', now['value'] - prev['value'] if both else None, now['n'],
                 () if both else why['flags'], needs=needs)


def survey_figures(figs, responses, segment_of, period, min_sample):
    """Survey scores overall and per touchpoint, channel and segment."""
    def groups_of(r):
        seg = segment_of.get(r['customer_id'])
        return ['',
                dims_of(touchpoint=r['touchpoint'] if r['touchpoint'] is not None else 'unknown'),
                dims_of(channel=r['channel'] if r['channel'] is not None else 'unknown'),
                dims_of(segment=seg if seg is not None else 'unknown')]

    def empty_stats():
        return {'n': 0, 'promoter': 0, 'passive': 0, 'detractor': 0,
                'csat_n': 0, 'csat_top': 0, 'ces_n': 0, 'ces_sum': Decimal(0)}

    has_prior = period['prior_start'] is not None
    current, prior = {}, {}
    responses_in_period = 0
    for r in responses:
        if in_window(r['responded_at'], period['start'], period['end']):
            target = current
            responses_in_period += 1
        elif has_prior and in_window(r['responded_at'], period['prior_start'],
                                     period['prior_end']):
            target = prior
        else:
            continue
        for dims in groups_of(r):
            # a group exists for every value seen in either period
            current.setdefault(dims, empty_stats())
            prior.setdefault(dims, empty_stats())
            s = target[dims]
            if r['nps'] is not None:
                s['n'] += 1
                s[nps_class(r['nps'])] += 1
            if r['csat'] is not None:
                s['csat_n'] += 1
                s['csat_top'] += 1 if r['csat'] >= 4 else 0
            if r['ces'] is not None:
                s['ces_n'] += 1
                s['ces_sum'] += r['ces']
    # the overall figures exist even with no response at all
    current.setdefault('', empty_stats())
    prior.setdefault('', empty_stats())

    def low(n):
        return ['low_sample'] if n < min_sample else []

    # every response of the period, scored or not; none at all is flagged
    figs.add('responses', '', responses_in_period, responses_in_period,
             [] if responses_in_period else ['empty_period'])

    for dims in sorted(current):
        c, pr = current[dims], prior[dims]
        n = c['n']
        value = nps_value(c['promoter'], c['detractor'], n)
        moe = nps_moe(c['promoter'], c['detractor'], n)
        prior_value = nps_value(pr['promoter'], pr['detractor'], pr['n'])
        prior_moe = nps_moe(pr['promoter'], pr['detractor'], pr['n'])
        figs.add('nps', dims, value, n, low(n))
        figs.add('nps_moe', dims, moe, n, low(n))
        figs.add('nps_n', dims, n, n)
        figs.add('promoters', dims, c['promoter'], n)
        figs.add('passives', dims, c['passive'], n)
        figs.add('detractors', dims, c['detractor'], n)
        figs.add('csat', dims, top2box(c['csat_top'], c['csat_n']), c['csat_n'], low(c['csat_n']))
        figs.add('ces', dims, mean(c['ces_sum'], c['ces_n']), c['ces_n'], low(c['ces_n']))
        if not has_prior:
            # period = all: nothing to compare with, NULL with a flag (not 0)
            figs.add('nps_prior', dims, None, None, ['no_prior_period'])
            figs.add('nps_moe_prior', dims, None, None, ['no_prior_period'])
            figs.add('nps_delta', dims, None, n, ['no_prior_period'])
            continue
        figs.add('nps_prior', dims, prior_value, pr['n'])
        figs.add('nps_moe_prior', dims, prior_moe, pr['n'])
        delta = None if value is None or prior_value is None else value - prior_value
        flags = []
        if n < min_sample or pr['n'] < min_sample:
            flags.append('low_sample')
        if delta is not None and abs(delta) > math.sqrt(moe ** 2 + prior_moe ** 2):
            flags.append('significant')
        figs.add('nps_delta', dims, delta, n, flags)


def compute_expected(source, run, params):
    """Every expected figure of a run, plus notes on the run row.

    Returns (Figures, checks) where checks is a list of
    (what, expected, recorded) for the run row's own values.
    """
    checks = []
    tz = ZoneInfo(params['time_zone'])
    range_days = (params['range_from'], params['range_to']) if params['period'] == 'range' else None
    all_start = all_start_day(source, params['as_of'], tz) if params['period'] == 'all' else None
    period = period_bounds(params['as_of'], tz, params['period'], params['trailing_days'],
                           range_days, all_start)
    for name in ('as_of', 'period_start', 'period_end', 'prior_start', 'prior_end'):
        key = {'period_start': 'start', 'period_end': 'end'}.get(name, name)
        checks.append(('runs.' + name, period[key], run[name]))
    checks.append(('runs.time_zone', params['time_zone'], run['time_zone']))
    if period['as_of'] > run['started_at']:
        checks.append(('as-of after the run start (the run should have been refused)',
                       'as_of <= started_at', 'as_of > started_at'))
    end = period['end']

    judged = reject_rows(source, run)
    clean = {t: [row for row, reason in judged[t] if reason is None] for t in CHECKED_TABLES}
    absent = source.get('_absent', set())
    gaps = {t: 'no_' + t for t in absent}
    for t in CHECKED_TABLES:
        if t not in REQUIRED_TABLES and t not in absent and not clean[t]:
            gaps[t] = 'empty_' + t
    figs = Figures(gaps)

    # ---- data quality: views that were read; a body without words is
    # counted apart, not as a rejection
    for table in CHECKED_TABLES:
        if table in absent:
            continue
        counts = {}
        no_text = 0
        for _, reason in judged[table]:
            if reason == NO_TEXT:
                no_text += 1
            elif reason is not None:
                counts[reason] = counts.get(reason, 0) + 1
        rows_read = len(judged[table])
        figs.add('dq.rows', dims_of(table=table), rows_read)
        for reason in sorted(counts):
            figs.add('dq.rejected', dims_of(reason=reason, table=table), counts[reason])
        figs.add('dq.rejected_share', dims_of(table=table),
                 share(sum(counts.values()), rows_read), rows_read)
        if table == 'feedback':
            figs.add('dq.no_text', dims_of(table=table), no_text, rows_read)

    customers = {row['customer_id']: row for row in clean['customers']
                 if row['customer_id'] is not None}
    segment_of = {c: row['segment'] for c, row in customers.items()}

    # ---- survey scores
    survey_figures(figs, clean['survey_responses'], segment_of, period, params['min_sample'])

    # ---- population at T
    paid = [o for o in clean['orders'] if o['status'] == 'paid']
    population = population_at(customers, paid, end, period['end_day'])

    # ---- class of each customer: latest scored response in the lookback
    lookback_start = months_before_end(period, params['segment_lookback_months'])
    latest = {}
    for r in clean['survey_responses']:
        if r['nps'] is None or not in_window(r['responded_at'], lookback_start, end):
            continue
        rid = r['response_id'] if r['response_id'] is not None else -math.inf
        key = (r['responded_at'], rid)
        c = r['customer_id']
        if c not in latest or key > latest[c][0]:
            latest[c] = (key, nps_class(r['nps']))
    class_of = {c: latest[c][1] if c in latest else 'none' for c in population}

    # ---- revenue, repeat, margin over the trailing 12 months
    year_start = months_before_end(period, 12)
    paid_window = [o for o in paid if in_window(o['ordered_at'], year_start, end)]
    revenue_of = {}
    orders_of = {}
    for o in paid_window:
        c = o['customer_id']
        revenue_of[c] = revenue_of.get(c, Decimal(0)) + o['amount']
        orders_of[c] = orders_of.get(c, 0) + 1

    computed_margin = auto_gross_margin(paid_window)
    if params['gross_margin_source'] == 'auto':
        checks.append(('parameters.gross_margin (auto)', computed_margin, params['gross_margin']))
        gross_margin = computed_margin
    else:
        gross_margin = params['gross_margin']

    rule = params['churn_rule']
    if params['churn_rule_source'] == 'auto':
        auto_rule = 'explicit' if clean['churn_events'] else 'inactivity'
        checks.append(('parameters.churn_rule (auto)', auto_rule, rule))
        rule = auto_rule
    inactive_start = None
    if rule == 'inactivity':
        if params['inactive_days'] is None:
            raise ReferenceError_('churn rule inactivity needs parameter inactive_days')
        inactive_start = days_before_end(period, params['inactive_days'])
    churned = churned_customers(rule, clean['churn_events'], paid, end, inactive_start)
    # What each figure needs (data-contract.md "Which tables a company must
    # have"): revenue the orders, churn the view of the rule, a derived
    # gross margin the orders.
    money = ('orders',)
    churn = ('churn_events',) if rule == 'explicit' else ('orders',)
    value_needs = money + churn
    margin_needs = money if params['gross_margin_source'] == 'auto' else ()

    # ---- per class
    floor = params['churn_floor']
    per_class = {}
    for cls in CLASSES:
        members = [c for c in population if class_of[c] == cls]
        count = len(members)
        revenue = sum((revenue_of.get(c, Decimal(0)) for c in members), Decimal(0))
        arpu = float(revenue) / count if count else None
        repeat = share(sum(1 for c in members if orders_of.get(c, 0) >= 2), count)
        churn_share = share(sum(1 for c in members if c in churned), count)
        value_ltv = ltv(arpu, gross_margin, churn_share, floor)
        per_class[cls] = {'customers': count, 'revenue': revenue, 'arpu': arpu, 'ltv': value_ltv}
        dims = dims_of(**{'class': cls})
        figs.add('class.customers', dims, count, count)
        figs.add('class.revenue', dims, revenue, count, needs=money)
        figs.add('class.arpu', dims, arpu, count, needs=money)
        figs.add('class.repeat_rate', dims, repeat, count, needs=money)
        figs.add('class.churn_rate', dims, churn_share, count, needs=churn)
        figs.add('class.ltv', dims, value_ltv, count, needs=value_needs)

    pro, pas, det = per_class['promoter'], per_class['passive'], per_class['detractor']
    figs.add('class.arpu_ratio', '', ratio(pro['arpu'], det['arpu']), needs=money)
    figs.add('class.ltv_ratio', '', ratio(pro['ltv'], det['ltv']), needs=value_needs)
    shift_pct = params['shift_pct']
    figs.add('shift.revenue_gain', '',
             shift_gain(shift_pct, det['customers'], pas['arpu'], det['arpu']), needs=money)
    figs.add('shift.ltv_gain', '', shift_gain(shift_pct, det['customers'], pas['ltv'], det['ltv']),
             needs=value_needs)

    # ---- all customers together
    total_revenue = sum((o['amount'] for o in paid_window), Decimal(0))
    churn_all = share(len(churned & population), len(population))
    arpu_all = float(total_revenue) / len(population) if population else None
    figs.add('churn_rate', '', churn_all, len(population), needs=churn)
    figs.add('arpu_all', '', arpu_all, len(population), needs=money)
    figs.add('ltv_all', '', ltv(arpu_all, gross_margin, churn_all, floor), needs=value_needs)
    figs.add('gross_margin', '', gross_margin, needs=margin_needs)

    # ---- reconciliation: the ledger includes rejected rows
    ledger = Decimal(0)
    bridge = {}
    for row, reason in judged['orders']:
        # a NaN or infinite amount cannot be summed: out of ledger and bridge
        if row['status'] == 'paid' and in_window(row['ordered_at'], year_start, end) \
                and row['amount'] is not None and row['amount'].is_finite():
            ledger += row['amount']
            if reason is not None:
                bridge[reason] = bridge.get(reason, Decimal(0)) + row['amount']
    classes_total = sum((per_class[cls]['revenue'] for cls in CLASSES), Decimal(0))
    difference = ledger - classes_total
    figs.add('recon.revenue_ledger', '', ledger, needs=money)
    figs.add('recon.revenue_classes', '', classes_total, needs=money)
    figs.add('recon.difference', '', difference, needs=money)
    for reason in sorted(bridge):
        figs.add('recon.rejected_revenue', dims_of(reason=reason), bridge[reason], needs=money)
    figs.add('recon.unexplained', '', difference - sum(bridge.values(), Decimal(0)), needs=money)

    history_figures(figs, clean, customers, period, params, rule, params['min_sample'], churn)
    return figs, checks


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------

def values_match(code, expected, got):
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)) \
            and (math.isnan(expected) or math.isnan(got)):
        return False
    if code in MONEY_CODES:
        return abs(expected - got) <= 0.005 + 1e-9  # to the cent
    return math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-6)


def flag_set(flag):
    if flag is None:
        return frozenset()
    return frozenset(word.strip() for word in flag.split(',') if word.strip())


def fmt(value):
    if value is None:
        return 'NULL'
    if isinstance(value, float):
        return repr(value)
    return str(value)


def show_key(code, dims):
    return '%s [%s]' % (code, dims if dims is not None else 'NULL')


def compare(figs, kpis, report):
    """Compares expected figures with kpi_values rows; returns figures checked."""
    got = {}
    for code, dims, value, n, flag in kpis:
        if code not in KNOWN_CODES:
            continue
        if (code, dims) in got:
            report('duplicate: %s appears more than once in kpi_values' % show_key(code, dims))
            continue
        got[(code, dims)] = (value, n, flag)

    checked = 0
    for (code, dims), exp in sorted(figs.items.items()):
        checked += 1
        if (code, dims) not in got:
            report('missing: %s (expected value %s, n %s)'
                   % (show_key(code, dims), fmt(exp['value']), fmt(exp['n'])))
            continue
        value, n, flag = got[(code, dims)]
        if not values_match(code, exp['value'], value):
            report('mismatch: %s value expected %s, got %s'
                   % (show_key(code, dims), fmt(exp['value']), fmt(value)))
        if exp['n'] == NO_N:
            if n is not None:
                report('mismatch: %s n expected NULL, got %s' % (show_key(code, dims), fmt(n)))
        elif exp['n'] is not None and n != exp['n']:
            report('mismatch: %s n expected %s, got %s'
                   % (show_key(code, dims), fmt(exp['n']), fmt(n)))
        if flag_set(flag) != exp['flags']:
            report('mismatch: %s flag expected %s, got %s'
                   % (show_key(code, dims), ','.join(sorted(exp['flags'])) or 'NULL',
                      fmt(flag)))
    for (code, dims), (value, _, _) in sorted(got.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if (code, dims) not in figs.items:
            report('unexpected: %s value %s is not an expected figure'
                   % (show_key(code, dims), fmt(value)))
    return checked


def read_expect_file(path):
    """Hand-computed lines `code<TAB>dims<TAB>value`; '#' starts a comment."""
    lines = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) != 3:
                raise ReferenceError_('%s:%d: expected code<TAB>dims<TAB>value' % (path, number))
            code, dims, value = parts
            lines.append((number, code, dims, None if value == 'NULL' else float(value)))
    return lines


def check_expect_file(path, figs, report):
    checked = 0
    for number, code, dims, value in read_expect_file(path):
        checked += 1
        if (code, dims) not in figs.items:
            report('expect: %s:%d %s is not a figure the reference computes'
                   % (path, number, show_key(code, dims)))
        elif not values_match(code, value, figs.items[(code, dims)]['value']):
            report('expect: %s:%d %s hand value %s, reference computes %s'
                   % (path, number, show_key(code, dims), fmt(value),
                      fmt(figs.items[(code, dims)]['value'])))
    return checked


def check_run_row(checks, report):
    for what, expected, recorded in checks:
        if isinstance(expected, float) and isinstance(recorded, float):
            same = math.isclose(expected, recorded, rel_tol=1e-9, abs_tol=1e-9)
        else:
            same = expected == recorded
        if not same:
            if isinstance(expected, dt.datetime):
                expected = expected.isoformat()
            if isinstance(recorded, dt.datetime):
                recorded = recorded.isoformat()
            report('mismatch: %s expected %s, recorded %s' % (what, fmt(expected), fmt(recorded)))


def reporter():
    """(problems, report): report(line) prints a problem and keeps it."""
    problems = []

    def report(line):
        problems.append(line)
        print(line)
    return problems, report


def dump(figs, out):
    out.write('code\tdims\tvalue\tn\tflag\n')
    for (code, dims), exp in sorted(figs.items.items()):
        out.write('%s\t%s\t%s\t%s\t%s\n' % (code, dims, fmt(exp['value']),
                                            fmt(exp['n']) if exp['n'] is not None else '',
                                            ','.join(sorted(exp['flags']))))


def main(argv=None):
    ap = argparse.ArgumentParser(description='Recompute a vocreport run and compare with kpi_values.')
    ap.add_argument('--db', required=True, help='database name (PG* variables give the server)')
    ap.add_argument('--run-id', required=True, type=int)
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
        run = load_run(args.db, args.results_schema, args.run_id)
        params = resolve_parameters(run)
        source = load_source(args.db, args.source_schema)
        figs, checks = compute_expected(source, run, params)
        kpis = load_kpis(args.db, args.results_schema, args.run_id)
    except ReferenceError_ as e:
        print('reference: error: %s' % e, file=sys.stderr)
        return 2

    if run['status'] != 'succeeded':
        print('reference: note: run %d has status %s' % (args.run_id, run['status']),
              file=sys.stderr)
    if args.dump:
        dump(figs, sys.stdout)
    checked = 0
    check_run_row(checks, report)
    if args.expect:
        try:
            checked += check_expect_file(args.expect, figs, report)
        except (OSError, ReferenceError_, ValueError) as e:
            print('reference: error: %s' % e, file=sys.stderr)
            return 2
    checked += compare(figs, kpis, report)
    print('reference: %d figures checked, %d mismatches' % (checked, len(mismatches)))
    return 0 if not mismatches and checked > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
