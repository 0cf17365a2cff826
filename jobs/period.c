#include "period.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool period_valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

enum vr_status period_resolve(struct db *db, const struct job_config *job, const char *as_of_date,
                              struct period *out, struct vr_error *err)
{
    /* $1 as-of date or NULL, $2 rule, $3 trailing days, $4 lookback months.
     * The session TimeZone is the job's, so ::timestamptz, date_trunc and
     * interval arithmetic below are all local-calendar operations. */
    static const char sql[] =
        "WITH a AS (SELECT coalesce($1::date, current_date)::timestamptz AS a),"
        " p AS (SELECT a,"
        "  CASE $2 WHEN 'previous_month' THEN date_trunc('month', a)"
        "          WHEN 'previous_week' THEN date_trunc('week', a)"
        "          ELSE a END AS e FROM a),"
        " q AS (SELECT a, e,"
        "  CASE $2 WHEN 'previous_month' THEN e - interval '1 month'"
        "          WHEN 'month_to_date' THEN date_trunc('month', a - interval '1 day')"
        "          WHEN 'previous_week' THEN e - interval '7 days'"
        "          ELSE a - $3::int * interval '1 day' END AS s FROM p)"
        " SELECT to_char(a, 'YYYY-MM-DD'), a, s, e,"
        "  CASE $2 WHEN 'previous_month' THEN s - interval '1 month'"
        "          WHEN 'month_to_date' THEN s - interval '1 month'"
        "          WHEN 'previous_week' THEN s - interval '7 days'"
        "          ELSE s - $3::int * interval '1 day' END,"
        "  CASE WHEN $2 IN ('previous_month', 'month_to_date') THEN e - interval '1 month'"
        "       ELSE s END,"
        "  to_char(s, 'YYYY-MM-DD'), to_char(e - interval '1 day', 'YYYY-MM-DD'),"
        "  e - interval '12 months', e - $4::int * interval '1 month', a > now()"
        " FROM q";
    char days[16], months[16];
    snprintf(days, sizeof(days), "%d", job->trailing_days);
    snprintf(months, sizeof(months), "%d", job->segment_lookback_months);
    const char *p[] = {as_of_date, period_rule_name(job->period), days, months};
    PGresult *r = db_query(db, "could not resolve the report period", sql, 4, p, err);
    if (!r)
        return err->status;
    copy(out->as_of_date, sizeof(out->as_of_date), db_text(r, 0, 0));
    copy(out->as_of, sizeof(out->as_of), db_text(r, 0, 1));
    copy(out->start, sizeof(out->start), db_text(r, 0, 2));
    copy(out->end, sizeof(out->end), db_text(r, 0, 3));
    copy(out->prior_start, sizeof(out->prior_start), db_text(r, 0, 4));
    copy(out->prior_end, sizeof(out->prior_end), db_text(r, 0, 5));
    copy(out->first_day, sizeof(out->first_day), db_text(r, 0, 6));
    copy(out->last_day, sizeof(out->last_day), db_text(r, 0, 7));
    copy(out->window_start, sizeof(out->window_start), db_text(r, 0, 8));
    copy(out->lookback_start, sizeof(out->lookback_start), db_text(r, 0, 9));
    out->as_of_in_future = !strcmp(db_text(r, 0, 10), "t");
    PQclear(r);
    return VR_OK;
}
