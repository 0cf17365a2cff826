#include "kpi_classes.h"

#include "jobs/base/strbuf.h"
#include "jobs/extract/quality.h"
#include "kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[] = {"promoter", "passive", "detractor", "none"};
#define N_CLASSES 4

/* $1 T, $2 window start, $3 period start.  One pass over the paid orders
 * before T for every per-customer figure that needs them: the last paid
 * order before T (population, churn) and before the period start (the
 * churn at the period start of kpi_warnings), the trailing window's
 * revenue and order count.  One row per customer with a paid order. */
static const char paid_sql[] =
    "CREATE TEMP TABLE t_paid AS"
    " SELECT customer_id, max(ordered_at) AS last_paid,"
    "  max(ordered_at) FILTER (WHERE ordered_at < $3::timestamptz) AS last_paid_at_start,"
    "  sum(amount) FILTER (WHERE ordered_at >= $2::timestamptz) AS revenue,"
    "  count(*) FILTER (WHERE ordered_at >= $2::timestamptz) AS orders"
    " FROM c_orders WHERE status = 'paid' AND ordered_at < $1::timestamptz"
    " GROUP BY customer_id";

/* $1 T, $2 lookback start, $3 churn rule, $4 inactive days.
 * One row per customer of the population (docs/decisions.md).  Joins and
 * IN (hashed) rather than correlated EXISTS: this runs over every customer.
 * last_paid is inlined so the planner sees t_paid's statistics (as in
 * kpi_warnings' gap_sql). */
static const char customers_sql[] =
    "CREATE TEMP TABLE t_cust AS"
    " WITH last_paid AS NOT MATERIALIZED (SELECT customer_id, last_paid AS ordered_at"
    "  FROM t_paid),"
    " pop AS ("
    "  SELECT c.customer_id FROM c_customers c LEFT JOIN last_paid l USING (customer_id)"
    "  WHERE c.acquired_at IS NULL OR c.acquired_at < ($1::timestamptz)::date"
    "     OR l.customer_id IS NOT NULL),"
    " cls AS ("
    "  SELECT DISTINCT ON (customer_id) customer_id,"
    "   CASE WHEN nps >= 9 THEN 'promoter' WHEN nps >= 7 THEN 'passive' ELSE 'detractor' END AS cls"
    "  FROM c_survey_responses"
    "  WHERE nps IS NOT NULL AND responded_at >= $2::timestamptz AND responded_at < $1::timestamptz"
    "  ORDER BY customer_id, responded_at DESC, response_id DESC),"
    " churned AS (" CHURNED_AT_SQL("$1::timestamptz", "$3", "$4::int", "last_paid") ")"
    " SELECT p.customer_id, coalesce(cls.cls, 'none') AS cls,"
    "  coalesce(pd.revenue, 0) AS revenue, coalesce(pd.orders, 0) AS orders,"
    "  ch.customer_id IS NOT NULL AS churned, ch.moment AS churned_at"
    " FROM pop p LEFT JOIN cls USING (customer_id) LEFT JOIN t_paid pd USING (customer_id)"
    " LEFT JOIN churned ch USING (customer_id)";

static const char classes_sql[] =
    "SELECT cls, count(*), sum(revenue), count(*) FILTER (WHERE orders >= 2),"
    " count(*) FILTER (WHERE churned) FROM t_cust GROUP BY cls";

/* $1 T, $2 window start. Paid revenue straight from the source, rejected
 * rows included: the ledger as finance knows it.  An amount that is not a
 * number (NaN, Infinity) cannot be summed: like NULL, it is left out of the
 * ledger and of the bridge, which then still ties out. */
static const char ledger_sql[] =
    "SELECT coalesce(sum(amount), 0) FROM src_orders"
    " WHERE status = 'paid' AND ordered_at >= $2::timestamptz AND ordered_at < $1::timestamptz"
    "  AND NOT " SQL_NOT_FINITE("amount");

static const char bridge_sql[] =
    "SELECT reject, sum(amount), count(*) FROM t_orders"
    " WHERE reject IS NOT NULL AND status = 'paid'"
    "  AND ordered_at >= $2::timestamptz AND ordered_at < $1::timestamptz"
    "  AND NOT " SQL_NOT_FINITE("amount") " GROUP BY reject ORDER BY reject";

