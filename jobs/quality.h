/* Rows the job must not trust (data-contract.md): every source table is
 * copied once into a temporary table with a reject reason per row, inside
 * the run's snapshot; later stages read only the clean views c_<table>.
 * Rules and their order: docs/decisions.md "Rejected rows". */
#ifndef VR_QUALITY_H
#define VR_QUALITY_H

#include "config.h"
#include "db.h"
#include "model.h"

/* SQL true when a number is NaN or +/-Infinity: numeric, real and double
 * precision all accept them, and one of them turns every sum or mean it
 * enters into NaN.  The text form tests any numeric type the same way. */
#define SQL_NOT_FINITE(expr) "(" expr ")::text IN ('NaN', 'Infinity', '-Infinity')"

/* started_at: the run's start (rows after it are future-dated); the job
 * gives max_order_amount and max_rejected_share.  Adds source counts,
 * rejections and the dq.* figures to the model; fails with VR_ERR_DATA
 * when a table's rejected share passes max_rejected_share. */
enum vr_status quality_check(struct db *db, const char *started_at, const struct job_config *job,
                             struct model *m, struct vr_error *err);

#endif
