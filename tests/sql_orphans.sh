#!/usr/bin/env bash
# Unknown customers (sql/extract/orphan_keys.sql with unkept_customers.sql),
# on a few rows worked out by hand: a customer the source lists but none of
# whose rows was kept is as unknown as one it does not list, once per id
# however often either side names it. Today's rules never reject a
# customer's only row, so the nightly fixtures cannot show the first case.
. "$(dirname "$0")/lib.sh"
fresh_db sql_orphans

# Customers 1 (kept), 2 (listed twice, the first row kept), 3 (listed twice,
# both rows rejected, as a future rule on the customers could), a NULL id.
out=$(psql -XAtq -v ON_ERROR_STOP=1 -v view=src_orders -v orphans=o_orders <<SQL
CREATE TEMP VIEW src_customers AS
SELECT * FROM (VALUES (1::bigint), (2), (2), (3), (3), (NULL)) AS v(customer_id);
CREATE TEMP TABLE t_customers AS
SELECT * FROM (VALUES (1::bigint, NULL::text), (2, NULL), (2, 'duplicate_key'),
                      (3, 'some_rule'), (3, 'duplicate_key'),
                      (NULL, 'duplicate_key')) AS v(customer_id, reject);
CREATE TEMP VIEW c_customers AS SELECT * FROM t_customers WHERE reject IS NULL;
\i $top/sql/extract/unkept_customers.sql
CREATE TEMP VIEW src_orders AS
SELECT * FROM (VALUES (1::bigint), (2), (3), (3), (4), (4), (NULL)) AS v(customer_id);
\i $top/sql/extract/orphan_keys.sql
SELECT 'unkept ' || string_agg(k::text, ',' ORDER BY k) FROM u_customers;
SELECT 'orphans ' || string_agg(k::text, ',' ORDER BY k) FROM o_orders;
SQL
)
expect_match "a customer with no kept row is unkept, a kept duplicate is not" "$out" '^unkept 3$'
expect_match "orphans: the unkept and the unknown customer, once each" "$out" '^orphans 3,4$'
finish
