/* The executive briefing: one or two A4 pages drawn with libharu.
 *
 * The page is a column of blocks (the table `blocks` below).  Each block is
 * one layout function that draws itself from the top of the free space and
 * returns the height it used; run with p->draw false it only measures, so
 * the runner can move a block that does not fit onto the next page.
 * Blocks whose figures are all absent return 0 and leave no trace; each
 * block drawn gets its bookmark (its heading, or a word for those without).
 *
 * The drawing helpers (one embedded CJK font, text wrapping in either
 * locale, shapes for the glyphs the font lacks) are in pdf_draw.c, the
 * trend block in pdf_trends.c, the findings' words in findings.c. */
#include "pdf_draw.h"

#include "findings.h"
#include "jobs/base/strbuf.h"
#include "na_reason.h"
#include "pdf_trends.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VERBATIMS 5
#define MAX_VERBATIM_LINES 6
#define MONEY_DECIMALS 2

/* The four customer classes in reading order, with their bar colours
 * (shades of the accent; no status colours). */
static const char *const classes[] = {"promoter", "passive", "detractor", "none"};
static const struct rgb class_colour[] = {
    {0.11f, 0.30f, 0.47f},
    {0.42f, 0.58f, 0.73f},
    {0.36f, 0.38f, 0.42f},
    {0.72f, 0.74f, 0.77f},
};
#define N_CLASSES (sizeof(classes) / sizeof(classes[0]))

/* ---- Blocks -------------------------------------------------------------- */

/* A block's explanation in small grey type under it, wrapped to the
 * content width; returns the new y. */
static double block_note(struct pdf *p, double y, const char *key)
{
    return pdf_note(p, y, pdf_tx(p, key));
}

/* How many of a table's total rows (at most max) fit the space left under
 * its heading and column heads, with room for the "N more" line when some
 * are left out; at least one. */
static size_t rows_that_fit(struct pdf *p, size_t total, size_t max, double head_h, double row_h)
{
    size_t shown = total < max ? total : max;
    double base = pdf_heading(p, p->y, "") + head_h;
    while (shown > 1 &&
           base + (double)shown * row_h + (shown < total ? LEADING_BODY : 0) > p->avail)
        shown--;
    return shown;
}

static double block_header(struct pdf *p)
{
    return pdf_title_block(p, pdf_tx(p, "briefing.title"), 14, "briefing.subtitle");
}

/* A period without a single survey response says so before any figure,
 * in an amber-edged panel: the reader must not take the empty tiles for a
 * bad month (docs/decisions.md "A period with no survey response"). */
static double block_empty_period(struct pdf *p)
{
    if (!kpi_flagged(model_find(p->m, "responses", ""), "empty_period"))
        return 0;
    const double pad = 8, bar = 3, width = CONTENT_W - 2 * pad - bar;
    char *first = pdf_fmt_date(p->t, p->m->period_first_day);
    char *last = pdf_fmt_date(p->t, p->m->period_last_day);
    char *s = texts_format(p->t, "briefing.empty_period", "first", first, "last", last, "time_zone",
                           p->m->time_zone ? p->m->time_zone : "", (char *)NULL);
    struct lines l = {0};
    pdf_wrap(p, s, SIZE_BODY, width, &l);
    double top = p->y, h = 2 * pad + (double)l.n * LEADING_BODY;
    pdf_rect(p, MARGIN_X, top - h, CONTENT_W, h, PANEL);
    pdf_rect(p, MARGIN_X, top - h, bar, h, AMBER);
    for (size_t k = 0; k < l.n; k++)
        pdf_text(p, MARGIN_X + bar + pad, top - pad - LEADING_BODY * (double)(k + 1) + 4, SIZE_BODY,
                 INK, LEFT, l.v[k]);
    pdf_lines_release(&l);
    free(first);
    free(last);
    free(s);
    return h;
}

struct tile {
    const char *label;
    char *value;
    bool na;          /* no figure: value is the "n/a" text, drawn smaller and grey */
    char *value_note; /* small text right of the value, e.g. "±9.9" */
    char *line1, *line2, *line3, *line4;
    struct rgb c1, c2, c3, c4;
};

static void tile_release(struct tile *tl)
{
    free(tl->value);
    free(tl->value_note);
    free(tl->line1);
    free(tl->line2);
    free(tl->line3);
    free(tl->line4);
}

/* A tile without its figure: "n/a", and under it why (the figure's flag),
 * never 0. */
static void tile_na(struct pdf *p, struct tile *tl, const struct kpi *k)
{
    tl->value = xstrdup(pdf_tx(p, "tile.na"));
    tl->na = true;
    tl->line1 = na_reason(p->t, k);
    tl->c1 = MUTED;
}

static void tile_nps(struct pdf *p, struct tile *tl)
{
    const struct texts *t = p->t;
    const struct kpi *nps = model_find(p->m, "nps", "");
    const struct kpi *delta = model_find(p->m, "nps_delta", "");
    double moe;
    tl->label = pdf_tx(p, "tile.nps");
    if (!pdf_present(nps)) {
        tile_na(p, tl, nps);
        return;
    }
    tl->value = fmt_score(t, nps->value);
    if (model_value(p->m, "nps_moe", "", &moe)) {
        char *e = fmt_number(t, moe, 1);
        tl->value_note = xstrfmt("±%s", e);
        free(e);
    }
    bool significant = delta && delta->has_value && kpi_flagged(delta, "significant");
    if (delta && delta->has_value) {
        char *d = fmt_signed(t, delta->value, 1);
        tl->line1 = texts_format(t, "tile.delta", "delta", d, (char *)NULL);
        tl->c1 = significant ? pdf_verdict_colour("nps_delta", delta->value) : INK;
        free(d);
    } else {
        tl->line1 = xstrdup(pdf_tx(p, kpi_flagged(delta, "no_prior_period") ? "tile.no_prior_period"
                                                                            : "tile.no_prior"));
        tl->c1 = MUTED;
    }
    char *n = fmt_count(t, nps->n < 0 ? 0 : nps->n);
    if (kpi_flagged(nps, "low_sample")) {
        tl->line2 = texts_format(t, "tile.low_sample", "n", n, (char *)NULL);
        tl->c2 = AMBER;
    } else if (significant) {
        tl->line2 = xstrdup(pdf_tx(p, "tile.significant"));
        tl->c2 = pdf_verdict_colour("nps_delta", delta->value);
    } else if (delta && delta->has_value) {
        tl->line2 = xstrdup(pdf_tx(p, "tile.within"));
        tl->c2 = MUTED;
    } else {
        tl->line2 = texts_format(t, "tile.responses", "n", n, (char *)NULL);
        tl->c2 = MUTED;
    }
    free(n);
}

