/* Closed-loop retention experiments (metrics.md "Closed-loop retention
 * experiment"; rules in docs/decisions.md "Retention experiments and VoC
 * ROI"): each experiment's progress or verdict, exp.roi with its interval.
 * VoC ROI over all of them is kpi_roi's.
 *
 * kpi_experiments runs in the source snapshot after kpi_classes (it reads
 * t_cust, the churn rule and ltv_all).  During an experiment's enrollment it
 * picks the newly qualifying customers and their arms, but the snapshot only
 * reads: the new assignments are held in a struct exp_assignments and
 * written by experiments_record inside the transaction that records the
 * run, so they exist exactly when the run succeeded.
 *
 * For every experiment open at T (started, not yet evaluated) it also
 * streams the treatment call list (docs/decisions.md "Treatment call list")
 * row by row (libpq single-row mode) into the model's anonymous temporary
 * file m->calllist, and lists the experiment in m->open_experiments; the
 * snapshot ends before the renderers run, so the rows are read there, not
 * in the renderer. */
#ifndef VR_KPI_EXPERIMENTS_H
#define VR_KPI_EXPERIMENTS_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

#include <stddef.h>

/* New assignments of one experiment, as text[] literals for one INSERT. */
struct exp_batch {
    char *experiment;
    char *assigned_at;   /* T of the run */
    char *ids;           /* {1,2,...} */
    char *arms;          /* {treatment,control,...} */
    size_t n;
};

struct exp_assignments {
    struct exp_batch *batches;
    size_t n;
};

/* A call list row's owning department is the config's owner of its topic
 * (ownership.h). */
enum vr_status kpi_experiments(struct db *db, const struct config *c, const struct job_config *job,
                               const struct period *p, struct model *m, struct exp_assignments *out,
                               struct vr_error *err);

/* Inserts the new assignments (ON CONFLICT DO NOTHING: a customer already
 * assigned keeps arm and time).  Call inside the run's final transaction. */
enum vr_status experiments_record(struct db *db, const struct exp_assignments *a,
                                  struct vr_error *err);

void experiments_release(struct exp_assignments *a);

#endif
