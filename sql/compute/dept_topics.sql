-- The topics the departments' KPIs name, per period: metrics.md
-- "Departments, targets and closure".
-- Figures: dept.kpi.*. The actual, previous and status of the KPIs
--   topic.mentions(T), topic.negative(T) and topic.sentiment_score(T),
--   computed as the topic figures are (jobs/compute/kpi_depts.c).
-- Parameters: topics (text[], the topics the KPIs name).
-- Reads t_topic_history (topics_history.sql): own-brand rows only.
SELECT topic,
       k,
       mentions,
       negative,
       scored,
       mean
  FROM t_topic_history
 WHERE topic = ANY (:'topics'::text[]);