static void tile_csat(struct pdf *p, struct tile *tl)
{
    const struct kpi *k = model_find(p->m, "csat", "");
    tl->label = pdf_tx(p, "tile.csat");
    if (!pdf_present(k)) {
        tile_na(p, tl, k);
        return;
    }
    tl->value = fmt_percent(p->t, k->value, 1);
    char *n = fmt_count(p->t, k->n < 0 ? 0 : k->n);
    tl->line1 = texts_format(p->t, "tile.csat_sub", "n", n, (char *)NULL);
    tl->c1 = MUTED;
    if (kpi_flagged(k, "low_sample")) {
        tl->line2 = texts_format(p->t, "tile.low_sample", "n", n, (char *)NULL);
        tl->c2 = AMBER;
    }
    free(n);
}

static void tile_churn(struct pdf *p, struct tile *tl)
{
    const struct kpi *k = model_find(p->m, "churn_rate", "");
    tl->label = pdf_tx(p, "tile.churn");
    if (!pdf_present(k)) {
        tile_na(p, tl, k);
        return;
    }
    tl->value = fmt_percent(p->t, k->value, 1);
    char *date = pdf_fmt_date(p->t, p->m->period_last_day);
    tl->line1 = texts_format(p->t, "tile.churn_sub", "date", date, (char *)NULL);
    tl->c1 = MUTED;
    free(date);
}

/* "1,234 EUR": an amount with the run's currency, when it has one. */
static char *money(const struct pdf *p, double v, int decimals)
{
    char *num = fmt_money(p->t, v, decimals);
    if (!p->m->currency || !*p->m->currency)
        return num;
    char *s = texts_format(p->t, "briefing.money", "amount", num, "currency", p->m->currency,
                           (char *)NULL);
    free(num);
    return s;
}

/* "95 % CI -155.1 % to +58.9 %": an ROI's interval in the one ROI format
 * (docs/decisions.md "One ROI format"), NULL without one.  The findings'
 * experiment ROI reads the same key. */
static char *roi_interval(const struct pdf *p, const char *low_code, const char *high_code,
                          const char *dims)
{
    double lo, hi;
    if (!model_value(p->m, low_code, dims, &lo) || !model_value(p->m, high_code, dims, &hi))
        return NULL;
    char *l = fmt_roi(p->t, lo), *h = fmt_roi(p->t, hi);
    char *s = texts_format(p->t, "finding.roi_interval", "low", l, "high", h, (char *)NULL);
    free(l);
    free(h);
    return s;
}

/* VoC ROI: roi.value as a signed percentage with one decimal, its 95 %
 * interval, "not significant" when the interval holds 0, then the benefit
 * and the cost.  Without an evaluated experiment the -100 % the figure
 * holds is no result: n/a and why; without any experiment configured (no
 * roi.value) "not yet measured". */
static void tile_roi(struct pdf *p, struct tile *tl)
{
    double b, c;
    tl->label = pdf_tx(p, "tile.roi");
    const struct kpi *roi = model_find(p->m, "roi.value", "");
    bool has_b = model_value(p->m, "roi.benefit", "", &b) &&
                 !kpi_flagged(model_find(p->m, "roi.benefit", ""), "no_evaluated_experiment"),
         has_c = model_value(p->m, "roi.cost", "", &c);
    if (!roi) {
        tl->value = xstrdup(pdf_tx(p, "tile.na"));
        tl->na = true;
        tl->line1 = xstrdup(pdf_tx(p, "tile.roi_na"));
        tl->c1 = MUTED;
    } else if (!pdf_present(roi) || kpi_flagged(roi, "no_evaluated_experiment")) {
        tile_na(p, tl, roi);
    } else {
        tl->value = fmt_roi(p->t, roi->value);
        tl->line1 = roi_interval(p, "roi.value_low", "roi.value_high", "");
        tl->c1 = MUTED;
        if (kpi_flagged(roi, "not_significant")) {
            tl->line2 = xstrdup(pdf_tx(p, "finding.roi_not_significant"));
            tl->c2 = INK;
        }
    }
    if (has_b) {
        char *a = money(p, b, 0);
        tl->line3 = texts_format(p->t, "tile.roi_benefit", "amount", a, (char *)NULL);
        free(a);
    }
    if (has_c) {
        char *a = money(p, c, 0);
        tl->line4 = texts_format(p->t, "tile.roi_cost", "amount", a, (char *)NULL);
        free(a);
    }
}

#define TILE_ROWS 4

