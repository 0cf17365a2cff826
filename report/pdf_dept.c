/* A department's one-page scorecard (docs/departments.md): its targets as
 * tiles with status colour, previous value and a twelve-point trend, its
 * closure SLAs, its journey touchpoints, its early warnings and a few
 * comments on its topics as written.  It is drawn from the department's
 * slice of the model (report/dept_slice.h), so it can only show what the
 * slice holds; the leak check has proved that before the runner calls it.
 *
 * One page, always: the blocks are measured first, the comments shorten to
 * the space left, and a block that still does not fit is left out rather
 * than overflow (the workbook has everything). */
#include "na_reason.h"
#include "pdf_draw.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TILES 6 /* two rows of three */
#define TILES_PER_ROW 3
#define TREND_POINTS 12 /* eleven earlier reports and this one */
#define MAX_QUOTES 3
#define MAX_QUOTE_LINES 3

/* ---- Figures of the slice ------------------------------------------------ */

/* The figure with dims "department=D", the department's own. */
static const struct kpi *dept_figure(const struct pdf *p, const char *code)
{
    char *dims = xstrfmt("department=%s", p->m->department);
    const struct kpi *k = model_find(p->m, code, dims);
    free(dims);
    return k;
}

/* ---- Header -------------------------------------------------------------- */

static double block_header(struct pdf *p)
{
    char *title = texts_format(p->t, "scorecard.title", "department",
                               model_label(p->m, "department", p->m->department), (char *)NULL);
    double h = pdf_title_block(p, title, 13, "scorecard.subtitle");
    free(title);
    return h;
}

/* ---- KPI tiles ----------------------------------------------------------- */

/* The dims of up to max of the department's KPIs (its dept.kpi.actual
 * figures), chosen by pdf_pick_targets and listed in config order; returns
 * how many KPIs there are, and sets *hidden_green when every KPI left out
 * met its target. */
static size_t kpi_dims(const struct pdf *p, const char **out, size_t max, bool *hidden_green)
{
    const struct model *m = p->m;
    bool *chosen = xcalloc(m->n_kpis ? m->n_kpis : 1, sizeof(*chosen));
    size_t total = pdf_pick_targets(m, "dept.kpi.actual", max, chosen, hidden_green);
    size_t n = 0;
    for (size_t i = 0; i < m->n_kpis; i++)
        if (chosen[i])
            out[n++] = m->kpis[i].dims;
    free(chosen);
    return total;
}

/* The twelve-point trend: the actual of up to eleven earlier reports
 * (model->trend, as-of ascending) and this one's.  NAN marks a NULL. */
static size_t trend_points(const struct pdf *p, const char *dims, const struct kpi *actual,
                           double *v)
{
    size_t n = 0, first = 0, total = 0;
    for (size_t i = 0; i < p->m->n_trend; i++) {
        const struct trend_point *t = &p->m->trend[i];
        if (!strcmp(t->code, "dept.kpi.actual") && !strcmp(t->dims, dims))
            total++;
    }
    if (total > TREND_POINTS - 1)
        first = total - (TREND_POINTS - 1);
    size_t seen = 0;
    for (size_t i = 0; i < p->m->n_trend; i++) {
        const struct trend_point *t = &p->m->trend[i];
        if (strcmp(t->code, "dept.kpi.actual") || strcmp(t->dims, dims))
            continue;
        if (seen++ >= first)
            v[n++] = t->has_value ? t->value : NAN;
    }
    v[n++] = pdf_present(actual) ? actual->value : NAN;
    return n;
}

/* A sparkline in the box (x, y) w x h: the points joined where both are
 * known, the target as a thin rule, the latest point in the status colour. */
