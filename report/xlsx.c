/* The executive workbook, for executives and finance (outputs.md
 * "Workbook").  Only the xlsx_*.c files include libxlsxwriter; the helpers
 * they share are in xlsx_book.c, the department tables in xlsx_depts.c.
 *
 * Sheets, in this order: Summary, Departments, Journey, Closure, Scores,
 * Customer classes, Topics, Root cause, Share of voice, Correlation,
 * Experiments, VoC ROI, Data quality, Reconciliation, About.  Every label comes from
 * templates/<locale>/ workbook.ini (and common.ini); every figure is written as a number, a NULL
 * figure as the "n/a" text (format.na), never 0.  Derived money figures
 * (ARPU, LTV, gains, the reconciliation) are Excel formulas over the cells
 * they come from, with the computed value cached, so readers that do not
 * recalculate show the same figures as Excel and LibreOffice do.
 *
 * The workbook is small: it is written in normal mode (constant-memory mode
 * would drop the cached chart points). */
#include "xlsx_book.h"

#include "../jobs/strbuf.h"
#include "findings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* Money compares to the cent. */
#define CENT 0.005

#define MAX_FINDINGS 5

enum sheet_id {
    SH_SUMMARY,
    SH_DEPTS,
    SH_JOURNEY,
    SH_CLOSURE,
    SH_SCORES,
    SH_CLASSES,
    SH_TOPICS,
    SH_ROOT,
    SH_SOV,
    SH_CORR,
    SH_EXP,
    SH_ROI,
    SH_QUALITY,
    SH_RECON,
    SH_ABOUT,
    N_SHEETS
};

static const char *const sheet_keys[N_SHEETS] = {
    "sheet.summary", "sheet.departments", "sheet.journey", "sheet.closure", "sheet.scores",
    "sheet.classes", "sheet.topics",      "sheet.root",    "sheet.sov",     "sheet.corr",
    "sheet.exp",     "sheet.roi",         "sheet.quality", "sheet.recon",   "sheet.about"};

/* One experiment's cells on the Experiments sheet. */
struct exp_cells {
    const char *name;
    bool evaluated;
    bool has_value, has_cost;
    lxw_row_t value_row, cost_row;
    double value, cost;
    char eval_date[16]; /* evaluation moment (local date), "" when unknown */
    char start_month[16];
};

/* Columns of the Customer classes table. */
enum { CC_CLASS, CC_CUSTOMERS, CC_REVENUE, CC_REPEAT, CC_CHURN, CC_ARPU, CC_LTV, CC_N };
/* Beside the table, after a spacer column: ARPU and LTV as the run stored
 * them (kpi_values), to check the formulas against.  The ARPU chart reads
 * these plain values: libxlsxwriter caches a formula cell as 0 in a chart's
 * data cache, and a reader that does not recalculate would draw zeros. */
enum { CC_RUN_ARPU = CC_N + 1, CC_RUN_LTV, CC_RUN_N };
/* Input cells on the Customer classes sheet (column B). */
enum { IN_ROW_GM = 4, IN_ROW_FLOOR = 5, IN_ROW_SHIFT = 6 };

static const char *const class_names[4] = {"promoter", "passive", "detractor", "none"};

/* The executive workbook's own state, beside the shared struct xw. */
struct xw_exec {
    /* Inputs of the class formulas, as written on the Customer classes sheet. */
    double gross_margin, churn_floor, shift_pct;
    /* Anchors other sheets refer to. */
    lxw_row_t class_row0; /* first of the four class rows */
    double class_rev_sum;
    bool class_rev_known; /* some class has a revenue (none without orders) */
    lxw_row_t all_row; /* the "All customers" row */
    bool has_ltv_all;
    double ltv_all;
    lxw_row_t unexplained_row;
    bool has_unexplained;
    double unexplained;
    char *recon_sentence;
    bool recon_bad;
    /* Money cells the Reconciliation ties out: the experiments' cost cells
     * and the VoC ROI cost cell (row 0 / !has_*: not written). */
    struct exp_cells *exps;
    size_t n_exps;
    bool has_roi_cost;
    lxw_row_t roi_cost_row;
    double roi_cost;
};
/* ------------------------------------------------------------------ */
/* Customer classes                                                    */

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

static void sheet_classes(struct xw *x)
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
    x->e->gross_margin = param_number(x, "gross_margin", 1.0);
    x->e->churn_floor = param_number(x, "churn_floor", 0.01);
    x->e->shift_pct = param_number(x, "shift_pct", 0.01);
    put_free(s, 3, 0, T(x, "classes.inputs"), x->section);
    put_text(s, IN_ROW_GM, 0, T(x, "classes.gross_margin"), NULL);
    put_num(s, IN_ROW_GM, 1, x->e->gross_margin, K_PCT, S_INPUT);
    put_text(s, IN_ROW_FLOOR, 0, T(x, "classes.churn_floor"), NULL);
    put_num(s, IN_ROW_FLOOR, 1, x->e->churn_floor, K_PCT, S_INPUT);
    put_text(s, IN_ROW_SHIFT, 0, T(x, "classes.shift_pct"), NULL);
    put_num(s, IN_ROW_SHIFT, 1, x->e->shift_pct, K_PCT, S_INPUT);
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
    x->e->class_rev_sum = 0;
    /* Cached values per class, as the formulas compute them. */
    bool arpu_ok[4] = {0}, ltv_ok[4] = {0};
    double arpu[4] = {0}, ltv[4] = {0}, cust[4] = {0};
    bool cust_ok[4] = {0};
    double cust_sum = 0;

    for (int i = 0; i < 4; i++) {
        lxw_row_t r = x->e->class_row0 + (lxw_row_t)i;
        char dims[32], key[32];
        snprintf(dims, sizeof(dims), "class=%s", class_names[i]);
        snprintf(key, sizeof(key), "class.%s", class_names[i]);
        const struct kpi *kc = K(x, "class.customers", dims);
        const struct kpi *kr = K(x, "class.revenue", dims);
        const struct kpi *kch = K(x, "class.churn_rate", dims);
        put_cell_text(s, r, CC_CLASS, T(x, key), 0);
        put_kpi(s, r, CC_CUSTOMERS, kc, K_INT, 0);
        put_kpi(s, r, CC_REVENUE, kr, K_MONEY, 0);
        put_kpi(s, r, CC_REPEAT, K(x, "class.repeat_rate", dims), K_PCT, 0);
        put_kpi(s, r, CC_CHURN, kch, K_PCT, 0);
        put_kpi(s, r, CC_RUN_ARPU, K(x, "class.arpu", dims), K_MONEY, 0);
        put_kpi(s, r, CC_RUN_LTV, K(x, "class.ltv", dims), K_MONEY, 0);
        if (has(kc)) {
            cust_ok[i] = true;
            cust[i] = kc->value;
            cust_sum += kc->value;
        }
        if (has(kr)) {
            x->e->class_rev_sum += kr->value; /* SUM skips an n/a cell too */
            x->e->class_rev_known = true;
        }

        cell_ref(b, r, CC_CUSTOMERS, false);
        cell_ref(c, r, CC_REVENUE, false);
        cell_ref(e, r, CC_CHURN, false);
        cell_ref(f, r, CC_ARPU, false);
        if (!has(kc) || !has(kr)) {
            /* Nothing to compute from: no formula that would show #VALUE!. */
            put_na(s, r, CC_ARPU, 0);
            put_na(s, r, CC_LTV, 0);
            continue;
        }
        char *fa = xstrfmt("=IF(%s=0,%s,%s/%s)", b, x->na_lit, c, b);
        arpu_ok[i] = kc->value != 0;
        arpu[i] = arpu_ok[i] ? kr->value / kc->value : 0;
        put_formula(s, r, CC_ARPU, fa, arpu_ok[i], arpu[i], K_MONEY, 0);
        free(fa);

        /* MAX skips a text (n/a) churn rate: the floor applies. */
        char *fm = xstrfmt("=IF(%s=0,%s,%s*%s/MAX(%s,%s))", b, x->na_lit, f, gm, e, fl);
        double churn = has(kch) ? fmax(kch->value, x->e->churn_floor) : x->e->churn_floor;
        ltv_ok[i] = arpu_ok[i] && churn != 0;
        ltv[i] = ltv_ok[i] ? arpu[i] * x->e->gross_margin / churn : 0;
        put_formula(s, r, CC_LTV, fm, ltv_ok[i], ltv[i], K_MONEY, 0);
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
    put_formula(s, ar, CC_REVENUE, fs, x->e->class_rev_known, x->e->class_rev_sum, K_MONEY,
                S_TOTAL);
    free(fs);
    chk_cell(s, ar, CC_REPEAT,
             worksheet_write_blank(s->ws, ar, CC_REPEAT, cell_format(x, K_TEXT, S_TOTAL)));
    const struct kpi *kall = K(x, "churn_rate", "");
    put_kpi(s, ar, CC_CHURN, kall, K_PCT, S_TOTAL);
    cell_ref(b, ar, CC_CUSTOMERS, false);
    cell_ref(c, ar, CC_REVENUE, false);
    cell_ref(e, ar, CC_CHURN, false);
    cell_ref(f, ar, CC_ARPU, false);
    bool all_arpu_ok = cust_sum != 0 && x->e->class_rev_known;
    double all_arpu = all_arpu_ok ? x->e->class_rev_sum / cust_sum : 0;
    double all_churn = has(kall) ? fmax(kall->value, x->e->churn_floor) : x->e->churn_floor;
    x->e->has_ltv_all = all_arpu_ok && all_churn != 0;
    x->e->ltv_all = x->e->has_ltv_all ? all_arpu * x->e->gross_margin / all_churn : 0;
    /* Without any revenue the total is n/a, and so is what follows from it. */
    char *fa = x->e->class_rev_known
                   ? xstrfmt("=IF(%s=0,%s,%s/%s)", b, x->na_lit, c, b)
                   : xstrfmt("=IF(ISNUMBER(%s),IF(%s=0,%s,%s/%s),%s)", c, b, x->na_lit, c, b,
                             x->na_lit);
    put_formula(s, ar, CC_ARPU, fa, all_arpu_ok, all_arpu, K_MONEY, S_TOTAL);
    free(fa);
    char *fm = x->e->class_rev_known
                   ? xstrfmt("=IF(%s=0,%s,%s*%s/MAX(%s,%s))", b, x->na_lit, f, gm, e, fl)
                   : xstrfmt("=IF(ISNUMBER(%s),%s*%s/MAX(%s,%s),%s)", f, f, gm, e, fl, x->na_lit);
    put_formula(s, ar, CC_LTV, fm, x->e->has_ltv_all, x->e->ltv_all, K_MONEY, S_TOTAL);
    free(fm);
    chk_cell(s, ar, CC_RUN_ARPU,
             worksheet_write_blank(s->ws, ar, CC_RUN_ARPU, cell_format(x, K_TEXT, S_TOTAL)));
    put_kpi(s, ar, CC_RUN_LTV, K(x, "ltv_all", ""), K_MONEY, S_TOTAL);

    /* Promoters vs detractors. */
    lxw_row_t cr = ar + 2;
    put_free(s, cr, 0, T(x, "classes.comparison"), x->section);
    const int P = 0, PA = 1, D = 2;
    char p_ref[LXW_MAX_CELL_NAME_LENGTH], d_ref[LXW_MAX_CELL_NAME_LENGTH],
        pa_ref[LXW_MAX_CELL_NAME_LENGTH], dc_ref[LXW_MAX_CELL_NAME_LENGTH];
    struct {
        const char *label;
        lxw_col_t col;
        const bool *ok;
        const double *v;
    } ratios[2] = {{"classes.arpu_ratio", CC_ARPU, arpu_ok, arpu},
                   {"classes.ltv_ratio", CC_LTV, ltv_ok, ltv}};
    for (int i = 0; i < 2; i++) {
        lxw_row_t r = cr + 1 + (lxw_row_t)i;
        cell_ref(p_ref, x->e->class_row0 + (lxw_row_t)P, ratios[i].col, false);
        cell_ref(d_ref, x->e->class_row0 + (lxw_row_t)D, ratios[i].col, false);
        put_text(s, r, 0, T(x, ratios[i].label), NULL);
        char *fr = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s),%s<>0),%s/%s,%s)", p_ref, d_ref,
                           d_ref, p_ref, d_ref, x->na_lit);
        bool ok = ratios[i].ok[P] && ratios[i].ok[D] && ratios[i].v[D] != 0;
        put_formula(s, r, 1, fr, ok, ok ? ratios[i].v[P] / ratios[i].v[D] : 0, K_RATIO, S_BOLD);
        free(fr);
    }
    struct {
        const char *label;
        lxw_col_t col;
        const bool *ok;
        const double *v;
    } gains[2] = {{"classes.revenue_gain", CC_ARPU, arpu_ok, arpu},
                  {"classes.ltv_gain", CC_LTV, ltv_ok, ltv}};
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
        bool ok = gains[i].ok[PA] && gains[i].ok[D] && cust_ok[D];
        double v = ok ? x->e->shift_pct * cust[D] * (gains[i].v[PA] - gains[i].v[D]) : 0;
        put_formula(s, r, 1, fg, ok, v, K_MONEY, S_BOLD);
        free(fg);
    }
    lxw_row_t nr = cr + 6;
    put_para(s, nr, 0, CC_RUN_N - 1, T(x, "classes.formulas"), x->note);
    put_para(s, nr + 1, 0, CC_RUN_N - 1, T(x, "classes.run_note"), x->note);
    nr++;

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
    for (int i = 0; i < 2; i++) {
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
/* Scores                                                              */

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
    put_kpi(s, r, SC_NPS, nps, K_SCORE, st);
    put_kpi(s, r, SC_MOE, moe, K_SCORE, st | (low(moe) ? S_LOW : 0));
    if (have_n)
        put_num(s, r, SC_N, n, K_INT, st);
    else
        put_na(s, r, SC_N, st);
    put_kpi(s, r, SC_PROM, K(x, "promoters", dims), K_INT, st);
    put_kpi(s, r, SC_PASS, K(x, "passives", dims), K_INT, st);
    put_kpi(s, r, SC_DETR, K(x, "detractors", dims), K_INT, st);
    put_kpi(s, r, SC_CSAT, csat, K_PCT, st | (low(csat) ? S_LOW : 0));
    put_kpi(s, r, SC_CES, ces, K_CES, st | (low(ces) ? S_LOW : 0));
    bool is_sig = sig(delta) && has(delta);
    put_kpi(s, r, SC_DELTA, delta, is_sig ? K_DELTA_SIG : K_DELTA,
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

    if (!row_low && has(nps))
        nps_lights(s, r, SC_NPS);
}

static void sheet_scores(struct xw *x)
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
        const char **vals = model_dim_values(x->m, "nps", keys[k], &n);
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
    char green[16], amber[16];
    snprintf(green, sizeof(green), "%g", NPS_GREEN);
    snprintf(amber, sizeof(amber), "%g", NPS_AMBER);
    char *l1 = texts_format(x->t, "scores.legend_low", "min", x->min_text, (char *)NULL);
    char *l3 =
        texts_format(x->t, "scores.legend_lights", "green", green, "amber", amber, (char *)NULL);
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
/* Topics, root cause, share of voice (decisions.md "Topics, share of  */
/* voice and root cause")                                              */

#define TOP_N 5        /* the report's top complaints: ranks 1-5 */
#define TOPIC_QUOTES 3 /* example comments per top complaint */
#define CHART_ROWS 17  /* rows kept free for a full-size chart */

static const struct kpi *topic_kpi(const struct xw *x, const char *code, const char *topic)
{
    char dims[300];
    snprintf(dims, sizeof(dims), "topic=%s", topic);
    return K(x, code, dims);
}

struct topic_line {
    const char *code; /* points into the model */
    bool ranked;
    double rank;
};

static int by_rank(const void *a, const void *b)
{
    const struct topic_line *p = a, *q = b;
    if (p->ranked != q->ranked)
        return p->ranked ? -1 : 1;
    if (p->ranked && p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    return strcmp(p->code, q->code);
}

/* Every topic with a figure, by topic.rank (unranked ones last, by code). */
static struct topic_line *topic_lines(const struct xw *x, size_t *n)
{
    static const char *const codes[] = {"topic.rank", "topic.mentions", "topic.negative"};
    struct topic_line *out = NULL;
    size_t cnt = 0;
    for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
        size_t nv = 0;
        const char **vals = model_dim_values(x->m, codes[c], "topic", &nv);
        for (size_t i = 0; i < nv; i++) {
            size_t j = 0;
            while (j < cnt && strcmp(out[j].code, vals[i]))
                j++;
            if (j < cnt)
                continue;
            out = xrealloc(out, (cnt + 1) * sizeof(*out));
            out[cnt] = (struct topic_line){.code = vals[i]};
            const struct kpi *r = topic_kpi(x, "topic.rank", vals[i]);
            if (has(r) && isfinite(r->value))
                out[cnt].ranked = true, out[cnt].rank = r->value;
            cnt++;
        }
        free(vals);
    }
    if (cnt)
        qsort(out, cnt, sizeof(*out), by_rank);
    *n = cnt;
    return out;
}

/* The top complaints: the first TOP_N by rank that have negative rows. */
static size_t top_topics(const struct xw *x, const struct topic_line *t, size_t n, const char **top)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < TOP_N; i++) {
        const struct kpi *neg = topic_kpi(x, "topic.negative", t[i].code);
        if (has(neg) && neg->value > 0)
            top[k++] = t[i].code;
    }
    return k;
}

