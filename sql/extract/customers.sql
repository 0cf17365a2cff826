-- The customers as the job judges them (data-contract.md, docs/decisions.md
-- "Rejected rows"): a copy with the reason each row is rejected, NULL when
-- it is kept. Customers are only checked for duplicates.
-- The rows come from the view, except those of a duplicated or NULL key,
-- which come ranked from r_customers (duplicate_rows.sql).
-- Figures: none. The copy behind c_customers and dq.* (rejected_counts.sql).
-- Parameters: none.
CREATE TEMP TABLE t_customers AS
SELECT s.customer_id,
       s.segment,
       s.region,
       s.acquired_at,
       CASE
           WHEN s.vr_rank > 1 THEN 'duplicate_key'
       END AS reject
  FROM (SELECT s.*,
               1::bigint AS vr_rank
          FROM src_customers AS s
         WHERE s.customer_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM d_customers AS d WHERE d.k = s.customer_id)
        UNION ALL
        SELECT *
          FROM r_customers) AS s
