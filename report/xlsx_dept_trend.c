/* A department's Trend sheet: each KPI's actual over the last twelve
 * reports with its target, one line chart per KPI. */
#include "xlsx_dept.h"

#include "../jobs/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TREND_CHART_ROWS 16 /* rows one trend chart covers */

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
void dept_sheet_trend(struct xw *x)
{
    struct sheet *s = &x->sh[DS_TREND];
    const struct model *m = x->m;
    dept_titles(s, "dept_book.trend_title");
    size_t n = 0;
    const char **dims = dept_kpi_dims(m, m->department, &n);
    struct names dates = {0};
    trend_dates(m, dims, n, &dates);
    if (!n) {
        put_free(s, 3, 0, T(x, "depts.kpi.none"), x->subtitle);
        widen(s, 0, 12.0);
        dept_done(s, 3, 0, true);
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
        kinds[k] = figure_kind(model_label(m, "dept_kpi", dims[k]), 0);
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
    dept_done(s, hdr + 1, 1, true);
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
