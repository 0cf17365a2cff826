/* Cron schedules for `vocreport run-due`: a standard 5-field cron expression
 * evaluated in an IANA time zone, with Vixie cron's DST rules.
 *
 * Expression: "minute hour day-of-month month day-of-week", each field a
 * comma list of items; an item is *, a number, a range a-b, or *\/n or a-b/n
 * (a step needs * or a range).  Months may be written jan..dec and weekdays
 * sun..sat (case-insensitive, also inside ranges: mon-fri); weekday 0 and 7
 * are both Sunday.  Macros: @hourly @daily (@midnight) @weekly @monthly
 * @yearly (@annually).
 *
 * Day rule (Vixie): when both day-of-month and day-of-week are restricted
 * (neither field starts with '*'), a day matches if EITHER matches
 * ("0 12 1 * 1" = noon on the 1st and on every Monday); otherwise both must.
 *
 * DST rule (Vixie cron, cron.c): a schedule is "wildcard" when its minute or
 * hour field starts with '*' (@hourly too), otherwise "fixed-time".
 *   - spring forward, local time skipped (02:30 on the last Sunday of March
 *     in Europe/Berlin): a fixed-time schedule fires once at the first
 *     instant after the gap (03:00 local); all skipped times of one schedule
 *     collapse into that one run.  A wildcard schedule just skips them.
 *   - fall back, local time repeated (02:30 on the last Sunday of October):
 *     a fixed-time schedule fires once, at the first occurrence; a wildcard
 *     schedule ("*\/15 * * * *") keeps firing through the repeated hour.
 * Both rules assume UTC offset changes smaller than 3 hours, which holds for
 * every DST rule in the tz database (not for one-off jumps such as Samoa
 * skipping 2011-12-30).
 *
 * Time zones come from the system tz database (TZDIR or /usr/share/zoneinfo).
 * glibc has no per-call time zone API, so schedule_next/schedule_due set TZ,
 * call tzset() and localtime_r(), and restore the previous TZ before they
 * return, under a mutex private to this module: calls to this module are
 * thread-safe among themselves, but must not run while another thread uses
 * localtime_r/mktime/getenv("TZ") (run-due is single-threaded). */
#ifndef VR_SCHEDULE_H
#define VR_SCHEDULE_H

#include "jobs/base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct schedule {
    uint64_t minutes;  /* bit m set: minute m (0-59) */
    uint32_t hours;    /* bit h: hour h (0-23) */
    uint32_t days;     /* bit d: day of month d (1-31) */
    uint16_t months;   /* bit m: month m (1-12) */
    uint8_t weekdays;  /* bit w: weekday w (0-6, Sunday 0) */
    bool dom_star;     /* day-of-month field started with '*' */
    bool dow_star;     /* day-of-week field started with '*' */
    bool wildcard;     /* minute or hour field started with '*' (DST rule) */
};

/* Parses expr into *out.  On error returns VR_ERR_CONFIG and says what is
 * wrong and where, e.g. "field 2 (hour): 24 is out of range 0-23"; the
 * caller adds the file, line and job name. */
enum vr_status schedule_parse(struct schedule *out, const char *expr, struct vr_error *err);

/* True when name is a time zone of the system tz database ("Europe/Berlin",
 * "UTC").  glibc silently treats unknown names as UTC; check with this. */
bool schedule_time_zone_valid(const char *name);

/* The first fire time strictly after `after`, with the expression read in
 * time_zone.  False when the zone is unknown or nothing fires within 5
 * years (e.g. "0 0 30 2 *"). */
bool schedule_next(const struct schedule *s, const char *time_zone, time_t after, time_t *next);

/* The fire times in (last_run, now], ascending.  catch_up_all: all of them,
 * the first `max` if there are more; otherwise only the latest one.
 * Returns how many were stored in out (0 when none is due, the zone is
 * unknown, or max is 0). */
size_t schedule_due(const struct schedule *s, const char *time_zone, time_t last_run, time_t now,
                    bool catch_up_all, time_t *out, size_t max);

/* The local calendar date of t in time_zone, written YYYY-MM-DD into out:
 * the as-of date of a fire time.  False when the zone is unknown. */
bool schedule_local_date(const char *time_zone, time_t t, char out[11]);

#endif