static double block_tiles(struct pdf *p)
{
    const double gap = 10, row = 12, first = 67, pad = 9;
    const double h = first + row * (TILE_ROWS - 1) + 13;
    const double w = (CONTENT_W - 3 * gap) / 4;
    void (*const fill[])(struct pdf *, struct tile *) = {tile_nps, tile_csat, tile_churn, tile_roi};
    double top = p->y;
    for (size_t i = 0; i < 4; i++) {
        struct tile tl = {.c1 = MUTED, .c2 = MUTED, .c3 = MUTED, .c4 = MUTED};
        fill[i](p, &tl);
        double x = MARGIN_X + (double)i * (w + gap), inner = w - 2 * pad;
        pdf_rect(p, x, top - h, w, h, PANEL);
        pdf_rect(p, x, top - 2.5, w, 2.5, ACCENT);
        pdf_label(p, x + pad, top - 18, 9.5, 7.5, inner, MUTED, LEFT, tl.label);

        /* "n/a" is a statement, not a figure: smaller and grey. */
        double size = tl.na ? SIZE_TILE_VALUE - 4 : SIZE_TILE_VALUE;
        double note_w = tl.value_note ? pdf_text_width(p, tl.value_note, 10) + 4 : 0;
        char *value = pdf_fit(p, tl.value, &size, 14, inner - note_w);
        pdf_text(p, x + pad, top - 50, size, tl.na ? MUTED : INK, LEFT, value);
        if (tl.value_note)
            pdf_text(p, x + pad + pdf_text_width(p, value, size) + 4, top - 50, 10, MUTED, LEFT,
                     tl.value_note);
        free(value);
        /* Each line wrapped when all of them fit the rows so (on a phone a
         * wrapped line reads better than a shrunk one), else each on its
         * row, shrunk to fit. */
        char *lines[TILE_ROWS] = {tl.line1, tl.line2, tl.line3, tl.line4};
        struct rgb colours[TILE_ROWS] = {tl.c1, tl.c2, tl.c3, tl.c4};
        struct lines wrapped[TILE_ROWS] = {{0}};
        size_t rows = 0;
        for (size_t k = 0; k < TILE_ROWS; k++)
            if (lines[k]) {
                pdf_wrap(p, lines[k], SIZE_SMALL, inner, &wrapped[k]);
                rows += wrapped[k].n;
            }
        size_t used = 0;
        for (size_t k = 0; k < TILE_ROWS && used < TILE_ROWS; k++) {
            if (!lines[k])
                continue;
            if (rows <= TILE_ROWS) {
                for (size_t r = 0; r < wrapped[k].n; r++)
                    pdf_text(p, x + pad, top - first - row * (double)used++, SIZE_SMALL, colours[k],
                             LEFT, wrapped[k].v[r]);
            } else {
                pdf_label(p, x + pad, top - first - row * (double)used++, SIZE_SMALL, 6.5, inner,
                          colours[k], LEFT, lines[k]);
            }
        }
        for (size_t k = 0; k < TILE_ROWS; k++)
            pdf_lines_release(&wrapped[k]);
        tile_release(&tl);
    }
    return h;
}

/* The best five ranked findings (report/findings.h): each sentence after a
 * square bullet, its owner and what it is worth under it, then its one next
 * step, so that a reader knows who acts and how. */
static double block_findings(struct pdf *p)
{
    double unexplained;
    bool recon_bad =
        model_value(p->m, "recon.unexplained", "", &unexplained) && fabs(unexplained) >= 0.005;
    if (!p->n_findings && !recon_bad)
        return 0;
    double top = p->y, y = top - pdf_heading(p, top, pdf_tx(p, "briefing.findings"));
    const double indent = 14, width = CONTENT_W - indent, small = 11.5;
    for (size_t i = 0; i < p->n_findings; i++) {
        const struct finding_words *f = &p->findings[i];
        struct lines l = {0};
        pdf_wrap(p, f->sentence, SIZE_BODY, width, &l);
        /* A square bullet on the first line's x-height. */
        pdf_rect(p, MARGIN_X + 2, y - LEADING_BODY + 6.5, 4, 4, ACCENT);
        for (size_t k = 0; k < l.n; k++) {
            y -= LEADING_BODY;
            pdf_text(p, MARGIN_X + indent, y + 3.5, SIZE_BODY, INK, LEFT, l.v[k]);
        }
        pdf_lines_release(&l);

        char *owner = texts_format(p->t, "finding.owner", "owner", f->owner, (char *)NULL);
        char *meta = xstrfmt("%s · %s", owner, f->worth);
        y -= small;
        pdf_label(p, MARGIN_X + indent, y + 2, SIZE_SMALL, 7, width, ACCENT, LEFT, meta);
        free(owner);
        free(meta);
        char *next = texts_format(p->t, "finding.next", "step", f->next_step, (char *)NULL);
        pdf_wrap(p, next, SIZE_SMALL, width, &l);
        for (size_t k = 0; k < l.n; k++) {
            y -= small;
            pdf_text(p, MARGIN_X + indent, y + 2, SIZE_SMALL, MUTED, LEFT, l.v[k]);
        }
        pdf_lines_release(&l);
        free(next);
        y -= 5;
    }
    /* decisions.md: an unexplained reconciliation difference shows in red. */
    if (recon_bad) {
        char *amount = money(p, unexplained, MONEY_DECIMALS);
        char *s = texts_format(p->t, "briefing.unexplained", "amount", amount, (char *)NULL);
        y -= LEADING_BODY;
        pdf_label(p, MARGIN_X + indent, y + 3.5, SIZE_BODY, 8, width, RED, LEFT, s);
        pdf_rect(p, MARGIN_X + 2, y + 5, 4, 4, RED);
        free(amount);
        free(s);
    }
    return top - y;
}

