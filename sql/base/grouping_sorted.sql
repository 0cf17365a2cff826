-- Groups by sorting, not hashing, for the statement that follows: for a
-- GROUP BY of millions of rows into millions of groups whose aggregates
-- keep a large state each (a numeric sum among them), where the hash table
-- outgrows memory and the cache. t_paid at 10 M responses: 17.3 s hashed
-- (spilled to disk), 13.1 s sorted; 22.2 s hashed with the memory to keep
-- it whole (docs/benchmark.md "Customer classes by sorting").
-- Figures: none. Undone by grouping_reset.sql.
-- Parameters: none.
SET enable_hashagg = off;
