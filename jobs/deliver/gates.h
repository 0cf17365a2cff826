/* Quality gates a run must pass before its mail goes out (issue 5): source
 * data fresh enough, source row counts close to the previous run's, enough
 * scored responses.  A failed gate does
 * not fail the run: its reports are published and recorded, but its mail is
 * held (jobs/deliver/deliver.c) and the job's owner is alerted.
 *
 * Failures are sentences a person can act on; they go to the log and to
 * runs.gate_failures. */
#ifndef VR_GATES_H
#define VR_GATES_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"
#include "jobs/results/results.h"

#include <stdbool.h>

#define GATE_FRESH_TABLES 3 /* survey_responses, feedback, orders */

struct gates {
    bool fresh_read;                    /* the freshness facts below were read */
    bool has_newest[GATE_FRESH_TABLES]; /* a row exists before T */
    double age_hours[GATE_FRESH_TABLES];/* T - newest row before T */
    char **failures;                    /* NULL-terminated sentences; NULL = none */
    size_t n_failures;
};

/* In the run's source snapshot (so the gate sees what the figures saw,
 * through the src_<view> views of contract.h): the age of the newest
 * survey response, feedback and order before T, rejected rows included.
 * Does nothing when the job's freshness gate is off.  gates_check leaves
 * out a view the model records as a gap (absent, or no usable row). */
enum vr_status gates_read_freshness(struct db *src, const struct job_config *j,
                                    const struct period *p, struct gates *g,
                                    struct vr_error *err);

/* Evaluates every gate, logs each failure and records them in
 * runs.gate_failures (an empty array: all passed), inside the transaction
 * that records the run. */
enum vr_status gates_check(struct db *meta, const struct job_config *j, long long run_id,
                           const struct model *m, struct gates *g, struct vr_error *err);


/* Adds a failure found elsewhere (the department packs' leak check), so it
 * holds the mail like any gate.  Takes ownership of sentence. */
void gates_add_failure(struct gates *g, char *sentence);

void gates_release(struct gates *g);

#endif
