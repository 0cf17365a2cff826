-- The customer ids of the source none of whose rows was kept (c_customers):
-- with the source's customers, what orphan_keys.sql needs to tell a kept
-- customer from an unknown one without sorting every kept customer again
-- for each view. A customer with a duplicated key keeps one row, so today's
-- rules leave this empty; a future rule on the customers fills it.
-- Figures: none. A step of the data checks, the key set u_customers.
-- Parameters: none.
CREATE TEMP TABLE u_customers AS
SELECT DISTINCT t.customer_id AS k
  FROM t_customers AS t
 WHERE t.reject IS NOT NULL
   AND t.customer_id IS NOT NULL
   AND NOT EXISTS (SELECT 1
                     FROM c_customers AS c
                    WHERE c.customer_id = t.customer_id);
