-- The periods of the histories: docs/decisions.md "Histories by period".
-- Figures: none. The run's table t_periods (k, lo, hi): k = 0 the run's own
--   period [lo, hi), 1 the one before, up to last_k; every per-period figure
--   joins it.
-- Parameters: period_start, period_end, month_steps, last_k (timestamptz;
--   boolean, true when the period rule steps by calendar month; int).
-- Month rules step by calendar month, the others by the period's length in
-- local days (the session time zone is the job's); each period is computed
-- from the run's own bounds, so 31 October less two months is 31 August,
-- not 30 August.
CREATE TEMP TABLE t_periods AS
SELECT k,
       :'period_start'::timestamptz - k * s.step AS lo,
       :'period_end'::timestamptz - k * s.step AS hi
  FROM generate_series(0, :'last_k'::int) AS k,
       (SELECT CASE
                   WHEN :'month_steps'::boolean THEN interval '1 month'
                   ELSE ((:'period_end'::timestamptz)::date
                         - (:'period_start'::timestamptz)::date) * interval '1 day'
               END AS step) AS s;
