/* The contract is in history.h. */
#include "history.h"

#include "jobs/base/db.h"
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
    const char *v[] = {job, n};
    PGresult *r = NULL;
    if (schema_check(&db, c->results_schema, err) != VR_OK)
        goto done;
    /* Mail: report mails by status, e.g. "8 sent" or "6 sent, 2 failed". */
    r = db_query(&db, "could not read the runs",
                 "SELECT r.run_id, r.job, to_char(r.as_of AT TIME ZONE r.time_zone, 'YYYY-MM-DD'),"
                 "  r.status, extract(epoch FROM r.started_at),"
                 "  extract(epoch FROM r.finished_at - r.started_at),"
                 "  (SELECT count(*) FROM {res}.kpi_values k WHERE k.run_id = r.run_id),"
                 "  (SELECT count(*) FROM {res}.outputs o WHERE o.run_id = r.run_id),"
                 "  (SELECT string_agg(cnt || ' ' || status, ', ' ORDER BY status)"
                 "     FROM (SELECT status, count(*) AS cnt FROM {res}.deliveries d"
                 "           WHERE d.run_id = r.run_id AND d.kind = 'report' GROUP BY status) m),"
                 "  coalesce(r.error, CASE WHEN EXISTS (SELECT 1 FROM {res}.kpi_values k"
                 "   WHERE k.run_id = r.run_id AND k.code = 'responses' AND k.dims = ''"
                 "   AND k.flag LIKE '%empty_period%')"
                 "   THEN 'warning: no survey response in the period' END),"
                 "  r.trigger"
                 " FROM (SELECT * FROM {res}.runs WHERE $1::text IS NULL OR job = $1"
                 "       ORDER BY run_id DESC LIMIT $2::bigint) r"
                 " ORDER BY r.run_id",
                 2, v, err);
    if (!r)
        goto done;
    int rows = PQntuples(r);
    int w_job = 3;
    for (int i = 0; i < rows; i++) {
        int len = (int)strlen(db_text(r, i, 1));
        w_job = len > w_job ? len : w_job;
    }
    fprintf(out, "%6s  %-*s  %-10s  %-9s  %-8s  %-20s  %7s  %7s  %5s  %-16s  %s\n", "run", w_job,
            "job", "as-of", "status", "trigger", "started", "took", "figures", "files", "mail",
            "error");
    for (int i = 0; i < rows; i++) {
        char started[64], took[32];
        local_time(atof(db_text(r, i, 4)), started, sizeof(started));
        duration(db_text(r, i, 5), took, sizeof(took));
        const char *mail = db_text(r, i, 8);
        char *error = first_line(db_text(r, i, 9));
        fprintf(out, "%6s  %-*s  %-10s  %-9s  %-8s  %-20s  %7s  %7s  %5s  %-16s  %s\n",
                db_text(r, i, 0), w_job, db_text(r, i, 1), db_text(r, i, 2), db_text(r, i, 3),
                db_text(r, i, 10), started, took, db_text(r, i, 6), db_text(r, i, 7),
                mail ? mail : "-", error);
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
