/* Department scorecards (metrics.md "Departments, targets and closure",
 * docs/departments.md): each configured department's KPIs with actual,
 * target, amber margin and status, the labels of the ownership map, and
 * each KPI's history (docs/decisions.md "Histories by period"): its actual
 * in every period of the history (dims with period=), the previous
 * period's as dept.kpi.previous, and the earlier periods' as the model's
 * trend points.  Runs after history_periods, kpi_topics, kpi_sla and
 * kpi_journey: it reads their per-period tables t_touchpoint_counts,
 * t_topic_history and t_sla_counts, so that the run's own period and the
 * earlier ones are computed the same way. */
#ifndef VR_KPI_DEPTS_H
#define VR_KPI_DEPTS_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/model/model.h"

enum vr_status kpi_depts(struct db *db, const struct config *c, const struct job_config *job,
                         struct model *m, struct vr_error *err);

#endif
