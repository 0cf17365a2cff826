#include "rundue.h"

#include "jobs/base/db.h"
#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/config/schedule.h"
#include "jobs/results/schema.h"
#include "recover.h"
#include "runner.h"
#include "startalert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One planned run: the newest due fire time of an as-of date. */
struct due_run {
    time_t fire;
    char as_of[11];
};

#define MAX_PLANNED 366 /* max_catch_up's upper bound in config.c */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool rundue_parse_now(const char *s, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (strlen(s) < 17 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':')
        return false;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = 0;
    const char *p = s + 16;
    if (*p == ':') {
        sec = digits(p + 1, 2);
        p += 3;
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || sec < 0 || sec > 59)
        return false;
    int offset = 0; /* seconds east of UTC */
    if (!strcmp(p, "Z")) {
        offset = 0;
    } else if ((*p == '+' || *p == '-') && (strlen(p) == 3 || strlen(p) == 6)) {
        int oh = digits(p + 1, 2), om = 0;
        if (strlen(p) == 6) {
            if (p[3] != ':')
                return false;
            om = digits(p + 4, 2);
        }
        if (oh < 0 || oh > 14 || om < 0 || om > 59)
            return false;
        offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    } else {
        return false;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    /* timegm normalises 2026-02-30 into March: refuse what is not a date. */
    struct tm back;
    if (!gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != mo - 1)
        return false;
    *out = t - offset;
    return true;
}

int rundue_severity(enum vr_status s)
{
    /* Problems the ops person must fix on the machine first; a delivery
     * failure still left the reports published. */
    switch (s) {
    case VR_OK: return 0;
    case VR_ERR_BUSY: return 1;
    case VR_ERR_DELIVERY: return 2;
    case VR_ERR_DATA: return 3;
    case VR_ERR_OUTPUT: return 4;
    case VR_ERR_USAGE:
    case VR_ERR_CONFIG: return 5;
    case VR_ERR_DB: return 6;
    case VR_ERR_INTERNAL: return 7;
    }
    return 7;
}

static void utc_text(time_t t, char *buf, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S+00", &tm);
}

/* The newest scheduled_for of the job's scheduled runs, any status. */
static enum vr_status last_handled(struct db *db, const char *job, bool *have, time_t *last,
                                   struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not read the schedule ledger", "run/last_scheduled.sql",
                                SQL_ARGS({"job", job}), err);
    if (!r)
        return err->status;
    *have = db_get_text(r, 0, "last_epoch") != NULL;
    *last = (time_t)db_get_ll(r, 0, "last_epoch");
    PQclear(r);
    return VR_OK;
}

/* The newest fire time in (last, now] (no lower bound without a last run).
 * Growing windows back from now, so a minute schedule after a long outage
 * or a yearly one both stay cheap. */
static bool newest_fire(const struct schedule *s, const char *tz, bool have_last, time_t last,
                        time_t now, time_t *fire)
{
    static const long windows[] = {86400L, 35 * 86400L, 400 * 86400L, 5 * 366 * 86400L};
    for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
        time_t lo = now - windows[i];
        bool bounded = have_last && lo <= last;
        if (bounded)
            lo = last;
        if (schedule_due(s, tz, lo, now, false, fire, 1) == 1)
            return true;
        if (bounded)
            return false;
    }
    return false;
}

/* Fire times due for one job, grouped by as-of date, oldest first. */
static size_t plan(const struct job_config *j, const struct schedule *s, bool have_last,
                   time_t last, time_t now, struct due_run *out)
{
    const char *tz = j->time_zone;
    if (!have_last || j->catch_up == CATCH_UP_LATEST) {
        if (!newest_fire(s, tz, have_last, last, now, &out[0].fire) ||
            !schedule_local_date(tz, out[0].fire, out[0].as_of))
            return 0;
        return 1;
    }
    size_t n = 0, max = (size_t)j->max_catch_up;
    if (max > MAX_PLANNED)
        max = MAX_PLANNED;
    time_t t = last, next;
    while (schedule_next(s, tz, t, &next) && next <= now) {
        char date[11];
        if (!schedule_local_date(tz, next, date))
            break;
        if (n > 0 && !strcmp(out[n - 1].as_of, date)) {
            out[n - 1].fire = next; /* same as-of: one run, for the newest */
        } else {
            if (n == max)
                break;
            out[n].fire = next;
            memcpy(out[n].as_of, date, sizeof(date));
            n++;
        }
        t = next;
    }
    return n;
}

struct outcome {
    enum vr_status worst;
    char msg[sizeof(((struct vr_error *)0)->msg)];
    int ran, failed;
};

static void note_failure(struct outcome *o, const struct vr_error *e)
{
    o->failed++;
    if (rundue_severity(e->status) > rundue_severity(o->worst)) {
        o->worst = e->status;
        snprintf(o->msg, sizeof(o->msg), "%s", e->msg);
    }
}

