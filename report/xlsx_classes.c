/* The sheets of what customers are worth: Customer classes (revenue,
 * churn, ARPU and LTV by promoter, passive, detractor and no score, their
 * inputs, the comparison) and Root cause (what each topic's complaints
 * cost in customers lost and revenue at risk, at ltv_all). */
#include "xlsx_exec.h"

#include "findings.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Input cells on the Customer classes sheet (column B). */
enum { IN_ROW_GM = 4, IN_ROW_FLOOR = 5, IN_ROW_SHIFT = 6 };

static const char *const class_names[4] = {"promoter", "passive", "detractor", "none"};
/* Rows a class chart covers at its default height (288 px of 20 px rows),
 * and a little air. */
#define CHART_ROWS 17

/* A parameter as a number: the figure the run used, else the parameter's
 * text, else the metrics.md default. */
static double param_number(const struct xw *x, const char *name, double dflt)
{
    double v;
    if (model_value(x->m, name, "", &v) && isfinite(v))
        return v;
    const char *p = model_param(x->m, name);
    if (p && parse_decimal(p, &v))
        return v;
    return dflt;
}

/* LTV over its cells: ARPU x gross margin / MAX(churn rate, floor), n/a
 * unless ARPU and the churn rate are numbers (class.ltv, ltv_all). */
static char *ltv_formula(const struct xw *x, const char *arpu, const char *churn, const char *gm,
                         const char *floor)
{
    return xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),%s*%s/MAX(%s,%s),%s)", arpu, churn, arpu, gm,
                   churn, floor, x->na_lit);
}

