-- The revenue ledger: docs/decisions.md "Reconciliation".
-- Figures: recon.revenue_ledger, recon.difference, recon.unexplained. The
--   differences are jobs/compute/kpi_classes.c, in cents.
-- Parameters: as_of, window_start (timestamptz: T, T less 12 months).
-- Paid revenue straight from the source, rejected rows included: the ledger
-- as finance knows it.  An amount that is not a number (NaN, Infinity)
-- cannot be summed: like NULL it is left out, of the ledger and of the
-- bridge (classes_bridge.sql) alike, which then still ties out.
SELECT coalesce(sum(amount), 0) AS revenue
  FROM src_orders
 WHERE status = 'paid'
   AND ordered_at >= :'window_start'::timestamptz
   AND ordered_at < :'as_of'::timestamptz
   AND amount::text NOT IN ('NaN', 'Infinity', '-Infinity');
