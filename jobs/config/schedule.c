/* Cron expressions and their fire times; the rules are in schedule.h.
 *
 * The search walks local calendar days (pure civil-date arithmetic, no time
 * zone needed), and for each matching day the matching wall-clock times in
 * ascending order.  Each wall time is turned into its UTC instants with
 * localtime_r only (never mktime, whose handling of repeated and skipped
 * times with tm_isdst = -1 is unspecified): an instant t shows wall time w
 * when t + utc_offset(t) == w. */
#include "schedule.h"
#include "jobs/base/strbuf.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HOUR 3600
#define DAY 86400
/* UTC offsets lie within [-12h, +14h]; instants showing wall time w lie
 * within [w - 14h, w + 12h]; a little margin either side. */
#define SPAN_BEFORE (15 * HOUR)
#define SPAN_AFTER (13 * HOUR)
/* Largest UTC offset change we handle (see schedule.h). */
#define MAX_SHIFT (3 * HOUR)
#define SEARCH_DAYS (5 * 366)

/* ---- parsing ---------------------------------------------------------- */

struct field_def {
    const char *name;
    int min, max;
    const char *const *names; /* 3-letter names for min.., or NULL */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const struct field_def fields[5] = {
    {"minute", 0, 59, NULL},
    {"hour", 0, 23, NULL},
    {"day of month", 1, 31, NULL},
    {"month", 1, 12, month_names},
    {"day of week", 0, 7, day_names},
};

static const struct {
    const char *name;
    const char *expr;
} macros[] = {
    {"@hourly", "0 * * * *"},   {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@weekly", "0 0 * * 0"},   {"@monthly", "0 0 1 * *"},  {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
};

/* Reads a number or (where the field allows) a name at *p.  Returns false
 * with an error when there is neither. */
static bool parse_value(const char **p, int idx, const char *item, size_t item_len, long *out,
                        struct vr_error *err)
{
    const struct field_def *f = &fields[idx];
    const char *s = *p;
    if (isdigit((unsigned char)*s)) {
        long v = 0;
        while (isdigit((unsigned char)*s)) {
            if (v < 100000)
                v = v * 10 + (*s - '0');
            s++;
        }
        *p = s;
        *out = v;
        return true;
    }
    if (f->names && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
        isalpha((unsigned char)s[2]) && !isalpha((unsigned char)s[3])) {
        for (int i = 0; f->names[i]; i++) {
            if (strncasecmp(s, f->names[i], 3) == 0) {
                *p = s + 3;
                *out = f->min + i;
                return true;
            }
        }
        vr_fail(err, VR_ERR_CONFIG, "field %d (%s): \"%.3s\" is not a %s name (%s..%s)", idx + 1,
                f->name, s, idx == 3 ? "month" : "weekday", f->names[0],
                idx == 3 ? "dec" : "sat");
        return false;
    }
    if (*s == '\0' || *s == ',')
        vr_fail(err, VR_ERR_CONFIG, "field %d (%s): empty item in \"%.*s\"", idx + 1, f->name,
                (int)item_len, item);
    else
        vr_fail(err, VR_ERR_CONFIG, "field %d (%s): unexpected \"%c\" in \"%.*s\"%s", idx + 1,
                f->name, *s, (int)item_len, item,
                f->names ? "" : " (expected a number, *, a-b or a step /n)");
    return false;
}

static bool check_range(long v, int idx, struct vr_error *err)
{
    const struct field_def *f = &fields[idx];
    if (v < f->min || v > f->max) {
        vr_fail(err, VR_ERR_CONFIG, "field %d (%s): %ld is out of range %d-%d", idx + 1, f->name,
                v, f->min, f->max);
        return false;
    }
    return true;
}

/* Parses one whole field (a comma list) into a bit mask. */
static bool parse_field(const char *text, size_t len, int idx, uint64_t *bits, bool *star,
                        struct vr_error *err)
{
    const struct field_def *f = &fields[idx];
    char buf[128];
    if (len >= sizeof(buf)) {
        vr_fail(err, VR_ERR_CONFIG, "field %d (%s): too long (%zu characters)", idx + 1, f->name,
                len);
        return false;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    *bits = 0;
    *star = buf[0] == '*';

    const char *p = buf;
    for (;;) {
        const char *item = p;
        size_t item_len = strcspn(item, ",");
        long lo, hi, step = 1;
        bool ranged;
        if (*p == '*') {
            p++;
            lo = f->min;
            hi = f->max;
            ranged = true;
        } else {
            if (!parse_value(&p, idx, item, item_len, &lo, err) || !check_range(lo, idx, err))
                return false;
            hi = lo;
            ranged = false;
            if (*p == '-') {
                p++;
                if (!parse_value(&p, idx, item, item_len, &hi, err) || !check_range(hi, idx, err))
                    return false;
                if (hi < lo) {
                    vr_fail(err, VR_ERR_CONFIG, "field %d (%s): range \"%.*s\" goes backwards",
                            idx + 1, f->name, (int)item_len, item);
                    return false;
                }
                ranged = true;
            }
        }
        if (*p == '/') {
            p++;
            if (!ranged) {
                vr_fail(err, VR_ERR_CONFIG,
                        "field %d (%s): step in \"%.*s\" needs * or a range a-b before it",
                        idx + 1, f->name, (int)item_len, item);
                return false;
            }
            if (!isdigit((unsigned char)*p)) {
                vr_fail(err, VR_ERR_CONFIG, "field %d (%s): \"%.*s\" has no number after /",
                        idx + 1, f->name, (int)item_len, item);
                return false;
            }
            step = 0;
            while (isdigit((unsigned char)*p)) {
                if (step < 100000)
                    step = step * 10 + (*p - '0');
                p++;
            }
            if (step < 1 || step > f->max) {
                vr_fail(err, VR_ERR_CONFIG, "field %d (%s): step %ld is out of range 1-%d",
                        idx + 1, f->name, step, f->max);
                return false;
            }
        }
        if (*p != ',' && *p != '\0') {
            vr_fail(err, VR_ERR_CONFIG, "field %d (%s): unexpected \"%c\" in \"%.*s\"", idx + 1,
                    f->name, *p, (int)item_len, item);
            return false;
        }
        for (long v = lo; v <= hi; v += step)
            *bits |= (uint64_t)1 << (idx == 4 && v == 7 ? 0 : v);
        if (*p == '\0')
            break;
        p++; /* ',' */
        if (*p == '\0' || *p == ',') {
            vr_fail(err, VR_ERR_CONFIG, "field %d (%s): empty item in \"%s\"", idx + 1, f->name,
                    buf);
            return false;
        }
    }
    return true;
}

enum vr_status schedule_parse(struct schedule *out, const char *expr, struct vr_error *err)
{
    memset(out, 0, sizeof(*out));
    while (isspace((unsigned char)*expr))
        expr++;
    if (*expr == '\0')
        return vr_fail(err, VR_ERR_CONFIG, "empty cron expression");
    if (*expr == '@') {
        size_t n = strcspn(expr, " \t\r\n");
        const char *rest = expr + n;
        while (isspace((unsigned char)*rest))
            rest++;
        for (size_t i = 0; i < sizeof(macros) / sizeof(macros[0]); i++) {
            if (strlen(macros[i].name) == n && strncasecmp(expr, macros[i].name, n) == 0) {
                if (*rest)
                    return vr_fail(err, VR_ERR_CONFIG, "unexpected \"%s\" after %s", rest,
                                   macros[i].name);
                return schedule_parse(out, macros[i].expr, err);
            }
        }
        return vr_fail(err, VR_ERR_CONFIG,
                       "unknown macro \"%.*s\" (known: @hourly @daily @weekly @monthly @yearly)",
                       (int)n, expr);
    }

    const char *start[6];
    size_t len[6];
    int count = 0;
    const char *p = expr;
    while (*p) {
        size_t n = strcspn(p, " \t\r\n");
        if (count < 6) {
            start[count] = p;
            len[count] = n;
        }
        count++;
        p += n;
        while (isspace((unsigned char)*p))
            p++;
    }
    if (count != 5)
        return vr_fail(err, VR_ERR_CONFIG,
                       "expected 5 fields (minute hour day-of-month month day-of-week), found %d",
                       count);

    uint64_t bits[5];
    bool star[5];
    for (int i = 0; i < 5; i++)
        if (!parse_field(start[i], len[i], i, &bits[i], &star[i], err))
            return VR_ERR_CONFIG;
    out->minutes = bits[0];
    out->hours = (uint32_t)bits[1];
    out->days = (uint32_t)bits[2];
    out->months = (uint16_t)bits[3];
    out->weekdays = (uint8_t)bits[4];
    out->dom_star = star[2];
    out->dow_star = star[4];
    out->wildcard = star[0] || star[1];
    return VR_OK;
}

/* ---- civil dates (proleptic Gregorian, H. Hinnant's algorithms) ------- */

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static long long floor_div(long long a, long long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool day_matches(const struct schedule *s, long long day)
{
    long long y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    if (!(s->months & (1u << m)))
        return false;
    int wd = (int)(((day % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    bool dom = s->days & (1u << d);
    bool dow = s->weekdays & (1u << wd);
    if (s->dom_star || s->dow_star)
        return dom && dow;
    return dom || dow;
}

/* ---- wall time <-> UTC, with TZ already set ---------------------------- */

static long long utc_offset(long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return tm.tm_gmtoff;
}

/* The instants showing wall time w (seconds since the epoch, as if UTC),
 * ascending; 0 when w falls in a gap, 2 when it is repeated. */
static int wall_instants(long long w, long long out[4])
{
    static const long long probes[] = {-SPAN_BEFORE, -7 * HOUR, 0, 6 * HOUR, SPAN_AFTER};
    long long offs[5];
    int noffs = 0, n = 0;
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        long long o = utc_offset(w + probes[i]);
        bool seen = false;
        for (int j = 0; j < noffs; j++)
            seen |= offs[j] == o;
        if (!seen)
            offs[noffs++] = o;
    }
    for (int i = 0; i < noffs && n < 4; i++) {
        long long t = w - offs[i];
        if (utc_offset(t) == offs[i])
            out[n++] = t;
    }
    for (int i = 1; i < n; i++) /* insertion sort, n <= 4 */
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            long long tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return n;
}

/* The first instant whose wall time is later than w (w in a gap). */
static long long after_gap(long long w)
{
    long long lo = w - SPAN_BEFORE, hi = w + SPAN_AFTER;
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        if (mid + utc_offset(mid) > w)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* schedule_next with TZ set.  The first instant of each wall time never
 * decreases as the wall time grows, so the search stops at the first wall
 * time whose first instant is not before the best candidate so far. */
static bool next_locked(const struct schedule *s, time_t after, time_t *next)
{
    long long a = (long long)after;
    long long wall_after = a + utc_offset(a);
    long long first_day = floor_div(wall_after - MAX_SHIFT, DAY);
    long long best = 0;
    bool found = false;

    for (long long day = first_day; day <= first_day + SEARCH_DAYS; day++) {
        if (!day_matches(s, day))
            continue;
        for (int h = 0; h < 24; h++) {
            if (!(s->hours & (1u << h)))
                continue;
            for (int m = 0; m < 60; m++) {
                if (!(s->minutes & ((uint64_t)1 << m)))
                    continue;
                long long w = day * DAY + h * HOUR + m * 60;
                if (w <= wall_after - MAX_SHIFT)
                    continue; /* every instant showing w is before `after` */
                long long inst[4];
                int n = wall_instants(w, inst);
                if (n == 0) {
                    if (s->wildcard)
                        continue;
                    inst[0] = after_gap(w);
                    n = 1;
                } else if (!s->wildcard) {
                    n = 1; /* a repeated time fires at its first occurrence */
                }
                if (found && inst[0] >= best)
                    goto done;
                for (int i = 0; i < n; i++)
                    if (inst[i] > a && (!found || inst[i] < best)) {
                        best = inst[i];
                        found = true;
                    }
            }
        }
        if (found)
            break; /* every later day's times come later */
    }
done:
    if (found)
        *next = (time_t)best;
    return found;
}

/* ---- time zone switching ---------------------------------------------- */

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

bool schedule_time_zone_valid(const char *name)
{
    if (!name || !*name || name[0] == '/' || strlen(name) > 200)
        return false;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("/_+-.", *c))
            return false;
    if (strstr(name, "..") != NULL)
        return false;
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[512];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return false;
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Takes the lock and sets TZ; *saved gets the previous value (or NULL). */
static bool tz_enter(const char *zone, char **saved)
{
    if (!schedule_time_zone_valid(zone))
        return false;
    pthread_mutex_lock(&tz_lock);
    const char *old = getenv("TZ");
    *saved = old ? xstrdup(old) : NULL;
    char *value = xstrfmt(":%s", zone); /* ':' = always a tz database file */
    setenv("TZ", value, 1);
    free(value);
    tzset();
    return true;
}

static void tz_leave(char *saved)
{
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
    pthread_mutex_unlock(&tz_lock);
}

bool schedule_next(const struct schedule *s, const char *time_zone, time_t after, time_t *next)
{
    char *saved;
    if (!tz_enter(time_zone, &saved))
        return false;
    bool ok = next_locked(s, after, next);
    tz_leave(saved);
    return ok;
}

size_t schedule_due(const struct schedule *s, const char *time_zone, time_t last_run, time_t now,
                    bool catch_up_all, time_t *out, size_t max)
{
    char *saved;
    size_t count = 0;
    if (max == 0 || !tz_enter(time_zone, &saved))
        return 0;
    time_t t = last_run, n;
    while (next_locked(s, t, &n) && n <= now) {
        if (catch_up_all) {
            out[count++] = n;
            if (count == max)
                break;
        } else {
            out[0] = n;
            count = 1;
        }
        t = n;
    }
    tz_leave(saved);
    return count;
}

bool schedule_local_date(const char *time_zone, time_t t, char out[11])
{
    char *saved;
    struct tm tm;
    if (!tz_enter(time_zone, &saved))
        return false;
    bool ok = localtime_r(&t, &tm) != NULL;
    tz_leave(saved);
    /* strftime rather than snprintf: the compiler cannot prove an int year
     * fits 4 digits, and years past 9999 are no fire times of ours. */
    return ok && strftime(out, 11, "%Y-%m-%d", &tm) == 10;
}
