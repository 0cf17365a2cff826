/* Survey scores (metrics.md "Survey scores"): NPS and its margin, counts,
 * CSAT top-2-box, CES mean and the change against the prior period,
 * overall and per touchpoint, channel and customer segment. */
#ifndef VR_KPI_SCORES_H
#define VR_KPI_SCORES_H

#include "db.h"
#include "model.h"
#include "period.h"

enum vr_status kpi_scores(struct db *db, const struct period *p, int min_sample, struct model *m,
                          struct vr_error *err);

#endif
