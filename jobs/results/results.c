#include "results.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *params_json(const struct model *m)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; i < m->n_params; i++) {
        if (i)
            strbuf_adds(&sb, ", ");
        strbuf_add_json(&sb, m->params[i].name);
        strbuf_adds(&sb, ": ");
        strbuf_add_json(&sb, m->params[i].value);
    }
    strbuf_adds(&sb, "}");
    return strbuf_detach(&sb);
}

static char *sources_json(const struct model *m)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; i < m->n_sources; i++) {
        strbuf_adds(&sb, i ? ", " : "");
        strbuf_add_json(&sb, m->sources[i].table);
        strbuf_addf(&sb, ": %lld", m->sources[i].rows);
    }
    strbuf_adds(&sb, "}");
    return strbuf_detach(&sb);
}

/* {"orders": {"orphan": 3, ...}, ...}: rejections arrive grouped by table. */
static char *rejected_json(const struct model *m)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; i < m->n_rejections; i++) {
        const struct rejection *r = &m->rejections[i];
        bool first_of_table = i == 0 || strcmp(m->rejections[i - 1].table, r->table);
        if (first_of_table) {
            strbuf_adds(&sb, i ? "}, " : "");
            strbuf_add_json(&sb, r->table);
            strbuf_adds(&sb, ": {");
        } else {
            strbuf_adds(&sb, ", ");
        }
        strbuf_add_json(&sb, r->reason);
        strbuf_addf(&sb, ": %lld", r->rows);
    }
    strbuf_adds(&sb, m->n_rejections ? "}}" : "}");
    return strbuf_detach(&sb);
}

enum vr_status results_start_run(struct db *db, const char *job, const struct period *p,
                                 const char *time_zone, const struct model *m,
                                 const struct run_trigger *trig, long long *run_id,
                                 char started_at[40], struct vr_error *err)
{
    char *params = params_json(m);
    char host[256] = "";
    char pid[16];
    gethostname(host, sizeof(host) - 1);
    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    const char *sched = trig ? trig->scheduled_for : NULL;
    /* No prior period (period = all): NULL, not an empty window. */
    const char *prior_start = p->has_prior ? p->prior_start : NULL;
    const char *prior_end = p->has_prior ? p->prior_end : NULL;
    const char *v[] = {job,          p->as_of,        p->start,          p->end,
                       prior_start,  prior_end,       time_zone,         m->program_version,
                       m->config_digest, params,      host,              pid,
                       sched ? "schedule" : "manual", sched};
    PGresult *r = db_query(db, "could not record the run",
                           "INSERT INTO {res}.runs (job, as_of, period_start, period_end,"
                           " prior_start, prior_end, time_zone, status, program_version,"
                           " config_digest, parameters, host, pid, trigger, scheduled_for)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9, $10, $11, $12,"
                           " $13, $14)"
                           " RETURNING run_id, started_at",
                           14, v, err);
    free(params);
    if (!r)
        return err->status;
    *run_id = db_ll(r, 0, 0);
    snprintf(started_at, 40, "%s", db_text(r, 0, 1));
    PQclear(r);
    return VR_OK;
}

/* COPY text format: backslash escapes, \N for NULL. */
static void copy_field(struct strbuf *sb, const char *s, bool last)
{
    if (!s) {
        strbuf_adds(sb, "\\N");
    } else {
        for (; *s; s++) {
            switch (*s) {
            case '\\': strbuf_adds(sb, "\\\\"); break;
            case '\t': strbuf_adds(sb, "\\t"); break;
            case '\n': strbuf_adds(sb, "\\n"); break;
            case '\r': strbuf_adds(sb, "\\r"); break;
            default: strbuf_add(sb, s, 1);
            }
        }
    }
    strbuf_adds(sb, last ? "\n" : "\t");
}

/* One COPY for all figures: a run may hold thousands of them. */
static enum vr_status insert_kpis(struct db *db, long long run_id, const struct model *m,
                                  struct vr_error *err)
{
    char *sql = db_sql(db, "COPY {res}.kpi_values (run_id, code, dims, value, n, flag) FROM STDIN");
    PGresult *start = PQexec(db->conn, sql);
    free(sql);
    if (PQresultStatus(start) != PGRES_COPY_IN) {
        vr_fail(err, VR_ERR_DB, "could not record the figures: %s", PQerrorMessage(db->conn));
        PQclear(start);
        return err->status;
    }
    PQclear(start);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        char id[32], value[64], n[32];
        snprintf(id, sizeof(id), "%lld", run_id);
        snprintf(value, sizeof(value), "%.17g", k->value);
        snprintf(n, sizeof(n), "%lld", k->n);
        copy_field(&sb, id, false);
        copy_field(&sb, k->code, false);
        copy_field(&sb, k->dims, false);
        copy_field(&sb, k->has_value ? value : NULL, false);
        copy_field(&sb, k->n >= 0 ? n : NULL, false);
        copy_field(&sb, k->flag, true);
    }
    int ok = PQputCopyData(db->conn, sb.buf, (int)sb.len) == 1 &&
             PQputCopyEnd(db->conn, NULL) == 1;
    strbuf_release(&sb);
    PGresult *r = PQgetResult(db->conn);
    if (!ok || PQresultStatus(r) != PGRES_COMMAND_OK) {
        vr_fail(err, VR_ERR_DB, "could not record the figures: %s", PQerrorMessage(db->conn));
        PQclear(r);
        while ((r = PQgetResult(db->conn)))
            PQclear(r);
        return err->status;
    }
    PQclear(r);
    return VR_OK;
}

