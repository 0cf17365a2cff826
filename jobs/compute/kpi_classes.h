/* Promoter-vs-detractor cross-analysis (metrics.md): each customer's NPS
 * class at T, crossed with trailing-12-month revenue, repeat purchases and
 * churn; LTV per class and overall; the detractor-shift gains; and the
 * revenue reconciliation against the ledger.  Also picks the detractor
 * verbatims for the briefing. */
#ifndef VR_KPI_CLASSES_H
#define VR_KPI_CLASSES_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

/* Leaves the run's tables t_paid (each customer's paid orders before T) and
 * t_cust (the population at T: class, revenue, orders, churned and
 * churned_at by the churn rule, sql/defs/churn.sql) for the later figures;
 * sql/compute/classes_*.sql.  Resolves churn_rule=auto and gross_margin=auto and records both (with
 * their *_source) as model parameters. */
enum vr_status kpi_classes(struct db *db, const struct job_config *job, const struct period *p,
                           struct model *m, struct vr_error *err);

#endif
