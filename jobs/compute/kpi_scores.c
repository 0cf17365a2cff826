#include "kpi_scores.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct group {
    char dims[256];
    struct score_counts cur, prior;
};

static void flags(char *out, size_t n, bool low, bool significant)
{
    snprintf(out, n, "%s%s%s", low ? "low_sample" : "", low && significant ? "," : "",
             significant ? "significant" : "");
}

static void put(struct model *m, const char *code, const char *dims, struct maybe v, long long n,
                const char *flag)
{
    model_add(m, code, dims, v.ok, v.v, n, flag);
}

/* Without a prior period (period = all) a comparison is NULL with a
 * flag, never a change against zero. */
static void emit_no_prior(struct model *m, const struct group *g)
{
    put(m, "nps_delta", g->dims, nothing(), g->cur.scored, "no_prior_period");
    put(m, "nps_prior", g->dims, nothing(), -1, "no_prior_period");
    put(m, "nps_moe_prior", g->dims, nothing(), -1, "no_prior_period");
}

void scores_add(struct model *m, const char *dims, const struct score_counts *c, int min_sample)
{
    char f[64];
    flags(f, sizeof(f), c->scored < min_sample, false);
    put(m, "nps", dims, nps_score(c->promoters, c->detractors, c->scored), c->scored, f);
    put(m, "nps_moe", dims, nps_margin(c->promoters, c->detractors, c->scored), c->scored, f);
    flags(f, sizeof(f), c->csat_n < min_sample, false);
    put(m, "csat", dims, ratio((double)c->csat_top2, (double)c->csat_n), c->csat_n, f);
    flags(f, sizeof(f), c->ces_n < min_sample, false);
    put(m, "ces", dims, ratio((double)c->ces_sum, (double)c->ces_n), c->ces_n, f);
}

static void emit(struct model *m, const struct group *g, int min_sample, bool has_prior)
{
    const struct score_counts *c = &g->cur, *p = &g->prior;
    char f[64];
    struct maybe nps = nps_score(c->promoters, c->detractors, c->scored);
    struct maybe moe = nps_margin(c->promoters, c->detractors, c->scored);
    struct maybe nps_p = nps_score(p->promoters, p->detractors, p->scored);
    struct maybe moe_p = nps_margin(p->promoters, p->detractors, p->scored);
    struct maybe delta = nps_change(nps, nps_p);
    bool low = c->scored < min_sample;

    scores_add(m, g->dims, c, min_sample);
    put(m, "nps_n", g->dims, just((double)c->scored), c->scored, NULL);
    put(m, "promoters", g->dims, just((double)c->promoters), c->scored, NULL);
    put(m, "passives", g->dims, just((double)c->passives), c->scored, NULL);
    put(m, "detractors", g->dims, just((double)c->detractors), c->scored, NULL);
    if (!*g->dims)
        put(m, "responses", "", just((double)c->responses), c->responses,
            c->responses ? NULL : "empty_period");
    if (!has_prior) {
        emit_no_prior(m, g);
        return;
    }
    flags(f, sizeof(f), low || p->scored < min_sample, nps_change_significant(delta, moe, moe_p));
    put(m, "nps_delta", g->dims, delta, c->scored, f);
    /* The prior's sample size shows in the delta's flag. */
    put(m, "nps_prior", g->dims, nps_p, p->scored, NULL);
    /* What a change's significance is measured against (findings_rank). */
    put(m, "nps_moe_prior", g->dims, moe_p, p->scored, NULL);
}

enum vr_status kpi_scores(struct db *db, const struct period *p, int min_sample, struct model *m,
                          struct vr_error *err)
{
    PGresult *r =
        db_query_file(db, "could not compute survey scores", "compute/survey_scores.sql",
                      SQL_ARGS({"period_start", p->start}, {"period_end", p->end},
                               {"prior_start", p->prior_start}, {"prior_end", p->prior_end}),
                      err);
    if (!r)
        return err->status;
    int n = PQntuples(r);
    struct group *groups = xcalloc((size_t)n + 1, sizeof(*groups));
    size_t ng = 0;
    /* The overall group always exists, even in a period with no responses. */
    ng = 1;
    for (int i = 0; i < n; i++) {
        const char *dim = db_get_text(r, i, "dim"), *val = db_get_text(r, i, "val");
        char dims[256];
        if (*dim)
            snprintf(dims, sizeof(dims), "%s=%s", dim, val);
        else
            dims[0] = '\0';
        struct group *g = NULL;
        for (size_t k = 0; k < ng; k++)
            if (!strcmp(groups[k].dims, dims))
                g = &groups[k];
        if (!g) {
            g = &groups[ng++];
            snprintf(g->dims, sizeof(g->dims), "%s", dims);
        }
        struct score_counts *c = !strcmp(db_get_text(r, i, "per"), "cur") ? &g->cur : &g->prior;
        c->scored = db_get_ll(r, i, "scored");
        c->promoters = db_get_ll(r, i, "promoters");
        c->passives = db_get_ll(r, i, "passives");
        c->detractors = db_get_ll(r, i, "detractors");
        c->csat_n = db_get_ll(r, i, "csat_n");
        c->csat_top2 = db_get_ll(r, i, "csat_top2");
        c->ces_n = db_get_ll(r, i, "ces_n");
        c->ces_sum = db_get_ll(r, i, "ces_sum");
        c->responses = db_get_ll(r, i, "responses");
    }
    PQclear(r);
    for (size_t k = 0; k < ng; k++)
        emit(m, &groups[k], min_sample, p->has_prior);
    free(groups);
    return VR_OK;
}
