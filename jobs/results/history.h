/* vocreport history: the results schema's runs, one line each, for an ops
 * person at a terminal (no psql, no 2,000-character rows): run id, job,
 * as-of, status, start in the machine's local time, duration, figures,
 * files, the report mail's outcome and the error's first line. */
#ifndef VR_HISTORY_H
#define VR_HISTORY_H

#include "jobs/base/error.h"
#include "jobs/config/config.h"

#include <stdio.h>

/* The last `last` runs (of job, or of every job when NULL), oldest first. */
enum vr_status history_print(const struct config *c, const char *job, long last, FILE *out,
                             struct vr_error *err);

#endif
