#include "kpi_topics.h"

#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* $1 T, $2 cohort window months, $3 outcome gap months, $4 taxonomy codes
 * in order, $5/$6 the (topic, event) pairs of the taxonomy.  Exposure in
 * [T - window, T - gap): a negative own-brand row on the topic (from
 * t_feedback_topics, made by kpi_topics) or a mapped customer event.  Cohort
 * A: exposed population customers (t_cust); B: every other population
 * customer with a paid order in the window, counted as all buyers minus the
 * exposed ones.  One row per topic of the run (t_topics): the taxonomy's in
 * its order, then the upstream codes no topic claims, by code, so that no
 * topic with figures is left without a root cause. */
#define EXPOSURE_LO "$1::timestamptz - $2::int * interval '1 month'"
#define EXPOSURE_HI "$1::timestamptz - $3::int * interval '1 month'"
static const char cohorts_sql[] =
    "WITH w AS (SELECT " EXPOSURE_LO " AS lo, " EXPOSURE_HI " AS hi),"
    " ev AS (SELECT * FROM unnest($5::text[], $6::text[]) AS e(code, event)),"
    " exposed AS ("
    "  SELECT f.topic, f.customer_id FROM t_feedback_topics f, w"
    "  WHERE f.brand IS NULL AND f.sentiment < real '-0.05' AND f.customer_id IS NOT NULL"
    "   AND f.received_at >= w.lo AND f.received_at < w.hi"
    "  UNION"
    "  SELECT ev.code, e.customer_id FROM c_customer_events e JOIN ev ON ev.event = e.event, w"
    "  WHERE e.occurred_at >= w.lo AND e.occurred_at < w.hi),"
    " buyers AS (SELECT DISTINCT o.customer_id FROM c_orders o, w WHERE o.status = 'paid'"
    "  AND o.ordered_at >= w.lo AND o.ordered_at < w.hi),"
    " a AS (SELECT x.topic, count(*) AS n, count(*) FILTER (WHERE c.churned) AS churned,"
    "  count(b.customer_id) AS buyers,"
    "  count(b.customer_id) FILTER (WHERE c.churned) AS buyers_churned"
    "  FROM exposed x JOIN t_cust c USING (customer_id)"
    "  LEFT JOIN buyers b USING (customer_id) GROUP BY x.topic),"
    " allb AS (SELECT count(*) AS n, count(*) FILTER (WHERE c.churned) AS churned"
    "  FROM buyers b JOIN t_cust c USING (customer_id))"
    " SELECT t.code, coalesce(a.n, 0), coalesce(a.churned, 0),"
    "  allb.n - coalesce(a.buyers, 0), allb.churned - coalesce(a.buyers_churned, 0)"
    " FROM (SELECT code, ord FROM unnest($4::text[]) WITH ORDINALITY u(code, ord)"
    "  UNION ALL SELECT code, NULL FROM t_topics WHERE code <> ALL ($4::text[])) t"
    " CROSS JOIN allb LEFT JOIN a ON a.topic = t.code"
    " ORDER BY t.ord NULLS LAST, t.code COLLATE \"C\"";

/* $1 T, $2 cohort window months, $3 outcome gap months: the exposure
 * window's first and last local day, both included (a page names them). */
static const char window_sql[] = "SELECT to_char(" EXPOSURE_LO ", 'YYYY-MM-DD'),"
                                 " to_char(" EXPOSURE_HI " - interval '1 day', 'YYYY-MM-DD')";

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
    PGresult *r = db_query(db, "could not check the topic stage",
                           "SELECT to_regclass('pg_temp.t_feedback_topics') IS NOT NULL"
                           " AND to_regclass('pg_temp.t_topics') IS NOT NULL",
                           0, NULL, err);
    if (!r)
        return err->status;
    bool ready = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (!ready)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "topic cohorts need the topic figures first "
                       "(kpi_topics before kpi_cohorts)");

    char window[16], gap[16];
    snprintf(window, sizeof(window), "%d", job->cohort_window_months);
    snprintf(gap, sizeof(gap), "%d", job->outcome_gap_months);
    const char *wp[] = {p->end, window, gap};
    r = db_query(db, "could not place the topic cohorts' window", window_sql, 3, wp, err);
    if (!r)
        return err->status;
    model_set_day(&m->cohort_first_day, db_text(r, 0, 0));
    model_set_day(&m->cohort_last_day, db_text(r, 0, 1));
    PQclear(r);

    char *codes, *ev_codes, *ev_names;
    taxonomy_arrays(tx, &codes, &ev_codes, &ev_names);
    const char *params[] = {p->end, window, gap, codes, ev_codes, ev_names};
    r = db_query(db, "could not compute topic cohorts", cohorts_sql, 6, params, err);
    free(codes);
    free(ev_codes);
    free(ev_names);
    if (!r)
        return err->status;

    double v;
    struct maybe ltv_all = model_value(m, "ltv_all", "", &v) ? just(v) : nothing();
    for (int i = 0; i < PQntuples(r); i++) {
        struct cohort c = {db_ll(r, i, 1), db_ll(r, i, 2), db_ll(r, i, 3), db_ll(r, i, 4)};
        emit(m, db_text(r, i, 0), &c, job->min_sample, ltv_all);
    }
    PQclear(r);
    return VR_OK;
}
