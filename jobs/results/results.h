/* Everything a run writes to the results schema (outputs.md): its runs row
 * from start to end, and on success the kpi_values and outputs rows. */
#ifndef VR_RESULTS_H
#define VR_RESULTS_H

#include "jobs/base/db.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

struct output_file {
    char *path;       /* published path */
    const char *kind;
    const char *audience;   /* executive, finance, service, department */
    char *department;       /* audience department: its code, else NULL */
    long long bytes;
    char sha256[65];
};

/* What started a run (runs.trigger and runs.scheduled_for). */
struct run_trigger {
    const char *scheduled_for; /* run-due's fire time (timestamptz text); NULL = manual */
};

/* Inserts the 'running' row; returns its id and the server's start time.
 * trig NULL: a manual run. */
enum vr_status results_start_run(struct db *db, const char *job, const struct period *p,
                                 const char *time_zone, const struct model *m,
                                 const struct run_trigger *trig, long long *run_id,
                                 char started_at[40], struct vr_error *err);

/* run-due's ledger check, made while holding the job lock: has the fire
 * time already been handled (a scheduled run of the job for it or a later
 * one, any status), or does the as-of already have a succeeded scheduled
 * run?  *why is then "already done" wording, else NULL. */
enum vr_status results_schedule_handled(struct db *db, const char *job, const char *scheduled_for,
                                        const char *as_of, const char **why,
                                        struct vr_error *err);

/* Publication is recorded in two steps around the folder swap, so that a
 * process dying anywhere leaves a state the next process can finish
 * (jobs/run/recover.h):
 *   1. results_record_outputs, in a transaction the caller opened and
 *      commits before the swap: kpi_values, outputs and the run's counts;
 *      the run stays 'running';
 *   2. after the swap, results_mark_succeeded (autocommit). */
enum vr_status results_record_outputs(struct db *db, long long run_id, const struct model *m,
                                      const struct output_file *files, size_t n_files,
                                      const char *output_dir, struct vr_error *err);
/* Fails (VR_ERR_INTERNAL) when the run is no longer 'running'. */
enum vr_status results_mark_succeeded(struct db *db, long long run_id, struct vr_error *err);

/* Marks the run failed with the reason (counts the model already has are
 * kept) and cancels the mail it planned. */
void results_record_failure(struct db *db, long long run_id, const struct model *m,
                            const char *error);
/* The run's pending and held mail becomes 'cancelled' with the reason. */
enum vr_status results_cancel_mail(struct db *db, long long run_id, const char *why,
                                   struct vr_error *err);

/* A run as recorded: dates are local dates in the run's time zone. */
struct run_record {
    long long run_id;
    char *job, *status, *as_of, *first_day, *last_day, *locale, *output_dir; /* may be NULL */
};
/* VR_ERR_USAGE when there is no such run. */
enum vr_status results_read_run(struct db *db, long long run_id, struct run_record *rec,
                                struct vr_error *err);
void results_run_record_release(struct run_record *rec);

/* Is the process of this run still alive (does a session hold its run
 * lock)?  In doubt (a query failed, err set) the answer is yes. */
bool results_run_is_live(struct db *db, long long run_id, struct vr_error *err);

/* Session advisory locks: one per job (no two runs of a job at once) and one
 * per run (proof of life, results_run_is_live). */
enum vr_status results_lock_job(struct db *db, const char *job, struct vr_error *err);
/* The same lock without the error: *busy says another session holds it. */
enum vr_status results_try_lock_job(struct db *db, const char *job, bool *busy,
                                    long long *busy_run, struct vr_error *err);
enum vr_status results_lock_run(struct db *db, long long run_id, struct vr_error *err);

#endif
