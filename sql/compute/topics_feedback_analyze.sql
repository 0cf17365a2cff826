-- Statistics on t_feedback_topics: metrics.md "Topics and sentiment".
-- Figures: none. Every topic and cohort query joins or groups this table,
--   a temporary table that autovacuum never analyzes: statistics for the plans.
-- Parameters: none.
ANALYZE t_feedback_topics;
