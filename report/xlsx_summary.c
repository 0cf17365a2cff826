/* The Summary sheet: the run, the headline figures with their marks, LTV
 * and the reconciliation (formulas over the sheets that compute them), the
 * early warnings and the findings. */
#include "xlsx_exec.h"

#include "findings.h"
#include "jobs/base/strbuf.h"
#include "jobs/model/status.h"

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

/* VoC ROI over the trailing 12 months, its 95 % interval and whether it
 * is significant; "not measured" while no evaluated experiment counts. */
static void summary_roi(struct sheet *s, lxw_row_t r)
{
    struct xw *x = s->x;
    const struct kpi *roi = K(x, "roi.value", ""), *lo = K(x, "roi.value_low", ""),
                     *hi = K(x, "roi.value_high", "");
    bool not_sig = kpi_flagged(roi, "not_significant");
    put_text(s, r, SM_FIG, T(x, "summary.roi"), NULL);
    if (has(roi))
        put_kpi(s, r, SM_VALUE, roi, not_sig ? S_GREY : S_BOLD);
    else if (roi)
        put_missing(s, r, SM_VALUE, roi);
    else /* no experiment configured: no figure to say why */
        put_missing_why(s, r, SM_VALUE, T(x, "summary.roi_not_measured"));
    struct strbuf note;
    strbuf_init(&note);
    if (has(roi) && has(lo) && has(hi)) {
        char *l = fmt_metric(x->t, "roi.value_low", lo->value),
             *h = fmt_metric(x->t, "roi.value_high", hi->value);
        char *iv = texts_format(x->t, "summary.roi_interval", "low", l, "high", h, (char *)NULL);
        strbuf_adds(&note, iv);
        free(iv);
        free(l);
        free(h);
    }
    if (not_sig)
        strbuf_addf(&note, "%s%s", note.len ? "; " : "", T(x, "summary.roi_not_significant"));
    if (!has(roi))
        strbuf_adds(&note, T(x, "summary.roi_not_measured"));
    put_cell_text(s, r, SM_NOTE, note.buf, not_sig || !has(roi) ? S_GREY : 0);
    strbuf_release(&note);
}

/* A history column: the figure of code in each period, a target beside it
 * when there is one. */
struct hist_col {
    const char *code, *label_key;
    bool has_target;
    double target;
    enum kind kind;
    lxw_col_t col, tcol; /* tcol 0: no target column */
    bool any;            /* some period has a value */
    const struct kpi *first_missing;
};

/* The twelve periods of the histories (kpi_history: nps, csat, churn_rate
 * with dims period=<first day>) as a table of plain values, and a native
 * line chart of each with its target as a dashed line; a chart's points
 * are the table's cells, blank for a period without the figure (a gap,
 * never 0).  No chart of a figure no period has: a line says why. */