static const char margin_sql[] =
    "SELECT coalesce(sum(cost), 0), coalesce(sum(amount), 0) FROM c_orders"
    " WHERE status = 'paid' AND cost IS NOT NULL"
    "  AND ordered_at >= $2::timestamptz AND ordered_at < $1::timestamptz";

/* $1 start, $2 end: the newest own-brand words of detractors. */
static const char verbatim_sql[] =
    "SELECT f.channel, to_char(f.received_at, 'YYYY-MM-DD'), f.body"
    " FROM c_feedback f JOIN t_cust c USING (customer_id)"
    " WHERE c.cls = 'detractor' AND f.brand IS NULL"
    "  AND f.received_at >= $1::timestamptz AND f.received_at < $2::timestamptz"
    " ORDER BY f.received_at DESC, f.feedback_id DESC LIMIT 3";

struct class_stats {
    long long customers, repeaters, churned;
    double revenue;
    struct maybe arpu, churn, repeat, ltv;
};

static void put(struct model *m, const char *code, const char *dims, struct maybe v, long long n)
{
    model_add(m, code, dims, v.ok, v.v, n, NULL);
}

static enum vr_status resolve_churn_rule(struct db *db, const struct job_config *job,
                                         struct model *m, const char **rule,
                                         struct vr_error *err)
{
    if (job->churn_rule != CHURN_AUTO) {
        *rule = churn_rule_name(job->churn_rule);
        model_add_param(m, "churn_rule_source", "config");
        return VR_OK;
    }
    PGresult *r = db_query(db, "could not choose the churn rule",
                           "SELECT EXISTS (SELECT 1 FROM c_churn_events)", 0, NULL, err);
    if (!r)
        return err->status;
    *rule = !strcmp(PQgetvalue(r, 0, 0), "t") ? "explicit" : "inactivity";
    PQclear(r);
    model_add_param(m, "churn_rule_source", "auto");
    return VR_OK;
}

static enum vr_status resolve_margin(struct db *db, const struct job_config *job,
                                     const char *const *tw, struct model *m, double *margin,
                                     struct vr_error *err)
{
    if (strcmp(job->gross_margin, "auto")) {
        *margin = strtod(job->gross_margin, NULL);
        model_add_param(m, "gross_margin_source", "config");
        return VR_OK;
    }
    PGresult *r = db_query(db, "could not compute the gross margin", margin_sql, 2, tw, err);
    if (!r)
        return err->status;
    *margin = gross_margin_from(db_double(r, 0, 0, NULL), db_double(r, 0, 1, NULL));
    PQclear(r);
    model_add_param(m, "gross_margin_source", "auto");
    return VR_OK;
}

static enum vr_status reconcile(struct db *db, const char *const *tw, double classes_revenue,
                                struct model *m, struct vr_error *err)
{
    PGresult *r = db_query(db, "could not read the revenue ledger", ledger_sql, 2, tw, err);
    if (!r)
        return err->status;
    double ledger = db_double(r, 0, 0, NULL);
    PQclear(r);
    r = db_query(db, "could not reconcile rejected orders", bridge_sql, 2, tw, err);
    if (!r)
        return err->status;
    double bridged = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        char dims[64];
        double amount = db_double(r, i, 1, NULL);
        long long rows = db_ll(r, i, 2);
        snprintf(dims, sizeof(dims), "reason=%s", db_text(r, i, 0));
        model_add(m, "recon.rejected_revenue", dims, true, amount, rows, NULL);
        model_add_recon(m, db_text(r, i, 0), amount, rows);
        bridged += amount;
    }
    PQclear(r);
    /* Cents: binary doubles must not turn an exact ledger into -0.0000001. */
    double diff = round((ledger - classes_revenue) * 100.0) / 100.0;
    double unexplained = round((diff - bridged) * 100.0) / 100.0;
    put(m, "recon.revenue_ledger", "", just(ledger), -1);
    put(m, "recon.revenue_classes", "", just(classes_revenue), -1);
    put(m, "recon.difference", "", just(diff), -1);
    put(m, "recon.unexplained", "", just(unexplained), -1);
    return VR_OK;
}

