/* What customers say (metrics.md "Topics and sentiment", "Root cause: topic
 * cohorts"): topic mentions, negatives and their trend, sentiment score,
 * share of voice per value dimension, and for each topic the churn gap of
 * the customers who complained and the revenue it puts at risk.  Codes and
 * rules: docs/decisions.md "Topics, share of voice and root cause". Both run
 * in the source snapshot after kpi_classes and history_periods (t_periods),
 * kpi_topics first: kpi_cohorts reads t_cust, ltv_all and the
 * t_feedback_topics table kpi_topics creates.  kpi_topics leaves
 * t_topic_history (topic, k, first_day, mentions, negative, scored, mean:
 * own-brand rows per period of the history) for kpi_depts.  An upstream
 * code that is a taxonomy topic's alias counts as that topic; one no topic
 * claims is a topic of its own, with every figure and a cohort. */
#ifndef VR_KPI_TOPICS_H
#define VR_KPI_TOPICS_H

#include "classify/taxonomy.h"
#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/config/period.h"
#include "jobs/model/model.h"

enum vr_status kpi_topics(struct db *db, const struct job_config *job, const struct period *p,
                          const struct taxonomy *tx, struct model *m, struct vr_error *err);
/* What the taxonomy leaves unread (docs/decisions.md "Feedback no topic
 * matched"): topic.uncategorised_share overall, per channel= and per
 * language=, and dq.unknown_topic for each upstream code no topic claims
 * (codes: the taxonomy's codes as a text[] literal).  Called by kpi_topics,
 * after it made t_feedback_topics and t_topics. */
enum vr_status kpi_unread(struct db *db, const struct period *p, const char *codes, struct model *m,
                          struct vr_error *err);
enum vr_status kpi_cohorts(struct db *db, const struct job_config *job, const struct period *p,
                           const struct taxonomy *tx, struct model *m, struct vr_error *err);

#endif
