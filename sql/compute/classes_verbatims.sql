-- The detractors' verbatims of the briefing: metrics.md "Promoter vs
-- detractor cross-analysis", docs/decisions.md "Verbatims".
-- Figures: none. Three own-brand feedback rows of the period from customers
--   whose class at T is detractor (t_cust): the negative ones first (a
--   negative mention, pg_temp.vr_negative, on the upstream sentiment, else
--   the tag's, as topics_feedback.sql reads them), newest first; the
--   detractor's other comments only when fewer than three are negative.
--   "What detractors say" is read as why they are detractors: the newest
--   comment alone quoted "took three days, as usual".
-- Parameters: period_start, period_end (timestamptz; [start, end)).
SELECT f.channel,
       to_char(f.received_at, 'YYYY-MM-DD') AS day,
       f.body
  FROM c_feedback f
  JOIN t_cust c USING (customer_id)
  LEFT JOIN :"res".feedback_tags g
    ON g.feedback_id = f.feedback_id
 WHERE c.cls = 'detractor'
   AND f.brand IS NULL
   AND f.received_at >= :'period_start'::timestamptz
   AND f.received_at < :'period_end'::timestamptz
 ORDER BY coalesce(pg_temp.vr_negative(coalesce(f.sentiment::real, g.sentiment)), false) DESC,
          f.received_at DESC,
          f.feedback_id DESC
 LIMIT 3;
