/* The journey map (metrics.md "Departments, targets and closure"): NPS,
 * CSAT and the negative share of linked feedback per survey touchpoint, in
 * the configured order, coloured against the [journey] targets.
 *
 * Runs after history_periods (it reads t_periods, kpi_history.h) and
 * leaves the table t_touchpoint_counts in the snapshot for kpi_depts,
 * kpi_warnings and kpi_history: per touchpoint tp and period k of the
 * history (0 = this period, 1 = the prior, up to 11), responses, scored,
 * promoters, detractors, csat_n, csat_top2, ces_n, ces_sum, fb_n, fb_neg:
 * own-brand feedback rows received in period k linked to a response of tp
 * given before the period's end, and the negative ones.  Counts add up
 * over touchpoints, so a department's scores are sums over the
 * touchpoints it owns. */
#ifndef VR_KPI_JOURNEY_H
#define VR_KPI_JOURNEY_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* Also journey.target and journey.amber (dims metric=nps|csat|
 * negative_share) for each configured [journey] target: the direction in
 * the target's flag, as dept.kpi.target. */
enum vr_status kpi_journey(struct db *db, const struct config *c, const struct job_config *job,
                           struct model *m, struct vr_error *err);

/* Survey counts summed over some touchpoints. */
struct tp_counts {
    long long scored, promoters, detractors, csat_n, csat_top2, ces_n, ces_sum, fb_n, fb_neg;
};
/* Reads the columns named as the fields of struct tp_counts (scored,
 * promoters... fb_neg), as the files of sql/compute/ name them. */
void tp_counts_get(const PGresult *r, int row, struct tp_counts *out);

/* Value of a status figure from target_status(): 2 green, 1 amber, 0 red,
 * no value for grey; the flag is the colour, with ",low_sample" added when
 * the actual is low-sample. */
void add_status(struct model *m, const char *code, const char *dims, const char *colour,
                bool low_sample);

#endif
