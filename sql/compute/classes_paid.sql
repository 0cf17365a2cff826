-- Customer classes, step 1 of 3: each customer's paid orders before T,
-- metrics.md "Promoter vs detractor cross-analysis".
-- Figures: none. The run's table t_paid, one row per customer with a clean
--   paid order before T, read by classes_population.sql (population,
--   revenue, repeat, churn at T and at the period start, the cohorts'
--   buyers) and by history_churn.sql (the first paid order).
-- Parameters: as_of, window_start, period_start, cohort_window_months,
--   outcome_gap_months (timestamptz: T, T less 12 months, the period's
--   start; int: the topic cohorts' window, pg_temp.vr_cohort_window).
-- One pass over the paid orders for every per-customer figure that needs
-- them, instead of one GROUP BY of the million orders for each (the churn
-- history and the topic cohorts each had their own).
CREATE TEMP TABLE t_paid AS
WITH cw AS MATERIALIZED (
    SELECT lo,
           hi
      FROM pg_temp.vr_cohort_window(:'as_of'::timestamptz,
                                    :'cohort_window_months'::int,
                                    :'outcome_gap_months'::int)
)
SELECT o.customer_id,
       -- the first paid order: the population at each period's end of the
       -- churn history, which all end by T
       min(o.ordered_at) AS first_paid,
       -- the last paid order before T: in the population, churn at T
       max(o.ordered_at) AS last_paid,
       -- ... and before the period start: churn at the start (the gap)
       max(o.ordered_at) FILTER (WHERE o.ordered_at < :'period_start'::timestamptz)
           AS last_paid_at_start,
       -- the trailing twelve months: revenue and repeat purchases
       sum(o.amount) FILTER (WHERE o.ordered_at >= :'window_start'::timestamptz) AS revenue,
       count(*) FILTER (WHERE o.ordered_at >= :'window_start'::timestamptz) AS orders,
       -- a paid order in the topic cohorts' window: cohort B's buyers
       bool_or(o.ordered_at >= cw.lo AND o.ordered_at < cw.hi) AS cohort_buyer
  FROM c_orders o
 CROSS JOIN cw
 WHERE o.status = 'paid'
   AND o.ordered_at < :'as_of'::timestamptz
 GROUP BY o.customer_id;
