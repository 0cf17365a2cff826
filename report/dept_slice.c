/* The department slicer.  Selection is by ownership, dimension by
 * dimension: a row goes in only when every department, touchpoint and topic
 * it names is the department's, so a figure that also names someone else's
 * topic stays out.  report/leakcheck.c checks the result with its own,
 * separately written rules. */
#include "dept_slice.h"

#include "jobs/base/strbuf.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* The owner the map gives a touchpoint or topic, or NULL. */
static const char *owner(const struct model *full, const char *kind, const char *code, size_t len)
{
    for (size_t i = 0; i < full->n_labels; i++) {
        const struct label *l = &full->labels[i];
        if (!strcmp(l->kind, kind) && strlen(l->code) == len && !strncmp(l->code, code, len))
            return l->text;
    }
    return NULL;
}

/* True when dims name at least one department, touchpoint or topic and all
 * of them belong to dept. */
static bool dims_owned(const struct model *full, const char *dept, const char *dims)
{
    bool named = false;
    const char *p = dims ? dims : "";
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
            const char *v = eq + 1, *who = NULL;
            bool owning = true;
            if (klen == 10 && !strncmp(p, "department", 10))
                who = strlen(dept) == vlen && !strncmp(v, dept, vlen) ? dept : NULL;
            else if (klen == 10 && !strncmp(p, "touchpoint", 10))
                who = owner(full, "owner_touchpoint", v, vlen);
            else if (klen == 5 && !strncmp(p, "topic", 5))
                who = owner(full, "owner_topic", v, vlen);
            else
                owning = false;
            if (owning) {
                if (!who || strcmp(who, dept))
                    return false;
                named = true;
            }
        }
        p += len;
        if (*p == ';')
            p++;
    }
    return named;
}

static bool topic_owned(const struct model *full, const char *dept, const char *topic)
{
    const char *who = topic ? owner(full, "owner_topic", topic, strlen(topic)) : NULL;
    return who && !strcmp(who, dept);
}

/* The department=D prefix a dept_kpi label's code starts with. */
static bool dept_kpi_of(const char *code, const char *dept)
{
    size_t n = strlen(dept);
    return !strncmp(code, "department=", 11) && !strncmp(code + 11, dept, n) &&
           (code[11 + n] == ';' || !code[11 + n]);
}

static bool label_wanted(const struct model *full, const char *dept, const struct label *l)
{
    if (!strcmp(l->kind, "department"))
        return !strcmp(l->code, dept);
    if (!strcmp(l->kind, "dept_kpi") || !strcmp(l->kind, "kpi_name"))
        return dept_kpi_of(l->code, dept);
    if (!strcmp(l->kind, "topic"))
        return topic_owned(full, dept, l->code);
    if (!strcmp(l->kind, "owner_touchpoint") || !strcmp(l->kind, "owner_topic"))
        return !strcmp(l->text, dept);
    if (!strcmp(l->kind, "touchpoint")) {
        const char *who = owner(full, "owner_touchpoint", l->code, strlen(l->code));
        return who && !strcmp(who, dept);
    }
    /* What the company calls a channel or segment: a name, not a figure,
     * and the pack's verbatims show channels. */
    if (!strcmp(l->kind, "channel") || !strcmp(l->kind, "segment"))
        return true;
    return false; /* a kind this release does not know: company-wide until said otherwise */
}

void model_slice_department(const struct model *full, const char *dept, struct model *out)
{
    model_init(out);
    out->run_id = full->run_id;
    out->job = dup_or_null(full->job);
    out->locale = dup_or_null(full->locale);
    out->time_zone = dup_or_null(full->time_zone);
    out->as_of = dup_or_null(full->as_of);
    out->period_start = dup_or_null(full->period_start);
    out->period_end = dup_or_null(full->period_end);
    out->prior_start = dup_or_null(full->prior_start);
    out->period_first_day = dup_or_null(full->period_first_day);
    out->period_last_day = dup_or_null(full->period_last_day);
    out->started_at = dup_or_null(full->started_at);
    out->program_version = dup_or_null(full->program_version);
    out->config_digest = dup_or_null(full->config_digest);
    out->currency = dup_or_null(full->currency);
    out->department = xstrdup(dept);
    out->min_sample = full->min_sample;
    out->max_rejected_share = full->max_rejected_share;

    /* The company NPS bands (nps_green, nps_amber) colour company figures
     * only: a pack's lights are its own targets (dept.kpi.status). */
    for (size_t i = 0; i < full->n_params; i++)
        if (strncmp(full->params[i].name, "nps_", 4))
            model_add_param(out, full->params[i].name, full->params[i].value);
    for (size_t i = 0; i < full->n_kpis; i++) {
        const struct kpi *k = &full->kpis[i];
        if (dims_owned(full, dept, k->dims))
            model_add(out, k->code, k->dims, k->has_value, k->value, k->n, k->flag);
    }
    for (size_t i = 0; i < full->n_trend; i++) {
        const struct trend_point *t = &full->trend[i];
        if (dims_owned(full, dept, t->dims))
            model_add_trend(out, t->code, t->dims, t->as_of, t->run_id, t->has_value, t->value);
    }
    /* Dates only: every pack's trend runs over the same periods. */
    for (size_t i = 0; i < full->n_periods; i++)
        model_add_period(out, full->periods[i].first_day, full->periods[i].last_day);
    for (size_t i = 0; i < full->n_verbatims; i++) {
        const struct verbatim *v = &full->verbatims[i];
        if (!v->topic || !topic_owned(full, dept, v->topic))
            continue;
        model_add_topic_verbatim(out, v->topic, v->channel, v->received, v->body);
        struct verbatim *copy = &out->verbatims[out->n_verbatims - 1];
        copy->nps_class = dup_or_null(v->nps_class);
    }
    for (size_t i = 0; i < full->n_labels; i++)
        if (label_wanted(full, dept, &full->labels[i]))
            model_add_label(out, full->labels[i].kind, full->labels[i].code, full->labels[i].text);
}

bool dept_plant_test_leak(struct model *slice)
{
    const char *spec = getenv("VOCREPORT_TEST_PLANT_LEAK");
    if (!spec || !*spec || !slice->department)
        return false;
    const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2 || strlen(slice->department) != (size_t)(c1 - spec) ||
        strncmp(spec, slice->department, (size_t)(c1 - spec)))
        return false;
    char *code = xstrfmt("%.*s", (int)(c2 - c1 - 1), c1 + 1);
    const char *rest = c2 + 1;
    if (!strcmp(code, "@verbatim")) {
        model_add_topic_verbatim(slice, rest, "email", slice->as_of, "planted verbatim");
    } else if (!strcmp(code, "@label")) {
        const char *eq = strchr(rest, '=');
        char *kind = xstrfmt("%.*s", eq ? (int)(eq - rest) : (int)strlen(rest), rest);
        model_add_label(slice, kind, eq ? eq + 1 : "", "planted label");
        free(kind);
    } else {
        model_add(slice, code, rest, true, 1, -1, NULL);
    }
    free(code);
    return true;
}
