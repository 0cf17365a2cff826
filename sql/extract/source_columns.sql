-- The columns of the data contract's views that exist in the source
-- schema, in their own order, with the base type of a domain (a domain over
-- a domain is followed to its end): what contract.c checks against
-- data-contract.md. A view without columns has one row with a NULL column.
-- Figures: none. The contract check.
-- Parameters: schema, views (a text array of the contract's view names).
WITH RECURSIVE rel AS (
    SELECT c.oid,
           c.relname
      FROM pg_class AS c
      JOIN pg_namespace AS n ON n.oid = c.relnamespace
     WHERE n.nspname = :'schema'
       AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
       AND c.relname = ANY (:'views'::text[])
),
col AS (
    SELECT r.relname,
           a.attnum,
           a.attname,
           a.atttypid,
           a.atttypmod
      FROM rel AS r
      LEFT JOIN pg_attribute AS a
             ON a.attrelid = r.oid
            AND a.attnum > 0
            AND NOT a.attisdropped
),
base (relname, attnum, typ, depth) AS (
    SELECT relname, attnum, atttypid, 0
      FROM col
     WHERE atttypid IS NOT NULL
    UNION ALL
    SELECT b.relname, b.attnum, t.typbasetype, b.depth + 1
      FROM base AS b
      JOIN pg_type AS t ON t.oid = b.typ
     WHERE t.typtype = 'd'
)
SELECT c.relname AS view_name,
       c.attname AS column_name,
       format_type(c.atttypid, c.atttypmod) AS column_type,
       bt.typname AS base_name,
       format_type(bt.oid, NULL) AS base_type,
       c.atttypid <> bt.oid AS is_domain
  FROM col AS c
  LEFT JOIN LATERAL (SELECT typ
                       FROM base AS b
                      WHERE b.relname = c.relname
                        AND b.attnum = c.attnum
                      ORDER BY depth DESC
                      LIMIT 1) AS b ON true
  LEFT JOIN pg_type AS bt ON bt.oid = b.typ
 ORDER BY c.relname, c.attnum
