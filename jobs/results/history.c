/* The contract is in history.h. */
#include "history.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ERROR_WIDTH 72

static void local_time(double epoch, char *buf, size_t size)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M %Z", &tm);
}

static void duration(const char *secs, char *buf, size_t size)
{
    if (!secs) {
        snprintf(buf, size, "-");
        return;
    }
    long s = lround(atof(secs));
    if (s < 60)
        snprintf(buf, size, "%lds", s);
    else if (s < 3600)
        snprintf(buf, size, "%ldm%02lds", s / 60, s % 60);
    else
        snprintf(buf, size, "%ldh%02ldm", s / 3600, s % 3600 / 60);
}

/* The error's first line, cut to ERROR_WIDTH characters (not bytes). */
static char *first_line(const char *s)
{
    if (!s)
        return xstrdup("");
    size_t n = strcspn(s, "\n"), chars = 0, i = 0;
    for (; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > ERROR_WIDTH - 1)
            break;
    }
    return i < n ? xstrfmt("%.*s…", (int)i, s) : xstrfmt("%.*s", (int)n, s);
}

enum vr_status history_print(const struct config *c, const char *job, long last, FILE *out,
                             struct vr_error *err)
{
    struct db db;
    if (db_connect(&db, c->conninfo, "UTC", c->source_schema, c->results_schema, err) != VR_OK)
        return err->status;
    char n[24];
    snprintf(n, sizeof(n), "%ld", last);
    PGresult *r = NULL;
    if (schema_check(&db, c->results_schema, err) != VR_OK)
        goto done;
    r = db_query_file(&db, "could not read the runs", "results/history.sql",
                      SQL_ARGS({"job", job}, {"last", n}), err);
    if (!r)
        goto done;
    int rows = PQntuples(r);
    int w_job = 3;
    for (int i = 0; i < rows; i++) {
        int len = (int)strlen(db_get_text(r, i, "job"));
        w_job = len > w_job ? len : w_job;
    }
    fprintf(out, "%6s  %-*s  %-10s  %-9s  %-8s  %-20s  %7s  %7s  %5s  %-16s  %s\n", "run", w_job,
            "job", "as-of", "status", "trigger", "started", "took", "figures", "files", "mail",
            "error");
    for (int i = 0; i < rows; i++) {
        char started[64], took[32];
        local_time(atof(db_get_text(r, i, "started_epoch")), started, sizeof(started));
        duration(db_get_text(r, i, "took_seconds"), took, sizeof(took));
        const char *mail = db_get_text(r, i, "mail");
        char *error = first_line(db_get_text(r, i, "error"));
        fprintf(out, "%6s  %-*s  %-10s  %-9s  %-8s  %-20s  %7s  %7s  %5s  %-16s  %s\n",
                db_get_text(r, i, "run_id"), w_job, db_get_text(r, i, "job"),
                db_get_text(r, i, "as_of"), db_get_text(r, i, "status"),
                db_get_text(r, i, "trigger"), started, took, db_get_text(r, i, "figures"),
                db_get_text(r, i, "files"), mail ? mail : "-", error);
        free(error);
    }
    if (rows == 0)
        fprintf(out, "no runs%s%s%s in %s\n", job ? " of job \"" : "", job ? job : "",
                job ? "\"" : "", c->results_schema);
    if (fflush(out))
        vr_fail(err, VR_ERR_OUTPUT, "could not write to standard output");
done:
    PQclear(r);
    db_close(&db);
    return err->status;
}
