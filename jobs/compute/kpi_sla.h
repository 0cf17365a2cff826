/* Closure of the loop (metrics.md "Departments, targets and closure"): how
 * fast cases opened in the period were answered and closed, overall and per
 * department, as known at T.  Rules: docs/decisions.md "Departments,
 * targets and closure". */
#ifndef VR_KPI_SLA_H
#define VR_KPI_SLA_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* sla.first_response_24h, sla.closed_48h, sla.open_over_72h with dims ''
 * and department=D for every configured department and every department
 * code of the period's cases.  Runs after history_periods (t_periods) and
 * leaves t_sla_counts (k, dept, red, answered, cases, closed, open_long;
 * dept '' overall) for the departments' histories (kpi_depts). */
enum vr_status kpi_sla(struct db *db, const struct config *c, struct model *m,
                       struct vr_error *err);

#endif
