/* What the department workbook's sheet families share beyond
 * xlsx_book.h: its sheets' order and the titles and finish every sheet
 * has.  xlsx_dept.c lists the sheets.  Internal to the xlsx_dept*.c files. */
#ifndef VR_XLSX_DEPT_H
#define VR_XLSX_DEPT_H

#include "xlsx_book.h"

enum { DS_SCORECARD, DS_TREND, DS_CLOSURE, DS_JOURNEY, DS_TOPICS, DS_VERBATIMS, DS_ABOUT, DS_N };

/* Title ("{department}: ...") and period on rows 0 and 1. */
void dept_titles(struct sheet *s, const char *title_key);
/* Panes frozen at (freeze_row, freeze_col), the page set up, widths set. */
void dept_done(struct sheet *s, lxw_row_t freeze_row, lxw_col_t freeze_col, bool landscape);

/* The sheet writers kept in their own files. */
void dept_sheet_trend(struct xw *x);
void dept_sheet_topics(struct xw *x);
void dept_sheet_verbatims(struct xw *x);

#endif
