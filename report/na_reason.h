/* Why a figure is n/a, in the reader's words, from the words of its flag
 * (docs/decisions.md "Absent and empty source views", "no_sample"): one
 * source for the briefing, the workbooks and the mail. */
#ifndef VR_NA_REASON_H
#define VR_NA_REASON_H

#include "jobs/model/model.h"
#include "texts.h"

/* The first flag word with a reason: its own text (na.<word>, e.g.
 * na.no_prior_period, na.no_sample), else a source view's gap (no_<view>,
 * empty_<view>: na.no_view / na.empty_view with the view's name).  NULL
 * when no word gives one (low_sample alone, no flag).  Caller frees. */
char *na_reason(const struct texts *t, const struct kpi *k);

#endif
