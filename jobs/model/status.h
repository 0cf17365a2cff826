/* The one traffic light of every output (issue 13 point 4): the executive
 * workbook's Summary, Scores and Journey sheets, the department workbooks
 * and scorecards, and the briefing all ask here, so a figure has one colour
 * wherever it is shown.
 *
 * A light comes from a configured target through target_status
 * (jobs/config/config_targets.c), the rule the compute stage already stores as
 * journey.status and dept.kpi.status: green at or beyond the target, amber
 * within its margin, red otherwise, grey without a figure.  The company's
 * NPS and its segments' and channels' have the job's NPS bands
 * (nps_green, nps_amber: recorded as run parameters, so a renderer reads
 * them from the model); a touchpoint's NPS has the journey's target when
 * [journey] sets one, as the journey map colours it. */
#ifndef VR_STATUS_H
#define VR_STATUS_H

#include "model.h"

#include <stdbool.h>

enum light { LIGHT_GREY = -1, LIGHT_RED = 0, LIGHT_AMBER = 1, LIGHT_GREEN = 2 };

/* The light of a stored status figure (journey.status, dept.kpi.status):
 * its colour word, the first of its flag; grey when absent or NULL. */
enum light status_light(const struct kpi *status);
/* "green", "amber", "red" or "grey". */
const char *light_word(enum light l);

/* The light of an NPS figure by the job's bands: green at nps_green or
 * above, amber at nps_amber or above, red below; grey without a value.
 * Bands the model does not record are the defaults (30, 0). */
enum light nps_band_light(const struct model *m, const struct kpi *nps);
/* The light of an NPS figure with dims: a touchpoint's by the journey's
 * NPS target when [journey] sets one (as its journey.status), every other
 * by the bands. */
enum light nps_light(const struct model *m, const struct kpi *nps);

#endif
