-- Topic cohorts: metrics.md "Root causes and topic cohorts", each topic's
-- exposed customers (cohort A) against the other buyers (cohort B), and how
-- many of each churned by T.
-- Figures: cohort.a_customers, cohort.b_customers, cohort.a_churn_rate,
--   cohort.b_churn_rate, cohort.churn_gap, cohort.p_value,
--   cohort.lost_customers, cohort.revenue_at_risk. This file counts; the
--   rates, the test and the money are jobs/compute/kpi_cohorts.c.
-- Parameters: as_of, window_months, gap_months, codes, event_topics,
--   event_names (T, timestamptz; cohort_window_months and
--   outcome_gap_months, int; text[]: the taxonomy's topic codes in order,
--   and its map of customer events to topics as two arrays of the same
--   length).
-- Exposure in [T - window, T - gap): a negative own-brand feedback row on
-- the topic (t_feedback_topics, kpi_topics) or a mapped customer event.
-- Cohort A: exposed population customers (t_cust, churned at T by the run's
-- rule).  Cohort B: every other population customer with a paid order in
-- the window, counted as all buyers less the exposed ones; whether a
-- customer bought in the window is t_cust's cohort_buyer, from the classes'
-- one pass over the paid orders (classes_paid.sql), not a pass of its own.
-- One row per topic of the run (t_topics): the taxonomy's in its order, then
-- the upstream codes no topic claims, by code, so that no topic with
-- figures is left without a root cause.
WITH
w AS MATERIALIZED (
    SELECT lo,
           hi
      FROM pg_temp.vr_cohort_window(:'as_of'::timestamptz,
                                    :'window_months'::int,
                                    :'gap_months'::int)
),
event_map AS (
    SELECT *
      FROM unnest(:'event_topics'::text[], :'event_names'::text[]) AS e(code, event)
),
exposed AS (
    SELECT f.topic,
           f.customer_id
      FROM t_feedback_topics f, w
     WHERE f.brand IS NULL
       AND pg_temp.vr_negative(f.sentiment)
       AND f.customer_id IS NOT NULL
       AND f.received_at >= w.lo
       AND f.received_at < w.hi
    UNION
    SELECT em.code,
           e.customer_id
      FROM c_customer_events e
      JOIN event_map em ON em.event = e.event, w
     WHERE e.occurred_at >= w.lo
       AND e.occurred_at < w.hi
),
a AS (
    SELECT x.topic,
           count(*) AS n,
           count(*) FILTER (WHERE c.churned) AS churned,
           count(*) FILTER (WHERE c.cohort_buyer) AS buyers,
           count(*) FILTER (WHERE c.cohort_buyer AND c.churned) AS buyers_churned
      FROM exposed x
      JOIN t_cust c USING (customer_id)
     GROUP BY x.topic
),
all_buyers AS (
    SELECT count(*) AS n,
           count(*) FILTER (WHERE churned) AS churned
      FROM t_cust
     WHERE cohort_buyer
)
SELECT t.code,
       coalesce(a.n, 0) AS a_customers,
       coalesce(a.churned, 0) AS a_churned,
       all_buyers.n - coalesce(a.buyers, 0) AS b_customers,
       all_buyers.churned - coalesce(a.buyers_churned, 0) AS b_churned
  FROM (SELECT code, ord
          FROM unnest(:'codes'::text[]) WITH ORDINALITY AS u(code, ord)
        UNION ALL
        SELECT code, NULL
          FROM t_topics
         WHERE code <> ALL (:'codes'::text[])) AS t
 CROSS JOIN all_buyers
  LEFT JOIN a ON a.topic = t.code
 ORDER BY t.ord NULLS LAST, t.code COLLATE "C";
