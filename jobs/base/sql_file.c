#include "sql_file.h"

#include "log.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX_PARAMS 32

const char *sql_file_text(const char *name)
{
    for (const struct sql_file *f = sql_files; f->name; f++)
        if (!strcmp(f->name, name))
            return f->text;
    return NULL;
}

static const struct sql_arg *find_arg(const struct sql_arg *args, const char *name, size_t n)
{
    for (const struct sql_arg *a = args; a && a->name; a++)
        if (strlen(a->name) == n && !strncmp(a->name, name, n))
            return a;
    return NULL;
}

/* Copies a literal, quoted identifier, comment or dollar-quoted body whole,
 * so that a ':' inside one is never taken for a name.  Returns the length
 * copied, 0 when s does not start one. */
static size_t skip_quoted(struct strbuf *sb, const char *s)
{
    const char *e = NULL;
    if (*s == '\'' || *s == '"') {
        e = s + 1;
        while (*e && !(*e == *s && e[1] != *s))
            e += (*e == *s) ? 2 : 1;
        if (*e)
            e++;
    } else if (s[0] == '-' && s[1] == '-') {
        e = s + strcspn(s, "\n");
    } else if (s[0] == '/' && s[1] == '*') {
        const char *end = strstr(s + 2, "*/");
        e = end ? end + 2 : s + strlen(s);
    } else if (*s == '$') {
        size_t t = 1 + strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_");
        if (s[t] != '$')
            return 0;
        char tag[64];
        if (t + 1 >= sizeof(tag))
            return 0;
        memcpy(tag, s, t + 1);
        tag[t + 1] = '\0';
        const char *end = strstr(s + t + 1, tag);
        e = end ? end + t + 1 : s + strlen(s);
    }
    if (!e)
        return 0;
    strbuf_add(sb, s, (size_t)(e - s));
    return (size_t)(e - s);
}

char *sql_file_bind(struct db *db, const char *name, const struct sql_arg *args,
                    const char **values, int max_values, int *n_values, struct vr_error *err)
{
    const char *s = sql_file_text(name);
    if (!s) {
        vr_fail(err, VR_ERR_INTERNAL, "sql/%s is not built into this program", name);
        return NULL;
    }
    return sql_bind_text(db, name, s, args, values, max_values, n_values, err);
}

char *sql_file_plain(struct db *db, const char *name, const struct sql_arg *args,
                     struct vr_error *err)
{
    const char *values[1];
    int n = 0;
    return sql_file_bind(db, name, args, values, 0, &n, err);
}

char *sql_bind_text(struct db *db, const char *name, const char *s, const struct sql_arg *args,
                    const char **values, int max_values, int *n_values, struct vr_error *err)
{
    char prev = '\0';
    const struct sql_arg *used[SQL_MAX_PARAMS];
    int n = 0;
    struct strbuf sb;
    strbuf_init(&sb);
    while (*s) {
        size_t k = skip_quoted(&sb, s);
        if (k) {
            s += k;
            prev = '\0';
            continue;
        }
        /* "::" is a cast, not a name. */
        if (s[0] != ':' || (s[1] != '\'' && s[1] != '"') || prev == ':') {
            prev = *s;
            strbuf_add(&sb, s, 1);
            s++;
            continue;
        }
        char q = s[1];
        const char *nm = s + 2;
        size_t len = strcspn(nm, q == '\'' ? "'" : "\"");
        if (!nm[len] || !len)
            goto bad_name;
        const struct sql_arg *a = find_arg(args, nm, len);
        if (q == '"') {
            char *ident = NULL;
            if (a && a->value)
                ident = db_quote_ident(db, a->value);
            else if (!a && len == 3 && !strncmp(nm, "src", 3))
                ident = xstrdup(db->src);
            else if (!a && len == 3 && !strncmp(nm, "res", 3))
                ident = xstrdup(db->res);
            if (!ident)
                goto bad_name;
            strbuf_adds(&sb, ident);
            free(ident);
        } else {
            if (!a)
                goto bad_name;
            int i = 0;
            while (i < n && used[i] != a)
                i++;
            if (i == n) {
                if (n == SQL_MAX_PARAMS || n == max_values) {
                    vr_fail(err, VR_ERR_INTERNAL, "sql/%s: more than %d values", name, n);
                    strbuf_release(&sb);
                    return NULL;
                }
                used[n++] = a;
            }
            strbuf_addf(&sb, "$%d", i + 1);
        }
        s = nm + len + 1;
        prev = '\0';
    }
    for (int i = 0; i < n; i++)
        values[i] = used[i]->value;
    *n_values = n;
    return strbuf_detach(&sb);

bad_name:
    vr_fail(err, VR_ERR_INTERNAL, "sql/%s: no value for %.*s", name,
            (int)(strcspn(s + 2, "'\"") + 3), s);
    strbuf_release(&sb);
    return NULL;
}

