/* The sheets of what customers write about (decisions.md "Topics, share of
 * voice and root cause"): Topics (every topic by rank, the history and
 * example comments of the top complaints) and Share of voice. */
#include "xlsx_exec.h"

#include "jobs/base/strbuf.h"
#include "jobs/config/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_N 5        /* the report's top complaints: ranks 1-5 */
#define TOPIC_QUOTES 3 /* example comments per top complaint */

struct topic_line {
    const char *code; /* points into the model */
    bool ranked;
    double rank;
};

static int by_rank(const void *a, const void *b)
{
    const struct topic_line *p = a, *q = b;
    if (p->ranked != q->ranked)
        return p->ranked ? -1 : 1;
    if (p->ranked && p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    return strcmp(p->code, q->code);
}

/* Every topic with a figure, by topic.rank (unranked ones last, by code). */
static struct topic_line *topic_lines(const struct xw *x, size_t *n)
{
    static const char *const codes[] = {"topic.rank", "topic.mentions", "topic.negative"};
    struct topic_line *out = NULL;
    size_t cnt = 0;
    for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
        size_t nv = 0;
        const char **vals = model_dim_values(x->m, codes[c], "topic", &nv);
        for (size_t i = 0; i < nv; i++) {
            size_t j = 0;
            while (j < cnt && strcmp(out[j].code, vals[i]))
                j++;
            if (j < cnt)
                continue;
            out = xrealloc(out, (cnt + 1) * sizeof(*out));
            out[cnt] = (struct topic_line){.code = vals[i]};
            const struct kpi *r = topic_kpi(x, "topic.rank", vals[i]);
            if (has(r) && isfinite(r->value))
                out[cnt].ranked = true, out[cnt].rank = r->value;
            cnt++;
        }
        free(vals);
    }
    if (cnt)
        qsort(out, cnt, sizeof(*out), by_rank);
    *n = cnt;
    return out;
}

/* The top complaints: the first TOP_N by rank that have negative rows. */
static size_t top_topics(const struct xw *x, const struct topic_line *t, size_t n, const char **top)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < TOP_N; i++) {
        const struct kpi *neg = topic_kpi(x, "topic.negative", t[i].code);
        if (has(neg) && neg->value > 0)
            top[k++] = t[i].code;
    }
    return k;
}

/* The trend word with its arrow, and its colour: from topic.trend, else
 * from the change (decisions.md: +/-10 %); NULL when not measured. */
static const char *trend_key(const struct xw *x, const char *topic, unsigned *st)
{
    const struct kpi *tr = topic_kpi(x, "topic.trend", topic);
    const struct kpi *ch = topic_kpi(x, "topic.negative_change", topic);
    int dir = 0;
    bool is_new = false;
    if (kpi_flagged(tr, "no_prior_period")) {
        *st = S_GREY;
        return "trend.no_prior";
    }
    /* Not measured (no feedback view): n/a rather than "steady". */
    if (tr && !has(tr) && !kpi_flagged(tr, "new") && !has(topic_kpi(x, "topic.negative", topic)))
        return NULL;
    if (has(tr))
        dir = tr->value > 0.5 ? 1 : tr->value < -0.5 ? -1 : 0;
    else if (tr && kpi_flagged(tr, "new"))
        is_new = true;
    else if (has(ch))
        dir = ch->value > 0.10 ? 1 : ch->value < -0.10 ? -1 : 0;
    else {
        const struct kpi *neg = topic_kpi(x, "topic.negative", topic);
        is_new = has(neg) && neg->value > 0;
    }
    if (is_new) {
        *st = S_RED;
        return "trend.new";
    }
    int verdict = metric_verdict("topic.negative", dir);
    *st = verdict < 0 ? S_RED : verdict > 0 ? S_GREEN : S_GREY;
    return dir > 0 ? "trend.worsening" : dir < 0 ? "trend.improving" : "trend.steady";
}

enum { TC_RANK, TC_TOPIC, TC_MENTIONS, TC_NEG, TC_PRIOR, TC_CHANGE, TC_TREND, TC_SCORE, TC_NCOLS };

struct quote_ref {
    const struct verbatim *v;
    size_t order;
};

