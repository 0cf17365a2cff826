/* Resolves a job's period rule and as-of date, or an ad-hoc range of days,
 * into timestamps, on the server, in the job's time zone (the session's
 * TimeZone), so month and day arithmetic follows the local calendar across
 * DST changes.  The rules are documented in docs/decisions.md. */
#ifndef VR_PERIOD_H
#define VR_PERIOD_H

#include "config.h"
#include "jobs/base/db.h"

struct period {
    char as_of_date[11];   /* YYYY-MM-DD */
    char as_of[40];        /* timestamps as PostgreSQL prints them (ISO, with offset) */
    char start[40];
    char end[40];          /* T: every "at as_of" figure is taken here */
    /* Without a prior period (has_prior false) both are start: an empty
     * window the queries may still use; runs records them as NULL. */
    char prior_start[40];
    char prior_end[40];
    char first_day[11];    /* local dates for page headers */
    char last_day[11];
    char window_start[40]; /* T − 12 months: the trailing year */
    char year_first_day[11]; /* its local date */
    char lookback_start[40]; /* T − segment_lookback_months */
    /* The run's folder and file names: as_of_date, or "<from>_<to>" for an
     * ad-hoc range, so a range never replaces a nightly report. */
    char label[24];
    const char *rule;      /* runs.parameters "period": a rule name, or "range" */
    bool has_prior;        /* false for period = all: nothing to compare with */
    bool month_steps;      /* prior and history periods step by calendar month */
    bool as_of_in_future;  /* A after the server's now() */
};

/* as_of_date NULL: today in the job's time zone. */
enum vr_status period_resolve(struct db *db, const struct job_config *job, const char *as_of_date,
                              struct period *out, struct vr_error *err);

/* An ad-hoc range of local days, both included (valid dates, from <= to):
 * the as-of is the day after to, the prior period the same number of days
 * just before from. */
enum vr_status period_resolve_range(struct db *db, const struct job_config *job, const char *from,
                                    const char *to, struct period *out, struct vr_error *err);

/* True when s is a real calendar date written YYYY-MM-DD. */
bool period_valid_date(const char *s);

#endif
