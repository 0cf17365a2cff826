-- Satisfied yet churned: docs/decisions.md "Departments, targets and
-- closure" (gap.satisfied_churned).
-- Figures: gap.satisfied_churned. This file counts; the share is
--   jobs/compute/kpi_warnings.c.
-- Parameters: none (t_cust, classes_population.sql).
-- Population customers churned at T (t_cust) but not at the period start by
-- the same rule, each evaluated on its own (churned before the period, back,
-- and churned again is not new); then each one's last clean csat before the
-- moment they churned, of any age.
WITH
-- t_cust holds each population customer's churn at T and at the period
-- start, by the run's rule (classes_population.sql).
newly AS (
    SELECT customer_id,
           churned_at
      FROM t_cust
     WHERE churned
       AND churned_at_start IS NULL
),
last_csat AS (
    SELECT DISTINCT ON (n.customer_id)
           n.customer_id,
           r.csat
      FROM newly n
      JOIN c_survey_responses r
        ON r.customer_id = n.customer_id
       AND r.csat IS NOT NULL
       AND r.responded_at < n.churned_at
     ORDER BY n.customer_id, r.responded_at DESC, r.response_id DESC
)
SELECT count(*) FILTER (WHERE csat >= 4) AS satisfied,
       count(*) AS churned
  FROM last_csat;
