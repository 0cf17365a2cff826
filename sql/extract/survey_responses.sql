-- The survey responses as the job judges them (data-contract.md,
-- docs/decisions.md "Rejected rows"): a copy with the reason each row is
-- rejected, NULL when it is kept; the first rule that applies names it.
-- A response needs a kept customer (not one of o_survey_responses,
-- orphan_keys.sql); a time after the run's start is future-dated; a score
-- off its scale (NPS 0-10, CSAT 1-5, CES 1-7) is out_of_scale, NaN and
-- Infinity too (outside every range). A missing score is no score, not a rejection.
-- The rows come from the view, except those of a duplicated or NULL key,
-- which come ranked from r_survey_responses (duplicate_rows.sql).
-- Figures: none. The copy behind c_survey_responses and dq.*
-- (rejected_counts.sql).
-- Parameters: started_at.
CREATE TEMP TABLE t_survey_responses AS
SELECT s.response_id,
       s.customer_id,
       s.responded_at,
       s.touchpoint,
       s.channel,
       s.nps,
       s.csat,
       s.ces,
       CASE
           WHEN s.vr_rank > 1 THEN 'duplicate_key'
           WHEN s.customer_id IS NULL OR o.k IS NOT NULL THEN 'orphan'
           WHEN s.responded_at > :'started_at'::timestamptz THEN 'future_dated'
           WHEN s.nps NOT BETWEEN 0 AND 10
             OR s.csat NOT BETWEEN 1 AND 5
             OR s.ces NOT BETWEEN 1 AND 7
               THEN 'out_of_scale'
       END AS reject
  FROM (SELECT s.*,
               1::bigint AS vr_rank
          FROM src_survey_responses AS s
         WHERE s.response_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM d_survey_responses AS d WHERE d.k = s.response_id)
        UNION ALL
        SELECT *
          FROM r_survey_responses) AS s
  -- The customers that are not kept (orphan_keys.sql): a small set with
  -- one row per id, so the join adds no row.
  LEFT JOIN o_survey_responses AS o
    ON o.k = s.customer_id
