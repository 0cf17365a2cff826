-- The customer population at a moment: docs/decisions.md "Customer
-- population and classes", the customers every class, churn rate and
-- history counts (classes_population.sql at T, history_churn.sql at each
-- period's end).
-- Figures: none. A definition: pg_temp.vr_in_population(at, listed,
--   acquired_at, first_paid), true when the customer counts at "at".
-- Parameters: none.
-- A customer counts when listed in the customers view and acquired before
-- at's local date (or with no date), or with a clean paid order before at
-- (first_paid: the first, or any one known to be before at; NULL: none).
-- Never NULL: a customer either counts or does not.
-- SQL-bodied so that the planner inlines it; STABLE, because at's local date
-- depends on the session's time zone (the job's).
CREATE OR REPLACE FUNCTION pg_temp.vr_in_population(
    at timestamptz,
    listed boolean,
    acquired_at date,
    first_paid timestamptz
) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (listed AND (acquired_at IS NULL OR acquired_at < at::date))
        OR coalesce(first_paid < at, false);
