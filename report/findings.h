/* Findings: three to five sentences generated from the figures, in the
 * run's locale.  Shared by the PDF briefing and the workbook's Summary. */
#ifndef VR_FINDINGS_H
#define VR_FINDINGS_H

#include "../jobs/model.h"
#include "texts.h"

#include <stdbool.h>
#include <stddef.h>

/* Returns up to max malloc'd sentences in out; the count is returned.
 * Sentences whose inputs are NULL are skipped, never printed as 0. */
size_t findings_build(const struct model *m, const struct texts *t, char **out, size_t max);
void findings_free(char **s, size_t n);

/* decisions.md: a topic's cohort is low sample when a_customers <
 * min_sample, or any cohort figure of the topic carries the flag.  Such a
 * cohort is never worded as a finding; the workbook greys it. */
bool findings_cohort_low(const struct model *m, const char *topic);

#endif
