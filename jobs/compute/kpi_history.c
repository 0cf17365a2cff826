#include "kpi_history.h"

#include "kpi_math.h"
#include "kpi_scores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* $1 start, $2 end, $3 month rule, $4 the last k.  Month rules step by
 * calendar month, the others by the period's length in local days (the
 * session time zone is the job's), each period from the run's own bounds
 * (so 31 October less two months is 31 August, not 30 August). */
static const char periods_sql[] =
    "CREATE TEMP TABLE t_periods AS"
    " SELECT k, $1::timestamptz - k * s.step AS lo, $2::timestamptz - k * s.step AS hi"
    " FROM generate_series(0, $4::int) k, (SELECT CASE WHEN $3::boolean THEN interval '1 month'"
    "  ELSE (($2::timestamptz)::date - ($1::timestamptz)::date) * interval '1 day' END AS step) s";

static const char list_sql[] =
    "SELECT to_char(lo, 'YYYY-MM-DD'), to_char(hi - interval '1 day', 'YYYY-MM-DD')"
    " FROM t_periods ORDER BY k DESC";

/* The survey counts of each period: the touchpoints' counts add up. */
static const char scores_sql[] =
    "SELECT p.k, coalesce(sum(t.scored), 0), coalesce(sum(t.promoters), 0),"
    " coalesce(sum(t.detractors), 0), coalesce(sum(t.csat_n), 0), coalesce(sum(t.csat_top2), 0),"
    " coalesce(sum(t.ces_n), 0), coalesce(sum(t.ces_sum), 0)"
    " FROM t_periods p LEFT JOIN t_touchpoint_counts t USING (k) GROUP BY p.k ORDER BY p.k DESC";

/* $1 churn rule, $2 inactive days.  The population at each period's end
 * hi (as kpi_classes' at T) and those of it churned at hi, by the rule of
 * CHURNED_AT_SQL (kpi_classes.h) with AT = hi, for every period at once.
 *
 * Each source row is read once: a customer's paid orders (and, for the
 * explicit rule, churn events) in time order say over which moments each
 * one is the latest before hi (lead()), so "the last paid order before hi"
 * needs no join of every order with every period, which at 10 M responses
 * read orders 13 times and took half the night (docs/scaling.md).
 *   inactivity: churned at hi iff its last paid order o (o < hi <= next)
 *     is older than hi - days;
 *   explicit: churned at hi iff the latest of its paid orders and churn
 *     events before hi is a churn event (an order at the same moment
 *     counts as before it: "last paid <= churned_at");
 *   in the population at hi iff acquired before hi's local date (or no
 *     date), or a paid order before hi; a churned customer must be in it. */
