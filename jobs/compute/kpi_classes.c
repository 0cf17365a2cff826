#include "kpi_classes.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[] = {"promoter", "passive", "detractor", "none"};
#define N_CLASSES 4

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
    PGresult *r = db_query_file(db, "could not choose the churn rule",
                                "compute/classes_churn_rule.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    *rule = !strcmp(db_get_text(r, 0, "rule"), "explicit") ? "explicit" : "inactivity";
    PQclear(r);
    model_add_param(m, "churn_rule_source", "auto");
    return VR_OK;
}

static enum vr_status resolve_margin(struct db *db, const struct job_config *job,
                                     const struct sql_arg *tw, struct model *m, double *margin,
                                     struct vr_error *err)
{
    if (strcmp(job->gross_margin, "auto")) {
        *margin = strtod(job->gross_margin, NULL);
        model_add_param(m, "gross_margin_source", "config");
        return VR_OK;
    }
    PGresult *r = db_query_file(db, "could not compute the gross margin",
                                "compute/classes_margin.sql", tw, err);
    if (!r)
        return err->status;
    *margin =
        gross_margin_from(db_get_double(r, 0, "cost", NULL), db_get_double(r, 0, "amount", NULL));
    PQclear(r);
    model_add_param(m, "gross_margin_source", "auto");
    return VR_OK;
}

static enum vr_status reconcile(struct db *db, const struct sql_arg *tw, double classes_revenue,
                                struct model *m, struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not read the revenue ledger",
                                "compute/classes_ledger.sql", tw, err);
    if (!r)
        return err->status;
    double ledger = db_get_double(r, 0, "revenue", NULL);
    PQclear(r);
    r = db_query_file(db, "could not reconcile rejected orders", "compute/classes_bridge.sql", tw,
                      err);
    if (!r)
        return err->status;
    double bridged = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        char dims[64];
        const char *reason = db_get_text(r, i, "reason");
        double amount = db_get_double(r, i, "amount", NULL);
        long long rows = db_get_ll(r, i, "orders");
        snprintf(dims, sizeof(dims), "reason=%s", reason);
        model_add(m, "recon.rejected_revenue", dims, true, amount, rows, NULL);
        model_add_recon(m, reason, amount, rows);
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
    PGresult *r = db_query_file(db, "could not pick verbatims", "compute/classes_verbatims.sql",
                                SQL_ARGS({"period_start", p->start}, {"period_end", p->end}), err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        model_add_verbatim(m, "detractor", db_get_text(r, i, "channel"), db_get_text(r, i, "day"),
                           db_get_text(r, i, "body"));
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_classes(struct db *db, const struct job_config *job, const struct period *p,
                           struct model *m, struct vr_error *err)
{
    const char *rule = NULL;
    double margin = 1.0;
    const struct sql_arg *tw = SQL_ARGS({"as_of", p->end}, {"window_start", p->window_start});
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

    char days[16], window[16], gap[16];
    snprintf(days, sizeof(days), "%d", job->inactive_days);
    snprintf(window, sizeof(window), "%d", job->cohort_window_months);
    snprintf(gap, sizeof(gap), "%d", job->outcome_gap_months);
    /* Autovacuum never analyses a temporary table: the later queries that
     * join t_paid and t_cust need their statistics.  The paid orders are
     * grouped by sorting (sql/base/grouping_sorted.sql says why). */
    if (db_script_file(db, "could not sum paid orders", "base/grouping_sorted.sql", SQL_NO_ARGS,
                       err) != VR_OK ||
        db_exec_file(db, "could not sum paid orders", "compute/classes_paid.sql",
                     SQL_ARGS({"as_of", p->end}, {"window_start", p->window_start},
                              {"period_start", p->start}, {"cohort_window_months", window},
                              {"outcome_gap_months", gap}),
                     err) != VR_OK ||
        db_script_file(db, "could not sum paid orders", "base/grouping_reset.sql", SQL_NO_ARGS,
                       err) != VR_OK ||
        db_script_file(db, "could not sum paid orders", "extract/analyze.sql",
                       SQL_ARGS({"table", "t_paid"}), err) != VR_OK ||
        db_exec_file(db, "could not classify customers", "compute/classes_population.sql",
                     SQL_ARGS({"as_of", p->end}, {"lookback_start", p->lookback_start},
                              {"period_start", p->start}, {"churn_rule", rule},
                              {"inactive_days", days}),
                     err) != VR_OK ||
        db_script_file(db, "could not classify customers", "extract/analyze.sql",
                       SQL_ARGS({"table", "t_cust"}), err) != VR_OK)
        return err->status;
    PGresult *r = db_query_file(db, "could not aggregate customer classes",
                                "compute/classes_by_class.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;

    struct class_stats cs[N_CLASSES] = {0}, all = {0};
    for (int i = 0; i < PQntuples(r); i++) {
        for (int k = 0; k < N_CLASSES; k++) {
            if (strcmp(db_get_text(r, i, "cls"), class_names[k]))
                continue;
            cs[k].customers = db_get_ll(r, i, "customers");
            cs[k].revenue = db_get_double(r, i, "revenue", NULL);
            cs[k].repeaters = db_get_ll(r, i, "repeaters");
            cs[k].churned = db_get_ll(r, i, "churned");
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
