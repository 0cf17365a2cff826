-- Customer classes, step 2 of 3: the population at T, each customer's class,
-- trailing-year revenue and orders, and churn at T; docs/decisions.md
-- "Customer population and classes" and "Churn".
-- Figures: none. The run's table t_cust, one row per population customer,
--   read by classes_by_class.sql, the verbatims, the satisfied-churned gap,
--   the topic cohorts (with each one's cohort_buyer, t_paid) and the
--   experiments.
-- Parameters: as_of, lookback_start, period_start, churn_rule, inactive_days
--   (T, T less segment_lookback_months and the period's start, timestamptz;
--   the rule the run resolved, 'explicit' or 'inactivity'; int).
-- Joins rather than correlated subqueries: this runs over every customer.
CREATE TEMP TABLE t_cust AS
WITH
-- The latest clean churn event before T, and before the period start (the
-- gap, warnings_gap.sql, asks who was churned then); the inactivity rule
-- reads none.
last_event AS (
    SELECT customer_id,
           max(churned_at) AS churned_at,
           max(churned_at) FILTER (WHERE churned_at < :'period_start'::timestamptz)
               AS churned_at_start
      FROM c_churn_events
     WHERE churned_at < :'as_of'::timestamptz
       AND :'churn_rule' = 'explicit'
     GROUP BY customer_id
),
-- The class of the latest scored response in the lookback; ties on
-- responded_at go to the higher response_id.
cls AS (
    SELECT DISTINCT ON (customer_id)
           customer_id,
           CASE
               WHEN nps >= 9 THEN 'promoter'
               WHEN nps >= 7 THEN 'passive'
               ELSE 'detractor'
           END AS cls
      FROM c_survey_responses
     WHERE nps IS NOT NULL
       AND responded_at >= :'lookback_start'::timestamptz
       AND responded_at < :'as_of'::timestamptz
     ORDER BY customer_id, responded_at DESC, response_id DESC
),
-- The population at T (pg_temp.vr_in_population, sql/defs/population.sql):
-- t_paid's last paid order is before T whenever the customer has one (every
-- such order's customer is a kept one).
pop AS (
    SELECT c.customer_id,
           coalesce(cls.cls, 'none') AS cls,
           coalesce(pd.revenue, 0) AS revenue,
           coalesce(pd.orders, 0) AS orders,
           coalesce(pd.cohort_buyer, false) AS cohort_buyer,
           pg_temp.vr_churned_at(:'as_of'::timestamptz,
                                 :'churn_rule',
                                 :'inactive_days'::int,
                                 e.churned_at,
                                 pd.last_paid) AS churned_at,
           pg_temp.vr_churned_at(:'period_start'::timestamptz,
                                 :'churn_rule',
                                 :'inactive_days'::int,
                                 e.churned_at_start,
                                 pd.last_paid_at_start) AS churned_at_start
      FROM c_customers c
      LEFT JOIN t_paid pd USING (customer_id)
      LEFT JOIN cls USING (customer_id)
      LEFT JOIN last_event e USING (customer_id)
     WHERE pg_temp.vr_in_population(:'as_of'::timestamptz, true, c.acquired_at, pd.last_paid)
)
SELECT customer_id,
       cls,
       revenue,
       orders,
       cohort_buyer,
       churned_at IS NOT NULL AS churned,
       churned_at,
       churned_at_start
  FROM pop;
