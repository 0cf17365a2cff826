/* Survey scores (metrics.md "Survey scores"): NPS and its margin, counts,
 * CSAT top-2-box, CES mean and the change against the prior period,
 * overall and per touchpoint, channel and customer segment. */
#ifndef VR_KPI_SCORES_H
#define VR_KPI_SCORES_H

#include "jobs/base/db.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* Responses of one group in one period, counted. */
struct score_counts {
    long long scored, promoters, passives, detractors, csat_n, csat_top2, ces_n, ces_sum, responses;
};

/* nps and nps_moe (n: scored responses), csat and ces (n: their own
 * counts), each flagged low_sample below min_sample: the scores of a
 * period, the run's own or one of its history (dims with period=). */
void scores_add(struct model *m, const char *dims, const struct score_counts *c, int min_sample);

enum vr_status kpi_scores(struct db *db, const struct period *p, int min_sample, struct model *m,
                          struct vr_error *err);

#endif
