/* One run of one job: config -> extract -> compute -> render -> publish.
 * A struct run owns everything the run opened (connections, temporary
 * tables, the temporary folder); releasing it cleans all of it, on success
 * and on every error path. */
#ifndef VR_RUNNER_H
#define VR_RUNNER_H

#include "config.h"
#include "error.h"

/* as_of_date NULL: today in the job's time zone.  Prints the published
 * folder on stdout. */
enum vr_status runner_run(const struct config *c, const char *job_name, const char *as_of_date,
                          struct vr_error *err);

#endif
