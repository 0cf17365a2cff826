-- Has the results schema ever been initialised (its schema_version table)?
-- Figures: none.
-- Parameters: schema (the results schema's name, unquoted).
SELECT EXISTS (SELECT 1
                 FROM pg_tables
                WHERE schemaname = :'schema'
                  AND tablename = 'schema_version') AS initialised;
