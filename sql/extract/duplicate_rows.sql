-- Every row of a duplicated key (duplicate_keys.sql) or of no key, ranked:
-- the first is kept, the others are duplicate_key (data-contract.md
-- "Rejected rows"). First = the earliest timestamp, then the row's text in
-- byte order, so the choice is the same on every run and reproducible by
-- hand. Rows without a key are ranked as one group, as PARTITION BY groups
-- NULLs. Only these few rows are ranked and printed as text; ranking every
-- row sorted the whole table.
-- The two branches, rather than one "IN (...) OR IS NULL", let each use the
-- key's index instead of reading the whole view again.
-- Figures: none. A step of the data checks, the rows :"ranked".
-- Parameters: none (identifiers: :"view", :"key", :"ts" the timestamp that
-- decides, :"keys" from duplicate_keys.sql, :"ranked" the table made).
CREATE TEMP TABLE :"ranked" AS
SELECT s.*,
       row_number() OVER (PARTITION BY s.:"key"
                          ORDER BY s.:"ts" NULLS LAST, s::text COLLATE "C") AS vr_rank
  FROM (SELECT *
          FROM :"view"
         WHERE :"key" IN (SELECT k FROM :"keys")
        UNION ALL
        SELECT *
          FROM :"view"
         WHERE :"key" IS NULL) AS s
