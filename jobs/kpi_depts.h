/* Department scorecards (metrics.md "Departments, targets and closure",
 * docs/departments.md): each configured department's KPIs with actual,
 * target, amber margin, status and the previous report's actual, the trend
 * of the actuals over the last eleven earlier reports, and the labels of
 * the ownership map.  Runs after kpi_topics, kpi_sla and kpi_journey: the
 * topic and SLA actuals are those figures, the survey ones are summed from
 * t_touchpoint_counts. */
#ifndef VR_KPI_DEPTS_H
#define VR_KPI_DEPTS_H

#include "config.h"
#include "db.h"
#include "model.h"
#include "period.h"

enum vr_status kpi_depts(struct db *db, const struct config *c, const struct job_config *job,
                         const struct period *p, struct model *m, struct vr_error *err);

/* dept.kpi.previous for every KPI (NULL when the previous report has no such
 * figure) and the trend points: read from earlier runs only, so it needs no
 * snapshot table (tests call it alone). */
enum vr_status kpi_depts_history(struct db *db, const struct config *c,
                                 const struct job_config *job, const struct period *p,
                                 struct model *m, struct vr_error *err);

#endif
