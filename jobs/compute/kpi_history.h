/* Histories by period (metrics.md "Histories, coverage and missing data";
 * rules in docs/decisions.md "Histories by period"): the twelve periods
 * ending with the run's own, computed by the run from the source snapshot,
 * so that a first run has its history and a backfill reproduces it.
 *
 * history_periods runs first in the snapshot: it lays out the temporary
 * table t_periods (k, lo, hi), k = 0 the run's own period, 1 the one
 * before, up to 11 (only 0 without a prior period), which every per-period
 * query joins (topics, journey counts, SLAs, department KPIs), and lists
 * the periods in the model (model.periods, oldest first).
 *
 * kpi_history adds the company figures of each period, dims
 * period=<first day>: nps, nps_moe, csat, ces (each with its n and
 * low_sample flag, as the period's own) from t_touchpoint_counts
 * (kpi_journey), and churn_rate at each period's end by the run's churn
 * rule (kpi_classes resolves it); then csat_change and churn_rate_change,
 * the own period's point minus the one before (decisions.md).  The
 * department KPIs' histories are kpi_depts'. */
#ifndef VR_KPI_HISTORY_H
#define VR_KPI_HISTORY_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* Periods of a history: the run's own and eleven before it. */
#define HISTORY_PERIODS 12

enum vr_status history_periods(struct db *db, const struct period *p, struct model *m,
                               struct vr_error *err);

enum vr_status kpi_history(struct db *db, const struct job_config *job, struct model *m,
                           struct vr_error *err);

/* "period=<first day of period k>" into out (n bytes); k counts back
 * from the run's own period (0).  False when there is no such period. */
bool history_dims(const struct model *m, size_t k, char *out, size_t n);

#endif