/* One bar panel of the class chart: a value per class, ticks, labels. */
static void class_panel(struct pdf *p, double x, double top, double w, double h, const char *title,
                        const char *code, bool percent)
{
    const struct texts *t = p->t;
    double v[N_CLASSES];
    bool has[N_CLASSES];
    double max = 0;
    for (size_t i = 0; i < N_CLASSES; i++) {
        char dims[32];
        snprintf(dims, sizeof(dims), "class=%s", classes[i]);
        has[i] = model_value(p->m, code, dims, &v[i]) && isfinite(v[i]);
        if (has[i] && v[i] > max)
            max = v[i];
    }
    pdf_label(p, x, top - 10, 9.5, 7.5, w, INK, LEFT, title);

    const double left = 38, plot_top = top - 34, plot_bottom = top - h + 26;
    const double px = x + left, pw = w - left, ph = plot_top - plot_bottom;
    double step = pdf_nice_step(max, 4), axis_max = ceil(max / step - 1e-9) * step;
    if (axis_max <= 0)
        axis_max = step;
    int tick_dec = percent ? (step * 100 < 1 ? 1 : 0) : (step < 1 ? 2 : 0);
    for (int k = 0; k * step <= axis_max + 1e-9; k++) {
        double val = k * step, y = plot_bottom + ph * val / axis_max;
        if (k)
            pdf_line(p, px, y, px + pw, y, 0.5, GRID);
        char *tl = percent ? fmt_percent(t, val, tick_dec) : fmt_number(t, val, tick_dec);
        pdf_label(p, px - 5, y - 2.5, SIZE_TINY, 6, left - 6, MUTED, RIGHT, tl);
        free(tl);
    }
    pdf_line(p, px, plot_bottom, px + pw, plot_bottom, 0.8, RULE);

    double slot = pw / N_CLASSES, bar = slot * 0.58;
    int value_dec = percent ? 1 : (axis_max >= 100 ? 0 : MONEY_DECIMALS);
    for (size_t i = 0; i < N_CLASSES; i++) {
        double cx = px + slot * ((double)i + 0.5);
        char key[32];
        snprintf(key, sizeof(key), "class.%s", classes[i]);
        pdf_label(p, cx, plot_bottom - 12, SIZE_SMALL, 6.5, slot - 2, INK, CENTER, pdf_tx(p, key));
        if (!has[i]) {
            pdf_text(p, cx, plot_bottom + 4, SIZE_SMALL, MUTED, CENTER, texts_get(t, "format.na"));
            continue;
        }
        double bh = v[i] > 0 ? ph * v[i] / axis_max : 0;
        pdf_rect(p, cx - bar / 2, plot_bottom, bar, bh, class_colour[i]);
        char *vl = percent ? fmt_percent(t, v[i], value_dec) : fmt_number(t, v[i], value_dec);
        double size = SIZE_SMALL;
        char *fitted = pdf_fit(p, vl, &size, 6.5, slot - 2);
        double vw = pdf_text_width(p, fitted, size);
        /* Keep the value readable where it crosses a grid line. */
        pdf_rect(p, cx - vw / 2 - 2, plot_bottom + bh + 2, vw + 4, size + 1, WHITE);
        pdf_text(p, cx, plot_bottom + bh + 4, size, INK, CENTER, fitted);
        free(fitted);
        free(vl);
    }
}

static bool any_class_value(const struct model *m, const char *code)
{
    for (size_t i = 0; i < N_CLASSES; i++) {
        char dims[32];
        double v;
        snprintf(dims, sizeof(dims), "class=%s", classes[i]);
        if (model_value(m, code, dims, &v))
            return true;
    }
    return false;
}

/* Promoter-vs-detractor chart: revenue per customer and churn rate by
 * class, two panels on one axis each (no dual axes). */
static double block_classes(struct pdf *p)
{
    bool arpu = any_class_value(p->m, "class.arpu");
    bool churn = any_class_value(p->m, "class.churn_rate");
    if (!arpu && !churn)
        return 0;
    const double gap = 28, h = 130;
    double top = p->y, y = top - pdf_heading(p, top, pdf_tx(p, "chart.title"));
    double w = (CONTENT_W - gap) / 2, x = MARGIN_X;
    if (arpu) {
        const char *cur = p->m->currency;
        char *title = cur && *cur ? texts_format(p->t, "chart.arpu", "currency", cur, (char *)NULL)
                                  : xstrdup(pdf_tx(p, "chart.arpu_plain"));
        class_panel(p, x, y, w, h, title, "class.arpu", false);
        free(title);
        x += w + gap;
    }
    if (churn) {
        char *date = pdf_fmt_date(p->t, p->m->period_last_day);
        char *title = texts_format(p->t, "chart.churn", "date", date, (char *)NULL);
        class_panel(p, x, y, w, h, title, "class.churn_rate", true);
        free(date);
        free(title);
    }
    return top - (y - h);
}

/* ---- Top complaints (decisions.md "Topics, share of voice and root
 * cause") ---------------------------------------------------------------- */

#define TOP_COMPLAINTS 5

static const struct kpi *topic_kpi(const struct pdf *p, const char *code, const char *topic)
{
    char *dims = xstrfmt("topic=%s", topic);
    const struct kpi *k = model_find(p->m, code, dims);
    free(dims);
    return k;
}

struct ranked {
    const char *code;
    bool has_risk;
    double risk; /* cohort.revenue_at_risk */
    double rank; /* topic.rank: by negative mentions */
};

/* Costliest first; a topic without revenue at risk after those with one,
 * by its rank in negative mentions. */
static int by_risk(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->has_risk != y->has_risk)
        return x->has_risk ? -1 : 1;
    if (x->has_risk && x->risk != y->risk)
        return x->risk > y->risk ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* The top complaints: the topics with negative rows, ordered by revenue
 * at risk (issue 13: a costly complaint must not hide behind a frequent
 * one), at most TOP_COMPLAINTS.  Returns how many; top points into the
 * model. */
static size_t top_complaints(const struct pdf *p, const char **top)
{
    size_t n = 0, k = 0;
    const char **codes = model_dim_values(p->m, "topic.rank", "topic", &n);
    struct ranked *r = xcalloc(n + 1, sizeof(*r));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct kpi *rank = topic_kpi(p, "topic.rank", codes[i]);
        const struct kpi *neg = topic_kpi(p, "topic.negative", codes[i]);
        const struct kpi *risk = topic_kpi(p, "cohort.revenue_at_risk", codes[i]);
        if (pdf_present(rank) && pdf_present(neg) && neg->value > 0)
            r[m++] = (struct ranked){codes[i], pdf_present(risk),
                                     pdf_present(risk) ? risk->value : 0, rank->value};
    }
    qsort(r, m, sizeof(*r), by_risk);
    for (; k < m && k < TOP_COMPLAINTS; k++)
        top[k] = r[k].code;
    free(r);
    free(codes);
    return k;
}

