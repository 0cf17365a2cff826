#include "kpi_depts.h"

#include "kpi_journey.h"
#include "kpi_math.h"
#include "ownership.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Earlier reports keep their own numbers: a trend or "previous" value is
 * read back from kpi_values, never recomputed with today's data. */
#define TREND_POINTS 11

/* $1, $2 owned touchpoints and their departments. */
static const char dept_counts_sql[] =
    "SELECT o.dept, " TP_COUNTS_SUMS " FROM unnest($1::text[], $2::text[]) o(tp, dept)"
    " JOIN t_touchpoint_counts t ON t.tp = o.tp AND t.k = 0 GROUP BY o.dept";

/* $1 job, $2 this run's as-of, $3 dims wanted, $4 how many reports.  The latest succeeded run of
 * each earlier as-of (a re-run replaces its date's report), newest eleven;
 * the first row per dims in as-of order descending is the previous one.
 * Ad-hoc ranges are nobody's previous report: their days are anyone's. */
static const char history_sql[] =
    "WITH r AS ("
    "  SELECT DISTINCT ON (as_of) run_id, as_of FROM {res}.runs"
    "  WHERE job = $1 AND status = 'succeeded' AND as_of < $2::timestamptz"
    "   AND " PERIOD_NOT_RANGE_SQL "  ORDER BY as_of DESC, run_id DESC LIMIT $4::int)"
    " SELECT k.dims, to_char(r.as_of, 'YYYY-MM-DD'), r.run_id, k.value, k.n,"
    "  r.as_of = (SELECT max(as_of) FROM r) AS latest"
    " FROM r JOIN {res}.kpi_values k USING (run_id)"
    " WHERE k.code = 'dept.kpi.actual' AND k.dims = ANY ($3::text[])"
    " ORDER BY k.dims COLLATE \"C\", r.as_of";

struct actual {
    struct maybe v;
    long long n;
    bool low;
};

static struct actual from_model(const struct model *m, const char *code, const char *dims)
{
    const struct kpi *k = model_find(m, code, dims);
    if (!k)
        return (struct actual){nothing(), -1, false};
    return (struct actual){k->has_value ? just(k->value) : nothing(), k->n, false};
}

static struct actual survey_actual(const char *metric, const struct tp_counts *k, int min_sample)
{
    if (!strcmp(metric, "nps"))
        return (struct actual){nps_score(k->promoters, k->detractors, k->scored), k->scored,
                               k->scored < min_sample};
    if (!strcmp(metric, "csat"))
        return (struct actual){ratio((double)k->csat_top2, (double)k->csat_n), k->csat_n,
                               k->csat_n < min_sample};
    return (struct actual){ratio((double)k->ces_sum, (double)k->ces_n), k->ces_n,
                           k->ces_n < min_sample};
}

static struct actual kpi_actual(const struct model *m, const struct department *d,
                                const struct target *t, const struct tp_counts *k, int min_sample)
{
    char dims[256];
    if (!strncmp(t->metric, "topic.", 6)) {
        snprintf(dims, sizeof(dims), "topic=%s", t->arg);
        return from_model(m, t->metric, dims);
    }
    if (!strncmp(t->metric, "sla.", 4)) {
        snprintf(dims, sizeof(dims), "department=%s", d->code);
        return from_model(m, t->metric, dims);
    }
    if (!strcmp(t->metric, "journey.negative_share"))
        return (struct actual){ratio((double)k->fb_neg, (double)k->fb_n), k->fb_n, false};
    return survey_actual(t->metric, k, min_sample);
}

static char *kpi_dims(const struct department *d, const struct dept_kpi *q)
{
    return xstrfmt("department=%s;kpi=%s", d->code, q->name);
}

