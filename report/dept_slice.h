/* A department's slice of a run's model (docs/departments.md): what its
 * pack may show, and nothing else.  The ownership map comes from the full
 * model's labels (kinds owner_touchpoint and owner_topic). */
#ifndef VR_DEPT_SLICE_H
#define VR_DEPT_SLICE_H

#include "jobs/model/model.h"

/* Fills out (initialised here; release with model_release) with full's
 * header and parameters and only department dept's rows:
 * - figures and trend points whose dims name a department, touchpoint or
 *   topic, every one of them dept's (department=dept; a touchpoint or topic
 *   the ownership map gives to dept); figures without such a dim are
 *   company-wide and left out;
 * - topic verbatims of its topics (detractor quotes carry no touchpoint or
 *   topic, so they cannot be attributed and are left out);
 * - labels: its department name, its dept_kpi metrics, the topic labels of
 *   its topics and its own entries of the ownership map.
 * Rejections, sources, reconciliation and experiments are company-wide and
 * not copied.  out->department = dept. */
void model_slice_department(const struct model *full, const char *dept, struct model *out);

/* Test hook, for tests only: when VOCREPORT_TEST_PLANT_LEAK is
 * "DEPT:CODE:DIMS" and DEPT is slice->department, adds a foreign row to the
 * slice after slicing so a test can prove the leak check holds delivery:
 *   DEPT:CODE:DIMS           a figure CODE with DIMS (value 1)
 *   DEPT:@verbatim:TOPIC     a topic verbatim of TOPIC
 *   DEPT:@label:KIND=CODE    a label
 * Returns true when it planted something. */
bool dept_plant_test_leak(struct model *slice);

#endif
