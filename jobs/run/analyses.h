/* The analyses of a run, as one table: the compute stage is a loop over it
 * (runner.c).  Each analysis names what it reads of the run's snapshot
 * (temporary relations, model parameters, figures of earlier analyses) and
 * what it leaves for later ones; analyses_check proves, before anything
 * runs, that every need is met by an earlier analysis, so reordering the
 * table cannot silently read a relation that does not exist yet. */
#ifndef VR_ANALYSES_H
#define VR_ANALYSES_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

#include <stdbool.h>

struct source_shape;
struct taxonomy;
struct exp_assignments;
struct gates;

/* What an analysis may use: the run's inputs and its outputs. */
struct compute_ctx {
    struct db *src; /* the REPEATABLE READ snapshot */
    const struct config *cfg;
    const struct job_config *job;
    const struct period *period;
    const struct taxonomy *taxonomy;
    const struct source_shape *shape;
    const char *started_at;
    bool as_of_given;
    struct model *model;
    struct exp_assignments *assignments;
    struct gates *gates;
    char **empty_warning;
};

struct analysis {
    const char *stage; /* the checkpoint after the stage's last analysis */
    const char *log;   /* the log line that opens a stage; NULL continues it */
    enum vr_status (*run)(struct compute_ctx *c, struct vr_error *err);
    const char *needs;    /* words: relations, parameters, figure groups */
    const char *provides; /* words it makes for later analyses */
};

extern const struct analysis analyses[]; /* ends with run == NULL */

/* Every analysis's needs are provided by one before it: a bug in the table
 * otherwise (VR_ERR_INTERNAL, naming the analysis and the need). */
enum vr_status analyses_check(struct vr_error *err);
enum vr_status analyses_check_table(const struct analysis *table, struct vr_error *err);

#endif
