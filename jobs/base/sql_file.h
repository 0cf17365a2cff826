/* The queries of sql/, embedded in the binary at build time
 * (scripts/embed_sql.cmake), so that the SQL finance reads is the SQL that
 * runs.  A file is written for psql: a reader sets the same names with
 * `psql -v name=value` and gets the same rows (docs/sql.md).
 *
 *   :'name'  a value: sent as a parameter ($n), never pasted into the text
 *   :"name"  an identifier: a schema or table name, quoted with
 *            PQescapeIdentifier; :"src" and :"res" are the job's source and
 *            results schemas
 *
 * Results are read by column name, so a file's columns may be reordered or
 * added without touching the C that reads them. */
#ifndef VR_SQL_FILE_H
#define VR_SQL_FILE_H

#include "db.h"

struct sql_arg {
    const char *name;
    const char *value; /* NULL: SQL NULL */
};

/* A NULL-terminated argument list in place: SQL_ARGS({"as_of", d}, ...). */
#define SQL_ARGS(...) ((const struct sql_arg[]){__VA_ARGS__, {NULL, NULL}})
#define SQL_NO_ARGS ((const struct sql_arg[]){{NULL, NULL}})

struct sql_file {
    const char *name; /* path under sql/, e.g. "compute/scores.sql" */
    const char *text;
};
extern const struct sql_file sql_files[]; /* generated; ends with {NULL, NULL} */

/* The text of sql/<name> as written; NULL if there is no such file. */
const char *sql_file_text(const char *name);

/* The text with every :'name' turned into $1, $2... in order of first
 * appearance and every :"name" into a quoted identifier; values[] receives
 * the parameters (pointers into args).  NULL with err set when a name has no
 * argument or the file does not exist.  Caller frees. */
char *sql_file_bind(struct db *db, const char *name, const struct sql_arg *args,
                    const char **values, int max_values, int *n_values, struct vr_error *err);

/* The text of a file that takes no values (identifiers only), for the
 * statements libpq runs its own way: COPY, a streamed query.  Caller frees. */
char *sql_file_plain(struct db *db, const char *name, const struct sql_arg *args,
                     struct vr_error *err);

/* The same for a text of one's own (name only for messages): the tests'. */
char *sql_bind_text(struct db *db, const char *name, const char *text, const struct sql_arg *args,
                    const char **values, int max_values, int *n_values, struct vr_error *err);

/* One statement of sql/<file> with its named arguments; as db_query. */
PGresult *db_query_file(struct db *db, const char *what, const char *file,
                        const struct sql_arg *args, struct vr_error *err);
enum vr_status db_exec_file(struct db *db, const char *what, const char *file,
                            const struct sql_arg *args, struct vr_error *err);
/* Several statements and no values (views, functions of a run). */
enum vr_status db_script_file(struct db *db, const char *what, const char *file,
                              const struct sql_arg *args, struct vr_error *err);

/* Creates the run's shared definitions, every file of sql/defs/ in name
 * order (functions and views in pg_temp: they live as long as the session). */
enum vr_status db_define_all(struct db *db, struct vr_error *err);

/* A psql \set line of the session script (--sql-trace), value quoted. */
void sql_trace_set(FILE *f, const char *name, const char *value);

/* A result's column by name.  A missing column is a bug in the program (the
 * file and its reader disagree): it aborts with both names. */
int db_col(const PGresult *r, const char *name);
long long db_get_ll(const PGresult *r, int row, const char *col);
double db_get_double(const PGresult *r, int row, const char *col, bool *has);
const char *db_get_text(const PGresult *r, int row, const char *col); /* NULL for SQL NULL */

#endif
