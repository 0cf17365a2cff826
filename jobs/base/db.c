#include "db.h"

#include "log.h"
#include "sql_file.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double total_seconds;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double db_total_seconds(void)
{
    return total_seconds;
}

static char *quote_ident(PGconn *conn, const char *name)
{
    char *q = PQescapeIdentifier(conn, name, strlen(name));
    if (!q)
        return NULL;
    char *out = xstrdup(q);
    PQfreemem(q);
    return out;
}

char *db_quote_ident(const struct db *db, const char *name)
{
    return quote_ident(db->conn, name);
}

static char *trimmed_error(PGconn *conn)
{
    char *msg = xstrdup(PQerrorMessage(conn));
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    return msg;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    log_debug("server: %s", message);
}

enum vr_status db_connect(struct db *db, const char *conninfo, const char *time_zone,
                          const char *source_schema, const char *results_schema,
                          struct vr_error *err)
{
    memset(db, 0, sizeof(*db));
    /* TCP keepalives, so a NAT or firewall does not cut the idle
     * bookkeeping connection of a long run; before dbname, so a conninfo
     * that sets its own wins. */
    const char *keys[] = {"keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "dbname",
                          "fallback_application_name",
                          NULL};
    const char *vals[] = {"1", "60", "10", "6", conninfo, "vocreport", NULL};
    double t0 = now_seconds();
    db->conn = PQconnectdbParams(keys, vals, 1);
    double dt = now_seconds() - t0;
    db->seconds += dt;
    total_seconds += dt;
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        /* libpq's message names host and user, never the password. */
        char *msg = db->conn ? trimmed_error(db->conn) : xstrdup("out of memory");
        vr_fail(err, VR_ERR_DB, "could not connect to the database: %s", msg);
        free(msg);
        db_close(db);
        return VR_ERR_DB;
    }
    /* "already exists, skipping" and the like are not news to an operator. */
    PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
    db->src = quote_ident(db->conn, source_schema);
    db->res = quote_ident(db->conn, results_schema);
    db->src_name = strdup(source_schema);
    if (!db->src || !db->res || !db->src_name) {
        db_close(db);
        return vr_fail(err, VR_ERR_CONFIG, "invalid schema name in [database]");
    }
    /* Only the zone can fail here, and it came from the config: the config
     * is what to fix. */
    struct vr_error set = {0};
    if (db_exec_file(db, "could not set the session time zone", "base/session.sql",
                     SQL_ARGS({"time_zone", time_zone}), &set) != VR_OK) {
        db_close(db);
        return vr_fail(err, set.status == VR_ERR_DB ? VR_ERR_DB : VR_ERR_CONFIG,
                       "%s (time_zone \"%s\")", set.msg, time_zone);
    }
    return VR_OK;
}

void db_close(struct db *db)
{
    if (db->conn)
        PQfinish(db->conn);
    free(db->src);
    free(db->src_name);
    free(db->res);
    memset(db, 0, sizeof(*db));
}

char *db_sql(const struct db *db, const char *tmpl)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = tmpl; *p;) {
        if (!strncmp(p, "{src}", 5)) {
            strbuf_adds(&sb, db->src);
            p += 5;
        } else if (!strncmp(p, "{res}", 5)) {
            strbuf_adds(&sb, db->res);
            p += 5;
        } else {
            strbuf_add(&sb, p++, 1);
        }
    }
    return strbuf_detach(&sb);
}

/* Maps a server error to the exit status an operator can act on, the same
 * in every phase of a run (README "Exit statuses"). */
