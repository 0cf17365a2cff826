/* Closure of the loop (metrics.md "Departments, targets and closure"): how
 * fast cases opened in the period were answered and closed, overall and per
 * department, as known at T.  Rules: docs/decisions.md "Departments,
 * targets and closure". */
#ifndef VR_KPI_SLA_H
#define VR_KPI_SLA_H

#include "config.h"
#include "db.h"
#include "model.h"
#include "period.h"

/* sla.first_response_24h, sla.closed_48h, sla.open_over_72h with dims ''
 * and department=D for every configured department and every department
 * code of the period's cases. */
enum vr_status kpi_sla(struct db *db, const struct config *c, const struct period *p,
                       struct model *m, struct vr_error *err);

#endif