/* Newest first; the model's order breaks ties. */
static int by_received_desc(const void *a, const void *b)
{
    const struct quote_ref *p = a, *q = b;
    int c = strcmp(q->v->received ? q->v->received : "", p->v->received ? p->v->received : "");
    if (c)
        return c;
    return p->order < q->order ? -1 : p->order > q->order;
}

/* The share of own-brand comments no topic matched (topic.uncategorised_
 * share), overall, per language and per channel, from row r; returns the
 * row after it.  Nothing when the run has no such figure. */
static lxw_row_t topics_unread(struct xw *x, struct sheet *s, lxw_row_t r)
{
    const struct kpi *all = K(x, "topic.uncategorised_share", "");
    if (!all)
        return r;
    r++;
    put_free(s, r++, 0, T(x, "topics.unread_title"), x->section);
    put_hdr(s, r, TC_TOPIC, T(x, "topics.unread_group"), false);
    put_hdr(s, r, TC_MENTIONS, T(x, "topics.unread_comments"), true);
    put_hdr(s, r, TC_NEG, T(x, "topics.unread_share"), true);
    r++;
    static const char *const keys[] = {"", "language", "channel"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        size_t nv = 1;
        const char **vals =
            *keys[k] ? model_dim_values(x->m, "topic.uncategorised_share", keys[k], &nv) : NULL;
        for (size_t i = 0; i < nv; i++, r++) {
            char *dims = *keys[k] ? xstrfmt("%s=%s", keys[k], vals[i]) : xstrdup("");
            const struct kpi *f = K(x, "topic.uncategorised_share", dims);
            char *label;
            if (!*keys[k]) {
                label = xstrdup(T(x, "topics.unread_all"));
            } else if (!strcmp(keys[k], "language")) {
                char key[64];
                snprintf(key, sizeof(key), "topics.language_%s", vals[i]);
                label = xstrdup(T(x, key));
            } else {
                label = texts_dim_label(x->t, x->m, keys[k], vals[i]);
            }
            put_cell_text(s, r, TC_TOPIC, label, *keys[k] ? 0 : S_BOLD);
            if (f && f->n >= 0)
                put_num(s, r, TC_MENTIONS, (double)f->n, K_INT, 0);
            else
                put_missing(s, r, TC_MENTIONS, f);
            put_kpi(s, r, TC_NEG, f, *keys[k] ? 0 : S_BOLD);
            free(label);
            free(dims);
        }
        free(vals);
    }
    put_para(s, r++, 0, TC_NCOLS - 1, T(x, "topics.unread_note"), x->note);
    return r;
}

