#include "model.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PUSH(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? 2 * (cap) : 16;                                                        \
            (arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                                       \
        }                                                                                          \
    } while (0)

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void model_init(struct model *m)
{
    memset(m, 0, sizeof(*m));
}

void model_release(struct model *m)
{
    char **strings[] = {&m->job,         &m->locale,           &m->time_zone,
                        &m->as_of,       &m->period_start,     &m->period_end,
                        &m->prior_start, &m->period_first_day, &m->period_last_day,
                        &m->started_at,  &m->program_version,  &m->config_digest,
                        &m->currency,    &m->department};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free(*strings[i]);
    free(m->year_first_day);
    free(m->cohort_first_day);
    free(m->cohort_last_day);
    for (size_t i = 0; i < m->n_kpis; i++) {
        free(m->kpis[i].code);
        free(m->kpis[i].dims);
        free(m->kpis[i].flag);
    }
    for (size_t i = 0; i < m->n_rejections; i++) {
        free(m->rejections[i].table);
        free(m->rejections[i].reason);
    }
    for (size_t i = 0; i < m->n_sources; i++)
        free(m->sources[i].table);
    for (size_t i = 0; i < m->n_gaps; i++) {
        free(m->gaps[i].table);
        free(m->gaps[i].flag);
    }
    free(m->gaps);
    for (size_t i = 0; i < m->n_params; i++) {
        free(m->params[i].name);
        free(m->params[i].value);
    }
    for (size_t i = 0; i < m->n_trend; i++) {
        free(m->trend[i].code);
        free(m->trend[i].dims);
        free(m->trend[i].as_of);
    }
    free(m->trend);
    for (size_t i = 0; i < m->n_periods; i++) {
        free(m->periods[i].first_day);
        free(m->periods[i].last_day);
    }
    free(m->periods);
    for (size_t i = 0; i < m->n_findings; i++) {
        free(m->findings[i].kind);
        free(m->findings[i].subject);
        free(m->findings[i].dims);
        free(m->findings[i].owner);
        free(m->findings[i].next_step);
    }
    free(m->findings);
    for (size_t i = 0; i < m->n_labels; i++) {
        free(m->labels[i].kind);
        free(m->labels[i].code);
        free(m->labels[i].text);
    }
    free(m->labels);
    for (size_t i = 0; i < m->n_notes; i++) {
        free(m->notes[i].kind);
        free(m->notes[i].code);
        free(m->notes[i].where);
    }
    free(m->notes);
    for (size_t i = 0; i < m->n_exp_dates; i++) {
        free(m->exp_dates[i].name);
        free(m->exp_dates[i].cost_first_day);
        free(m->exp_dates[i].evaluated_on);
    }
    free(m->exp_dates);
    for (size_t i = 0; i < m->n_corr_pairs; i++) {
        free(m->corr_pairs[i].metric);
        free(m->corr_pairs[i].nps_month);
        free(m->corr_pairs[i].metric_month);
    }
    free(m->corr_pairs);
    for (size_t i = 0; i < m->n_verbatims; i++) {
        free(m->verbatims[i].topic);
        free(m->verbatims[i].nps_class);
        free(m->verbatims[i].channel);
        free(m->verbatims[i].received);
        free(m->verbatims[i].body);
    }
    for (size_t i = 0; i < m->n_recon; i++)
        free(m->recon[i].reason);
    free(m->kpis);
    free(m->rejections);
    free(m->sources);
    free(m->params);
    free(m->verbatims);
    free(m->recon);
    for (size_t i = 0; i < m->n_open_experiments; i++)
        free(m->open_experiments[i].name);
    free(m->open_experiments);
    if (m->calllist)
        fclose(m->calllist);
    model_init(m);
}

/* A flag word that says why a figure is NULL: no_<...> or empty_<...>. */
static bool has_reason(const char *flag)
{
    for (const char *w = flag; w && *w;) {
        size_t len = strcspn(w, ",");
        if (!strncmp(w, "no_", 3) || !strncmp(w, "empty_", 6))
            return true;
        w += len + (w[len] == ',');
    }
    return false;
}

