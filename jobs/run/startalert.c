/* The contract is in startalert.h. */
#include "startalert.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"
#include "jobs/config/schedule.h"
#include "jobs/deliver/deliver.h"
#include "report/mail.h"
#include "report/mailtext.h"
#include "report/texts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define REPEAT_AFTER_S (6 * 3600)

static char *state_path(const struct config *c, const struct job_config *j)
{
    return xstrfmt("%s/.vocreport/start-alert-%s", c->output_root, j->name);
}

/* Was this very error alerted less than REPEAT_AFTER_S ago? */
static bool alerted_recently(const char *path, const char *msg, time_t now)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    long long when = 0;
    char *line = NULL;
    size_t cap = 0;
    /* The first line is the error; libpq adds hints on later lines. */
    size_t n = strcspn(msg, "\n");
    bool same = fscanf(f, "%lld\t", &when) == 1 && getline(&line, &cap, f) > 0 &&
                strcspn(line, "\n") == n && !strncmp(line, msg, n);
    free(line);
    fclose(f);
    return same && now - when < REPEAT_AFTER_S;
}

static void remember(const struct config *c, const char *path, const char *msg, time_t now)
{
    char *dir = xstrfmt("%s/.vocreport", c->output_root);
    if (mkdir(dir, 0750) && errno != EEXIST)
        log_warn("could not create \"%s\" (%s): the alert may repeat at every call", dir,
                 strerror(errno));
    free(dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "%lld\t%.*s\n", (long long)now, (int)strcspn(msg, "\n"), msg);
    fclose(f);
}

/* The job's calendar date now, as the run would have resolved it. */
static char *today(const char *time_zone)
{
    char buf[11];
    return xstrdup(schedule_local_date(time_zone, time(NULL), buf) ? buf : "?");
}

void startalert_send(const struct config *c, const struct job_config *j, const char *as_of,
                     const struct vr_error *why)
{
    if (!j || !*c->mail.url)
        return;
    if (!j->owner || !j->owner[0]) {
        log_warn("job \"%s\" has no owner: nobody is alerted that it could not start", j->name);
        return;
    }
    time_t now = time(NULL);
    char *path = state_path(c, j);
    if (alerted_recently(path, why->msg, now)) {
        log_info("the owner was alerted about this error less than 6 hours ago");
        free(path);
        return;
    }
    struct texts *t = NULL;
    struct vr_error e = {0};
    if (texts_load(&t, c->templates_dir, j->locale, &e) != VR_OK) {
        log_error("could not alert the owner: %s", e.msg);
        free(path);
        return;
    }
    struct model m;
    model_init(&m);
    m.job = xstrdup(j->name);
    m.as_of = as_of ? xstrdup(as_of) : today(j->time_zone);
    const char *items[] = {why->msg};
    char *subject = NULL, *body = NULL;
    mailtext_alert(t, &m, ALERT_START, items, 1, c->path, &subject, &body);
    struct mail_server s;
    char *password = NULL;
    size_t sent = 0;
    if (deliver_server(c, &s, &password, &e) == VR_OK) {
        for (size_t i = 0; j->owner[i]; i++) {
            const char *to[] = {j->owner[i]};
            struct mail_message msg = {.to = to, .n_to = 1, .subject = subject, .body_text = body};
            struct vr_error me = {0};
            if (mail_send(&s, &msg, NULL, &me) == VR_OK) {
                sent++;
                log_info("alert mail sent to %s that the run could not start (not recorded in "
                         "deliveries: there is no run)",
                         j->owner[i]);
            } else {
                log_error("could not alert %s that the run could not start: %s", j->owner[i],
                          me.msg);
            }
        }
    } else {
        log_error("could not alert the owner: %s", e.msg);
    }
    if (sent)
        remember(c, path, why->msg, now);
    deliver_forget_password(password);
    free(subject);
    free(body);
    model_release(&m);
    texts_free(t);
    free(path);
}

void startalert_clear(const struct config *c, const struct job_config *j)
{
    char *path = state_path(c, j);
    if (remove(path) == 0)
        log_info("the cause of the earlier start alert is gone");
    free(path);
}
