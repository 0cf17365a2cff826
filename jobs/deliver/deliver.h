/* Who receives which published files, and the record of each mail in
 * deliveries (docs/departments.md "Files and audiences"):
 *   executives  -> executive workbook + briefing
 *   finance     -> figures CSV + executive workbook
 *   service     -> call list (only when the run published one)
 *   department D (head and recipients) -> only D's files
 *   owner       -> alerts (failed gates, failed mail)
 * One message per address: an address in several roles gets one mail with
 * the union of its files.
 *
 * The rows are planned inside the transaction that records the run (so a
 * run's record and its mail plan exist together), then sent once the
 * reports are published and updated one by one.  When a quality gate
 * failed every report row is 'held' and only the owner's alert is sent.
 * A row still 'pending' after its process is gone is failed by the next
 * process, which alerts the owner (jobs/run/recover.h): no mail is lost
 * silently. */
#ifndef VR_DELIVER_H
#define VR_DELIVER_H

#include "gates.h"
#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/model/model.h"
#include "jobs/results/results.h"
#include "report/mail.h"
#include "report/mailchart.h"
#include "report/mailtext.h"

#include <stdbool.h>

struct delivery {
    long long id;               /* deliveries.delivery_id */
    char *recipient;
    bool alert;                 /* kind 'alert' (to the owner), else 'report' */
    char *status;               /* pending, sent, failed, held, unconfirmed, cancelled */
    struct mail_audiences aud;  /* aud.depts owned (the array, not the departments) */
    char **paths;               /* published paths of the attachments */
    size_t n_paths;
    char *subject, *body;
    char *html;              /* the HTML alternative (report/mailhtml.h), or NULL */
    struct mail_chart chart; /* the NPS trend it shows inline, or empty */
    char *hold;              /* why this row alone is held (a leak), or NULL */
};

struct delivery_plan {
    bool mail_on;               /* [mail] url set */
    bool held;                  /* a gate failed: report rows held */
    struct delivery *d;
    size_t n;
};

/* Plans and inserts the run's deliveries (status pending, or held plus an
 * alert per owner address when g has failures).  Inside the caller's
 * transaction.  With no [mail] url: plans nothing and says mail is off. */
enum vr_status deliver_plan(struct db *meta, const struct config *c, const struct job_config *j,
                            const struct model *m, const struct texts *t,
                            const struct output_file *files, size_t n_files,
                            const struct gates *g, struct delivery_plan *p,
                            struct vr_error *err);

/* After COMMIT: sends every pending row and records the outcome; alerts the
 * owner when a report mail failed.  Returns VR_ERR_DELIVERY (with the
 * resend command to use) when any report mail failed or was held. */
enum vr_status deliver_send(struct db *meta, const struct config *c, const struct job_config *j,
                            const struct model *m, const struct texts *t, struct delivery_plan *p,
                            struct vr_error *err);

void deliver_plan_release(struct delivery_plan *p);

/* Records and sends an alert of this kind to the job's owner, when mail is
 * on.  Best effort: a failure here is only logged. */
void deliver_alert(struct db *meta, const struct config *c, const struct job_config *j,
                   const struct model *m, const struct texts *t, enum mailtext_alert kind,
                   const char *const *items, size_t n_items);

/* The run failed (error): deliver_alert with ALERT_RUN.  The run's own error
 * stays what the caller reports. */
void deliver_alert_run_failed(struct db *meta, const struct config *c, const struct job_config *j,
                              const struct model *m, const struct texts *t, const char *error);

/* ---- shared with resend ---- */

/* Writes d's body, HTML and chart for its audiences (d->aud) from m, the
 * attachments named by names.  A mail only for department heads has its
 * HTML and chart texts leak-checked (report/leakcheck.h): the sentence is
 * returned (caller frees) and the row must not be sent; NULL when clean. */
char *deliver_compose(const struct config *c, const struct texts *t, const struct model *m,
                      struct delivery *d, const char *const *names);

/* The server from [mail], with the password read from password_file
 * (refused when group or others may read it) or VOCREPORT_SMTP_PASSWORD.
 * *password is owned by the caller (free with deliver_forget_password). */
enum vr_status deliver_server(const struct config *c, struct mail_server *s, char **password,
                              struct vr_error *err);
void deliver_forget_password(char *password);

enum delivery_outcome {
    DELIVERY_SENT,
    DELIVERY_FAILED,      /* status 'failed': resend sends it */
    DELIVERY_UNCONFIRMED, /* status 'unconfirmed': it may have arrived */
    DELIVERY_STOPPED,     /* a signal came first: status unchanged */
};

/* Sends one planned delivery and records the outcome in its row (status,
 * attempts added, last_error or sent_at).  A failure reason (never
 * containing the password) goes to why.  The server's stop flag is the
 * process's signal flag (jobs/base/signals.h). */
enum delivery_outcome deliver_one(struct db *meta, const struct mail_server *s,
                                  struct delivery *d, struct vr_error *why);

void deliver_release(struct delivery *d);

#endif