static void sparkline(struct pdf *p, double x, double y, double w, double h, const double *v,
                      size_t n, const struct kpi *target, struct rgb last_colour)
{
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    if (pdf_present(target))
        lo = fmin(lo, target->value), hi = fmax(hi, target->value);
    if (!(hi >= lo))
        return;
    if (hi - lo < 1e-9)
        lo -= 1, hi += 1;
    double step = n > 1 ? w / (double)(TREND_POINTS - 1) : 0;
    double x0 = x + w - step * (double)(n - 1);
#define PY(val) (y + h * ((val)-lo) / (hi - lo))
    if (pdf_present(target)) {
        double ty = PY(target->value);
        for (double dx = x; dx < x + w; dx += 6) /* dashed: a rule, not a series */
            pdf_line(p, dx, ty, fmin(dx + 3, x + w), ty, 0.6, MUTED);
    }
    for (size_t i = 1; i < n; i++)
        if (isfinite(v[i - 1]) && isfinite(v[i]))
            pdf_line(p, x0 + step * (double)(i - 1), PY(v[i - 1]), x0 + step * (double)i, PY(v[i]),
                     1.2, ACCENT);
    for (size_t i = 0; i + 1 < n; i++)
        if (isfinite(v[i]))
            pdf_rect(p, x0 + step * (double)i - 1, PY(v[i]) - 1, 2, 2, ACCENT);
    if (isfinite(v[n - 1]))
        pdf_rect(p, x0 + step * (double)(n - 1) - 2.5, PY(v[n - 1]) - 2.5, 5, 5, last_colour);
#undef PY
}

/* "previous 6 (1 Oct – 31 Oct 2026)": the value of the period before, with
 * its days from the figure's flag (period=FIRST/LAST); without them, the
 * value alone. */
static char *previous_text(const struct pdf *p, const struct kpi *prev, const char *value)
{
    char first[11], last[11];
    if (!kpi_flag_period(prev, first, last))
        return texts_format(p->t, "scorecard.previous", "value", value, (char *)NULL);
    char *from = pdf_fmt_date_as(p->t, first, "date.short_format");
    char *to = pdf_fmt_date_as(p->t, last, "date.format");
    char *s = texts_format(p->t, "scorecard.previous_dated", "value", value, "from", from, "to", to,
                           (char *)NULL);
    free(from);
    free(to);
    return s;
}

