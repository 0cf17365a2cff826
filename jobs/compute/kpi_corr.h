/* Lagged correlation of the monthly NPS series with the business metrics
 * finance keeps (metrics.md "Lagged correlation with business outcomes").
 * Codes and rules: docs/decisions.md "Lagged correlation with business
 * outcomes".  Runs in the source snapshot (reads c_survey_responses). */
#ifndef VR_KPI_CORR_H
#define VR_KPI_CORR_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"
#include "kpi_math.h"

#include <stddef.h>

/* Fewer paired months than this: the lag is not reported. */
#define CORR_MIN_PAIRS 6
/* Lags of the metric behind NPS: 0..CORR_MAX_LAG months. */
#define CORR_MAX_LAG 6

struct corr_fit {
    struct maybe r;     /* Pearson; NULL when n < 2 or either series is constant */
    struct maybe slope; /* least squares of y on x; NULL when x is constant */
};

/* Pearson r and slope of y on x over n pairs (centred sums, two passes). */
struct corr_fit corr_fit(const double *x, const double *y, size_t n);

enum vr_status kpi_corr(struct db *db, const struct job_config *job, const struct period *p,
                        struct model *m, struct vr_error *err);

#endif
