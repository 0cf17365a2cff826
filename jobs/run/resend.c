/* vocreport resend; the contract is in resend.h. */
#include "resend.h"

#include "classify/taxonomy.h"
#include "jobs/base/db.h"
#include "jobs/base/log.h"
#include "jobs/base/signals.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/compute/findings_rank.h"
#include "jobs/compute/ownership.h"
#include "jobs/deliver/deliver.h"
#include "jobs/model/model.h"
#include "jobs/results/results.h"
#include "recover.h"
#include "report/publish.h"
#include "report/texts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The mail's words are rebuilt from the run's own record (runs, kpi_values)
 * rather than stored: the body then states exactly the recorded figures,
 * whatever happened to the config's figures since. */
static enum vr_status load_run(struct db *db, const struct config *c, long long run_id,
                               struct model *m, const struct job_config **job,
                               struct vr_error *err)
{
    struct run_record rec;
    if (results_read_run(db, run_id, &rec, err) != VR_OK)
        return err->status;
    if (strcmp(rec.status, "succeeded")) {
        vr_fail(err, VR_ERR_USAGE, "run %lld is %s: only a succeeded run's reports are sent",
                run_id, rec.status);
        results_run_record_release(&rec);
        return err->status;
    }
    m->run_id = run_id;
    m->job = xstrdup(rec.job);
    m->as_of = xstrdup(rec.as_of);
    m->period_first_day = xstrdup(rec.first_day ? rec.first_day : "");
    m->period_last_day = xstrdup(rec.last_day ? rec.last_day : "");
    *job = config_job(c, m->job);
    m->locale = xstrdup(rec.locale ? rec.locale : *job ? (*job)->locale : "en_US");
    m->currency = xstrdup(*job ? (*job)->currency : "");
    results_run_record_release(&rec);

    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    PGresult *r = db_query_file(db, "could not read the run's figures", "run/resend_figures.sql",
                                SQL_ARGS({"run_id", id}), err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        bool has;
        double value = db_get_double(r, i, "value", &has);
        model_add(m, db_get_text(r, i, "code"), db_get_text(r, i, "dims"), has, value,
                  db_get_text(r, i, "n") ? db_get_ll(r, i, "n") : -1, db_get_text(r, i, "flag"));
    }
    PQclear(r);
    findings_reload(m);
    return VR_OK;
}

/* The delivery's files, each checked against its outputs row: a file
 * edited or replaced since publication is not what the run recorded. */
static bool load_files(struct db *db, long long run_id, struct delivery *d, struct strbuf *why,
                       struct vr_error *err)
{
    char id[24], run[24];
    snprintf(id, sizeof(id), "%lld", d->id);
    snprintf(run, sizeof(run), "%lld", run_id);
    PGresult *r = db_query_file(db, "could not read a delivery's files", "run/resend_files.sql",
                                SQL_ARGS({"delivery_id", id}, {"run_id", run}), err);
    if (!r)
        return false;
    bool ok = true;
    for (int i = 0; i < PQntuples(r) && ok; i++) {
        const char *path = db_get_text(r, i, "path"), *want = db_get_text(r, i, "sha256");
        long long bytes;
        char got[65] = "";
        struct vr_error e = {0};
        if (!want) {
            strbuf_addf(why, "\"%s\" is not among the run's outputs", path);
            ok = false;
        } else if (publish_seal_file(path, &bytes, got, &e) != VR_OK) {
            strbuf_addf(why, "%s", e.msg);
            ok = false;
        } else if (strcmp(got, want)) {
            strbuf_addf(why, "\"%s\" changed since it was published (sha256 %s, recorded %s)",
                        path, got, want);
            ok = false;
        }
        d->paths = xrealloc(d->paths, (d->n_paths + 1) * sizeof(char *));
        d->paths[d->n_paths++] = xstrdup(path);
    }
    PQclear(r);
    return ok;
}

static void set_audiences(const struct config *c, struct delivery *d, const char *audience,
                          const char *departments)
{
    d->aud.executive = audience && strstr(audience, "executive");
    d->aud.finance = audience && strstr(audience, "finance");
    d->aud.service = audience && strstr(audience, "service");
    if (!departments)
        return;
    char *copy = xstrdup(departments), *save = NULL;
    for (char *code = strtok_r(copy, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
        const struct department *dep = config_department(c, code);
        if (!dep) {
            log_warn("department \"%s\" is no longer in %s: its KPI lines are left out", code,
                     c->path);
            continue;
        }
        const struct department **a = xrealloc((void *)d->aud.depts,
                                               (d->aud.n_depts + 1) * sizeof(*a));
        a[d->aud.n_depts++] = dep;
        d->aud.depts = (const struct department *const *)a;
    }
    free(copy);
}

/* Unconfirmed mail may have arrived: it is sent again only to a recipient
 * the operator names, after asking them. */
static void note_unconfirmed(struct db *db, long long run_id, const struct config *c)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    struct vr_error e = {0};
    PGresult *r = db_query_file(db, "could not read the unconfirmed deliveries",
                                "run/resend_unconfirmed.sql", SQL_ARGS({"run_id", id}), &e);
    for (int i = 0; r && i < PQntuples(r); i++)
        printf("unconfirmed %s: the server took the mail but never confirmed it, so it may have "
               "arrived; ask, then send it again with: vocreport resend --config %s --run %lld "
               "--recipient %s\n",
               db_get_text(r, i, "recipient"), c->path, run_id, db_get_text(r, i, "recipient"));
    if (!r)
        log_error("%s", e.msg);
    PQclear(r);
}