void sheet_topics(struct xw *x)
{
    struct sheet *s = &x->sh[SH_TOPICS];
    size_t n = 0;
    struct topic_line *t = topic_lines(x, &n);
    if (!n) {
        free(t);
        sheet_empty(s, "topics.title", "topics.none");
        return;
    }
    put_free(s, 0, 0, T(x, "topics.title"), x->title);
    char prior[11];
    snprintf(prior, sizeof(prior), "%s", nz(x->m->prior_start));
    char *sub =
        texts_format(x->t, x->m->prior_start ? "topics.subtitle" : "topics.subtitle_no_prior",
                     "first", nz(x->m->period_first_day), "last", nz(x->m->period_last_day),
                     "prior", prior, (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);

    const lxw_row_t hdr = 3;
    static const char *const cols[TC_NCOLS] = {
        "topics.rank",           "topics.topic",  "topics.mentions", "topics.negative",
        "topics.negative_prior", "topics.change", "topics.trend",    "topics.sentiment"};
    for (int c = 0; c < TC_NCOLS; c++)
        put_hdr(s, hdr, (lxw_col_t)c, T(x, cols[c]), c != TC_TOPIC && c != TC_TREND);

    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < n; i++, r++) {
        const char *code = t[i].code;
        if (t[i].ranked)
            put_num(s, r, TC_RANK, t[i].rank, K_INT, 0);
        else
            put_na(s, r, TC_RANK, 0);
        put_cell_text(s, r, TC_TOPIC, topic_label(x, code), 0);
        put_kpi(s, r, TC_MENTIONS, topic_kpi(x, "topic.mentions", code), 0);
        put_kpi(s, r, TC_NEG, topic_kpi(x, "topic.negative", code), S_BOLD);
        put_kpi(s, r, TC_PRIOR, topic_kpi(x, "topic.negative_prior", code), 0);
        put_kpi(s, r, TC_CHANGE, topic_kpi(x, "topic.negative_change", code), 0);
        unsigned st = 0;
        const char *key = trend_key(x, code, &st);
        if (key)
            put_cell_text(s, r, TC_TREND, T(x, key), st);
        else /* a word column: the n/a word, as the trend words are text */
            put_text(s, r, TC_TREND, x->na, cell_format(x, K_NA, 0));
        const struct kpi *sc = topic_kpi(x, "topic.sentiment_score", code);
        put_kpi(s, r, TC_SCORE, sc, low(sc) ? S_LOW : 0);
    }
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, TC_NCOLS - 1));
    r++;
    put_para(s, r++, 0, TC_NCOLS - 1, T(x, "topics.legend_trend"), x->note);
    put_para(s, r++, 0, TC_NCOLS - 1, T(x, "topics.legend_score"), x->note);
    r = topics_unread(x, s, r);

    const char *top[TOP_N];
    size_t n_top = top_topics(x, t, n, top);

    /* The history of the top complaints: the chart first, its data at the
     * bottom of the sheet (plain numbers, so the chart caches them). */
    struct names periods = {0};
    for (size_t i = 0; i < x->m->n_kpis; i++) {
        const struct kpi *k = &x->m->kpis[i];
        char topic[256], period[64];
        if (strcmp(k->code, "topic.negative_history") ||
            !dim_value(k->dims, "topic", topic, sizeof(topic)) ||
            !dim_value(k->dims, "period", period, sizeof(period)))
            continue;
        for (size_t j = 0; j < n_top; j++)
            if (!strcmp(top[j], topic))
                names_add(&periods, period);
    }
    if (periods.n)
        qsort(periods.v, periods.n, sizeof(*periods.v), cmp_str);

    lxw_row_t chart_row = 0;
    lxw_chart *history = NULL;
    if (n_top && periods.n) {
        r++;
        put_free(s, r++, 0, T(x, "topics.history_title"), x->section);
        chart_row = r;
        r += CHART_ROWS;
    }

    /* What customers say about each top complaint. */
    r++;
    put_free(s, r++, 0, T(x, "topics.quotes_title"), x->section);
    put_hdr(s, r, TC_TOPIC, T(x, "topics.topic"), false);
    put_hdr(s, r, TC_MENTIONS, T(x, "topics.received"), false);
    put_hdr(s, r, TC_NEG, T(x, "topics.channel"), false);
    merge_text(s, r, TC_PRIOR, TC_NCOLS - 1, T(x, "topics.comment"), x->hdr);
    r++;
    struct quote_ref *q = xcalloc(x->m->n_verbatims + 1, sizeof(*q));
    for (size_t j = 0; j < n_top; j++) {
        size_t nq = 0;
        for (size_t i = 0; i < x->m->n_verbatims; i++)
            if (x->m->verbatims[i].topic && !strcmp(x->m->verbatims[i].topic, top[j]))
                q[nq++] = (struct quote_ref){&x->m->verbatims[i], i};
        qsort(q, nq, sizeof(*q), by_received_desc);
        put_cell_text(s, r, TC_TOPIC, topic_label(x, top[j]), S_BOLD);
        if (!nq)
            put_free(s, r++, TC_MENTIONS, T(x, "topics.no_quotes"), cell_format(x, K_TEXT, S_GREY));
        for (size_t i = 0; i < nq && i < TOPIC_QUOTES; i++, r++) {
            const struct verbatim *v = q[i].v;
            put_cell_text(s, r, TC_MENTIONS, nz(v->received), 0);
            char *ch = v->channel && *v->channel
                           ? texts_dim_label(x->t, x->m, "channel", v->channel)
                           : xstrdup("");
            put_cell_text(s, r, TC_NEG, ch, 0);
            free(ch);
            put_para(s, r, TC_PRIOR, TC_NCOLS - 1, v->body, x->para);
        }
    }
    free(q);
    if (!n_top)
        put_free(s, r++, TC_TOPIC, T(x, "topics.no_complaints"), x->subtitle);

    /* The chart's data. */
    if (chart_row) {
        r++;
        put_free(s, r++, 0, T(x, "topics.history_data"), x->section);
        lxw_row_t hh = r++;
        put_hdr(s, hh, 0, T(x, "topics.period"), false);
        for (size_t j = 0; j < n_top; j++)
            put_hdr(s, hh, (lxw_col_t)(1 + j), topic_label(x, top[j]), true);
        lxw_row_t first = r;
        struct strbuf why;
        strbuf_init(&why);
        for (size_t p = 0; p < periods.n; p++, r++) {
            put_date(s, r, 0, periods.v[p], K_DATE, S_LEFT);
            for (size_t j = 0; j < n_top; j++) {
                char dims[400];
                snprintf(dims, sizeof(dims), "period=%s;topic=%s", periods.v[p], top[j]);
                put_kpi_point(s, r, (lxw_col_t)(1 + j), K(x, "topic.negative_history", dims), 0,
                              &why, topic_label(x, top[j]));
            }
            put_row_note(s, r, 0, &why);
        }
        strbuf_release(&why);
        lxw_row_t last = r - 1;

        lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
        if (!ch) {
            chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
        } else {
            static const lxw_color_t colours[TOP_N] = {0xC62828, 0x1F4E78, 0xF9A825, 0x2E7D32,
                                                       0x7B1FA2};
            char range[LXW_MAX_CELL_RANGE_LENGTH];
            lxw_rowcol_to_range_abs(range, first, 0, last, 0);
            char *cats = xstrfmt("=%s!%s", s->ref, range);
            for (size_t j = 0; j < n_top; j++) {
                lxw_chart_series *ser = xw_series(s, ch, cats, first, last, (lxw_col_t)(1 + j), hh);
                if (!ser)
                    break;
                lxw_chart_line ln = {.color = colours[j], .width = j == 0 ? 2.75 : 2.0};
                chart_series_set_line(ser, &ln);
                chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
                chart_series_set_marker_size(ser, 5);
                lxw_chart_fill mf = {.color = colours[j]};
                chart_series_set_marker_fill(ser, &mf);
                lxw_chart_line ml = {.color = colours[j]};
                chart_series_set_marker_line(ser, &ml);
            }
            free(cats);
            chart_title_set_name(ch, xw_str(x, T(x, "topics.chart_title")));
            lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
            chart_title_set_name_font(ch, &title_font);
            chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
            chart_axis_set_num_format(ch->y_axis, "#,##0");
            chart_axis_set_min(ch->y_axis, 0);
            lxw_chart_font axis_font = {.size = 8, .rotation = -45};
            chart_axis_set_num_font(ch->x_axis, &axis_font);
            chart_axis_set_num_format(ch->x_axis, "yyyy-mm"); /* the periods' first days */
        }
        history = ch;
    }
    names_release(&periods);
    free(t);

    worksheet_freeze_panes(s->ws, hdr + 1, 0);
    page_setup(s, true);
    finish_sheet(s);
    if (history) {
        /* Over the width of the table above, known now. */
        double px = 0;
        for (lxw_col_t k = 0; k < TC_NCOLS; k++)
            px += col_width(s, k) * 7.0 + 5.0;
        lxw_chart_options opt = {.x_offset = 0,
                                 .y_offset = 4,
                                 .x_scale = (px - 12.0) / 480.0,
                                 .y_scale = (CHART_ROWS * 20.0 - 12.0) / 288.0,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        chk_cell(s, chart_row, 0, worksheet_insert_chart_opt(s->ws, chart_row, 0, history, &opt));
    }
}

