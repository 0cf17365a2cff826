-- A negative mention: metrics.md "Topics and sentiment" (a feedback row whose
-- sentiment is below -0.05; between -0.05 and 0.05 is neutral, not a side).
-- Figures: none. A definition every topic, cohort and experiment file uses:
--   pg_temp.vr_negative(sentiment).
-- Parameters: none.
-- SQL-bodied and immutable, so the planner inlines it into each query (no
-- call per row, parallel plans stay possible).
CREATE OR REPLACE FUNCTION pg_temp.vr_negative(sentiment real) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN sentiment < real '-0.05';
