/* A department's Topics and Verbatims sheets: the topics the ownership
 * labels give to the department, and the example comments on them. */
#include "xlsx_dept.h"

#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* D's topics: those the ownership labels give to D and that have figures,
 * in the order the model first names them. */
static void owned_topics(const struct model *m, struct names *out)
{
    static const char *const codes[] = {"topic.mentions", "topic.negative", "topic.rank"};
    for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
        size_t n = 0;
        const char **v = model_dim_values(m, codes[c], "topic", &n);
        for (size_t i = 0; i < n; i++)
            if (dept_owns(m, "owner_topic", v[i], m->department))
                names_add(out, v[i]);
        free(v);
    }
}

enum { DT_TOPIC, DT_MENTIONS, DT_NEG, DT_PRIOR, DT_CHANGE, DT_SCORE, DT_NCOLS };

void dept_sheet_topics(struct xw *x)
{
    struct sheet *s = &x->sh[DS_TOPICS];
    dept_titles(s, "dept_book.topics_title");
    struct names topics = {0};
    owned_topics(x->m, &topics);
    const lxw_row_t hdr = 3;
    if (!topics.n) {
        put_free(s, hdr, 0, T(x, "dept_book.no_topics"), x->subtitle);
        widen(s, 0, 12.0);
        dept_done(s, hdr, 0, true);
        names_release(&topics);
        return;
    }
    static const char *const keys[DT_NCOLS] = {"topics.topic",    "topics.mentions",
                                               "topics.negative", "topics.negative_prior",
                                               "topics.change",   "topics.sentiment"};
    for (int c = 0; c < DT_NCOLS; c++)
        put_hdr(s, hdr, (lxw_col_t)c, T(x, keys[c]), c != DT_TOPIC);
    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < topics.n; i++, r++) {
        char dims[300];
        snprintf(dims, sizeof(dims), "topic=%s", topics.v[i]);
        put_cell_text(s, r, DT_TOPIC, model_label(x->m, "topic", topics.v[i]), 0);
        put_kpi(s, r, DT_MENTIONS, K(x, "topic.mentions", dims), 0);
        put_kpi(s, r, DT_NEG, K(x, "topic.negative", dims), S_BOLD);
        put_kpi(s, r, DT_PRIOR, K(x, "topic.negative_prior", dims), 0);
        put_kpi(s, r, DT_CHANGE, K(x, "topic.negative_change", dims), 0);
        const struct kpi *sc = K(x, "topic.sentiment_score", dims);
        put_kpi(s, r, DT_SCORE, sc, low(sc) ? S_LOW : 0);
    }
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, DT_NCOLS - 1));
    names_release(&topics);
    dept_done(s, hdr + 1, 1, true);
}

static int by_topic_then_newest(const void *a, const void *b)
{
    const struct verbatim *p = *(const struct verbatim *const *)a,
                          *q = *(const struct verbatim *const *)b;
    int c = strcmp(p->topic, q->topic);
    return c ? c : strcmp(nz(q->received), nz(p->received));
}

void dept_sheet_verbatims(struct xw *x)
{
    struct sheet *s = &x->sh[DS_VERBATIMS];
    const struct model *m = x->m;
    dept_titles(s, "dept_book.verbatims_title");
    const struct verbatim **v = xcalloc(m->n_verbatims + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < m->n_verbatims; i++)
        if (m->verbatims[i].topic &&
            dept_owns(m, "owner_topic", m->verbatims[i].topic, m->department))
            v[n++] = &m->verbatims[i];
    const lxw_row_t hdr = 3;
    if (!n) {
        put_free(s, hdr, 0, T(x, "dept_book.no_verbatims"), x->subtitle);
        widen(s, 0, 12.0);
        dept_done(s, hdr, 0, false);
        free(v);
        return;
    }
    qsort(v, n, sizeof(*v), by_topic_then_newest);
    put_hdr(s, hdr, 0, T(x, "topics.topic"), false);
    put_hdr(s, hdr, 1, T(x, "topics.received"), false);
    put_hdr(s, hdr, 2, T(x, "topics.channel"), false);
    put_hdr(s, hdr, 3, T(x, "topics.comment"), false);
    lxw_row_t r = hdr + 1;
    for (size_t i = 0; i < n; i++, r++) {
        put_cell_text(s, r, 0, model_label(m, "topic", v[i]->topic), 0);
        put_cell_text(s, r, 1, nz(v[i]->received), 0);
        char *ch = v[i]->channel && *v[i]->channel
                       ? texts_dim_label(x->t, x->m, "channel", v[i]->channel)
                       : xstrdup("");
        put_cell_text(s, r, 2, ch, 0);
        free(ch);
        put_para(s, r, 3, 3, v[i]->body, x->para);
    }
    s->fixed[3] = 70.0; /* comments wrap in one wide column */
    chk_sheet(s, worksheet_autofilter(s->ws, hdr, 0, r - 1, 3));
    free(v);
    dept_done(s, hdr + 1, 0, true);
}
