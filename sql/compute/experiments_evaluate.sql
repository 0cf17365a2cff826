-- An experiment's churn per arm at its evaluation: metrics.md "Closed-loop
-- retention experiment".
-- Figures: exp.customers, exp.churn_rate, exp.churn_diff, exp.ci_low,
--   exp.ci_high, exp.p_value, exp.retained_customers, exp.value, exp.roi,
--   exp.status. With exp.roi's interval (exp.roi_low, exp.roi_high), they
--   are jobs/compute/kpi_experiments.c's arithmetic on these counts.
-- Parameters: experiment, as_of, evaluation_months, churn_rule,
--   inactive_days (as_of is T; churn_rule 'explicit' or 'inactivity').
-- Each customer's churn at their own assigned_at + the evaluation window, by
-- the run's churn rule (pg_temp.vr_churned_at, sql/defs/churn.sql), as the
-- customer classes apply it at T.
WITH a AS (
    SELECT customer_id,
           arm,
           assigned_at + :'evaluation_months'::int * interval '1 month' AS e
      FROM :"res".experiment_assignments
     WHERE experiment = :'experiment'
       AND assigned_at <= :'as_of'::timestamptz
),
-- A customer is assigned at most once per experiment (the table's key), so
-- the latest churn and paid order before each customer's own end come from
-- one join of each table with the assignments, grouped by customer: a
-- lookup per assignment would scan the copies (they have no index) once
-- for every assigned customer.
ch AS (
    SELECT a.customer_id,
           max(ce.churned_at) AS churned_at
      FROM a
      JOIN c_churn_events ce
        ON ce.customer_id = a.customer_id
       AND ce.churned_at < a.e
     GROUP BY a.customer_id
),
lp AS (
    SELECT a.customer_id,
           max(o.ordered_at) AS last_paid
      FROM a
      JOIN c_orders o
        ON o.customer_id = a.customer_id
       AND o.status = 'paid'
       AND o.ordered_at < a.e
     GROUP BY a.customer_id
),
x AS (
    SELECT a.arm,
           a.e,
           ch.churned_at,
           lp.last_paid
      FROM a
      LEFT JOIN ch USING (customer_id)
      LEFT JOIN lp USING (customer_id)
)
SELECT arm,
       count(*) AS customers,
       count(*) FILTER (WHERE pg_temp.vr_churned_at(e, :'churn_rule', :'inactive_days'::int,
                                                    churned_at, last_paid) IS NOT NULL)
           AS churned
  FROM x
 GROUP BY arm;