static const char *topic_label(const struct xw *x, const char *code)
{
    return model_label(x->m, "topic", code);
}

/* The trend word with its arrow, and its colour: from topic.trend, else
 * from the change (decisions.md: +/-10 %); NULL when not measured. */
static const char *trend_key(const struct xw *x, const char *topic, unsigned *st)
{
    const struct kpi *tr = topic_kpi(x, "topic.trend", topic);
    const struct kpi *ch = topic_kpi(x, "topic.negative_change", topic);
    int dir = 0;
    bool is_new = false;
    if (kpi_flagged(tr, "no_prior_period")) {
        *st = S_GREY;
        return "trend.no_prior";
    }
    /* Not measured (no feedback view): n/a rather than "steady". */
    if (tr && !has(tr) && !kpi_flagged(tr, "new") && !has(topic_kpi(x, "topic.negative", topic)))
        return NULL;
    if (has(tr))
        dir = tr->value > 0.5 ? 1 : tr->value < -0.5 ? -1 : 0;
    else if (tr && kpi_flagged(tr, "new"))
        is_new = true;
    else if (has(ch))
        dir = ch->value > 0.10 ? 1 : ch->value < -0.10 ? -1 : 0;
    else {
        const struct kpi *neg = topic_kpi(x, "topic.negative", topic);
        is_new = has(neg) && neg->value > 0;
    }
    if (is_new) {
        *st = S_RED;
        return "trend.new";
    }
    *st = dir > 0 ? S_RED : dir < 0 ? S_GREEN : S_GREY;
    return dir > 0 ? "trend.worsening" : dir < 0 ? "trend.improving" : "trend.steady";
}

enum { TC_RANK, TC_TOPIC, TC_MENTIONS, TC_NEG, TC_PRIOR, TC_CHANGE, TC_TREND, TC_SCORE, TC_NCOLS };

struct quote_ref {
    const struct verbatim *v;
    size_t order;
};

/* Newest first; the model's order breaks ties. */
static int by_received_desc(const void *a, const void *b)
{
    const struct quote_ref *p = a, *q = b;
    int c = strcmp(q->v->received ? q->v->received : "", p->v->received ? p->v->received : "");
    if (c)
        return c;
    return p->order < q->order ? -1 : p->order > q->order;
}

/* The share of own-brand comments no topic matched (topic.uncategorised_
 * share), overall, per language and per channel, from row r; returns the
 * row after it.  Nothing when the run has no such figure. */
static lxw_row_t topics_unread(struct xw *x, struct sheet *s, lxw_row_t r)
{
    const struct kpi *all = K(x, "topic.uncategorised_share", "");
    if (!all)
        return r;
    r++;
    put_free(s, r++, 0, T(x, "topics.unread_title"), x->section);
    put_hdr(s, r, TC_TOPIC, T(x, "topics.unread_group"), false);
    put_hdr(s, r, TC_MENTIONS, T(x, "topics.unread_comments"), true);
    put_hdr(s, r, TC_NEG, T(x, "topics.unread_share"), true);
    r++;
    static const char *const keys[] = {"", "language", "channel"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        size_t nv = 1;
        const char **vals =
            *keys[k] ? model_dim_values(x->m, "topic.uncategorised_share", keys[k], &nv) : NULL;
        for (size_t i = 0; i < nv; i++, r++) {
            char *dims = *keys[k] ? xstrfmt("%s=%s", keys[k], vals[i]) : xstrdup("");
            const struct kpi *f = K(x, "topic.uncategorised_share", dims);
            char *label;
            if (!*keys[k]) {
                label = xstrdup(T(x, "topics.unread_all"));
            } else if (!strcmp(keys[k], "language")) {
                char key[64];
                snprintf(key, sizeof(key), "topics.language_%s", vals[i]);
                label = xstrdup(T(x, key));
            } else {
                label = texts_dim_label(x->t, x->m, keys[k], vals[i]);
            }
            put_cell_text(s, r, TC_TOPIC, label, *keys[k] ? 0 : S_BOLD);
            if (f && f->n >= 0)
                put_num(s, r, TC_MENTIONS, (double)f->n, K_INT, 0);
            else
                put_na(s, r, TC_MENTIONS, 0);
            put_kpi(s, r, TC_NEG, f, K_PCT, *keys[k] ? 0 : S_BOLD);
            free(label);
            free(dims);
        }
        free(vals);
    }
    put_para(s, r++, 0, TC_NCOLS - 1, T(x, "topics.unread_note"), x->note);
    return r;
}

