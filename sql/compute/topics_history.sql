-- Each topic's own-brand mentions per period of the history: metrics.md
-- "Topics and sentiment" and "Histories, coverage and missing data".
-- Figures: none. The counts behind topic.negative_history
--   (topics_negative_history.sql) and the departments' topic KPIs
--   (dept_topics.sql): table t_topic_history.
-- Parameters: none (the periods are the run's history, t_periods).
-- Mentions, negative ones, those with a sentiment and their mean; every
-- topic has a row for every period (0 mentions, mean NULL).
CREATE TEMP TABLE t_topic_history AS
WITH f AS (
    SELECT f.topic,
           p.k,
           count(*) AS mentions,
           count(*) FILTER (WHERE pg_temp.vr_negative(f.sentiment)) AS negative,
           count(f.sentiment) AS scored,
           avg(f.sentiment) AS mean
      FROM t_feedback_topics f
      JOIN t_periods p
        ON f.received_at >= p.lo
       AND f.received_at < p.hi
     WHERE f.brand IS NULL
     GROUP BY f.topic, p.k
)
SELECT t.code AS topic,
       p.k,
       to_char(p.lo, 'YYYY-MM-DD') AS first_day,
       coalesce(f.mentions, 0) AS mentions,
       coalesce(f.negative, 0) AS negative,
       coalesce(f.scored, 0) AS scored,
       f.mean
  FROM t_topics t
 CROSS JOIN t_periods p
  LEFT JOIN f
    ON f.topic = t.code
   AND f.k = p.k;
