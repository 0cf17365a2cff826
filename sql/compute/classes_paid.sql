-- Customer classes, step 1 of 3: each customer's paid orders before T,
-- metrics.md "Promoter vs detractor cross-analysis".
-- Figures: none. The run's table t_paid, one row per customer with a clean
--   paid order before T, read by classes_population.sql (population,
--   revenue, repeat, churn at T and at the period start).
-- Parameters: as_of, window_start, period_start (timestamptz: T, T less
--   12 months, the period's start).
-- One pass over the paid orders for every per-customer figure that needs
-- them, instead of one GROUP BY of the million orders for each.
CREATE TEMP TABLE t_paid AS
SELECT customer_id,
       -- the last paid order before T: in the population, churn at T
       max(ordered_at) AS last_paid,
       -- ... and before the period start: churn at the start (the gap)
       max(ordered_at) FILTER (WHERE ordered_at < :'period_start'::timestamptz)
           AS last_paid_at_start,
       -- the trailing twelve months: revenue and repeat purchases
       sum(amount) FILTER (WHERE ordered_at >= :'window_start'::timestamptz) AS revenue,
       count(*) FILTER (WHERE ordered_at >= :'window_start'::timestamptz) AS orders
  FROM c_orders
 WHERE status = 'paid'
   AND ordered_at < :'as_of'::timestamptz
 GROUP BY customer_id;
