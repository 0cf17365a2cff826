-- Upstream topic codes no taxonomy topic claims: metrics.md "Histories,
-- coverage and missing data" (docs/decisions.md "Feedback no topic matched").
-- Figures: dq.unknown_topic.
-- Parameters: topics, period_start, period_end (topics: the taxonomy's
--   codes).
-- Reads t_topics and t_feedback_topics (topics_feedback.sql, topics_list.sql):
-- each topic of the run that is no taxonomy topic (an upstream code no topic
-- has as code or alias), with the clean rows of any brand carrying it in the
-- period, the most first.
SELECT t.code,
       count(f.feedback_id) FILTER (WHERE f.received_at >= :'period_start'::timestamptz
                                      AND f.received_at < :'period_end'::timestamptz) AS n
  FROM t_topics t
  LEFT JOIN t_feedback_topics f
    ON f.topic = t.code
   AND f.upstream
 WHERE t.code <> ALL (:'topics'::text[])
 GROUP BY t.code
 ORDER BY n DESC, t.code COLLATE "C";