static void sheet_topics(struct xw *x)
{
    struct sheet *s = &x->sh[SH_TOPICS];
    size_t n = 0;
    struct topic_line *t = topic_lines(x, &n);
    if (!n) {
        free(t);
        sheet_empty(s, "topics.title", "topics.none");
        return;
    }
    put_free(s, 0, 0, T(x, "topics.title"), x->title);
    char prior[11];
    snprintf(prior, sizeof(prior), "%s", nz(x->m->prior_start));
    char *sub =
        texts_format(x->t, x->m->prior_start ? "topics.subtitle" : "topics.subtitle_no_prior",
                     "first", nz(x->m->period_first_day), "last", nz(x->m->period_last_day),
                     "prior", prior, (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    const lxw_row_t hdr = 3;
    static const char *const cols[TC_NCOLS] = {
        "topics.rank",           "topics.topic",  "topics.mentions", "topics.negative",
        "topics.negative_prior", "topics.change", "topics.trend",    "topics.sentiment"};
    for (int c = 0; c < TC_NCOLS; c++)
        put_hdr(s, hdr, (lxw_col_t)c, T(x, cols[c]), c != TC_TOPIC && c != TC_TREND);

    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < n; i++, r++) {
        const char *code = t[i].code;
        if (t[i].ranked)
            put_num(s, r, TC_RANK, t[i].rank, K_INT, 0);
        else
            put_na(s, r, TC_RANK, 0);
        put_cell_text(s, r, TC_TOPIC, topic_label(x, code), 0);
        put_kpi(s, r, TC_MENTIONS, topic_kpi(x, "topic.mentions", code), K_INT, 0);
        put_kpi(s, r, TC_NEG, topic_kpi(x, "topic.negative", code), K_INT, S_BOLD);
        put_kpi(s, r, TC_PRIOR, topic_kpi(x, "topic.negative_prior", code), K_INT, 0);
        put_kpi(s, r, TC_CHANGE, topic_kpi(x, "topic.negative_change", code), K_PCT_SIGNED, 0);
        unsigned st = 0;
        const char *key = trend_key(x, code, &st);
        if (key)
            put_cell_text(s, r, TC_TREND, T(x, key), st);
        else
            put_na(s, r, TC_TREND, 0);
        const struct kpi *sc = topic_kpi(x, "topic.sentiment_score", code);
        put_kpi(s, r, TC_SCORE, sc, K_SCORE, low(sc) ? S_LOW : 0);
    }
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, TC_NCOLS - 1));
    r++;
    put_para(s, r++, 0, TC_NCOLS - 1, T(x, "topics.legend_trend"), x->note);
    put_para(s, r++, 0, TC_NCOLS - 1, T(x, "topics.legend_score"), x->note);
    r = topics_unread(x, s, r);

    const char *top[TOP_N];
    size_t n_top = top_topics(x, t, n, top);

    /* The history of the top complaints: the chart first, its data at the
     * bottom of the sheet (plain numbers, so the chart caches them). */
    struct names periods = {0};
    for (size_t i = 0; i < x->m->n_kpis; i++) {
        const struct kpi *k = &x->m->kpis[i];
        char topic[256], period[64];
        if (strcmp(k->code, "topic.negative_history") ||
            !dim_value(k->dims, "topic", topic, sizeof(topic)) ||
            !dim_value(k->dims, "period", period, sizeof(period)))
            continue;
        for (size_t j = 0; j < n_top; j++)
            if (!strcmp(top[j], topic))
                names_add(&periods, period);
    }
    if (periods.n)
        qsort(periods.v, periods.n, sizeof(*periods.v), cmp_str);

    lxw_row_t chart_row = 0;
    lxw_chart *history = NULL;
    if (n_top && periods.n) {
        r++;
        put_free(s, r++, 0, T(x, "topics.history_title"), x->section);
        chart_row = r;
        r += CHART_ROWS;
    }

    /* What customers say about each top complaint. */
    r++;
    put_free(s, r++, 0, T(x, "topics.quotes_title"), x->section);
    put_hdr(s, r, TC_TOPIC, T(x, "topics.topic"), false);
    put_hdr(s, r, TC_MENTIONS, T(x, "topics.received"), false);
    put_hdr(s, r, TC_NEG, T(x, "topics.channel"), false);
    merge_text(s, r, TC_PRIOR, TC_NCOLS - 1, T(x, "topics.comment"), x->hdr);
    r++;
    struct quote_ref *q = xcalloc(x->m->n_verbatims + 1, sizeof(*q));
    for (size_t j = 0; j < n_top; j++) {
        size_t nq = 0;
        for (size_t i = 0; i < x->m->n_verbatims; i++)
            if (x->m->verbatims[i].topic && !strcmp(x->m->verbatims[i].topic, top[j]))
                q[nq++] = (struct quote_ref){&x->m->verbatims[i], i};
        qsort(q, nq, sizeof(*q), by_received_desc);
        put_cell_text(s, r, TC_TOPIC, topic_label(x, top[j]), S_BOLD);
        if (!nq)
            put_free(s, r++, TC_MENTIONS, T(x, "topics.no_quotes"), cell_format(x, K_TEXT, S_GREY));
        for (size_t i = 0; i < nq && i < TOPIC_QUOTES; i++, r++) {
            const struct verbatim *v = q[i].v;
            put_cell_text(s, r, TC_MENTIONS, nz(v->received), 0);
            char *ch = v->channel && *v->channel
                           ? texts_dim_label(x->t, x->m, "channel", v->channel)
                           : xstrdup("");
            put_cell_text(s, r, TC_NEG, ch, 0);
            free(ch);
            put_para(s, r, TC_PRIOR, TC_NCOLS - 1, v->body, x->para);
        }
    }
    free(q);
    if (!n_top)
        put_free(s, r++, TC_TOPIC, T(x, "topics.no_complaints"), x->subtitle);

    /* The chart's data. */
    if (chart_row) {
        r++;
        put_free(s, r++, 0, T(x, "topics.history_data"), x->section);
        lxw_row_t hh = r++;
        put_hdr(s, hh, 0, T(x, "topics.period"), false);
        for (size_t j = 0; j < n_top; j++)
            put_hdr(s, hh, (lxw_col_t)(1 + j), topic_label(x, top[j]), true);
        lxw_row_t first = r;
        for (size_t p = 0; p < periods.n; p++, r++) {
            put_cell_text(s, r, 0, periods.v[p], 0);
            for (size_t j = 0; j < n_top; j++) {
                char dims[400];
                snprintf(dims, sizeof(dims), "period=%s;topic=%s", periods.v[p], top[j]);
                put_kpi(s, r, (lxw_col_t)(1 + j), K(x, "topic.negative_history", dims), K_INT, 0);
            }
        }
        lxw_row_t last = r - 1;

        lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
        if (!ch) {
            chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        } else {
            static const lxw_color_t colours[TOP_N] = {0xC62828, 0x1F4E78, 0xF9A825, 0x2E7D32,
                                                       0x7B1FA2};
            char range[LXW_MAX_CELL_RANGE_LENGTH];
            lxw_rowcol_to_range_abs(range, first, 0, last, 0);
            char *cats = xstrfmt("=%s!%s", s->ref, range);
            for (size_t j = 0; j < n_top; j++) {
                lxw_rowcol_to_range_abs(range, first, (lxw_col_t)(1 + j), last, (lxw_col_t)(1 + j));
                char *vals = xstrfmt("=%s!%s", s->ref, range);
                lxw_chart_series *ser = chart_add_series(ch, cats, vals);
                free(vals);
                if (!ser) {
                    chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
                    break;
                }
                char name[LXW_MAX_CELL_NAME_LENGTH];
                cell_ref(name, hh, (lxw_col_t)(1 + j), true);
                char *nref = xstrfmt("=%s!%s", s->ref, name);
                chart_series_set_name(ser, nref);
                free(nref);
                lxw_chart_line ln = {.color = colours[j], .width = j == 0 ? 2.75 : 2.0};
                chart_series_set_line(ser, &ln);
                chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
                chart_series_set_marker_size(ser, 5);
                lxw_chart_fill mf = {.color = colours[j]};
                chart_series_set_marker_fill(ser, &mf);
                lxw_chart_line ml = {.color = colours[j]};
                chart_series_set_marker_line(ser, &ml);
            }
            free(cats);
            chart_title_set_name(ch, xw_str(x, T(x, "topics.chart_title")));
            lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
            chart_title_set_name_font(ch, &title_font);
            chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
            chart_axis_set_num_format(ch->y_axis, "#,##0");
            chart_axis_set_min(ch->y_axis, 0);
            lxw_chart_font axis_font = {.size = 8, .rotation = -45};
            chart_axis_set_num_font(ch->x_axis, &axis_font);
        }
        history = ch;
    }
    names_release(&periods);
    free(t);

    worksheet_freeze_panes(s->ws, hdr + 1, 0);
    page_setup(s, true);
    finish_sheet(s);
    if (history) {
        /* Over the width of the table above, known now. */
        double px = 0;
        for (lxw_col_t k = 0; k < TC_NCOLS; k++)
            px += col_width(s, k) * 7.0 + 5.0;
        lxw_chart_options opt = {.x_offset = 0,
                                 .y_offset = 4,
                                 .x_scale = (px - 12.0) / 480.0,
                                 .y_scale = (CHART_ROWS * 20.0 - 12.0) / 288.0,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        chk_cell(s, chart_row, 0, worksheet_insert_chart_opt(s->ws, chart_row, 0, history, &opt));
    }
}

/* ---- Root cause ---------------------------------------------------- */

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

/* "2026-10-01" minus some months, as PostgreSQL does it (the day is clamped
 * to the month's length); plus days.  False when ymd is not a date. */
static bool shift_date(const char *ymd, int months, int days, char *out, size_t n)
{
    int y, mo, d;
    char tail;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) < 3 || mo < 1 || mo > 12 ||
        d < 1 || d > 31)
        return false;
    int idx = y * 12 + (mo - 1) - months;
    y = idx / 12;
    mo = idx % 12 + 1;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int len = mdays[mo - 1] + (mo == 2 && leap);
    if (d > len)
        d = len;
    d += days;
    while (d < 1) {
        if (--mo < 1)
            mo = 12, y--;
        leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        d += mdays[mo - 1] + (mo == 2 && leap);
    }
    snprintf(out, n, "%04d-%02d-%02d", y, mo, d);
    return true;
}

static void sheet_root(struct xw *x)
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
    put_formula(s, RC_ROW_LTV, RC_LTV_COL, fl, x->e->has_ltv_all, x->e->ltv_all, K_MONEY, S_BOLD);
    free(fl);
    char *from = texts_format(x->t, "root.ltv_from", "sheet", x->sh[SH_CLASSES].name, (char *)NULL);
    put_free(s, RC_ROW_LTV, RC_LTV_COL + 1, from, x->subtitle);
    free(from);
    cell_ref(ltv, RC_ROW_LTV, RC_LTV_COL, true);

    /* The exposure window in words. */
    double window = param_number(x, "cohort_window_months", 12);
    double gap = param_number(x, "outcome_gap_months", 3);
    char wtext[32], gtext[32], d_from[40], d_to[40], d_end[40];
    snprintf(wtext, sizeof(wtext), "%g", window);
    snprintf(gtext, sizeof(gtext), "%g", gap);
    char end[11];
    snprintf(end, sizeof(end), "%s", nz(x->m->period_end));
    char *words;
    if (shift_date(end, (int)window, 0, d_from, sizeof(d_from)) &&
        shift_date(end, (int)gap, -1, d_to, sizeof(d_to)) &&
        shift_date(end, 0, -1, d_end, sizeof(d_end)))
        words = texts_format(x->t, "root.window", "window", wtext, "gap", gtext, "from", d_from,
                             "to", d_to, "last", d_end, (char *)NULL);
    else
        words = texts_format(x->t, "root.window_bare", "window", wtext, "gap", gtext, (char *)NULL);
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
        put_kpi(s, r, RC_A, a, K_INT, st);
        put_kpi(s, r, RC_A_CHURN, ac, K_PCT, st);
        put_kpi(s, r, RC_B, b, K_INT, st);
        put_kpi(s, r, RC_B_CHURN, bc, K_PCT, st);
        put_kpi(s, r, RC_P, p, K_PVALUE, st);
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
        /* Formulas only where there is something to compute from. */
        bool gap_ok = has(ac) && has(bc);
        double g = gap_ok ? ac->value - bc->value : 0;
        if (gap_ok) {
            char *f = xstrfmt("=%s-%s", cac, cbc);
            put_formula(s, r, RC_GAP, f, true, g, K_PCT_SIGNED, st);
            free(f);
        } else {
            put_na(s, r, RC_GAP, st);
        }
        bool lost_ok = gap_ok && has(a);
        double lost = lost_ok ? fmax(g, 0.0) * a->value : 0;
        if (lost_ok) {
            char *f = xstrfmt("=MAX(%s,0)*%s", cg, ca);
            put_formula(s, r, RC_LOST, f, true, lost, K_DEC1, st);
            free(f);
        } else {
            put_na(s, r, RC_LOST, st);
        }
        if (lost_ok && x->e->has_ltv_all) {
            char *f = xstrfmt("=%s*%s", cl, ltv);
            put_formula(s, r, RC_REV, f, true, lost * x->e->ltv_all, K_MONEY, fig);
            free(f);
        } else {
            put_na(s, r, RC_REV, st);
        }
        put_kpi(s, r, RC_RUN_REV, topic_kpi(x, "cohort.revenue_at_risk", code), K_MONEY, st);
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

/* ---- Share of voice ------------------------------------------------ */

struct brand_share {
    char brand[256];
    const struct kpi *k;
};