static void tile(struct pdf *p, double x, double top, double w, double h, const char *dims)
{
    const struct texts *t = p->t;
    const struct kpi *actual = model_find(p->m, "dept.kpi.actual", dims);
    const struct kpi *target = model_find(p->m, "dept.kpi.target", dims);
    const struct kpi *status = model_find(p->m, "dept.kpi.status", dims);
    const struct kpi *prev = model_find(p->m, "dept.kpi.previous", dims);
    const char *written = model_label(p->m, "dept_kpi", dims);
    bool lower = kpi_flagged(target, "lower_is_better");
    char wbuf[16];
    const char *word = pdf_status_word(status, wbuf);
    struct rgb sc = pdf_status_colour(word);
    const double pad = 9, inner = w - 2 * pad;

    pdf_rect(p, x, top - h, w, h, PANEL);
    pdf_rect(p, x, top - 4, w, 4, sc);

    /* What it measures: up to two lines. */
    char *name = kpi_words(p->t, p->m, dims, written);
    struct lines l = {0};
    pdf_wrap(p, name, 9.5, inner, &l);
    pdf_clamp_lines(p, &l, 2, 9.5, inner);
    for (size_t k = 0; k < l.n; k++)
        pdf_text(p, x + pad, top - 17 - 11.5 * (double)k, 9.5, INK, LEFT, l.v[k]);
    pdf_lines_release(&l);
    free(name);

    /* The actual, and the status in words beside it. */
    double y = top - 56;
    char *status_key = xstrfmt("scorecard.status_%s", word);
    const char *status_text = texts_get(t, status_key);
    double sw = pdf_text_width(p, status_text, SIZE_SMALL) + 10;
    bool has = pdf_present(actual);
    char *value =
        has ? fmt_metric(p->t, written, actual->value) : xstrdup(texts_get(t, "tile.na"));
    double size = has ? 22 : 18;
    char *fitted = pdf_fit(p, value, &size, 12, inner - sw - 6);
    pdf_text(p, x + pad, y, size, has ? INK : MUTED, LEFT, fitted);
    if (has) { /* without a figure, "n/a" already says it */
        pdf_rect(p, x + w - pad - sw, y - 2, sw, SIZE_SMALL + 6, sc);
        pdf_text(p, x + w - pad - sw / 2, y + 1.5, SIZE_SMALL, WHITE, CENTER, status_text);
    }
    free(status_key);
    free(fitted);
    free(value);

    /* Target, low sample, previous with its direction. */
    y -= 16;
    if (pdf_present(target)) {
        char *tv = fmt_metric(p->t, written, target->value);
        char *s = texts_format(t, lower ? "scorecard.target_max" : "scorecard.target_min", "target",
                               tv, (char *)NULL);
        pdf_label(p, x + pad, y, SIZE_SMALL, 6.5, inner, MUTED, LEFT, s);
        free(tv);
        free(s);
    }
    y -= 12;
    /* Without a figure, why ("no cases in the source", "none counted"),
     * as the briefing's department table says it. */
    char *why = has ? NULL : na_reason(t, actual);
    if (why) {
        pdf_label(p, x + pad, y, SIZE_SMALL, 6.5, inner, MUTED, LEFT, why);
        free(why);
        y -= 12;
    } else if (kpi_flagged(actual, "low_sample")) {
        char *n = fmt_count(t, actual->n < 0 ? 0 : actual->n);
        char *s = texts_format(t, "scorecard.low_sample", "n", n, (char *)NULL);
        pdf_label(p, x + pad, y, SIZE_SMALL, 6.5, inner, AMBER, LEFT, s);
        free(n);
        free(s);
        y -= 12;
    }
    if (pdf_present(prev)) {
        char *pv = fmt_metric(p->t, written, prev->value);
        char *s = previous_text(p, prev, pv);
        int dir = !has || fabs(actual->value - prev->value) < 1e-9 ? 0
                  : actual->value > prev->value                    ? 1
                                                                   : -1;
        bool better = lower ? dir < 0 : dir > 0;
        struct rgb ac = dir == 0 ? MUTED : better ? GREEN : RED;
        pdf_triangle(p, x + pad + 3.5, y + 3, 7, has ? dir : 0, has ? ac : MUTED);
        pdf_label(p, x + pad + 11, y, SIZE_SMALL, 6.5, inner - 11, MUTED, LEFT, s);
        free(pv);
        free(s);
    } else {
        pdf_label(p, x + pad, y, SIZE_SMALL, 6.5, inner, MUTED, LEFT,
                  texts_get(t, "scorecard.no_previous"));
    }

    double v[TREND_POINTS];
    size_t n = trend_points(p, dims, actual, v);
    sparkline(p, x + pad, top - h + 9, inner, 24, v, n, target, sc);
}

static double block_kpis(struct pdf *p)
{
    const char *dims[MAX_TILES];
    bool hidden_green;
    size_t total = kpi_dims(p, dims, MAX_TILES, &hidden_green),
           shown = total < MAX_TILES ? total : MAX_TILES;
    double top = p->y, y = top - pdf_heading(p, top, texts_get(p->t, "scorecard.kpis"));
    if (!total) {
        y -= LEADING_BODY;
        pdf_label(p, MARGIN_X, y + 3.5, SIZE_BODY, 8, CONTENT_W, MUTED, LEFT,
                  texts_get(p->t, "scorecard.no_kpis"));
        return top - y;
    }
    const double gap = 10, h = 146, w = (CONTENT_W - (TILES_PER_ROW - 1) * gap) / TILES_PER_ROW;
    for (size_t i = 0; i < shown; i++) {
        size_t row = i / TILES_PER_ROW, col = i % TILES_PER_ROW;
        tile(p, MARGIN_X + (double)col * (w + gap), y - (double)row * (h + gap), w, h, dims[i]);
    }
    size_t rows = (shown + TILES_PER_ROW - 1) / TILES_PER_ROW;
    y -= (double)rows * h + (double)(rows - 1) * gap;
    if (shown < total)
        y = pdf_more_note(p, y, hidden_green ? "scorecard.more_kpis_met" : "scorecard.more_kpis",
                          total - shown);
    return top - y;
}