/* ---- Share of voice ------------------------------------------------ */

struct brand_share {
    char brand[256];
    const struct kpi *k;
};

/* Our brand first, then by share, then by name. */
static int by_share(const void *a, const void *b)
{
    const struct brand_share *p = a, *q = b;
    bool po = !strcmp(p->brand, "own"), qo = !strcmp(q->brand, "own");
    if (po != qo)
        return po ? -1 : 1;
    double pv = has(p->k) ? p->k->value : -1, qv = has(q->k) ? q->k->value : -1;
    if (pv != qv)
        return pv > qv ? -1 : 1;
    return strcmp(p->brand, q->brand);
}

#define SOV_BLOCK_ROWS 14 /* rows a dimension takes at least: its chart */

void sheet_sov(struct xw *x)
{
    struct sheet *s = &x->sh[SH_SOV];
    struct names dims = {0};
    dim_names(x->m, "sov.share", "dimension", &dims);
    if (!dims.n) {
        names_release(&dims);
        sheet_empty(s, "sov.title", "sov.none");
        return;
    }
    put_free(s, 0, 0, T(x, "sov.title"), x->title);
    char *sub = texts_format(x->t, "sov.subtitle", "first", nz(x->m->period_first_day), "last",
                             nz(x->m->period_last_day), (char *)NULL);
    put_free(s, 1, 0, sub, x->subtitle);
    free(sub);
    s->fixed[3] = 3.0; /* spacer before the charts */

    static const lxw_color_t own_colour = 0x1F4E78;
    static const lxw_color_t others[] = {0x8FAADC, 0xA6A6A6, 0xD9D9D9,
                                         0x5B9BD5, 0x7F7F7F, 0xBDD7EE};
    struct chart_at {
        lxw_chart *ch;
        lxw_row_t row;
    } *charts = xcalloc(dims.n, sizeof(*charts));

    lxw_row_t r = 3;
    for (size_t d = 0; d < dims.n; d++) {
        struct brand_share *b = NULL;
        size_t nb = 0;
        for (size_t i = 0; i < x->m->n_kpis; i++) {
            const struct kpi *k = &x->m->kpis[i];
            char dim[256];
            if (strcmp(k->code, "sov.share") ||
                !dim_value(k->dims, "dimension", dim, sizeof(dim)) || strcmp(dim, dims.v[d]))
                continue;
            b = xrealloc(b, (nb + 1) * sizeof(*b));
            if (!dim_value(k->dims, "brand", b[nb].brand, sizeof(b[nb].brand)))
                snprintf(b[nb].brand, sizeof(b[nb].brand), "%s", x->na);
            b[nb].k = k;
            nb++;
        }
        qsort(b, nb, sizeof(*b), by_share);

        lxw_row_t top = r;
        put_free(s, r++, 0, topic_label(x, dims.v[d]), x->section);
        lxw_row_t hdr = r++;
        put_hdr(s, hdr, 0, T(x, "sov.brand"), false);
        put_hdr(s, hdr, 1, T(x, "sov.share"), true);
        put_hdr(s, hdr, 2, T(x, "sov.positive"), true);
        lxw_row_t first = r, total = first + (lxw_row_t)nb;
        long long all = -1;
        for (size_t i = 0; i < nb; i++)
            if (b[i].k->n >= 0)
                all = b[i].k->n;
        char tot[LXW_MAX_CELL_NAME_LENGTH];
        cell_ref(tot, total, 2, true);
        double share_sum = 0;
        bool any_share = false;
        for (size_t i = 0; i < nb; i++, r++) {
            bool own = !strcmp(b[i].brand, "own");
            put_cell_text(s, r, 0, own ? T(x, "sov.own") : b[i].brand, own ? S_BOLD : 0);
            /* The pie reads the shares: a missing one's note goes on the brand. */
            struct strbuf why;
            strbuf_init(&why);
            put_kpi_point(s, r, 1, b[i].k, own ? S_BOLD : 0, &why, T(x, "sov.share"));
            put_row_note(s, r, 0, &why);
            strbuf_release(&why);
            if (has(b[i].k)) {
                share_sum += b[i].k->value;
                any_share = true;
            }
            char sh[LXW_MAX_CELL_NAME_LENGTH];
            cell_ref(sh, r, 1, false);
            if (has(b[i].k) && all >= 0) {
                char *f = xstrfmt("=ROUND(%s*%s,0)", sh, tot);
                put_formula(s, r, 2, f, true, round(b[i].k->value * (double)all), K_INT,
                            own ? S_BOLD : 0);
                free(f);
            } else {
                put_missing(s, r, 2, b[i].k);
            }
        }
        put_cell_text(s, total, 0, T(x, "sov.all"), S_TOTAL);
        if (nb && any_share) {
            char a[LXW_MAX_CELL_NAME_LENGTH], z[LXW_MAX_CELL_NAME_LENGTH];
            cell_ref(a, first, 1, false);
            cell_ref(z, total - 1, 1, false);
            char *f = xstrfmt("=SUM(%s:%s)", a, z);
            put_formula(s, total, 1, f, true, share_sum, K_PCT, S_TOTAL);
            free(f);
        } else {
            put_na(s, total, 1, S_TOTAL);
        }
        if (all >= 0)
            put_num(s, total, 2, (double)all, K_INT, S_TOTAL);
        else
            put_na(s, total, 2, S_TOTAL);
        r = total + 1;

        /* The pie, beside the table. */
        lxw_chart *ch = any_share ? workbook_add_chart(x->wb, LXW_CHART_PIE) : NULL;
        if (ch) {
            char range[LXW_MAX_CELL_RANGE_LENGTH];
            lxw_rowcol_to_range_abs(range, first, 0, total - 1, 0);
            char *cats = xstrfmt("=%s!%s", s->ref, range);
            lxw_rowcol_to_range_abs(range, first, 1, total - 1, 1);
            char *vals = xstrfmt("=%s!%s", s->ref, range);
            lxw_chart_series *ser = chart_add_series(ch, cats, vals);
            free(cats);
            free(vals);
            if (ser) {
                chart_series_set_name(ser, xw_str(x, T(x, "sov.share")));
                lxw_chart_fill *fills = xcalloc(nb, sizeof(*fills));
                lxw_chart_point *pts = xcalloc(nb, sizeof(*pts));
                lxw_chart_point **ptrs = xcalloc(nb + 1, sizeof(*ptrs));
                size_t other = 0;
                for (size_t i = 0; i < nb; i++) {
                    bool own = !strcmp(b[i].brand, "own");
                    fills[i].color =
                        own ? own_colour : others[other++ % (sizeof(others) / sizeof(others[0]))];
                    pts[i].fill = &fills[i];
                    ptrs[i] = &pts[i];
                }
                chk_sheet(s, chart_series_set_points(ser, ptrs));
                free(fills);
                free(pts);
                free(ptrs);
                chart_series_set_labels_options(ser, LXW_FALSE, LXW_TRUE, LXW_TRUE);
                chart_series_set_labels_separator(ser, LXW_CHART_LABEL_SEPARATOR_NEWLINE);
                chart_series_set_labels_num_format(ser, "0%");
                chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_OUTSIDE_END);
                chart_series_set_labels_leader_line(ser);
            } else {
                chk_sheet(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
            }
            char *title = texts_format(x->t, "sov.chart_title", "dimension",
                                       topic_label(x, dims.v[d]), (char *)NULL);
            chart_title_set_name(ch, xw_str(x, title));
            free(title);
            lxw_chart_font title_font = {.size = 11, .bold = 1, .color = 0x1F4E78};
            chart_title_set_name_font(ch, &title_font);
            chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
            charts[d] = (struct chart_at){ch, top};
        }
        free(b);
        if (r < top + SOV_BLOCK_ROWS)
            r = top + SOV_BLOCK_ROWS;
    }
    r++;
    put_para(s, r++, 0, 2, T(x, "sov.legend"), x->note);

    worksheet_freeze_panes(s->ws, 2, 0);
    page_setup(s, false);
    finish_sheet(s);
    for (size_t d = 0; d < dims.n; d++) {
        if (!charts[d].ch)
            continue;
        lxw_chart_options opt = {.x_offset = 4,
                                 .y_offset = 4,
                                 .x_scale = 400.0 / 480.0,
                                 .y_scale = ((SOV_BLOCK_ROWS - 1) * 20.0 - 8.0) / 288.0,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
        chk_cell(s, charts[d].row, 4,
                 worksheet_insert_chart_opt(s->ws, charts[d].row, 4, charts[d].ch, &opt));
    }
    free(charts);
    names_release(&dims);
}
