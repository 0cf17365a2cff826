/* Findings chosen by what they are worth (issue 13; the formula and every
 * kind in docs/decisions.md "Findings by what they are worth").
 *
 * findings_rank lists every candidate finding of the run (significant NPS
 * changes overall and by touchpoint, channel and segment; early warnings;
 * topics with significant revenue at risk; departments that missed
 * targets; evaluated experiments) with the money at stake, the confidence
 * that it is real, score = money × confidence, its owner (the department
 * that owns its touchpoint, topic or scorecard) and its next step (the text
 * key next.<kind>).  It reads only figures already in the model and the
 * ownership labels, so it runs after every kpi_* module, and writes
 *   finding.score, finding.money, finding.confidence, finding.rank
 * with dims finding=<kind> plus the subject's dims (the owner in the flag
 * of finding.score, "owner=D"), and model.findings, best first. */
#ifndef VR_FINDINGS_RANK_H
#define VR_FINDINGS_RANK_H

#include "jobs/model/model.h"

void findings_rank(struct model *m);

/* model.findings again from the finding.* figures a run recorded (as
 * findings_rank wrote them), best first: what a resent mail shows is then
 * exactly what the run ranked, whatever the config says now. */
void findings_reload(struct model *m);

#endif
