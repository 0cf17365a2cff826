/* Department tables both workbooks show (docs/departments.md): the KPI
 * scorecard, early warnings per department, the journey map and closure.
 * Status figures stay numbers (2/1/0, sortable like kpi_values) shown as
 * their word by a number format, and are coloured by conditional formats,
 * so a reader who sorts or filters keeps the colours.  At the end, the
 * executive workbook's Departments, Journey and Closure sheets. */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dept_owns(const struct model *m, const char *kind, const char *code, const char *dept)
{
    for (size_t i = 0; i < m->n_labels; i++)
        if (!strcmp(m->labels[i].kind, kind) && !strcmp(m->labels[i].code, code))
            return !strcmp(m->labels[i].text, dept);
    return false;
}

/* The change between two figures of a kind, as its kind shows changes. */
static enum kind change_kind(enum kind k)
{
    return k == K_PCT ? K_PCT_SIGNED : k == K_INT ? K_INT_SIGNED : K_DELTA;
}

const char **dept_kpi_dims(const struct model *m, const char *dept, size_t *n)
{
    const char **out = xcalloc(m->n_kpis + 1, sizeof(*out));
    *n = 0;
    char d[256];
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        /* period=: the KPI's history, not another KPI */
        if (strcmp(k->code, "dept.kpi.actual") || !dim_value(k->dims, "department", d, sizeof(d)) ||
            (dept && strcmp(d, dept)) || strstr(k->dims, "period="))
            continue;
        out[(*n)++] = k->dims;
    }
    return out;
}

/* The departments shown: dept alone, or every department with a label
 * (config order), then any that has figures but no label. */
static void departments(const struct model *m, const char *dept, struct names *out)
{
    if (dept) {
        names_add(out, dept);
        return;
    }
    for (size_t i = 0; i < m->n_labels; i++)
        if (!strcmp(m->labels[i].kind, "department"))
            names_add(out, m->labels[i].code);
    dim_names(m, "dept.kpi.actual", "department", out);
}

