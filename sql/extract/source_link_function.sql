-- The link to the source of [database] source_conninfo: a foreign server,
-- the user's mapping and a schema of the contract's views imported from the
-- source (source_link.sql calls it).
-- DDL takes no parameters: the values are quoted by the server (format
-- %I/%L) inside this function, so they arrive as bind parameters and never
-- appear in a statement's text (log_statement = ddl logs none of them); the
-- password is only in the user mapping.
-- fetch_size: the data checks read whole tables through it, and 100 rows a
-- round trip (the default) is 10,000 round trips a million rows.
-- use_remote_estimate: foreign tables have no local statistics; without
-- the remote's estimates the planner guesses 1000 rows and may choose a
-- nested loop of remote scans.
-- The comment `mark` marks the schema and server this function made: a
-- schema or server of the same name that someone else made is never dropped.
-- Figures: none. A definition: pg_temp.vr_source_link(name, remote schema,
--   views, server option keys and values, user mapping keys and values).
-- Parameters: none.
CREATE OR REPLACE FUNCTION pg_temp.vr_source_link(name text, remote text, views text[],
                                                  sk text[], sv text[], uk text[], uv text[])
    RETURNS void LANGUAGE plpgsql
AS $$
DECLARE
    mark constant text := 'vocreport source link';
BEGIN
    IF EXISTS (SELECT 1
                 FROM pg_namespace n
                WHERE n.nspname = name
                  AND obj_description(n.oid, 'pg_namespace') IS DISTINCT FROM mark)
       OR EXISTS (SELECT 1
                    FROM pg_foreign_server s
                   WHERE s.srvname = name
                     AND obj_description(s.oid, 'pg_foreign_server') IS DISTINCT FROM mark) THEN
        RAISE EXCEPTION 'a schema or foreign server named "%" exists and vocreport did not make it', name
            USING HINT = 'rename it, or rename the job or [database] results_schema';
    END IF;
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', name);
    EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', name);
    EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (%s)', name,
                   (SELECT string_agg(format('%I %L', k, v), ', ')
                      FROM unnest(sk || '{fetch_size,use_remote_estimate}'::text[],
                                  sv || '{10000,true}'::text[]) o(k, v)));
    EXECUTE format('COMMENT ON SERVER %I IS %L', name, mark);
    EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I', name)
            || coalesce(' OPTIONS (' || (SELECT string_agg(format('%I %L', k, v), ', ')
                                           FROM unnest(uk, uv) o(k, v)) || ')', '');
    EXECUTE format('CREATE SCHEMA %I', name);
    EXECUTE format('COMMENT ON SCHEMA %I IS %L', name, mark);
    EXECUTE format('IMPORT FOREIGN SCHEMA %I LIMIT TO (%s) FROM SERVER %I INTO %I', remote,
                   (SELECT string_agg(format('%I', v), ', ') FROM unnest(views) v), name, name);
END
$$;
