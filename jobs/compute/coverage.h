/* Configured but silent: a touchpoint the config names ([journey],
 * [department.*] touchpoints, [touchpoint.*]) without a survey response in
 * the period, a topic a department owns without a mention, a department of
 * the job with neither and no case.  Each is a warning in the log and a
 * note in the model (the Data quality sheet shows it): a renamed code in
 * the source, or a department nobody feeds, is seen on the first night.
 *
 * Read from the figures already computed (kpi_scores, kpi_topics, kpi_sla):
 * run it at the end of the compute stage; it queries nothing. */
#ifndef VR_COVERAGE_H
#define VR_COVERAGE_H

#include "jobs/config/config.h"
#include "jobs/model/model.h"

void coverage_check(const struct config *c, const struct job_config *job, struct model *m);

#endif
