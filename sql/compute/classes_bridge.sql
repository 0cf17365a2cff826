-- The bridge from the ledger to the classes' revenue: docs/decisions.md
-- "Reconciliation", the paid revenue of the rows the checks rejected, by
-- reason.
-- Figures: recon.rejected_revenue.
-- Parameters: as_of, window_start (timestamptz: T, T less 12 months).
-- t_orders is the checked copy of orders with each row's rejection reason
-- (NULL: kept).  Not-a-number amounts are out, as in classes_ledger.sql.
SELECT reject AS reason,
       sum(amount) AS amount,
       count(*) AS orders
  FROM t_orders
 WHERE reject IS NOT NULL
   AND status = 'paid'
   AND ordered_at >= :'window_start'::timestamptz
   AND ordered_at < :'as_of'::timestamptz
   AND amount::text NOT IN ('NaN', 'Infinity', '-Infinity')
 GROUP BY reject
 ORDER BY reject;
