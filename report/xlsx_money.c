/* The sheets finance signs off: retention Experiments (each verdict a
 * formula over its arms), VoC ROI and the Reconciliation (the ledger
 * against the classes, the bridge of rejected rows, and every money figure
 * tied out against its control total). */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Money compares to the cent. */
#define CENT 0.005

/* The run's T as a local date: the period end's first ten characters. */
static void end_date(const struct xw *x, char *out, size_t n)
{
    snprintf(out, n, "%.10s", nz(x->m->period_end));
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

void sheet_exp(struct xw *x)
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
        e->dates = model_experiment_dates(x->m, e->name);
        double st;
        char *d = exp_dims(e->name, NULL); /* the experiment's figures */
        e->evaluated = model_value(x->m, "exp.status", d, &st) && st == 1.0;
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
            put_kpi(s, r, 1, cust[a], 0);
            if (e->evaluated)
                put_kpi(s, r, 2, churn[a], 0);
        }
        if (!e->evaluated) {
            char *when = e->dates && e->dates->evaluated_on
                             ? texts_format(x->t, "exp.running_note", "date",
                                            e->dates->evaluated_on, (char *)NULL)
                             : xstrdup(T(x, "exp.running_note_undated"));
            put_para(s, r++, 0, 3, when, x->note);
            free(when);
            free(d);
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

        lxw_row_t r_diff = r++;
        cell_ref(dref, r_diff, 1, false);
        put_text(s, r_diff, 0, T(x, "exp.diff"), NULL);
        char *expr = xstrfmt("%s-%s", cc, tc);
        char *f = guarded(x, cc, tc, expr);
        put_formula_fig(s, r_diff, 1, f, "exp.churn_diff", d, S_BOLD);
        free(f);
        free(expr);

        const struct kpi *lo = exp_kpi(x, "exp.ci_low", e->name, NULL),
                         *hi = exp_kpi(x, "exp.ci_high", e->name, NULL),
                         *pv = exp_kpi(x, "exp.p_value", e->name, NULL),
                         *cost = exp_kpi(x, "exp.cost", e->name, NULL);
        put_text(s, r, 0, T(x, "exp.ci_low"), NULL);
        put_kpi(s, r++, 1, lo, 0);
        put_text(s, r, 0, T(x, "exp.ci_high"), NULL);
        put_kpi(s, r++, 1, hi, 0);
        put_text(s, r, 0, T(x, "exp.p_value"), NULL);
        put_kpi(s, r, 1, pv, 0);
        if (has(pv))
            put_cell_text(s, r, 2,
                          T(x, pv->value < 0.05 ? "exp.significant" : "exp.not_significant"),
                          pv->value < 0.05 ? S_BOLD : S_GREY);
        r++;

        lxw_row_t r_ret = r++;
        cell_ref(rref, r_ret, 1, false);
        put_text(s, r_ret, 0, T(x, "exp.retained"), NULL);
        expr = xstrfmt("%s*%s", dref, tn);
        f = guarded(x, dref, tn, expr);
        put_formula_fig(s, r_ret, 1, f, "exp.retained_customers", d, 0);
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
        put_formula_fig(s, r_ltv, 1, f, "ltv_all", "", 0);
        free(f);
        put_cell_text(s, r_ltv, 2, T(x, "exp.ltv_note"), S_GREY);

        lxw_row_t r_val = r++;
        cell_ref(vref, r_val, 1, false);
        char *val_label = with_currency(x, "exp.value_money");
        put_text(s, r_val, 0, val_label, NULL);
        free(val_label);
        const struct kpi *value = K(x, "exp.value", d);
        e->has_value = has(value);
        e->value = e->has_value ? value->value : 0;
        e->value_row = r_val;
        expr = xstrfmt("%s*%s", rref, lref);
        f = guarded(x, rref, lref, expr);
        put_formula_fig(s, r_val, 1, f, "exp.value", d, S_BOLD);
        free(f);
        free(expr);

        lxw_row_t r_cost = r++;
        cell_ref(kref, r_cost, 1, false);
        char *cost_label = with_currency(x, "exp.cost");
        put_text(s, r_cost, 0, cost_label, NULL);
        free(cost_label);
        put_kpi(s, r_cost, 1, cost, 0);
        e->has_cost = has(cost);
        e->cost = e->has_cost ? cost->value : 0;
        e->cost_row = r_cost;

        put_text(s, r, 0, T(x, "exp.roi"), x->label);
        f = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),IF(%s=0,%s,(%s-%s)/%s),%s)", vref, kref,
                    kref, x->na_lit, vref, kref, kref, x->na_lit);
        put_formula_fig(s, r, 1, f, "exp.roi", d, S_BOLD);
        free(f);
        free(d);
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

