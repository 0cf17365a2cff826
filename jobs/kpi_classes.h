/* Promoter-vs-detractor cross-analysis (metrics.md): each customer's NPS
 * class at T, crossed with trailing-12-month revenue, repeat purchases and
 * churn; LTV per class and overall; the detractor-shift gains; and the
 * revenue reconciliation against the ledger.  Also picks the detractor
 * verbatims for the briefing. */
#ifndef VR_KPI_CLASSES_H
#define VR_KPI_CLASSES_H

#include "config.h"
#include "db.h"
#include "model.h"
#include "period.h"

/* Resolves churn_rule=auto and gross_margin=auto and records both (with
 * their *_source) as model parameters. */
enum vr_status kpi_classes(struct db *db, const struct job_config *job, const struct period *p,
                           struct model *m, struct vr_error *err);

#endif
