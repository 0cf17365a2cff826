/* Department KPIs (metrics.md "Departments, targets and closure"): the SQL
 * is sql/compute/dept_*.sql.  The config's lists (owned touchpoints, the
 * topics KPIs name, department codes) go to the files as text[] values,
 * never into the SQL text, and no identifier comes from the config. */
#include "kpi_depts.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_journey.h"
#include "kpi_math.h"
#include "ownership.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a KPI's actual is computed from, per department or topic and
 * period k of the history (docs/decisions.md "Histories by period"). */
struct sources {
    size_t n_periods;
    struct tp_counts *survey; /* [department index * n_periods + k] */
    PGresult *topics, *sla;
};

struct actual {
    struct maybe v;
    long long n;
    bool low;
};

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

/* The row of r whose column col is key and column k is k, or -1. */
static int find_row(const PGresult *r, const char *col, const char *key, size_t k)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (!strcmp(db_get_text(r, i, col), key) && db_get_ll(r, i, "k") == (long long)k)
            return i;
    return -1;
}

/* topic.mentions|negative|sentiment_score(T) as kpi_topics computes them
 * for the period: n the mentions (the rows with a sentiment for the
 * score); a topic without figures is NULL. */
static struct actual topic_actual(const struct sources *s, const struct target *t, size_t k)
{
    int row = find_row(s->topics, "topic", t->arg, k);
    if (row < 0)
        return (struct actual){nothing(), -1, false};
    long long mentions = db_get_ll(s->topics, row, "mentions");
    long long scored = db_get_ll(s->topics, row, "scored");
    if (!strcmp(t->metric, "topic.mentions"))
        return (struct actual){just((double)mentions), mentions, false};
    if (!strcmp(t->metric, "topic.negative"))
        return (struct actual){just((double)db_get_ll(s->topics, row, "negative")), mentions,
                               false};
    bool has_mean;
    double mean = db_get_double(s->topics, row, "mean", &has_mean);
    return (struct actual){has_mean && scored > 0 ? just(50.0 * (1.0 + mean)) : nothing(), scored,
                           false};
}

/* sla.*: the department's cases of the period, as kpi_sla; none: NULL, n 0. */
static struct actual sla_actual(const struct sources *s, const char *dept, const char *metric,
                                size_t k)
{
    int row = find_row(s->sla, "dept", dept, k);
    static const char *const cols[5] = {"red", "answered", "cases", "closed", "open_long"};
    long long v[5] = {0};
    for (int c = 0; row >= 0 && c < 5; c++)
        v[c] = db_get_ll(s->sla, row, cols[c]);
    if (!strcmp(metric, "sla.first_response_24h"))
        return (struct actual){ratio((double)v[1], (double)v[0]), v[0], false};
    if (!strcmp(metric, "sla.closed_48h"))
        return (struct actual){ratio((double)v[3], (double)v[2]), v[2], false};
    return (struct actual){ratio((double)v[4], (double)v[2]), v[2], false};
}

/* Department d's KPI t in period k (0: the run's own). */
static struct actual kpi_actual(const struct sources *s, size_t d, const struct department *dept,
                                const struct target *t, size_t k, int min_sample)
{
    const struct tp_counts *counts = &s->survey[d * s->n_periods + k];
    if (!strncmp(t->metric, "topic.", 6))
        return topic_actual(s, t, k);
    if (!strncmp(t->metric, "sla.", 4))
        return sla_actual(s, dept->code, t->metric, k);
    if (!strcmp(t->metric, "journey.negative_share"))
        return (struct actual){ratio((double)counts->fb_neg, (double)counts->fb_n), counts->fb_n,
                               false};
    return survey_actual(t->metric, counts, min_sample);
}

/* A KPI on a source view the company does not have (topics without
 * feedback, SLAs without cases) has no value and says why: flag gets
 * low_sample and the gap, ','-joined ("" for neither). */
static struct actual measured(const struct model *m, const struct target *t, struct actual a,
                              char *flag, size_t n)
{
    char gap[128];
    bool missing = model_figure_gap(m, t->metric, gap, sizeof(gap));
    if (missing) {
        a.v = nothing();
        a.n = -1;
    }
    snprintf(flag, n, "%s%s%s", a.low ? "low_sample" : "", a.low && missing ? "," : "",
             missing ? gap : "");
    return a;
}

static char *kpi_dims(const struct department *d, const struct dept_kpi *q)
{
    return xstrfmt("department=%s;kpi=%s", d->code, q->name);
}

