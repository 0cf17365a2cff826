-- The customers a source view names that are not kept customers
-- (c_customers, judged first): data-contract.md "Rejected rows", orphan.
-- Few, like the duplicated keys, so the judged copy tests each row against
-- this small set instead of against every kept customer: a hash table of
-- 200,000 customers probed once per row cost about half the CPU of the
-- orders' copy at 1 M (docs/benchmark.md). Each customer id is looked up
-- once, and both sides are walked in id order: the ids from the view's
-- customer index (else a sort), merged with the source's customers from
-- theirs. A kept customer is one the source has, unless none of its rows
-- was kept (u_customers, unkept_customers.sql): the same set as
-- c_customers, which would have to be sorted again for every view (six
-- sorts of 2 million ids at 10 M, about 0.7 s each). Hashing either side
-- cost twice the CPU at 1 M (0.8 s against 0.4 s for the six views).
-- A NULL customer is not here: each copy says what it means (orphan for an
-- order, a public post for feedback).
-- Figures: none. A step of the data checks, the key set :"orphans".
-- Parameters: none (identifiers: :"view" the view, :"orphans" the table
-- made).
SET enable_hashagg = off;
SET enable_hashjoin = off;
-- DISTINCT: a customer id the source has twice meets both rows.
CREATE TEMP TABLE :"orphans" AS
SELECT DISTINCT s.customer_id AS k
  FROM (SELECT DISTINCT customer_id
          FROM :"view"
         WHERE customer_id IS NOT NULL) AS s
  LEFT JOIN src_customers AS c
    ON c.customer_id = s.customer_id
 WHERE c.customer_id IS NULL
    OR s.customer_id IN (SELECT k FROM u_customers);
RESET enable_hashagg;
RESET enable_hashjoin;
