-- The service cases as the job judges them (data-contract.md,
-- docs/decisions.md "Rejected rows"): a copy with the reason each row is
-- rejected, NULL when it is kept. A case needs a kept customer
-- (not one of o_cases, orphan_keys.sql); an opening after the run's start is
-- future-dated.
-- The rows come from the view, except those of a duplicated or NULL key,
-- which come ranked from r_cases (duplicate_rows.sql).
-- Figures: none. The copy behind c_cases and dq.* (rejected_counts.sql).
-- Parameters: started_at.
CREATE TEMP TABLE t_cases AS
SELECT s.case_id,
       s.customer_id,
       s.feedback_id,
       s.department,
       s.priority,
       s.opened_at,
       s.first_response_at,
       s.closed_at,
       s.root_cause,
       CASE
           WHEN s.vr_rank > 1 THEN 'duplicate_key'
           WHEN s.customer_id IS NULL OR o.k IS NOT NULL THEN 'orphan'
           WHEN s.opened_at > :'started_at'::timestamptz THEN 'future_dated'
       END AS reject
  FROM (SELECT s.*,
               1::bigint AS vr_rank
          FROM src_cases AS s
         WHERE s.case_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM d_cases AS d WHERE d.k = s.case_id)
        UNION ALL
        SELECT *
          FROM r_cases) AS s
  -- The customers that are not kept (orphan_keys.sql): a small set with
  -- one row per id, so the join adds no row.
  LEFT JOIN o_cases AS o
    ON o.k = s.customer_id