/* ---- Closure SLAs -------------------------------------------------------- */

static double block_slas(struct pdf *p)
{
    static const char *const codes[] = {"sla.first_response_24h", "sla.closed_48h",
                                        "sla.open_over_72h"};
    const size_t n = sizeof(codes) / sizeof(codes[0]);
    const struct kpi *k[3];
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= (k[i] = dept_figure(p, codes[i])) != NULL;
    if (!any)
        return 0;
    const double gap = 10, h = 50, pad = 9, w = (CONTENT_W - (double)(n - 1) * gap) / (double)n;
    double top = p->y, y = top - pdf_heading(p, top, texts_get(p->t, "scorecard.slas"));
    for (size_t i = 0; i < n; i++) {
        double x = MARGIN_X + (double)i * (w + gap);
        pdf_rect(p, x, y - h, w, h, PANEL);
        pdf_label(p, x + pad, y - 14, SIZE_SMALL, 6.5, w - 2 * pad, MUTED, LEFT,
                  metric_label(p->t, codes[i]));
        char *v = pdf_present(k[i]) ? fmt_metric(p->t, codes[i], k[i]->value)
                                    : xstrdup(texts_get(p->t, "tile.na"));
        pdf_text(p, x + pad, y - 38, 16, pdf_present(k[i]) ? INK : MUTED, LEFT, v);
        /* An absent figure says why where a count would stand ("no usable
         * cases rows in the source"), as every other n/a of the pack does. */
        char *why = pdf_present(k[i]) ? NULL : na_reason(p->t, k[i]);
        if (why) {
            double vw = pdf_text_width(p, v, 16) + 8;
            pdf_label(p, x + w - pad, y - 38, SIZE_SMALL, 6.5, w - 2 * pad - vw, MUTED, RIGHT, why);
            free(why);
        } else if (k[i] && k[i]->n >= 0) {
            char *c = fmt_count(p->t, k[i]->n);
            char *s = texts_format(p->t, "scorecard.sla_cases", "n", c, (char *)NULL);
            pdf_label(p, x + w - pad, y - 38, SIZE_SMALL, 6.5, w / 2 - pad, MUTED, RIGHT, s);
            free(c);
            free(s);
        }
        free(v);
    }
    return top - (y - h);
}

/* ---- Journey touchpoints ------------------------------------------------- */

static double block_journey(struct pdf *p)
{
    size_t n = 0;
    const char **tps = model_dim_values(p->m, "journey.nps", "touchpoint", &n);
    if (!n) {
        free(tps);
        return 0;
    }
    const size_t per_row = 3;
    const double gap = 10, h = 66, w = (CONTENT_W - (double)(per_row - 1) * gap) / (double)per_row;
    double top = p->y, y = top - pdf_heading(p, top, texts_get(p->t, "scorecard.journey"));
    size_t rows = (n + per_row - 1) / per_row;
    bool any_low = false;
    for (size_t i = 0; i < n; i++)
        pdf_journey_box(p, MARGIN_X + (double)(i % per_row) * (w + gap),
                        y - (double)(i / per_row) * (h + gap), w, h, tps[i], &any_low);
    free(tps);
    y -= (double)rows * h + (double)(rows - 1) * gap;
    if (any_low)
        y = pdf_journey_low_note(p, y);
    return top - y;
}

/* ---- Early warnings ------------------------------------------------------ */

static double warning_line(struct pdf *p, double y, struct rgb c, const char *s)
{
    struct lines l = {0};
    pdf_wrap(p, s, SIZE_BODY - 1, CONTENT_W - 14, &l);
    pdf_clamp_lines(p, &l, 2, SIZE_BODY - 1, CONTENT_W - 14);
    double top = y;
    pdf_rect(p, MARGIN_X + 2, y - LEADING_BODY + 6, 5, 5, c);
    for (size_t k = 0; k < l.n; k++) {
        y -= LEADING_BODY - 1;
        pdf_text(p, MARGIN_X + 14, y + 3.5, SIZE_BODY - 1, INK, LEFT, l.v[k]);
    }
    pdf_lines_release(&l);
    return top - y;
}

