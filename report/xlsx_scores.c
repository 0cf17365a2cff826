/* The sheets of the survey scores: Scores (NPS, CSAT and CES overall and
 * by touchpoint, channel and segment, with their marks) and Correlation
 * (monthly NPS against each business metric, lags 0..6). */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"
#include "jobs/model/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    SC_DIM,
    SC_GROUP,
    SC_NPS,
    SC_MOE,
    SC_N,
    SC_PROM,
    SC_PASS,
    SC_DETR,
    SC_CSAT,
    SC_CES,
    SC_DELTA,
    SC_FLAGS,
    SC_NCOLS
};

static void score_row(struct xw *x, struct sheet *s, lxw_row_t r, const char *dim_label,
                      const char *group, const char *dims)
{
    const struct kpi *nps = K(x, "nps", dims), *moe = K(x, "nps_moe", dims),
                     *nn = K(x, "nps_n", dims), *csat = K(x, "csat", dims),
                     *ces = K(x, "ces", dims), *delta = K(x, "nps_delta", dims);
    bool have_n = false;
    double n = 0;
    if (has(nn)) {
        have_n = true;
        n = nn->value;
    } else if (nps && nps->n >= 0) {
        have_n = true;
        n = (double)nps->n;
    }
    bool row_low = low(nps) || (have_n && n < x->m->min_sample);
    unsigned st = row_low ? S_LOW : 0;

    put_cell_text(s, r, SC_DIM, dim_label, st);
    put_cell_text(s, r, SC_GROUP, group, st);
    put_kpi(s, r, SC_NPS, nps, st | light_style(nps_light(x->m, nps)));
    put_kpi(s, r, SC_MOE, moe, st | (low(moe) ? S_LOW : 0));
    if (have_n)
        put_num(s, r, SC_N, n, K_INT, st);
    else
        put_missing(s, r, SC_N, nps);
    put_kpi(s, r, SC_PROM, K(x, "promoters", dims), st);
    put_kpi(s, r, SC_PASS, K(x, "passives", dims), st);
    put_kpi(s, r, SC_DETR, K(x, "detractors", dims), st);
    put_kpi(s, r, SC_CSAT, csat, st | (low(csat) ? S_LOW : 0));
    put_kpi(s, r, SC_CES, ces, st | (low(ces) ? S_LOW : 0));
    bool is_sig = sig(delta) && has(delta);
    put_kpi_as(s, r, SC_DELTA, delta, is_sig ? K_DELTA_SIG : K_DELTA,
               st | (low(delta) ? S_LOW : 0) | (is_sig ? S_BOLD : 0));

    struct strbuf flags;
    strbuf_init(&flags);
    if (row_low || low(moe) || low(csat) || low(ces) || low(delta)) {
        char *m = texts_format(x->t, "mark.low_sample", "min", x->min_text, (char *)NULL);
        strbuf_adds(&flags, m);
        free(m);
    }
    if (is_sig) {
        if (flags.len)
            strbuf_adds(&flags, "; ");
        strbuf_adds(&flags, T(x, "mark.significant"));
    }
    put_cell_text(s, r, SC_FLAGS, flags.buf, st);
    strbuf_release(&flags);
}

/* The touchpoints in journey order (journey.nps: [journey] first, then
 * the others as kpi_journey lists them), then any other with an NPS. */
static const char **touchpoints(const struct model *m, size_t *n)
{
    size_t nj = 0, na = 0;
    const char **j = model_dim_values(m, "journey.nps", "touchpoint", &nj);
    const char **all = model_dim_values(m, "nps", "touchpoint", &na);
    const char **out = xcalloc(nj + na + 1, sizeof(*out));
    *n = 0;
    for (size_t k = 0; k < nj; k++)
        for (size_t i = 0; i < na; i++)
            if (!strcmp(j[k], all[i])) {
                out[(*n)++] = all[i];
                break;
            }
    for (size_t i = 0; i < na; i++) {
        bool seen = false;
        for (size_t k = 0; k < *n && !seen; k++)
            seen = !strcmp(out[k], all[i]);
        if (!seen)
            out[(*n)++] = all[i];
    }
    free(j);
    free(all);
    return out;
}

