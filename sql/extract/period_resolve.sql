-- A job's report period (docs/decisions.md "Periods"): the as-of, the
-- period [period_start, period_end), the prior period it is compared with,
-- its first and last days, the twelve months before its end (trends) and
-- the segment lookback. The session TimeZone is the job's, so ::timestamptz,
-- date_trunc and interval arithmetic below are all local-calendar
-- operations.
-- rule: previous_month, month_to_date, previous_week, trailing (any other
-- word: the trailing days), all, range. as_of_date: the as-of (NULL:
-- today); for range the last day, the as-of is the day after. start: the
-- first moment of all and range (local midnight).
-- Figures: none. The period every figure is computed for.
-- Parameters: as_of_date, rule, trailing_days, lookback_months, start.
WITH a AS (
    SELECT CASE
               WHEN :'rule' = 'range' THEN :'as_of_date'::date + 1
               ELSE coalesce(:'as_of_date'::date, current_date)
           END::timestamptz AS a
),
p AS (
    SELECT a,
           CASE :'rule'
               WHEN 'previous_month' THEN date_trunc('month', a)
               WHEN 'previous_week' THEN date_trunc('week', a)
               ELSE a
           END AS e
      FROM a
),
q AS (
    SELECT a,
           e,
           CASE :'rule'
               WHEN 'previous_month' THEN e - interval '1 month'
               WHEN 'month_to_date' THEN date_trunc('month', a - interval '1 day')
               WHEN 'previous_week' THEN e - interval '7 days'
               WHEN 'all' THEN :'start'::timestamptz
               WHEN 'range' THEN :'start'::timestamptz
               ELSE a - :'trailing_days'::int * interval '1 day'
           END AS s
      FROM p
)
SELECT to_char(a, 'YYYY-MM-DD') AS as_of_date,
       a AS as_of,
       s AS period_start,
       e AS period_end,
       CASE :'rule'
           WHEN 'previous_month' THEN s - interval '1 month'
           WHEN 'month_to_date' THEN s - interval '1 month'
           WHEN 'previous_week' THEN s - interval '7 days'
           WHEN 'all' THEN s
           WHEN 'range' THEN s - (e::date - s::date) * interval '1 day'
           ELSE s - :'trailing_days'::int * interval '1 day'
       END AS prior_start,
       -- A month-to-date compares with the same days of the month before.
       CASE
           WHEN :'rule' IN ('previous_month', 'month_to_date') THEN e - interval '1 month'
           ELSE s
       END AS prior_end,
       to_char(s, 'YYYY-MM-DD') AS first_day,
       to_char(e - interval '1 day', 'YYYY-MM-DD') AS last_day,
       e - interval '12 months' AS window_start,
       e - :'lookback_months'::int * interval '1 month' AS lookback_start,
       a > now() AS as_of_in_future,
       to_char(e - interval '12 months', 'YYYY-MM-DD') AS year_first_day
  FROM q
