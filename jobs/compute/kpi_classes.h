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

/* Customers churned at AT (docs/decisions.md "Churn") and the moment each
 * churned: the churn event (explicit), or the last paid order plus DAYS
 * days (inactivity).  AT, RULE ('explicit' or 'inactivity'), DAYS are SQL
 * text, e.g. parameter references; LAST_PAID names a relation
 * (customer_id, ordered_at) of each customer's last clean paid order before
 * AT.  The population table t_cust carries the result at T (churned,
 * churned_at). */
#define CHURNED_AT_SQL(AT, RULE, DAYS, LAST_PAID)                                               \
    "SELECT e.customer_id, e.churned_at AS moment FROM ("                                       \
    " SELECT customer_id, max(churned_at) AS churned_at FROM c_churn_events"                    \
    " WHERE " RULE " = 'explicit' AND churned_at < " AT " GROUP BY customer_id) e"              \
    " LEFT JOIN " LAST_PAID " l USING (customer_id)"                                            \
    " WHERE l.ordered_at IS NULL OR l.ordered_at <= e.churned_at"                               \
    " UNION ALL"                                                                                \
    " SELECT customer_id, ordered_at + " DAYS " * interval '1 day' FROM " LAST_PAID             \
    " WHERE " RULE " <> 'explicit' AND ordered_at < " AT " - " DAYS " * interval '1 day'"

/* Resolves churn_rule=auto and gross_margin=auto and records both (with
 * their *_source) as model parameters. */
enum vr_status kpi_classes(struct db *db, const struct job_config *job, const struct period *p,
                           struct model *m, struct vr_error *err);

#endif