static enum vr_status verbatims(struct db *db, const struct period *p, struct model *m,
                                struct vr_error *err)
{
    const char *params[] = {p->start, p->end};
    PGresult *r = db_query(db, "could not pick verbatims", verbatim_sql, 2, params, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        model_add_verbatim(m, "detractor", db_text(r, i, 0), db_text(r, i, 1), db_text(r, i, 2));
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_classes(struct db *db, const struct job_config *job, const struct period *p,
                           struct model *m, struct vr_error *err)
{
    const char *rule = NULL;
    double margin = 1.0;
    const char *tw[] = {p->end, p->window_start};
    model_set_day(&m->year_first_day, p->year_first_day);
    if (resolve_churn_rule(db, job, m, &rule, err) != VR_OK ||
        resolve_margin(db, job, tw, m, &margin, err) != VR_OK)
        return err->status;
    /* runs.parameters and the About sheet show what was used, not "auto". */
    model_set_param(m, "churn_rule", rule);
    char buf[64];
    snprintf(buf, sizeof(buf), "%.15g", margin);
    model_set_param(m, "gross_margin", buf);
    put(m, "gross_margin", "", just(margin), -1);

    char days[16];
    snprintf(days, sizeof(days), "%d", job->inactive_days);
    const char *pp[] = {p->end, p->window_start, p->start};
    const char *cp[] = {p->end, p->lookback_start, rule, days};
    if (db_exec(db, "could not sum paid orders", paid_sql, 3, pp, err) != VR_OK ||
        db_script(db, "could not sum paid orders", "ANALYZE t_paid", err) != VR_OK ||
        db_exec(db, "could not classify customers", customers_sql, 4, cp, err) != VR_OK ||
        db_script(db, "could not classify customers", "ANALYZE t_cust", err) != VR_OK)
        return err->status;
    PGresult *r = db_query(db, "could not aggregate customer classes", classes_sql, 0, NULL, err);
    if (!r)
        return err->status;

    struct class_stats cs[N_CLASSES] = {0}, all = {0};
    for (int i = 0; i < PQntuples(r); i++) {
        for (int k = 0; k < N_CLASSES; k++) {
            if (strcmp(db_text(r, i, 0), class_names[k]))
                continue;
            cs[k].customers = db_ll(r, i, 1);
            cs[k].revenue = db_double(r, i, 2, NULL);
            cs[k].repeaters = db_ll(r, i, 3);
            cs[k].churned = db_ll(r, i, 4);
        }
    }
    PQclear(r);

    for (int k = 0; k < N_CLASSES; k++) {
        struct class_stats *c = &cs[k];
        double n = (double)c->customers;
        char dims[32];
        snprintf(dims, sizeof(dims), "class=%s", class_names[k]);
        c->arpu = ratio(c->revenue, n);
        c->repeat = ratio((double)c->repeaters, n);
        c->churn = ratio((double)c->churned, n);
        c->ltv = ltv(c->arpu, margin, c->churn, job->churn_floor);
        put(m, "class.customers", dims, just(n), c->customers);
        put(m, "class.revenue", dims, just(c->revenue), c->customers);
        put(m, "class.arpu", dims, c->arpu, c->customers);
        put(m, "class.repeat_rate", dims, c->repeat, c->customers);
        put(m, "class.churn_rate", dims, c->churn, c->customers);
        put(m, "class.ltv", dims, c->ltv, c->customers);
        all.customers += c->customers;
        all.revenue += c->revenue;
        all.churned += c->churned;
    }
    const struct class_stats *pro = &cs[0], *pas = &cs[1], *det = &cs[2];
    struct maybe det_arpu = (det->arpu.ok && det->arpu.v != 0) ? det->arpu : nothing();
    struct maybe det_ltv = (det->ltv.ok && det->ltv.v != 0) ? det->ltv : nothing();
    put(m, "class.arpu_ratio", "", ratio_m(pro->arpu, det_arpu), -1);
    put(m, "class.ltv_ratio", "", ratio_m(pro->ltv, det_ltv), -1);
    put(m, "shift.revenue_gain", "", shift_gain(job->shift_pct, det->customers, pas->arpu, det->arpu),
        -1);
    put(m, "shift.ltv_gain", "", shift_gain(job->shift_pct, det->customers, pas->ltv, det->ltv), -1);

    struct maybe churn_all = ratio((double)all.churned, (double)all.customers);
    struct maybe arpu_all = ratio(all.revenue, (double)all.customers);
    put(m, "churn_rate", "", churn_all, all.customers);
    put(m, "arpu_all", "", arpu_all, all.customers);
    put(m, "ltv_all", "", ltv(arpu_all, margin, churn_all, job->churn_floor), all.customers);

    if (reconcile(db, tw, all.revenue, m, err) != VR_OK)
        return err->status;
    return verbatims(db, p, m, err);
}
