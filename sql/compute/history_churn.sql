-- The churn history: docs/decisions.md "Histories by period" and "Churn", the
-- population at each period's end hi (as the classes' at T) and those of it
-- churned at hi (pg_temp.vr_churned_at, sql/defs/churn.sql, with at = hi).
-- Figures: churn_rate, churn_rate_change. Dims period=P; this file counts,
--   the rates and the change are jobs/compute/kpi_history.c.
-- Parameters: churn_rule, inactive_days (the rule the run resolved,
--   'explicit' or 'inactivity'; int).
-- Each source row is read once, for every period at once: a customer's paid
-- orders (and, for the explicit rule, churn events) in time order say over
-- which moments each one is the latest before hi (lead()), so "the last
-- paid order before hi" needs no join of every order with every period,
-- which at 10 M responses read the orders 13 times and took half the night
-- (docs/scaling.md).
-- Each use of the paid orders reads the table itself (NOT MATERIALIZED): a
-- shared copy of a million rows costs more than a scan, and each use keeps
-- only what it needs (the explicit rule, the orders of customers with a
-- churn event; the inactivity rule alone sorts all of them).
WITH
paid AS NOT MATERIALIZED (
    SELECT customer_id,
           ordered_at
      FROM c_orders
     WHERE status = 'paid'
),
-- In the population at hi (pg_temp.vr_in_population, sql/defs/population.sql,
-- as the classes' at T).  A customer churned at hi must be in it.  The first
-- paid order is the classes' (t_paid, one pass over the orders before T):
-- every hi is at or before T, so an order from T on never counts at hi,
-- whether it is known or not.
entry AS (
    SELECT customer_id,
           c.customer_id IS NOT NULL AS listed,
           c.acquired_at,
           pd.first_paid AS first_at
      FROM c_customers c
      FULL JOIN t_paid pd USING (customer_id)
),
-- Customers alike for the rule are counted together first: a first paid
-- order enters the rule only through "first_at < hi", which the latest
-- period end at or before it (-infinity before the first) answers the same
-- for every hi. Some thousands of kinds are tested against the periods
-- instead of every customer against every period (24 million tests at
-- 10 M responses).
his AS MATERIALIZED (
    SELECT array_agg(hi ORDER BY hi) AS his
      FROM t_periods
),
kinds AS (
    SELECT e.listed,
           e.acquired_at,
           CASE
               WHEN width_bucket(e.first_at, h.his) = 0 THEN '-infinity'::timestamptz
               ELSE h.his[width_bucket(e.first_at, h.his)]
           END AS first_at,
           count(*) AS n
      FROM entry e
     CROSS JOIN his h
     GROUP BY 1, 2, 3
),
pop AS (
    SELECT p.k,
           sum(e.n)::bigint AS n
      FROM kinds e
      JOIN t_periods p
        ON pg_temp.vr_in_population(p.hi, e.listed, e.acquired_at, e.first_at)
     GROUP BY p.k
),
-- Explicit rule: the churn events that are the latest of the customer's paid
-- orders and churn events before every hi in (at, next_at].  An order at
-- the same moment as an event sorts before it (kind 0), as the rule wants
-- ("an order at the very moment of the event does not undo it").  Every
-- paid order before such an hi is at or before the event, so the last paid
-- order the rule compares with is no later than it: NULL says as much.
explicit_last AS (
    SELECT customer_id,
           at,
           next_at
      FROM (SELECT customer_id,
                   at,
                   kind,
                   lead(at) OVER (PARTITION BY customer_id ORDER BY at, kind) AS next_at
              FROM (SELECT customer_id, ordered_at AS at, 0 AS kind
                      FROM paid
                     -- only an event's own customer's orders can undo it:
                     -- a tenth of the orders to sort, not all of them
                     WHERE customer_id IN (SELECT customer_id
                                             FROM c_churn_events)
                    UNION ALL
                    SELECT customer_id, churned_at, 1
                      FROM c_churn_events) AS ev
             WHERE :'churn_rule' = 'explicit') AS x
     WHERE kind = 1
),
churned AS (
    SELECT p.k,
           count(*) AS n
      FROM explicit_last l
      -- the entry of each event's customer alone (listed or not, as in
      -- entry): a hash join with the tables, not a sort of every entry
      LEFT JOIN c_customers c USING (customer_id)
      LEFT JOIN t_paid pd USING (customer_id)
      JOIN t_periods p
        ON l.at < p.hi
       AND (l.next_at IS NULL OR p.hi <= l.next_at)
       AND pg_temp.vr_in_population(p.hi, c.customer_id IS NOT NULL, c.acquired_at,
                                    pd.first_paid)
     WHERE pg_temp.vr_churned_at(p.hi, :'churn_rule', :'inactive_days'::int,
                                 l.at, NULL) IS NOT NULL
     GROUP BY p.k
    UNION ALL
    -- Inactivity rule: the paid order o is the last before every hi in
    -- (ordered_at, next_at].  The rule's test inside the subquery spares the
    -- explicit rule the sort of every order.
    SELECT p.k,
           count(*)
      FROM (SELECT ordered_at,
                   lead(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS next_at
              FROM paid
             WHERE :'churn_rule' <> 'explicit') AS o
      JOIN t_periods p
        ON o.ordered_at < p.hi
       AND (o.next_at IS NULL OR p.hi <= o.next_at)
     WHERE :'churn_rule' <> 'explicit'
       -- implied by the rule (hi - days > o and hi <= next), and cheap to
       -- test first: most orders are followed by another within the days
       -- and never join a period
       AND (o.next_at IS NULL
            OR o.next_at - :'inactive_days'::int * interval '1 day' > o.ordered_at)
       AND pg_temp.vr_churned_at(p.hi, :'churn_rule', :'inactive_days'::int,
                                 NULL, o.ordered_at) IS NOT NULL
     GROUP BY p.k
)
SELECT p.k,
       coalesce(max(pop.n), 0) AS population,
       coalesce(sum(ch.n), 0) AS churned
  FROM t_periods p
  LEFT JOIN pop USING (k)
  LEFT JOIN churned ch USING (k)
 GROUP BY p.k
 ORDER BY p.k DESC;