/* Appends each ','-separated word of words to k's flag that it lacks. */
static void flag_words(struct kpi *k, const char *words)
{
    for (const char *w = words; *w;) {
        size_t len = strcspn(w, ",");
        char *word = xstrfmt("%.*s", (int)len, w);
        if (len && !kpi_flagged(k, word)) {
            char *f = xstrfmt("%s%s%s", k->flag ? k->flag : "", k->flag ? "," : "", word);
            free(k->flag);
            k->flag = f;
        }
        free(word);
        w += len + (w[len] == ',');
    }
}

void model_add(struct model *m, const char *code, const char *dims, bool has_value, double value,
               long long n, const char *flag)
{
    PUSH(m->kpis, m->n_kpis, m->cap_kpis);
    struct kpi *k = &m->kpis[m->n_kpis++];
    k->code = xstrdup(code);
    k->dims = xstrdup(dims ? dims : "");
    k->n = n;
    k->flag = (flag && *flag) ? xstrdup(flag) : NULL;
    /* The row rules keep NaN and Infinity out of the source rows; one that
     * still arrives here (a column without a row rule, or a bug) must not
     * reach kpi_values or the figures CSV as "nan". */
    if (has_value && !isfinite(value)) {
        log_error("figure %s [%s] is %s, not a finite number: recorded as NULL with flag "
                  "not_finite; look for NaN or Infinity in the source rows it sums (e.g. "
                  "program_costs.amount), else report it as a bug",
                  code, k->dims,
                  isnan(value) ? "NaN"
                  : value > 0  ? "+Infinity"
                               : "-Infinity");
        flag_words(k, "not_finite");
        has_value = false;
    }
    /* Never 0 for what could not be measured (metrics.md "missing data"). */
    char gap[128];
    if (model_figure_gap(m, code, gap, sizeof(gap))) {
        /* Each gap word once: a figure derived from another may carry its
         * reason already (kpi_history's changes). */
        flag_words(k, gap);
        has_value = false;
        k->n = -1; /* nothing was counted either */
    }
    /* A NULL over nothing counted says so itself: low_sample alone would
     * read as "too few" where there was none.  A reason already given (a
     * source view's gap, no prior period) says more (decisions.md). */
    if (!has_value && k->n == 0 && !has_reason(k->flag))
        flag_words(k, "no_sample");
    k->has_value = has_value;
    k->value = has_value ? value : 0.0;
}

void model_add_source_gap(struct model *m, const char *table, const char *flag)
{
    PUSH(m->gaps, m->n_gaps, m->cap_gaps);
    struct source_gap *g = &m->gaps[m->n_gaps++];
    g->table = xstrdup(table);
    g->flag = xstrdup(flag);
}

const char *model_source_gap(const struct model *m, const char *table)
{
    for (size_t i = 0; i < m->n_gaps; i++)
        if (!strcmp(m->gaps[i].table, table))
            return m->gaps[i].flag;
    return NULL;
}

bool model_figure_gap(const struct model *m, const char *code, char *flag, size_t n)
{
    return m->figure_gap && m->figure_gap(m, code, flag, n);
}

void model_add_rejection(struct model *m, const char *table, const char *reason, long long rows)
{
    PUSH(m->rejections, m->n_rejections, m->cap_rejections);
    struct rejection *r = &m->rejections[m->n_rejections++];
    r->table = xstrdup(table);
    r->reason = xstrdup(reason);
    r->rows = rows;
}

void model_add_source(struct model *m, const char *table, long long rows, long long rejected)
{
    PUSH(m->sources, m->n_sources, m->cap_sources);
    struct source_count *s = &m->sources[m->n_sources++];
    s->table = xstrdup(table);
    s->rows = rows;
    s->rejected = rejected;
}