void sheet_roi(struct xw *x)
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

    /* Benefit: the sum of the value cells of the experiments whose value
     * the run counted, when they add up to the run's figure; else the
     * figure. */
    lxw_row_t r_b = hdr + 1, r_c = hdr + 2, r_v = hdr + 3;
    struct strbuf sum;
    strbuf_init(&sum);
    double cells = 0;
    int used = 0;
    for (size_t i = 0; i < x->e->n_exps; i++) {
        const struct exp_cells *e = &x->e->exps[i];
        if (!e->evaluated || !e->has_value || !e->dates || !e->dates->in_roi)
            continue;
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
        put_formula_fig(s, r_b, 1, f, "roi.benefit", "", 0);
        free(f);
        put_cell_text(s, r_b, 2, T(x, "roi.benefit_sum"), S_GREY);
    } else {
        put_kpi(s, r_b, 1, kb, 0);
    }
    strbuf_release(&sum);

    /* The cost: the Programme cost sheet's total, month by month there. */
    put_text(s, r_c, 0, T(x, "roi.cost"), NULL);
    if (x->e->has_roi_cost) {
        char tref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(tref, x->e->roi_cost_row, x->e->roi_cost_col, true);
        char *fc = xstrfmt("=%s!%s", x->sh[SH_COST].ref, tref);
        put_formula_fig(s, r_c, 1, fc, "roi.cost", "", 0);
        free(fc);
    } else {
        put_kpi(s, r_c, 1, kc, 0);
    }
    put_cell_text(s, r_c, 2, T(x, "roi.cost_note"), S_GREY);

    char bref[LXW_MAX_CELL_NAME_LENGTH], cref[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(bref, r_b, 1, false);
    cell_ref(cref, r_c, 1, false);
    put_text(s, r_v, 0, T(x, "roi.value"), x->label);
    char *f = xstrfmt("=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),IF(%s=0,%s,(%s-%s)/%s),%s)", bref, cref,
                      cref, x->na_lit, bref, cref, cref, x->na_lit);
    put_formula_fig(s, r_v, 1, f, "roi.value", "", S_BOLD);
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

void sheet_recon(struct xw *x)
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
    put_kpi(s, r_ledger, 1, kl, 0);

    char *lab = texts_format(x->t, "recon.classes", "sheet", cls->name, (char *)NULL);
    put_text(s, r_classes, 0, lab, NULL);
    free(lab);
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    lxw_rowcol_to_range_abs(range, x->e->class_row0, CC_REVENUE, x->e->class_row0 + 3, CC_REVENUE);
    char *fsum = x->e->class_rev_known ? xstrfmt("=SUM(%s!%s)", cls->ref, range)
                                       : xstrfmt("=IF(COUNT(%s!%s)=0,%s,SUM(%s!%s))", cls->ref,
                                                 range, x->na_lit, cls->ref, range);
    put_formula_fig(s, r_classes, 1, fsum, "recon.revenue_classes", "", 0);
    free(fsum);

    const struct kpi *kd = K(x, "recon.difference", ""), *ku = K(x, "recon.unexplained", ""),
                     *kcl = K(x, "recon.revenue_classes", "");
    bool ok = has(kl) && has(kd) && has(ku) && has(kcl);
    put_text(s, r_diff, 0, T(x, "recon.difference"), x->label);
    if (ok) {
        char *fd = xstrfmt("=%s-%s", led, cl);
        put_formula_fig(s, r_diff, 1, fd, "recon.difference", "", S_BOLD);
        free(fd);
    } else {
        put_missing(s, r_diff, 1, kd);
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
    char tot[LXW_MAX_CELL_NAME_LENGTH], un[LXW_MAX_CELL_NAME_LENGTH];
    cell_ref(tot, r_total, 1, false);
    cell_ref(un, r_unexpl, 1, false);
    bool off = !ok || fabs(ku->value) >= CENT;
    if (ok) {
        char *fu = xstrfmt("=%s-%s", df, tot);
        put_formula_fig(s, r_unexpl, 1, fu, "recon.unexplained", "",
                        S_BOLD | (off ? S_RED : S_GREEN));
        free(fu);
    } else {
        put_missing(s, r_unexpl, 1, ku);
    }

    /* In words. */
    x->e->recon_bad = off;
    if (!ok) {
        x->e->recon_sentence = xstrdup(T(x, "recon.na"));
    } else if (off) {
        char *amt = money_text(x, ku->value);
        x->e->recon_sentence =
            texts_format(x->t, "recon.unexplained_text", "amount", amt, (char *)NULL);
        free(amt);
    } else if (fabs(kd->value) >= CENT) {
        char *amt = money_text(x, kd->value);
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
    char end[16];
    end_date(x, end, sizeof(end));
    const char *year_ago = nz(x->m->year_first_day);
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
            kcl->value,
            kl->value - bridge};
    }
    const struct kpi *rc = K(x, "roi.cost", "");
    if (x->e->has_roi_cost && has(rc)) {
        char ref[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(ref, x->e->roi_cost_row, x->e->roi_cost_col, true);
        ties[nt++] = (struct tie){
            xstrdup(T(x, "recon.tie_roi_cost")),
            xstrdup("program_costs"),
            texts_format(x->t, "recon.filter_roi_cost", "from", year_ago, "to", end, (char *)NULL),
            xstrfmt("=%s!%s", x->sh[SH_COST].ref, ref),
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
                         texts_format(x->t, "recon.filter_exp_cost", "from",
                                      e->dates ? nz(e->dates->cost_first_day) : "?", "to",
                                      e->dates ? nz(e->dates->evaluated_on) : "?", (char *)NULL),
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