void sql_trace_set(FILE *f, const char *name, const char *value)
{
    fprintf(f, "\\set %s '", name);
    for (const char *v = value; *v; v++) {
        if (*v == '\'' || *v == '\\')
            fputc('\\', f);
        fputc(*v, f);
    }
    fputs("'\n", f);
}

/* The file as psql runs it: its values set first.  A file that returned
 * rows (an analysis) is named, not repeated: the reader runs it. */
static void trace_file(struct db *db, const char *file, const struct sql_arg *args, bool built)
{
    if (!db->trace || db->trace_quiet)
        return;
    FILE *f = db->trace;
    for (const struct sql_arg *a = args; a && a->name; a++) {
        if (!a->value) {
            fprintf(f, "-- %s is NULL here: a file that uses it cannot be replayed as is\n",
                    a->name);
            continue;
        }
        sql_trace_set(f, a->name, a->value);
    }
    if (built) {
        /* A file of one statement may end without ";": psql needs it. */
        const char *text = sql_file_text(file);
        size_t n = strlen(text);
        while (n && strchr(" \t\r\n", text[n - 1]))
            n--;
        fprintf(f, "-- sql/%s\n%.*s%s\n\n", file, (int)n, text, n && text[n - 1] == ';' ? "" : ";");
    } else
        fprintf(f, "-- the run read sql/%s here, with the values above\n\n", file);
}

PGresult *db_query_file(struct db *db, const char *what, const char *file,
                        const struct sql_arg *args, struct vr_error *err)
{
    const char *values[SQL_MAX_PARAMS];
    int n = 0;
    char *sql = sql_file_bind(db, file, args, values, SQL_MAX_PARAMS, &n, err);
    if (!sql)
        return NULL;
    bool quiet = db->trace_quiet;
    db->trace_quiet = true;
    PGresult *r = db_query(db, what, sql, n, values, err);
    db->trace_quiet = quiet;
    free(sql);
    if (r)
        trace_file(db, file, args, PQresultStatus(r) == PGRES_COMMAND_OK);
    return r;
}

enum vr_status db_exec_file(struct db *db, const char *what, const char *file,
                            const struct sql_arg *args, struct vr_error *err)
{
    PGresult *r = db_query_file(db, what, file, args, err);
    if (!r)
        return err->status;
    PQclear(r);
    return VR_OK;
}

enum vr_status db_script_file(struct db *db, const char *what, const char *file,
                              const struct sql_arg *args, struct vr_error *err)
{
    char *sql = sql_file_plain(db, file, args, err);
    if (!sql)
        return err->status;
    bool quiet = db->trace_quiet;
    db->trace_quiet = true;
    enum vr_status st = db_script(db, what, sql, err);
    db->trace_quiet = quiet;
    free(sql);
    if (st == VR_OK)
        trace_file(db, file, args, true);
    return st;
}

int db_col(const PGresult *r, const char *name)
{
    int c = PQfnumber(r, name);
    if (c < 0) {
        /* PQfnumber folds an unquoted name to lower case: quote it so the
         * name is taken as written. */
        char quoted[128];
        snprintf(quoted, sizeof(quoted), "\"%s\"", name);
        c = PQfnumber(r, quoted);
    }
    if (c < 0) {
        log_error("internal error: a query of sql/ has no column \"%s\"", name);
        abort();
    }
    return c;
}

long long db_get_ll(const PGresult *r, int row, const char *col)
{
    return db_ll(r, row, db_col(r, col));
}

double db_get_double(const PGresult *r, int row, const char *col, bool *has)
{
    return db_double(r, row, db_col(r, col), has);
}

const char *db_get_text(const PGresult *r, int row, const char *col)
{
    return db_text(r, row, db_col(r, col));
}

enum vr_status db_define_all(struct db *db, struct vr_error *err)
{
    for (const struct sql_file *f = sql_files; f->name; f++) {
        if (strncmp(f->name, "defs/", 5))
            continue;
        char what[160];
        snprintf(what, sizeof(what), "could not define sql/%s", f->name);
        if (db_script_file(db, what, f->name, SQL_NO_ARGS, err) != VR_OK)
            return err->status;
    }
    return VR_OK;
}
