#include "kpi_corr.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    const struct sql_arg *args = SQL_ARGS({"as_of", p->end}, {"months", months});
    PGresult *r = db_query_file(db, "could not compute the monthly NPS series",
                                "compute/corr_nps.sql", args, err);
    if (!r)
        return err->status;
    size_t n_nps = 0;
    struct month_value *nps = xcalloc((size_t)PQntuples(r) + 1, sizeof(*nps));
    for (int i = 0; i < PQntuples(r); i++) {
        long long scored = db_get_ll(r, i, "scored");
        struct maybe v =
            nps_score(db_get_ll(r, i, "promoters"), db_get_ll(r, i, "detractors"), scored);
        if (!v.ok)
            continue;
        const char *month = db_get_text(r, i, "month");
        char dims[64];
        snprintf(dims, sizeof(dims), "month=%s", month);
        model_add(m, "corr.nps_month", dims, true, v.v, scored, NULL);
        nps[n_nps] = (struct month_value){(int)db_get_ll(r, i, "idx"), v.v, ""};
        snprintf(nps[n_nps].month, sizeof(nps[n_nps].month), "%s", month);
        n_nps++;
    }
    PQclear(r);

    r = db_query_file(db, "could not read the business metrics", "compute/corr_metrics.sql", args,
                      err);
    if (!r) {
        free(nps);
        return err->status;
    }
    int rows = PQntuples(r);
    struct month_value *met = xcalloc((size_t)rows + 1, sizeof(*met));
    for (int i = 0; i < rows;) {
        const char *metric = db_get_text(r, i, "metric");
        size_t n_met = 0;
        int j = i;
        for (; j < rows && !strcmp(db_get_text(r, j, "metric"), metric); j++) {
            bool has;
            double v = db_get_double(r, j, "value", &has);
            if (!has || !isfinite(v))
                continue;
            const char *month = db_get_text(r, j, "month");
            char dims[512];
            snprintf(dims, sizeof(dims), "metric=%s;month=%s", metric, month);
            model_add(m, "corr.metric_month", dims, true, v, -1, NULL);
            met[n_met] = (struct month_value){(int)db_get_ll(r, j, "idx"), v, ""};
            snprintf(met[n_met].month, sizeof(met[n_met].month), "%s", month);
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
