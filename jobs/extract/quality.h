/* Rows the job must not trust (data-contract.md): every source table is
 * copied once into a temporary table t_<table> with a reject reason per
 * row, inside the run's snapshot; later stages read only the clean views
 * c_<table>.  The rules, one file per table: sql/extract/<table>.sql;
 * their order: docs/decisions.md "Rejected rows". */
#ifndef VR_QUALITY_H
#define VR_QUALITY_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/model/model.h"

/* A feedback row whose body has no words: not a rejection, left out of
 * the text figures, counted as dq.no_text. */
#define NO_TEXT "no_text"

/* The definition of pg_temp.vr_body_reject(body) for the server's encoding:
 * sql/extract/body_rule.sql, or body_rule_sql_ascii.sql where text is bytes. */
const char *quality_body_rule_file(struct db *db);

/* started_at: the run's start (rows after it are future-dated); the job
 * gives max_order_amount and max_rejected_share.  Reads the src_<view>
 * views (contract_open_views).  Adds source counts, rejections and the
 * dq.* figures of the views the shape has to the model, and a gap
 * empty_<view> for an optional view without a usable row; fails with
 * VR_ERR_DATA when a table's rejected share passes max_rejected_share. */
struct source_shape;
enum vr_status quality_check(struct db *db, const char *started_at, const struct job_config *job,
                             const struct source_shape *shape, struct model *m,
                             struct vr_error *err);

#endif
