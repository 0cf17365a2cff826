-- The feedback as the job judges it (data-contract.md, docs/decisions.md
-- "Rejected rows"): a copy with the reason each row is rejected, NULL when
-- it is kept; the first rule that applies names it.
-- A NULL customer is a public post, allowed; another needs a kept customer
-- (not one of o_feedback, orphan_keys.sql). A time after the run's start is
-- future-dated. NaN sorts above every number in PostgreSQL, so BETWEEN
-- refuses it too. The rules of the text itself depend on the database's
-- encoding: pg_temp.vr_body_reject, body_rule.sql (UTF-8) or
-- body_rule_sql_ascii.sql.
-- The rows come from the view, except those of a duplicated or NULL key,
-- which come ranked from r_feedback (duplicate_rows.sql).
-- Figures: none. The copy behind c_feedback and dq.* (rejected_counts.sql).
-- Parameters: started_at.
CREATE TEMP TABLE t_feedback AS
SELECT s.feedback_id,
       s.customer_id,
       s.response_id,
       s.received_at,
       s.channel,
       s.brand,
       s.body,
       s.topic,
       s.sentiment,
       CASE
           WHEN s.vr_rank > 1 THEN 'duplicate_key'
           WHEN o.k IS NOT NULL THEN 'orphan'
           WHEN s.received_at > :'started_at'::timestamptz THEN 'future_dated'
           WHEN s.sentiment NOT BETWEEN -1 AND 1 THEN 'invalid_sentiment'
           WHEN s.body IS NULL
             OR s.body ~ '^[[:space:]]*$'
               THEN 'empty_body'
           ELSE pg_temp.vr_body_reject(s.body)
       END AS reject
  FROM (SELECT s.*,
               1::bigint AS vr_rank
          FROM src_feedback AS s
         WHERE s.feedback_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM d_feedback AS d WHERE d.k = s.feedback_id)
        UNION ALL
        SELECT *
          FROM r_feedback) AS s
  -- The customers that are not kept (orphan_keys.sql): a small set with
  -- one row per id, so the join adds no row.
  LEFT JOIN o_feedback AS o
    ON o.k = s.customer_id