void sheet_classes(struct xw *x)
{
    struct sheet *s = &x->sh[SH_CLASSES];
    char b[LXW_MAX_CELL_NAME_LENGTH], c[LXW_MAX_CELL_NAME_LENGTH], e[LXW_MAX_CELL_NAME_LENGTH],
        f[LXW_MAX_CELL_NAME_LENGTH], gm[LXW_MAX_CELL_NAME_LENGTH], fl[LXW_MAX_CELL_NAME_LENGTH],
        sp[LXW_MAX_CELL_NAME_LENGTH];

    put_free(s, 0, 0, T(x, "classes.title"), x->title);
    char *sub =
        texts_format(x->t, "classes.subtitle", "last", nz(x->m->period_last_day), (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    /* Inputs. */
    put_free(s, 3, 0, T(x, "classes.inputs"), x->section);
    put_text(s, IN_ROW_GM, 0, T(x, "classes.gross_margin"), NULL);
    put_num(s, IN_ROW_GM, 1, param_number(x, "gross_margin", 1.0), K_PCT, S_INPUT);
    put_text(s, IN_ROW_FLOOR, 0, T(x, "classes.churn_floor"), NULL);
    put_num(s, IN_ROW_FLOOR, 1, param_number(x, "churn_floor", 0.01), K_PCT, S_INPUT);
    put_text(s, IN_ROW_SHIFT, 0, T(x, "classes.shift_pct"), NULL);
    put_num(s, IN_ROW_SHIFT, 1, param_number(x, "shift_pct", 0.01), K_PCT, S_INPUT);
    cell_ref(gm, IN_ROW_GM, 1, true);
    cell_ref(fl, IN_ROW_FLOOR, 1, true);
    cell_ref(sp, IN_ROW_SHIFT, 1, true);

    /* The table. */
    const lxw_row_t hdr = 8;
    char *rev_hdr = with_currency(x, "classes.revenue");
    char *arpu_hdr = with_currency(x, "classes.arpu");
    char *ltv_hdr = with_currency(x, "classes.ltv");
    put_hdr(s, hdr, CC_CLASS, T(x, "classes.class"), false);
    put_hdr(s, hdr, CC_CUSTOMERS, T(x, "classes.customers"), true);
    put_hdr(s, hdr, CC_REVENUE, rev_hdr, true);
    put_hdr(s, hdr, CC_REPEAT, T(x, "classes.repeat_rate"), true);
    put_hdr(s, hdr, CC_CHURN, T(x, "classes.churn_rate"), true);
    put_hdr(s, hdr, CC_ARPU, arpu_hdr, true);
    put_hdr(s, hdr, CC_LTV, ltv_hdr, true);
    char *run_arpu_hdr = with_currency(x, "classes.run_arpu");
    char *run_ltv_hdr = with_currency(x, "classes.run_ltv");
    put_hdr(s, hdr, CC_RUN_ARPU, run_arpu_hdr, true);
    put_hdr(s, hdr, CC_RUN_LTV, run_ltv_hdr, true);
    free(run_arpu_hdr);
    free(run_ltv_hdr);
    s->fixed[CC_N] = 3.0; /* spacer */

    x->e->class_row0 = hdr + 1;
    double cust_sum = 0; /* the SUM of the customer cells */

    for (int i = 0; i < 4; i++) {
        lxw_row_t r = x->e->class_row0 + (lxw_row_t)i;
        char dims[32], key[32];
        snprintf(dims, sizeof(dims), "class=%s", class_names[i]);
        snprintf(key, sizeof(key), "class.%s", class_names[i]);
        const struct kpi *kc = K(x, "class.customers", dims);
        const struct kpi *kr = K(x, "class.revenue", dims);
        const struct kpi *kch = K(x, "class.churn_rate", dims);
        put_cell_text(s, r, CC_CLASS, T(x, key), 0);
        put_kpi(s, r, CC_CUSTOMERS, kc, 0);
        put_kpi(s, r, CC_REVENUE, kr, 0);
        put_kpi(s, r, CC_REPEAT, K(x, "class.repeat_rate", dims), 0);
        /* The charts read churn and the run's ARPU: their notes go on the
         * class's name. */
        struct strbuf why;
        strbuf_init(&why);
        put_kpi_point(s, r, CC_CHURN, kch, 0, &why, T(x, "classes.churn_rate"));
        put_kpi_point(s, r, CC_RUN_ARPU, K(x, "class.arpu", dims), 0, &why,
                      T(x, "classes.run_arpu"));
        put_row_note(s, r, CC_CLASS, &why);
        strbuf_release(&why);
        put_kpi(s, r, CC_RUN_LTV, K(x, "class.ltv", dims), 0);
        if (has(kc))
            cust_sum += kc->value;
        if (has(kr))
            x->e->class_rev_known = true;

        cell_ref(b, r, CC_CUSTOMERS, false);
        cell_ref(c, r, CC_REVENUE, false);
        cell_ref(e, r, CC_CHURN, false);
        cell_ref(f, r, CC_ARPU, false);
        if (!has(kc) || !has(kr)) {
            /* Nothing to compute from: no formula that would show #VALUE!. */
            put_missing(s, r, CC_ARPU, K(x, "class.arpu", dims));
            put_missing(s, r, CC_LTV, K(x, "class.ltv", dims));
            continue;
        }
        char *fa = xstrfmt("=IF(%s=0,%s,%s/%s)", b, x->na_lit, c, b);
        put_formula_fig(s, r, CC_ARPU, fa, "class.arpu", dims, 0);
        free(fa);
        char *fm = ltv_formula(x, f, e, gm, fl);
        put_formula_fig(s, r, CC_LTV, fm, "class.ltv", dims, 0);
        free(fm);
    }

    /* All customers: the inputs of ltv_all. */
    lxw_row_t ar = x->e->class_row0 + 4;
    x->e->all_row = ar;
    char first[LXW_MAX_CELL_NAME_LENGTH], last[LXW_MAX_CELL_NAME_LENGTH];
    put_cell_text(s, ar, CC_CLASS, T(x, "classes.all"), S_TOTAL);
    cell_ref(first, x->e->class_row0, CC_CUSTOMERS, false);
    cell_ref(last, x->e->class_row0 + 3, CC_CUSTOMERS, false);
    char *fs = xstrfmt("=SUM(%s:%s)", first, last);
    put_formula(s, ar, CC_CUSTOMERS, fs, true, cust_sum, K_INT, S_TOTAL);
    free(fs);
    cell_ref(first, x->e->class_row0, CC_REVENUE, false);
    cell_ref(last, x->e->class_row0 + 3, CC_REVENUE, false);
    /* No revenue at all (no orders view) is n/a, not a sum of 0.00. */
    fs = x->e->class_rev_known
             ? xstrfmt("=SUM(%s:%s)", first, last)
             : xstrfmt("=IF(COUNT(%s:%s)=0,%s,SUM(%s:%s))", first, last, x->na_lit, first, last);
    put_formula_fig(s, ar, CC_REVENUE, fs, "recon.revenue_classes", "", S_TOTAL);
    free(fs);
    chk_cell(s, ar, CC_REPEAT,
             worksheet_write_blank(s->ws, ar, CC_REPEAT, cell_format(x, K_TEXT, S_TOTAL)));
    const struct kpi *kall = K(x, "churn_rate", "");
    put_kpi(s, ar, CC_CHURN, kall, S_TOTAL);
    cell_ref(b, ar, CC_CUSTOMERS, false);
    cell_ref(c, ar, CC_REVENUE, false);
    cell_ref(e, ar, CC_CHURN, false);
    cell_ref(f, ar, CC_ARPU, false);
    /* Without any revenue the total is n/a, and so is what follows from it. */
    char *fa = x->e->class_rev_known
                   ? xstrfmt("=IF(%s=0,%s,%s/%s)", b, x->na_lit, c, b)
                   : xstrfmt("=IF(ISNUMBER(%s),IF(%s=0,%s,%s/%s),%s)", c, b, x->na_lit, c, b,
                             x->na_lit);
    put_formula_fig(s, ar, CC_ARPU, fa, "arpu_all", "", S_TOTAL);
    free(fa);
    char *fm = ltv_formula(x, f, e, gm, fl);
    put_formula_fig(s, ar, CC_LTV, fm, "ltv_all", "", S_TOTAL);
    free(fm);
    chk_cell(s, ar, CC_RUN_ARPU,
             worksheet_write_blank(s->ws, ar, CC_RUN_ARPU, cell_format(x, K_TEXT, S_TOTAL)));
    put_kpi(s, ar, CC_RUN_LTV, K(x, "ltv_all", ""), S_TOTAL);

    /* Promoters vs detractors. */
    lxw_row_t cr = ar + 2;
    put_free(s, cr, 0, T(x, "classes.comparison"), x->section);
    const int P = 0, PA = 1, D = 2;
    char p_ref[LXW_MAX_CELL_NAME_LENGTH], d_ref[LXW_MAX_CELL_NAME_LENGTH],
        pa_ref[LXW_MAX_CELL_NAME_LENGTH], dc_ref[LXW_MAX_CELL_NAME_LENGTH];
    struct {
        const char *label, *code;
        lxw_col_t col;
    } ratios[2] = {{"classes.arpu_ratio", "class.arpu_ratio", CC_ARPU},
                   {"classes.ltv_ratio", "class.ltv_ratio", CC_LTV}};
    for (int i = 0; i < 2; i++) {
        lxw_row_t r = cr + 1 + (lxw_row_t)i;
        cell_ref(p_ref, x->e->class_row0 + (lxw_row_t)P, ratios[i].col, false);
        cell_ref(d_ref, x->e->class_row0 + (lxw_row_t)D, ratios[i].col, false);
        put_text(s, r, 0, T(x, ratios[i].label), NULL);
        char *fr = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s),%s<>0),%s/%s,%s)", p_ref, d_ref,
                           d_ref, p_ref, d_ref, x->na_lit);
        put_formula_fig(s, r, 1, fr, ratios[i].code, "", S_BOLD);
        free(fr);
    }
    struct {
        const char *label, *code;
        lxw_col_t col;
    } gains[2] = {{"classes.revenue_gain", "shift.revenue_gain", CC_ARPU},
                  {"classes.ltv_gain", "shift.ltv_gain", CC_LTV}};
    cell_ref(dc_ref, x->e->class_row0 + (lxw_row_t)D, CC_CUSTOMERS, false);
    for (int i = 0; i < 2; i++) {
        lxw_row_t r = cr + 3 + (lxw_row_t)i;
        cell_ref(pa_ref, x->e->class_row0 + (lxw_row_t)PA, gains[i].col, false);
        cell_ref(d_ref, x->e->class_row0 + (lxw_row_t)D, gains[i].col, false);
        char *label = with_currency(x, gains[i].label);
        put_text(s, r, 0, label, NULL);
        free(label);
        char *fg = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),%s*%s*(%s-%s),%s)", pa_ref, d_ref,
                           sp, dc_ref, pa_ref, d_ref, x->na_lit);
        put_formula_fig(s, r, 1, fg, gains[i].code, "", S_BOLD);
        free(fg);
    }
    lxw_row_t nr = cr + 6;
    put_para(s, nr, 0, CC_RUN_N - 1, T(x, "classes.formulas"), x->note);
    put_para(s, nr + 1, 0, CC_RUN_N - 1, T(x, "classes.run_note"), x->note);
    nr++;

    /* What detractors say, under the charts (about 15 rows each): every
     * quote the run chose, in its order; the briefing shows what its page
     * has room for and counts the rest here. */
    lxw_row_t qr = nr + 2 + CHART_ROWS;
    put_free(s, qr++, 0, T(x, "classes.quotes_title"), x->section);
    put_hdr(s, qr, 0, T(x, "topics.received"), false);
    put_hdr(s, qr, 1, T(x, "topics.channel"), false);
    merge_text(s, qr, 2, CC_RUN_N - 1, T(x, "topics.comment"), x->hdr);
    qr++;
    size_t n_quotes = 0;
    for (size_t i = 0; i < x->m->n_verbatims; i++) {
        const struct verbatim *v = &x->m->verbatims[i];
        if (v->topic)
            continue; /* a topic's example: the Topics sheet's */
        put_cell_text(s, qr, 0, nz(v->received), 0);
        char *ch = v->channel && *v->channel ? texts_dim_label(x->t, x->m, "channel", v->channel)
                                             : xstrdup("");
        put_cell_text(s, qr, 1, ch, 0);
        free(ch);
        put_para(s, qr++, 2, CC_RUN_N - 1, v->body, x->para);
        n_quotes++;
    }
    if (!n_quotes)
        put_free(s, qr, 0, T(x, "classes.no_quotes"), cell_format(x, K_TEXT, S_GREY));

    worksheet_freeze_panes(s->ws, hdr + 1, 1);
    page_setup(s, true);
    finish_sheet(s);

    /* Charts below the notes, side by side: ARPU over columns A..C, churn
     * rate over D..G. */
    lxw_row_t chart_row = nr + 2;
    const lxw_col_t spans[2][2] = {{0, 2}, {3, CC_N - 1}};
    const lxw_col_t value_col[2] = {CC_RUN_ARPU, CC_CHURN};
    const char *titles[2] = {"classes.chart_arpu", "classes.chart_churn"};
    const char *axis_fmt[2] = {"#,##0", "0%"};
    const char *label_fmt[2] = {"#,##0.00", "0.0%"};
    const lxw_color_t colours[4] = {0x2E7D32, 0xF9A825, 0xC62828, 0x9E9E9E};
    const char *value_code[2] = {"class.arpu", "class.churn_rate"};
    for (int i = 0; i < 2; i++) {
        /* A chart of four empty columns reads as four zeros: say why instead. */
        const struct kpi *first_class = NULL;
        bool any = false;
        for (int k = 0; k < 4 && !any; k++) {
            char dims[32];
            snprintf(dims, sizeof(dims), "class=%s", class_names[k]);
            const struct kpi *kv = K(x, value_code[i], dims);
            any = has(kv);
            if (!first_class)
                first_class = kv;
        }
        if (!any) {
            char *why = na_why(x, first_class);
            char *line = texts_format(x->t, "classes.chart_none", "chart", T(x, titles[i]),
                                      "why", why, (char *)NULL);
            put_free(s, chart_row + (lxw_row_t)i, 0, line, x->subtitle);
            free(line);
            free(why);
            continue;
        }
        lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
        if (!ch) {
            chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        char range[LXW_MAX_CELL_RANGE_LENGTH];
        lxw_rowcol_to_range_abs(range, x->e->class_row0, CC_CLASS, x->e->class_row0 + 3, CC_CLASS);
        char *cats = xstrfmt("=%s!%s", s->ref, range);
        lxw_rowcol_to_range_abs(range, x->e->class_row0, value_col[i], x->e->class_row0 + 3,
                                value_col[i]);
        char *vals = xstrfmt("=%s!%s", s->ref, range);
        lxw_chart_series *ser = chart_add_series(ch, cats, vals);
        free(cats);
        free(vals);
        if (!ser) {
            chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        chart_series_set_name(ser, xw_str(x, T(x, i == 0 ? "classes.arpu" : "classes.churn_rate")));
        lxw_chart_fill fills[4];
        lxw_chart_point pts[4];
        lxw_chart_point *ptrs[5];
        for (int k = 0; k < 4; k++) {
            fills[k] = (lxw_chart_fill){.color = colours[k]};
            pts[k] = (lxw_chart_point){.fill = &fills[k]};
            ptrs[k] = &pts[k];
        }
        ptrs[4] = NULL;
        chk_sheet(s, chart_series_set_points(ser, ptrs));
        chart_series_set_labels(ser);
        chart_series_set_labels_num_format(ser, label_fmt[i]);
        chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_OUTSIDE_END);
        chart_title_set_name(ch, xw_str(x, T(x, titles[i])));
        lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
        chart_title_set_name_font(ch, &title_font);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        chart_axis_set_num_format(ch->y_axis, axis_fmt[i]);
        chart_axis_set_min(ch->y_axis, 0);

        double px = 0;
        for (lxw_col_t k = spans[i][0]; k <= spans[i][1]; k++)
            px += col_width(s, k) * 7.0 + 5.0;
        lxw_chart_options opt = {.x_offset = i == 0 ? 0 : 8,
                                 .y_offset = 4,
                                 .x_scale = (px - 12.0) / 480.0,
                                 .y_scale = 1.0,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        chk_cell(s, chart_row, spans[i][0],
                 worksheet_insert_chart_opt(s->ws, chart_row, spans[i][0], ch, &opt));
    }

    free(rev_hdr);
    free(arpu_hdr);
    free(ltv_hdr);
}

/* ------------------------------------------------------------------ */
/* Root cause (decisions.md "Topics, share of voice and root cause")  */

enum {
    RC_TOPIC,
    RC_A,
    RC_A_CHURN,
    RC_B,
    RC_B_CHURN,
    RC_GAP,
    RC_P,
    RC_SIG,
    RC_LOST,
    RC_REV,
    RC_N,
    RC_RUN_REV = RC_N + 1,
    RC_NCOLS
};

/* The input row of the Root cause sheet: ltv_all, linked to the Customer
 * classes sheet. */
enum { RC_ROW_LTV = 3, RC_LTV_COL = RC_B_CHURN };

struct cohort_line {
    const char *code;
    bool has_rev;
    double rev;
};

static int by_risk(const void *a, const void *b)
{
    const struct cohort_line *p = a, *q = b;
    if (p->has_rev != q->has_rev)
        return p->has_rev ? -1 : 1;
    if (p->has_rev && p->rev != q->rev)
        return p->rev > q->rev ? -1 : 1;
    return strcmp(p->code, q->code);
}

/* A figure derived from the cells beside it: the formula (freed here)
 * with the run's figure cached, or n/a where the run has none. */
static void derived(struct sheet *s, lxw_row_t r, lxw_col_t c, const char *code, const char *dims,
                    char *formula, unsigned st, unsigned na_st)
{
    if (has(K(s->x, code, dims)))
        put_formula_fig(s, r, c, formula, code, dims, st);
    else
        put_na(s, r, c, na_st);
    free(formula);
}

void sheet_root(struct xw *x)
{
    struct sheet *s = &x->sh[SH_ROOT];
    size_t n = 0;
    const char **codes = model_dim_values(x->m, "cohort.a_customers", "topic", &n);
    if (!n) {
        free(codes);
        sheet_empty(s, "root.title", "root.none");
        return;
    }
    put_free(s, 0, 0, T(x, "root.title"), x->title);
    char *sub =
        texts_format(x->t, "root.subtitle", "last", nz(x->m->period_last_day), (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    /* ltv_all: a link to the Customer classes sheet, labelled. */
    char ltv[LXW_MAX_CELL_NAME_LENGTH], ref[LXW_MAX_CELL_NAME_LENGTH];
    /* The label runs over the empty cells to its right. */
    char *ltv_label = with_currency(x, "root.ltv_all");
    put_free(s, RC_ROW_LTV, RC_TOPIC, ltv_label, x->label);
    free(ltv_label);
    cell_ref(ref, x->e->all_row, CC_LTV, true);
    char *fl = xstrfmt("=%s!%s", x->sh[SH_CLASSES].ref, ref);
    put_formula_fig(s, RC_ROW_LTV, RC_LTV_COL, fl, "ltv_all", "", S_BOLD);
    free(fl);
    char *from = texts_format(x->t, "root.ltv_from", "sheet", x->sh[SH_CLASSES].name, (char *)NULL);
    put_free(s, RC_ROW_LTV, RC_LTV_COL + 1, from, x->subtitle);
    free(from);
    cell_ref(ltv, RC_ROW_LTV, RC_LTV_COL, true);

    /* The exposure window in words. */
    double window = param_number(x, "cohort_window_months", 12);
    double gap = param_number(x, "outcome_gap_months", 3);
    char wtext[32], gtext[32];
    snprintf(wtext, sizeof(wtext), "%g", window);
    snprintf(gtext, sizeof(gtext), "%g", gap);
    const struct model *m = x->m;
    char *words =
        m->cohort_first_day && m->cohort_last_day && m->period_last_day
            ? texts_format(x->t, "root.window", "window", wtext, "gap", gtext, "from",
                           m->cohort_first_day, "to", m->cohort_last_day, "last",
                           m->period_last_day, (char *)NULL)
            : texts_format(x->t, "root.window_bare", "window", wtext, "gap", gtext, (char *)NULL);
    const lxw_row_t para_row = RC_ROW_LTV + 2;
    put_para(s, para_row, 0, RC_N - 1, words, x->para);
    free(words);

    const lxw_row_t hdr = para_row + 2;
    static const char *const cols[RC_N] = {
        "root.topic", "root.a_customers", "root.a_churn",      "root.b_customers", "root.b_churn",
        "root.gap",   "root.p_value",     "root.significance", "root.lost",        "root.revenue"};
    for (int c = 0; c < RC_N; c++) {
        char *h = c == RC_REV ? with_currency(x, cols[c]) : xstrdup(T(x, cols[c]));
        put_hdr(s, hdr, (lxw_col_t)c, h, c != RC_TOPIC && c != RC_SIG);
        free(h);
    }
    char *run_hdr = with_currency(x, "root.run_revenue");
    put_hdr(s, hdr, RC_RUN_REV, run_hdr, true);
    free(run_hdr);
    s->fixed[RC_N] = 3.0; /* spacer */

    /* Costliest first. */
    struct cohort_line *lines = xcalloc(n, sizeof(*lines));
    for (size_t i = 0; i < n; i++) {
        const struct kpi *rv = topic_kpi(x, "cohort.revenue_at_risk", codes[i]);
        lines[i] = (struct cohort_line){codes[i], has(rv), has(rv) ? rv->value : 0};
    }
    qsort(lines, n, sizeof(*lines), by_risk);

    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < n; i++, r++) {
        const char *code = lines[i].code;
        const struct kpi *a = topic_kpi(x, "cohort.a_customers", code),
                         *ac = topic_kpi(x, "cohort.a_churn_rate", code),
                         *b = topic_kpi(x, "cohort.b_customers", code),
                         *bc = topic_kpi(x, "cohort.b_churn_rate", code),
                         *p = topic_kpi(x, "cohort.p_value", code);
        bool is_low = findings_cohort_low(x->m, code);
        bool is_sig = !is_low && sig(p) && has(p);
        unsigned st = is_low ? S_LOW : 0;
        unsigned fig = is_low ? S_LOW : is_sig ? S_BOLD : S_GREY;

        put_cell_text(s, r, RC_TOPIC, topic_label(x, code), st);
        put_kpi(s, r, RC_A, a, st);
        put_kpi(s, r, RC_A_CHURN, ac, st);
        put_kpi(s, r, RC_B, b, st);
        put_kpi(s, r, RC_B_CHURN, bc, st);
        put_kpi(s, r, RC_P, p, st);
        const char *word = is_low   ? "root.low_sample"
                           : is_sig ? "root.significant"
                           : has(p) ? "root.not_significant"
                                    : "root.no_test";
        put_cell_text(s, r, RC_SIG, T(x, word), is_low ? S_LOW : is_sig ? S_BOLD : S_GREY);

        char ca[LXW_MAX_CELL_NAME_LENGTH], cac[LXW_MAX_CELL_NAME_LENGTH],
            cbc[LXW_MAX_CELL_NAME_LENGTH], cg[LXW_MAX_CELL_NAME_LENGTH],
            cl[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(ca, r, RC_A, false);
        cell_ref(cac, r, RC_A_CHURN, false);
        cell_ref(cbc, r, RC_B_CHURN, false);
        cell_ref(cg, r, RC_GAP, false);
        cell_ref(cl, r, RC_LOST, false);
        char dims[300];
        snprintf(dims, sizeof(dims), "topic=%s", code);
        derived(s, r, RC_GAP, "cohort.churn_gap", dims, xstrfmt("=%s-%s", cac, cbc), st, st);
        derived(s, r, RC_LOST, "cohort.lost_customers", dims, xstrfmt("=MAX(%s,0)*%s", cg, ca), st,
                st);
        derived(s, r, RC_REV, "cohort.revenue_at_risk", dims, xstrfmt("=%s*%s", cl, ltv), fig, st);
        put_kpi(s, r, RC_RUN_REV, topic_kpi(x, "cohort.revenue_at_risk", code), st);
    }
    free(lines);
    free(codes);

    r++;
    char *l1 =
        texts_format(x->t, "root.legend_formulas", "sheet", x->sh[SH_CLASSES].name, (char *)NULL);
    char *l2 = texts_format(x->t, "root.legend_flags", "min", x->min_text, (char *)NULL);
    put_para(s, r++, 0, RC_N - 1, l1, x->note);
    put_para(s, r++, 0, RC_N - 1, l2, x->note);
    put_para(s, r++, 0, RC_N - 1, T(x, "root.legend_run"), x->note);
    free(l1);
    free(l2);

    worksheet_freeze_panes(s->ws, hdr + 1, 1);
    page_setup(s, true);
    finish_sheet(s);
}