static lxw_row_t summary_history(struct sheet *s, lxw_row_t r)
{
    struct xw *x = s->x;
    const struct model *m = x->m;
    if (!m->n_periods)
        return r;
    put_free(s, r++, 0, T(x, "summary.history"), x->section);
    const char *green = model_param(m, "nps_green");
    const struct kpi *csat_t = K(x, "journey.target", "metric=csat");
    struct hist_col cols[3] = {
        {"nps", "summary.history_nps", true, green ? atof(green) : 30.0, K_SCORE, 0, 0, false,
         NULL},
        {"csat", "summary.history_csat", has(csat_t), has(csat_t) ? csat_t->value : 0, K_PCT, 0, 0,
         false, NULL},
        {"churn_rate", "summary.history_churn", false, 0, K_PCT, 0, 0, false, NULL},
    };
    const lxw_row_t hdr = r;
    put_hdr(s, hdr, 0, T(x, "summary.history_period"), false);
    lxw_col_t c = 1;
    for (int i = 0; i < 3; i++) {
        cols[i].col = c++;
        put_hdr(s, hdr, cols[i].col, T(x, cols[i].label_key), true);
        if (cols[i].has_target) {
            cols[i].tcol = c++;
            char *th = texts_format(x->t, "summary.history_target", "kpi", T(x, cols[i].label_key),
                                    (char *)NULL);
            put_hdr(s, hdr, cols[i].tcol, th, true);
            free(th);
        }
    }
    r++;
    const lxw_row_t first = r;
    char *low_mark = texts_format(x->t, "mark.low_sample", "min", x->min_text, (char *)NULL);
    for (size_t p = 0; p < m->n_periods; p++, r++) {
        bool now = p + 1 == m->n_periods;
        put_date(s, r, 0, m->periods[p].first_day, K_DATE, S_LEFT | (now ? S_BOLD : 0));
        char dims[64];
        snprintf(dims, sizeof(dims), "period=%s", m->periods[p].first_day);
        /* What the row's figures lack, as one comment on its date: a
         * comment on a figure's own cell would make libxlsxwriter cache it
         * as a 0 point in the chart. */
        struct strbuf why;
        strbuf_init(&why);
        for (int i = 0; i < 3; i++) {
            const struct kpi *k = K(x, cols[i].code, dims);
            unsigned st = (low(k) ? S_LOW : 0) | (now ? S_BOLD : 0);
            const char *label = T(x, cols[i].label_key);
            if (has(k)) {
                put_num(s, r, cols[i].col, k->value, cols[i].kind, st);
                cols[i].any = true;
                if (low(k))
                    strbuf_addf(&why, "%s%s: %s", why.len ? "\n" : "", label, low_mark);
            } else {
                note_missing(x, &why, label, k);
                if (!cols[i].first_missing)
                    cols[i].first_missing = k;
            }
            if (cols[i].has_target)
                put_num(s, r, cols[i].tcol, cols[i].target, cols[i].kind, S_GREY);
        }
        put_row_note(s, r, 0, &why);
        strbuf_release(&why);
    }
    free(low_mark);
    const lxw_row_t last = r - 1;
    put_para(s, r++, 0, SM_NCOLS - 1, T(x, "summary.history_legend"), x->note);
    r++;
    /* Two charts side by side, a row of charts CHART_ROWS high. */
    for (int i = 0; i < 3; i++) {
        if (cols[i].any)
            continue;
        char *why = na_why(x, cols[i].first_missing);
        char *line = texts_format(x->t, "summary.history_none", "kpi", T(x, cols[i].label_key),
                                  "why", why, (char *)NULL);
        put_free(s, r++, 0, line, x->subtitle);
        free(line);
        free(why);
    }
    int placed = 0;
    for (int i = 0; i < 3; i++) {
        if (!cols[i].any)
            continue;
        lxw_chart *ch = xw_line_chart(s, first, last, hdr, 0, cols[i].col, cols[i].tcol,
                                      T(x, cols[i].label_key), cols[i].kind);
        if (!ch)
            break;
        chart_axis_set_num_format(ch->x_axis, "yyyy-mm"); /* the periods' first days */
        lxw_chart_options opt = {.x_offset = (placed % 2) ? 500 : 0,
                                 .y_offset = 4,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        lxw_row_t at = r + (lxw_row_t)(placed / 2) * CHART_ROWS;
        chk_cell(s, at, 0, worksheet_insert_chart_opt(s->ws, at, 0, ch, &opt));
        placed++;
    }
    return r + (lxw_row_t)((placed + 1) / 2) * CHART_ROWS;
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
    put_date(s, r++, 1, m->as_of, K_DATE, S_LEFT);
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
    put_kpi(s, r, SM_VALUE, nps, st | S_BOLD | light_style(nps_light(m, nps)));
    put_kpi(s, r, SM_MOE, moe, st);
    if (has(nn))
        put_num(s, r, SM_N, nn->value, K_INT, st);
    else if (nps && nps->n >= 0)
        put_num(s, r, SM_N, (double)nps->n, K_INT, st);
    else
        put_missing(s, r, SM_N, nps);
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
    summary_roi(s, r++);

    /* Early warnings (metrics.md "Departments, targets and closure"). */
    r++;
    put_free(s, r++, 0, T(x, "depts.warn.title"), x->section);
    r = summary_warnings(s, r);

    /* Findings. */
    r++;
    put_free(s, r++, 0, T(x, "summary.findings"), x->section);
    /* As the briefing words them: the sentence, then who acts on it, what
     * it is worth and the next step. */
    struct finding_words found[MAX_FINDINGS];
    size_t n = findings_top(m, x->t, found, MAX_FINDINGS);
    if (!n)
        put_free(s, r++, 0, T(x, "summary.no_findings"), x->subtitle);
    for (size_t i = 0; i < n; i++) {
        char *line = xstrfmt("•  %s", found[i].sentence);
        put_para(s, r++, 0, SM_NCOLS - 1, line, x->para);
        free(line);
        char *owner = texts_format(x->t, "finding.owner", "owner", found[i].owner, (char *)NULL);
        char *next = texts_format(x->t, "finding.next", "step", found[i].next_step, (char *)NULL);
        char *meta = xstrfmt("    %s · %s · %s", owner, found[i].worth, next);
        put_para(s, r++, 0, SM_NCOLS - 1, meta, x->note);
        free(meta);
        free(next);
        free(owner);
    }
    findings_words_release(found, n);

    r = summary_history(s, r + 1);

    worksheet_freeze_panes(s->ws, hdr + 1, 0);
    worksheet_gridlines(s->ws, LXW_HIDE_ALL_GRIDLINES);
    page_setup(s, true);
    finish_sheet(s);
    worksheet_activate(s->ws);
}