static double block_warnings(struct pdf *p)
{
    const struct kpi *decline = dept_figure(p, "warn.nps_decline");
    const struct kpi *shift = dept_figure(p, "warn.promoter_to_passive");
    if (!decline && !shift)
        return 0;
    const struct texts *t = p->t;
    double top = p->y, y = top - pdf_heading(p, top, texts_get(t, "scorecard.warnings"));
    if (decline) {
        char *s;
        struct rgb c = MUTED;
        if (!pdf_present(decline)) {
            s = xstrdup(texts_get(t, "scorecard.warn_decline_na"));
        } else if (decline->value > 0.5) {
            const char *why = kpi_flagged(decline, "three_periods")
                                  ? texts_get(t, "scorecard.warn_why_three_periods")
                                  : texts_get(t, "scorecard.warn_why_significant_drop");
            s = texts_format(t, "scorecard.warn_nps_decline", "why", why, (char *)NULL);
            c = RED;
        } else {
            s = xstrdup(texts_get(t, "scorecard.warn_no_decline"));
            c = GREEN;
        }
        y -= warning_line(p, y, c, s);
        free(s);
    }
    if (pdf_present(shift)) {
        char *n = fmt_count(t, llround(shift->value));
        char *of = fmt_count(t, shift->n < 0 ? 0 : shift->n);
        /* "0 of 0" is true but says nothing: with no earlier promoter there
         * was no one to lose. */
        char *s = shift->n > 0 ? texts_format(t, "scorecard.warn_promoter_to_passive", "n", n, "of",
                                              of, (char *)NULL)
                               : xstrdup(texts_get(t, "scorecard.warn_no_earlier_promoters"));
        y -= warning_line(p, y, shift->n <= 0 ? GREY : shift->value > 0 ? AMBER : GREEN, s);
        free(n);
        free(of);
        free(s);
    }
    return top - y;
}

/* ---- Comments on its topics ---------------------------------------------- */

static int newest_first(const void *a, const void *b)
{
    const struct verbatim *x = *(const struct verbatim *const *)a;
    const struct verbatim *y = *(const struct verbatim *const *)b;
    int c = strcmp(y->received ? y->received : "", x->received ? x->received : "");
    return c ? c : (x < y ? -1 : x > y);
}

/* One comment tagged with two of the department's topics comes twice from
 * the model (a verbatim per topic): the same words, day and channel. */
static bool same_comment(const struct verbatim *a, const struct verbatim *b)
{
    return !strcmp(a->body, b->body) && !strcmp(a->received ? a->received : "",
                                                 b->received ? b->received : "") &&
           !strcmp(a->channel ? a->channel : "", b->channel ? b->channel : "");
}

/* The comment of vs[i] once, with every topic it was tagged with. */
static double quote(struct pdf *p, double top, const struct verbatim *const *vs, size_t n, size_t i)
{
    const struct verbatim *v = vs[i];
    char *topics = xstrdup(model_label(p->m, "topic", v->topic));
    for (size_t k = i + 1; k < n; k++) {
        if (!same_comment(v, vs[k]))
            continue;
        char *more = texts_format(p->t, "scorecard.topic_join", "list", topics, "next",
                                  model_label(p->m, "topic", vs[k]->topic), (char *)NULL);
        free(topics);
        topics = more;
    }
    const double indent = 12, width = CONTENT_W - indent;
    char *q = texts_format(p->t, "scorecard.quote", "text", v->body, (char *)NULL);
    struct lines l = {0};
    pdf_wrap(p, q, SIZE_BODY - 0.5, width, &l);
    pdf_clamp_lines(p, &l, MAX_QUOTE_LINES, SIZE_BODY - 0.5, width);
    double y = top;
    for (size_t k = 0; k < l.n; k++) {
        y -= LEADING_BODY - 1;
        pdf_text(p, MARGIN_X + indent, y + 3.5, SIZE_BODY - 0.5, INK, LEFT, l.v[k]);
    }
    char *ch = texts_dim_label(p->t, p->m, "channel", v->channel ? v->channel : "");
    char *date = pdf_fmt_date(p->t, v->received);
    char *meta = xstrfmt("%s · %s · %s", topics, ch, date);
    free(topics);
    y -= 12;
    pdf_label(p, MARGIN_X + indent, y + 3, SIZE_SMALL, 7, width, MUTED, LEFT, meta);
    pdf_rect(p, MARGIN_X + 1, y, 2.5, top - y - 2, ACCENT_LIGHT);
    free(ch);
    free(date);
    free(meta);
    free(q);
    pdf_lines_release(&l);
    return top - y;
}

