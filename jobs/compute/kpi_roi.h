/* VoC ROI (metrics.md "VoC ROI and finance reconciliation"; the rules in
 * docs/decisions.md "VoC ROI: one window"): benefit and cost over the same
 * twelve months, the trailing year [T - 12 months, T).
 *
 * Every run records roi.cost, the programme's cost of the months that
 * begin in the window, with its breakdown by month and category (dims
 * category=C;month=YYYY-MM-01), and the parameter roi_window (first/last
 * day).  With experiments configured it adds roi.benefit (the exp.value of
 * the counted experiments evaluated at T whose start month lies in the
 * window, so every cost they caused is in roi.cost), roi.value and its 95 %
 * interval roi.value_low / roi.value_high, propagated from the experiments'
 * churn-difference intervals, flag not_significant when it holds 0.
 *
 * Runs in the source snapshot after kpi_experiments, whose exp.* figures
 * it reads from the model. */
#ifndef VR_KPI_ROI_H
#define VR_KPI_ROI_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

enum vr_status kpi_roi(struct db *db, const struct config *c, const struct period *p,
                       struct model *m, struct vr_error *err);

#endif
