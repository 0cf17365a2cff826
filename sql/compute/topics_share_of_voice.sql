-- Share of voice: metrics.md "Topics and sentiment".
-- Figures: sov.share. The share is jobs/compute/kpi_topics.c's: positive /
--   all_positive.
-- Parameters: period_start, period_end, dimensions (the taxonomy topics
--   that are dimensions).
-- Reads t_feedback_topics (topics_feedback.sql). Per dimension, each brand's
-- positive mentions (sentiment above 0.05, the real as stored) against all
-- brands'. Brands: own (brand NULL), and every competitor with a clean
-- feedback row in the period, with or without a positive mention.
WITH b AS (
    SELECT NULL::text AS brand
    UNION ALL
    SELECT DISTINCT brand
      FROM c_feedback
     WHERE brand IS NOT NULL
       AND received_at >= :'period_start'::timestamptz
       AND received_at < :'period_end'::timestamptz
),
pos AS (
    SELECT topic,
           brand,
           count(*) AS n
      FROM t_feedback_topics
     WHERE received_at >= :'period_start'::timestamptz
       AND received_at < :'period_end'::timestamptz
       AND sentiment > real '0.05'
       AND topic = ANY (:'dimensions'::text[])
     GROUP BY topic, brand
)
SELECT d.code AS dimension,
       coalesce(b.brand, 'own') AS brand,
       coalesce(pos.n, 0) AS positive,
       sum(coalesce(pos.n, 0)) OVER (PARTITION BY d.code) AS all_positive
  FROM unnest(:'dimensions'::text[]) d(code)
 CROSS JOIN b
  LEFT JOIN pos
    ON pos.topic = d.code
   AND pos.brand IS NOT DISTINCT FROM b.brand
 ORDER BY d.code COLLATE "C", b.brand COLLATE "C" NULLS FIRST;
