#include "kpi_roi.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Adds one experiment's value and variance to the benefit when it counts:
 * counted in ROI, evaluated at T, started in the window, value known. */
static enum vr_status add_experiment(struct db *db, const struct experiment_config *x,
                                     const struct period *p, struct model *m, double *benefit,
                                     double *variance, int *counted, struct vr_error *err)
{
    char dims[160], tdims[200];
    snprintf(dims, sizeof(dims), "experiment=%s", x->name);
    snprintf(tdims, sizeof(tdims), "arm=treatment;experiment=%s", x->name);
    const struct kpi *status = model_find(m, "exp.status", dims);
    double value, lo, hi, treated, ltv_all;
    if (!x->counts_in_roi || !status || !kpi_flagged(status, "evaluated") ||
        !model_value(m, "exp.value", dims, &value))
        return VR_OK;
    PGresult *r =
        db_query_file(db, "could not place the experiment in the ROI window",
                      "compute/roi_experiment_in_window.sql",
                      SQL_ARGS({"start", x->start}, {"window_start", p->window_start}), err);
    if (!r)
        return err->status;
    bool inside = !strcmp(db_get_text(r, 0, "inside"), "t");
    PQclear(r);
    if (!inside)
        return VR_OK;
    *benefit += value;
    (*counted)++;
    model_mark_experiment_in_roi(m, x->name);
    /* exp.value = diff × treated × ltv_all: its standard error is the
     * difference's, (ci_high − ci_low) / (2 × 1.96), scaled the same way. */
    if (model_value(m, "exp.ci_low", dims, &lo) && model_value(m, "exp.ci_high", dims, &hi) &&
        model_value(m, "exp.customers", tdims, &treated) &&
        model_value(m, "ltv_all", "", &ltv_all)) {
        double se = (hi - lo) / (2.0 * Z95) * treated * fabs(ltv_all);
        *variance += se * se;
    }
    return VR_OK;
}

static enum vr_status costs(struct db *db, const struct period *p, struct model *m, double *total,
                            struct vr_error *err)
{
    PGresult *r =
        db_query_file(db, "could not read the programme costs", "compute/roi_cost.sql",
                      SQL_ARGS({"window_start", p->window_start}, {"as_of", p->end}), err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        bool has;
        double amount = db_get_double(r, i, "amount", &has);
        if (db_get_ll(r, i, "total") == 1) {
            *total = amount;
            model_add(m, "roi.cost", "", has, amount, -1, NULL);
            continue;
        }
        char dims[256];
        snprintf(dims, sizeof(dims), "category=%s;month=%s", db_get_text(r, i, "category"),
                 db_get_text(r, i, "month"));
        model_add(m, "roi.cost", dims, has, amount, -1, NULL);
    }
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_roi(struct db *db, const struct config *c, const struct period *p,
                       struct model *m, struct vr_error *err)
{
    PGresult *r =
        db_query_file(db, "could not date the ROI window", "compute/roi_window.sql",
                      SQL_ARGS({"window_start", p->window_start}, {"as_of", p->end}), err);
    if (!r)
        return err->status;
    char window[32];
    snprintf(window, sizeof(window), "%s/%s", db_get_text(r, 0, "first_day"),
             db_get_text(r, 0, "last_day"));
    PQclear(r);
    model_add_param(m, "roi_window", window);

    double cost = 0;
    if (costs(db, p, m, &cost, err) != VR_OK || c->n_experiments == 0)
        return err->status; /* no benefit attributed: ROI stays "not measured" */

    double benefit = 0, variance = 0;
    int counted = 0;
    for (size_t i = 0; i < c->n_experiments; i++)
        if (add_experiment(db, &c->experiments[i], p, m, &benefit, &variance, &counted, err) !=
            VR_OK)
            return err->status;
    model_add_param(m, "roi_benefits", "evaluated experiments");
    struct strbuf names;
    strbuf_init(&names);
    for (size_t i = 0; i < c->n_experiments; i++)
        if (c->experiments[i].counts_in_roi)
            strbuf_addf(&names, "%s%s", names.len ? ", " : "", c->experiments[i].name);
    model_add_param(m, "roi_experiments", names.len ? names.buf : "none");
    strbuf_release(&names);

    /* Nothing measured yet: the cost stands alone, with no interval to state. */
    const char *none = counted ? NULL : "no_evaluated_experiment";
    struct roi_estimate roi = roi_estimate(just(benefit), sqrt(variance), cost);
    model_add(m, "roi.benefit", "", true, benefit, -1, none);
    model_add(m, "roi.value", "", roi.value.ok, roi.value.v, -1,
              none                  ? none
              : roi.not_significant ? "not_significant"
                                    : NULL);
    model_add(m, "roi.value_low", "", counted && roi.low.ok, roi.low.v, -1, none);
    model_add(m, "roi.value_high", "", counted && roi.high.ok, roi.high.v, -1, none);
    return VR_OK;
}
