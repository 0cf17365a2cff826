-- The topics of the run: metrics.md "Topics and sentiment".
-- Figures: none. The topics every topic figure lists: table t_topics.
-- Parameters: topics, period_start, period_end, prior_start, prior_end
--   (topics: the taxonomy's codes; each period is [start, end)).
-- Every taxonomy topic, and every upstream code seen in either period (any
-- brand): a code the taxonomy does not know is reported as a topic of its
-- own (and as dq.unknown_topic, topics_unknown.sql).
CREATE TEMP TABLE t_topics AS
SELECT code
  FROM unnest(:'topics'::text[]) code
UNION
SELECT topic
  FROM t_feedback_topics
 WHERE upstream
   AND ((received_at >= :'period_start'::timestamptz AND received_at < :'period_end'::timestamptz)
     OR (received_at >= :'prior_start'::timestamptz AND received_at < :'prior_end'::timestamptz));