/* Our brand first, then by share, then by name. */
static int by_share(const void *a, const void *b)
{
    const struct brand_share *p = a, *q = b;
    bool po = !strcmp(p->brand, "own"), qo = !strcmp(q->brand, "own");
    if (po != qo)
        return po ? -1 : 1;
    double pv = has(p->k) ? p->k->value : -1, qv = has(q->k) ? q->k->value : -1;
    if (pv != qv)
        return pv > qv ? -1 : 1;
    return strcmp(p->brand, q->brand);
}

#define SOV_BLOCK_ROWS 14 /* rows a dimension takes at least: its chart */

static void sheet_sov(struct xw *x)
{
    struct sheet *s = &x->sh[SH_SOV];
    struct names dims = {0};
    dim_names(x->m, "sov.share", "dimension", &dims);
    if (!dims.n) {
        names_release(&dims);
        sheet_empty(s, "sov.title", "sov.none");
        return;
    }
    put_free(s, 0, 0, T(x, "sov.title"), x->title);
    char *sub = texts_format(x->t, "sov.subtitle", "first", nz(x->m->period_first_day), "last",
                             nz(x->m->period_last_day), (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    s->fixed[3] = 3.0; /* spacer before the charts */

    static const lxw_color_t own_colour = 0x1F4E78;
    static const lxw_color_t others[] = {0x8FAADC, 0xA6A6A6, 0xD9D9D9,
                                         0x5B9BD5, 0x7F7F7F, 0xBDD7EE};
    struct chart_at {
        lxw_chart *ch;
        lxw_row_t row;
    } *charts = xcalloc(dims.n, sizeof(*charts));

    lxw_row_t r = 3;
    for (size_t d = 0; d < dims.n; d++) {
        struct brand_share *b = NULL;
        size_t nb = 0;
        for (size_t i = 0; i < x->m->n_kpis; i++) {
            const struct kpi *k = &x->m->kpis[i];
            char dim[256];
            if (strcmp(k->code, "sov.share") ||
                !dim_value(k->dims, "dimension", dim, sizeof(dim)) || strcmp(dim, dims.v[d]))
                continue;
            b = xrealloc(b, (nb + 1) * sizeof(*b));
            if (!dim_value(k->dims, "brand", b[nb].brand, sizeof(b[nb].brand)))
                snprintf(b[nb].brand, sizeof(b[nb].brand), "%s", x->na);
            b[nb].k = k;
            nb++;
        }
        qsort(b, nb, sizeof(*b), by_share);

        lxw_row_t top = r;
        put_free(s, r++, 0, topic_label(x, dims.v[d]), x->section);
        lxw_row_t hdr = r++;
        put_hdr(s, hdr, 0, T(x, "sov.brand"), false);
        put_hdr(s, hdr, 1, T(x, "sov.share"), true);
        put_hdr(s, hdr, 2, T(x, "sov.positive"), true);
        lxw_row_t first = r, total = first + (lxw_row_t)nb;
        long long all = -1;
        for (size_t i = 0; i < nb; i++)
            if (b[i].k->n >= 0)
                all = b[i].k->n;
        char tot[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(tot, total, 2, true);
        double share_sum = 0;
        bool any_share = false;
        for (size_t i = 0; i < nb; i++, r++) {
            bool own = !strcmp(b[i].brand, "own");
            put_cell_text(s, r, 0, own ? T(x, "sov.own") : b[i].brand, own ? S_BOLD : 0);
            put_kpi(s, r, 1, b[i].k, K_PCT, own ? S_BOLD : 0);
            if (has(b[i].k)) {
                share_sum += b[i].k->value;
                any_share = true;
            }
            char sh[LXW_MAX_CELL_NAME_LENGTH];
            cell_ref(sh, r, 1, false);
            if (has(b[i].k) && all >= 0) {
                char *f = xstrfmt("=ROUND(%s*%s,0)", sh, tot);
                put_formula(s, r, 2, f, true, round(b[i].k->value * (double)all), K_INT,
                            own ? S_BOLD : 0);
                free(f);
            } else {
                put_na(s, r, 2, 0);
            }
        }
        put_cell_text(s, total, 0, T(x, "sov.all"), S_TOTAL);
        if (nb && any_share) {
            char a[LXW_MAX_CELL_NAME_LENGTH], z[LXW_MAX_CELL_NAME_LENGTH];
            cell_ref(a, first, 1, false);
            cell_ref(z, total - 1, 1, false);
            char *f = xstrfmt("=SUM(%s:%s)", a, z);
            put_formula(s, total, 1, f, true, share_sum, K_PCT, S_TOTAL);
            free(f);
        } else {
            put_na(s, total, 1, S_TOTAL);
        }
        if (all >= 0)
            put_num(s, total, 2, (double)all, K_INT, S_TOTAL);
        else
            put_na(s, total, 2, S_TOTAL);
        r = total + 1;

        /* The pie, beside the table. */
        lxw_chart *ch = any_share ? workbook_add_chart(x->wb, LXW_CHART_PIE) : NULL;
        if (ch) {
            char range[LXW_MAX_CELL_RANGE_LENGTH];
            lxw_rowcol_to_range_abs(range, first, 0, total - 1, 0);
            char *cats = xstrfmt("=%s!%s", s->ref, range);
            lxw_rowcol_to_range_abs(range, first, 1, total - 1, 1);
            char *vals = xstrfmt("=%s!%s", s->ref, range);
            lxw_chart_series *ser = chart_add_series(ch, cats, vals);
            free(cats);
            free(vals);
            if (ser) {
                chart_series_set_name(ser, xw_str(x, T(x, "sov.share")));
                lxw_chart_fill *fills = xcalloc(nb, sizeof(*fills));
                lxw_chart_point *pts = xcalloc(nb, sizeof(*pts));
                lxw_chart_point **ptrs = xcalloc(nb + 1, sizeof(*ptrs));
                size_t other = 0;
                for (size_t i = 0; i < nb; i++) {
                    bool own = !strcmp(b[i].brand, "own");
                    fills[i].color =
                        own ? own_colour : others[other++ % (sizeof(others) / sizeof(others[0]))];
                    pts[i].fill = &fills[i];
                    ptrs[i] = &pts[i];
                }
                chk_sheet(s, chart_series_set_points(ser, ptrs));
                free(fills);
                free(pts);
                free(ptrs);
                chart_series_set_labels_options(ser, LXW_FALSE, LXW_TRUE, LXW_TRUE);
                chart_series_set_labels_separator(ser, LXW_CHART_LABEL_SEPARATOR_NEWLINE);
                chart_series_set_labels_num_format(ser, "0%");
                chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_OUTSIDE_END);
                chart_series_set_labels_leader_line(ser);
            } else {
                chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
            }
            char *title = texts_format(x->t, "sov.chart_title", "dimension",
                                       topic_label(x, dims.v[d]), (char *)NULL);
            chart_title_set_name(ch, xw_str(x, title));
            free(title);
            lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
            chart_title_set_name_font(ch, &title_font);
            chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
            charts[d] = (struct chart_at){ch, top};
        }
        free(b);
        if (r < top + SOV_BLOCK_ROWS)
            r = top + SOV_BLOCK_ROWS;
    }
    r++;
    put_para(s, r++, 0, 2, T(x, "sov.legend"), x->note);

    worksheet_freeze_panes(s->ws, 2, 0);
    page_setup(s, false);
    finish_sheet(s);
    for (size_t d = 0; d < dims.n; d++) {
        if (!charts[d].ch)
            continue;
        lxw_chart_options opt = {.x_offset = 4,
                                 .y_offset = 4,
                                 .x_scale = 400.0 / 480.0,
                                 .y_scale = ((SOV_BLOCK_ROWS - 1) * 20.0 - 8.0) / 288.0,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        chk_cell(s, charts[d].row, 4,
                 worksheet_insert_chart_opt(s->ws, charts[d].row, 4, charts[d].ch, &opt));
    }
    free(charts);
    names_release(&dims);
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

static void sheet_corr(struct xw *x)
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
            put_kpi(s, r, 1, kn, K_INT, st);
            put_kpi(s, r, 2, corr_kpi(x, "corr.r", lag, metrics.v[i]), K_CES, st);
            put_kpi(s, r, 3, corr_kpi(x, "corr.slope", lag, metrics.v[i]), K_GENERAL, st);
            if (best)
                put_cell_text(s, r, 4, T(x, "corr.best"), st);
            r++;
        }
        r++;
    }
    put_para(s, r++, 0, 4, T(x, "corr.legend"), x->note);

    if (top) {
        /* Chart data: NPS month m and the metric at m + lag, plain values. */
        r++;
        put_free(s, r++, 0, T(x, "corr.chart_data"), x->section);
        lxw_row_t hh = r++;
        put_hdr(s, hh, 0, T(x, "corr.month"), false);
        put_hdr(s, hh, 1, T(x, "corr.nps"), true);
        put_hdr(s, hh, 2, T(x, "corr.metric_month"), false);
        put_hdr(s, hh, 3, label, true);
        lxw_row_t first = r;
        for (size_t i = 0; i < x->m->n_kpis; i++) {
            const struct kpi *k = &x->m->kpis[i];
            char month[32];
            if (strcmp(k->code, "corr.nps_month") || !has(k) ||
                !dim_value(k->dims, "month", month, sizeof(month)))
                continue;
            char later[32], dims[400];
            if (!shift_date(month, -top_lag, 0, later, sizeof(later)))
                continue;
            snprintf(dims, sizeof(dims), "metric=%s;month=%s", top, later);
            const struct kpi *v = K(x, "corr.metric_month", dims);
            if (!has(v))
                continue;
            put_cell_text(s, r, 0, month, 0);
            put_num(s, r, 1, k->value, K_SCORE, 0);
            put_cell_text(s, r, 2, later, 0);
            put_num(s, r, 3, v->value, K_GENERAL, 0);
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

/* ------------------------------------------------------------------ */
/* Data quality                                                        */

static const char *reason_text(const struct xw *x, const char *reason, char *key, size_t n)
{
    snprintf(key, n, "reason.%s", reason);
    const char *v = T(x, key);
    return v == key ? reason : v; /* texts_get returns the key itself when missing */
}

/* The upstream topic codes no taxonomy topic claims (dq.unknown_topic),
 * with their rows in the period, from row r; returns the row after it. */
static lxw_row_t unknown_topics_section(struct xw *x, struct sheet *s, lxw_row_t r)
{
    size_t n = 0;
    const char **codes = model_dim_values(x->m, "dq.unknown_topic", "topic", &n);
    if (n) {
        r++;
        put_free(s, r++, 0, T(x, "quality.unknown_topics"), x->section);
        put_hdr(s, r, 0, T(x, "quality.unknown_code"), false);
        put_hdr(s, r, 1, T(x, "quality.unknown_rows"), true);
        r++;
        for (size_t i = 0; i < n; i++, r++) {
            char *dims = xstrfmt("topic=%s", codes[i]);
            put_cell_text(s, r, 0, codes[i], 0);
            put_kpi(s, r, 1, K(x, "dq.unknown_topic", dims), K_INT, 0);
            free(dims);
        }
        put_free(s, r++, 0, T(x, "quality.unknown_note"), x->note);
    }
    free(codes);
    return r;
}

/* What the config names but the period never heard of (jobs/coverage.h),
 * one sentence each, from row r. */
static void notes_section(struct xw *x, struct sheet *s, lxw_row_t r)
{
    if (!x->m->n_notes)
        return;
    put_free(s, r++, 0, T(x, "quality.no_data"), x->section);
    for (size_t i = 0; i < x->m->n_notes; i++, r++) {
        const struct data_note *n = &x->m->notes[i];
        char key[64];
        snprintf(key, sizeof(key), "quality.no_data_%s", n->kind);
        char *name = !strcmp(n->kind, "touchpoint") ? texts_dim_label(x->t, x->m, n->kind, n->code)
                                                    : xstrdup(model_label(x->m, n->kind, n->code));
        char *line =
            texts_format(x->t, key, "name", name, "code", n->code, "where", n->where, (char *)NULL);
        put_free(s, r, 0, line, NULL);
        free(line);
        free(name);
    }
}

static void sheet_quality(struct xw *x)
{
    struct sheet *s = &x->sh[SH_QUALITY];
    put_free(s, 0, 0, T(x, "quality.title"), x->title);
    put_free(s, 1, 0, T(x, "quality.subtitle"), x->subtitle);
    const lxw_row_t limit_row = 3;
    put_text(s, limit_row, 0, T(x, "quality.limit"), x->label);
    put_num(s, limit_row, 1, x->m->max_rejected_share, K_PCT, S_INPUT);
    char limit[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(limit, limit_row, 1, true);

    const lxw_row_t hdr = 5;
    put_hdr(s, hdr, 0, T(x, "quality.table"), false);
    put_hdr(s, hdr, 1, T(x, "quality.rows"), true);
    put_hdr(s, hdr, 2, T(x, "quality.rejected"), true);
    put_hdr(s, hdr, 3, T(x, "quality.share"), true);
    put_hdr(s, hdr, 4, T(x, "quality.status"), false);
    char *ok_lit = xl_literal(T(x, "quality.ok"));
    char *over_lit = xl_literal(T(x, "quality.over"));
    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < x->m->n_sources; i++, r++) {
        const struct source_count *sc = &x->m->sources[i];
        char rows[LXW_MAX_CELL_NAME_LENGTH], rej[LXW_MAX_CELL_NAME_LENGTH],
            share[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(rows, r, 1, false);
        cell_ref(rej, r, 2, false);
        cell_ref(share, r, 3, false);
        put_cell_text(s, r, 0, sc->table, 0);
        put_num(s, r, 1, (double)sc->rows, K_INT, 0);
        put_num(s, r, 2, (double)sc->rejected, K_INT, 0);
        char *fs = xstrfmt("=IF(%s=0,0,%s/%s)", rows, rej, rows);
        double v = sc->rows ? (double)sc->rejected / (double)sc->rows : 0.0;
        put_formula(s, r, 3, fs, true, v, K_PCT, 0);
        free(fs);
        char *ft = xstrfmt("=IF(%s>%s,%s,%s)", share, limit, over_lit, ok_lit);
        bool over = v > x->m->max_rejected_share;
        const char *status = T(x, over ? "quality.over" : "quality.ok");
        put_formula_text(s, r, 4, ft, status, cell_format(x, K_TEXT, 0));
        widen(s, 4, fmax(text_width(T(x, "quality.ok")), text_width(T(x, "quality.over"))));
        free(ft);
    }
    free(ok_lit);
    free(over_lit);
    if (r > hdr + 1) {
        /* Red when over the limit, following the limit cell if it changes. */
        char first[LXW_MAX_CELL_NAME_LENGTH];
        lxw_rowcol_to_cell_abs(first, hdr + 1, 3, false, true);
        char *rule = xstrfmt("=AND(ISNUMBER(%s),%s>%s)", first, first, limit);
        lxw_conditional_format cf = {
            .type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = rule, .format = x->cf_red};
        chk_sheet(s, worksheet_conditional_format_range(s->ws, hdr + 1, 3, r - 1, 4, &cf));
        lxw_conditional_format cfg = {.type = LXW_CONDITIONAL_TYPE_FORMULA, .format = x->cf_green};
        char *rule_ok = xstrfmt("=AND(ISNUMBER(%s),%s<=%s)", first, first, limit);
        cfg.value_string = rule_ok;
        chk_sheet(s, worksheet_conditional_format_range(s->ws, hdr + 1, 4, r - 1, 4, &cfg));
        free(rule);
        free(rule_ok);
    }

    /* Not rejections: feedback without words, and the views the run had
     * to do without. */
    const struct kpi *nt = K(x, "dq.no_text", "table=feedback");
    if (nt) {
        r++;
        put_text(s, r, 0, T(x, "quality.no_text"), x->label);
        put_kpi(s, r++, 1, nt, K_INT, 0);
    }
    if (x->m->n_gaps) {
        r++;
        put_free(s, r++, 0, T(x, "quality.missing"), x->section);
        for (size_t i = 0; i < x->m->n_gaps; i++, r++) {
            const struct source_gap *g = &x->m->gaps[i];
            put_cell_text(s, r, 0, g->table, 0);
            put_text(s, r, 1, T(x, strncmp(g->flag, "no_", 3) ? "quality.empty" : "quality.absent"),
                     x->note);
        }
    }

    r++;
    put_free(s, r++, 0, T(x, "quality.reasons"), x->section);
    put_hdr(s, r, 0, T(x, "quality.table"), false);
    put_hdr(s, r, 1, T(x, "quality.reason"), false);
    put_hdr(s, r, 2, T(x, "quality.rejected"), true);
    r++;
    if (!x->m->n_rejections)
        put_free(s, r++, 0, T(x, "quality.none"), x->subtitle);
    for (size_t i = 0; i < x->m->n_rejections; i++, r++) {
        const struct rejection *rj = &x->m->rejections[i];
        char key[96];
        put_cell_text(s, r, 0, rj->table, 0);
        put_cell_text(s, r, 1, reason_text(x, rj->reason, key, sizeof(key)), 0);
        put_num(s, r, 2, (double)rj->rows, K_INT, 0);
    }
    r = unknown_topics_section(x, s, r);
    notes_section(x, s, r + 1);

    worksheet_freeze_panes(s->ws, hdr + 1, 1);
    page_setup(s, false);
    finish_sheet(s);
}

/* ------------------------------------------------------------------ */
/* Retention experiments and VoC ROI                                   */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ymd + days, then + months (day clamped to the month, as PostgreSQL's
 * interval arithmetic does). */
static bool add_date(const char *ymd, int days, int months, char *out, size_t n)
{
    int y, mo, d;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12 || d < 1 ||
        d > 31)
        return false;
    civil_from_days(days_from_civil(y, mo, d) + days, &y, &mo, &d);
    char tmp[16];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, mo, d);
    return shift_date(tmp, -months, 0, out, n);
}

/* The run's T as a local date: the period end's first ten characters. */
static void end_date(const struct xw *x, char *out, size_t n)
{
    snprintf(out, n, "%.10s", nz(x->m->period_end));
}

static const char *exp_param(const struct xw *x, const char *name, const char *key)
{
    char *k = xstrfmt("experiment.%s.%s", name, key);
    const char *v = model_param(x->m, k);
    free(k);
    return v;
}

static int exp_param_int(const struct xw *x, const char *name, const char *key, int dflt)
{
    const char *v = exp_param(x, name, key);
    double d;
    return v && parse_decimal(v, &d) ? (int)d : dflt;
}

/* Evaluation moment = (start + enrollment_days) + evaluation_window_months. */
static void exp_dates(const struct xw *x, struct exp_cells *e)
{
    const char *start = exp_param(x, e->name, "start");
    e->eval_date[0] = e->start_month[0] = '\0';
    if (!start)
        return;
    int days = exp_param_int(x, e->name, "enrollment_days", 30);
    int months = exp_param_int(x, e->name, "evaluation_window_months", 6);
    if (!add_date(start, days, months, e->eval_date, sizeof(e->eval_date)))
        e->eval_date[0] = '\0';
    snprintf(e->start_month, sizeof(e->start_month), "%.8s01", start);
}

static char *exp_dims(const char *name, const char *arm)
{
    return arm ? xstrfmt("arm=%s;experiment=%s", arm, name) : xstrfmt("experiment=%s", name);
}

static const struct kpi *exp_kpi(const struct xw *x, const char *code, const char *name,
                                 const char *arm)
{
    char *d = exp_dims(name, arm);
    const struct kpi *k = K(x, code, d);
    free(d);
    return k;
}

/* "=IF(AND(ISNUMBER(a),ISNUMBER(b)),expr,"n/a")" */
static char *guarded(const struct xw *x, const char *a, const char *b, const char *expr)
{
    return xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),%s,%s)", a, b, expr, x->na_lit);
}

static void sheet_exp(struct xw *x)
{
    struct sheet *s = &x->sh[SH_EXP];
    size_t n = 0;
    const char **names = model_dim_values(x->m, "exp.status", "experiment", &n);
    if (!n) {
        free(names);
        sheet_empty(s, "exp.title", "exp.none");
        return;
    }
    x->e->exps = xcalloc(n, sizeof(*x->e->exps));
    x->e->n_exps = n;
    put_free(s, 0, 0, T(x, "exp.title"), x->title);
    put_free(s, 1, 0, T(x, "exp.subtitle"), x->subtitle);
    char *cust_hdr = xstrdup(T(x, "exp.customers"));
    lxw_row_t r = 3, first_hdr = 0;
    for (size_t i = 0; i < n; i++) {
        struct exp_cells *e = &x->e->exps[i];
        e->name = names[i];
        exp_dates(x, e);
        double st;
        char *d = exp_dims(e->name, NULL);
        e->evaluated = model_value(x->m, "exp.status", d, &st) && st == 1.0;
        free(d);
        char *head = texts_format(x->t, e->evaluated ? "exp.head_evaluated" : "exp.head_running",
                                  "name", model_label(x->m, "experiment", e->name), (char *)NULL);
        put_free(s, r++, 0, head, x->section);
        free(head);

        /* Arms. */
        lxw_row_t hdr = r++;
        if (!first_hdr)
            first_hdr = hdr;
        put_hdr(s, hdr, 0, T(x, "exp.arm"), false);
        put_hdr(s, hdr, 1, e->evaluated ? cust_hdr : T(x, "exp.customers_so_far"), true);
        if (e->evaluated)
            put_hdr(s, hdr, 2, T(x, "exp.churn"), true);
        static const char *const arms[2] = {"control", "treatment"};
        lxw_row_t arm_row[2];
        const struct kpi *cust[2], *churn[2];
        for (int a = 0; a < 2; a++, r++) {
            arm_row[a] = r;
            char key[32];
            snprintf(key, sizeof(key), "exp.arm_%s", arms[a]);
            put_text(s, r, 0, T(x, key), x->sub);
            cust[a] = exp_kpi(x, "exp.customers", e->name, arms[a]);
            churn[a] = exp_kpi(x, "exp.churn_rate", e->name, arms[a]);
            put_kpi(s, r, 1, cust[a], K_INT, 0);
            if (e->evaluated)
                put_kpi(s, r, 2, churn[a], K_PCT, 0);
        }
        if (!e->evaluated) {
            char *when = e->eval_date[0] ? texts_format(x->t, "exp.running_note", "date",
                                                        e->eval_date, (char *)NULL)
                                         : xstrdup(T(x, "exp.running_note_undated"));
            put_para(s, r++, 0, 3, when, x->note);
            free(when);
            r++;
            continue;
        }

        /* The verdict, each derived figure a formula over the cells above. */
        char cc[LXW_MAX_CELL_NAME_LENGTH], tc[LXW_MAX_CELL_NAME_LENGTH],
            tn[LXW_MAX_CELL_NAME_LENGTH], dref[LXW_MAX_CELL_NAME_LENGTH],
            rref[LXW_MAX_CELL_NAME_LENGTH], lref[LXW_MAX_CELL_NAME_LENGTH],
            vref[LXW_MAX_CELL_NAME_LENGTH], kref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(cc, arm_row[0], 2, false);
        cell_ref(tc, arm_row[1], 2, false);
        cell_ref(tn, arm_row[1], 1, false);
        r++;
        put_hdr(s, r, 0, T(x, "exp.figure"), false);
        put_hdr(s, r, 1, T(x, "exp.value"), true);
        put_hdr(s, r, 2, T(x, "exp.note"), false);
        r++;

        bool d_ok = has(churn[0]) && has(churn[1]);
        double diff = d_ok ? churn[0]->value - churn[1]->value : 0;
        lxw_row_t r_diff = r++;
        cell_ref(dref, r_diff, 1, false);
        put_text(s, r_diff, 0, T(x, "exp.diff"), NULL);
        char *expr = xstrfmt("%s-%s", cc, tc);
        char *f = guarded(x, cc, tc, expr);
        put_formula(s, r_diff, 1, f, d_ok, diff, K_PCT_SIGNED, S_BOLD);
        free(f);
        free(expr);

        const struct kpi *lo = exp_kpi(x, "exp.ci_low", e->name, NULL),
                         *hi = exp_kpi(x, "exp.ci_high", e->name, NULL),
                         *pv = exp_kpi(x, "exp.p_value", e->name, NULL),
                         *cost = exp_kpi(x, "exp.cost", e->name, NULL);
        put_text(s, r, 0, T(x, "exp.ci_low"), NULL);
        put_kpi(s, r++, 1, lo, K_PCT_SIGNED, 0);
        put_text(s, r, 0, T(x, "exp.ci_high"), NULL);
        put_kpi(s, r++, 1, hi, K_PCT_SIGNED, 0);
        put_text(s, r, 0, T(x, "exp.p_value"), NULL);
        put_kpi(s, r, 1, pv, K_PVALUE, 0);
        if (has(pv))
            put_cell_text(s, r, 2,
                          T(x, pv->value < 0.05 ? "exp.significant" : "exp.not_significant"),
                          pv->value < 0.05 ? S_BOLD : S_GREY);
        r++;

        bool t_ok = has(cust[1]);
        double retained = d_ok && t_ok ? diff * cust[1]->value : 0;
        lxw_row_t r_ret = r++;
        cell_ref(rref, r_ret, 1, false);
        put_text(s, r_ret, 0, T(x, "exp.retained"), NULL);
        expr = xstrfmt("%s*%s", dref, tn);
        f = guarded(x, dref, tn, expr);
        put_formula(s, r_ret, 1, f, d_ok && t_ok, retained, K_DEC1, 0);
        free(f);
        free(expr);

        lxw_row_t r_ltv = r++;
        cell_ref(lref, r_ltv, 1, false);
        char *ltv_label = with_currency(x, "exp.ltv_all");
        put_text(s, r_ltv, 0, ltv_label, NULL);
        free(ltv_label);
        char aref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(aref, x->e->all_row, CC_LTV, true);
        f = xstrfmt("=%s!%s", x->sh[SH_CLASSES].ref, aref);
        put_formula(s, r_ltv, 1, f, x->e->has_ltv_all, x->e->ltv_all, K_MONEY, 0);
        free(f);
        put_cell_text(s, r_ltv, 2, T(x, "exp.ltv_note"), S_GREY);

        lxw_row_t r_val = r++;
        cell_ref(vref, r_val, 1, false);
        char *val_label = with_currency(x, "exp.value_money");
        put_text(s, r_val, 0, val_label, NULL);
        free(val_label);
        e->has_value = d_ok && t_ok && x->e->has_ltv_all;
        e->value = e->has_value ? retained * x->e->ltv_all : 0;
        e->value_row = r_val;
        expr = xstrfmt("%s*%s", rref, lref);
        f = guarded(x, rref, lref, expr);
        put_formula(s, r_val, 1, f, e->has_value, e->value, K_MONEY, S_BOLD);
        free(f);
        free(expr);

        lxw_row_t r_cost = r++;
        cell_ref(kref, r_cost, 1, false);
        char *cost_label = with_currency(x, "exp.cost");
        put_text(s, r_cost, 0, cost_label, NULL);
        free(cost_label);
        put_kpi(s, r_cost, 1, cost, K_MONEY, 0);
        e->has_cost = has(cost);
        e->cost = e->has_cost ? cost->value : 0;
        e->cost_row = r_cost;

        put_text(s, r, 0, T(x, "exp.roi"), x->label);
        bool roi_ok = e->has_value && e->has_cost && e->cost != 0;
        f = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),IF(%s=0,%s,(%s-%s)/%s),%s)", vref, kref,
                    kref, x->na_lit, vref, kref, kref, x->na_lit);
        put_formula(s, r, 1, f, roi_ok, roi_ok ? (e->value - e->cost) / e->cost : 0, K_RATIO,
                    S_BOLD);
        free(f);
        if (e->has_cost && e->cost == 0)
            put_cell_text(s, r, 2, T(x, "exp.roi_no_cost"), S_GREY);
        r += 2;
    }
    free(cust_hdr);
    free(names);
    worksheet_freeze_panes(s->ws, 3, 1);
    page_setup(s, false);
    finish_sheet(s);
}

