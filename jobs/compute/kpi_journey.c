#include "kpi_journey.h"

#include "jobs/base/sql_file.h"
#include "kpi_math.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tp_counts_get(const PGresult *r, int row, struct tp_counts *out)
{
    *out = (struct tp_counts){
        .scored = db_get_ll(r, row, "scored"),
        .promoters = db_get_ll(r, row, "promoters"),
        .detractors = db_get_ll(r, row, "detractors"),
        .csat_n = db_get_ll(r, row, "csat_n"),
        .csat_top2 = db_get_ll(r, row, "csat_top2"),
        .ces_n = db_get_ll(r, row, "ces_n"),
        .ces_sum = db_get_ll(r, row, "ces_sum"),
        .fb_n = db_get_ll(r, row, "fb_n"),
        .fb_neg = db_get_ll(r, row, "fb_neg"),
    };
}

void add_status(struct model *m, const char *code, const char *dims, const char *colour,
                bool low_sample)
{
    static const char *const colours[] = {"red", "amber", "green"};
    char flag[32];
    snprintf(flag, sizeof(flag), "%s%s", colour, low_sample ? ",low_sample" : "");
    for (int v = 0; v < 3; v++)
        if (!strcmp(colour, colours[v])) {
            model_add(m, code, dims, true, (double)v, -1, flag);
            return;
        }
    model_add(m, code, dims, false, 0.0, -1, flag);
}

/* One journey figure and its status against the target. */
static void journey_figure(struct model *m, const char *metric, const char *tp, struct maybe v,
                           long long n, bool low, const struct target *t)
{
    char code[64], dims[512];
    snprintf(code, sizeof(code), "journey.%s", metric);
    snprintf(dims, sizeof(dims), "touchpoint=%s", tp);
    model_add(m, code, dims, v.ok, v.v, n, low ? "low_sample" : NULL);
    snprintf(dims, sizeof(dims), "metric=%s;touchpoint=%s", metric, tp);
    add_status(m, "journey.status", dims, target_status(t, v.ok, v.v), low);
}

/* The configured [journey] targets as figures (dims metric=M), as the
 * departments' are: the company's target lines a trend chart draws. */
static void journey_targets(struct model *m, const struct journey_config *j)
{
    const struct {
        const char *metric; /* as journey.status names it */
        const struct target *t;
    } targets[] = {{"nps", &j->nps}, {"csat", &j->csat}, {"negative_share", &j->negative_share}};
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        const struct target *t = targets[i].t;
        char dims[64];
        if (!t->metric)
            continue;
        snprintf(dims, sizeof(dims), "metric=%s", targets[i].metric);
        model_add(m, "journey.target", dims, true, t->value, -1,
                  t->lower_is_better ? "lower_is_better" : "higher_is_better");
        model_add(m, "journey.amber", dims, true, t->amber, -1, NULL);
    }
}

enum vr_status kpi_journey(struct db *db, const struct config *c, const struct job_config *job,
                           struct model *m, struct vr_error *err)
{
    if (db_script_file(db, "could not count responses per touchpoint", "compute/journey_counts.sql",
                       SQL_NO_ARGS, err) != VR_OK)
        return err->status;
    char *order = db_array_of(c->journey.touchpoints, SIZE_MAX);
    PGresult *r =
        db_query_file(db, "could not compute the journey map", "compute/journey_figures.sql",
                      SQL_ARGS({"touchpoints", order}), err);
    free(order);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *tp = db_get_text(r, i, "tp");
        struct tp_counts k;
        tp_counts_get(r, i, &k);
        journey_figure(m, "nps", tp, nps_score(k.promoters, k.detractors, k.scored), k.scored,
                       k.scored < job->min_sample, &c->journey.nps);
        journey_figure(m, "csat", tp, ratio((double)k.csat_top2, (double)k.csat_n), k.csat_n,
                       k.csat_n < job->min_sample, &c->journey.csat);
        journey_figure(m, "negative_share", tp, ratio((double)k.fb_neg, (double)k.fb_n), k.fb_n,
                       false, &c->journey.negative_share);
    }
    PQclear(r);
    journey_targets(m, &c->journey);
    return VR_OK;
}
