/* Rows the job must not trust (data-contract.md): every source table is
 * copied once into a temporary table with a reject reason per row, inside
 * the run's snapshot; later stages read only the clean views c_<table>.
 * Rules and their order: docs/decisions.md "Rejected rows". */
#ifndef VR_QUALITY_H
#define VR_QUALITY_H

#include "db.h"
#include "model.h"

/* started_at: the run's start (rows after it are future-dated).  Adds
 * source counts, rejections and the dq.* figures to the model; fails with
 * VR_ERR_DATA when a table's rejected share passes max_rejected_share. */
enum vr_status quality_check(struct db *db, const char *started_at, double max_rejected_share,
                             struct model *m, struct vr_error *err);

#endif
