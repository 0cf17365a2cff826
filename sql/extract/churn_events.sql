-- The churn events as the job judges them (data-contract.md,
-- docs/decisions.md "Rejected rows"): a copy with the reason each row is
-- rejected, NULL when it is kept. An event needs a kept customer
-- (not one of o_churn_events, orphan_keys.sql); a time after the run's
-- start is future-dated. No key: no duplicates.
-- Figures: none. The copy behind c_churn_events and dq.* (rejected_counts.sql).
-- Parameters: started_at.
CREATE TEMP TABLE t_churn_events AS
SELECT s.customer_id,
       s.churned_at,
       CASE
           WHEN s.customer_id IS NULL OR o.k IS NOT NULL THEN 'orphan'
           WHEN s.churned_at > :'started_at'::timestamptz THEN 'future_dated'
       END AS reject
  FROM src_churn_events AS s
  -- The customers that are not kept (orphan_keys.sql): a small set with
  -- one row per id, so the join adds no row.
  LEFT JOIN o_churn_events AS o
    ON o.k = s.customer_id