static void sheet_roi(struct xw *x)
{
    struct sheet *s = &x->sh[SH_ROI];
    put_free(s, 0, 0, T(x, "roi.title"), x->title);
    char *period = period_text(x);
    char *sub = texts_format(x->t, "roi.subtitle", "period", period, (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    free(period);
    worksheet_freeze_panes(s->ws, 3, 1);
    const struct kpi *kb = K(x, "roi.benefit", ""), *kc = K(x, "roi.cost", ""),
                     *kv = K(x, "roi.value", "");
    /* roi.cost alone (no experiment configured): ROI is not measured. */
    if (!kb && !kv) {
        put_para(s, 3, 0, 2, T(x, "roi.none"), x->note);
        widen(s, 0, 30);
        widen(s, 1, 16);
        widen(s, 2, 30);
        page_setup(s, false);
        finish_sheet(s);
        return;
    }
    const lxw_row_t hdr = 3;
    put_hdr(s, hdr, 0, T(x, "roi.item"), false);
    char *amount_hdr = with_currency(x, "roi.amount");
    put_hdr(s, hdr, 1, amount_hdr, true);
    free(amount_hdr);
    put_hdr(s, hdr, 2, T(x, "roi.note"), false);

    /* Benefit: the sum of the value cells of the experiments evaluated in
     * the period, when they add up to the run's figure; else the figure. */
    lxw_row_t r_b = hdr + 1, r_c = hdr + 2, r_v = hdr + 3;
    char end[16];
    end_date(x, end, sizeof(end));
    struct strbuf sum;
    strbuf_init(&sum);
    double cells = 0;
    int used = 0;
    for (size_t i = 0; i < x->e->n_exps; i++) {
        const struct exp_cells *e = &x->e->exps[i];
        if (!e->evaluated || !e->has_value)
            continue;
        if (e->eval_date[0] && (strcmp(e->eval_date, nz(x->m->period_first_day)) < 0 ||
                                strcmp(e->eval_date, end) >= 0))
            continue; /* evaluated in an earlier period: not this period's benefit */
        char ref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(ref, e->value_row, 1, true);
        strbuf_adds(&sum, used ? "," : "");
        strbuf_adds(&sum, x->sh[SH_EXP].ref);
        strbuf_adds(&sum, "!");
        strbuf_adds(&sum, ref);
        cells += e->value;
        used++;
    }
    put_text(s, r_b, 0, T(x, "roi.benefit"), NULL);
    if (has(kb) && used && fabs(cells - kb->value) < CENT) {
        char *f = xstrfmt("=SUM(%s)", sum.buf);
        put_formula(s, r_b, 1, f, true, cells, K_MONEY, 0);
        free(f);
        put_cell_text(s, r_b, 2, T(x, "roi.benefit_sum"), S_GREY);
    } else {
        put_kpi(s, r_b, 1, kb, K_MONEY, 0);
    }
    strbuf_release(&sum);
    double benefit = has(kb) ? (used && fabs(cells - kb->value) < CENT ? cells : kb->value) : 0;

    put_text(s, r_c, 0, T(x, "roi.cost"), NULL);
    put_kpi(s, r_c, 1, kc, K_MONEY, 0);
    put_cell_text(s, r_c, 2, T(x, "roi.cost_note"), S_GREY);
    x->e->has_roi_cost = has(kc);
    x->e->roi_cost = has(kc) ? kc->value : 0;
    x->e->roi_cost_row = r_c;

    char bref[LXW_MAX_CELL_NAME_LENGTH], cref[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(bref, r_b, 1, false);
    cell_ref(cref, r_c, 1, false);
    put_text(s, r_v, 0, T(x, "roi.value"), x->label);
    bool ok = has(kb) && has(kc) && kc->value != 0;
    char *f = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),IF(%s=0,%s,(%s-%s)/%s),%s)", bref, cref,
                      cref, x->na_lit, bref, cref, cref, x->na_lit);
    put_formula(s, r_v, 1, f, ok, ok ? (benefit - kc->value) / kc->value : 0, K_PCT_SIGNED, S_BOLD);
    free(f);
    if (has(kc) && kc->value == 0)
        put_cell_text(s, r_v, 2, T(x, "roi.no_cost"), S_GREY);

    const char *rule = model_param(x->m, "roi_benefits");
    if (!rule || !strcmp(rule, "evaluated experiments"))
        rule = T(x, "roi.rule_default"); /* the default rule, in the locale's words */
    char *rule_text = texts_format(x->t, "roi.rule", "rule", rule, (char *)NULL);
    const char *counted = model_param(x->m, "roi_experiments");
    if (counted) {
        char *with = xstrfmt("%s (%s)", rule_text, counted);
        free(rule_text);
        rule_text = with;
    }
    put_text(s, r_v + 2, 0, T(x, "roi.rule_label"), x->label);
    put_free(s, r_v + 2, 1, rule_text, NULL); /* runs over the empty cells to its right */
    free(rule_text);
    page_setup(s, false);
    finish_sheet(s);
}

