#include "results.h"

#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
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
    PGresult *r = db_query_file(
        db, "could not record the run", "results/run_start.sql",
        SQL_ARGS({"job", job}, {"as_of", p->as_of}, {"period_start", p->start},
                 {"period_end", p->end}, {"prior_start", prior_start}, {"prior_end", prior_end},
                 {"time_zone", time_zone}, {"program_version", m->program_version},
                 {"config_digest", m->config_digest}, {"parameters", params}, {"host", host},
                 {"pid", pid}, {"trigger", sched ? "schedule" : "manual"},
                 {"scheduled_for", sched}),
        err);
    free(params);
    if (!r)
        return err->status;
    *run_id = db_get_ll(r, 0, "run_id");
    snprintf(started_at, 40, "%s", db_get_text(r, 0, "started_at"));
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
    char *sql = sql_file_plain(db, "results/kpi_values_copy.sql", SQL_NO_ARGS, err);
    if (!sql)
        return err->status;
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

static enum vr_status finish(struct db *db, long long run_id, const char *status,
                             const struct model *m, const char *error, const char *output_dir,
                             struct vr_error *err)
{
    char id[32], secs[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    snprintf(secs, sizeof(secs), "%.3f", db_total_seconds());
    char *src = sources_json(m), *rej = rejected_json(m), *params = params_json(m);
    enum vr_status st =
        db_exec_file(db, "could not record the run's end", "results/run_finish.sql",
                     SQL_ARGS({"run_id", id}, {"status", status}, {"error", error},
                              {"source_rows", src}, {"rejected_rows", rej}, {"db_seconds", secs},
                              {"output_dir", output_dir}, {"parameters", params}),
                     err);
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
        if (db_exec_file(db, "could not record the outputs", "results/output_add.sql",
                         SQL_ARGS({"run_id", id}, {"path", files[i].path}, {"kind", files[i].kind},
                                  {"audience", files[i].audience}, {"bytes", bytes},
                                  {"sha256", files[i].sha256}, {"department", files[i].department}),
                         err) != VR_OK)
            return err->status;
    }
    /* Still 'running': the files are not in place yet. */
    return finish(db, run_id, "running", m, NULL, output_dir, err);
}

enum vr_status results_mark_succeeded(struct db *db, long long run_id, struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    PGresult *r = db_query_file(db, "could not record the run as succeeded",
                                "results/run_succeeded.sql", SQL_ARGS({"run_id", id}), err);
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
    return db_exec_file(db, "could not cancel the run's mail", "results/mail_cancel.sql",
                        SQL_ARGS({"run_id", id}, {"why", why}), err);
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
    PGresult *r = db_query_file(db, "could not read the run", "results/run_read.sql",
                                SQL_ARGS({"run_id", id}), err);
    if (!r)
        return err->status;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return vr_fail(err, VR_ERR_USAGE, "no run %lld in the results schema", run_id);
    }
    static const char *const cols[] = {"job",      "status", "as_of",     "first_day",
                                       "last_day", "locale", "output_dir"};
    char **fields[] = {&rec->job,       &rec->status, &rec->as_of,     &rec->first_day,
                       &rec->last_day, &rec->locale, &rec->output_dir};
    for (int i = 0; i < (int)(sizeof(fields) / sizeof(fields[0])); i++) {
        const char *s = db_get_text(r, 0, cols[i]);
        *fields[i] = s ? xstrdup(s) : NULL;
    }
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

bool results_run_is_live(struct db *db, long long run_id, struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    PGresult *r = db_query_file(db, "could not check a running run", "results/run_lock.sql",
                                SQL_ARGS({"run_id", id}), err);
    if (!r)
        return true; /* in doubt, leave it alone */
    bool got = !strcmp(db_get_text(r, 0, "got"), "t");
    PQclear(r);
    if (!got)
        return true;
    /* Taken only to look: the dead run's lock is not ours to keep. */
    db_exec_file(db, "could not release a lock", "results/run_unlock.sql", SQL_ARGS({"run_id", id}),
                 err);
    return false;
}

enum vr_status results_try_lock_job(struct db *db, const char *job, bool *busy,
                                    long long *busy_run, struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not lock the job", "results/job_lock.sql",
                                SQL_ARGS({"job", job}), err);
    if (!r)
        return err->status;
    *busy = strcmp(db_get_text(r, 0, "got"), "t") != 0;
    *busy_run = db_get_ll(r, 0, "busy_run"); /* NULL (nobody running) reads as 0 */
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

enum vr_status results_schedule_handled(struct db *db, const char *job, const char *scheduled_for,
                                        const char *as_of, const char **why,
                                        struct vr_error *err)
{
    PGresult *r = db_query_file(
        db, "could not read the schedule ledger", "results/schedule_handled.sql",
        SQL_ARGS({"job", job}, {"scheduled_for", scheduled_for}, {"as_of", as_of}), err);
    if (!r)
        return err->status;
    *why = NULL;
    if (!strcmp(db_get_text(r, 0, "fire_time_done"), "t"))
        *why = "already done (a scheduled run for this fire time or a later one exists)";
    else if (!strcmp(db_get_text(r, 0, "as_of_done"), "t"))
        *why = "already done (a scheduled run for this as-of succeeded)";
    PQclear(r);
    return VR_OK;
}

enum vr_status results_lock_run(struct db *db, long long run_id, struct vr_error *err)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", run_id);
    PGresult *r = db_query_file(db, "could not lock the run", "results/run_lock.sql",
                                SQL_ARGS({"run_id", id}), err);
    if (!r)
        return err->status;
    PQclear(r);
    return VR_OK;
}
