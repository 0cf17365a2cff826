/* The briefing's one-glance trend block (issue 13 point 1): NPS with its
 * margin of error, CSAT and the churn rate over the history's periods
 * (model.periods and the figures with their period= dims, docs/decisions.md
 * "Histories by period"), as three small line charts drawn with libharu
 * paths, each with its configured target line ([journey] targets, figure
 * journey.target).  It only reads the model: no period arithmetic here.
 *
 * A period without a figure breaks the line instead of bridging it; a
 * history with one period (a first run of period = all, or data from one
 * period only) shows one point labelled as such, never a line; a chart
 * without any figure says "n/a" and why (its flag), never 0.  The block is
 * left out when no series has a figure. */
#ifndef VR_PDF_TRENDS_H
#define VR_PDF_TRENDS_H

#include "pdf_draw.h"

/* A layout function of struct pdf_block: measures or draws, returns the
 * height (0: left out). */
double pdf_block_trends(struct pdf *p);

#endif
