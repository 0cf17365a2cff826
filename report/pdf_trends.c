/* The briefing's trend block (pdf_trends.h). */
#include "pdf_trends.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Periods a chart draws at most: the history's twelve with room to spare. */
#define MAX_POINTS 24

/* The margin-of-error band: the accent, faded. */
static const struct rgb BAND = {0.85f, 0.89f, 0.94f};

struct series {
    const char *code;
    const char *title_key;
    const char *band_code;     /* its 95 % margin of error (same dims), or NULL */
    const char *target_metric; /* journey.target's metric=, or NULL: none configured */
    bool percent;              /* a fraction shown as a percentage */
};

static const struct series all_series[] = {
    {"nps", "trends.nps", "nps_moe", "nps", false},
    {"csat", "trends.csat", NULL, "csat", true},
    {"churn_rate", "trends.churn", NULL, NULL, true},
};
#define N_SERIES (sizeof(all_series) / sizeof(all_series[0]))

/* One series read from the model, oldest period first. */
struct points {
    size_t n, n_values;
    bool has[MAX_POINTS], low[MAX_POINTS], has_band[MAX_POINTS];
    double v[MAX_POINTS], band[MAX_POINTS];
    bool has_target;
    double target;
};

static void read_points(const struct pdf *p, const struct series *s, struct points *pt)
{
    const struct model *m = p->m;
    memset(pt, 0, sizeof(*pt));
    pt->n = m->n_periods < MAX_POINTS ? m->n_periods : MAX_POINTS;
    /* The latest periods when there are more than a chart takes. */
    size_t skip = m->n_periods - pt->n;
    for (size_t k = 0; k < pt->n; k++) {
        char *dims = xstrfmt("period=%s", m->periods[skip + k].first_day);
        const struct kpi *f = model_find(m, s->code, dims);
        pt->has[k] = pdf_present(f);
        pt->v[k] = pt->has[k] ? f->value : 0;
        pt->low[k] = kpi_flagged(f, "low_sample");
        pt->n_values += pt->has[k];
        if (s->band_code && pt->has[k]) {
            const struct kpi *b = model_find(m, s->band_code, dims);
            pt->has_band[k] = pdf_present(b);
            pt->band[k] = pt->has_band[k] ? b->value : 0;
        }
        free(dims);
    }
    if (s->target_metric) {
        char *dims = xstrfmt("metric=%s", s->target_metric);
        const struct kpi *t = model_find(m, "journey.target", dims);
        pt->has_target = pdf_present(t);
        pt->target = pt->has_target ? t->value : 0;
        free(dims);
    }
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Periods that are whole calendar months are named by month ("Sep 2026"),
 * others by their first day. */
static bool whole_month(const struct history_period *h)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(h->first_day, "%d-%d-%d", &y1, &m1, &d1) != 3 ||
        sscanf(h->last_day, "%d-%d-%d", &y2, &m2, &d2) != 3 || m1 < 1 || m1 > 12)
        return false;
    return d1 == 1 && y1 == y2 && m1 == m2 && d2 == days[m1 - 1] + (m1 == 2 && leap(y1));
}

static char *period_label(const struct pdf *p, const struct history_period *h, bool months)
{
    return pdf_fmt_date_as(p->t, h->first_day, months ? "date.month_format" : "date.short_format");
}

static char *value_text(const struct pdf *p, const struct series *s, double v, int decimals)
{
    return s->percent ? fmt_percent(p->t, v, decimals) : fmt_number(p->t, v, decimals);
}

/* The y axis: from the lowest to the highest value, band and target, in
 * round steps. */
