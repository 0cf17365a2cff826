/* Who owns what (metrics.md "Departments, targets and closure"): each
 * [department.*] owns the survey touchpoints and taxonomy topics its
 * `touchpoints` and `topics` list.  The config is the one place that says
 * so (the taxonomy describes what customers talk about, not the org chart),
 * so renaming a department never touches the taxonomy.  The KPI engine
 * scopes a department's figures by this map, the department packs and the
 * leak check read it back from the model's labels. */
#ifndef VR_OWNERSHIP_H
#define VR_OWNERSHIP_H

#include "classify/taxonomy.h"
#include "jobs/base/diag.h"
#include "jobs/config/config.h"
#include "jobs/model/model.h"

/* The department whose `topics` lists a topic, or NULL. */
const struct department *ownership_topic_owner(const struct config *c, const char *topic);

/* Two parallel text[] literals for SQL, every owned touchpoint and its
 * department code, to join as unnest($tp::text[], $dept::text[]).  Caller
 * frees both. */
void ownership_touchpoint_arrays(const struct config *c, char **touchpoints, char **departments);
/* The same for topics: every owned topic and its department code. */
void ownership_topic_arrays(const struct config *c, char **topics, char **departments);
/* The configured department codes as a text[] literal.  Caller frees. */
char *ownership_department_array(const struct config *c);

/* Department topics and the topics KPIs name must be taxonomy topics, and
 * a KPI's topic must be one its own department lists: "FILE:LINE: ..."
 * naming the department section, the topic and its owner otherwise.  The
 * first error stops (err); ownership_check_all reports each to d. */
enum vr_status ownership_check(const struct config *c, const struct taxonomy *tx,
                               struct vr_error *err);
void ownership_check_all(const struct config *c, const struct taxonomy *tx, struct diag *d);

/* Labels department (code -> its name in the locale), owner_touchpoint and
 * owner_topic (code -> department code), kpi_name ("department=D;kpi=K" ->
 * the company's name for that KPI in the locale, where the config gives one). */
void ownership_labels(const struct config *c, const char *locale, struct model *m);

#endif