static enum vr_status classify(const PGresult *r, PGconn *conn)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(conn) != CONNECTION_OK || !state)
        return VR_ERR_DB;
    /* The database cannot serve us: connection (08), operator intervention
     * such as a statement timeout or a shutdown (57), missing privilege
     * (42501), resources such as a full disk (53), or a system error (58). */
    if (!strncmp(state, "08", 2) || !strncmp(state, "57", 2) || !strcmp(state, "42501") ||
        !strncmp(state, "53", 2) || !strncmp(state, "58", 2))
        return VR_ERR_DB;
    /* Undefined table/column/function or a type mismatch: the source views
     * do not follow the data contract. */
    if (!strncmp(state, "42", 2) || !strncmp(state, "22", 2) || !strncmp(state, "3F", 2))
        return VR_ERR_DATA;
    return VR_ERR_INTERNAL;
}

/* The error of a failed statement, said once for db_query and db_script:
 * the server's message, its hint, and for a missing privilege what to
 * grant.  sql: the statement, logged when the source does not follow the
 * contract (NULL: a script, not logged). */
static void fail_from(struct db *db, PGresult *r, const char *what, const char *sql,
                      struct vr_error *err)
{
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *hint = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_HINT) : NULL;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!hint && state && !strcmp(state, "42501"))
        hint = "grant the database user of [database] conninfo the privilege, e.g. SELECT on "
               "the source views (README \"Installing for real\")";
    char *connmsg = trimmed_error(db->conn);
    enum vr_status st = classify(r, db->conn);
    vr_fail(err, st, "%s: %s%s%s%s", what, primary ? primary : connmsg, hint ? " (hint: " : "",
            hint ? hint : "", hint ? ")" : "");
    if (st == VR_ERR_DATA && sql)
        log_error("detail: failing statement: %s", sql);
    free(connmsg);
}

PGresult *db_query(struct db *db, const char *what, const char *tmpl, int nparams,
                   const char *const *params, struct vr_error *err)
{
    char *sql = db_sql(db, tmpl);
    double t0 = now_seconds();
    PGresult *r = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    double dt = now_seconds() - t0;
    db->seconds += dt;
    total_seconds += dt;
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        db_trace_statement(db, sql, nparams, r);
        free(sql);
        return r;
    }
    fail_from(db, r, what, sql, err);
    free(sql);
    PQclear(r);
    return NULL;
}

enum vr_status db_exec(struct db *db, const char *what, const char *tmpl, int nparams,
                       const char *const *params, struct vr_error *err)
{
    PGresult *r = db_query(db, what, tmpl, nparams, params, err);
    if (!r)
        return err->status;
    PQclear(r);
    return VR_OK;
}

enum vr_status db_script(struct db *db, const char *what, const char *tmpl, struct vr_error *err)
{
    char *sql = db_sql(db, tmpl);
    double t0 = now_seconds();
    PGresult *r = PQexec(db->conn, sql);
    double dt = now_seconds() - t0;
    db->seconds += dt;
    total_seconds += dt;
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        db_trace_statement(db, sql, 0, r);
    free(sql);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        PQclear(r);
        return VR_OK;
    }
    fail_from(db, r, what, NULL, err);
    PQclear(r);
    return err->status;
}

void db_trace_statement(struct db *db, const char *sql, int nparams, const PGresult *r)
{
    if (!db->trace || db->trace_quiet || nparams || PQresultStatus(r) != PGRES_COMMAND_OK)
        return;
    fprintf(db->trace, "%s;\n\n", sql);
}

long long db_ll(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

double db_double(const PGresult *r, int row, int col, bool *has)
{
    bool isnull = PQgetisnull(r, row, col);
    if (has)
        *has = !isnull;
    return isnull ? 0.0 : strtod(PQgetvalue(r, row, col), NULL);
}

const char *db_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

void db_array_add(struct strbuf *sb, const char *s)
{
    strbuf_adds(sb, sb->len > 1 ? ",\"" : "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_add(sb, "\\", 1);
        strbuf_add(sb, s, 1);
    }
    strbuf_adds(sb, "\"");
}

char *db_array_of(char *const *items, size_t n)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; items && i < n && items[i]; i++)
        db_array_add(&sb, items[i]);
    strbuf_adds(&sb, "}");
    return strbuf_detach(&sb);
}
