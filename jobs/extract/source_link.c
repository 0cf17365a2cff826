#include "source_link.h"

#include "contract.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* The longest name PostgreSQL keeps whole (NAMEDATALEN - 1): a longer one
 * would be cut silently and two jobs could share a link. */
#define MAX_NAME 63

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

    if (db_exec_file(db,
                     "could not install postgres_fdw on the primary for [database] source_conninfo",
                     "extract/source_link_extension.sql", SQL_NO_ARGS, err) != VR_OK ||
        db_script_file(db, "could not prepare the source link", "extract/source_link_function.sql",
                       SQL_NO_ARGS, err) != VR_OK ||
        db_exec_file(db,
                     "could not read the source views through [database] source_conninfo (the "
                     "primary reads them with postgres_fdw)",
                     "extract/source_link.sql",
                     SQL_ARGS({"name", name}, {"remote_schema", c->source_schema},
                              {"views", views.buf}, {"server_keys", sk.buf},
                              {"server_values", sv.buf}, {"mapping_keys", uk.buf},
                              {"mapping_values", uv.buf}),
                     err) != VR_OK)
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
