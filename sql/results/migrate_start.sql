-- Start of init-db, inside its transaction: one init-db at a time (two
-- racing migrations would both apply), and the table that says which
-- migrations (migrate_NNN_*.sql, applied in order) a results schema has.
-- Figures: none.
-- Parameters: none.
SELECT pg_advisory_xact_lock(hashtext('vocreport.migrate'));

CREATE SCHEMA IF NOT EXISTS :"res";

CREATE TABLE IF NOT EXISTS :"res".schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
