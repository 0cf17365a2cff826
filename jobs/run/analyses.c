#include "analyses.h"

#include "jobs/base/log.h"
#include "jobs/compute/coverage.h"
#include "jobs/compute/dim_labels.h"
#include "jobs/compute/findings_rank.h"
#include "jobs/compute/kpi_classes.h"
#include "jobs/compute/kpi_corr.h"
#include "jobs/compute/kpi_depts.h"
#include "jobs/compute/kpi_experiments.h"
#include "jobs/compute/kpi_history.h"
#include "jobs/compute/kpi_journey.h"
#include "jobs/compute/kpi_roi.h"
#include "jobs/compute/kpi_scores.h"
#include "jobs/compute/kpi_sla.h"
#include "jobs/compute/kpi_topics.h"
#include "jobs/compute/kpi_warnings.h"
#include "jobs/compute/period_empty.h"
#include "jobs/deliver/gates.h"
#include "jobs/extract/contract.h"
#include "jobs/extract/quality.h"

#include <string.h>

static enum vr_status open_views(struct compute_ctx *c, struct vr_error *err)
{
    return contract_open_views(c->src, c->shape, err);
}

static enum vr_status check_rows(struct compute_ctx *c, struct vr_error *err)
{
    return quality_check(c->src, c->started_at, c->job, c->shape, c->model, err);
}

static enum vr_status periods(struct compute_ctx *c, struct vr_error *err)
{
    return history_periods(c->src, c->period, c->model, err);
}

static enum vr_status scores(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_scores(c->src, c->period, c->job->min_sample, c->model, err);
}

static enum vr_status empty_period(struct compute_ctx *c, struct vr_error *err)
{
    if (period_empty_warning(c->src, c->period, c->job->time_zone, c->as_of_given, c->model,
                             c->empty_warning, err) != VR_OK)
        return err->status;
    if (*c->empty_warning)
        log_warn("%s", *c->empty_warning);
    return VR_OK;
}

static enum vr_status classes(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_classes(c->src, c->job, c->period, c->model, err);
}

static enum vr_status topics(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_topics(c->src, c->job, c->period, c->taxonomy, c->model, err);
}

static enum vr_status cohorts(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_cohorts(c->src, c->job, c->period, c->taxonomy, c->model, err);
}

static enum vr_status corr(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_corr(c->src, c->job, c->period, c->model, err);
}

static enum vr_status freshness(struct compute_ctx *c, struct vr_error *err)
{
    return gates_read_freshness(c->src, c->job, c->period, c->gates, err);
}

static enum vr_status experiments(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_experiments(c->src, c->cfg, c->job, c->period, c->model, c->assignments, err);
}

static enum vr_status roi(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_roi(c->src, c->cfg, c->period, c->model, err);
}

static enum vr_status sla(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_sla(c->src, c->cfg, c->model, err);
}

static enum vr_status journey(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_journey(c->src, c->cfg, c->job, c->model, err);
}

static enum vr_status depts(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_depts(c->src, c->cfg, c->job, c->model, err);
}

static enum vr_status warnings(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_warnings(c->src, c->cfg, c->job, c->period, c->model, err);
}

static enum vr_status history(struct compute_ctx *c, struct vr_error *err)
{
    return kpi_history(c->src, c->job, c->model, err);
}

/* The model's own finishing touches: no SQL, but in the loop so that the
 * order (labels and coverage before the findings that quote them) is
 * checked like the rest. */
static enum vr_status labels(struct compute_ctx *c, struct vr_error *err)
{
    (void)err;
    dim_labels_add(c->cfg, c->job->locale, c->model);
    return VR_OK;
}

static enum vr_status coverage(struct compute_ctx *c, struct vr_error *err)
{
    (void)err;
    coverage_check(c->cfg, c->job, c->model);
    return VR_OK;
}

static enum vr_status findings(struct compute_ctx *c, struct vr_error *err)
{
    (void)err;
    findings_rank(c->model);
    return VR_OK;
}

// clang-format off
const struct analysis analyses[] = {
    {"quality", "checking source rows", open_views, "",
     "src_views"},
    {"quality", NULL, check_rows, "src_views",
     "checked_rows"},
    {"scores", "computing survey scores", periods, "",
     "t_periods"},
    {"scores", NULL, scores, "checked_rows",
     "score_figures"},
    {"scores", NULL, empty_period, "checked_rows score_figures",
     ""},
    {"classes", "computing customer classes", classes, "checked_rows",
     "t_paid t_cust churn_rule class_figures"},
    {"topics", "computing topics and root causes", topics, "checked_rows t_periods",
     "t_topics t_feedback_topics t_topic_history topic_figures"},
    {"topics", NULL, cohorts, "checked_rows t_cust t_topics t_feedback_topics class_figures",
     "cohort_figures"},
    {"topics", NULL, corr, "checked_rows",
     "corr_figures"},
    {"topics", NULL, freshness, "src_views",
     "freshness"},
    {"experiments", "computing retention experiments and ROI", experiments,
     "checked_rows t_cust churn_rule class_figures",
     "t_exp_new exp_figures"},
    {"experiments", NULL, roi, "exp_figures class_figures",
     "roi_figures"},
    {"departments", "computing departments, targets and closure", sla, "checked_rows t_periods",
     "t_sla_counts sla_figures"},
    {"departments", NULL, journey, "checked_rows t_periods",
     "t_touchpoint_counts journey_figures"},
    {"departments", NULL, depts, "t_sla_counts t_topic_history t_touchpoint_counts topic_figures",
     "dept_figures"},
    {"departments", NULL, warnings, "checked_rows t_cust t_touchpoint_counts churn_rule",
     "warning_figures"},
    {"departments", NULL, history,
     "checked_rows t_periods t_paid t_touchpoint_counts churn_rule",
     "history_figures"},
    {"departments", NULL, labels, "",
     "labels"},
    {"departments", NULL, coverage, "score_figures journey_figures topic_figures",
     "coverage_warnings"},
    {"departments", NULL, findings,
     "labels score_figures class_figures topic_figures cohort_figures exp_figures roi_figures"
     " dept_figures warning_figures history_figures",
     "findings"},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on

/* Whether the space-separated list has the word. */
static bool has_word(const char *list, const char *w, size_t n)
{
    for (const char *s = list; *s;) {
        size_t k = strcspn(s, " ");
        if (k == n && !strncmp(s, w, n))
            return true;
        s += k;
        s += strspn(s, " ");
    }
    return false;
}

enum vr_status analyses_check(struct vr_error *err)
{
    return analyses_check_table(analyses, err);
}

enum vr_status analyses_check_table(const struct analysis *table, struct vr_error *err)
{
    for (const struct analysis *a = table; a->run; a++) {
        for (const char *w = a->needs + strspn(a->needs, " "); *w;) {
            size_t n = strcspn(w, " ");
            bool met = false;
            for (const struct analysis *b = table; b < a && !met; b++)
                met = has_word(b->provides, w, n);
            if (!met)
                return vr_fail(err, VR_ERR_INTERNAL,
                               "internal error: analysis %td (stage %s) needs %.*s, which no "
                               "analysis before it provides",
                               a - table, a->stage, (int)n, w);
            w += n;
            w += strspn(w, " ");
        }
    }
    return VR_OK;
}
