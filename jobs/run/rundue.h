/* vocreport run-due: started every few minutes by cron or a systemd timer,
 * it runs each job whose schedule has fired since the job's last scheduled
 * run, through the same runner as "vocreport run".
 *
 * The ledger is the runs table: the last handled fire time of a job is
 * max(runs.scheduled_for) of its scheduled runs, whatever their status (a
 * failed scheduled run is not retried; the ops person re-runs it with
 * "vocreport run").  Without a scheduled run yet, only the most recent fire
 * time counts.  catch_up = latest runs the newest due fire time only; all
 * runs each, oldest first, at most max_catch_up runs a call.  A fire time's
 * as-of is its local date in the job's time zone; fire times sharing an
 * as-of are one run, recorded with the newest of them.
 *
 * Exactly once, also across machines: the runner takes the job's advisory
 * lock without waiting (busy: another process runs the job; skipped) and,
 * holding it, checks the ledger again before it records anything. */
#ifndef VR_RUNDUE_H
#define VR_RUNDUE_H

#include "jobs/base/error.h"
#include "jobs/config/config.h"

#include <stdbool.h>
#include <time.h>

/* Parses --now: YYYY-MM-DDTHH:MM[:SS] then Z or an offset +HH[:MM] or
 * -HH[:MM] (e.g. 2026-11-21T07:00Z, 2026-11-21T08:00:00+01:00). */
bool rundue_parse_now(const char *s, time_t *out);

/* Handles every job with a schedule, in config order, as of `now`, and
 * logs one line per job (or per run) saying what it did.  Returns VR_OK
 * when nothing was due or every run succeeded, else the most severe status
 * of the runs (rundue_severity), with that run's message. */
enum vr_status rundue_run(const struct config *c, time_t now, struct vr_error *err);

/* Ranks failures for run-due's exit status: higher is more severe. */
int rundue_severity(enum vr_status s);

#endif
