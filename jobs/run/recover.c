/* The contract is in recover.h. */
#include "recover.h"

#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/deliver/deliver.h"
#include "jobs/results/results.h"
#include "report/publish.h"
#include "report/texts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Did the run's swap happen?  Every file it recorded is on disk as
 * recorded.  A run that recorded no files never got that far. */
static bool files_in_place(struct db *meta, const char *id, struct vr_error *err)
{
    PGresult *r = db_query_file(meta, "could not read the run's outputs", "run/run_outputs.sql",
                                SQL_ARGS({"run_id", id}), err);
    if (!r)
        return false;
    bool all = PQntuples(r) > 0;
    for (int i = 0; i < PQntuples(r) && all; i++) {
        long long bytes;
        char got[65] = "";
        struct vr_error e = {0};
        all = publish_seal_file(db_get_text(r, i, "path"), &bytes, got, &e) == VR_OK &&
              !strcmp(got, db_get_text(r, i, "sha256"));
    }
    PQclear(r);
    return all;
}

/* Alerts the owner of run_id's job. */
static void alert_owner(struct db *meta, const struct config *c, long long run_id,
                        enum mailtext_alert kind, const char *const *items, size_t n)
{
    struct run_record rec;
    struct vr_error e = {0};
    if (results_read_run(meta, run_id, &rec, &e) != VR_OK) {
        log_error("%s", e.msg);
        return;
    }
    const struct job_config *j = config_job(c, rec.job);
    struct texts *t = NULL;
    struct model m;
    model_init(&m);
    if (!j) {
        log_warn("job \"%s\" is no longer in %s: nobody is alerted about run %lld", rec.job,
                 c->path, run_id);
    } else if (texts_load(&t, c->templates_dir, rec.locale ? rec.locale : j->locale, &e) != VR_OK) {
        log_error("could not alert the owner of run %lld: %s", run_id, e.msg);
    } else {
        m.run_id = run_id;
        m.job = xstrdup(rec.job);
        m.as_of = xstrdup(rec.as_of);
        deliver_alert(meta, c, j, &m, t, kind, items, n);
    }
    model_release(&m);
    texts_free(t);
    results_run_record_release(&rec);
}

static enum vr_status recover_run(struct db *meta, const struct config *c, long long run_id,
                                  struct vr_error *err)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    struct run_record rec;
    if (results_read_run(meta, run_id, &rec, err) != VR_OK)
        return err->status;
    bool published = files_in_place(meta, id, err);
    if (err->status != VR_OK) {
        results_run_record_release(&rec);
        return err->status;
    }
    PGresult *r;
    if (published) {
        r = db_query_file(meta, "could not record an interrupted run", "run/recover_succeeded.sql",
                          SQL_ARGS({"run_id", id}), err);
        if (r && !strcmp(PQcmdTuples(r), "1"))
            log_warn("run %lld (job %s) had published its reports in %s when its process ended; "
                     "recorded as succeeded",
                     run_id, rec.job, rec.output_dir);
    } else {
        static const char why[] = "interrupted: the process ended before the run finished";
        r = db_query_file(meta, "could not mark an interrupted run", "run/recover_failed.sql",
                          SQL_ARGS({"run_id", id}, {"why", why}), err);
        if (r && !strcmp(PQcmdTuples(r), "1")) {
            log_warn("run %lld (job %s) ended without recording a result; marking it failed",
                     run_id, rec.job);
            results_cancel_mail(meta, run_id,
                                "not sent: the run's process ended before its reports were "
                                "published",
                                err);
            const char *items[] = {why};
            alert_owner(meta, c, run_id, ALERT_RUN, items, 1);
        }
    }
    PQclear(r);
    if (err->status == VR_OK && rec.output_dir) {
        char *tmp = publish_tmp_dir_of(rec.output_dir, run_id);
        publish_remove_tree(tmp);
        free(tmp);
    }
    results_run_record_release(&rec);
    return err->status;
}

static enum vr_status recover_mail(struct db *meta, const struct config *c, long long run_id,
                                   struct vr_error *err)
{
    static const char why[] = "interrupted: the process ended before this mail was sent";
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    PGresult *r = db_query_file(meta, "could not fail mail left pending", "run/recover_mail.sql",
                                SQL_ARGS({"run_id", id}, {"why", why}), err);
    if (!r)
        return err->status;
    char **items = xcalloc((size_t)PQntuples(r) + 1, sizeof(char *));
    size_t n = 0;
    for (int i = 0; i < PQntuples(r); i++)
        if (!strcmp(db_get_text(r, i, "kind"), "report")) /* a lost alert is not alerted about */
            items[n++] = xstrfmt("%s: %s", db_get_text(r, i, "recipient"), why);
    PQclear(r);
    if (n > 0) {
        log_error("run %lld: %zu report mail%s left unsent by a process that ended; marked "
                  "failed, send with: vocreport resend --config %s --run %lld",
                  run_id, n, n == 1 ? " was" : "s were", c->path, run_id);
        alert_owner(meta, c, run_id, ALERT_MAIL, (const char *const *)items, n);
    }
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return VR_OK;
}

/* The run_id column of sql/<file> where the run is not live. */
static enum vr_status dead_runs(struct db *meta, const char *what, const char *file,
                                long long **ids, size_t *n, struct vr_error *err)
{
    *ids = NULL;
    *n = 0;
    PGresult *r = db_query_file(meta, what, file, SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    *ids = xcalloc((size_t)PQntuples(r) + 1, sizeof(long long));
    for (int i = 0; i < PQntuples(r) && err->status == VR_OK; i++) {
        long long run_id = db_get_ll(r, i, "run_id");
        if (!results_run_is_live(meta, run_id, err))
            (*ids)[(*n)++] = run_id;
    }
    PQclear(r);
    return err->status;
}

enum vr_status recover_all(struct db *meta, const struct config *c, struct vr_error *err)
{
    long long *ids = NULL;
    size_t n = 0;
    /* Runs first: a run rolled back cancels its mail, one rolled forward
     * leaves its mail pending for the second step. */
    if (dead_runs(meta, "could not look for interrupted runs", "run/running_runs.sql", &ids, &n,
                  err) == VR_OK)
        for (size_t i = 0; i < n && recover_run(meta, c, ids[i], err) == VR_OK; i++) {
        }
    free(ids);
    if (err->status != VR_OK)
        return err->status;
    if (dead_runs(meta, "could not look for mail left pending", "run/pending_mail_runs.sql", &ids,
                  &n, err) == VR_OK)
        for (size_t i = 0; i < n && recover_mail(meta, c, ids[i], err) == VR_OK; i++) {
        }
    free(ids);
    return err->status;
}