/* The direction of a topic's trend: topic.trend, else its change (+/-10 %);
 * *is_new when the prior period had none; *none without a prior period. */
static int trend_of(const struct pdf *p, const char *topic, bool *is_new, bool *none)
{
    const struct kpi *tr = topic_kpi(p, "topic.trend", topic);
    const struct kpi *ch = topic_kpi(p, "topic.negative_change", topic);
    *is_new = false;
    *none = kpi_flagged(tr, "no_prior_period");
    if (*none)
        return 0;
    if (pdf_present(tr))
        return tr->value > 0.5 ? 1 : tr->value < -0.5 ? -1 : 0;
    if (pdf_present(ch))
        return ch->value > 0.10 ? 1 : ch->value < -0.10 ? -1 : 0;
    *is_new = true; /* NULL change with negative rows now: none before */
    return 1;
}

/* Rank, topic, negative mentions, trend arrow with the change, revenue at
 * risk of the topic's cohort and, in words, why it is not a finding. */
static double block_complaints(struct pdf *p)
{
    const char *top[TOP_COMPLAINTS];
    size_t n = top_complaints(p, top);
    if (!n)
        return 0;
    const struct texts *t = p->t;
    const char *na = texts_get(t, "format.na");
    /* Column edges from the margin: rank (right), topic (left), negative
     * (right), arrow (centre), change (right), revenue (right), note (left). */
    const double x_rank = 12, x_topic = 22, x_neg = 262, x_arrow = 283, x_change = 338, x_rev = 438,
                 x_note = 448;
    const double row_h = 19, head_h = 18;

    double top_y = p->y, y = top_y - pdf_heading(p, top_y, pdf_tx(p, "complaints.title"));
    char *rev_head = p->m->currency && *p->m->currency
                         ? texts_format(t, "complaints.revenue_currency", "currency",
                                        p->m->currency, (char *)NULL)
                         : xstrdup(pdf_tx(p, "complaints.revenue"));
    pdf_label(p, MARGIN_X + x_topic, y - 11, SIZE_SMALL, 6.5, x_neg - 60 - x_topic, MUTED, LEFT,
              pdf_tx(p, "complaints.topic"));
    pdf_label(p, MARGIN_X + x_neg, y - 11, SIZE_SMALL, 6.5, 56, MUTED, RIGHT,
              pdf_tx(p, "complaints.negative"));
    pdf_label(p, MARGIN_X + x_arrow - 8, y - 11, SIZE_SMALL, 6.5, x_change - x_arrow + 8, MUTED,
              LEFT, pdf_tx(p, "complaints.trend"));
    pdf_label(p, MARGIN_X + x_rev, y - 11, SIZE_SMALL, 6.5, x_rev - x_change - 6, MUTED, RIGHT,
              rev_head);
    free(rev_head);
    y -= head_h;
    pdf_line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.8, RULE);

    for (size_t i = 0; i < n; i++) {
        const char *code = top[i];
        double base_y = y - 13.5;
        const struct kpi *neg = topic_kpi(p, "topic.negative", code);
        const struct kpi *ch = topic_kpi(p, "topic.negative_change", code);

        char *rk = fmt_count(t, (long long)i + 1);
        pdf_text(p, MARGIN_X + x_rank, base_y, 10.5, MUTED, RIGHT, rk);
        free(rk);
        pdf_label(p, MARGIN_X + x_topic, base_y, 10.5, 7, x_neg - 50 - x_topic, INK, LEFT,
                  model_label(p->m, "topic", code));
        char *nv = fmt_count(t, (long long)llround(neg->value));
        pdf_text(p, MARGIN_X + x_neg, base_y, 10.5, INK, RIGHT, nv);
        free(nv);

        bool is_new, none;
        int dir = trend_of(p, code, &is_new, &none);
        struct rgb tc = pdf_verdict_colour("topic.negative", dir);
        if (!none)
            pdf_triangle(p, MARGIN_X + x_arrow, base_y + 3.6, 8.5, dir, tc);
        char *chs;
        if (pdf_present(ch)) {
            char *num = fmt_signed(t, ch->value * 100.0, 0);
            chs = texts_format(t, "format.percent", "value", num, (char *)NULL);
            free(num);
        } else {
            chs = xstrdup(is_new ? pdf_tx(p, "complaints.new") : na);
        }
        pdf_label(p, MARGIN_X + x_change, base_y, 10, 7, x_change - x_arrow - 8, tc, RIGHT, chs);
        free(chs);

        const struct kpi *rev = topic_kpi(p, "cohort.revenue_at_risk", code);
        const struct kpi *pv = topic_kpi(p, "cohort.p_value", code);
        bool has_cohort = topic_kpi(p, "cohort.a_customers", code) != NULL;
        bool low = has_cohort && findings_cohort_low(p->m, code);
        bool finding = has_cohort && !low && pdf_present(pv) && kpi_flagged(pv, "significant");
        char *rv = pdf_present(rev) ? fmt_money(t, rev->value, 0) : xstrdup(na);
        pdf_label(p, MARGIN_X + x_rev, base_y, 10.5, 7, x_rev - x_change - 6,
                  finding && pdf_present(rev) ? INK : MUTED, RIGHT, rv);
        free(rv);
        /* Without revenue at risk, why (a source view the cohort needs is
         * absent) comes before what the cohort would have been. */
        char *why = pdf_present(rev) ? NULL : na_reason(p->t, rev);
        /* A significant gap below 0 (those who complained churned less) puts
         * nothing at risk: the 0 beside it says so only with the gap's sign. */
        const struct kpi *gap = topic_kpi(p, "cohort.churn_gap", code);
        if (!why && finding && pdf_present(gap) && gap->value < 0) {
            char *g = fmt_roi(t, gap->value); /* a signed percentage, one decimal */
            why = texts_format(t, "complaints.negative_gap", "gap", g, (char *)NULL);
            free(g);
        }
        const char *note = why           ? why
                           : !has_cohort ? pdf_tx(p, "complaints.no_cohort")
                           : low         ? pdf_tx(p, "complaints.low_sample")
                           : !finding    ? pdf_tx(p, "complaints.not_significant")
                                         : "";
        pdf_label(p, MARGIN_X + x_note, base_y, 9.5, 6.5, CONTENT_W - x_note,
                  low && !why ? AMBER : MUTED, LEFT, note);
        free(why);
        y -= row_h;
        pdf_line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.5, GRID);
    }

    y = block_note(p, y, "complaints.note");
    return top_y - y;
}

