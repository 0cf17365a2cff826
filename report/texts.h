/* Report texts per locale, read from templates/<locale>.ini.  Values may
 * hold named placeholders, "{ratio}", filled by texts_format: placeholders
 * are never printf formats, so a translator cannot crash the program. */
#ifndef VR_TEXTS_H
#define VR_TEXTS_H

#include "jobs/base/diag.h"
#include "jobs/base/error.h"

struct texts;

/* Loads every dir/<locale>/NAME.ini.  Unknown locale or missing file: VR_ERR_CONFIG. */
enum vr_status texts_load(struct texts **out, const char *dir, const char *locale,
                          struct vr_error *err);
/* The same, but every error of every file goes to d; *out is NULL when d
 * got any. */
enum vr_status texts_load_all(struct texts **out, const char *dir, const char *locale,
                              struct diag *d);
void texts_free(struct texts *t);

/* The text for a key; the key itself when missing (visible, not a crash). */
const char *texts_get(const struct texts *t, const char *key);

/* Fills placeholders from NULL-terminated name/value pairs:
 * texts_format(t, "finding.join", "sentence", s, "note", n, NULL).  Caller frees. */
char *texts_format(const struct texts *t, const char *key, ...) __attribute__((sentinel));

/* Locale-aware number formatting for page text (not for workbook cells,
 * which stay numbers). Caller frees. decimals >= 0. */
char *fmt_number(const struct texts *t, double v, int decimals);         /* 12,345.6 */
char *fmt_percent(const struct texts *t, double fraction, int decimals); /* 40.0 % */
char *fmt_money(const struct texts *t, double v, int decimals);          /* 12,345.00 */
/* ROI as every page shows it (docs/decisions.md "One ROI format"): a
 * percentage with one decimal and its sign, "-48.3 %", "+58.9 %"; never a
 * multiple. */
char *fmt_roi(const struct texts *t, double fraction);

/* NPS as a reader expects it: whole when whole, else one decimal. */
char *fmt_score(const struct texts *t, double v);
/* A change with its direction: "+7.5", "-3.0", "0.0". */
char *fmt_signed(const struct texts *t, double v, int decimals);
char *fmt_count(const struct texts *t, long long n);
/* A slope in a sentence: two significant digits, no trailing zeros, with
 * its sign ("+0.05", "-1.2", "+35"). */
char *fmt_slope(const struct texts *t, double v);
/* A label inside a sentence: "App crashes" reads "app crashes"; "UI bugs"
 * and labels in other scripts stay as they are.  Caller frees. */
char *label_in_sentence(const char *label);

/* A value of a figure (its code) or of a metric as a target writes it
 * ("topic.negative(app_crash)") for page text, as the metric catalogue
 * (jobs/config/metrics.h) has it: "81.0 %", "5.40", "120", NPS as fmt_score; an
 * unknown code as a score.  Caller frees. */
char *fmt_metric(const struct texts *t, const char *metric, double v);
/* The catalogue's name of a metric in the locale, its {topic} left as
 * written; the metric itself when the catalogue has no name for it. */
const char *metric_label(const struct texts *t, const char *metric);
/* What a metric as written ("topic.negative(app_crash)") measures, in
 * words ("Negative mentions: App crashes", the topic's label from m), else
 * as written.  Caller frees. */
struct model;
char *metric_words(const struct texts *t, const struct model *m, const char *written);
/* A department KPI's name (dims "department=D;kpi=K"): the company's own
 * in the run's locale ([department.D] kpi_name.K), else its metric as
 * written ("topic.negative(app_crash)") in words, as metric_words gives
 * them.  Caller frees. */
char *kpi_words(const struct texts *t, const struct model *m, const char *dims,
                const char *written);

/* A dimension value as a reader names it: the company's name for it in the
 * model (a label of kind key, from the config: jobs/compute/dim_labels.h; not for
 * departments), else the template's ("touchpoint.after_sales =
 * After-sales"), else the value with underscores as spaces and a capital
 * first letter.  m may be NULL.  Caller frees. */
struct model;
char *texts_dim_label(const struct texts *t, const struct model *m, const char *key,
                      const char *value);

#endif
