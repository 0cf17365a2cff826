/* Cron schedules worked out by hand: every expected time is written in UTC
 * with the local time it stands for in the comment.  Europe/Berlin in 2026:
 * CET (+1) until 2026-03-29 01:00Z, CEST (+2) until 2026-10-25 01:00Z. */
#include "jobs/config/schedule.h"
#include "jobs/run/rundue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

static time_t utc(const char *iso) /* "2026-03-29T01:00Z" */
{
    struct tm tm = {0};
    if (sscanf(iso, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min) != 5) {
        fprintf(stderr, "bad test time %s\n", iso);
        exit(2);
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

static const char *show(time_t t, char *buf, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%MZ", &tm);
    return buf;
}

static struct schedule parse_ok(const char *expr)
{
    struct schedule s;
    struct vr_error err = {0};
    if (schedule_parse(&s, expr, &err) != VR_OK) {
        fprintf(stderr, "parse \"%s\" failed: %s\n", expr, err.msg);
        exit(2);
    }
    return s;
}

/* Follows the schedule from `after` and expects the fire times in want. */
static void expect_next(const char *expr, const char *tz, const char *after, const char *const *want)
{
    struct schedule s = parse_ok(expr);
    time_t t = utc(after);
    for (int i = 0; want[i]; i++) {
        char a[32], b[32];
        time_t next = 0;
        checks++;
        if (!schedule_next(&s, tz, t, &next)) {
            failures++;
            fprintf(stderr, "FAIL \"%s\" %s after %s: no next, want %s\n", expr, tz,
                    show(t, a, sizeof a), want[i]);
            return;
        }
        if (next != utc(want[i])) {
            failures++;
            fprintf(stderr, "FAIL \"%s\" %s after %s: got %s, want %s\n", expr, tz,
                    show(t, a, sizeof a), show(next, b, sizeof b), want[i]);
            return;
        }
        t = next;
    }
}

#define NEXT(expr, tz, after, ...) expect_next(expr, tz, after, (const char *const[]){__VA_ARGS__, NULL})

static void expect_none(const char *expr, const char *tz, const char *after)
{
    struct schedule s = parse_ok(expr);
    time_t next;
    checks++;
    if (schedule_next(&s, tz, utc(after), &next)) {
        char b[32];
        failures++;
        fprintf(stderr, "FAIL \"%s\" %s: got %s, want none\n", expr, tz, show(next, b, sizeof b));
    }
}

static void expect_parse_error(const char *expr, const char *want)
{
    struct schedule s;
    struct vr_error err = {0};
    checks++;
    enum vr_status st = schedule_parse(&s, expr, &err);
    if (st != VR_ERR_CONFIG || strcmp(err.msg, want) != 0) {
        failures++;
        fprintf(stderr, "FAIL parse \"%s\": got status %d \"%s\", want \"%s\"\n", expr, (int)st,
                err.msg, want);
    }
}

static void expect_due(const char *what, const char *expr, const char *tz, const char *last,
                       const char *now, bool all, size_t max, const char *const *want)
{
    struct schedule s = parse_ok(expr);
    time_t out[16];
    size_t n = schedule_due(&s, tz, utc(last), utc(now), all, out, max);
    size_t nwant = 0;
    while (want[nwant])
        nwant++;
    checks++;
    bool ok = n == nwant;
    for (size_t i = 0; ok && i < n; i++)
        ok = out[i] == utc(want[i]);
    if (!ok) {
        char b[32];
        failures++;
        fprintf(stderr, "FAIL due %s: got %zu:", what, n);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %s", show(out[i], b, sizeof b));
        fprintf(stderr, ", want %zu\n", nwant);
    }
}

#define DUE(what, expr, tz, last, now, all, max, ...) \
    expect_due(what, expr, tz, last, now, all, max, (const char *const[]){__VA_ARGS__})

int main(void)
{
    const char *B = "Europe/Berlin";

    /* Spring forward: 02:30 does not exist on 2026-03-29; fires at 03:00
     * CEST (01:00Z), then 02:30 CEST the next day. */
    NEXT("30 2 * * *", B, "2026-03-28T01:30Z", "2026-03-29T01:00Z", "2026-03-30T00:30Z");
    /* Two skipped times of one fixed-time job collapse into one run. */
    NEXT("0,30 2 * * *", B, "2026-03-29T00:00Z", "2026-03-29T01:00Z", "2026-03-30T00:00Z");
    /* A wildcard job skips the gap: 01:45 CET, then 03:00 CEST. */
    NEXT("*/15 * * * *", B, "2026-03-29T00:30Z", "2026-03-29T00:45Z", "2026-03-29T01:00Z",
         "2026-03-29T01:15Z");
    /* Fall back: 02:30 happens twice on 2026-10-25; fires once, at the first
     * (CEST, 00:30Z), not at 02:30 CET (01:30Z); next day 02:30 CET. */
    NEXT("30 2 * * *", B, "2026-10-24T00:30Z", "2026-10-25T00:30Z", "2026-10-26T01:30Z");
    /* A wildcard job keeps running through the repeated hour. */
    NEXT("*/30 * * * *", B, "2026-10-24T23:45Z", "2026-10-25T00:00Z", "2026-10-25T00:30Z",
         "2026-10-25T01:00Z", "2026-10-25T01:30Z", "2026-10-25T02:00Z");
    /* America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z). */
    NEXT("30 2 * * *", "America/New_York", "2026-03-07T12:00Z", "2026-03-08T07:00Z",
         "2026-03-09T06:30Z");

    /* Month ends: the 31st skips April, June; Berlin local midnight. */
    NEXT("0 0 31 * *", "UTC", "2026-01-31T00:00Z", "2026-03-31T00:00Z", "2026-05-31T00:00Z",
         "2026-07-31T00:00Z", "2026-08-31T00:00Z", "2026-10-31T00:00Z", "2026-12-31T00:00Z");
    NEXT("0 0 31 * *", B, "2026-01-30T23:00Z", "2026-03-30T22:00Z", "2026-05-30T22:00Z");
    NEXT("0 0 29 2 *", "UTC", "2026-03-01T00:00Z", "2028-02-29T00:00Z", "2032-02-29T00:00Z");
    NEXT("0 0 29 2 *", B, "2026-03-01T00:00Z", "2028-02-28T23:00Z");
    expect_none("0 0 30 2 *", "UTC", "2026-01-01T00:00Z");
    expect_none("0 0 * * *", "Europe/Nowhere", "2026-01-01T00:00Z");

    /* Working hours: Fri 2026-11-20 17:45 is the last of the week. */
    NEXT("*/15 9-17 * * mon-fri", "UTC", "2026-11-20T17:30Z", "2026-11-20T17:45Z",
         "2026-11-23T09:00Z", "2026-11-23T09:15Z");
    NEXT("*/15 9-17 * * MON-FRI", "Asia/Shanghai", "2026-11-20T09:30Z", "2026-11-20T09:45Z",
         "2026-11-23T01:00Z");

    /* Vixie OR rule: the 1st or a Monday.  2026-06-01 is a Monday, then
     * Mondays 8, 15, 22, 29, then Wed 2026-07-01, Mon 6 July. */
    NEXT("0 12 1 * 1", "UTC", "2026-05-31T00:00Z", "2026-06-01T12:00Z", "2026-06-08T12:00Z",
         "2026-06-15T12:00Z", "2026-06-22T12:00Z", "2026-06-29T12:00Z", "2026-07-01T12:00Z",
         "2026-07-06T12:00Z");
    /* A day-of-month starting with '*' makes it AND: odd days that are Mondays. */
    NEXT("0 12 */2 * 1", "UTC", "2026-06-01T12:00Z", "2026-06-15T12:00Z", "2026-06-29T12:00Z");
    /* 0 and 7 are both Sunday (2026-11-22 is a Sunday). */
    NEXT("0 8 * * 7", "UTC", "2026-11-20T00:00Z", "2026-11-22T08:00Z", "2026-11-29T08:00Z");
    NEXT("0 8 * * sun", "UTC", "2026-11-20T00:00Z", "2026-11-22T08:00Z");
    NEXT("0 6 1 jan,jul *", "UTC", "2026-03-01T00:00Z", "2026-07-01T06:00Z", "2027-01-01T06:00Z");
    NEXT("0 0 1-10/3 * *", "UTC", "2026-11-01T00:00Z", "2026-11-04T00:00Z", "2026-11-07T00:00Z",
         "2026-11-10T00:00Z", "2026-12-01T00:00Z");

    /* Macros; Asia/Shanghai has no DST (+8 all year). */
    NEXT("@daily", "Asia/Shanghai", "2026-11-22T00:00Z", "2026-11-22T16:00Z", "2026-11-23T16:00Z");
    NEXT("@daily", "Asia/Shanghai", "2026-06-30T16:00Z", "2026-07-01T16:00Z");
    NEXT("@hourly", "UTC", "2026-11-22T12:00Z", "2026-11-22T13:00Z");
    NEXT("@weekly", B, "2026-11-22T12:00Z", "2026-11-28T23:00Z");
    NEXT("@monthly", B, "2026-11-22T12:00Z", "2026-11-30T23:00Z", "2026-12-31T23:00Z");
    /* Strictly after: a fire time equal to `after` is not returned. */
    NEXT("0 9 * * *", "UTC", "2026-11-22T09:00Z", "2026-11-23T09:00Z");

    expect_parse_error("30 24 * * *", "field 2 (hour): 24 is out of range 0-23");
    expect_parse_error("60 * * * *", "field 1 (minute): 60 is out of range 0-59");
    expect_parse_error("0 0 0 * *", "field 3 (day of month): 0 is out of range 1-31");
    expect_parse_error("0 0 * 13 *", "field 4 (month): 13 is out of range 1-12");
    expect_parse_error("0 0 * * 8", "field 5 (day of week): 8 is out of range 0-7");
    expect_parse_error("0 0 * *",
                       "expected 5 fields (minute hour day-of-month month day-of-week), found 4");
    expect_parse_error("", "empty cron expression");
    expect_parse_error("*/0 * * * *", "field 1 (minute): step 0 is out of range 1-59");
    expect_parse_error("5/10 * * * *",
                       "field 1 (minute): step in \"5/10\" needs * or a range a-b before it");
    expect_parse_error("0 17-9 * * *", "field 2 (hour): range \"17-9\" goes backwards");
    expect_parse_error("0 0 * foo *", "field 4 (month): \"foo\" is not a month name (jan..dec)");
    expect_parse_error("0 0 * * mon-fry",
                       "field 5 (day of week): \"fry\" is not a weekday name (sun..sat)");
    expect_parse_error("0 0 mon * *",
                       "field 3 (day of month): unexpected \"m\" in \"mon\" (expected a number, "
                       "*, a-b or a step /n)");
    expect_parse_error("1,,2 * * * *", "field 1 (minute): empty item in \"1,,2\"");
    expect_parse_error("@reboot", "unknown macro \"@reboot\" (known: @hourly @daily @weekly "
                                  "@monthly @yearly)");

    /* Catch-up over a 3-day outage: a 06:00 Berlin job (05:00Z in winter)
     * last ran 2026-11-18; the machine is back 2026-11-21 07:00Z. */
    DUE("all", "0 6 * * *", B, "2026-11-18T05:00Z", "2026-11-21T07:00Z", true, 16,
        "2026-11-19T05:00Z", "2026-11-20T05:00Z", "2026-11-21T05:00Z", NULL);
    DUE("latest", "0 6 * * *", B, "2026-11-18T05:00Z", "2026-11-21T07:00Z", false, 16,
        "2026-11-21T05:00Z", NULL);
    DUE("all, max 2", "0 6 * * *", B, "2026-11-18T05:00Z", "2026-11-21T07:00Z", true, 2,
        "2026-11-19T05:00Z", "2026-11-20T05:00Z", NULL);
    DUE("now is a fire time", "0 6 * * *", B, "2026-11-18T05:00Z", "2026-11-19T05:00Z", true, 16,
        "2026-11-19T05:00Z", NULL);
    DUE("nothing due", "0 6 * * *", B, "2026-11-19T05:00Z", "2026-11-20T04:59Z", true, 16, NULL);
    DUE("every minute, latest", "* * * * *", "UTC", "2026-11-18T05:00Z", "2026-11-21T05:00Z",
        false, 16, "2026-11-21T05:00Z", NULL);

    /* America/New_York falls back on 2026-11-01: 01:30 happens at 05:30Z
     * (EDT) and 06:30Z (EST); a fixed-time job fires at the first only. */
    NEXT("30 1 * * *", "America/New_York", "2026-10-31T12:00Z", "2026-11-01T05:30Z",
         "2026-11-02T06:30Z");
    NEXT("*/30 * * * *", "America/New_York", "2026-11-01T04:45Z", "2026-11-01T05:00Z",
         "2026-11-01T05:30Z", "2026-11-01T06:00Z", "2026-11-01T06:30Z", "2026-11-01T07:00Z");

    /* Catch-up across the spring-forward night: the skipped 02:30 runs at
     * 03:00 CEST, once. */
    DUE("all across DST", "30 2 * * *", B, "2026-03-27T01:30Z", "2026-03-30T03:00Z", true, 16,
        "2026-03-28T01:30Z", "2026-03-29T01:00Z", "2026-03-30T00:30Z", NULL);
    DUE("all across fall-back", "30 2 * * *", B, "2026-10-24T00:30Z", "2026-10-26T03:00Z", true,
        16, "2026-10-25T00:30Z", "2026-10-26T01:30Z", NULL);
    /* Month ends in a catch-up: the 31st skips April; Feb 29 waits for 2028. */
    DUE("31st over April", "0 6 31 * *", "UTC", "2026-03-31T06:00Z", "2026-06-15T00:00Z", true,
        16, "2026-05-31T06:00Z", NULL);
    DUE("Feb 29", "0 0 29 2 *", "UTC", "2027-01-01T00:00Z", "2028-03-01T00:00Z", true, 16,
        "2028-02-29T00:00Z", NULL);
    DUE("month end in Berlin", "@monthly", B, "2026-09-30T22:00Z", "2026-11-15T00:00Z", true, 16,
        "2026-10-31T23:00Z", NULL);

    /* A fire time's as-of is its local date: 00:15 in Berlin is still the
     * day before in UTC; New York is behind. */
    {
        static const struct {
            const char *tz, *at, *want;
        } dates[] = {
            {"Europe/Berlin", "2026-11-14T23:15Z", "2026-11-15"},
            {"Europe/Berlin", "2026-03-29T01:00Z", "2026-03-29"},
            {"America/New_York", "2026-11-15T03:00Z", "2026-11-14"},
            {"Asia/Shanghai", "2026-06-30T16:00Z", "2026-07-01"},
        };
        for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
            char got[11] = "";
            checks++;
            if (!schedule_local_date(dates[i].tz, utc(dates[i].at), got) ||
                strcmp(got, dates[i].want)) {
                failures++;
                fprintf(stderr, "FAIL local date %s in %s: got %s, want %s\n", dates[i].at,
                        dates[i].tz, got, dates[i].want);
            }
        }
    }

    /* run-due --now: Z or an offset; a bad date or offset is refused. */
    {
        static const struct {
            const char *text, *want; /* want NULL: refused */
        } nows[] = {
            {"2026-11-21T07:00Z", "2026-11-21T07:00Z"},
            {"2026-11-21T08:00:00+01:00", "2026-11-21T07:00Z"},
            {"2026-11-21T02:00-05", "2026-11-21T07:00Z"},
            {"2026-11-21 07:00Z", "2026-11-21T07:00Z"},
            {"2026-11-21T07:00", NULL},
            {"2026-02-30T07:00Z", NULL},
            {"2026-11-21T24:00Z", NULL},
            {"2026-11-21T07:00+1", NULL},
            {"2026-11-21T07:00Zjunk", NULL},
            {"tomorrow", NULL},
        };
        for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
            time_t t = 0;
            bool ok = rundue_parse_now(nows[i].text, &t);
            checks++;
            if (ok != (nows[i].want != NULL) || (ok && t != utc(nows[i].want))) {
                char b[32];
                failures++;
                fprintf(stderr, "FAIL --now \"%s\": got %s\n", nows[i].text,
                        ok ? show(t, b, sizeof b) : "refused");
            }
        }
    }

    /* The caller's TZ is left as it was. */
    setenv("TZ", "America/New_York", 1);
    tzset();
    {
        struct schedule s = parse_ok("@daily");
        time_t n;
        schedule_next(&s, B, 0, &n);
        const char *tz = getenv("TZ");
        checks++;
        if (!tz || strcmp(tz, "America/New_York") != 0) {
            failures++;
            fprintf(stderr, "FAIL TZ not restored: %s\n", tz ? tz : "(unset)");
        }
    }

    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
