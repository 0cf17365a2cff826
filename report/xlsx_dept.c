/* A department's workbook (docs/departments.md "Files and audiences"):
 * Scorecard, Trend, Closure, Journey, Topics, Verbatims, About, for the
 * department ctx->m->department = D only.
 *
 * The model handed in is normally D's slice, but every sheet still reads
 * only figures whose dims name D, the touchpoints and topics the ownership
 * labels give to D, and the example comments on those topics: handed the
 * full model by mistake, the workbook still shows nothing of another
 * department (defence in depth; tests/check_dept_workbook.py searches
 * every cell).  Comments without a topic (the briefing's detractor quotes)
 * name no owner, so they are never shown here. */
#include "xlsx_book.h"

#include "../jobs/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DS_SCORECARD, DS_TREND, DS_CLOSURE, DS_JOURNEY, DS_TOPICS, DS_VERBATIMS, DS_ABOUT, DS_N };

static const char *const dept_sheet_keys[DS_N] = {
    "dept_book.sheet.scorecard", "dept_book.sheet.trend",  "dept_book.sheet.closure",
    "dept_book.sheet.journey",   "dept_book.sheet.topics", "dept_book.sheet.verbatims",
    "dept_book.sheet.about"};

#define TREND_CHART_ROWS 16 /* rows one trend chart covers */

