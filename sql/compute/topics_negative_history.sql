-- Negative own-brand mentions per topic and period: metrics.md "Topics and
-- sentiment".
-- Figures: topic.negative_history.
-- Parameters: none.
-- Reads t_topic_history (topics_history.sql); the oldest period first
-- (k counts back from the run's own, 0); first_day is the period's first
-- local day, the figure's dims period=.
SELECT topic,
       first_day,
       negative
  FROM t_topic_history
 ORDER BY topic COLLATE "C", k DESC;
