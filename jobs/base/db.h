/* PostgreSQL access: one connection per struct db, parameters only (never
 * values pasted into SQL), identifiers from config quoted once with
 * PQescapeIdentifier, and the time spent waiting on the server counted so
 * a run can report how much of it was PostgreSQL. */
#ifndef VR_DB_H
#define VR_DB_H

#include "error.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct db {
    PGconn *conn;
    char *src;        /* quoted source schema identifier */
    char *src_name;   /* the same, as written in the config (a value for SQL) */
    char *res;        /* quoted results schema identifier */
    double seconds;   /* wall time spent in server round trips */
    /* The session script of --sql-trace (docs/sql.md): every statement that
     * builds the snapshot's objects, written so psql can replay it. */
    FILE *trace;
    bool trace_quiet; /* sql_file.c writes its own form of the statement */
};

/* Connects (empty conninfo: libpq's PG* environment and service files) and
 * sets the session time zone, so that date_trunc and interval arithmetic on
 * timestamptz follow the job's local calendar. */
enum vr_status db_connect(struct db *db, const char *conninfo, const char *time_zone,
                          const char *source_schema, const char *results_schema,
                          struct vr_error *err);
void db_close(struct db *db);

/* An identifier from the catalog or the config, quoted for SQL; NULL when
 * libpq cannot (out of memory).  Caller frees. */
char *db_quote_ident(const struct db *db, const char *name);

/* Replaces {src} and {res} in a SQL template with the quoted schemas. */
char *db_sql(const struct db *db, const char *tmpl);

/* Runs a statement with text parameters ({src}/{res} expanded).  Returns the
 * result (caller PQclear()s) or NULL with err set; what names the step in the
 * message ("could not count rejected rows"). */
PGresult *db_query(struct db *db, const char *what, const char *tmpl, int nparams,
                   const char *const *params, struct vr_error *err);
enum vr_status db_exec(struct db *db, const char *what, const char *tmpl, int nparams,
                       const char *const *params, struct vr_error *err);

/* Runs several statements without parameters (migrations, BEGIN/COMMIT). */
enum vr_status db_script(struct db *db, const char *what, const char *tmpl, struct vr_error *err);

/* Appends one element to a text[] literal being built in sb (which starts
 * with "{"): quoted and escaped, so any text is safe as a parameter. */
struct strbuf;
void db_array_add(struct strbuf *sb, const char *s);
/* The whole text[] literal of items[0..n), ending early at a NULL item (so
 * SIZE_MAX takes a NULL-terminated list whole).  Caller frees. */
char *db_array_of(char *const *items, size_t n);

/* Helpers for reading result cells. NULL cells read as 0 / has = false. */
long long db_ll(const PGresult *r, int row, int col);
double db_double(const PGresult *r, int row, int col, bool *has);
const char *db_text(const PGresult *r, int row, int col); /* NULL for SQL NULL */

/* Writes a statement that ran into db->trace when it built something (no
 * rows back) and took no values: psql replays it as it is. */
void db_trace_statement(struct db *db, const char *sql, int nparams, const PGresult *r);

/* Sums the server time of all connections (for the run's report). */
double db_total_seconds(void);

#endif