static lxw_format *status_format(struct xw *x)
{
    if (!x->status) {
        char *f = xstrfmt("[=2]\"%s\";[=1]\"%s\";\"%s\"", T(x, "depts.status.green"),
                          T(x, "depts.status.amber"), T(x, "depts.status.red"));
        x->status = new_format(x);
        format_set_num_format(x->status, xw_str(x, f));
        format_set_align(x->status, LXW_ALIGN_CENTER);
        format_set_align(x->status, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bold(x->status);
        free(f);
    }
    return x->status;
}

void put_status(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k)
{
    if (!has(k)) {
        put_text(s, r, c, T(s->x, "depts.status.grey"), cell_format(s->x, K_NA, 0));
        return;
    }
    chk_cell(s, r, c, worksheet_write_number(s->ws, r, c, k->value, status_format(s->x)));
    const char *w = k->value > 1.5   ? "depts.status.green"
                    : k->value > 0.5 ? "depts.status.amber"
                                     : "depts.status.red";
    widen(s, c, text_width(T(s->x, w)) + 1.0);
}

void put_yes_no(struct sheet *s, lxw_row_t r, lxw_col_t c, const struct kpi *k)
{
    struct xw *x = s->x;
    if (!has(k)) {
        put_missing(s, r, c, k);
        return;
    }
    if (!x->yes_no) {
        char *f = xstrfmt("\"%s\";;\"%s\"", T(x, "depts.warn.yes"), T(x, "depts.warn.no"));
        x->yes_no = new_format(x);
        format_set_num_format(x->yes_no, xw_str(x, f));
        format_set_align(x->yes_no, LXW_ALIGN_RIGHT);
        free(f);
    }
    chk_cell(s, r, c, worksheet_write_number(s->ws, r, c, k->value, x->yes_no));
    widen(s, c, text_width(T(x, k->value > 0.5 ? "depts.warn.yes" : "depts.warn.no")));
}

void status_lights(struct sheet *s, lxw_row_t r, lxw_col_t c, lxw_col_t status_col)
{
    char ref[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell_abs(ref, r, status_col, false, true);
    char *rules[4] = {
        xstrfmt("=AND(ISNUMBER(%s),%s=2)", ref, ref), xstrfmt("=AND(ISNUMBER(%s),%s=1)", ref, ref),
        xstrfmt("=AND(ISNUMBER(%s),%s=0)", ref, ref), xstrfmt("=NOT(ISNUMBER(%s))", ref)};
    lxw_format *fmts[4] = {s->x->cf_green, s->x->cf_amber, s->x->cf_red, s->x->cf_grey};
    for (int i = 0; i < 4; i++) {
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                     .value_string = rules[i],
                                     .format = fmts[i],
                                     .stop_if_true = LXW_TRUE};
        chk_cell(s, r, c, worksheet_conditional_format_cell(s->ws, r, c, &cf));
        free(rules[i]);
    }
}

static const char *dept_name(const struct xw *x, const char *dept)
{
    return model_label(x->m, "department", dept);
}

/* Header cells from text keys; numeric[i] aligns a number column right. */
static void headers(struct sheet *s, lxw_row_t r, lxw_col_t c0, const char *const *keys,
                    const bool *numeric, int n)
{
    for (int i = 0; i < n; i++)
        put_hdr(s, r, (lxw_col_t)(c0 + i), T(s->x, keys[i]), numeric[i]);
}

/* The previous column's head names the period before (every KPI's
 * "previous" is the same period: kpi_depts writes its days in the flag). */
static void previous_header(struct sheet *s, lxw_row_t r, lxw_col_t c)
{
    const struct model *m = s->x->m;
    for (size_t i = 0; i < m->n_kpis; i++) {
        char from[11], to[11];
        if (strcmp(m->kpis[i].code, "dept.kpi.previous") || !kpi_flag_period(&m->kpis[i], from, to))
            continue;
        char *h =
            texts_format(s->x->t, "depts.kpi.previous_dated", "from", from, "to", to, (char *)NULL);
        put_hdr(s, r, c, h, true);
        free(h);
        return;
    }
}

enum {
    KT_KPI,
    KT_METRIC,
    KT_DIR,
    KT_TARGET,
    KT_AMBER,
    KT_ACTUAL,
    KT_PREV,
    KT_CHANGE,
    KT_STATUS,
    KT_N,
    KT_NOTE,
    KT_NCOLS
};

lxw_row_t kpi_table(struct sheet *s, lxw_row_t r, const char *dept)
{
    struct xw *x = s->x;
    const lxw_col_t c0 = dept ? 0 : 1; /* the department column, when all are shown */
    static const char *const keys[KT_NCOLS] = {
        "depts.kpi.kpi",    "depts.kpi.metric", "depts.kpi.direction", "depts.kpi.target",
        "depts.kpi.amber",  "depts.kpi.actual", "depts.kpi.previous",  "depts.kpi.change",
        "depts.kpi.status", "depts.kpi.n",      "depts.kpi.note"};
    static const bool numeric[KT_NCOLS] = {0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0};
    if (!dept)
        put_hdr(s, r, 0, T(x, "depts.kpi.department"), false);
    headers(s, r, c0, keys, numeric, KT_NCOLS);
    previous_header(s, r, c0 + KT_PREV);
    lxw_row_t first = ++r;

    struct names depts = {0};
    departments(x->m, dept, &depts);
    char *low_mark = texts_format(x->t, "mark.low_sample", "min", x->min_text, (char *)NULL);
    for (size_t d = 0; d < depts.n; d++) {
        size_t n = 0;
        const char **dims = dept_kpi_dims(x->m, depts.v[d], &n);
        for (size_t i = 0; i < n; i++, r++) {
            const struct kpi *act = K(x, "dept.kpi.actual", dims[i]),
                             *tgt = K(x, "dept.kpi.target", dims[i]),
                             *amb = K(x, "dept.kpi.amber", dims[i]),
                             *prev = K(x, "dept.kpi.previous", dims[i]),
                             *st = K(x, "dept.kpi.status", dims[i]);
            char kpi[128];
            dim_value(dims[i], "kpi", kpi, sizeof(kpi));
            const char *metric = model_label(x->m, "dept_kpi", dims[i]);
            enum kind kind = figure_kind(metric, 0);
            bool is_low = low(act);
            unsigned ls = is_low ? S_LOW : 0;
            if (!dept)
                put_cell_text(s, r, 0, dept_name(x, depts.v[d]), i == 0 ? S_BOLD : 0);
            char *name = kpi_name(x, dims[i]);
            put_cell_text(s, r, c0 + KT_KPI, name, 0);
            free(name);
            put_cell_text(s, r, c0 + KT_METRIC, metric, S_GREY);
            bool lower = kpi_flagged(tgt, "lower_is_better");
            put_cell_text(
                s, r, c0 + KT_DIR,
                T(x, tgt ? (lower ? "depts.kpi.lower" : "depts.kpi.higher") : "format.na"), 0);
            put_kpi_as(s, r, c0 + KT_TARGET, tgt, kind, 0);
            put_kpi_as(s, r, c0 + KT_AMBER, amb, kind, 0);
            put_kpi_as(s, r, c0 + KT_ACTUAL, act, kind, S_BOLD | ls);
            put_kpi_as(s, r, c0 + KT_PREV, prev, kind, 0);
            if (has(act) && has(prev))
                put_num(s, r, c0 + KT_CHANGE, act->value - prev->value, change_kind(kind), ls);
            else
                put_missing(s, r, c0 + KT_CHANGE, has(act) ? prev : act);
            put_status(s, r, c0 + KT_STATUS, st);
            status_lights(s, r, c0 + KT_STATUS, c0 + KT_STATUS);
            if (act && act->n >= 0)
                put_num(s, r, c0 + KT_N, (double)act->n, K_INT, ls);
            else
                put_missing(s, r, c0 + KT_N, act);
            put_cell_text(s, r, c0 + KT_NOTE, is_low ? low_mark : "", ls);
        }
        free(dims);
    }
    free(low_mark);
    names_release(&depts);
    if (r == first)
        put_free(s, r++, 0, T(x, "depts.kpi.none"), x->subtitle);
    else
        chk_sheet(s, worksheet_autofilter(s->ws, first - 1, 0, r - 1, c0 + KT_NCOLS - 1));
    return r;
}

const char *decline_why(const struct xw *x, const struct kpi *dec)
{
    if (!has(dec) || dec->value < 0.5)
        return "";
    return kpi_flagged(dec, "three_periods")      ? T(x, "depts.warn.three_periods")
           : kpi_flagged(dec, "significant_drop") ? T(x, "depts.warn.significant_drop")
                                                  : "";
}

lxw_row_t dept_warning_table(struct sheet *s, lxw_row_t r, const char *dept)
{
    struct xw *x = s->x;
    static const char *const keys[] = {"depts.kpi.department", "depts.warn.nps_decline",
                                       "depts.warn.why", "depts.warn.promoter_to_passive",
                                       "depts.warn.previous_promoters"};
    static const bool numeric[] = {0, 1, 0, 1, 1};
    headers(s, r, 0, keys, numeric, 5);
    r++;
    struct names depts = {0};
    departments(x->m, dept, &depts);
    for (size_t d = 0; d < depts.n; d++) {
        char dims[300];
        snprintf(dims, sizeof(dims), "department=%s", depts.v[d]);
        const struct kpi *dec = K(x, "warn.nps_decline", dims),
                         *pp = K(x, "warn.promoter_to_passive", dims);
        if (!dec && !pp)
            continue;
        put_cell_text(s, r, 0, dept_name(x, depts.v[d]), 0);
        put_yes_no(s, r, 1, dec);
        bool set = has(dec) && dec->value > 0.5;
        const char *why = decline_why(x, dec);
        put_cell_text(s, r, 2, why, set ? S_RED : 0);
        put_kpi(s, r, 3, pp, 0);
        if (pp && pp->n >= 0)
            put_num(s, r, 4, (double)pp->n, K_INT, 0);
        else
            put_missing(s, r, 4, pp);
        r++;
    }
    names_release(&depts);
    return r;
}

enum { JT_TP, JT_NPS, JT_NPS_ST, JT_CSAT, JT_CSAT_ST, JT_NEG, JT_NEG_ST, JT_N, JT_NOTE, JT_NCOLS };

lxw_row_t journey_table(struct sheet *s, lxw_row_t r, const char *dept)
{
    struct xw *x = s->x;
    const lxw_col_t c0 = dept ? 0 : 1; /* the owner column, when all are shown */
    static const char *const keys[JT_NCOLS] = {
        "depts.journey.touchpoint", "depts.journey.nps",    "depts.journey.status",
        "depts.journey.csat",       "depts.journey.status", "depts.journey.negative",
        "depts.journey.status",     "depts.journey.n",      "depts.journey.note"};
    static const bool numeric[JT_NCOLS] = {0, 1, 0, 1, 0, 1, 0, 1, 0};
    if (!dept)
        put_hdr(s, r, 0, T(x, "depts.journey.owner"), false);
    headers(s, r, c0, keys, numeric, JT_NCOLS);
    lxw_row_t first = ++r;

    static const char *const metrics[3] = {"nps", "csat", "negative_share"};
    char *low_mark = texts_format(x->t, "mark.low_sample", "min", x->min_text, (char *)NULL);
    size_t n = 0;
    const char **tps = model_dim_values(x->m, "journey.nps", "touchpoint", &n);
    for (size_t i = 0; i < n; i++) {
        if (dept && !dept_owns(x->m, "owner_touchpoint", tps[i], dept))
            continue;
        if (!dept) {
            const char *owner = model_label(x->m, "owner_touchpoint", tps[i]);
            put_cell_text(s, r, 0, owner != tps[i] ? dept_name(x, owner) : "", 0);
        }
        char *tp = texts_dim_label(x->t, x->m, "touchpoint", tps[i]);
        put_cell_text(s, r, c0 + JT_TP, tp, 0);
        free(tp);
        const struct kpi *nps = NULL;
        struct strbuf lows; /* the figures below min_sample: each carries the mark */
        strbuf_init(&lows);
        for (int k = 0; k < 3; k++) {
            char dims[300], sdims[340];
            snprintf(dims, sizeof(dims), "touchpoint=%s", tps[i]);
            snprintf(sdims, sizeof(sdims), "metric=%s;touchpoint=%s", metrics[k], tps[i]);
            char code[64];
            snprintf(code, sizeof(code), "journey.%s", metrics[k]);
            const struct kpi *v = K(x, code, dims);
            if (k == 0)
                nps = v;
            if (has(v) && low(v))
                strbuf_addf(&lows, "%s%s", lows.len ? ", " : "", T(x, keys[JT_NPS + 2 * k]));
            lxw_col_t c = (lxw_col_t)(c0 + JT_NPS + 2 * k);
            put_kpi(s, r, c, v, S_BOLD | (low(v) ? S_LOW : 0));
            put_status(s, r, c + 1, K(x, "journey.status", sdims));
            status_lights(s, r, c, c + 1);
            status_lights(s, r, c + 1, c + 1);
        }
        if (nps && nps->n >= 0)
            put_num(s, r, c0 + JT_N, (double)nps->n, K_INT, low(nps) ? S_LOW : 0);
        else
            put_missing(s, r, c0 + JT_N, nps);
        char *note = lows.len ? xstrfmt("%s: %s", low_mark, lows.buf) : xstrdup("");
        put_cell_text(s, r, c0 + JT_NOTE, note, S_LOW);
        free(note);
        strbuf_release(&lows);
        r++;
    }
    free(tps);
    free(low_mark);
    if (r == first)
        put_free(s, r++, 0, T(x, "depts.journey.none"), x->subtitle);
    return r;
}

lxw_row_t closure_table(struct sheet *s, lxw_row_t r, const char *dept)
{
    struct xw *x = s->x;
    static const char *const keys[7] = {"depts.closure.scope",   "depts.closure.first_response_24h",
                                        "depts.closure.n_red",   "depts.closure.closed_48h",
                                        "depts.closure.n_cases", "depts.closure.open_over_72h",
                                        "depts.closure.n_cases"};
    static const bool numeric[7] = {0, 1, 1, 1, 1, 1, 1};
    static const char *const codes[3] = {"sla.first_response_24h", "sla.closed_48h",
                                         "sla.open_over_72h"};
    headers(s, r, 0, keys, numeric, 7);
    r++;
    struct names scopes = {0};
    if (!dept)
        names_add(&scopes, "");
    departments(x->m, dept, &scopes);
    for (size_t i = 0; i < scopes.n; i++) {
        char dims[300] = "";
        if (*scopes.v[i])
            snprintf(dims, sizeof(dims), "department=%s", scopes.v[i]);
        if (!K(x, codes[0], dims) && !K(x, codes[1], dims) && !K(x, codes[2], dims))
            continue;
        bool all = !*scopes.v[i];
        put_cell_text(s, r, 0, all ? T(x, "depts.closure.all") : dept_name(x, scopes.v[i]),
                      all ? S_BOLD : 0);
        for (int k = 0; k < 3; k++) {
            const struct kpi *v = K(x, codes[k], dims);
            put_kpi(s, r, (lxw_col_t)(1 + 2 * k), v, all ? S_BOLD : 0);
            if (v && v->n >= 0)
                put_num(s, r, (lxw_col_t)(2 + 2 * k), (double)v->n, K_INT, 0);
            else
                put_missing(s, r, (lxw_col_t)(2 + 2 * k), v);
        }
        r++;
    }
    names_release(&scopes);
    return r;
}

/* ------------------------------------------------------------------ */
/* The executive workbook's sheets of them: every department           */

void sheet_depts(struct xw *x)
{
    struct sheet *s = &x->sh[SH_DEPTS];
    put_free(s, 0, 0, T(x, "depts.title"), x->title);
    char *sub = period_text(x);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    const lxw_row_t hdr = 3;
    lxw_row_t r = kpi_table(s, hdr, NULL);
    r++;
    put_para(s, r++, 0, 11, T(x, "depts.kpi.legend"), x->note);
    r++;
    put_free(s, r++, 0, T(x, "depts.warn.by_department"), x->section);
    r = dept_warning_table(s, r, NULL);
    worksheet_freeze_panes(s->ws, hdr + 1, 2);
    page_setup(s, true);
    finish_sheet(s);
}

void sheet_journey(struct xw *x)
{
    struct sheet *s = &x->sh[SH_JOURNEY];
    put_free(s, 0, 0, T(x, "depts.journey.title"), x->title);
    char *sub = period_text(x);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    const lxw_row_t hdr = 3;
    lxw_row_t r = journey_table(s, hdr, NULL);
    r++;
    put_para(s, r++, 0, 9, T(x, "depts.journey.legend"), x->note);
    worksheet_freeze_panes(s->ws, hdr + 1, 2);
    page_setup(s, true);
    finish_sheet(s);
}

void sheet_closure(struct xw *x)
{
    struct sheet *s = &x->sh[SH_CLOSURE];
    put_free(s, 0, 0, T(x, "depts.closure.title"), x->title);
    char *sub = period_text(x);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    const lxw_row_t hdr = 3;
    lxw_row_t r = closure_table(s, hdr, NULL);
    r++;
    put_para(s, r++, 0, 6, T(x, "depts.closure.legend"), x->note);
    worksheet_freeze_panes(s->ws, hdr + 1, 1);
    page_setup(s, true);
    finish_sheet(s);
}
