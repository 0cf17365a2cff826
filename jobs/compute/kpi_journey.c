#include "kpi_journey.h"

#include "kpi_math.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A touchpoint NULL in the data is "unknown", as in the survey scores.
 * Negative as in the topic figures: the upstream sentiment when set, else
 * the tag's, below -0.05 as stored (real). */
static const char counts_sql[] =
    "CREATE TEMP TABLE t_touchpoint_counts AS"
    " WITH s AS ("
    "  SELECT p.k, coalesce(r.touchpoint, 'unknown') AS tp, count(*) AS responses,"
    "   count(r.nps) AS scored, count(*) FILTER (WHERE r.nps >= 9) AS promoters,"
    "   count(*) FILTER (WHERE r.nps <= 6) AS detractors, count(r.csat) AS csat_n,"
    "   count(*) FILTER (WHERE r.csat >= 4) AS csat_top2, count(r.ces) AS ces_n,"
    "   coalesce(sum(r.ces), 0) AS ces_sum"
    "  FROM c_survey_responses r JOIN t_periods p"
    "   ON r.responded_at >= p.lo AND r.responded_at < p.hi"
    "  GROUP BY p.k, 2),"
    " f AS ("
    "  SELECT p.k, coalesce(r.touchpoint, 'unknown') AS tp, count(*) AS fb_n,"
    "   count(*) FILTER (WHERE coalesce(f.sentiment::real, g.sentiment) < real '-0.05') AS fb_neg"
    "  FROM c_feedback f JOIN t_periods p ON f.received_at >= p.lo AND f.received_at < p.hi"
    "  JOIN c_survey_responses r ON r.response_id = f.response_id AND r.responded_at < p.hi"
    "  LEFT JOIN {res}.feedback_tags g ON g.feedback_id = f.feedback_id"
    "  WHERE f.brand IS NULL"
    "  GROUP BY p.k, 2)"
    " SELECT k, tp, coalesce(responses, 0) AS responses, coalesce(scored, 0) AS scored,"
    "  coalesce(promoters, 0) AS promoters, coalesce(detractors, 0) AS detractors,"
    "  coalesce(csat_n, 0) AS csat_n, coalesce(csat_top2, 0) AS csat_top2,"
    "  coalesce(ces_n, 0) AS ces_n, coalesce(ces_sum, 0) AS ces_sum,"
    "  coalesce(fb_n, 0) AS fb_n, coalesce(fb_neg, 0) AS fb_neg"
    " FROM s FULL JOIN f USING (k, tp)";

/* $1 [journey] touchpoints: those first in their order, then every other
 * touchpoint with a response in the period, in byte order. */
static const char journey_sql[] =
    "WITH l AS ("
    "  SELECT tp FROM unnest($1::text[]) tp"
    "  UNION SELECT tp FROM t_touchpoint_counts WHERE k = 0 AND responses > 0)"
    " SELECT l.tp, " TP_COUNTS_SUMS
    " FROM l LEFT JOIN t_touchpoint_counts t ON t.tp = l.tp AND t.k = 0"
    " GROUP BY l.tp ORDER BY array_position($1::text[], l.tp), l.tp COLLATE \"C\"";

void tp_counts_read(const PGresult *r, int row, int col, struct tp_counts *out)
{
    long long *f[] = {&out->scored,  &out->promoters, &out->detractors,
                      &out->csat_n,  &out->csat_top2, &out->ces_n,
                      &out->ces_sum, &out->fb_n,      &out->fb_neg};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        *f[i] = db_ll(r, row, col + (int)i);
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
    if (db_exec(db, "could not count responses per touchpoint", counts_sql, 0, NULL, err) !=
            VR_OK ||
        db_script(db, "could not count responses per touchpoint", "ANALYZE t_touchpoint_counts",
                  err) != VR_OK)
        return err->status;
    char *order = db_array_of(c->journey.touchpoints, SIZE_MAX);
    const char *jp[] = {order};
    PGresult *r = db_query(db, "could not compute the journey map", journey_sql, 1, jp, err);
    free(order);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *tp = db_text(r, i, 0);
        struct tp_counts k;
        tp_counts_read(r, i, 1, &k);
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
