-- postgres_fdw on the primary, which reads the source views of
-- [database] source_conninfo through it (source_link_function.sql). Without
-- the privilege, an installed extension is enough: IF NOT EXISTS checks
-- before it needs one.
-- Figures: none. A step of a job with a source_conninfo.
-- Parameters: none.
CREATE EXTENSION IF NOT EXISTS postgres_fdw
