-- Which of the dated source tables the source schema has: period = all
-- starts at the earliest row of those present (period_earliest.sql); an
-- optional table the source lacks is skipped, not an error.
-- Figures: none. A step of period_all_start.sql.
-- Parameters: schema, tables (a text array of table names).
SELECT t AS present
  FROM unnest(:'tables'::text[]) AS t
 WHERE to_regclass(format('%I.%I', :'schema'::text, t)) IS NOT NULL
