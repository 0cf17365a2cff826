/* The HTML alternative of a report mail (issue 13 point 9): for executives
 * and finance the headline tiles (NPS, CSAT, churn, VoC ROI) with their
 * change and status colour, the NPS trend picture (report/mailchart.h) and
 * the five best ranked findings with owner and next step; for the service
 * team the call-list note; for each department whose pack the recipient
 * gets, that department's KPI lines and nothing of another.  The same
 * figures and words as the plain-text part (report/mailtext.h), which
 * stays complete beside it.
 *
 * Tables with inline styles, at most 600 px wide, light by default with a
 * prefers-color-scheme: dark override; every text from the data or the
 * config is HTML-escaped.  Each figure's cell carries data-code (and
 * data-dims) naming its kpi_values row, so a test can compare them. */
#ifndef VR_MAILHTML_H
#define VR_MAILHTML_H

#include "mailtext.h"

/* chart_cid: the Content-ID of the NPS chart sent with it, NULL for none.
 * Caller frees. */
char *mailhtml_body(const struct texts *t, const struct model *m, const struct mail_audiences *a,
                    const char *const *file_names, size_t n_files, const char *chart_cid);

/* s with & < > " ' as character references, appended to sb. */
struct strbuf;
void mailhtml_escape(struct strbuf *sb, const char *s);

#endif