/* Title ("{department}: ...") and period on rows 0 and 1. */
static void titles(struct sheet *s, const char *title_key)
{
    struct xw *x = s->x;
    const char *name = model_label(x->m, "department", x->m->department);
    char *title = texts_format(x->t, title_key, "department", name, (char *)NULL);
    put_free(s, 0, 0, title, x->title);
    free(title);
    char *period = period_text(x);
    char *sub = texts_format(x->t, "dept_book.subtitle", "period", period, "as_of", nz(x->m->as_of),
                             (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    free(period);
}

static void done(struct sheet *s, lxw_row_t freeze_row, lxw_col_t freeze_col, bool landscape)
{
    worksheet_freeze_panes(s->ws, freeze_row, freeze_col);
    page_setup(s, landscape);
    finish_sheet(s);
}

static void sheet_scorecard(struct xw *x)
{
    struct sheet *s = &x->sh[DS_SCORECARD];
    const char *d = x->m->department;
    titles(s, "dept_book.scorecard_title");
    const lxw_row_t hdr = 3;
    lxw_row_t r = kpi_table(s, hdr, d);
    r++;
    put_para(s, r++, 0, 10, T(x, "depts.kpi.legend"), x->note);
    r++;
    put_free(s, r++, 0, T(x, "depts.warn.title"), x->section);
    dept_warning_table(s, r, d);
    done(s, hdr + 1, 1, true);
    worksheet_activate(s->ws);
}

/* The as-of dates of D's KPI history, ascending, and this run's last. */
static void trend_dates(const struct model *m, const char **dims, size_t n, struct names *out)
{
    for (size_t i = 0; i < m->n_trend; i++)
        for (size_t k = 0; k < n; k++)
            if (!strcmp(m->trend[i].code, "dept.kpi.actual") && !strcmp(m->trend[i].dims, dims[k]))
                names_add(out, m->trend[i].as_of);
    if (out->n)
        qsort(out->v, out->n, sizeof(*out->v), cmp_str);
    if (m->as_of)
        names_add(out, m->as_of); /* kept last even if an earlier point shares the date */
}

static const struct trend_point *trend_at(const struct model *m, const char *dims,
                                          const char *as_of)
{
    for (size_t i = 0; i < m->n_trend; i++)
        if (!strcmp(m->trend[i].code, "dept.kpi.actual") && !strcmp(m->trend[i].dims, dims) &&
            !strcmp(m->trend[i].as_of, as_of))
            return &m->trend[i];
    return NULL;
}

static lxw_chart *trend_chart(struct xw *x, struct sheet *s, lxw_row_t first, lxw_row_t last,
                              lxw_row_t hdr, lxw_col_t col, lxw_col_t tcol, const char *title,
                              enum kind kind)
{
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
    if (!ch) {
        chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    char range[LXW_MAX_CELL_RANGE_LENGTH], name[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_range_abs(range, first, 0, last, 0);
    char *cats = xstrfmt("=%s!%s", s->ref, range);
    const lxw_col_t cols[2] = {col, tcol};
    const lxw_color_t colours[2] = {0x1F4E78, 0x9C5700};
    for (int i = 0; i < 2; i++) {
        lxw_rowcol_to_range_abs(range, first, cols[i], last, cols[i]);
        char *vals = xstrfmt("=%s!%s", s->ref, range);
        lxw_chart_series *ser = chart_add_series(ch, cats, vals);
        free(vals);
        if (!ser) {
            chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
            break;
        }
        cell_ref(name, hdr, cols[i], true);
        char *nref = xstrfmt("=%s!%s", s->ref, name);
        chart_series_set_name(ser, nref);
        free(nref);
        lxw_chart_line ln = {.color = colours[i],
                             .width = i ? 1.25 : 2.25,
                             .dash_type = i ? LXW_CHART_LINE_DASH_DASH : 0};
        chart_series_set_line(ser, &ln);
        if (!i) {
            chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
            chart_series_set_marker_size(ser, 5);
            lxw_chart_fill mf = {.color = colours[i]};
            chart_series_set_marker_fill(ser, &mf);
        } else {
            chart_series_set_marker_type(ser, LXW_CHART_MARKER_NONE);
        }
    }
    free(cats);
    chart_title_set_name(ch, xw_str(x, title));
    lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
    chart_title_set_name_font(ch, &title_font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    chart_axis_set_num_format(ch->y_axis, kind == K_PCT ? "0%" : "#,##0");
    lxw_chart_font axis_font = {.size = 8, .rotation = -45};
    chart_axis_set_num_font(ch->x_axis, &axis_font);
    return ch;
}

/* Twelve points per KPI: the eleven earlier reports (model->trend) and this
 * run; one line chart per KPI (their scales differ: NPS, shares, counts),
 * each with its target as a dashed line.  A report with no value leaves
 * its cell empty, a gap in the line rather than a fall to zero. */
static void sheet_trend(struct xw *x)
{
    struct sheet *s = &x->sh[DS_TREND];
    const struct model *m = x->m;
    titles(s, "dept_book.trend_title");
    size_t n = 0;
    const char **dims = dept_kpi_dims(m, m->department, &n);
    struct names dates = {0};
    trend_dates(m, dims, n, &dates);
    if (!n) {
        put_free(s, 3, 0, T(x, "depts.kpi.none"), x->subtitle);
        widen(s, 0, 12.0);
        done(s, 3, 0, true);
        free(dims);
        names_release(&dates);
        return;
    }

    const lxw_row_t hdr = 3;
    put_hdr(s, hdr, 0, T(x, "dept_book.as_of"), false);
    char **names = xcalloc(n, sizeof(*names));
    enum kind *kinds = xcalloc(n, sizeof(*kinds));
    for (size_t k = 0; k < n; k++) {
        char kpi[128];
        dim_value(dims[k], "kpi", kpi, sizeof(kpi));
        names[k] = texts_dim_label(x->t, x->m, "kpi", kpi);
        kinds[k] = metric_kind(model_label(m, "dept_kpi", dims[k]));
        put_hdr(s, hdr, (lxw_col_t)(1 + k), names[k], true);
        char *th = texts_format(x->t, "dept_book.target_of", "kpi", names[k], (char *)NULL);
        put_hdr(s, hdr, (lxw_col_t)(1 + n + k), th, true);
        free(th);
    }
    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < dates.n; i++, r++) {
        bool now = i + 1 == dates.n;
        put_cell_text(s, r, 0, dates.v[i], now ? S_BOLD : 0);
        for (size_t k = 0; k < n; k++) {
            const struct kpi *act = now ? K(x, "dept.kpi.actual", dims[k]) : NULL;
            const struct trend_point *p = now ? NULL : trend_at(m, dims[k], dates.v[i]);
            if (now && has(act))
                put_num(s, r, (lxw_col_t)(1 + k), act->value, kinds[k],
                        S_BOLD | (low(act) ? S_LOW : 0));
            else if (p && p->has_value)
                put_num(s, r, (lxw_col_t)(1 + k), p->value, kinds[k], 0);
            const struct kpi *tgt = K(x, "dept.kpi.target", dims[k]);
            if (has(tgt))
                put_num(s, r, (lxw_col_t)(1 + n + k), tgt->value, kinds[k], S_GREY);
        }
    }
    const lxw_row_t first = hdr + 1, last = r - 1;
    r++;
    put_para(s, r++, 0, (lxw_col_t)(2 * n), T(x, "dept_book.trend_legend"), x->note);
    r++;
    lxw_row_t chart_row = r;
    done(s, hdr + 1, 1, true);
    /* Printed, a page break through a chart cuts it in two, and with
     * fit-to-width LibreOffice and Excel ignore manual breaks: up to six
     * KPIs (three rows of charts) go on one landscape page instead. */
    if (n <= 6)
        worksheet_fit_to_pages(s->ws, 1, 1);

    for (size_t k = 0; k < n; k++) {
        lxw_chart *ch = trend_chart(x, s, first, last, hdr, (lxw_col_t)(1 + k),
                                    (lxw_col_t)(1 + n + k), names[k], kinds[k]);
        if (!ch)
            break;
        lxw_chart_options opt = {.x_offset = (k % 2) ? 500 : 0,
                                 .y_offset = 4,
                                 .x_scale = 1.0,
                                 .y_scale = (TREND_CHART_ROWS * 20.0 - 12.0) / 288.0,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        lxw_row_t at = chart_row + (lxw_row_t)(k / 2) * TREND_CHART_ROWS;
        chk_cell(s, at, 0, worksheet_insert_chart_opt(s->ws, at, 0, ch, &opt));
    }
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    free(names);
    free(kinds);
    free(dims);
    names_release(&dates);
}

static void sheet_closure(struct xw *x)
{
    struct sheet *s = &x->sh[DS_CLOSURE];
    titles(s, "dept_book.closure_title");
    lxw_row_t r = closure_table(s, 3, x->m->department);
    r++;
    put_para(s, r, 0, 6, T(x, "depts.closure.legend"), x->note);
    done(s, 4, 1, true);
}

static void sheet_journey(struct xw *x)
{
    struct sheet *s = &x->sh[DS_JOURNEY];
    titles(s, "dept_book.journey_title");
    lxw_row_t r = journey_table(s, 3, x->m->department);
    r++;
    put_para(s, r, 0, 8, T(x, "depts.journey.legend"), x->note);
    done(s, 4, 1, true);
}

/* D's topics: those the ownership labels give to D and that have figures,
 * in the order the model first names them. */
static void owned_topics(const struct model *m, struct names *out)
{
    static const char *const codes[] = {"topic.mentions", "topic.negative", "topic.rank"};
    for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
        size_t n = 0;
        const char **v = model_dim_values(m, codes[c], "topic", &n);
        for (size_t i = 0; i < n; i++)
            if (dept_owns(m, "owner_topic", v[i], m->department))
                names_add(out, v[i]);
        free(v);
    }
}

enum { DT_TOPIC, DT_MENTIONS, DT_NEG, DT_PRIOR, DT_CHANGE, DT_SCORE, DT_NCOLS };

static void sheet_topics(struct xw *x)
{
    struct sheet *s = &x->sh[DS_TOPICS];
    titles(s, "dept_book.topics_title");
    struct names topics = {0};
    owned_topics(x->m, &topics);
    const lxw_row_t hdr = 3;
    if (!topics.n) {
        put_free(s, hdr, 0, T(x, "dept_book.no_topics"), x->subtitle);
        widen(s, 0, 12.0);
        done(s, hdr, 0, true);
        names_release(&topics);
        return;
    }
    static const char *const keys[DT_NCOLS] = {"topics.topic",    "topics.mentions",
                                               "topics.negative", "topics.negative_prior",
                                               "topics.change",   "topics.sentiment"};
    for (int c = 0; c < DT_NCOLS; c++)
        put_hdr(s, hdr, (lxw_col_t)c, T(x, keys[c]), c != DT_TOPIC);
    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < topics.n; i++, r++) {
        char dims[300];
        snprintf(dims, sizeof(dims), "topic=%s", topics.v[i]);
        put_cell_text(s, r, DT_TOPIC, model_label(x->m, "topic", topics.v[i]), 0);
        put_kpi(s, r, DT_MENTIONS, K(x, "topic.mentions", dims), K_INT, 0);
        put_kpi(s, r, DT_NEG, K(x, "topic.negative", dims), K_INT, S_BOLD);
        put_kpi(s, r, DT_PRIOR, K(x, "topic.negative_prior", dims), K_INT, 0);
        put_kpi(s, r, DT_CHANGE, K(x, "topic.negative_change", dims), K_PCT_SIGNED, 0);
        const struct kpi *sc = K(x, "topic.sentiment_score", dims);
        put_kpi(s, r, DT_SCORE, sc, K_SCORE, low(sc) ? S_LOW : 0);
    }
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, DT_NCOLS - 1));
    names_release(&topics);
    done(s, hdr + 1, 1, true);
}

static int by_topic_then_newest(const void *a, const void *b)
{
    const struct verbatim *p = *(const struct verbatim *const *)a,
                          *q = *(const struct verbatim *const *)b;
    int c = strcmp(p->topic, q->topic);
    return c ? c : strcmp(nz(q->received), nz(p->received));
}

static void sheet_verbatims(struct xw *x)
{
    struct sheet *s = &x->sh[DS_VERBATIMS];
    const struct model *m = x->m;
    titles(s, "dept_book.verbatims_title");
    const struct verbatim **v = xcalloc(m->n_verbatims + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < m->n_verbatims; i++)
        if (m->verbatims[i].topic &&
            dept_owns(m, "owner_topic", m->verbatims[i].topic, m->department))
            v[n++] = &m->verbatims[i];
    const lxw_row_t hdr = 3;
    if (!n) {
        put_free(s, hdr, 0, T(x, "dept_book.no_verbatims"), x->subtitle);
        widen(s, 0, 12.0);
        done(s, hdr, 0, false);
        free(v);
        return;
    }
    qsort(v, n, sizeof(*v), by_topic_then_newest);
    put_hdr(s, hdr, 0, T(x, "topics.topic"), false);
    put_hdr(s, hdr, 1, T(x, "topics.received"), false);
    put_hdr(s, hdr, 2, T(x, "topics.channel"), false);
    put_hdr(s, hdr, 3, T(x, "topics.comment"), false);
    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < n; i++, r++) {
        put_cell_text(s, r, 0, model_label(m, "topic", v[i]->topic), 0);
        put_cell_text(s, r, 1, nz(v[i]->received), 0);
        char *ch = v[i]->channel && *v[i]->channel
                       ? texts_dim_label(x->t, x->m, "channel", v[i]->channel)
                       : xstrdup("");
        put_cell_text(s, r, 2, ch, 0);
        free(ch);
        put_para(s, r, 3, 3, v[i]->body, x->para);
    }
    s->fixed[3] = 70.0; /* comments wrap in one wide column */
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, 3));
    free(v);
    done(s, hdr + 1, 0, true);
}