enum vr_status resend_run(const struct config *c, long long run_id, const char *recipient,
                          bool release_held, struct vr_error *err)
{
    struct db db = {0};
    struct model m;
    model_init(&m);
    struct texts *t = NULL;
    struct taxonomy *tx = NULL;
    const struct job_config *job = NULL;
    struct delivery_plan p = {0};
    struct mail_server s;
    char *password = NULL;
    PGresult *r = NULL;
    size_t n_sent = 0, n_failed = 0, n_refused = 0;

    if (!*c->mail.url) {
        vr_fail(err, VR_ERR_CONFIG, "%s: [mail] url is empty: there is no server to resend through",
                c->path);
        goto cleanup;
    }
    signals_install();
    /* Mail a dead process left pending becomes failed here, so it is sent. */
    if (db_connect(&db, c->conninfo, "UTC", c->source_schema, c->results_schema, err) != VR_OK ||
        recover_all(&db, c, err) != VR_OK || load_run(&db, c, run_id, &m, &job, err) != VR_OK ||
        texts_load(&t, c->templates_dir, m.locale, err) != VR_OK ||
        taxonomy_load(&tx, c->taxonomy, err) != VR_OK)
        goto cleanup;
    /* Labels are not stored with the figures: the department lines name
     * topics the way the run did, from the taxonomy. */
    for (size_t i = 0; i < tx->n_topics; i++)
        model_add_label(&m, "topic", tx->topics[i].code,
                        taxonomy_label(tx, m.locale, tx->topics[i].code));
    /* Who owns what, for the leak check of a department head's mail. */
    ownership_labels(c, m.locale, &m);
    log_set_context(run_id, m.job);

    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    r = db_query_file(&db, "could not read the deliveries", "run/resend_deliveries.sql",
                      SQL_ARGS({"run_id", id}, {"release_held", release_held ? "t" : "f"},
                               {"recipient", recipient}),
                      err);
    if (!r)
        goto cleanup;
    if (!recipient)
        note_unconfirmed(&db, run_id, c);
    if (PQntuples(r) == 0) {
        printf("run %lld: nothing to resend%s%s%s\n", run_id, recipient ? " to " : "",
               recipient ? recipient : "",
               release_held ? "" : " (held mail is sent only with --release-held)");
        goto cleanup;
    }
    if (deliver_server(c, &s, &password, err) != VR_OK)
        goto cleanup;
    p.d = xcalloc((size_t)PQntuples(r), sizeof(*p.d));
    for (int i = 0; i < PQntuples(r); i++) {
        struct delivery *d = &p.d[p.n++];
        d->id = db_get_ll(r, i, "delivery_id");
        d->recipient = xstrdup(db_get_text(r, i, "recipient"));
        d->status = xstrdup(db_get_text(r, i, "status"));
        set_audiences(c, d, db_get_text(r, i, "audience"), db_get_text(r, i, "department"));
        struct strbuf why;
        strbuf_init(&why);
        if (!load_files(&db, run_id, d, &why, err)) {
            if (err->status != VR_OK) {
                strbuf_release(&why);
                goto cleanup;
            }
            log_error("refusing to resend to %s: %s", d->recipient, why.buf);
            printf("refused %s: %s\n", d->recipient, why.buf);
            n_refused++;
            strbuf_release(&why);
            continue;
        }
        strbuf_release(&why);
        if (!strcmp(d->status, "held"))
            log_warn("releasing held mail to %s: the operator overrides the failed quality "
                     "gates (runs.gate_failures)",
                     d->recipient);
        const char **names = xcalloc(d->n_paths + 1, sizeof(char *));
        for (size_t k = 0; k < d->n_paths; k++) {
            const char *slash = strrchr(d->paths[k], '/');
            names[k] = slash ? slash + 1 : d->paths[k];
        }
        const char *subject = db_get_text(r, i, "subject");
        d->subject = subject ? xstrdup(subject) : mailtext_subject(t, &m, &d->aud);
        char *leak = deliver_compose(c, t, &m, d, names);
        free(names);
        if (leak) {
            log_error("leak_check: %s; refusing to resend it", leak);
            printf("refused %s: leak_check: %s\n", d->recipient, leak);
            free(leak);
            n_refused++;
            continue;
        }
        struct vr_error e = {0};
        enum delivery_outcome o = deliver_one(&db, &s, d, &e);
        if (o == DELIVERY_SENT) {
            printf("sent %s\n", d->recipient);
            n_sent++;
        } else {
            printf("%s %s: %s\n", o == DELIVERY_UNCONFIRMED ? "unconfirmed" : "failed",
                   d->recipient, e.msg);
            n_failed++;
            if (o == DELIVERY_STOPPED)
                break;
        }
    }
    if (n_failed || n_refused)
        vr_fail(err, VR_ERR_DELIVERY,
                "run %lld: %zu mail%s sent, %zu failed, %zu refused (changed files); see "
                "deliveries for the reasons",
                run_id, n_sent, n_sent == 1 ? "" : "s", n_failed, n_refused);
    if (fflush(stdout))
        vr_fail(err, VR_ERR_OUTPUT, "could not write to standard output");

cleanup:
    PQclear(r);
    deliver_plan_release(&p);
    deliver_forget_password(password);
    texts_free(t);
    taxonomy_free(tx);
    model_release(&m);
    db_close(&db);
    return err->status;
}
