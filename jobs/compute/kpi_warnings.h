/* Early warnings and the satisfaction gap (metrics.md "Departments, targets
 * and closure"): a falling NPS, promoters slipping to passive, and the share
 * of newly churned customers who were satisfied.  Runs after kpi_classes
 * (t_cust: churn at T and at the period start) and kpi_journey
 * (t_touchpoint_counts).  Rules: docs/decisions.md "Departments, targets
 * and closure". */
#ifndef VR_KPI_WARNINGS_H
#define VR_KPI_WARNINGS_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* warn.nps_decline and warn.promoter_to_passive (dims '' and department=D
 * per configured department), with warn.nps_fall where a decline is set
 * (points fallen, for findings_rank), gap.satisfied_churned (dims ''). */
enum vr_status kpi_warnings(struct db *db, const struct config *c, const struct job_config *job,
                            const struct period *p, struct model *m, struct vr_error *err);

#endif
