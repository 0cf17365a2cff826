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
#include "xlsx_exec.h"

#include "../jobs/strbuf.h"
#include "findings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *const sheet_keys[N_SHEETS] = {
    "sheet.summary", "sheet.departments", "sheet.journey", "sheet.closure", "sheet.scores",
    "sheet.classes", "sheet.topics",      "sheet.root",    "sheet.sov",     "sheet.corr",
    "sheet.exp",     "sheet.roi",         "sheet.quality", "sheet.recon",   "sheet.about"};

/* "2026-10-01" minus some months, as PostgreSQL does it (the day is clamped
 * to the month's length); plus days.  False when ymd is not a date. */
bool shift_date(const char *ymd, int months, int days, char *out, size_t n)
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
