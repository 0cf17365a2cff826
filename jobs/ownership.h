/* Who owns what (metrics.md "Departments, targets and closure"): each
 * [department.*] owns survey touchpoints and taxonomy topics.  The KPI
 * engine scopes a department's figures by this map, the department packs
 * and the leak check read it back from the model's labels. */
#ifndef VR_OWNERSHIP_H
#define VR_OWNERSHIP_H

#include "../classify/taxonomy.h"
#include "config.h"
#include "model.h"

/* The department owning a topic, or NULL: a topic named in a department's
 * `topics` belongs to it; otherwise to the department its taxonomy entry
 * names, when that department's `topics` list is empty. */
const struct department *ownership_topic_owner(const struct config *c, const struct taxonomy *tx,
                                               const char *topic);

/* Two parallel text[] literals for SQL, every owned touchpoint and its
 * department code, to join as unnest($tp::text[], $dept::text[]).  Caller
 * frees both. */
void ownership_touchpoint_arrays(const struct config *c, char **touchpoints, char **departments);
/* The configured department codes as a text[] literal.  Caller frees. */
char *ownership_department_array(const struct config *c);

/* Department topics and the topics KPIs name must be taxonomy topics, and
 * a KPI's topic must be owned (ownership_topic_owner) by the KPI's own
 * department: "FILE:LINE: ..." naming the department section, the topic
 * and its owner otherwise. */
enum vr_status ownership_check(const struct config *c, const struct taxonomy *tx,
                               struct vr_error *err);

/* Labels department (code -> name), owner_touchpoint and owner_topic
 * (code -> department code). */
void ownership_labels(const struct config *c, const struct taxonomy *tx, struct model *m);

#endif
