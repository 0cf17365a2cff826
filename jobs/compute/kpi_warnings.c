#include "kpi_warnings.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_journey.h"
#include "kpi_math.h"
#include "ownership.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Periods 0 (this) to 3: three period-over-period changes. */
#define DECLINE_PERIODS 4

struct decline {
    struct tp_counts k[DECLINE_PERIODS];
};

/* Index of a group: 0 overall, 1 + i the configured department i; -1 for
 * touchpoints nobody owns. */
static int group_of(const struct config *c, const PGresult *r, int row)
{
    if (db_get_ll(r, row, "is_overall"))
        return 0;
    const char *dept = db_get_text(r, row, "dept");
    for (size_t i = 0; dept && i < c->n_depts; i++)
        if (!strcmp(c->depts[i].code, dept))
            return 1 + (int)i;
    return -1;
}

static void group_dims(const struct config *c, int g, char *out, size_t n)
{
    if (g == 0)
        out[0] = '\0';
    else
        snprintf(out, n, "department=%s", c->depts[g - 1].code);
}

/* Set when the latest change is negative and significant, or each of the
 * last three changes is negative; no value when the latest change cannot
 * be computed (both rules need it). */
static void add_decline(struct model *m, const char *dims, const struct decline *d)
{
    struct maybe nps[DECLINE_PERIODS], moe[2];
    for (int k = 0; k < DECLINE_PERIODS; k++)
        nps[k] = nps_score(d->k[k].promoters, d->k[k].detractors, d->k[k].scored);
    for (int k = 0; k < 2; k++)
        moe[k] = nps_margin(d->k[k].promoters, d->k[k].detractors, d->k[k].scored);
    struct maybe delta = nps_change(nps[0], nps[1]);
    if (!delta.ok) {
        model_add(m, "warn.nps_decline", dims, false, 0.0, d->k[0].scored, NULL);
        return;
    }
    bool significant = delta.v < 0 && nps_change_significant(delta, moe[0], moe[1]);
    bool three = true;
    for (int k = 0; k + 1 < DECLINE_PERIODS; k++) {
        struct maybe change = nps_change(nps[k], nps[k + 1]);
        three = three && change.ok && change.v < 0;
    }
    char flag[64];
    snprintf(flag, sizeof(flag), "%s%s%s", significant ? "significant_drop" : "",
             significant && three ? "," : "", three ? "three_periods" : "");
    model_add(m, "warn.nps_decline", dims, true, significant || three ? 1.0 : 0.0, d->k[0].scored,
              *flag ? flag : NULL);
    /* How far it fell, for what the warning is worth (findings_rank): over
     * the three periods when they all fell, else against the prior. */
    if (significant || three)
        model_add(m, "warn.nps_fall", dims, true, nps[three ? 3 : 1].v - nps[0].v, d->k[0].scored,
                  NULL);
}

static enum vr_status nps_decline(struct db *db, const struct config *c, const char *const *own,
                                  bool has_prior, struct model *m, struct vr_error *err)
{
    PGresult *r =
        db_query_file(db, "could not look for NPS declines", "compute/dept_counts.sql",
                      SQL_ARGS({"touchpoints", own[0]}, {"departments", own[1]}), err);
    if (!r)
        return err->status;
    size_t ng = 1 + c->n_depts;
    struct decline *d = xcalloc(ng, sizeof(*d));
    for (int i = 0; i < PQntuples(r); i++) {
        int g = group_of(c, r, i);
        long long k = db_get_ll(r, i, "k");
        if (g >= 0 && k >= 0 && k < DECLINE_PERIODS)
            tp_counts_get(r, i, &d[g].k[k]);
    }
    PQclear(r);
    for (size_t g = 0; g < ng; g++) {
        char dims[256];
        group_dims(c, (int)g, dims, sizeof(dims));
        if (has_prior)
            add_decline(m, dims, &d[g]);
        else
            model_add(m, "warn.nps_decline", dims, false, 0.0, d[g].k[0].scored, "no_prior_period");
    }
    free(d);
    return VR_OK;
}

static enum vr_status promoter_slip(struct db *db, const struct config *c, const struct period *p,
                                    const char *const *own, struct model *m, struct vr_error *err)
{
    PGresult *r =
        db_query_file(db, "could not find promoters turned passive", "compute/warnings_slip.sql",
                      SQL_ARGS({"period_start", p->start}, {"as_of", p->end},
                               {"lookback_start", p->lookback_start}, {"touchpoints", own[0]},
                               {"departments", own[1]}),
                      err);
    if (!r)
        return err->status;
    size_t ng = 1 + c->n_depts;
    long long *slipped = xcalloc(ng, sizeof(*slipped)), *base = xcalloc(ng, sizeof(*base));
    for (int i = 0; i < PQntuples(r); i++) {
        int g = group_of(c, r, i);
        if (g >= 0) {
            slipped[g] = db_get_ll(r, i, "passives");
            base[g] = db_get_ll(r, i, "customers");
        }
    }
    PQclear(r);
    for (size_t g = 0; g < ng; g++) {
        char dims[256];
        group_dims(c, (int)g, dims, sizeof(dims));
        model_add(m, "warn.promoter_to_passive", dims, true, (double)slipped[g], base[g], NULL);
    }
    free(slipped);
    free(base);
    return VR_OK;
}

static enum vr_status satisfied_churned(struct db *db, struct model *m, struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not compare satisfaction with churn",
                                "compute/warnings_gap.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    long long satisfied = db_get_ll(r, 0, "satisfied"), n = db_get_ll(r, 0, "churned");
    PQclear(r);
    struct maybe share = ratio((double)satisfied, (double)n);
    model_add(m, "gap.satisfied_churned", "", share.ok, share.v, n, NULL);
    return VR_OK;
}

enum vr_status kpi_warnings(struct db *db, const struct config *c, const struct job_config *job,
                            const struct period *p, struct model *m, struct vr_error *err)
{
    /* The churn rule and its days were applied once, in t_cust. */
    (void)job;
    char *tps, *depts;
    ownership_touchpoint_arrays(c, &tps, &depts);
    const char *own[] = {tps, depts};
    if (nps_decline(db, c, own, p->has_prior, m, err) == VR_OK &&
        promoter_slip(db, c, p, own, m, err) == VR_OK)
        satisfied_churned(db, m, err);
    free(tps);
    free(depts);
    return err->status;
}
