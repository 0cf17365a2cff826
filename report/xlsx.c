/* The executive workbook, for executives and finance (outputs.md
 * "Workbook"): its table of sheets.  Each sheet family has its file
 * (xlsx_summary.c, xlsx_findings.c, xlsx_scores.c, xlsx_topics.c,
 * xlsx_classes.c, xlsx_money.c, xlsx_cost.c, xlsx_quality.c, xlsx_about.c,
 * and xlsx_depts.c beside the
 * department tables); the helpers they share are in xlsx_book.c.  Only the
 * xlsx_*.c files include libxlsxwriter.
 *
 * Every label comes from templates/<locale>/workbook.ini (and common.ini);
 * every figure is written as a number, a NULL figure as the "n/a" text
 * (format.na), never 0.  Derived money figures (ARPU, LTV, gains, the
 * reconciliation) are Excel formulas over the cells they come from, with
 * the run's figure cached, so readers that do not recalculate show the same
 * figures as Excel and LibreOffice do.
 *
 * The workbook is small: it is written in normal mode (constant-memory mode
 * would drop the cached chart points). */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sheets, tab by tab. */
static const struct xw_sheet sheets[N_SHEETS] = {
    [SH_SUMMARY] = {"summary", "sheet.summary", sheet_summary, A_CLASSES | A_RECON, 0},
    [SH_FINDINGS] = {"findings", "sheet.findings", sheet_findings, 0, 0},
    [SH_DEPTS] = {"departments", "sheet.departments", sheet_depts, 0, 0},
    [SH_JOURNEY] = {"journey", "sheet.journey", sheet_journey, 0, 0},
    [SH_CLOSURE] = {"closure", "sheet.closure", sheet_closure, 0, 0},
    [SH_SCORES] = {"scores", "sheet.scores", sheet_scores, 0, 0},
    [SH_CLASSES] = {"classes", "sheet.classes", sheet_classes, 0, A_CLASSES},
    [SH_TOPICS] = {"topics", "sheet.topics", sheet_topics, 0, 0},
    [SH_ROOT] = {"root", "sheet.root", sheet_root, A_CLASSES, 0},
    [SH_SOV] = {"sov", "sheet.sov", sheet_sov, 0, 0},
    [SH_CORR] = {"corr", "sheet.corr", sheet_corr, 0, 0},
    [SH_EXP] = {"exp", "sheet.exp", sheet_exp, A_CLASSES, A_EXPS},
    [SH_ROI] = {"roi", "sheet.roi", sheet_roi, A_EXPS | A_ROI_COST, 0},
    [SH_COST] = {"cost", "sheet.cost", sheet_cost, 0, A_ROI_COST},
    [SH_QUALITY] = {"quality", "sheet.quality", sheet_quality, 0, 0},
    [SH_RECON] = {"recon", "sheet.recon", sheet_recon, A_CLASSES | A_EXPS | A_ROI_COST, A_RECON},
    [SH_ABOUT] = {"about", "sheet.about", sheet_about, 0, 0},
};

enum vr_status render_xlsx_executive(const struct render_ctx *ctx, const char *path,
                                     struct vr_error *err)
{
    struct xw_exec e = {0};
    struct xw x = {.e = &e};
    enum vr_status st = xw_open(&x, ctx, path, sheets, N_SHEETS, err);
    if (st == VR_OK) {
        xw_properties(&x, T(&x, "workbook.title"), T(&x, "workbook.subject"));
        st = xw_write_sheets(&x, sheets, N_SHEETS, err);
    }
    enum vr_status closed = xw_close(&x, path, err);
    st = st != VR_OK ? st : closed;
    free(e.recon_sentence);
    free(e.exps);
    return st;
}