static const char finish_sql[] =
    "UPDATE {res}.runs SET status = $2, finished_at = CASE WHEN $2 = 'running' THEN NULL"
    " ELSE clock_timestamp() END, error = $3,"
    " source_rows = $4::jsonb, rejected_rows = $5::jsonb, db_seconds = $6, output_dir = $7,"
    " parameters = $8::jsonb"
    " WHERE run_id = $1";

static enum vr_status finish(struct db *db, long long run_id, const char *status,
                             const struct model *m, const char *error, const char *output_dir,
                             struct vr_error *err)
{
    char id[32], secs[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    snprintf(secs, sizeof(secs), "%.3f", db_total_seconds());
    char *src = sources_json(m), *rej = rejected_json(m), *params = params_json(m);
    const char *v[] = {id, status, error, src, rej, secs, output_dir, params};
    enum vr_status st = db_exec(db, "could not record the run's end", finish_sql, 8, v, err);
    free(src);
    free(rej);
    free(params);
    return st;
}

enum vr_status results_record_outputs(struct db *db, long long run_id, const struct model *m,
                                      const struct output_file *files, size_t n_files,
                                      const char *output_dir, struct vr_error *err)
{
    if (insert_kpis(db, run_id, m, err) != VR_OK)
        return err->status;
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    for (size_t i = 0; i < n_files; i++) {
        char bytes[32];
        snprintf(bytes, sizeof(bytes), "%lld", files[i].bytes);
        const char *v[] = {id, files[i].path, files[i].kind, files[i].audience, bytes,
                           files[i].sha256, files[i].department};
        if (db_exec(db, "could not record the outputs",
                    "INSERT INTO {res}.outputs"
                    " (run_id, path, kind, audience, bytes, sha256, department)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    7, v, err) != VR_OK)
            return err->status;
    }
    /* Still 'running': the files are not in place yet. */
    return finish(db, run_id, "running", m, NULL, output_dir, err);
}

enum vr_status results_mark_succeeded(struct db *db, long long run_id, struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    const char *v[] = {id};
    PGresult *r = db_query(db, "could not record the run as succeeded",
                           "UPDATE {res}.runs SET status = 'succeeded',"
                           " finished_at = clock_timestamp(), error = NULL"
                           " WHERE run_id = $1::bigint AND status = 'running'",
                           1, v, err);
    if (!r)
        return err->status;
    bool changed = !strcmp(PQcmdTuples(r), "1");
    PQclear(r);
    if (!changed)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "run %lld is no longer 'running': another process marked it while this "
                       "one was publishing (was its database connection lost?)",
                       run_id);
    return VR_OK;
}

enum vr_status results_cancel_mail(struct db *db, long long run_id, const char *why,
                                   struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    const char *v[] = {id, why};
    return db_exec(db, "could not cancel the run's mail",
                   "UPDATE {res}.deliveries SET status = 'cancelled', last_error = $2"
                   " WHERE run_id = $1::bigint AND status IN ('pending', 'held')",
                   2, v, err);
}

void results_record_failure(struct db *db, long long run_id, const struct model *m,
                            const char *error)
{
    struct vr_error e = {0};
    if (!db->conn || run_id <= 0)
        return;
    PQclear(PQexec(db->conn, "ROLLBACK"));
    if (finish(db, run_id, "failed", m, error, NULL, &e) != VR_OK ||
        results_cancel_mail(db, run_id, "not sent: the run failed before its reports were published",
                            &e) != VR_OK)
        log_error("%s", e.msg);
}

enum vr_status results_read_run(struct db *db, long long run_id, struct run_record *rec,
                                struct vr_error *err)
{
    memset(rec, 0, sizeof(*rec));
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    const char *v[] = {id};
    PGresult *r = db_query(
        db, "could not read the run",
        "SELECT job, status,"
        "  to_char(as_of AT TIME ZONE time_zone, 'YYYY-MM-DD'),"
        "  to_char(period_start AT TIME ZONE time_zone, 'YYYY-MM-DD'),"
        "  to_char((period_end AT TIME ZONE time_zone) - interval '1 day', 'YYYY-MM-DD'),"
        "  parameters->>'locale', output_dir"
        " FROM {res}.runs WHERE run_id = $1::bigint",
        1, v, err);
    if (!r)
        return err->status;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return vr_fail(err, VR_ERR_USAGE, "no run %lld in the results schema", run_id);
    }
    char **fields[] = {&rec->job,       &rec->status, &rec->as_of,     &rec->first_day,
                       &rec->last_day, &rec->locale, &rec->output_dir};
    for (int i = 0; i < (int)(sizeof(fields) / sizeof(fields[0])); i++)
        *fields[i] = db_text(r, 0, i) ? xstrdup(db_text(r, 0, i)) : NULL;
    rec->run_id = run_id;
    PQclear(r);
    return VR_OK;
}

void results_run_record_release(struct run_record *rec)
{
    if (!rec)
        return;
    free(rec->job);
    free(rec->status);
    free(rec->as_of);
    free(rec->first_day);
    free(rec->last_day);
    free(rec->locale);
    free(rec->output_dir);
    memset(rec, 0, sizeof(*rec));
}

/* A run holds this lock for its whole life; PostgreSQL drops it when the
 * process dies, however it dies. */
static const char run_lock_sql[] =
    "SELECT pg_try_advisory_lock(hashtext('vocreport.run'), ($1::bigint % 2147483647)::int)";

bool results_run_is_live(struct db *db, long long run_id, struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    const char *v[] = {id};
    PGresult *r = db_query(db, "could not check a running run", run_lock_sql, 1, v, err);
    if (!r)
        return true; /* in doubt, leave it alone */
    bool got = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (!got)
        return true;
    /* Taken only to look: the dead run's lock is not ours to keep. */
    db_exec(db, "could not release a lock",
            "SELECT pg_advisory_unlock(hashtext('vocreport.run'), ($1::bigint % 2147483647)::int)",
            1, v, err);
    return false;
}

enum vr_status results_try_lock_job(struct db *db, const char *job, bool *busy,
                                    long long *busy_run, struct vr_error *err)
{
    const char *v[] = {job};
    PGresult *r = db_query(db, "could not lock the job",
                           "SELECT pg_try_advisory_lock(hashtext('vocreport.job'), hashtext($1)),"
                           " (SELECT max(run_id) FROM {res}.runs WHERE job = $1"
                           "  AND status = 'running')",
                           1, v, err);
    if (!r)
        return err->status;
    *busy = strcmp(PQgetvalue(r, 0, 0), "t") != 0;
    *busy_run = PQgetisnull(r, 0, 1) ? 0 : db_ll(r, 0, 1);
    PQclear(r);
    return VR_OK;
}

enum vr_status results_lock_job(struct db *db, const char *job, struct vr_error *err)
{
    bool busy = false;
    long long run = 0;
    if (results_try_lock_job(db, job, &busy, &run, err) == VR_OK && busy) {
        char id[32] = "?";
        if (run > 0)
            snprintf(id, sizeof(id), "%lld", run);
        vr_fail(err, VR_ERR_BUSY, "job \"%s\" is already running (run %s); not starting another",
                job, id);
    }
    return err->status;
}

/* Any status counts for the fire time: a failed scheduled run is not
 * retried by run-due (the ops person re-runs it with "vocreport run").
 * ">=" because the ledger only moves forward: a fire time older than one
 * already handled is obsolete, also when another process planned it from
 * an older view of the ledger. */
enum vr_status results_schedule_handled(struct db *db, const char *job, const char *scheduled_for,
                                        const char *as_of, const char **why,
                                        struct vr_error *err)
{
    const char *v[] = {job, scheduled_for, as_of};
    PGresult *r = db_query(db, "could not read the schedule ledger",
                           "SELECT EXISTS (SELECT 1 FROM {res}.runs WHERE job = $1"
                           "   AND trigger = 'schedule' AND scheduled_for >= $2::timestamptz),"
                           " EXISTS (SELECT 1 FROM {res}.runs WHERE job = $1"
                           "   AND trigger = 'schedule' AND as_of = $3::timestamptz"
                           "   AND status = 'succeeded')",
                           3, v, err);
    if (!r)
        return err->status;
    *why = NULL;
    if (!strcmp(PQgetvalue(r, 0, 0), "t"))
        *why = "already done (a scheduled run for this fire time or a later one exists)";
    else if (!strcmp(PQgetvalue(r, 0, 1), "t"))
        *why = "already done (a scheduled run for this as-of succeeded)";
    PQclear(r);
    return VR_OK;
}

enum vr_status results_lock_run(struct db *db, long long run_id, struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    const char *v[] = {id};
    PGresult *r = db_query(db, "could not lock the run", run_lock_sql, 1, v, err);
    if (!r)
        return err->status;
    PQclear(r);
    return VR_OK;
}