static void axis(const struct series *s, const struct points *pt, double *lo, double *hi,
                 double *step)
{
    bool any = false;
    for (size_t k = 0; k < pt->n; k++) {
        if (!pt->has[k])
            continue;
        double b = pt->has_band[k] ? pt->band[k] : 0;
        *lo = any ? fmin(*lo, pt->v[k] - b) : pt->v[k] - b;
        *hi = any ? fmax(*hi, pt->v[k] + b) : pt->v[k] + b;
        any = true;
    }
    if (pt->has_target) {
        *lo = fmin(*lo, pt->target);
        *hi = fmax(*hi, pt->target);
    }
    double pad = s->percent ? 0.01 : 1; /* a flat line still gets an axis */
    if (*hi - *lo < pad) {
        *lo -= pad;
        *hi += pad;
    }
    *step = pdf_nice_step(*hi - *lo, 3);
    *lo = floor(*lo / *step + 1e-9) * *step;
    *hi = ceil(*hi / *step - 1e-9) * *step;
}

/* One chart: title with the latest value, axis, band, target, line, dots,
 * the first and last period under it. */
static void chart(struct pdf *p, const struct series *s, double x, double top, double w, double h,
                  bool months)
{
    const struct model *m = p->m;
    struct points pt;
    read_points(p, s, &pt);
    const double left = 30, plot_top = top - 26, plot_bottom = top - h + 16;
    const double px = x + left, pw = w - left - 6, ph = plot_top - plot_bottom;

    pdf_label(p, x, top - 10, 9.5, 7.5, w * 0.6, INK, LEFT, pdf_tx(p, s->title_key));
    size_t last = pt.n ? pt.n - 1 : 0;
    if (pt.n && pt.has[last]) {
        char *latest = s->percent ? fmt_percent(p->t, pt.v[last], 1) : fmt_score(p->t, pt.v[last]);
        pdf_label(p, x + w, top - 10, 10.5, 7.5, w * 0.4, ACCENT, RIGHT, latest);
        free(latest);
    }
    pdf_line(p, px, plot_bottom, px + pw, plot_bottom, 0.8, RULE);
    if (!pt.n_values) {
        /* Why there is nothing to draw: the run's own figure says. */
        char *na = pdf_na(p, model_find(m, s->code, ""));
        struct lines l = {0};
        pdf_wrap(p, na, SIZE_SMALL, pw, &l);
        pdf_clamp_lines(p, &l, 3, SIZE_SMALL, pw);
        for (size_t k = 0; k < l.n; k++)
            pdf_text(p, px + pw / 2, plot_bottom + ph / 2 + 4 - 11 * (double)k, SIZE_SMALL, MUTED,
                     CENTER, l.v[k]);
        pdf_lines_release(&l);
        free(na);
        return;
    }

    double lo = 0, hi = 0, step = 1;
    axis(s, &pt, &lo, &hi, &step);
    int dec = s->percent ? (step * 100 < 1 ? 1 : 0) : (step < 1 ? 1 : 0);
    for (double v = lo; v <= hi + step / 2; v += step) {
        double y = plot_bottom + ph * (v - lo) / (hi - lo);
        if (v > lo + step / 2)
            pdf_line(p, px, y, px + pw, y, 0.5, GRID);
        char *tl = value_text(p, s, v, dec);
        pdf_label(p, px - 4, y - 2.5, SIZE_TINY, 6, left - 5, MUTED, RIGHT, tl);
        free(tl);
    }
#define X(k) (pt.n == 1 ? px + pw / 2 : px + pw * (double)(k) / (double)(pt.n - 1))
#define Y(v) (plot_bottom + ph * ((v)-lo) / (hi - lo))
    /* The band between neighbouring periods that both have one; a lone
     * period's as an error bar. */
    for (size_t k = 0; k < pt.n; k++) {
        if (!pt.has_band[k])
            continue;
        bool next = k + 1 < pt.n && pt.has_band[k + 1];
        bool prev = k > 0 && pt.has_band[k - 1];
        if (next) {
            double xs[] = {X(k), X(k + 1), X(k + 1), X(k)};
            double ys[] = {Y(pt.v[k] - pt.band[k]), Y(pt.v[k + 1] - pt.band[k + 1]),
                           Y(pt.v[k + 1] + pt.band[k + 1]), Y(pt.v[k] + pt.band[k])};
            pdf_path(p, xs, ys, 4, 0, 0, BAND);
        } else if (!prev) {
            pdf_line(p, X(k), Y(pt.v[k] - pt.band[k]), X(k), Y(pt.v[k] + pt.band[k]), 3, BAND);
        }
    }
    if (pt.has_target) {
        double xs[] = {px, px + pw}, ys[] = {Y(pt.target), Y(pt.target)};
        pdf_path(p, xs, ys, 2, 0.9, 2.5, MUTED);
    }
    /* The line, broken where a period has no figure. */
    for (size_t k = 0; k + 1 < pt.n; k++)
        if (pt.has[k] && pt.has[k + 1]) {
            double xs[] = {X(k), X(k + 1)}, ys[] = {Y(pt.v[k]), Y(pt.v[k + 1])};
            pdf_path(p, xs, ys, 2, 1.4, 0, ACCENT);
        }
    for (size_t k = 0; k < pt.n; k++)
        if (pt.has[k])
            pdf_dot(p, X(k), Y(pt.v[k]), k == last ? 2.6 : 1.8, ACCENT, pt.low[k]);

    /* The first and the last period under the axis; one point says so. */
    const struct history_period *hp = &m->periods[m->n_periods - pt.n];
    char *first = period_label(p, &hp[0], months);
    if (pt.n == 1) {
        pdf_label(p, px + pw / 2, plot_bottom - 10, SIZE_TINY, 6, pw, MUTED, CENTER, first);
    } else {
        char *end = period_label(p, &hp[last], months);
        pdf_label(p, px, plot_bottom - 10, SIZE_TINY, 6, pw / 2 - 2, MUTED, LEFT, first);
        pdf_label(p, px + pw, plot_bottom - 10, SIZE_TINY, 6, pw / 2 - 2, MUTED, RIGHT, end);
        free(end);
    }
    free(first);
    if (pt.n_values == 1)
        pdf_label(p, px + pw / 2, plot_bottom + 4, SIZE_TINY, 6, pw, MUTED, CENTER,
                  pdf_tx(p, "trends.one_point"));
#undef X
#undef Y
}

