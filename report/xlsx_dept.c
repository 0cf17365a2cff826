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

#include "../jobs/strbuf.h"

#include <math.h>
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
    dept_titles(s, "dept_book.topics_title");
    struct names topics = {0};
    owned_topics(x->m, &topics);
    const lxw_row_t hdr = 3;
    if (!topics.n) {
        put_free(s, hdr, 0, T(x, "dept_book.no_topics"), x->subtitle);
        widen(s, 0, 12.0);
        dept_done(s, hdr, 0, true);
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
    dept_done(s, hdr + 1, 1, true);
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
    dept_titles(s, "dept_book.verbatims_title");
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
        dept_done(s, hdr, 0, false);
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
    dept_done(s, hdr + 1, 0, true);
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
    [DS_TOPICS] = {"topics", "dept_book.sheet.topics", sheet_topics, 0, 0},
    [DS_VERBATIMS] = {"verbatims", "dept_book.sheet.verbatims", sheet_verbatims, 0, 0},
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
