/* The owner's alert when a run cannot start: the database is down, the
 * results schema is missing, a template or model does not load.  There is
 * no run and maybe no database to record it in, so the mail is sent
 * directly (not a deliveries row) and the log says so.
 *
 * run-due calls every few minutes: the same error for the same job alerts
 * once, again when the error changes or 6 hours later, and a run that
 * starts clears it (the next failure alerts at once).  The memory of the
 * last alert is a small file under the output root, <root>/.vocreport/,
 * because the database is what may be missing. */
#ifndef VR_STARTALERT_H
#define VR_STARTALERT_H

#include "jobs/base/error.h"
#include "jobs/config/config.h"

/* as_of: the date the run was for (NULL: today in the job's time zone). */
void startalert_send(const struct config *c, const struct job_config *j, const char *as_of,
                     const struct vr_error *why);
/* The job started: the next failure alerts at once. */
void startalert_clear(const struct config *c, const struct job_config *j);

#endif