double pdf_block_trends(struct pdf *p)
{
    const struct model *m = p->m;
    if (!m->n_periods)
        return 0;
    bool any = false;
    for (size_t i = 0; i < N_SERIES && !any; i++) {
        struct points pt;
        read_points(p, &all_series[i], &pt);
        any = pt.n_values > 0;
    }
    if (!any)
        return 0;
    bool months = true;
    for (size_t k = 0; k < m->n_periods; k++)
        months = months && whole_month(&m->periods[k]);

    const struct history_period *first =
        &m->periods[m->n_periods > MAX_POINTS ? m->n_periods - MAX_POINTS : 0];
    const struct history_period *last = &m->periods[m->n_periods - 1];
    char *a = period_label(p, first, months), *b = period_label(p, last, months);
    char *title = m->n_periods == 1
                      ? texts_format(p->t, "trends.title_one", "period", b, (char *)NULL)
                      : texts_format(p->t, "trends.title", "first", a, "last", b, (char *)NULL);
    double top = p->y, y = top - pdf_heading(p, top, title);
    free(a);
    free(b);
    free(title);

    const double gap = 16, h = 100, w = (CONTENT_W - 2 * gap) / 3;
    for (size_t i = 0; i < N_SERIES; i++)
        chart(p, &all_series[i], MARGIN_X + (double)i * (w + gap), y, w, h, months);
    y -= h;

    char *min = fmt_count(p->t, m->min_sample);
    char *note = texts_format(p->t, "trends.note", "min", min, (char *)NULL);
    y = pdf_note(p, y, note);
    free(note);
    free(min);
    return top - y;
}
