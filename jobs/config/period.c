#include "period.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

static enum vr_status resolve(struct db *db, const struct job_config *job, const char *rule,
                              const char *date, const char *start, struct period *out,
                              struct vr_error *err)
{
    char days[16], months[16];
    snprintf(days, sizeof(days), "%d", job->trailing_days);
    snprintf(months, sizeof(months), "%d", job->segment_lookback_months);
    PGresult *r =
        db_query_file(db, "could not resolve the report period", "extract/period_resolve.sql",
                      SQL_ARGS({"as_of_date", date}, {"rule", rule}, {"trailing_days", days},
                               {"lookback_months", months}, {"start", start}),
                      err);
    if (!r)
        return err->status;
    copy(out->as_of_date, sizeof(out->as_of_date), db_get_text(r, 0, "as_of_date"));
    copy(out->as_of, sizeof(out->as_of), db_get_text(r, 0, "as_of"));
    copy(out->start, sizeof(out->start), db_get_text(r, 0, "period_start"));
    copy(out->end, sizeof(out->end), db_get_text(r, 0, "period_end"));
    copy(out->prior_start, sizeof(out->prior_start), db_get_text(r, 0, "prior_start"));
    copy(out->prior_end, sizeof(out->prior_end), db_get_text(r, 0, "prior_end"));
    copy(out->first_day, sizeof(out->first_day), db_get_text(r, 0, "first_day"));
    copy(out->last_day, sizeof(out->last_day), db_get_text(r, 0, "last_day"));
    copy(out->window_start, sizeof(out->window_start), db_get_text(r, 0, "window_start"));
    copy(out->lookback_start, sizeof(out->lookback_start), db_get_text(r, 0, "lookback_start"));
    out->as_of_in_future = !strcmp(db_get_text(r, 0, "as_of_in_future"), "t");
    copy(out->year_first_day, sizeof(out->year_first_day), db_get_text(r, 0, "year_first_day"));
    PQclear(r);
    copy(out->label, sizeof(out->label), out->as_of_date);
    out->rule = rule;
    out->has_prior = strcmp(rule, "all") != 0;
    out->month_steps = !strcmp(rule, "previous_month") || !strcmp(rule, "month_to_date");
    return VR_OK;
}

/* Every dated source table a period window counts rows of (program_costs
 * for the VoC ROI); a table the source does not have is skipped. */
static const struct {
    const char *table, *column;
} dated[] = {
    {"survey_responses", "responded_at"},
    {"feedback", "received_at"},
    {"cases", "opened_at"},
    {"orders", "ordered_at"},
    {"churn_events", "churned_at"},
    {"customer_events", "occurred_at"},
    {"program_costs", "month"},
};
#define N_DATED (sizeof(dated) / sizeof(dated[0]))

/* period = all starts at the earliest dated row before the as-of
 * (sql/extract/period_all_start.sql says how); each table present is asked
 * on its own, since a query naming an absent one would not plan.  Into
 * start[40]. */
static enum vr_status all_start(struct db *db, const char *as_of_date, char *start,
                                struct vr_error *err)
{
    struct strbuf names, earliest;
    strbuf_init(&names);
    strbuf_init(&earliest);
    enum vr_status st = VR_OK;
    PGresult *have = NULL;
    strbuf_adds(&names, "{");
    for (size_t i = 0; i < N_DATED; i++)
        db_array_add(&names, dated[i].table);
    strbuf_adds(&names, "}");
    have = db_query_file(db, "could not list the source tables", "extract/period_tables.sql",
                         SQL_ARGS({"schema", db->src_name}, {"tables", names.buf}), err);
    if (!have) {
        st = err->status;
        goto cleanup;
    }
    strbuf_adds(&earliest, "{");
    for (size_t i = 0; i < N_DATED; i++)
        for (int row = 0; row < PQntuples(have); row++) {
            if (strcmp(db_get_text(have, row, "present"), dated[i].table))
                continue;
            PGresult *r = db_query_file(
                db, "could not find the earliest source row", "extract/period_earliest.sql",
                SQL_ARGS({"table", dated[i].table}, {"column", dated[i].column},
                         {"as_of_date", as_of_date}),
                err);
            if (!r) {
                st = err->status;
                goto cleanup;
            }
            const char *x = db_get_text(r, 0, "earliest");
            if (x)
                db_array_add(&earliest, x);
            PQclear(r);
        }
    strbuf_adds(&earliest, "}");
    PGresult *r =
        db_query_file(db, "could not find the earliest source row", "extract/period_all_start.sql",
                      SQL_ARGS({"earliest", earliest.buf}, {"as_of_date", as_of_date}), err);
    if (!r) {
        st = err->status;
        goto cleanup;
    }
    copy(start, 40, db_get_text(r, 0, "all_start"));
    PQclear(r);
cleanup:
    PQclear(have);
    strbuf_release(&names);
    strbuf_release(&earliest);
    return st;
}

enum vr_status period_resolve(struct db *db, const struct job_config *job, const char *as_of_date,
                              struct period *out, struct vr_error *err)
{
    const char *rule = period_rule_name(job->period);
    char start[40] = "";
    if (job->period == PERIOD_ALL && all_start(db, as_of_date, start, err) != VR_OK)
        return err->status;
    return resolve(db, job, rule, as_of_date, *start ? start : NULL, out, err);
}

enum vr_status period_resolve_range(struct db *db, const struct job_config *job, const char *from,
                                    const char *to, struct period *out, struct vr_error *err)
{
    if (resolve(db, job, "range", to, from, out, err) != VR_OK)
        return err->status;
    snprintf(out->label, sizeof(out->label), "%s_%s", out->first_day, out->last_day);
    return VR_OK;
}