/* Above this share of own-brand comments matching no topic, the briefing
 * says so: the complaints above leave that much unread. */
#define UNREAD_SENTENCE 0.20

/* "38 % of 12,400 comments match no topic; see vocreport suggest-topics"
 * (topic.uncategorised_share, docs/decisions.md "Feedback no topic
 * matched"). */
static double block_unread(struct pdf *p)
{
    const struct kpi *k = model_find(p->m, "topic.uncategorised_share", "");
    if (!pdf_present(k) || k->value <= UNREAD_SENTENCE || k->n < 0)
        return 0;
    char *share = fmt_percent(p->t, k->value, 0);
    char *n = fmt_count(p->t, k->n);
    char *s = texts_format(p->t, "complaints.unread", "share", share, "n", n, (char *)NULL);
    struct lines l = {0};
    pdf_wrap(p, s, SIZE_BODY, CONTENT_W, &l);
    double top = p->y, y = top;
    for (size_t i = 0; i < l.n; i++) {
        y -= LEADING_BODY;
        pdf_text(p, MARGIN_X, y + 4, SIZE_BODY, INK, LEFT, l.v[i]);
    }
    pdf_lines_release(&l);
    free(s);
    free(n);
    free(share);
    return top - y;
}

/* ---- Departments and the journey (docs/departments.md) ----------------- */

#define MAX_DEPT_ROWS 14

/* The traffic lights: one row per department KPI (dept.kpi.status, in the
 * order compute wrote them), the department named on its first row. */
static double block_departments(struct pdf *p)
{
    const struct model *m = p->m;
    size_t total = 0;
    for (size_t i = 0; i < m->n_kpis; i++)
        total += !strcmp(m->kpis[i].code, "dept.kpi.status");
    if (!total)
        return 0;
    const double x_kpi = 120, x_actual = 310, x_target = 390, x_status = 400, row_h = 16,
                 head_h = 18;
    size_t shown = rows_that_fit(p, total, MAX_DEPT_ROWS, head_h, row_h);
    /* Rows left out go to the department packs green ones first, as the
     * scorecard's tiles do; the kept ones stay in config order. */
    bool *keep = xcalloc(m->n_kpis ? m->n_kpis : 1, sizeof(*keep)), hidden_met;
    pdf_pick_targets(m, "dept.kpi.status", shown, keep, &hidden_met);

    double top = p->y, y = top - pdf_heading(p, top, pdf_tx(p, "briefing_depts.title"));
    pdf_label(p, MARGIN_X, y - 11, SIZE_SMALL, 6.5, x_kpi - 8, MUTED, LEFT,
              pdf_tx(p, "briefing_depts.department"));
    pdf_label(p, MARGIN_X + x_kpi, y - 11, SIZE_SMALL, 6.5, x_actual - x_kpi - 60, MUTED, LEFT,
              pdf_tx(p, "briefing_depts.kpi"));
    pdf_label(p, MARGIN_X + x_actual, y - 11, SIZE_SMALL, 6.5, 56, MUTED, RIGHT,
              pdf_tx(p, "briefing_depts.actual"));
    pdf_label(p, MARGIN_X + x_target, y - 11, SIZE_SMALL, 6.5, x_target - x_actual - 4, MUTED,
              RIGHT, pdf_tx(p, "briefing_depts.target"));
    pdf_label(p, MARGIN_X + x_status, y - 11, SIZE_SMALL, 6.5, CONTENT_W - x_status, MUTED, LEFT,
              pdf_tx(p, "briefing_depts.status"));
    y -= head_h;
    pdf_line(p, MARGIN_X, y + 2, MARGIN_X + CONTENT_W, y + 2, 0.8, RULE);

    char last_dept[128] = "";
    size_t row = 0;
    for (size_t i = 0; i < m->n_kpis && row < shown; i++) {
        const struct kpi *st = &m->kpis[i];
        if (!keep[i])
            continue;
        row++;
        const char *dims = st->dims;
        const struct kpi *actual = model_find(m, "dept.kpi.actual", dims);
        const struct kpi *target = model_find(m, "dept.kpi.target", dims);
        const char *written = model_label(m, "dept_kpi", dims);
        char dept[128] = "";
        dim_value(dims, "department", dept, sizeof(dept));
        double base_y = y - 12.5;
        if (strcmp(dept, last_dept)) {
            if (*last_dept) /* halfway between the rows' text */
                pdf_line(p, MARGIN_X, y + 0.5, MARGIN_X + CONTENT_W, y + 0.5, 0.5, RULE);
            pdf_label(p, MARGIN_X, base_y, 10, 7, x_kpi - 8, INK, LEFT,
                      model_label(m, "department", dept));
            snprintf(last_dept, sizeof(last_dept), "%s", dept);
        }
        char *name = kpi_words(p->t, p->m, dims, written);
        pdf_label(p, MARGIN_X + x_kpi, base_y, 9.5, 7, x_actual - x_kpi - 60, INK, LEFT, name);
        free(name);
        char *av = pdf_present(actual) ? fmt_metric(p->t, written, actual->value)
                                       : xstrdup(pdf_tx(p, "format.na"));
        pdf_label(p, MARGIN_X + x_actual, base_y, 10, 7, 56, pdf_present(actual) ? INK : MUTED,
                  RIGHT, av);
        free(av);
        if (pdf_present(target)) {
            char *tv = fmt_metric(p->t, written, target->value);
            char *ts =
                texts_format(p->t,
                             kpi_flagged(target, "lower_is_better") ? "briefing_depts.at_most"
                                                                    : "briefing_depts.at_least",
                             "target", tv, (char *)NULL);
            pdf_label(p, MARGIN_X + x_target, base_y, 9.5, 6.5, x_target - x_actual - 4, MUTED,
                      RIGHT, ts);
            free(tv);
            free(ts);
        }
        char wbuf[16];
        const char *word = pdf_status_word(st, wbuf);
        char *key = xstrfmt("scorecard.status_%s", word);
        pdf_rect(p, MARGIN_X + x_status, base_y - 1, 9, 9, pdf_status_colour(word));
        struct strbuf note;
        strbuf_init(&note);
        /* Without a figure, why (beside the grey box) says more than "no
         * data": "no cases in the source". */
        char *why = pdf_present(actual) ? NULL : na_reason(p->t, actual);
        strbuf_adds(&note, why ? why : pdf_tx(p, key));
        /* An absent figure's reason already says how few there were. */
        bool low = !why && kpi_flagged(actual, "low_sample");
        free(why);
        if (low) {
            strbuf_adds(&note, " · ");
            strbuf_adds(&note, pdf_tx(p, "table.low_sample"));
        }
        pdf_label(p, MARGIN_X + x_status + 14, base_y, 9.5, 6.5, CONTENT_W - x_status - 14,
                  low ? AMBER : INK, LEFT, note.buf);
        strbuf_release(&note);
        free(key);
        y -= row_h;
    }
    if (shown < total)
        y = pdf_more_note(p, y, hidden_met ? "briefing_depts.more_met" : "briefing_depts.more",
                          total - shown);
    free(keep);
    return top - y;
}

