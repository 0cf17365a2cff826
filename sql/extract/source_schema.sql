-- Whether the job's source schema exists: without it the contract check
-- says so in one sentence instead of listing every view as missing.
-- Figures: none. The contract check.
-- Parameters: schema.
SELECT count(*) > 0 AS schema_exists
  FROM pg_namespace
 WHERE nspname = :'schema'
