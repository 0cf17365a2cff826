/* A department's Trend sheet: each KPI's actual over the twelve periods
 * ending with the run's own (docs/decisions.md "Histories by period"), with
 * its target, one line chart per KPI. */
#include "xlsx_dept.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TREND_CHART_ROWS 16 /* rows one trend chart covers */

/* The first days of the periods of D's KPI history, ascending, and the
 * run's own period last (its first day; the as-of without history
 * periods). */
static void trend_dates(const struct model *m, const char **dims, size_t n, struct names *out)
{
    for (size_t i = 0; i < m->n_trend; i++)
        for (size_t k = 0; k < n; k++)
            if (!strcmp(m->trend[i].code, "dept.kpi.actual") && !strcmp(m->trend[i].dims, dims[k]))
                names_add(out, m->trend[i].as_of);
    if (out->n)
        qsort(out->v, out->n, sizeof(*out->v), cmp_str);
    const char *own = m->n_periods ? m->periods[m->n_periods - 1].first_day : m->as_of;
    if (own)
        names_add(out, own); /* kept last even if an earlier point shares the date */
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
    put_hdr(s, hdr, 0, T(x, "dept_book.period_from"), false);
    char **names = xcalloc(n, sizeof(*names));
    enum kind *kinds = xcalloc(n, sizeof(*kinds));
    for (size_t k = 0; k < n; k++) {
        names[k] = kpi_name(x, dims[k]);
        kinds[k] = figure_kind(model_label(m, "dept_kpi", dims[k]), 0);
        put_hdr(s, hdr, (lxw_col_t)(1 + k), names[k], true);
        char *th = texts_format(x->t, "dept_book.target_of", "kpi", names[k], (char *)NULL);
        put_hdr(s, hdr, (lxw_col_t)(1 + n + k), th, true);
        free(th);
    }
    lxw_row_t r = hdr + 1;
    struct strbuf why;
    strbuf_init(&why);
    for (size_t i = 0; i < dates.n; i++, r++) {
        bool now = i + 1 == dates.n;
        put_date(s, r, 0, dates.v[i], K_DATE, S_LEFT | (now ? S_BOLD : 0));
        for (size_t k = 0; k < n; k++) {
            const struct kpi *act = now ? K(x, "dept.kpi.actual", dims[k]) : NULL;
            const struct trend_point *p = now ? NULL : trend_at(m, dims[k], dates.v[i]);
            if (now && has(act))
                put_num(s, r, (lxw_col_t)(1 + k), act->value, kinds[k],
                        S_BOLD | (low(act) ? S_LOW : 0));
            else if (p && p->has_value)
                put_num(s, r, (lxw_col_t)(1 + k), p->value, kinds[k], 0);
            else /* a gap in the chart: the reason goes on the period's date */
                note_missing(x, &why, names[k], act);
            const struct kpi *tgt = K(x, "dept.kpi.target", dims[k]);
            if (has(tgt))
                put_num(s, r, (lxw_col_t)(1 + n + k), tgt->value, kinds[k], S_GREY);
        }
        put_row_note(s, r, 0, &why);
    }
    strbuf_release(&why);
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
        lxw_chart *ch = xw_line_chart(s, first, last, hdr, 0, (lxw_col_t)(1 + k),
                                      (lxw_col_t)(1 + n + k), names[k], kinds[k]);
        if (!ch)
            break;
        chart_axis_set_num_format(ch->x_axis, "yyyy-mm"); /* the periods' first days */
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
