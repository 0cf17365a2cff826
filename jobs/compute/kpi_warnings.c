#include "kpi_warnings.h"

#include "jobs/base/strbuf.h"
#include "kpi_classes.h"
#include "kpi_journey.h"
#include "kpi_math.h"
#include "ownership.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Periods 0 (this) to 3: three period-over-period changes. */
#define DECLINE_PERIODS 4

/* $1, $2 owned touchpoints and their departments.  Overall (grouping 1)
 * counts every touchpoint, owned or not. */
static const char decline_sql[] =
    "SELECT GROUPING(o.dept), o.dept, t.k, " TP_COUNTS_SUMS
    " FROM t_touchpoint_counts t LEFT JOIN unnest($1::text[], $2::text[]) o(tp, dept)"
    "  ON o.tp = t.tp"
    " GROUP BY GROUPING SETS ((t.k), (o.dept, t.k))";

/* $1 start, $2 T, $3 lookback start, $4, $5 owned touchpoints and their
 * departments.  Customers whose latest scored response is in the period and
 * whose scored response just before it (in the lookback) was 9-10; ties
 * on responded_at go to the higher response_id, as for the classes. */
static const char slip_sql[] =
    "WITH s AS ("
    "  SELECT customer_id, responded_at, nps, coalesce(touchpoint, 'unknown') AS tp,"
    "   row_number() OVER (PARTITION BY customer_id"
    "    ORDER BY responded_at DESC, response_id DESC) AS rn"
    "  FROM c_survey_responses WHERE nps IS NOT NULL"
    "   AND responded_at >= $3::timestamptz AND responded_at < $2::timestamptz),"
    " x AS ("
    "  SELECT l.tp, l.nps FROM s l JOIN s b ON b.customer_id = l.customer_id AND b.rn = 2"
    "  WHERE l.rn = 1 AND l.responded_at >= $1::timestamptz AND b.nps >= 9)"
    " SELECT GROUPING(o.dept), o.dept, count(*) FILTER (WHERE x.nps BETWEEN 7 AND 8), count(*)"
    " FROM x LEFT JOIN unnest($4::text[], $5::text[]) o(tp, dept) ON o.tp = x.tp"
    " GROUP BY GROUPING SETS ((), (o.dept))";

/* $1 period start, $2 churn rule, $3 inactive days.  Churned at T (t_cust)
 * and not at the period start, by the same rule (the last paid orders from
 * t_paid, kpi_classes); each one's last csat before the moment they
 * churned.  last_paid is inlined where it is used, so the planner sees
 * t_paid's statistics: as a CTE it guessed a join of 98 million rows for
 * 102 thousand and spilled it to disk (30.6 s against 4.5 s at 3 M). */
static const char gap_sql[] =
    "WITH last_paid AS NOT MATERIALIZED ("
    "  SELECT customer_id, last_paid_at_start AS ordered_at FROM t_paid"
    "  WHERE last_paid_at_start IS NOT NULL),"
    " before AS (" CHURNED_AT_SQL(
        "$1::timestamptz", "$2", "$3::int",
        "last_paid") "),"
                     " newly AS ("
                     "  SELECT c.customer_id, c.churned_at FROM t_cust c"
                     "  WHERE c.churned AND NOT EXISTS (SELECT 1 FROM before b WHERE b.customer_id "
                     "= c.customer_id)),"
                     " last_csat AS ("
                     "  SELECT DISTINCT ON (n.customer_id) n.customer_id, r.csat"
                     "  FROM newly n JOIN c_survey_responses r ON r.customer_id = n.customer_id"
                     "   AND r.csat IS NOT NULL AND r.responded_at < n.churned_at"
                     "  ORDER BY n.customer_id, r.responded_at DESC, r.response_id DESC)"
                     " SELECT count(*) FILTER (WHERE csat >= 4), count(*) FROM last_csat";

struct decline {
    struct tp_counts k[DECLINE_PERIODS];
};

/* Index of a group: 0 overall, 1 + i the configured department i; -1 for
 * touchpoints nobody owns. */
static int group_of(const struct config *c, const PGresult *r, int row)
{
    if (!strcmp(db_text(r, row, 0), "1"))
        return 0;
    const char *dept = db_text(r, row, 1);
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
    PGresult *r = db_query(db, "could not look for NPS declines", decline_sql, 2, own, err);
    if (!r)
        return err->status;
    size_t ng = 1 + c->n_depts;
    struct decline *d = xcalloc(ng, sizeof(*d));
    for (int i = 0; i < PQntuples(r); i++) {
        int g = group_of(c, r, i);
        long long k = db_ll(r, i, 2);
        if (g >= 0 && k >= 0 && k < DECLINE_PERIODS)
            tp_counts_read(r, i, 3, &d[g].k[k]);
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
    const char *params[] = {p->start, p->end, p->lookback_start, own[0], own[1]};
    PGresult *r = db_query(db, "could not find promoters turned passive", slip_sql, 5, params, err);
    if (!r)
        return err->status;
    size_t ng = 1 + c->n_depts;
    long long *slipped = xcalloc(ng, sizeof(*slipped)), *base = xcalloc(ng, sizeof(*base));
    for (int i = 0; i < PQntuples(r); i++) {
        int g = group_of(c, r, i);
        if (g >= 0) {
            slipped[g] = db_ll(r, i, 2);
            base[g] = db_ll(r, i, 3);
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

static enum vr_status satisfied_churned(struct db *db, const struct job_config *job,
                                        const struct period *p, struct model *m,
                                        struct vr_error *err)
{
    const char *rule = model_param(m, "churn_rule");
    char days[16];
    snprintf(days, sizeof(days), "%d", job->inactive_days);
    const char *params[] = {p->start, rule ? rule : "explicit", days};
    PGresult *r =
        db_query(db, "could not compare satisfaction with churn", gap_sql, 3, params, err);
    if (!r)
        return err->status;
    long long satisfied = db_ll(r, 0, 0), n = db_ll(r, 0, 1);
    PQclear(r);
    struct maybe share = ratio((double)satisfied, (double)n);
    model_add(m, "gap.satisfied_churned", "", share.ok, share.v, n, NULL);
    return VR_OK;
}

enum vr_status kpi_warnings(struct db *db, const struct config *c, const struct job_config *job,
                            const struct period *p, struct model *m, struct vr_error *err)
{
    char *tps, *depts;
    ownership_touchpoint_arrays(c, &tps, &depts);
    const char *own[] = {tps, depts};
    if (nps_decline(db, c, own, p->has_prior, m, err) == VR_OK &&
        promoter_slip(db, c, p, own, m, err) == VR_OK)
        satisfied_churned(db, job, p, m, err);
    free(tps);
    free(depts);
    return err->status;
}
