-- Whether the topic stage has run in this snapshot: the topic cohorts read
-- its tables t_feedback_topics and t_topics (kpi_topics).
-- Figures: none.
-- Parameters: none.
SELECT to_regclass('pg_temp.t_feedback_topics') IS NOT NULL
       AND to_regclass('pg_temp.t_topics') IS NOT NULL AS ready;