/* The journey map: every touchpoint with journey figures, in the
 * configured order (compute writes them so), as boxes joined by arrows. */
static double block_journey(struct pdf *p)
{
    size_t n = 0;
    const char **tps = model_dim_values(p->m, "journey.nps", "touchpoint", &n);
    if (!n) {
        free(tps);
        return 0;
    }
    const size_t per_row = n < 4 ? n < 3 ? 3 : n : 4;
    const double gap = 16, h = 62;
    bool any_low = false;
    const double w = (CONTENT_W - (double)(per_row - 1) * gap) / (double)per_row;
    size_t rows = (n + per_row - 1) / per_row;
    double top = p->y, y = top - pdf_heading(p, top, pdf_tx(p, "briefing_depts.journey"));
    for (size_t i = 0; i < n; i++) {
        double x = MARGIN_X + (double)(i % per_row) * (w + gap);
        double bt = y - (double)(i / per_row) * (h + gap);
        pdf_journey_box(p, x, bt, w, h, tps[i], &any_low);
        if (i + 1 < n && (i + 1) % per_row)
            pdf_triangle(p, x + w + gap / 2, bt - h / 2, 8, 0, ACCENT_LIGHT);
    }
    y -= (double)rows * h + (double)(rows - 1) * gap;
    y = block_note(p, y, "briefing_depts.journey_note");
    if (any_low)
        y = pdf_journey_low_note(p, y);
    free(tps);
    return top - y;
}

/* One verbatim: the quote as written, then channel and date. */
static double verbatim(struct pdf *p, double top, const struct verbatim *v, size_t max_lines)
{
    const double indent = 12, width = CONTENT_W - indent;
    /* As written, less the white space around it. */
    const char *body = v->body;
    size_t len = strlen(body);
    while (*body && strchr(" \t\r\n", *body))
        body++, len--;
    while (len && strchr(" \t\r\n", body[len - 1]))
        len--;
    char *trimmed = xstrfmt("%.*s", (int)len, body);
    char *quoted = texts_format(p->t, "briefing.quote", "text", trimmed, (char *)NULL);
    free(trimmed);
    struct lines l = {0};
    pdf_wrap(p, quoted, SIZE_BODY, width, &l);
    pdf_clamp_lines(p, &l, max_lines, SIZE_BODY, width);
    double y = top;
    for (size_t k = 0; k < l.n; k++) {
        y -= LEADING_BODY;
        pdf_text(p, MARGIN_X + indent, y + 3.5, SIZE_BODY, INK, LEFT, l.v[k]);
    }
    struct strbuf meta;
    strbuf_init(&meta);
    if (v->channel && *v->channel) {
        char *ch = texts_dim_label(p->t, p->m, "channel", v->channel);
        strbuf_adds(&meta, ch);
        free(ch);
    }
    if (v->received && *v->received) {
        char *d = pdf_fmt_date(p->t, v->received);
        if (meta.len)
            strbuf_adds(&meta, " · ");
        strbuf_adds(&meta, d);
        free(d);
    }
    if (meta.len) {
        y -= 13;
        pdf_label(p, MARGIN_X + indent, y + 3, SIZE_SMALL, 7, width, MUTED, LEFT, meta.buf);
    } else {
        y -= 2;
    }
    pdf_rect(p, MARGIN_X + 1, y, 2.5, top - y - 2, ACCENT_LIGHT);
    strbuf_release(&meta);
    pdf_lines_release(&l);
    free(quoted);
    return top - y;
}

/* The detractor quotes: the model's verbatims without a topic (those with
 * one are the workbook's examples per topic). */
