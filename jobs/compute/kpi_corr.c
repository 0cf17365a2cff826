#include "kpi_corr.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The window [lo, hi): hi = first local moment of T's month (T itself when
 * T is a month start), lo = hi - correlation_months.  A month index is
 * year * 12 + month - 1, so "month m + lag" is index + lag. */
#define WINDOW_HI "date_trunc('month', $1::timestamptz)"
#define WINDOW_LO "(" WINDOW_HI " - $2::int * interval '1 month')"

/* $1 T, $2 months.  Monthly NPS counts of clean responses with a score;
 * a month without one has no row (left out, not zero). */
static const char nps_sql[] =
    "SELECT to_char(mo, 'YYYY-MM-DD'), (extract(year FROM mo) * 12 + extract(month FROM mo) - 1)::int,"
    "  count(*), count(*) FILTER (WHERE nps >= 9), count(*) FILTER (WHERE nps <= 6)"
    " FROM (SELECT date_trunc('month', responded_at) AS mo, nps FROM c_survey_responses"
    "  WHERE nps IS NOT NULL AND responded_at >= " WINDOW_LO " AND responded_at < " WINDOW_HI ") r"
    " GROUP BY mo ORDER BY mo";

/* $1 T, $2 months.  Business metrics as finance keeps them (no row rules):
 * one value per metric and month, the mean when a month has several rows;
 * NULL metric names and NULL or non-finite values are left out. */
static const char metric_sql[] =
    "SELECT metric, to_char(mo, 'YYYY-MM-DD'),"
    "  (extract(year FROM mo) * 12 + extract(month FROM mo) - 1)::int, avg(value)"
    " FROM (SELECT metric, date_trunc('month', month)::date AS mo, value FROM src_business_metrics"
    "  WHERE metric IS NOT NULL AND value IS NOT NULL"
    "   AND value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)"
    "   AND month >= " WINDOW_LO "::date AND month < " WINDOW_HI "::date) b"
    " GROUP BY metric, mo ORDER BY metric COLLATE \"C\", mo";

struct corr_fit corr_fit(const double *x, const double *y, size_t n)
{
    struct corr_fit f = {nothing(), nothing()};
    if (n < 2)
        return f;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (sxx > 0)
        f.slope = just(sxy / sxx);
    if (sxx > 0 && syy > 0) {
        double r = sxy / sqrt(sxx * syy);
        f.r = just(r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r));
    }
    return f;
}

struct month_value {
    int idx;
    double v;
    char month[11]; /* its first day, YYYY-MM-DD */
};

/* The value at month index idx, or NULL (series sorted by idx). */
static const struct month_value *at(const struct month_value *s, size_t n, int idx)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s[mid].idx < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && s[lo].idx == idx ? &s[lo] : NULL;
}

/* Every reported lag of one metric, and its best lag. */
static void metric_figures(struct model *m, const char *metric, const struct month_value *nps,
                           size_t n_nps, const struct month_value *met, size_t n_met)
{
    double *x = xcalloc(n_nps ? n_nps : 1, sizeof(*x));
    double *y = xcalloc(n_nps ? n_nps : 1, sizeof(*y));
    int best = -1;
    double best_abs = 0;
    long long best_n = -1;
    bool any = false;
    for (int lag = 0; lag <= CORR_MAX_LAG; lag++) {
        size_t n = 0;
        for (size_t i = 0; i < n_nps; i++) {
            const struct month_value *v = at(met, n_met, nps[i].idx + lag);
            if (v) {
                x[n] = nps[i].v;
                y[n] = v->v;
                n++;
            }
        }
        if (n < CORR_MIN_PAIRS)
            continue;
        any = true;
        struct corr_fit f = corr_fit(x, y, n);
        char dims[512];
        snprintf(dims, sizeof(dims), "lag=%d;metric=%s", lag, metric);
        model_add(m, "corr.r", dims, f.r.ok, f.r.v, (long long)n, NULL);
        model_add(m, "corr.slope", dims, f.slope.ok, f.slope.v, (long long)n, NULL);
        model_add(m, "corr.n", dims, true, (double)n, (long long)n, NULL);
        /* The largest abs(r); ties keep the smaller lag (seen first). */
        if (f.r.ok && (best < 0 || fabs(f.r.v) > best_abs)) {
            best = lag;
            best_abs = fabs(f.r.v);
            best_n = (long long)n;
        }
    }
    if (any) {
        char dims[512];
        snprintf(dims, sizeof(dims), "metric=%s", metric);
        model_add(m, "corr.best_lag", dims, best >= 0, (double)best, best_n, NULL);
    }
    /* The pairs behind the best lag, for a page to show them. */
    for (size_t i = 0; best >= 0 && i < n_nps; i++) {
        const struct month_value *v = at(met, n_met, nps[i].idx + best);
        if (v)
            model_add_corr_pair(m, metric, nps[i].month, v->month, nps[i].v, v->v);
    }
    free(x);
    free(y);
}

enum vr_status kpi_corr(struct db *db, const struct job_config *job, const struct period *p,
                        struct model *m, struct vr_error *err)
{
    char months[16];
    snprintf(months, sizeof(months), "%d", job->correlation_months);
    const char *params[] = {p->end, months};
    PGresult *r = db_query(db, "could not compute the monthly NPS series", nps_sql, 2, params, err);
    if (!r)
        return err->status;
    size_t n_nps = 0;
    struct month_value *nps = xcalloc((size_t)PQntuples(r) + 1, sizeof(*nps));
    for (int i = 0; i < PQntuples(r); i++) {
        long long scored = db_ll(r, i, 2);
        struct maybe v = nps_score(db_ll(r, i, 3), db_ll(r, i, 4), scored);
        if (!v.ok)
            continue;
        char dims[64];
        snprintf(dims, sizeof(dims), "month=%s", db_text(r, i, 0));
        model_add(m, "corr.nps_month", dims, true, v.v, scored, NULL);
        nps[n_nps] = (struct month_value){(int)db_ll(r, i, 1), v.v, ""};
        snprintf(nps[n_nps].month, sizeof(nps[n_nps].month), "%s", db_text(r, i, 0));
        n_nps++;
    }
    PQclear(r);

    r = db_query(db, "could not read the business metrics", metric_sql, 2, params, err);
    if (!r) {
        free(nps);
        return err->status;
    }
    int rows = PQntuples(r);
    struct month_value *met = xcalloc((size_t)rows + 1, sizeof(*met));
    for (int i = 0; i < rows;) {
        const char *metric = db_text(r, i, 0);
        size_t n_met = 0;
        int j = i;
        for (; j < rows && !strcmp(db_text(r, j, 0), metric); j++) {
            bool has;
            double v = db_double(r, j, 3, &has);
            if (!has || !isfinite(v))
                continue;
            char dims[512];
            snprintf(dims, sizeof(dims), "metric=%s;month=%s", metric, db_text(r, j, 1));
            model_add(m, "corr.metric_month", dims, true, v, -1, NULL);
            met[n_met] = (struct month_value){(int)db_ll(r, j, 2), v, ""};
            snprintf(met[n_met].month, sizeof(met[n_met].month), "%s", db_text(r, j, 1));
            n_met++;
        }
        metric_figures(m, metric, nps, n_nps, met, n_met);
        i = j;
    }
    PQclear(r);
    free(met);
    free(nps);
    return VR_OK;
}
