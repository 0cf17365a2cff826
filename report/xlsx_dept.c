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
#include "xlsx_dept.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dept_titles(struct sheet *s, const char *title_key)
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

void dept_done(struct sheet *s, lxw_row_t freeze_row, lxw_col_t freeze_col, bool landscape)
{
    worksheet_freeze_panes(s->ws, freeze_row, freeze_col);
    page_setup(s, landscape);
    finish_sheet(s);
}

static void sheet_scorecard(struct xw *x)
{
    struct sheet *s = &x->sh[DS_SCORECARD];
    const char *d = x->m->department;
    dept_titles(s, "dept_book.scorecard_title");
    const lxw_row_t hdr = 3;
    lxw_row_t r = kpi_table(s, hdr, d);
    r++;
    put_para(s, r++, 0, 10, T(x, "depts.kpi.legend"), x->note);
    r++;
    put_free(s, r++, 0, T(x, "depts.warn.title"), x->section);
    dept_warning_table(s, r, d);
    dept_done(s, hdr + 1, 1, true);
    worksheet_activate(s->ws);
}

static void sheet_closure(struct xw *x)
{
    struct sheet *s = &x->sh[DS_CLOSURE];
    dept_titles(s, "dept_book.closure_title");
    lxw_row_t r = closure_table(s, 3, x->m->department);
    r++;
    put_para(s, r, 0, 6, T(x, "depts.closure.legend"), x->note);
    dept_done(s, 4, 1, true);
}

static void sheet_journey(struct xw *x)
{
    struct sheet *s = &x->sh[DS_JOURNEY];
    dept_titles(s, "dept_book.journey_title");
    lxw_row_t r = journey_table(s, 3, x->m->department);
    r++;
    put_para(s, r, 0, 8, T(x, "depts.journey.legend"), x->note);
    dept_done(s, 4, 1, true);
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
    dept_done(s, hdr + 1, 0, false);
}

/* The sheets, tab by tab. */
static const struct xw_sheet dept_sheets[DS_N] = {
    [DS_SCORECARD] = {"scorecard", "dept_book.sheet.scorecard", sheet_scorecard, 0, 0},
    [DS_TREND] = {"trend", "dept_book.sheet.trend", dept_sheet_trend, 0, 0},
    [DS_CLOSURE] = {"closure", "dept_book.sheet.closure", sheet_closure, 0, 0},
    [DS_JOURNEY] = {"journey", "dept_book.sheet.journey", sheet_journey, 0, 0},
    [DS_TOPICS] = {"topics", "dept_book.sheet.topics", dept_sheet_topics, 0, 0},
    [DS_VERBATIMS] = {"verbatims", "dept_book.sheet.verbatims", dept_sheet_verbatims, 0, 0},
    [DS_ABOUT] = {"about", "dept_book.sheet.about", sheet_about, 0, 0},
};

enum vr_status render_xlsx_department(const struct render_ctx *ctx, const char *path,
                                      struct vr_error *err)
{
    if (!ctx->m->department)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "could not write workbook \"%s\": the model names no department", path);
    struct xw x = {0};
    enum vr_status st = xw_open(&x, ctx, path, dept_sheets, DS_N, err);
    if (st == VR_OK) {
        const char *name = model_label(x.m, "department", x.m->department);
        char *title = texts_format(x.t, "dept_book.title", "department", name, (char *)NULL);
        xw_properties(&x, title, T(&x, "dept_book.subject"));
        free(title);
        st = xw_write_sheets(&x, dept_sheets, DS_N, err);
    }
    enum vr_status closed = xw_close(&x, path, err);
    return st != VR_OK ? st : closed;
}
