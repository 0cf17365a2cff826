/* One run of one job: config -> extract -> compute -> render -> publish.
 * A struct run owns everything the run opened (connections, temporary
 * tables, the temporary folder); releasing it cleans all of it, on success
 * and on every error path. */
#ifndef VR_RUNNER_H
#define VR_RUNNER_H

#include "jobs/base/error.h"
#include "jobs/config/config.h"

#include <stdbool.h>

enum run_outcome {
    RUN_RAN,          /* a runs row was written (succeeded or failed: see the status) */
    RUN_SKIPPED_DONE, /* run-due: the ledger says this fire time is handled */
    RUN_SKIPPED_BUSY, /* run-due: another process or machine holds the job's lock */
};

/* What to run and why; the outcome is filled in. */
struct run_request {
    const char *as_of_date;    /* NULL: today in the job's time zone */
    /* An ad-hoc range of local days, both included, instead of the job's
     * period (not with as_of_date): both set or both NULL. */
    const char *from_date, *to_date;
    const char *scheduled_for; /* run-due's fire time (timestamptz text); NULL: a manual run */
    /* --sql-trace: write the snapshot's session here, for psql (docs/sql.md) */
    const char *sql_trace;
    enum run_outcome outcome;  /* out */
    long long run_id;          /* out: the run's id (RUN_RAN), or the busy one (0 unknown) */
    const char *skip_reason;   /* out: with RUN_SKIPPED_DONE, why (static text) */
};

/* A scheduled request (scheduled_for set) takes the job lock without
 * waiting and, holding it, checks the ledger (results_schedule_handled):
 * busy or handled is a skip with VR_OK, not an error.  A manual request
 * fails with VR_ERR_BUSY when the job is running.  Prints the published
 * folder on stdout. */
enum vr_status runner_run_request(const struct config *c, const char *job_name,
                                  struct run_request *req, struct vr_error *err);

/* A manual run: as_of_date NULL means today in the job's time zone. */
enum vr_status runner_run(const struct config *c, const char *job_name, const char *as_of_date,
                          struct vr_error *err);

/* True once SIGINT/SIGTERM/SIGHUP arrived during a run: run-due stops. */
bool runner_interrupted(void);

#endif
