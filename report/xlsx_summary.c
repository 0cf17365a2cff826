/* The Summary sheet: the run, the headline figures with their marks, LTV
 * and the reconciliation (formulas over the sheets that compute them), the
 * early warnings and the findings. */
#include "xlsx_exec.h"

#include "../jobs/strbuf.h"
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FINDINGS 5

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
    put_kpi(s, r, SM_VALUE, pp, S_BOLD);
    if (pp && pp->n >= 0)
        put_num(s, r, SM_N, (double)pp->n, K_INT, 0);
    put_cell_text(s, r, SM_NOTE, T(x, "depts.warn.promoter_to_passive_note"), S_GREY);
    r++;
    put_text(s, r, SM_FIG, T(x, "depts.warn.satisfied_churned"), NULL);
    put_kpi(s, r, SM_VALUE, gap, S_BOLD | (low(gap) ? S_LOW : 0));
    if (gap && gap->n >= 0)
        put_num(s, r, SM_N, (double)gap->n, K_INT, 0);
    put_cell_text(s, r, SM_NOTE, T(x, "depts.warn.satisfied_churned_note"), S_GREY);
    return r + 1;
}

void sheet_summary(struct xw *x)
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
    put_kpi(s, r, SM_VALUE, nps, st | S_BOLD);
    put_kpi(s, r, SM_MOE, moe, st);
    if (has(nn))
        put_num(s, r, SM_N, nn->value, K_INT, st);
    else if (nps && nps->n >= 0)
        put_num(s, r, SM_N, (double)nps->n, K_INT, st);
    else
        put_na(s, r, SM_N, st);
    bool is_sig = has(delta) && sig(delta);
    put_kpi_as(s, r, SM_DELTA, delta, is_sig ? K_DELTA_SIG : K_DELTA,
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
    } rows[3] = {{"summary.csat", "csat"}, {"summary.ces", "ces"}, {"summary.churn", "churn_rate"}};
    for (int i = 0; i < 3; i++, r++) {
        const struct kpi *k = K(x, rows[i].code, "");
        unsigned kst = low(k) ? S_LOW : 0;
        put_text(s, r, SM_FIG, T(x, rows[i].label), cell_format(x, K_TEXT, kst));
        put_kpi(s, r, SM_VALUE, k, kst | S_BOLD);
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
    put_formula_fig(s, r, SM_VALUE, fl, "ltv_all", "", S_BOLD);
    free(fl);
    r++;

    cell_ref(ref, x->e->unexplained_row, 1, true);
    char *fr = xstrfmt("=%s!%s", x->sh[SH_RECON].ref, ref);
    char *recon_label = with_currency(x, "summary.recon");
    put_text(s, r, SM_FIG, recon_label, NULL);
    free(recon_label);
    put_formula_fig(s, r, SM_VALUE, fr, "recon.unexplained", "",
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
