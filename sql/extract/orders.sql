-- The orders as the job judges them (data-contract.md, docs/decisions.md
-- "Rejected rows"): a copy with the reason each row is rejected, NULL when
-- it is kept; the first rule that applies names it.
-- An order needs a kept customer (not one of o_orders, orphan_keys.sql);
-- a time after the run's start is future-dated. NaN and Infinity (numeric, real and
-- double precision accept them) would turn every sum they enter into NaN;
-- cast to numeric, any number type is tested alike. A negative or
-- implausible amount counts only on a paid order; a max_order_amount of 0
-- is no limit.
-- The rows come from the view, except those of a duplicated or NULL key,
-- which come ranked from r_orders (duplicate_rows.sql).
-- Figures: none. The copy behind c_orders and dq.* (rejected_counts.sql).
-- Parameters: started_at, max_order_amount.
CREATE TEMP TABLE t_orders AS
SELECT s.order_id,
       s.customer_id,
       s.ordered_at,
       s.amount,
       s.cost,
       s.status,
       CASE
           WHEN s.vr_rank > 1 THEN 'duplicate_key'
           WHEN s.customer_id IS NULL OR o.k IS NOT NULL THEN 'orphan'
           WHEN s.ordered_at > :'started_at'::timestamptz THEN 'future_dated'
           WHEN s.amount::numeric IN ('NaN', 'Infinity', '-Infinity')
             OR s.cost::numeric IN ('NaN', 'Infinity', '-Infinity')
               THEN 'not_finite'
           WHEN s.status = 'paid'
            AND s.amount < 0
               THEN 'negative_amount'
           WHEN s.status = 'paid'
            AND :'max_order_amount'::numeric > 0
            AND s.amount > :'max_order_amount'::numeric
               THEN 'implausible_amount'
       END AS reject
  FROM (SELECT s.*,
               1::bigint AS vr_rank
          FROM src_orders AS s
         WHERE s.order_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM d_orders AS d WHERE d.k = s.order_id)
        UNION ALL
        SELECT *
          FROM r_orders) AS s
  -- The customers that are not kept (orphan_keys.sql): a small set with
  -- one row per id, so the join adds no row.
  LEFT JOIN o_orders AS o
    ON o.k = s.customer_id
