-- The source views of [database] source_conninfo, linked afresh into the
-- schema :'name' on the primary (source_link_function.sql). The option
-- lists are the connection string's keywords: user, password and
-- sslpassword go on the user mapping, every other one on the server
-- (postgres_fdw's option.c).
-- Figures: none. A step of a job with a source_conninfo.
-- Parameters: name, remote_schema, views, server_keys, server_values,
--   mapping_keys, mapping_values (text arrays but the first two).
SELECT pg_temp.vr_source_link(:'name', :'remote_schema', :'views',
                              :'server_keys', :'server_values',
                              :'mapping_keys', :'mapping_values')
