-- The keys that more than one row of a source view shares: data-contract.md
-- "Rejected rows", duplicate_key (one row of a key is kept, the others are
-- rejected). Few, so only their rows are ranked (duplicate_rows.sql).
-- Grouped in key order with enable_hashagg off (the key's index, else
-- a sort), because a hash table of a million keys took 1.95 s of CPU where
-- the index took 0.17 s and a sort 0.57 s (docs/benchmark.md). The first
-- read of the view: its error names a missing privilege.
-- Figures: none. A step of the data checks, the key set :"keys".
-- Parameters: none (identifiers: :"view" the view, :"key" its key column,
-- :"keys" the table made).
SET enable_hashagg = off;
CREATE TEMP TABLE :"keys" AS
SELECT :"key" AS k
  FROM :"view"
 GROUP BY 1
HAVING count(*) > 1;
RESET enable_hashagg;
