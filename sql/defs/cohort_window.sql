-- The topic cohorts' exposure window: metrics.md "Root causes and topic
-- cohorts", [T - cohort_window_months, T - outcome_gap_months).
-- Figures: none. A definition: pg_temp.vr_cohort_window(at, window_months,
--   gap_months), one row (lo, hi).
-- Parameters: none.
-- Three files place the window: the cohorts' exposure (cohorts.sql), the
-- pages' first and last day (cohorts_window.sql) and the buyers of the
-- window, found in the classes' one pass over the paid orders
-- (classes_paid.sql); one definition keeps them the same window.
-- Callers read it once (a scalar subquery or a materialized CTE): a month
-- subtracted in the job's time zone is dear enough to matter per row.
CREATE OR REPLACE FUNCTION pg_temp.vr_cohort_window(
    at timestamptz,
    window_months int,
    gap_months int
) RETURNS TABLE (lo timestamptz, hi timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
    BEGIN ATOMIC
        SELECT at - window_months * interval '1 month',
               at - gap_months * interval '1 month';
    END;
