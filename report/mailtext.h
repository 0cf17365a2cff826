/* The words of a report mail and of the owner's alerts, from
 * templates/<locale>/mail.ini, with the headline figures taken from the
 * model (the figures of kpi_values, so the same text can be rebuilt from
 * the database for a resend).  No SMTP here: report/mail.c sends. */
#ifndef VR_MAILTEXT_H
#define VR_MAILTEXT_H

#include "jobs/config/config.h"
#include "jobs/model/model.h"
#include "texts.h"

#include <stdbool.h>
#include <stddef.h>

/* The audiences one recipient belongs to: one message carries them all. */
struct mail_audiences {
    bool executive, finance, service;
    const struct department *const *depts; /* departments whose pack it gets */
    size_t n_depts;
};

/* Uses m->job, as_of, period_first_day, period_last_day and run_id.
 * Callers free the results. */
char *mailtext_subject(const struct texts *t, const struct model *m,
                       const struct mail_audiences *a);
/* Greeting, the headline figures (executives, finance: NPS with change and
 * margin, CSAT, churn, VoC ROI), the call-list note (service), each
 * department's KPI statuses, the attachment names and a footer. */
char *mailtext_body(const struct texts *t, const struct model *m, const struct mail_audiences *a,
                    const char *const *file_names, size_t n_files);

/* A department KPI in the words of its mail line (d->kpis[i], its
 * dept.kpi.* figures in m): the HTML body shows the same. */
struct mailtext_kpi {
    char *name, *actual, *target; /* owned */
    const char *op;               /* "≥" or "≤" */
    char status[16];              /* green, amber, red or grey */
    const char *status_text;      /* the status in words (mail_status.*), or why */
    char *why;                    /* owned: why there is no actual, or NULL */
    bool low_sample;              /* the actual is below min_sample: n */
    long long n;
};
void mailtext_kpi_words(const struct texts *t, const struct model *m, const struct department *d,
                        size_t i, struct mailtext_kpi *out);
void mailtext_kpi_release(struct mailtext_kpi *k);

/* The owner's alert: gates failed (items = the failures), mail failed
 * (items = "recipient: reason"), the run failed (items = the error) or it
 * could not start (items = the error; m->run_id may be 0); config_path
 * goes into the command the alert suggests. */
enum mailtext_alert { ALERT_GATES, ALERT_MAIL, ALERT_RUN, ALERT_START };
void mailtext_alert(const struct texts *t, const struct model *m, enum mailtext_alert kind,
                    const char *const *items, size_t n_items, const char *config_path,
                    char **subject, char **body);

#endif