static void sheet_about(struct xw *x)
{
    struct sheet *s = &x->sh[DS_ABOUT];
    const lxw_row_t hdr = 2;
    lxw_row_t r = about_table(s, hdr);
    r++;
    put_text(s, r, 0, T(x, "dept_book.department"), NULL);
    put_cell_text(s, r++, 1, model_label(x->m, "department", x->m->department), 0);
    put_text(s, r, 0, T(x, "dept_book.department_code"), NULL);
    put_cell_text(s, r++, 1, x->m->department, 0);
    worksheet_gridlines(s->ws, LXW_HIDE_ALL_GRIDLINES);
    done(s, hdr + 1, 0, false);
}

enum vr_status render_xlsx_department(const struct render_ctx *ctx, const char *path,
                                      struct vr_error *err)
{
    if (!ctx->m->department)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "could not write workbook \"%s\": the model names no department", path);
    struct xw x = {0};
    enum vr_status st = xw_open(&x, ctx, path, dept_sheet_keys, DS_N, err);
    if (st == VR_OK) {
        const char *name = model_label(x.m, "department", x.m->department);
        char *title = texts_format(x.t, "dept_book.title", "department", name, (char *)NULL);
        xw_properties(&x, title, T(&x, "dept_book.subject"));
        sheet_scorecard(&x);
        sheet_trend(&x);
        sheet_closure(&x);
        sheet_journey(&x);
        sheet_topics(&x);
        sheet_verbatims(&x);
        sheet_about(&x);
        free(title);
    }
    enum vr_status closed = xw_close(&x, path, err);
    return st != VR_OK ? st : closed;
}
