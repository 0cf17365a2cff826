-- The periods of the histories as local days, oldest first: each period's
-- first and last day (both included), for the model's list of periods.
-- Figures: none.
-- Parameters: none (t_periods, history_periods.sql).
SELECT to_char(lo, 'YYYY-MM-DD') AS first_day,
       to_char(hi - interval '1 day', 'YYYY-MM-DD') AS last_day
  FROM t_periods
 ORDER BY k DESC;
