#include "source_link.h"

#include "contract.h"
#include "jobs/base/strbuf.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* The longest name PostgreSQL keeps whole (NAMEDATALEN - 1): a longer one
 * would be cut silently and two jobs could share a link. */
#define MAX_NAME 63

/* Marks the schema and server this module made: a schema or server of the
 * same name that someone else made is never dropped. */
#define MARK "vocreport source link"

/* DDL takes no parameters: the values are quoted by the server (format
 * %I/%L) inside this function, so they arrive as bind parameters and never
 * appear in a statement's text (log_statement = ddl logs none of them).
 * fetch_size: the data checks read whole tables through it, and 100 rows
 * a round trip (the default) is 10,000 round trips a million rows.
 * use_remote_estimate: foreign tables have no local statistics; without
 * the remote's estimates the planner guesses 1000 rows and may choose a
 * nested loop of remote scans.  $1 name, $2 remote schema, $3 views,
 * $4/$5 server options, $6/$7 user mapping options. */
static const char link_fn[] =
    "CREATE OR REPLACE FUNCTION pg_temp.vr_source_link(name text, remote text, views text[],"
    "  sk text[], sv text[], uk text[], uv text[]) RETURNS void LANGUAGE plpgsql AS $$"
    " BEGIN"
    "  IF EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = name"
    "     AND obj_description(n.oid, 'pg_namespace') IS DISTINCT FROM '" MARK "')"
    "   OR EXISTS (SELECT 1 FROM pg_foreign_server s WHERE s.srvname = name"
    "     AND obj_description(s.oid, 'pg_foreign_server') IS DISTINCT FROM '" MARK "') THEN"
    "   RAISE EXCEPTION 'a schema or foreign server named \"%\" exists and vocreport did not make"
    " it', name USING HINT = 'rename it, or rename the job or [database] results_schema';"
    "  END IF;"
    "  EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', name);"
    "  EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', name);"
    "  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (%s)', name,"
    "   (SELECT string_agg(format('%I %L', k, v), ', ') FROM unnest(sk || '{fetch_size,"
    "use_remote_estimate}'::text[], sv || '{10000,true}'::text[]) o(k, v)));"
    "  EXECUTE format('COMMENT ON SERVER %I IS %L', name, '" MARK "');"
    "  EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I', name)"
    "   || coalesce(' OPTIONS (' || (SELECT string_agg(format('%I %L', k, v), ', ')"
    "    FROM unnest(uk, uv) o(k, v)) || ')', '');"
    "  EXECUTE format('CREATE SCHEMA %I', name);"
    "  EXECUTE format('COMMENT ON SCHEMA %I IS %L', name, '" MARK "');"
    "  EXECUTE format('IMPORT FOREIGN SCHEMA %I LIMIT TO (%s) FROM SERVER %I INTO %I', remote,"
    "   (SELECT string_agg(format('%I', v), ', ') FROM unnest(views) v), name, name);"
    " END $$";

/* libpq keywords postgres_fdw takes on the user mapping; every other one
 * goes on the server (postgres_fdw's option.c). */
static bool mapping_option(const char *keyword)
{
    return !strcmp(keyword, "user") || !strcmp(keyword, "password") ||
           !strcmp(keyword, "sslpassword");
}

char *source_link_name(const struct config *c, const char *job)
{
    return xstrfmt("%s_src_%s", c->results_schema, job);
}

enum vr_status source_link_refresh(struct db *db, const struct config *c, const char *job,
                                   char **schema, struct vr_error *err)
{
    *schema = NULL;
    char *name = source_link_name(c, job);
    struct strbuf sk, sv, uk, uv, views;
    strbuf_init(&sk);
    strbuf_init(&sv);
    strbuf_init(&uk);
    strbuf_init(&uv);
    strbuf_init(&views);
    PQconninfoOption *opts = NULL;
    if (strlen(name) > MAX_NAME) {
        vr_fail(err, VR_ERR_CONFIG,
                "%s: the source link of job \"%s\" would be named \"%s\", longer than the %d "
                "bytes of a PostgreSQL name; shorten the job's name or [database] results_schema",
                c->path, job, name, MAX_NAME);
        goto cleanup;
    }
    /* check-config parsed it already; a failure here is not the config's. */
    opts = PQconninfoParse(c->source_conninfo, NULL);
    if (!opts) {
        vr_fail(err, VR_ERR_CONFIG, "%s: [database] source_conninfo is not a connection string",
                c->path);
        goto cleanup;
    }
    strbuf_adds(&sk, "{");
    strbuf_adds(&sv, "{");
    strbuf_adds(&uk, "{");
    strbuf_adds(&uv, "{");
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        bool mapping = mapping_option(o->keyword);
        db_array_add(mapping ? &uk : &sk, o->keyword);
        db_array_add(mapping ? &uv : &sv, o->val);
    }
    strbuf_adds(&sk, "}");
    strbuf_adds(&sv, "}");
    strbuf_adds(&uk, "}");
    strbuf_adds(&uv, "}");
    strbuf_adds(&views, "{");
    for (int i = 0; i < CONTRACT_TABLES; i++)
        db_array_add(&views, contract_tables[i].name);
    strbuf_adds(&views, "}");

    /* Without the privilege, an installed extension is enough: IF NOT
     * EXISTS checks before it needs one. */
    if (db_exec(db, "could not install postgres_fdw on the primary for [database] source_conninfo",
                "CREATE EXTENSION IF NOT EXISTS postgres_fdw", 0, NULL, err) != VR_OK ||
        db_script(db, "could not prepare the source link", link_fn, err) != VR_OK)
        goto cleanup;
    const char *p[] = {name, c->source_schema, views.buf, sk.buf, sv.buf, uk.buf, uv.buf};
    if (db_exec(db,
                "could not read the source views through [database] source_conninfo (the "
                "primary reads them with postgres_fdw)",
                "SELECT pg_temp.vr_source_link($1, $2, $3, $4, $5, $6, $7)", 7, p, err) != VR_OK)
        goto cleanup;
    char *quoted = db_quote_ident(db, name);
    if (!quoted) {
        vr_fail(err, VR_ERR_INTERNAL, "out of memory");
        goto cleanup;
    }
    free(db->src);
    db->src = quoted;
    *schema = name;
    name = NULL;
cleanup:
    PQconninfoFree(opts);
    strbuf_release(&sk);
    strbuf_release(&sv);
    strbuf_release(&uk);
    strbuf_release(&uv);
    strbuf_release(&views);
    free(name);
    return err->status;
}
