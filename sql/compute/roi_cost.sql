-- Programme costs of the VoC ROI window: metrics.md "VoC ROI and finance
-- reconciliation".
-- Figures: roi.cost.
-- Parameters: window_start, as_of (timestamptz; the window is
--   [window_start, as_of)).
-- The costs of the months that begin in the window, summed as numeric (to
-- the cent): in total first (total = 1; 0 without any cost), then per month
-- and category (a missing category is "unknown").
SELECT GROUPING(mo) AS total,
       mo AS month,
       cat AS category,
       coalesce(sum(amount), 0) AS amount
  FROM (SELECT to_char(date_trunc('month', month), 'YYYY-MM-DD') AS mo,
               coalesce(nullif(category, ''), 'unknown') AS cat,
               amount
          FROM src_program_costs
         WHERE month::timestamptz >= :'window_start'::timestamptz
           AND month::timestamptz < :'as_of'::timestamptz) c
 GROUP BY GROUPING SETS ((), (mo, cat))
 ORDER BY 1 DESC, mo, cat COLLATE "C";
