-- The least work the figures' definitions ask of PostgreSQL (bench/run.sh
-- prints it beside the read floor; docs/benchmark.md "What the figures
-- themselves cost"). Not the job: four kinds of work that no implementation
-- of metrics.md on this engine can do without, each as cheap as we could
-- write it, with no rule checked, no duplicate or orphan set aside and
-- nothing written anywhere:
-- 1. customer classes (metrics.md "Promoter vs detractor cross-analysis"):
--    every customer's paid orders of the trailing year and every
--    customer's latest NPS answer, each grouped by customer, joined;
-- 2. survey scores (nps, csat, ces by touchpoint): one grouping of the
--    responses of the period;
-- 3. topics and their root cause (topic.*, root_cause.*): the feedback of
--    the period by topic, and the customers with a negative mention of each
--    topic against their churn;
-- 4. the data checks that the contract asks of every figure (dq.*): the
--    duplicated keys of the three large tables (every key looked at once)
--    and the customers they name that are not listed (every customer id
--    once, against the customers).
-- Each in the fastest form found at 1 M (docs/benchmark.md): the planner's
-- choice where it was fastest, otherwise the settings before it; the keys
-- and customer ids read from their indexes (docs/your-data.md asks for
-- them). Timed by psql's \timing; the bench sums the statements.
-- Parameters: as_of (T), window_start (T less 12 months), period_start.
SET work_mem = '128MB';
SET jit = off;
\timing on
\o /dev/null
-- sorted groups and parallel scans: 1.08 s against the planner's 1.38 s
SET enable_hashagg = off;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET parallel_setup_cost = 0;
WITH paid AS (
    SELECT customer_id,
           sum(amount) AS revenue,
           count(*) AS orders,
           max(ordered_at) AS last_paid
      FROM voc.orders
     WHERE status = 'paid'
       AND ordered_at >= :'window_start'::timestamptz
       AND ordered_at < :'as_of'::timestamptz
     GROUP BY customer_id
),
cls AS (
    SELECT customer_id,
           (max(ARRAY[extract(epoch FROM responded_at), nps]))[2] AS nps
      FROM voc.survey_responses
     WHERE nps IS NOT NULL
       AND responded_at >= :'window_start'::timestamptz
       AND responded_at < :'as_of'::timestamptz
     GROUP BY customer_id
)
SELECT CASE WHEN c.nps >= 9 THEN 'promoter' WHEN c.nps >= 7 THEN 'passive' ELSE 'detractor' END,
       count(*),
       sum(p.revenue),
       sum(p.orders),
       count(*) FILTER (WHERE p.last_paid < :'as_of'::timestamptz - interval '180 days')
  FROM cls c
  JOIN paid p USING (customer_id)
 GROUP BY 1;
RESET enable_hashagg;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET parallel_setup_cost;
SELECT touchpoint,
       count(nps),
       count(*) FILTER (WHERE nps >= 9),
       count(*) FILTER (WHERE nps <= 6),
       avg(csat),
       avg(ces)
  FROM voc.survey_responses
 WHERE responded_at >= :'period_start'::timestamptz
   AND responded_at < :'as_of'::timestamptz
 GROUP BY touchpoint;
WITH per_topic AS (
    SELECT topic,
           count(*),
           avg(sentiment)
      FROM voc.feedback
     WHERE received_at >= :'period_start'::timestamptz
       AND received_at < :'as_of'::timestamptz
     GROUP BY topic
),
neg AS (
    SELECT DISTINCT topic,
           customer_id
      FROM voc.feedback
     WHERE sentiment < 0
       AND received_at >= :'window_start'::timestamptz
       AND received_at < :'as_of'::timestamptz
),
churned AS (
    SELECT DISTINCT customer_id
      FROM voc.churn_events
     WHERE churned_at < :'as_of'::timestamptz
)
SELECT n.topic,
       count(*),
       count(c.customer_id),
       (SELECT count(*) FROM per_topic)
  FROM neg n
  LEFT JOIN churned c USING (customer_id)
 GROUP BY n.topic;
-- keys in index order: 0.25 s for the orders against 1.08 s hashed
SET enable_seqscan = off;
SET enable_hashagg = off;
SELECT count(*) FROM (SELECT order_id FROM voc.orders GROUP BY 1 HAVING count(*) > 1) d;
SELECT count(*) FROM (SELECT response_id FROM voc.survey_responses GROUP BY 1 HAVING count(*) > 1) d;
SELECT count(*) FROM (SELECT feedback_id FROM voc.feedback GROUP BY 1 HAVING count(*) > 1) d;
RESET enable_seqscan;
-- each distinct customer id once, in order from its index (hash aggregation
-- still off), against the customers hashed
SELECT count(*)
  FROM (SELECT DISTINCT customer_id FROM voc.orders) o
 WHERE NOT EXISTS (SELECT 1 FROM voc.customers c WHERE c.customer_id = o.customer_id);
SELECT count(*)
  FROM (SELECT DISTINCT customer_id FROM voc.survey_responses) o
 WHERE NOT EXISTS (SELECT 1 FROM voc.customers c WHERE c.customer_id = o.customer_id);
SELECT count(*)
  FROM (SELECT DISTINCT customer_id FROM voc.feedback) o
 WHERE NOT EXISTS (SELECT 1 FROM voc.customers c WHERE c.customer_id = o.customer_id);
