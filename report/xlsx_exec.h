/* What the executive workbook's sheet families share beyond xlsx_book.h:
 * the sheets' order, and the cells one sheet writes and another's formulas
 * read (struct xw_exec).  xlsx.c lists the sheets; each family has its
 * file (xlsx_summary.c, ...).  Internal to those files. */
#ifndef VR_XLSX_EXEC_H
#define VR_XLSX_EXEC_H

#include "xlsx_book.h"

enum sheet_id {
    SH_SUMMARY,
    SH_FINDINGS,
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
    SH_COST,
    SH_QUALITY,
    SH_RECON,
    SH_ABOUT,
    N_SHEETS
};

/* One experiment's cells on the Experiments sheet. */
struct exp_cells {
    const char *name;
    bool evaluated;
    bool has_value, has_cost;
    lxw_row_t value_row, cost_row;
    double value, cost;
    const struct experiment_dates *dates; /* NULL when the model has none */
};

/* Columns of the Customer classes table. */
enum { CC_CLASS, CC_CUSTOMERS, CC_REVENUE, CC_REPEAT, CC_CHURN, CC_ARPU, CC_LTV, CC_N };
/* Beside the table, after a spacer column: ARPU and LTV as the run stored
 * them (kpi_values), to check the formulas against.  The ARPU chart reads
 * these plain values: libxlsxwriter caches a formula cell as 0 in a chart's
 * data cache, and a reader that does not recalculate would draw zeros. */
enum { CC_RUN_ARPU = CC_N + 1, CC_RUN_LTV, CC_RUN_N };
/* The cells one sheet writes for another's formulas (struct xw_exec, the
 * needs and gives of struct xw_sheet). */
enum {
    A_CLASSES = 1,  /* the class rows, All customers and its LTV (Customer classes) */
    A_EXPS = 2,     /* each experiment's value and cost cells (Experiments) */
    A_ROI_COST = 4, /* the programme's cost total (Programme cost) */
    A_RECON = 8,    /* the unexplained difference and its sentence (Reconciliation) */
};

/* The executive workbook's own state, beside the shared struct xw. */
struct xw_exec {
    /* Anchors other sheets refer to. */
    lxw_row_t class_row0; /* first of the four class rows */
    bool class_rev_known; /* some class has a revenue (none without orders) */
    lxw_row_t all_row;    /* the "All customers" row */
    lxw_row_t unexplained_row;
    char *recon_sentence;
    bool recon_bad;
    /* Money cells the Reconciliation ties out: the experiments' cost cells
     * and the programme's cost total on the Programme cost sheet (row 0 /
     * !has_*: not written). */
    struct exp_cells *exps;
    size_t n_exps;
    bool has_roi_cost;
    lxw_row_t roi_cost_row;
    lxw_col_t roi_cost_col;
    double roi_cost;
};

#define CHART_ROWS 17 /* rows kept free for a full-size chart */

/* The sheet writers, one per sheet, each filling x->sh[its sheet_id]. */
void sheet_summary(struct xw *x);
void sheet_classes(struct xw *x);
void sheet_root(struct xw *x);
void sheet_scores(struct xw *x);
void sheet_corr(struct xw *x);
void sheet_topics(struct xw *x);
void sheet_sov(struct xw *x);
void sheet_exp(struct xw *x);
void sheet_roi(struct xw *x);
void sheet_cost(struct xw *x);
void sheet_findings(struct xw *x);
void sheet_recon(struct xw *x);
void sheet_quality(struct xw *x);
void sheet_about(struct xw *x);
void sheet_depts(struct xw *x);
void sheet_journey(struct xw *x);
void sheet_closure(struct xw *x);

#endif