void model_add_param(struct model *m, const char *name, const char *value)
{
    PUSH(m->params, m->n_params, m->cap_params);
    struct param *p = &m->params[m->n_params++];
    p->name = xstrdup(name);
    p->value = xstrdup(value ? value : "");
}

void model_set_param(struct model *m, const char *name, const char *value)
{
    for (size_t i = 0; i < m->n_params; i++) {
        if (!strcmp(m->params[i].name, name)) {
            free(m->params[i].value);
            m->params[i].value = xstrdup(value ? value : "");
            return;
        }
    }
    model_add_param(m, name, value);
}

void model_add_verbatim(struct model *m, const char *nps_class, const char *channel,
                        const char *received, const char *body)
{
    PUSH(m->verbatims, m->n_verbatims, m->cap_verbatims);
    struct verbatim *v = &m->verbatims[m->n_verbatims++];
    v->topic = NULL;
    v->nps_class = dup_or_null(nps_class);
    v->channel = dup_or_null(channel);
    v->received = dup_or_null(received);
    v->body = xstrdup(body ? body : "");
}

void model_add_topic_verbatim(struct model *m, const char *topic, const char *channel,
                              const char *received, const char *body)
{
    model_add_verbatim(m, NULL, channel, received, body);
    m->verbatims[m->n_verbatims - 1].topic = xstrdup(topic);
}

void model_add_trend(struct model *m, const char *code, const char *dims, const char *as_of,
                     long long run_id, bool has_value, double value)
{
    PUSH(m->trend, m->n_trend, m->cap_trend);
    struct trend_point *t = &m->trend[m->n_trend++];
    t->code = xstrdup(code);
    t->dims = xstrdup(dims ? dims : "");
    t->as_of = xstrdup(as_of);
    t->run_id = run_id;
    t->has_value = has_value;
    t->value = has_value ? value : 0;
}

void model_add_label(struct model *m, const char *kind, const char *code, const char *text)
{
    PUSH(m->labels, m->n_labels, m->cap_labels);
    struct label *l = &m->labels[m->n_labels++];
    l->kind = xstrdup(kind);
    l->code = xstrdup(code);
    l->text = xstrdup(text ? text : code);
}

const char *model_find_label(const struct model *m, const char *kind, const char *code)
{
    for (size_t i = 0; m && i < m->n_labels; i++)
        if (!strcmp(m->labels[i].kind, kind) && !strcmp(m->labels[i].code, code))
            return m->labels[i].text;
    return NULL;
}

const char *model_label(const struct model *m, const char *kind, const char *code)
{
    const char *text = model_find_label(m, kind, code);
    return text ? text : code;
}

void model_add_note(struct model *m, const char *kind, const char *code, const char *where)
{
    PUSH(m->notes, m->n_notes, m->cap_notes);
    m->notes[m->n_notes++] =
        (struct data_note){.kind = xstrdup(kind), .code = xstrdup(code), .where = xstrdup(where)};
}

void model_add_recon(struct model *m, const char *reason, double amount, long long rows)
{
    PUSH(m->recon, m->n_recon, m->cap_recon);
    struct recon_line *r = &m->recon[m->n_recon++];
    r->reason = xstrdup(reason);
    r->amount = amount;
    r->rows = rows;
}

void model_set_day(char **field, const char *ymd)
{
    free(*field);
    *field = dup_or_null(ymd);
}

void model_add_experiment_dates(struct model *m, const char *name, const char *cost_first_day,
                                const char *evaluated_on)
{
    PUSH(m->exp_dates, m->n_exp_dates, m->cap_exp_dates);
    m->exp_dates[m->n_exp_dates++] = (struct experiment_dates){
        xstrdup(name), dup_or_null(cost_first_day), dup_or_null(evaluated_on), false};
}

void model_mark_experiment_in_roi(struct model *m, const char *name)
{
    for (size_t i = 0; i < m->n_exp_dates; i++)
        if (!strcmp(m->exp_dates[i].name, name))
            m->exp_dates[i].in_roi = true;
}

