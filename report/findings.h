/* Findings in words: the best of the run's ranked candidates
 * (model.findings, jobs/compute/findings_rank.h), each as one sentence with its
 * owner, what it is worth and its one next step, in the run's locale.
 * Shared by the PDF briefing and the workbook's Summary. */
#ifndef VR_FINDINGS_H
#define VR_FINDINGS_H

#include "jobs/model/model.h"
#include "texts.h"

#include <stdbool.h>
#include <stddef.h>

/* A ranked finding as a reader gets it; every string is malloc'd. */
struct finding_words {
    const struct finding *f; /* into the model */
    char *sentence;
    char *owner;     /* the owning department's name, or the executives */
    char *worth;     /* its money, rounded: "about 6,650 EUR at stake" */
    char *next_step; /* the text of f->next_step */
};

/* The best max of m->findings in rank order, each in words.  A finding
 * worth n/a (no money, so no score) is left out, never shown as 0; so is
 * one whose figures the sentence needs are NULL.  Returns the count. */
size_t findings_top(const struct model *m, const struct texts *t, struct finding_words *out,
                    size_t max);
void findings_words_release(struct finding_words *w, size_t n);

/* "1.3M EUR", "130万 CNY": money a finding is about, rounded the
 * locale's way (the briefing's and the mail's one text for it). */
char *findings_about(const struct model *m, const struct texts *t, double v);

/* decisions.md: a topic's cohort is low sample when a_customers <
 * min_sample, or any cohort figure of the topic carries the flag.  Such a
 * cohort is never worded as a finding; the workbook greys it. */
bool findings_cohort_low(const struct model *m, const char *topic);

#endif
