/* The leak check: proves, before anything is sent, that a department's
 * slice holds nothing of another department (docs/departments.md).  It is
 * written apart from the slicer (report/dept_slice.c) on purpose: a second
 * implementation of the ownership rules, so one mistake in either does not
 * pass unseen.  The runner holds delivery when it fails. */
#ifndef VR_LEAKCHECK_H
#define VR_LEAKCHECK_H

#include "jobs/model/model.h"

/* Checks slice (the pack of slice->department) against the ownership map
 * in full's labels (owner_touchpoint, owner_topic):
 * - every figure and trend point names a department, touchpoint or topic,
 *   and each one it names is the department's;
 * - a department KPI's figures (dims department=D;kpi=K) and its dept_kpi
 *   label measure only the department's own: the topic of the KPI's
 *   definition in full (e.g. "topic.negative(price)") is one of its topics;
 * - every verbatim is on one of its topics;
 * - every label is its own (its name, its dept_kpi metrics, labels of its
 *   topics, its entries of the ownership map);
 * - nothing company-wide (rejections, sources, reconciliation, experiments).
 * Returns NULL when clean, else one sentence naming the first offending row,
 * e.g. "nightly-2026-10-01-dept-logistics.pdf would show topic.negative
 * topic=app_crash, owned by product", or "... would show dept.kpi.actual
 * department=billing;kpi=price, a KPI on topic.negative(price), whose topic
 * price is owned by product" (what = the file or pack named).
 * Caller frees. */
char *leak_check(const struct model *full, const struct model *slice, const char *what);

/* The same promise for what a reader sees (issue 13 point 9): text (the
 * HTML of a mail to the heads of depts only, and the texts drawn in its
 * pictures) names no other department (by name or code) and no touchpoint
 * or topic another department owns (by its code, or by its name in full's
 * labels, unless that name is part of a name of the recipient's own).
 * Codes count as whole words ([a-z0-9_] on neither side); character
 * references (&amp; ...) are read as the characters they stand for.
 * Returns NULL when clean, else one sentence naming what would leak, e.g.
 * "the mail to logistics.head@example.com would name \"Billing\", the
 * department billing" (what = the mail named).  Caller frees. */
char *leak_check_text(const struct model *full, const char *const *depts, size_t n_depts,
                      const char *text, const char *what);

#endif