static double block_verbatims(struct pdf *p)
{
    const struct model *m = p->m;
    const struct verbatim **vs = xcalloc(m->n_verbatims + 1, sizeof(*vs));
    size_t n = 0;
    for (size_t i = 0; i < m->n_verbatims; i++)
        if (m->verbatims[i].topic && m->verbatims[i].body && *m->verbatims[i].body)
            vs[n++] = &m->verbatims[i];
    qsort(vs, n, sizeof(*vs), newest_first);

    double top = p->y, y = top - pdf_heading(p, top, texts_get(p->t, "scorecard.verbatims"));
    if (!n) {
        y -= LEADING_BODY;
        pdf_label(p, MARGIN_X, y + 3.5, SIZE_BODY, 8, CONTENT_W, MUTED, LEFT,
                  texts_get(p->t, "scorecard.no_verbatims"));
    }
    bool draw = p->draw;
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < MAX_QUOTES; i++) {
        bool repeat = false; /* quoted already, under its first topic */
        for (size_t k = 0; k < i && !repeat; k++)
            repeat = same_comment(vs[k], vs[i]);
        if (repeat)
            continue;
        /* Measure first: a comment that does not fit the page is left out
         * whole rather than cut. */
        p->draw = false;
        double h = quote(p, y, vs, n, i) + 8;
        p->draw = draw;
        if (top - y + h > p->avail)
            break;
        y -= quote(p, y, vs, n, i) + 8;
        shown++;
    }
    free(vs);
    return top - y;
}

/* ---- The page ------------------------------------------------------------ */

static const struct pdf_block blocks[] = {
    {"header", block_header, NULL, false},
    {"kpis", block_kpis, "scorecard.kpis", false},
    {"slas", block_slas, "scorecard.slas", false},
    {"journey", block_journey, "scorecard.journey", false},
    {"warnings", block_warnings, "scorecard.warnings", false},
    {"verbatims", block_verbatims, "scorecard.verbatims", false},
};

enum vr_status render_pdf_department(const struct render_ctx *ctx, const char *path,
                                     struct vr_error *err)
{
    if (!ctx->m->department)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "could not write scorecard \"%s\": the model is not a department's slice",
                       path);
    struct pdf p = {.m = ctx->m, .t = ctx->t, .stage = "setting up"};
    char *title = texts_format(p.t, "scorecard.title", "department",
                               model_label(p.m, "department", p.m->department), (char *)NULL);
    enum vr_status st = pdf_doc_open(&p, ctx->font_path, "scorecard", title, path, err);
    free(title);
    if (st != VR_OK)
        return st;
    if (!p.code) {
        p.stage = "drawing";
        pdf_new_page(&p);
        if (p.page)
            pdf_layout_blocks(&p, blocks, sizeof(blocks) / sizeof(blocks[0]), NULL,
                              BLOCK_GAP - 4); /* one page: a little tighter */
        if (p.page && !p.code) {
            p.stage = "drawing the footer";
            pdf_footers(&p);
        }
    }
    return pdf_doc_save(&p, ctx->font_path, "scorecard", path, err);
}