void sheet_scores(struct xw *x)
{
    struct sheet *s = &x->sh[SH_SCORES];
    put_free(s, 0, 0, T(x, "scores.title"), x->title);
    /* prior_start is a timestamp: its date part reads better. */
    char prior[11];
    snprintf(prior, sizeof(prior), "%s", nz(x->m->prior_start));
    char *sub =
        texts_format(x->t, x->m->prior_start ? "scores.subtitle" : "scores.subtitle_no_prior",
                     "first", nz(x->m->period_first_day), "last", nz(x->m->period_last_day),
                     "prior", prior, (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    const lxw_row_t hdr = 3;
    static const char *const cols[SC_NCOLS] = {
        "scores.dimension", "scores.group",     "scores.nps",      "scores.moe",
        "scores.n",         "scores.promoters", "scores.passives", "scores.detractors",
        "scores.csat",      "scores.ces",       "scores.delta",    "scores.flags"};
    for (int c = 0; c < SC_NCOLS; c++)
        put_hdr(s, hdr, (lxw_col_t)c, T(x, cols[c]), c >= SC_NPS && c <= SC_DELTA);

    lxw_row_t r = hdr + 1;
    score_row(x, s, r++, T(x, "dims.overall"), "", "");
    static const char *const keys[3] = {"touchpoint", "channel", "segment"};
    for (int k = 0; k < 3; k++) {
        size_t n = 0;
        const char **vals =
            k == 0 ? touchpoints(x->m, &n) : model_dim_values(x->m, "nps", keys[k], &n);
        char dkey[32];
        snprintf(dkey, sizeof(dkey), "dims.%s", keys[k]);
        for (size_t i = 0; i < n; i++) {
            char *dims = xstrfmt("%s=%s", keys[k], vals[i]);
            char *shown = texts_dim_label(x->t, x->m, keys[k], vals[i]);
            score_row(x, s, r++, T(x, dkey), shown, dims);
            free(shown);
            free(dims);
        }
        free(vals);
    }
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, SC_NCOLS - 1));

    r++;
    const char *green = model_param(x->m, "nps_green"), *amber = model_param(x->m, "nps_amber");
    char *l1 = texts_format(x->t, "scores.legend_low", "min", x->min_text, (char *)NULL);
    char *l3 = texts_format(x->t, "scores.legend_lights", "green", green ? green : "30", "amber",
                            amber ? amber : "0", (char *)NULL);
    put_para(s, r++, 0, SC_NCOLS - 1, l1, x->note);
    put_para(s, r++, 0, SC_NCOLS - 1, T(x, "scores.legend_sig"), x->note);
    put_para(s, r++, 0, SC_NCOLS - 1, l3, x->note);
    free(l1);
    free(l3);

    worksheet_freeze_panes(s->ws, hdr + 1, 2);
    page_setup(s, true);
    finish_sheet(s);
}

/* ------------------------------------------------------------------ */
/* Correlation: monthly NPS against each business metric, lags 0..6   */

#define CORR_MAX_LAG_SHOWN 6

/* The r and pairs of a metric at a lag; NULL when not reported. */
static const struct kpi *corr_kpi(const struct xw *x, const char *code, int lag, const char *metric)
{
    char dims[400];
    snprintf(dims, sizeof(dims), "lag=%d;metric=%s", lag, metric);
    return K(x, code, dims);
}

