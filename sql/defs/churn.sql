-- Churn at a moment: docs/decisions.md "Churn", the rule every churn figure
-- uses (the classes' churn rates, ltv, the satisfied-churned gap, the churn
-- history, an experiment's arms).
-- Figures: none. A definition: pg_temp.vr_churned_at(at, rule, days,
--   last_event, last_paid), the moment the customer churned as seen at
--   "at", or NULL when the customer had not churned then.
-- Parameters: none.
-- The caller brings, per customer, the latest clean churn event before "at"
-- (last_event) and the latest clean paid order before "at" (last_paid);
-- NULL when there is none.  A function of those two moments rather than a
-- set of customers: the classes already hold each customer's last paid
-- order (t_paid, one pass over the orders for T and the period start), the
-- history finds it per period from the orders in time order, and an
-- experiment asks at a moment of each customer's own; a set-returning form
-- would aggregate the paid orders again in each of them.
--   explicit: the latest churn event, unless a paid order came after it (an
--     order at the very moment of the event does not undo it);
--   inactivity (any other rule): the last paid order plus "days" days, when
--     that is before "at"; a customer who never paid has not churned.
-- SQL-bodied so that the planner inlines it into each query (no call per
-- row, parallel plans stay possible); STABLE, not IMMUTABLE, because a day
-- added to a timestamptz depends on the session's time zone (the job's).
CREATE OR REPLACE FUNCTION pg_temp.vr_churned_at(
    at timestamptz,
    rule text,
    days int,
    last_event timestamptz,
    last_paid timestamptz
) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN CASE
        WHEN rule = 'explicit' THEN
            CASE
                WHEN last_event < at
                 AND (last_paid IS NULL OR last_paid <= last_event)
                THEN last_event
            END
        WHEN last_paid < at - days * interval '1 day' THEN
            last_paid + days * interval '1 day'
    END;
