-- Each clean feedback row with its topics and sentiment: metrics.md "Topics
-- and sentiment".
-- Figures: none. The rows every topic figure counts (topics_*.sql), and the
--   cohorts (kpi_cohorts) read: table t_feedback_topics.
-- Parameters: period_end, prior_start, history_start, cohort_months,
--   aliases, alias_topics (history_start is history_start.sql's;
--   cohort_months is the cohort window; aliases and alias_topics are text[]
--   of the same length: every alias of the taxonomy and the topic it stands
--   for).
-- One row per clean feedback row and topic, from the oldest moment any
-- figure looks at (the history's first period, the prior period, the cohort
-- window), any brand. The topic is the upstream one when set (the topic it
-- is an alias of, else the code as written), else the tag's topics, each
-- once; the sentiment is the upstream one when set, else the tag's, as the
-- real both store (so a row that shows -0.05 is not negative, whatever its
-- binary form).
CREATE TEMP TABLE t_feedback_topics AS
SELECT f.feedback_id,
       f.customer_id,
       f.brand,
       f.received_at,
       x.topic,
       coalesce(f.sentiment::real, g.sentiment) AS sentiment,
       f.topic IS NOT NULL AS upstream
  FROM c_feedback f
  LEFT JOIN :"res".feedback_tags g
    ON g.feedback_id = f.feedback_id
  LEFT JOIN unnest(:'aliases'::text[], :'alias_topics'::text[]) a(alias, code)
    ON a.alias = f.topic
 CROSS JOIN LATERAL (
       SELECT DISTINCT u.topic
         FROM unnest(CASE WHEN f.topic IS NOT NULL
                          THEN ARRAY[coalesce(a.code, f.topic::text)]
                          ELSE g.topics END) u(topic)
        WHERE u.topic IS NOT NULL
       ) x
 WHERE f.received_at < :'period_end'::timestamptz
   AND f.received_at >= least(:'history_start'::timestamptz,
                              :'prior_start'::timestamptz,
                              :'period_end'::timestamptz - :'cohort_months'::int * interval '1 month');
