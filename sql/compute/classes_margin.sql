-- gross_margin = auto: docs/decisions.md "Customer population and classes".
-- Figures: gross_margin. This file sums; 1 - cost/amount (1.0 when there is
--   nothing to divide) is gross_margin_from in jobs/compute/kpi_math.c.
-- Parameters: as_of, window_start (timestamptz: T, T less 12 months).
-- Clean paid orders of the trailing year that carry a cost.
SELECT coalesce(sum(cost), 0) AS cost,
       coalesce(sum(amount), 0) AS amount
  FROM c_orders
 WHERE status = 'paid'
   AND cost IS NOT NULL
   AND ordered_at >= :'window_start'::timestamptz
   AND ordered_at < :'as_of'::timestamptz;