static const char churn_sql[] =
    "WITH paid AS ("
    "  SELECT customer_id, ordered_at,"
    "   lead(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS next_at"
    "  FROM c_orders WHERE status = 'paid'),"
    " entry AS ("
    "  SELECT customer_id, c.customer_id IS NOT NULL AS listed, c.acquired_at, f.first_at"
    "  FROM c_customers c FULL JOIN (SELECT customer_id, min(ordered_at) AS first_at FROM paid"
    "   GROUP BY 1) f USING (customer_id)),"
    " pop AS ("
    "  SELECT p.k, count(*) AS n FROM entry e JOIN t_periods p"
    "   ON (e.listed AND (e.acquired_at IS NULL OR e.acquired_at < (p.hi)::date))"
    "   OR e.first_at < p.hi"
    "  GROUP BY p.k),"
    " explicit_last AS ("
    "  SELECT customer_id, at, next_at FROM ("
    "   SELECT customer_id, at, kind,"
    "    lead(at) OVER (PARTITION BY customer_id ORDER BY at, kind) AS next_at FROM ("
    "     SELECT customer_id, ordered_at AS at, 0 AS kind FROM paid"
    "     UNION ALL SELECT customer_id, churned_at, 1 FROM c_churn_events) ev"
    "   WHERE $1 = 'explicit') x"
    "  WHERE kind = 1),"
    " churned AS ("
    "  SELECT p.k, count(*) AS n FROM explicit_last l JOIN entry e USING (customer_id)"
    "   JOIN t_periods p ON l.at < p.hi AND (l.next_at IS NULL OR p.hi <= l.next_at)"
    "   AND ((e.listed AND (e.acquired_at IS NULL OR e.acquired_at < (p.hi)::date))"
    "    OR e.first_at < p.hi)"
    "  GROUP BY p.k"
    "  UNION ALL"
    "  SELECT p.k, count(*) FROM paid o JOIN t_periods p"
    "   ON o.ordered_at < p.hi - $2::int * interval '1 day'"
    "   AND (o.next_at IS NULL OR p.hi <= o.next_at)"
    "  WHERE $1 <> 'explicit'"
    /* implied by the join (hi - days > o and hi <= next): most orders are
     * followed by another within the days and never join a period */
    "   AND (o.next_at IS NULL OR o.next_at - $2::int * interval '1 day' > o.ordered_at)"
    "  GROUP BY p.k)"
    " SELECT p.k, coalesce(max(pop.n), 0), coalesce(sum(ch.n), 0)"
    " FROM t_periods p LEFT JOIN pop USING (k) LEFT JOIN churned ch USING (k)"
    " GROUP BY p.k ORDER BY p.k DESC";

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
    const char *pp[] = {p->start, p->end, p->month_steps ? "true" : "false", last};
    if (db_exec(db, "could not lay out the history's periods", periods_sql, 4, pp, err) != VR_OK)
        return err->status;
    PGresult *r = db_query(db, "could not list the history's periods", list_sql, 0, NULL, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        model_add_period(m, db_text(r, i, 0), db_text(r, i, 1));
    PQclear(r);
    return VR_OK;
}

/* Runs a query whose rows start with the period k and hands each row of a
 * listed period to add, with its dims. */
static enum vr_status per_period(struct db *db, const char *what, const char *sql, int n_params,
                                 const char *const *params, const struct job_config *job,
                                 struct model *m,
                                 void (*add)(struct model *, const struct job_config *,
                                             const PGresult *, int, const char *),
                                 struct vr_error *err)
{
    PGresult *r = db_query(db, what, sql, n_params, params, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        char dims[64];
        if (history_dims(m, (size_t)db_ll(r, i, 0), dims, sizeof(dims)))
            add(m, job, r, i, dims);
    }
    PQclear(r);
    return VR_OK;
}

static void add_scores(struct model *m, const struct job_config *job, const PGresult *r, int i,
                       const char *dims)
{
    struct score_counts c = {.scored = db_ll(r, i, 1),
                             .promoters = db_ll(r, i, 2),
                             .detractors = db_ll(r, i, 3),
                             .csat_n = db_ll(r, i, 4),
                             .csat_top2 = db_ll(r, i, 5),
                             .ces_n = db_ll(r, i, 6),
                             .ces_sum = db_ll(r, i, 7)};
    scores_add(m, dims, &c, job->min_sample);
}

static void add_churn(struct model *m, const struct job_config *job, const PGresult *r, int i,
                      const char *dims)
{
    (void)job;
    long long population = db_ll(r, i, 1), churned = db_ll(r, i, 2);
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
    const char *churn_params[] = {rule ? rule : "explicit", days};
    if (per_period(db, "could not compute the score history", scores_sql, 0, NULL, job, m,
                   add_scores, err) != VR_OK)
        return err->status;
    if (per_period(db, "could not compute the churn history", churn_sql, 2, churn_params, job, m,
                   add_churn, err) != VR_OK)
        return err->status;
    add_change(m, "csat", "csat_change");
    add_change(m, "churn_rate", "churn_rate_change");
    return VR_OK;
}