/* Runs the planned as-ofs of one job; false when run-due should stop. */
static bool run_job(const struct config *c, const struct job_config *j, const struct due_run *due,
                    size_t n, struct outcome *o)
{
    for (size_t i = 0; i < n; i++) {
        /* A signal between two runs: do not start another one. */
        if (runner_interrupted())
            return false;
        char fire[40];
        utc_text(due[i].fire, fire, sizeof(fire));
        struct run_request req = {.as_of_date = due[i].as_of, .scheduled_for = fire};
        struct vr_error e = {0};
        runner_run_request(c, j->name, &req, &e);
        log_set_context(0, j->name);
        if (req.outcome == RUN_SKIPPED_BUSY) {
            if (req.run_id > 0)
                log_info("skipped as-of %s (fire time %s): running elsewhere (run %lld)",
                         due[i].as_of, fire, req.run_id);
            else
                log_info("skipped as-of %s (fire time %s): running elsewhere", due[i].as_of,
                         fire);
            /* The holder of the lock works through the rest itself. */
            return true;
        }
        if (req.outcome == RUN_SKIPPED_DONE && e.status == VR_OK) {
            log_info("skipped as-of %s (fire time %s): %s", due[i].as_of, fire,
                     req.skip_reason);
            continue;
        }
        if (e.status == VR_OK) {
            o->ran++;
            log_info("ran as-of %s (fire time %s): run %lld succeeded", due[i].as_of, fire,
                     req.run_id);
            continue;
        }
        note_failure(o, &e);
        if (req.run_id > 0)
            log_error("ran as-of %s (fire time %s): run %lld failed: %s", due[i].as_of, fire,
                      req.run_id, e.msg);
        else
            log_error("as-of %s (fire time %s) did not start: %s", due[i].as_of, fire, e.msg);
        if (runner_interrupted())
            return false;
        /* Without the database or after a bug, the next as-of would fail the
         * same way: leave it to the next call. */
        if (e.status == VR_ERR_DB || e.status == VR_ERR_INTERNAL)
            return true;
    }
    return true;
}

enum vr_status rundue_run(const struct config *c, time_t now, struct vr_error *err)
{
    struct db db;
    struct outcome o = {.worst = VR_OK};
    struct due_run *due = xcalloc(MAX_PLANNED, sizeof(*due));
    char now_text[40];
    utc_text(now, now_text, sizeof(now_text));
    /* The planning connection holds no lock: the runner takes the job lock
     * on its own connection (a second session of this process asking for
     * the same lock would only see it busy). */
    if (db_connect(&db, c->conninfo, "UTC", c->source_schema, c->results_schema, err) != VR_OK ||
        schema_check(&db, c->results_schema, err) != VR_OK) {
        /* Nothing can be planned: every scheduled job's owner hears of it
         * (once per error and 6 hours, startalert.h). */
        for (size_t i = 0; i < c->n_jobs; i++)
            if (*c->jobs[i].schedule) {
                log_set_context(0, c->jobs[i].name);
                log_error("could not start: %s", err->msg);
                startalert_send(c, &c->jobs[i], NULL, err);
            }
        log_set_context(0, NULL);
        err->logged = 1;
        db_close(&db);
        free(due);
        return err->status;
    }
    log_set_context(0, NULL);
    log_info("run-due: now %s, %zu job%s", now_text, c->n_jobs, c->n_jobs == 1 ? "" : "s");
    /* Every tick, due or not: mail a killed process left pending is failed
     * and its owner alerted within minutes, not at the next night's run. */
    struct vr_error rec = {0};
    if (recover_all(&db, c, &rec) != VR_OK) {
        note_failure(&o, &rec);
        log_error("%s", rec.msg);
    }
    for (size_t i = 0; i < c->n_jobs; i++) {
        const struct job_config *j = &c->jobs[i];
        log_set_context(0, j->name);
        struct schedule s;
        struct vr_error e = {0};
        if (!j->schedule || !*j->schedule) {
            log_info("skipped: no schedule (run it with \"vocreport run\")");
            continue;
        }
        if (schedule_parse(&s, j->schedule, &e) != VR_OK) {
            /* config_load checked it already; kept for a config built elsewhere. */
            vr_fail(&e, VR_ERR_CONFIG, "%s: invalid schedule for job \"%s\"", c->path, j->name);
            note_failure(&o, &e);
            log_error("%s", e.msg);
            continue;
        }
        bool have_last = false;
        time_t last = 0;
        if (last_handled(&db, j->name, &have_last, &last, &e) != VR_OK) {
            note_failure(&o, &e);
            log_error("%s", e.msg);
            continue;
        }
        size_t n = plan(j, &s, have_last, last, now, due);
        if (n == 0) {
            time_t next;
            char when[40] = "none within 5 years";
            if (schedule_next(&s, j->time_zone, now, &next))
                utc_text(next, when, sizeof(when));
            log_info("nothing due (next fire time %s)", when);
            continue;
        }
        if (!run_job(c, j, due, n, &o))
            break;
    }
    log_set_context(0, NULL);
    db_close(&db);
    free(due);
    if (runner_interrupted() && o.worst != VR_ERR_INTERNAL) {
        struct vr_error e = {0};
        vr_fail(&e, VR_ERR_INTERNAL, "interrupted by a signal; the remaining runs were not started");
        note_failure(&o, &e);
    }
    if (o.worst != VR_OK)
        vr_fail(err, o.worst, "%d scheduled run%s failed; the most severe: %s", o.failed,
                o.failed == 1 ? "" : "s", o.msg);
    return err->status;
}
