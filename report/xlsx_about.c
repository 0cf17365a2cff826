/* The About sheet: the run, every parameter it used (about_table, shared
 * with the department workbook) and the rows read per source table. */
#include "xlsx_exec.h"

void sheet_about(struct xw *x)
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