static size_t detractor_quotes(const struct model *m, const struct verbatim **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_verbatims; i++)
        if (!m->verbatims[i].topic) {
            if (n < max)
                out[n] = &m->verbatims[i];
            n++;
        }
    return n;
}

/* Up to max quotes of up to max_lines lines each, as many as p->avail
 * holds; the rest counted. */
static double verbatims(struct pdf *p, size_t max, size_t max_lines)
{
    const struct verbatim *quotes[MAX_VERBATIMS];
    size_t n_quotes = detractor_quotes(p->m, quotes, MAX_VERBATIMS);
    double top = p->y, y = top - pdf_heading(p, top, pdf_tx(p, "briefing.verbatims"));
    if (!n_quotes) {
        y -= LEADING_BODY;
        pdf_label(p, MARGIN_X, y + 3.5, SIZE_BODY, 8, CONTENT_W, MUTED, LEFT,
                  pdf_tx(p, "briefing.no_verbatims"));
        return top - y;
    }
    size_t total = n_quotes < max ? n_quotes : max, shown = 0;
    bool draw = p->draw;
    for (; shown < total; shown++) {
        /* Measure first: a quote that does not fit the space left is
         * counted under "more in the workbook" instead of being cut. */
        p->draw = false;
        double h = verbatim(p, y, quotes[shown], max_lines) + 10;
        p->draw = draw;
        double rest = shown + 1 < n_quotes ? LEADING_BODY : 0;
        if (top - y + h + rest > p->avail)
            break;
        y -= verbatim(p, y, quotes[shown], max_lines) + 10;
    }
    if (!shown)
        return 0;
    if (shown < n_quotes) {
        char *cnt = fmt_count(p->t, (long long)(n_quotes - shown));
        char *s = texts_format(p->t, "briefing.more_verbatims", "n", cnt, "sheet",
                               pdf_tx(p, "sheet.classes"), (char *)NULL);
        y -= LEADING_BODY - 6;
        pdf_label(p, MARGIN_X, y, SIZE_SMALL, 7, CONTENT_W, MUTED, LEFT, s);
        free(cnt);
        free(s);
    }
    return top - y;
}

static double block_verbatims(struct pdf *p)
{
    return verbatims(p, MAX_VERBATIMS, MAX_VERBATIM_LINES);
}

/* Page two's fallback, before the department table: the first quote only,
 * at most three lines, so that the table keeps most of the room. */
static double block_verbatims_short(struct pdf *p)
{
    return verbatims(p, 1, 3);
}

/* The briefing, top to bottom, on at most two pages (outputs.md): the
 * first reads as a summary (figures, findings, trends), the second holds
 * the charts and tables behind it.  The department table shortens to the
 * room page two leaves, its "N more" pointing to the department packs;
 * the journey map goes before it so that no table pushes the map off.
 * The detractors' quotes take the room left under the trends if one fits
 * there, else the first of them, cut to three lines, before the department
 * table on page two (which then leaves out green rows first): outputs.md
 * wants verbatims in the briefing. */
static const struct pdf_block blocks[] = {
    {"header", block_header, NULL, false},
    {"empty_period", block_empty_period, NULL, false},
    {"tiles", block_tiles, "bookmark.tiles", false},
    {"findings", block_findings, "briefing.findings", false},
    {"trends", pdf_block_trends, "bookmark.trends", false},
    {"verbatims", block_verbatims, "briefing.verbatims", true},
    {"classes", block_classes, "chart.title", false},
    {"complaints", block_complaints, "complaints.title", false},
    {"unread", block_unread, NULL, false},
    {"journey", block_journey, "briefing_depts.journey", false},
    {"verbatims", block_verbatims_short, "briefing.verbatims", true},
    {"departments", block_departments, "briefing_depts.title", true},
};

/* A continuation page names the briefing again, for a reader who lands
 * on it alone (a phone shows one page at a time). */
static void running_header(struct pdf *p)
{
    char *sub = pdf_subtitle(p, "briefing.subtitle");
    char *s = xstrfmt("%s · %s", pdf_tx(p, "briefing.title"), sub);
    bool draw = p->draw;
    p->draw = true;
    pdf_label(p, MARGIN_X, p->y - SIZE_SMALL, SIZE_SMALL, 6.5, CONTENT_W, MUTED, LEFT, s);
    pdf_line(p, MARGIN_X, p->y - 14, MARGIN_X + CONTENT_W, p->y - 14, 0.5, RULE);
    p->draw = draw;
    p->y -= 14 + BLOCK_GAP;
    free(sub);
    free(s);
}

static void new_page(struct pdf *p)
{
    pdf_new_page(p);
    if (p->page && p->n_pages > 1)
        running_header(p);
}

enum vr_status render_pdf_briefing(const struct render_ctx *ctx, const char *path,
                                   struct vr_error *err)
{
    struct pdf p = {.m = ctx->m, .t = ctx->t, .stage = "setting up"};
    char *title = xstrfmt("%s - %s", texts_get(p.t, "briefing.title"), p.m->job ? p.m->job : "");
    enum vr_status st = pdf_doc_open(&p, ctx->font_path, "briefing", title, path, err);
    free(title);
    if (st != VR_OK)
        return st;
    p.n_findings = findings_top(p.m, p.t, p.findings, MAX_FINDINGS);
    if (!p.code) {
        p.stage = "drawing";
        new_page(&p);
        if (p.page && !p.code)
            pdf_layout_blocks(&p, blocks, sizeof(blocks) / sizeof(blocks[0]), new_page,
                              BLOCK_GAP - 4); /* two pages: a little tighter */
        if (p.page && !p.code) {
            p.stage = "drawing the footer";
            pdf_footers(&p);
        }
    }
    st = pdf_doc_save(&p, ctx->font_path, "briefing", path, err);
    findings_words_release(p.findings, p.n_findings);
    return st;
}
