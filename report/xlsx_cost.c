/* The Programme cost sheet: the VoC programme's cost by month and category
 * over the ROI's window, the trailing 12 months (jobs/compute/kpi_roi.h, the
 * roi.cost figures with dims category=C;month=YYYY-MM-01), with row and
 * column totals as formulas whose grand total is roi.cost.  Written on
 * every run, with or without an experiment: finance reconciles the cost
 * before any benefit exists.  Its total is the cost cell the VoC ROI sheet
 * and the Reconciliation read (A_ROI_COST). */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The breakdown's months and categories, each sorted (months ascending). */
static void breakdown(const struct model *m, struct names *months, struct names *cats)
{
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        char month[32], cat[256];
        if (strcmp(k->code, "roi.cost") || !dim_value(k->dims, "month", month, sizeof(month)) ||
            !dim_value(k->dims, "category", cat, sizeof(cat)))
            continue;
        if (!names_has(months, month))
            names_add(months, month);
        if (!names_has(cats, cat))
            names_add(cats, cat);
    }
    if (months->n)
        qsort(months->v, months->n, sizeof(*months->v), cmp_str);
    if (cats->n)
        qsort(cats->v, cats->n, sizeof(*cats->v), cmp_str);
}

static void sum_formula(char *out, size_t n, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1, lxw_col_t c1)
{
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range(range, r0, c0, r1, c1);
    snprintf(out, n, "=SUM(%s)", range);
}

void sheet_cost(struct xw *x)
{
    struct sheet *s = &x->sh[SH_COST];
    const struct model *m = x->m;
    put_free(s, 0, 0, T(x, "cost.title"), x->title);
    /* The window as kpi_roi recorded it: "first/last". */
    const char *window = model_param(m, "roi_window");
    char first[16] = "?", last[16] = "?";
    if (window && strlen(window) == 21 && window[10] == '/') {
        snprintf(first, sizeof(first), "%.10s", window);
        snprintf(last, sizeof(last), "%.10s", window + 11);
    }
    char *sub = texts_format(x->t, "cost.subtitle", "first", first, "last", last, (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    struct names months = {0}, cats = {0};
    breakdown(m, &months, &cats);
    const lxw_row_t hdr = 3;
    const lxw_col_t tot_col = (lxw_col_t)(1 + cats.n);
    put_hdr(s, hdr, 0, T(x, "cost.month"), false);
    for (size_t c = 0; c < cats.n; c++) {
        char *name = texts_dim_label(x->t, m, "category", cats.v[c]);
        put_hdr(s, hdr, (lxw_col_t)(1 + c), name, true);
        free(name);
    }
    char *total_hdr = with_currency(x, "cost.total");
    put_hdr(s, hdr, tot_col, total_hdr, true);
    free(total_hdr);
    worksheet_freeze_panes(s->ws, hdr + 1, 1);

    lxw_row_t r = hdr + 1;
    char f[128];
    for (size_t i = 0; i < months.n; i++, r++) {
        put_date(s, r, 0, months.v[i], K_MONTH, S_LEFT);
        double row_sum = 0;
        for (size_t c = 0; c < cats.n; c++) {
            char dims[320];
            snprintf(dims, sizeof(dims), "category=%s;month=%s", cats.v[c], months.v[i]);
            const struct kpi *k = K(x, "roi.cost", dims);
            if (has(k)) {
                put_num(s, r, (lxw_col_t)(1 + c), k->value, K_MONEY, 0);
                row_sum += k->value;
            }
        }
        sum_formula(f, sizeof(f), r, 1, r, (lxw_col_t)(tot_col - 1));
        put_formula(s, r, tot_col, f, true, row_sum, K_MONEY, S_BOLD);
    }
    if (!months.n)
        put_free(s, r++, 0, T(x, "cost.none"), x->subtitle);

    /* The total row: each category's sum, and the grand total (roi.cost). */
    const lxw_row_t tr = r;
    put_text(s, tr, 0, T(x, "cost.total"), cell_format(x, K_TEXT, S_TOTAL));
    for (size_t c = 0; c < cats.n; c++) {
        double col_sum = 0;
        for (size_t i = 0; i < months.n; i++) {
            char dims[320];
            snprintf(dims, sizeof(dims), "category=%s;month=%s", cats.v[c], months.v[i]);
            const struct kpi *k = K(x, "roi.cost", dims);
            col_sum += has(k) ? k->value : 0.0;
        }
        sum_formula(f, sizeof(f), hdr + 1, (lxw_col_t)(1 + c), tr - 1, (lxw_col_t)(1 + c));
        put_formula(s, tr, (lxw_col_t)(1 + c), f, true, col_sum, K_MONEY, S_TOTAL);
    }
    if (months.n) {
        sum_formula(f, sizeof(f), hdr + 1, tot_col, tr - 1, tot_col);
        put_formula_fig(s, tr, tot_col, f, "roi.cost", "", S_TOTAL);
    } else {
        put_kpi(s, tr, tot_col, K(x, "roi.cost", ""), S_TOTAL); /* 0, or n/a with its reason */
    }
    put_para(s, tr + 2, 0, tot_col, T(x, "cost.tie"), x->note);

    const struct kpi *kc = K(x, "roi.cost", "");
    x->e->has_roi_cost = has(kc);
    x->e->roi_cost = has(kc) ? kc->value : 0;
    x->e->roi_cost_row = tr;
    x->e->roi_cost_col = tot_col;

    widen(s, 0, 12.0);
    names_release(&months);
    names_release(&cats);
    page_setup(s, false);
    finish_sheet(s);
}
