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
x AS (
    SELECT a.arm,
           a.e,
           ch.churned_at,
           lp.ordered_at AS last_paid
      FROM a
      LEFT JOIN LATERAL (SELECT max(churned_at) AS churned_at
                           FROM c_churn_events ce
                          WHERE ce.customer_id = a.customer_id
                            AND ce.churned_at < a.e) ch
        ON true
      LEFT JOIN LATERAL (SELECT max(ordered_at) AS ordered_at
                           FROM c_orders o
                          WHERE o.customer_id = a.customer_id
                            AND o.status = 'paid'
                            AND o.ordered_at < a.e) lp
        ON true
)
SELECT arm,
       count(*) AS customers,
       count(*) FILTER (WHERE pg_temp.vr_churned_at(e, :'churn_rule', :'inactive_days'::int,
                                                    churned_at, last_paid) IS NOT NULL)
           AS churned
  FROM x
 GROUP BY arm;