static void scorecard(struct model *m, const struct sources *s, size_t d,
                      const struct department *dept, int min_sample)
{
    for (size_t i = 0; i < dept->n_kpis; i++) {
        const struct dept_kpi *q = &dept->kpis[i];
        const struct target *t = &q->t;
        char *dims = kpi_dims(dept, q);
        char *written = t->arg ? xstrfmt("%s(%s)", t->metric, t->arg) : xstrdup(t->metric);
        char flag[160];
        struct actual a =
            measured(m, t, kpi_actual(s, d, dept, t, 0, min_sample), flag, sizeof(flag));
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

/* The KPI's actual in every period of the history (dims with period=),
 * oldest first; its previous, the period before the run's own with that
 * period's days in the flag ("period=2026-10-01/2026-10-31"), NULL with
 * no_prior_period when there is none; and the trend points of the
 * periods before the run's own, for the charts. */
static void history(struct model *m, const struct sources *s, size_t d,
                    const struct department *dept, const struct dept_kpi *q, int min_sample)
{
    char *dims = kpi_dims(dept, q);
    for (size_t back = s->n_periods; back-- > 0;) {
        const struct history_period *hp = &m->periods[m->n_periods - 1 - back];
        char flags[160];
        struct actual a = measured(m, &q->t, kpi_actual(s, d, dept, &q->t, back, min_sample), flags,
                                   sizeof(flags));
        char *pdims = xstrfmt("%s;period=%s", dims, hp->first_day);
        model_add(m, "dept.kpi.actual", pdims, a.v.ok, a.v.v, a.n, flags);
        free(pdims);
        if (back == 1) {
            char *flag =
                xstrfmt("period=%s/%s%s%s", hp->first_day, hp->last_day, *flags ? "," : "", flags);
            model_add(m, "dept.kpi.previous", dims, a.v.ok, a.v.v, a.n, flag);
            free(flag);
        }
        if (back > 0)
            model_add_trend(m, "dept.kpi.actual", dims, hp->first_day, m->run_id, a.v.ok, a.v.v);
    }
    if (s->n_periods < 2)
        model_add(m, "dept.kpi.previous", dims, false, 0.0, -1, "no_prior_period");
    free(dims);
}

static enum vr_status read_sources(struct db *db, const struct config *c, struct sources *s,
                                   struct vr_error *err)
{
    char *tps, *depts;
    ownership_touchpoint_arrays(c, &tps, &depts);
    PGresult *r = db_query_file(db, "could not sum department scores", "compute/dept_counts.sql",
                                SQL_ARGS({"touchpoints", tps}, {"departments", depts}), err);
    free(tps);
    free(depts);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        /* The overall rows are the warnings'. */
        const char *dept = db_get_text(r, i, "dept");
        if (db_get_ll(r, i, "is_overall") || !dept)
            continue;
        size_t k = (size_t)db_get_ll(r, i, "k");
        for (size_t d = 0; d < c->n_depts && k < s->n_periods; d++)
            if (!strcmp(c->depts[d].code, dept))
                tp_counts_get(r, i, &s->survey[d * s->n_periods + k]);
    }
    PQclear(r);

    struct strbuf topics;
    strbuf_init(&topics);
    strbuf_adds(&topics, "{");
    for (size_t d = 0; d < c->n_depts; d++)
        for (size_t i = 0; i < c->depts[d].n_kpis; i++)
            if (c->depts[d].kpis[i].t.arg)
                db_array_add(&topics, c->depts[d].kpis[i].t.arg);
    strbuf_adds(&topics, "}");
    s->topics = db_query_file(db, "could not read the topics' history", "compute/dept_topics.sql",
                              SQL_ARGS({"topics", topics.buf}), err);
    strbuf_release(&topics);
    if (!s->topics)
        return err->status;
    char *codes = ownership_department_array(c);
    s->sla = db_query_file(db, "could not read the departments' case history",
                           "compute/dept_sla.sql", SQL_ARGS({"departments", codes}), err);
    free(codes);
    return err->status;
}

enum vr_status kpi_depts(struct db *db, const struct config *c, const struct job_config *job,
                         struct model *m, struct vr_error *err)
{
    ownership_labels(c, job->locale, m);
    if (!c->n_depts)
        return VR_OK;
    /* history_periods lists at least the run's own period (k = 0). */
    struct sources s = {.n_periods = m->n_periods ? m->n_periods : 1};
    s.survey = xcalloc(c->n_depts * s.n_periods, sizeof(*s.survey));
    if (read_sources(db, c, &s, err) == VR_OK) {
        for (size_t d = 0; d < c->n_depts; d++)
            scorecard(m, &s, d, &c->depts[d], job->min_sample);
        if (m->n_periods)
            for (size_t d = 0; d < c->n_depts; d++)
                for (size_t i = 0; i < c->depts[d].n_kpis; i++)
                    history(m, &s, d, &c->depts[d], &c->depts[d].kpis[i], job->min_sample);
    }
    PQclear(s.topics);
    PQclear(s.sla);
    free(s.survey);
    return err->status;
}