void sheet_corr(struct xw *x)
{
    struct sheet *s = &x->sh[SH_CORR];
    struct names metrics = {0};
    dim_names(x->m, "corr.best_lag", "metric", &metrics);
    if (metrics.n == 0) {
        names_release(&metrics);
        sheet_empty(s, "corr.title", "corr.none");
        return;
    }
    qsort(metrics.v, metrics.n, sizeof(*metrics.v), cmp_str);

    /* The strongest: the metric whose best lag has the largest abs(r). */
    const char *top = NULL;
    int top_lag = -1;
    double top_abs = -1;
    for (size_t i = 0; i < metrics.n; i++) {
        char dims[400];
        snprintf(dims, sizeof(dims), "metric=%s", metrics.v[i]);
        const struct kpi *b = K(x, "corr.best_lag", dims);
        const struct kpi *r = has(b) ? corr_kpi(x, "corr.r", (int)b->value, metrics.v[i]) : NULL;
        if (has(r) && fabs(r->value) > top_abs) {
            top = metrics.v[i];
            top_lag = (int)b->value;
            top_abs = fabs(r->value);
        }
    }

    put_free(s, 0, 0, T(x, "corr.title"), x->title);
    const char *months = model_param(x->m, "correlation_months");
    char *sub = texts_format(x->t, "corr.subtitle", "months", months ? months : "?", "last",
                             nz(x->m->period_last_day), (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    lxw_row_t r = 3;
    char *label = top ? texts_dim_label(x->t, x->m, "metric", top) : NULL;
    if (top) {
        const struct kpi *kr = corr_kpi(x, "corr.r", top_lag, top);
        const struct kpi *ks = corr_kpi(x, "corr.slope", top_lag, top);
        if (has(ks)) {
            char *lower = label_in_sentence(label);
            char lag[16];
            snprintf(lag, sizeof(lag), "%d", top_lag);
            char *when = top_lag == 0 ? xstrdup(T(x, "corr.same_month"))
                         : top_lag == 1
                             ? xstrdup(T(x, "corr.one_month"))
                             : texts_format(x->t, "corr.months_later", "lag", lag, (char *)NULL);
            char *slope = fmt_slope(x->t, ks->value);
            char *rv = fmt_number(x->t, kr->value, 2);
            char *n = fmt_count(x->t, kr->n);
            char *line = texts_format(x->t, "corr.sentence", "when", when, "slope", slope, "metric",
                                      lower, "r", rv, "n", n, (char *)NULL);
            put_para(s, r++, 0, 4, line, x->para);
            free(line);
            free(lower);
            free(when);
            free(slope);
            free(rv);
            free(n);
        }
    }
    put_para(s, r++, 0, 4, T(x, "corr.caution"), x->note);
    r++;

    /* The chart of the strongest pair goes here; its data at the bottom. */
    lxw_row_t chart_row = top ? r : 0;
    if (top)
        r += CHART_ROWS;

    for (size_t i = 0; i < metrics.n; i++) {
        char dims[400];
        snprintf(dims, sizeof(dims), "metric=%s", metrics.v[i]);
        const struct kpi *b = K(x, "corr.best_lag", dims);
        char *ml = texts_dim_label(x->t, x->m, "metric", metrics.v[i]);
        put_free(s, r++, 0, ml, x->section);
        free(ml);
        lxw_row_t hh = r++;
        put_hdr(s, hh, 0, T(x, "corr.lag"), true);
        put_hdr(s, hh, 1, T(x, "corr.n"), true);
        put_hdr(s, hh, 2, T(x, "corr.r"), true);
        put_hdr(s, hh, 3, T(x, "corr.slope"), true);
        put_hdr(s, hh, 4, "", false);
        for (int lag = 0; lag <= CORR_MAX_LAG_SHOWN; lag++) {
            const struct kpi *kn = corr_kpi(x, "corr.n", lag, metrics.v[i]);
            if (!kn)
                continue;
            bool best = has(b) && (int)b->value == lag;
            unsigned st = best ? S_BOLD | S_GREEN : 0;
            put_num(s, r, 0, lag, K_INT, st);
            put_kpi(s, r, 1, kn, st);
            put_kpi(s, r, 2, corr_kpi(x, "corr.r", lag, metrics.v[i]), st);
            put_kpi(s, r, 3, corr_kpi(x, "corr.slope", lag, metrics.v[i]), st);
            if (best)
                put_cell_text(s, r, 4, T(x, "corr.best"), st);
            r++;
        }
        r++;
    }
    put_para(s, r++, 0, 4, T(x, "corr.legend"), x->note);

    if (top) {
        /* Chart data: the months the best lag paired (NPS month m, the
         * metric at m + lag), plain values. */
        r++;
        put_free(s, r++, 0, T(x, "corr.chart_data"), x->section);
        lxw_row_t hh = r++;
        put_hdr(s, hh, 0, T(x, "corr.month"), false);
        put_hdr(s, hh, 1, T(x, "corr.nps"), true);
        put_hdr(s, hh, 2, T(x, "corr.metric_month"), false);
        put_hdr(s, hh, 3, label, true);
        lxw_row_t first = r;
        for (size_t i = 0; i < x->m->n_corr_pairs; i++) {
            const struct corr_pair *p = &x->m->corr_pairs[i];
            if (strcmp(p->metric, top))
                continue;
            put_date(s, r, 0, p->nps_month, K_MONTH, S_LEFT);
            put_num(s, r, 1, p->nps, figure_kind("corr.nps_month", p->nps), 0);
            put_date(s, r, 2, p->metric_month, K_MONTH, S_LEFT);
            put_num(s, r, 3, p->value, figure_kind("corr.metric_month", p->value), 0);
            r++;
        }
        lxw_row_t last = r - 1;
        lxw_chart *ch = last >= first ? workbook_add_chart(x->wb, LXW_CHART_SCATTER) : NULL;
        if (ch) {
            char range[LXW_MAX_CELL_RANGE_LENGTH];
            lxw_rowcol_to_range_abs(range, first, 1, last, 1);
            char *xs = xstrfmt("=%s!%s", s->ref, range);
            lxw_rowcol_to_range_abs(range, first, 3, last, 3);
            char *ys = xstrfmt("=%s!%s", s->ref, range);
            lxw_chart_series *ser = chart_add_series(ch, xs, ys);
            free(xs);
            free(ys);
            if (ser) {
                chart_series_set_name(ser, xw_str(x, label));
                chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
                chart_series_set_marker_size(ser, 6);
                lxw_chart_fill mf = {.color = 0x1F4E78};
                chart_series_set_marker_fill(ser, &mf);
                lxw_chart_line ml = {.color = 0x1F4E78};
                chart_series_set_marker_line(ser, &ml);
                lxw_chart_line trend = {.color = 0xC62828, .dash_type = LXW_CHART_LINE_DASH_DASH};
                chart_series_set_trendline(ser, LXW_CHART_TRENDLINE_TYPE_LINEAR, 0);
                chart_series_set_trendline_line(ser, &trend);
            } else {
                chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
            }
            char lag[16];
            snprintf(lag, sizeof(lag), "%d", top_lag);
            char *title =
                texts_format(x->t, "corr.chart_title", "metric", label, "lag", lag, (char *)NULL);
            chart_title_set_name(ch, xw_str(x, title));
            lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
            chart_title_set_name_font(ch, &title_font);
            chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
            chart_axis_set_name(ch->x_axis, xw_str(x, T(x, "corr.nps")));
            char *yname =
                texts_format(x->t, "corr.axis_metric", "metric", label, "lag", lag, (char *)NULL);
            chart_axis_set_name(ch->y_axis, xw_str(x, yname));
            lxw_chart_options opt = {.x_offset = 0,
                                     .y_offset = 4,
                                     .x_scale = 1.25,
                                     .y_scale = (CHART_ROWS * 20.0 - 12.0) / 288.0,
                                     .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
            chk_cell(s, chart_row, 0, worksheet_insert_chart_opt(s->ws, chart_row, 0, ch, &opt));
            free(title);
            free(yname);
        } else if (last >= first) {
            chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        }
    }
    free(label);
    names_release(&metrics);
    worksheet_freeze_panes(s->ws, 1, 0);
    page_setup(s, false);
    finish_sheet(s);
}
