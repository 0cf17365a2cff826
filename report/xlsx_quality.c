/* The Data quality sheet (data-contract.md "Rows the job must not
 * trust"): rows read and rejected per source table against the limit, the
 * views the run did without, the reasons, and what the config names that
 * the period never mentions. */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            put_kpi(s, r, 1, K(x, "dq.unknown_topic", dims), 0);
            free(dims);
        }
        put_free(s, r++, 0, T(x, "quality.unknown_note"), x->note);
    }
    free(codes);
    return r;
}

/* What the config names but the period never heard of (jobs/compute/coverage.h),
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

void sheet_quality(struct xw *x)
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
        /* An empty table has no share (n/a), not a clean 0 %. */
        char dims[64];
        snprintf(dims, sizeof(dims), "table=%s", sc->table);
        char *fs = xstrfmt("=IF(%s=0,%s,%s/%s)", rows, x->na_lit, rej, rows);
        put_formula_fig(s, r, 3, fs, "dq.rejected_share", dims, 0);
        free(fs);
        char *ft =
            xstrfmt("=IF(AND(ISNUMBER(%s),%s>%s),%s,%s)", share, share, limit, over_lit, ok_lit);
        bool over = kpi_flagged(K(x, "dq.rejected_share", dims), "over_limit");
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
        put_kpi(s, r++, 1, nt, 0);
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
