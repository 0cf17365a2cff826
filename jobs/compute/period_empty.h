/* A period without a single survey response.  Every score of its report
 * is empty: that is a fact, so the run still succeeds, but it usually
 * means the as-of is wrong (a run without --as-of on historical data
 * reports the current month, which has nothing yet).  kpi_scores records
 * the figure "responses" (flag empty_period when 0) for the briefing and
 * the run history; this module words the warning for the log. */
#ifndef VR_PERIOD_EMPTY_H
#define VR_PERIOD_EMPTY_H

#include "jobs/base/db.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* Runs in the source snapshot after kpi_scores (it reads the clean
 * responses, c_survey_responses).  *warning: NULL when the period has a
 * response, else the sentence (caller frees), with the days the source's
 * responses do span and, when as_of_given is false, how to choose a period. */
enum vr_status period_empty_warning(struct db *src, const struct period *p, const char *time_zone,
                                    bool as_of_given, const struct model *m, char **warning,
                                    struct vr_error *err);

#endif