static void scorecard(struct model *m, const struct department *d, const struct tp_counts *k,
                      int min_sample)
{
    for (size_t i = 0; i < d->n_kpis; i++) {
        const struct dept_kpi *q = &d->kpis[i];
        const struct target *t = &q->t;
        char *dims = kpi_dims(d, q);
        char *written = t->arg ? xstrfmt("%s(%s)", t->metric, t->arg) : xstrdup(t->metric);
        struct actual a = kpi_actual(m, d, t, k, min_sample);
        /* A KPI on a source view the company does not have (topics without
         * feedback, SLAs without cases) says why it has no value. */
        char gap[128], flag[160];
        bool missing = model_figure_gap(m, t->metric, gap, sizeof(gap));
        if (missing) {
            a.v = nothing();
            a.n = -1;
        }
        snprintf(flag, sizeof(flag), "%s%s%s", a.low ? "low_sample" : "",
                 a.low && missing ? "," : "", missing ? gap : "");
        model_add(m, "dept.kpi.actual", dims, a.v.ok, a.v.v, a.n, flag);
        model_add(m, "dept.kpi.target", dims, true, t->value, -1,
                  t->lower_is_better ? "lower_is_better" : "higher_is_better");
        model_add(m, "dept.kpi.amber", dims, true, t->amber, -1, NULL);
        add_status(m, "dept.kpi.status", dims, target_status(t, a.v.ok, a.v.v), a.low);
        model_add_label(m, "dept_kpi", dims, written);
        free(written);
        free(dims);
    }
}

static enum vr_status dept_counts(struct db *db, const struct config *c, struct tp_counts *out,
                                  struct vr_error *err)
{
    char *tps, *depts;
    ownership_touchpoint_arrays(c, &tps, &depts);
    const char *params[] = {tps, depts};
    PGresult *r = db_query(db, "could not sum department scores", dept_counts_sql, 2, params, err);
    free(tps);
    free(depts);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        for (size_t d = 0; d < c->n_depts; d++)
            if (!strcmp(c->depts[d].code, db_text(r, i, 0)))
                tp_counts_read(r, i, 1, &out[d]);
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_depts_history(struct db *db, const struct config *c,
                                 const struct job_config *job, const struct period *p,
                                 struct model *m, struct vr_error *err)
{
    struct strbuf wanted;
    strbuf_init(&wanted);
    strbuf_adds(&wanted, "{");
    for (size_t d = 0; d < c->n_depts; d++)
        for (size_t i = 0; i < c->depts[d].n_kpis; i++) {
            char *dims = kpi_dims(&c->depts[d], &c->depts[d].kpis[i]);
            db_array_add(&wanted, dims);
            free(dims);
        }
    strbuf_adds(&wanted, "}");
    char points[16];
    snprintf(points, sizeof(points), "%d", TREND_POINTS);
    const char *params[] = {job->name, p->as_of, wanted.buf, points};
    PGresult *r =
        db_query(db, "could not read earlier department figures", history_sql, 4, params, err);
    strbuf_release(&wanted);
    if (!r)
        return err->status;
    for (size_t d = 0; d < c->n_depts; d++)
        for (size_t i = 0; i < c->depts[d].n_kpis; i++) {
            char *dims = kpi_dims(&c->depts[d], &c->depts[d].kpis[i]);
            bool found = false;
            for (int row = 0; row < PQntuples(r) && !found; row++) {
                if (strcmp(db_text(r, row, 0), dims) || strcmp(db_text(r, row, 5), "t"))
                    continue;
                bool has;
                double v = db_double(r, row, 3, &has);
                bool has_n = db_text(r, row, 4) != NULL;
                model_add(m, "dept.kpi.previous", dims, has, v, has_n ? db_ll(r, row, 4) : -1,
                          NULL);
                found = true;
            }
            if (!found)
                model_add(m, "dept.kpi.previous", dims, false, 0.0, -1, NULL);
            free(dims);
        }
    for (int row = 0; row < PQntuples(r); row++) {
        bool has;
        double v = db_double(r, row, 3, &has);
        model_add_trend(m, "dept.kpi.actual", db_text(r, row, 0), db_text(r, row, 1),
                        db_ll(r, row, 2), has, v);
    }
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_depts(struct db *db, const struct config *c, const struct job_config *job,
                         const struct period *p, struct model *m, struct vr_error *err)
{
    ownership_labels(c, m);
    if (!c->n_depts)
        return VR_OK;
    struct tp_counts *counts = xcalloc(c->n_depts, sizeof(*counts));
    if (dept_counts(db, c, counts, err) == VR_OK) {
        for (size_t d = 0; d < c->n_depts; d++)
            scorecard(m, &c->depts[d], &counts[d], job->min_sample);
        kpi_depts_history(db, c, job, p, m, err);
    }
    free(counts);
    return err->status;
}