/* ------------------------------------------------------------------ */
/* Reconciliation                                                      */

static void sheet_recon(struct xw *x)
{
    struct sheet *s = &x->sh[SH_RECON];
    const struct sheet *cls = &x->sh[SH_CLASSES];
    put_free(s, 0, 0, T(x, "recon.title"), x->title);
    char *sub =
        texts_format(x->t, "recon.subtitle", "last", nz(x->m->period_last_day), (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    const lxw_row_t hdr = 3;
    char *amount_hdr = with_currency(x, "recon.amount");
    put_hdr(s, hdr, 0, T(x, "recon.item"), false);
    put_hdr(s, hdr, 1, amount_hdr, true);
    put_hdr(s, hdr, 2, T(x, "recon.rows"), true);
    free(amount_hdr);

    lxw_row_t r_ledger = hdr + 1, r_classes = hdr + 2, r_diff = hdr + 3;
    char led[LXW_MAX_CELL_NAME_LENGTH], cl[LXW_MAX_CELL_NAME_LENGTH], df[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(led, r_ledger, 1, false);
    cell_ref(cl, r_classes, 1, false);
    cell_ref(df, r_diff, 1, false);

    const struct kpi *kl = K(x, "recon.revenue_ledger", "");
    put_text(s, r_ledger, 0, T(x, "recon.ledger"), NULL);
    put_kpi(s, r_ledger, 1, kl, K_MONEY, 0);

    char *lab = texts_format(x->t, "recon.classes", "sheet", cls->name, (char *)NULL);
    put_text(s, r_classes, 0, lab, NULL);
    free(lab);
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range_abs(range, x->e->class_row0, CC_REVENUE, x->e->class_row0 + 3, CC_REVENUE);
    char *fsum = x->e->class_rev_known ? xstrfmt("=SUM(%s!%s)", cls->ref, range)
                                       : xstrfmt("=IF(COUNT(%s!%s)=0,%s,SUM(%s!%s))", cls->ref,
                                                 range, x->na_lit, cls->ref, range);
    put_formula(s, r_classes, 1, fsum, x->e->class_rev_known, x->e->class_rev_sum, K_MONEY, 0);
    free(fsum);

    bool ok = has(kl);
    double diff = ok ? kl->value - x->e->class_rev_sum : 0;
    put_text(s, r_diff, 0, T(x, "recon.difference"), x->label);
    if (ok) {
        char *fd = xstrfmt("=%s-%s", led, cl);
        put_formula(s, r_diff, 1, fd, true, diff, K_MONEY, S_BOLD);
        free(fd);
    } else {
        put_na(s, r_diff, 1, S_BOLD);
    }

    lxw_row_t r = r_diff + 1;
    put_text(s, r++, 0, T(x, "recon.bridge"), x->sub_head);
    lxw_row_t first_line = r;
    double bridge = 0;
    for (size_t i = 0; i < x->m->n_recon; i++, r++) {
        const struct recon_line *rl = &x->m->recon[i];
        char key[96];
        put_text(s, r, 0, reason_text(x, rl->reason, key, sizeof(key)), x->sub);
        put_num(s, r, 1, rl->amount, K_MONEY, 0);
        put_num(s, r, 2, (double)rl->rows, K_INT, 0);
        bridge += rl->amount;
    }
    lxw_row_t r_total = r++;
    put_cell_text(s, r_total, 0, T(x, "recon.bridge_total"), S_TOTAL);
    if (x->m->n_recon) {
        char a[LXW_MAX_CELL_NAME_LENGTH], z[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(a, first_line, 1, false);
        cell_ref(z, r_total - 1, 1, false);
        char *ft = xstrfmt("=SUM(%s:%s)", a, z);
        put_formula(s, r_total, 1, ft, true, bridge, K_MONEY, S_TOTAL);
        free(ft);
        cell_ref(a, first_line, 2, false);
        cell_ref(z, r_total - 1, 2, false);
        ft = xstrfmt("=SUM(%s:%s)", a, z);
        long long rows = 0;
        for (size_t i = 0; i < x->m->n_recon; i++)
            rows += x->m->recon[i].rows;
        put_formula(s, r_total, 2, ft, true, (double)rows, K_INT, S_TOTAL);
        free(ft);
    } else if (ok) {
        put_num(s, r_total, 1, 0.0, K_MONEY, S_TOTAL);
        put_num(s, r_total, 2, 0.0, K_INT, S_TOTAL);
    } else {
        put_na(s, r_total, 1, S_TOTAL);
        put_na(s, r_total, 2, S_TOTAL);
    }

    lxw_row_t r_unexpl = r++;
    x->e->unexplained_row = r_unexpl;
    put_text(s, r_unexpl, 0, T(x, "recon.unexplained"), x->label);
    x->e->has_unexplained = ok;
    x->e->unexplained = ok ? diff - bridge : 0;
    if (fabs(x->e->unexplained) < CENT)
        x->e->unexplained = 0.0; /* no "-0.00" */
    char tot[LXW_MAX_CELL_NAME_LENGTH], un[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(tot, r_total, 1, false);
    cell_ref(un, r_unexpl, 1, false);
    if (ok) {
        char *fu = xstrfmt("=%s-%s", df, tot);
        bool bad = fabs(x->e->unexplained) >= CENT;
        put_formula(s, r_unexpl, 1, fu, true, x->e->unexplained, K_MONEY,
                    S_BOLD | (bad ? S_RED : S_GREEN));
        free(fu);
    } else {
        put_na(s, r_unexpl, 1, S_BOLD);
    }

    /* In words. */
    if (!ok) {
        x->e->recon_sentence = xstrdup(T(x, "recon.na"));
        x->e->recon_bad = true;
    } else if (fabs(x->e->unexplained) >= CENT) {
        char *amt = money_text(x, x->e->unexplained);
        x->e->recon_sentence =
            texts_format(x->t, "recon.unexplained_text", "amount", amt, (char *)NULL);
        free(amt);
        x->e->recon_bad = true;
    } else if (fabs(diff) >= CENT) {
        char *amt = money_text(x, diff);
        x->e->recon_sentence = texts_format(x->t, "recon.explained", "amount", amt, (char *)NULL);
        free(amt);
    } else {
        x->e->recon_sentence = xstrdup(T(x, "recon.ok"));
    }
    r++;
    put_para(s, r, 0, 2, x->e->recon_sentence, x->e->recon_bad ? x->bad_text : x->ok_text);

    /* Tie-out: every money figure against its control total, with the
     * source table, filter and period in words, so finance can redo it
     * in its own tools. */
    r += 2;
    put_free(s, r++, 0, T(x, "recon.tie_title"), x->section);
    put_free(s, r++, 0, T(x, "recon.tie_subtitle"), x->subtitle);
    enum { TO_ITEM, TO_VALUE, TO_CONTROL, TO_DIFF, TO_STATUS, TO_SOURCE, TO_FILTER };
    lxw_row_t th = r++;
    put_hdr(s, th, TO_ITEM, T(x, "recon.item"), false);
    put_hdr(s, th, TO_SOURCE, T(x, "recon.source"), false);
    put_hdr(s, th, TO_FILTER, T(x, "recon.filter"), false);
    char *h_val = with_currency(x, "recon.value");
    char *h_ctl = with_currency(x, "recon.control");
    char *h_dif = with_currency(x, "recon.tie_diff");
    put_hdr(s, th, TO_VALUE, h_val, true);
    put_hdr(s, th, TO_CONTROL, h_ctl, true);
    put_hdr(s, th, TO_DIFF, h_dif, true);
    put_hdr(s, th, TO_STATUS, T(x, "recon.tie_status"), false);
    free(h_val);
    free(h_ctl);
    free(h_dif);
    char end[16], year_ago[16];
    end_date(x, end, sizeof(end));
    if (!shift_date(end, 12, 0, year_ago, sizeof(year_ago)))
        year_ago[0] = '\0';
    char *ties_lit = xl_literal(T(x, "recon.ties_out"));
    char *off_lit = xl_literal(T(x, "recon.off"));
    lxw_row_t first_tie = r;
    struct tie {
        char *item, *source, *filter, *value_f, *control_f;
        double value, control;
    } ties[64];
    size_t nt = 0;
    if (ok) {
        char lref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(lref, r_ledger, 1, false);
        ties[nt++] = (struct tie){
            xstrdup(T(x, "recon.tie_ledger")),
            xstrdup("orders"),
            texts_format(x->t, "recon.filter_ledger", "from", year_ago, "to", end, (char *)NULL),
            xstrfmt("=%s", lref),
            NULL,
            kl->value,
            kl->value};
        /* Class revenue: the ledger less the rejected rows. */
        char cref[LXW_MAX_CELL_NAME_LENGTH], ctl0[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(cref, r_classes, 1, false);
        cell_ref(ctl0, first_tie, TO_CONTROL, false);
        ties[nt++] = (struct tie){
            xstrdup(T(x, "recon.tie_classes")),
            xstrdup("orders"),
            texts_format(x->t, "recon.filter_classes", "from", year_ago, "to", end, (char *)NULL),
            xstrfmt("=%s", cref),
            xstrfmt("=%s-%s", ctl0, tot),
            x->e->class_rev_sum,
            kl->value - bridge};
    }
    const struct kpi *rc = K(x, "roi.cost", "");
    if (x->e->has_roi_cost && has(rc)) {
        char ref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(ref, x->e->roi_cost_row, 1, true);
        ties[nt++] = (struct tie){
            xstrdup(T(x, "recon.tie_roi_cost")),
            xstrdup("program_costs"),
            texts_format(x->t, "recon.filter_roi_cost", "from", year_ago, "to", end, (char *)NULL),
            xstrfmt("=%s!%s", x->sh[SH_ROI].ref, ref),
            NULL,
            x->e->roi_cost,
            rc->value};
    }
    for (size_t i = 0; i < x->e->n_exps && nt < 64; i++) {
        const struct exp_cells *e = &x->e->exps[i];
        char *d = exp_dims(e->name, NULL);
        const struct kpi *ec = K(x, "exp.cost", d);
        free(d);
        if (!e->evaluated || !e->has_cost || !has(ec))
            continue;
        char ref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(ref, e->cost_row, 1, true);
        ties[nt++] =
            (struct tie){texts_format(x->t, "recon.tie_exp_cost", "name",
                                      model_label(x->m, "experiment", e->name), (char *)NULL),
                         xstrdup("program_costs"),
                         texts_format(x->t, "recon.filter_exp_cost", "from", e->start_month, "to",
                                      e->eval_date[0] ? e->eval_date : "?", (char *)NULL),
                         xstrfmt("=%s!%s", x->sh[SH_EXP].ref, ref),
                         NULL,
                         e->cost,
                         ec->value};
    }
    for (size_t i = 0; i < nt; i++, r++) {
        struct tie *t = &ties[i];
        put_text(s, r, TO_ITEM, t->item, NULL);
        put_cell_text(s, r, TO_SOURCE, t->source, 0);
        put_cell_text(s, r, TO_FILTER, t->filter, 0);
        put_formula(s, r, TO_VALUE, t->value_f, true, t->value, K_MONEY, 0);
        if (t->control_f)
            put_formula(s, r, TO_CONTROL, t->control_f, true, t->control, K_MONEY, 0);
        else
            put_num(s, r, TO_CONTROL, t->control, K_MONEY, 0);
        char vr[LXW_MAX_CELL_NAME_LENGTH], cr[LXW_MAX_CELL_NAME_LENGTH],
            dr[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(vr, r, TO_VALUE, false);
        cell_ref(cr, r, TO_CONTROL, false);
        cell_ref(dr, r, TO_DIFF, false);
        /* Cents: the cached difference is what the cells give. */
        double dv = t->value - t->control;
        char *fd = xstrfmt("=ROUND(%s-%s,2)", vr, cr);
        dv = round(dv * 100.0) / 100.0;
        if (dv == 0)
            dv = 0.0;
        put_formula(s, r, TO_DIFF, fd, true, dv, K_MONEY, S_BOLD);
        free(fd);
        char *fs = xstrfmt("=IF(ABS(%s)<0.005,%s,%s)", dr, ties_lit, off_lit);
        const char *status = T(x, fabs(dv) < CENT ? "recon.ties_out" : "recon.off");
        put_formula_text(s, r, TO_STATUS, fs, status, cell_format(x, K_TEXT, S_BOLD));
        widen(s, TO_STATUS,
              fmax(text_width(T(x, "recon.ties_out")), text_width(T(x, "recon.off"))) * 1.1);
        free(fs);
        free(t->item);
        free(t->source);
        free(t->filter);
        free(t->value_f);
        free(t->control_f);
    }
    free(ties_lit);
    free(off_lit);
    if (!nt) {
        put_free(s, r++, 0, T(x, "recon.tie_none"), x->subtitle);
    } else {
        char dref[LXW_MAX_CELL_NAME_LENGTH];
        lxw_rowcol_to_cell_abs(dref, first_tie, TO_DIFF, false, true);
        char *bad = xstrfmt("=ABS(%s)>=0.005", dref);
        char *good = xstrfmt("=ABS(%s)<0.005", dref);
        lxw_conditional_format cfb = {
            .type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = bad, .format = x->cf_red};
        lxw_conditional_format cfg = {
            .type = LXW_CONDITIONAL_TYPE_FORMULA, .value_string = good, .format = x->cf_green};
        chk_sheet(s, worksheet_conditional_format_range(s->ws, first_tie, TO_DIFF, r - 1, TO_STATUS,
                                                        &cfb));
        chk_sheet(s, worksheet_conditional_format_range(s->ws, first_tie, TO_DIFF, r - 1, TO_STATUS,
                                                        &cfg));
        free(bad);
        free(good);
    }

    worksheet_freeze_panes(s->ws, hdr + 1, 1);
    page_setup(s, true); /* the tie-out table is wide */
    finish_sheet(s);
}

/* ------------------------------------------------------------------ */
/* Departments, journey, closure (docs/departments.md)                 */

static void sheet_depts(struct xw *x)
{
    struct sheet *s = &x->sh[SH_DEPTS];
    put_free(s, 0, 0, T(x, "depts.title"), x->title);
    char *sub = period_text(x);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    const lxw_row_t hdr = 3;
    lxw_row_t r = kpi_table(s, hdr, NULL);
    r++;
    put_para(s, r++, 0, 11, T(x, "depts.kpi.legend"), x->note);
    r++;
    put_free(s, r++, 0, T(x, "depts.warn.by_department"), x->section);
    r = dept_warning_table(s, r, NULL);
    worksheet_freeze_panes(s->ws, hdr + 1, 2);
    page_setup(s, true);
    finish_sheet(s);
}

static void sheet_journey(struct xw *x)
{
    struct sheet *s = &x->sh[SH_JOURNEY];
    put_free(s, 0, 0, T(x, "depts.journey.title"), x->title);
    char *sub = period_text(x);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    const lxw_row_t hdr = 3;
    lxw_row_t r = journey_table(s, hdr, NULL);
    r++;
    put_para(s, r++, 0, 9, T(x, "depts.journey.legend"), x->note);
    worksheet_freeze_panes(s->ws, hdr + 1, 2);
    page_setup(s, true);
    finish_sheet(s);
}

static void sheet_closure(struct xw *x)
{
    struct sheet *s = &x->sh[SH_CLOSURE];
    put_free(s, 0, 0, T(x, "depts.closure.title"), x->title);
    char *sub = period_text(x);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    const lxw_row_t hdr = 3;
    lxw_row_t r = closure_table(s, hdr, NULL);
    r++;
    put_para(s, r++, 0, 6, T(x, "depts.closure.legend"), x->note);
    worksheet_freeze_panes(s->ws, hdr + 1, 1);
    page_setup(s, true);
    finish_sheet(s);
}

/* ------------------------------------------------------------------ */
/* About                                                               */

static void sheet_about(struct xw *x)
{
    struct sheet *s = &x->sh[SH_ABOUT];
    const struct model *m = x->m;
    const lxw_row_t hdr = 2;
    lxw_row_t r = about_table(s, hdr);
    r++;
    put_free(s, r++, 0, T(x, "about.sources"), x->section);
    put_hdr(s, r, 0, T(x, "quality.table"), false);
    put_hdr(s, r, 1, T(x, "quality.rows"), true);
    put_hdr(s, r++, 2, T(x, "quality.rejected"), true);
    for (size_t i = 0; i < m->n_sources; i++, r++) {
        put_cell_text(s, r, 0, m->sources[i].table, 0);
        put_num(s, r, 1, (double)m->sources[i].rows, K_INT, 0);
        put_num(s, r, 2, (double)m->sources[i].rejected, K_INT, 0);
    }

    worksheet_freeze_panes(s->ws, hdr + 1, 0);
    worksheet_gridlines(s->ws, LXW_HIDE_ALL_GRIDLINES);
    page_setup(s, false);
    finish_sheet(s);
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */

enum { SM_FIG, SM_VALUE, SM_MOE, SM_N, SM_DELTA, SM_NOTE, SM_NCOLS };

/* The run's early warnings in the Summary's columns: figure, value, n,
 * and why. */
static lxw_row_t summary_warnings(struct sheet *s, lxw_row_t r)
{
    struct xw *x = s->x;
    const struct kpi *dec = K(x, "warn.nps_decline", ""),
                     *pp = K(x, "warn.promoter_to_passive", ""),
                     *gap = K(x, "gap.satisfied_churned", "");
    bool set = has(dec) && dec->value > 0.5;
    put_text(s, r, SM_FIG, T(x, "depts.warn.nps_decline_overall"), NULL);
    put_yes_no(s, r, SM_VALUE, dec);
    if (dec && dec->n >= 0)
        put_num(s, r, SM_N, (double)dec->n, K_INT, 0);
    put_cell_text(s, r, SM_NOTE, decline_why(x, dec), set ? S_RED : 0);
    r++;
    put_text(s, r, SM_FIG, T(x, "depts.warn.promoter_to_passive_overall"), NULL);
    put_kpi(s, r, SM_VALUE, pp, K_INT, S_BOLD);
    if (pp && pp->n >= 0)
        put_num(s, r, SM_N, (double)pp->n, K_INT, 0);
    put_cell_text(s, r, SM_NOTE, T(x, "depts.warn.promoter_to_passive_note"), S_GREY);
    r++;
    put_text(s, r, SM_FIG, T(x, "depts.warn.satisfied_churned"), NULL);
    put_kpi(s, r, SM_VALUE, gap, K_PCT, S_BOLD | (low(gap) ? S_LOW : 0));
    if (gap && gap->n >= 0)
        put_num(s, r, SM_N, (double)gap->n, K_INT, 0);
    put_cell_text(s, r, SM_NOTE, T(x, "depts.warn.satisfied_churned_note"), S_GREY);
    return r + 1;
}

static void sheet_summary(struct xw *x)
{
    struct sheet *s = &x->sh[SH_SUMMARY];
    const struct model *m = x->m;
    put_free(s, 0, 0, T(x, "summary.title"), x->title);

    lxw_row_t r = 2;
    put_text(s, r, 0, T(x, "summary.job"), x->label);
    put_cell_text(s, r++, 1, nz(m->job), 0);
    char *period = period_text(x);
    put_text(s, r, 0, T(x, "summary.period"), x->label);
    put_free(s, r++, 1, period, NULL);
    free(period);
    put_text(s, r, 0, T(x, "summary.as_of"), x->label);
    put_cell_text(s, r++, 1, nz(m->as_of), 0);
    put_text(s, r, 0, T(x, "summary.run"), x->label);
    put_num(s, r++, 1, (double)m->run_id, K_ID, S_LEFT);

    r++;
    const lxw_row_t hdr = r;
    put_hdr(s, hdr, SM_FIG, T(x, "summary.figure"), false);
    put_hdr(s, hdr, SM_VALUE, T(x, "summary.value"), true);
    put_hdr(s, hdr, SM_MOE, T(x, "summary.moe"), true);
    put_hdr(s, hdr, SM_N, T(x, "summary.n"), true);
    put_hdr(s, hdr, SM_DELTA, T(x, "summary.delta"), true);
    put_hdr(s, hdr, SM_NOTE, T(x, "summary.note"), false);
    r++;

    char *low_mark = texts_format(x->t, "mark.low_sample", "min", x->min_text, (char *)NULL);

    /* NPS */
    const struct kpi *nps = K(x, "nps", ""), *moe = K(x, "nps_moe", ""), *nn = K(x, "nps_n", ""),
                     *delta = K(x, "nps_delta", "");
    bool nps_low = low(nps) || (has(nn) && nn->value < m->min_sample);
    unsigned st = nps_low ? S_LOW : 0;
    put_text(s, r, SM_FIG, T(x, "summary.nps"), cell_format(x, K_TEXT, st));
    put_kpi(s, r, SM_VALUE, nps, K_SCORE, st | S_BOLD);
    put_kpi(s, r, SM_MOE, moe, K_SCORE, st);
    if (has(nn))
        put_num(s, r, SM_N, nn->value, K_INT, st);
    else if (nps && nps->n >= 0)
        put_num(s, r, SM_N, (double)nps->n, K_INT, st);
    else
        put_na(s, r, SM_N, st);
    bool is_sig = has(delta) && sig(delta);
    put_kpi(s, r, SM_DELTA, delta, is_sig ? K_DELTA_SIG : K_DELTA,
            st | (low(delta) ? S_LOW : 0) | (is_sig ? S_BOLD : 0));
    struct strbuf note;
    strbuf_init(&note);
    if (nps_low || low(delta))
        strbuf_adds(&note, low_mark);
    if (has(delta)) {
        if (note.len)
            strbuf_adds(&note, "; ");
        strbuf_adds(&note, T(x, is_sig ? "mark.significant" : "mark.not_significant"));
    }
    put_cell_text(s, r, SM_NOTE, note.buf, st);
    strbuf_release(&note);
    if (!nps_low && has(nps))
        nps_lights(s, r, SM_VALUE);
    r++;

    /* CSAT, CES, churn: value, n, low-sample mark. */
    struct {
        const char *label, *code;
        enum kind kind;
    } rows[3] = {{"summary.csat", "csat", K_PCT},
                 {"summary.ces", "ces", K_CES},
                 {"summary.churn", "churn_rate", K_PCT}};
    for (int i = 0; i < 3; i++, r++) {
        const struct kpi *k = K(x, rows[i].code, "");
        unsigned kst = low(k) ? S_LOW : 0;
        put_text(s, r, SM_FIG, T(x, rows[i].label), cell_format(x, K_TEXT, kst));
        put_kpi(s, r, SM_VALUE, k, rows[i].kind, kst | S_BOLD);
        if (k && k->n >= 0)
            put_num(s, r, SM_N, (double)k->n, K_INT, kst);
        put_cell_text(s, r, SM_NOTE, low(k) ? low_mark : "", kst);
    }
    free(low_mark);

    /* LTV of all customers and the reconciliation: formulas over the
     * sheets that compute them. */
    char ref[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(ref, x->e->all_row, CC_LTV, true);
    char *fl = xstrfmt("=%s!%s", x->sh[SH_CLASSES].ref, ref);
    char *ltv_label = with_currency(x, "summary.ltv_all");
    put_text(s, r, SM_FIG, ltv_label, NULL);
    free(ltv_label);
    put_formula(s, r, SM_VALUE, fl, x->e->has_ltv_all, x->e->ltv_all, K_MONEY, S_BOLD);
    free(fl);
    r++;

    cell_ref(ref, x->e->unexplained_row, 1, true);
    char *fr = xstrfmt("=%s!%s", x->sh[SH_RECON].ref, ref);
    char *recon_label = with_currency(x, "summary.recon");
    put_text(s, r, SM_FIG, recon_label, NULL);
    free(recon_label);
    put_formula(s, r, SM_VALUE, fr, x->e->has_unexplained, x->e->unexplained, K_MONEY,
                S_BOLD | (x->e->recon_bad ? S_RED : S_GREEN));
    free(fr);
    put_para(s, r, SM_NOTE, SM_NOTE, x->e->recon_sentence,
             x->e->recon_bad ? x->bad_text : x->ok_text);
    widen(s, SM_NOTE, 36.0);
    r++;

    /* Early warnings (metrics.md "Departments, targets and closure"). */
    r++;
    put_free(s, r++, 0, T(x, "depts.warn.title"), x->section);
    r = summary_warnings(s, r);

    /* Findings. */
    r++;
    put_free(s, r++, 0, T(x, "summary.findings"), x->section);
    char *found[MAX_FINDINGS] = {0};
    size_t n = findings_build(m, x->t, found, MAX_FINDINGS);
    if (!n)
        put_free(s, r++, 0, T(x, "summary.no_findings"), x->subtitle);
    for (size_t i = 0; i < n; i++) {
        char *line = xstrfmt("•  %s", found[i]);
        put_para(s, r++, 0, SM_NCOLS - 1, line, x->para);
        free(line);
    }
    findings_free(found, n);

    worksheet_freeze_panes(s->ws, hdr + 1, 0);
    worksheet_gridlines(s->ws, LXW_HIDE_ALL_GRIDLINES);
    page_setup(s, true);
    finish_sheet(s);
    worksheet_activate(s->ws);
}

/* ------------------------------------------------------------------ */

enum vr_status render_xlsx_executive(const struct render_ctx *ctx, const char *path,
                                     struct vr_error *err)
{
    struct xw_exec e = {0};
    struct xw x = {.e = &e};
    enum vr_status st = xw_open(&x, ctx, path, sheet_keys, N_SHEETS, err);
    if (st != VR_OK)
        goto cleanup;

    xw_properties(&x, T(&x, "workbook.title"), T(&x, "workbook.subject"));

    /* Sheets that others refer to come first. */
    sheet_classes(&x);
    sheet_scores(&x);
    sheet_topics(&x);
    sheet_root(&x);
    sheet_sov(&x);
    sheet_corr(&x);
    sheet_exp(&x);
    sheet_roi(&x);
    sheet_quality(&x);
    sheet_recon(&x);
    sheet_depts(&x);
    sheet_journey(&x);
    sheet_closure(&x);
    sheet_about(&x);
    sheet_summary(&x);

cleanup : {
    enum vr_status closed = xw_close(&x, path, err);
    st = st != VR_OK ? st : closed;
}
    free(e.recon_sentence);
    free(e.exps);
    return st;
}
