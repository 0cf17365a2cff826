#include "kpi_history.h"

#include "jobs/base/sql_file.h"
#include "kpi_math.h"
#include "kpi_scores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool history_dims(const struct model *m, size_t k, char *out, size_t n)
{
    if (k >= m->n_periods)
        return false;
    snprintf(out, n, "period=%s", m->periods[m->n_periods - 1 - k].first_day);
    return true;
}

enum vr_status history_periods(struct db *db, const struct period *p, struct model *m,
                               struct vr_error *err)
{
    char last[16];
    snprintf(last, sizeof(last), "%d", p->has_prior ? HISTORY_PERIODS - 1 : 0);
    if (db_exec_file(db, "could not lay out the history's periods", "compute/history_periods.sql",
                     SQL_ARGS({"period_start", p->start}, {"period_end", p->end},
                              {"month_steps", p->month_steps ? "true" : "false"}, {"last_k", last}),
                     err) != VR_OK)
        return err->status;
    PGresult *r = db_query_file(db, "could not list the history's periods",
                                "compute/history_period_list.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        model_add_period(m, db_get_text(r, i, "first_day"), db_get_text(r, i, "last_day"));
    PQclear(r);
    return VR_OK;
}

/* Runs a file whose rows carry the period k and hands each row of a listed
 * period to add, with its dims. */
static enum vr_status per_period(struct db *db, const char *what, const char *file,
                                 const struct sql_arg *args, const struct job_config *job,
                                 struct model *m,
                                 void (*add)(struct model *, const struct job_config *,
                                             const PGresult *, int, const char *),
                                 struct vr_error *err)
{
    PGresult *r = db_query_file(db, what, file, args, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        char dims[64];
        if (history_dims(m, (size_t)db_get_ll(r, i, "k"), dims, sizeof(dims)))
            add(m, job, r, i, dims);
    }
    PQclear(r);
    return VR_OK;
}

static void add_scores(struct model *m, const struct job_config *job, const PGresult *r, int i,
                       const char *dims)
{
    struct score_counts c = {.scored = db_get_ll(r, i, "scored"),
                             .promoters = db_get_ll(r, i, "promoters"),
                             .detractors = db_get_ll(r, i, "detractors"),
                             .csat_n = db_get_ll(r, i, "csat_n"),
                             .csat_top2 = db_get_ll(r, i, "csat_top2"),
                             .ces_n = db_get_ll(r, i, "ces_n"),
                             .ces_sum = db_get_ll(r, i, "ces_sum")};
    scores_add(m, dims, &c, job->min_sample);
}

static void add_churn(struct model *m, const struct job_config *job, const PGresult *r, int i,
                      const char *dims)
{
    (void)job;
    long long population = db_get_ll(r, i, "population"), churned = db_get_ll(r, i, "churned");
    struct maybe rate = ratio((double)churned, (double)population);
    model_add(m, "churn_rate", dims, rate.ok, rate.v, population, NULL);
}

/* The headline's change against the previous period, as a figure (the
 * mail's tiles show it; no page subtracts): this period's history point
 * minus the one before.  NULL with the previous point's reason when that
 * is NULL, with no_prior_period when there is none (period = all). */
static void add_change(struct model *m, const char *code, const char *change_code)
{
    char now_dims[64], prev_dims[64];
    if (!history_dims(m, 0, now_dims, sizeof(now_dims)) ||
        !history_dims(m, 1, prev_dims, sizeof(prev_dims))) {
        model_add(m, change_code, "", false, 0.0, -1, "no_prior_period");
        return;
    }
    const struct kpi *now = model_find(m, code, now_dims);
    const struct kpi *prev = model_find(m, code, prev_dims);
    bool both = now && prev && now->has_value && prev->has_value;
    const struct kpi *why = now && !now->has_value ? now : prev;
    model_add(m, change_code, "", both, both ? now->value - prev->value : 0.0,
              now ? now->n : -1, both || !why ? NULL : why->flag);
}

enum vr_status kpi_history(struct db *db, const struct job_config *job, struct model *m,
                           struct vr_error *err)
{
    const char *rule = model_param(m, "churn_rule");
    char days[16];
    snprintf(days, sizeof(days), "%d", job->inactive_days);
    if (per_period(db, "could not compute the score history", "compute/history_scores.sql",
                   SQL_NO_ARGS, job, m, add_scores, err) != VR_OK)
        return err->status;
    if (per_period(db, "could not compute the churn history", "compute/history_churn.sql",
                   SQL_ARGS({"churn_rule", rule ? rule : "explicit"}, {"inactive_days", days}), job,
                   m, add_churn, err) != VR_OK)
        return err->status;
    add_change(m, "csat", "csat_change");
    add_change(m, "churn_rate", "churn_rate_change");
    return VR_OK;
}