const struct experiment_dates *model_experiment_dates(const struct model *m, const char *name)
{
    for (size_t i = 0; i < m->n_exp_dates; i++)
        if (!strcmp(m->exp_dates[i].name, name))
            return &m->exp_dates[i];
    return NULL;
}

void model_add_corr_pair(struct model *m, const char *metric, const char *nps_month,
                         const char *metric_month, double nps, double value)
{
    PUSH(m->corr_pairs, m->n_corr_pairs, m->cap_corr_pairs);
    m->corr_pairs[m->n_corr_pairs++] =
        (struct corr_pair){xstrdup(metric), xstrdup(nps_month), xstrdup(metric_month), nps, value};
}

void model_add_period(struct model *m, const char *first_day, const char *last_day)
{
    PUSH(m->periods, m->n_periods, m->cap_periods);
    struct history_period *p = &m->periods[m->n_periods++];
    p->first_day = xstrdup(first_day);
    p->last_day = xstrdup(last_day);
}

void model_add_open_experiment(struct model *m, const char *name, int deadline_hours,
                               long long rows)
{
    PUSH(m->open_experiments, m->n_open_experiments, m->cap_open_experiments);
    struct open_experiment *x = &m->open_experiments[m->n_open_experiments++];
    x->name = xstrdup(name);
    x->deadline_hours = deadline_hours;
    x->rows = rows;
}

const struct kpi *model_find(const struct model *m, const char *code, const char *dims)
{
    if (!dims)
        dims = "";
    for (size_t i = 0; i < m->n_kpis; i++)
        if (!strcmp(m->kpis[i].code, code) && !strcmp(m->kpis[i].dims, dims))
            return &m->kpis[i];
    return NULL;
}

bool model_value(const struct model *m, const char *code, const char *dims, double *out)
{
    const struct kpi *k = model_find(m, code, dims);
    if (!k || !k->has_value)
        return false;
    *out = k->value;
    return true;
}

const char *model_param(const struct model *m, const char *name)
{
    for (size_t i = 0; i < m->n_params; i++)
        if (!strcmp(m->params[i].name, name))
            return m->params[i].value;
    return NULL;
}

/* dims are "k=v" or "k1=v1;k2=v2"; a single-key dims is all we look at here. */
const char **model_dim_values(const struct model *m, const char *code, const char *key, size_t *n)
{
    size_t klen = strlen(key), cnt = 0;
    const char **out = xcalloc(m->n_kpis + 1, sizeof(*out));
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        if (strcmp(k->code, code) || strncmp(k->dims, key, klen) || k->dims[klen] != '=' ||
            strchr(k->dims, ';'))
            continue;
        const char *v = k->dims + klen + 1;
        size_t j;
        for (j = 0; j < cnt; j++)
            if (!strcmp(out[j], v))
                break;
        if (j == cnt)
            out[cnt++] = v;
    }
    *n = cnt;
    return out;
}

bool dim_value(const char *dims, const char *key, char *out, size_t n)
{
    size_t klen = strlen(key);
    for (const char *p = dims; p && *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            snprintf(out, n, "%.*s", (int)(len - klen - 1), p + klen + 1);
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

bool kpi_flag_period(const struct kpi *k, char first[11], char last[11])
{
    const char *at = k && k->flag ? strstr(k->flag, "period=") : NULL;
    if (!at || strlen(at) < 28 || at[17] != '/' || (at != k->flag && at[-1] != ','))
        return false;
    snprintf(first, 11, "%.10s", at + 7);
    snprintf(last, 11, "%.10s", at + 18);
    return true;
}

bool kpi_flagged(const struct kpi *k, const char *word)
{
    if (!k || !k->flag)
        return false;
    size_t wl = strlen(word);
    for (const char *p = k->flag; (p = strstr(p, word)); p += wl) {
        bool start = (p == k->flag || p[-1] == ',');
        bool end = (p[wl] == '\0' || p[wl] == ',');
        if (start && end)
            return true;
    }
    return false;
}
