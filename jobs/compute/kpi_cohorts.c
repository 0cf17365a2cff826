#include "kpi_topics.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* text[] literals: the codes, and the taxonomy's event map as two arrays
 * of the same length (topic code, event). */
static void taxonomy_arrays(const struct taxonomy *tx, char **codes, char **ev_codes,
                            char **ev_names)
{
    struct strbuf c, ec, en;
    strbuf_init(&c);
    strbuf_init(&ec);
    strbuf_init(&en);
    strbuf_adds(&c, "{");
    strbuf_adds(&ec, "{");
    strbuf_adds(&en, "{");
    for (size_t i = 0; tx && i < tx->n_topics; i++) {
        const struct topic *t = &tx->topics[i];
        db_array_add(&c, t->code);
        for (size_t k = 0; k < t->n_events; k++) {
            db_array_add(&ec, t->code);
            db_array_add(&en, t->events[k]);
        }
    }
    strbuf_adds(&c, "}");
    strbuf_adds(&ec, "}");
    strbuf_adds(&en, "}");
    *codes = strbuf_detach(&c);
    *ev_codes = strbuf_detach(&ec);
    *ev_names = strbuf_detach(&en);
}

struct cohort {
    long long a, a_churned, b, b_churned;
};

static void emit(struct model *m, const char *code, const struct cohort *c, int min_sample,
                 struct maybe ltv_all)
{
    char dims[512];
    snprintf(dims, sizeof(dims), "topic=%s", code);
    struct maybe a_rate = ratio((double)c->a_churned, (double)c->a);
    struct maybe b_rate = ratio((double)c->b_churned, (double)c->b);
    struct maybe gap = (a_rate.ok && b_rate.ok) ? just(a_rate.v - b_rate.v) : nothing();
    struct maybe p = two_proportion_p(c->a_churned, c->a, c->b_churned, c->b);
    struct maybe lost = gap.ok ? just(fmax(gap.v, 0.0) * (double)c->a) : nothing();
    struct maybe risk = (lost.ok && ltv_all.ok) ? just(lost.v * ltv_all.v) : nothing();
    bool low = c->a < min_sample;
    bool significant = p.ok && p.v < 0.05;
    const char *f = low ? "low_sample" : NULL;
    const char *pf = low && significant ? "low_sample,significant"
                     : significant      ? "significant"
                                        : f;
    model_add(m, "cohort.a_customers", dims, true, (double)c->a, -1, f);
    model_add(m, "cohort.b_customers", dims, true, (double)c->b, -1, f);
    model_add(m, "cohort.a_churn_rate", dims, a_rate.ok, a_rate.v, c->a, f);
    model_add(m, "cohort.b_churn_rate", dims, b_rate.ok, b_rate.v, c->b, f);
    model_add(m, "cohort.churn_gap", dims, gap.ok, gap.v, -1, f);
    model_add(m, "cohort.p_value", dims, p.ok, p.v, -1, pf);
    model_add(m, "cohort.lost_customers", dims, lost.ok, lost.v, -1, f);
    model_add(m, "cohort.revenue_at_risk", dims, risk.ok, risk.v, -1, f);
}

enum vr_status kpi_cohorts(struct db *db, const struct job_config *job, const struct period *p,
                           const struct taxonomy *tx, struct model *m, struct vr_error *err)
{
    if (!tx || !tx->n_topics)
        return VR_OK;
    /* A clear message rather than "relation does not exist" (read as a
     * contract error) if the pipeline ever calls this out of order. */
    PGresult *r = db_query_file(db, "could not check the topic stage", "compute/cohorts_ready.sql",
                                SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    bool ready = !strcmp(db_get_text(r, 0, "ready"), "t");
    PQclear(r);
    if (!ready)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "topic cohorts need the topic figures first "
                       "(kpi_topics before kpi_cohorts)");

    char window[16], gap[16];
    snprintf(window, sizeof(window), "%d", job->cohort_window_months);
    snprintf(gap, sizeof(gap), "%d", job->outcome_gap_months);
    r = db_query_file(db, "could not place the topic cohorts' window", "compute/cohorts_window.sql",
                      SQL_ARGS({"as_of", p->end}, {"window_months", window}, {"gap_months", gap}),
                      err);
    if (!r)
        return err->status;
    model_set_day(&m->cohort_first_day, db_get_text(r, 0, "first_day"));
    model_set_day(&m->cohort_last_day, db_get_text(r, 0, "last_day"));
    PQclear(r);

    char *codes, *ev_codes, *ev_names;
    taxonomy_arrays(tx, &codes, &ev_codes, &ev_names);
    r = db_query_file(db, "could not compute topic cohorts", "compute/cohorts.sql",
                      SQL_ARGS({"as_of", p->end}, {"window_months", window}, {"gap_months", gap},
                               {"codes", codes}, {"event_topics", ev_codes},
                               {"event_names", ev_names}),
                      err);
    free(codes);
    free(ev_codes);
    free(ev_names);
    if (!r)
        return err->status;

    double v;
    struct maybe ltv_all = model_value(m, "ltv_all", "", &v) ? just(v) : nothing();
    for (int i = 0; i < PQntuples(r); i++) {
        struct cohort c = {db_get_ll(r, i, "a_customers"), db_get_ll(r, i, "a_churned"),
                           db_get_ll(r, i, "b_customers"), db_get_ll(r, i, "b_churned")};
        emit(m, db_get_text(r, i, "code"), &c, job->min_sample, ltv_all);
    }
    PQclear(r);
    return VR_OK;
}
