#include "coverage.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* One configured code and every section that names it. */
struct named {
    const char *code;
    struct strbuf where;
};

struct named_list {
    struct named *items;
    size_t n;
};

static void name_in(struct named_list *l, const char *code, const char *section)
{
    struct named *it = NULL;
    for (size_t i = 0; i < l->n && !it; i++)
        if (!strcmp(l->items[i].code, code))
            it = &l->items[i];
    if (!it) {
        l->items = xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
        it = &l->items[l->n++];
        it->code = code;
        strbuf_init(&it->where);
    }
    strbuf_addf(&it->where, "%s[%s]", it->where.len ? ", " : "", section);
}

static void named_release(struct named_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        strbuf_release(&l->items[i].where);
    free(l->items);
}

/* Any of its figures counted a case, response or mention in the period. */
static bool counted(const struct model *m, const char *const *codes, const char *key,
                    const char *value)
{
    char *dims = xstrfmt("%s=%s", key, value);
    bool any = false;
    for (size_t i = 0; codes[i] && !any; i++) {
        const struct kpi *k = model_find(m, codes[i], dims);
        any = k && k->n > 0;
    }
    free(dims);
    return any;
}

static const char *const survey_codes[] = {"nps", "csat", "ces", NULL};
static const char *const topic_codes[] = {"topic.mentions", NULL};
static const char *const case_codes[] = {"sla.closed_48h", "sla.first_response_24h", NULL};

static bool touchpoint_heard(const struct model *m, const char *tp)
{
    return counted(m, survey_codes, "touchpoint", tp);
}

static bool topic_heard(const struct model *m, const char *topic)
{
    return counted(m, topic_codes, "topic", topic);
}

static bool department_heard(const struct model *m, const struct department *d)
{
    for (size_t k = 0; d->touchpoints && d->touchpoints[k]; k++)
        if (touchpoint_heard(m, d->touchpoints[k]))
            return true;
    for (size_t k = 0; d->topics && d->topics[k]; k++)
        if (topic_heard(m, d->topics[k]))
            return true;
    return counted(m, case_codes, "department", d->code);
}

static void note(struct model *m, const char *kind, const char *code, const char *where,
                 const char *what)
{
    log_warn("%s %s (configured in %s) %s", kind, code, where, what);
    model_add_note(m, kind, code, where);
}

void coverage_check(const struct config *c, const struct job_config *job, struct model *m)
{
    struct named_list tps = {0}, topics = {0};
    for (size_t i = 0; c->journey.touchpoints && c->journey.touchpoints[i]; i++)
        name_in(&tps, c->journey.touchpoints[i], "journey");
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        char *section = xstrfmt("department.%s", d->code);
        for (size_t k = 0; d->touchpoints && d->touchpoints[k]; k++)
            name_in(&tps, d->touchpoints[k], section);
        for (size_t k = 0; d->topics && d->topics[k]; k++)
            name_in(&topics, d->topics[k], section);
        free(section);
    }
    for (size_t i = 0; i < c->n_code_names; i++)
        if (!strcmp(c->code_names[i].kind, "touchpoint")) {
            char *section = xstrfmt("touchpoint.%s", c->code_names[i].code);
            name_in(&tps, c->code_names[i].code, section);
            free(section);
        }

    for (size_t i = 0; i < tps.n; i++)
        if (!touchpoint_heard(m, tps.items[i].code))
            note(m, "touchpoint", tps.items[i].code, tps.items[i].where.buf,
                 "has no survey responses in the period");
    for (size_t i = 0; i < topics.n; i++)
        if (!topic_heard(m, topics.items[i].code))
            note(m, "topic", topics.items[i].code, topics.items[i].where.buf,
                 "has no mentions in the period");
    /* The departments whose packs the job makes. */
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        bool packed = !job->departments;
        for (size_t k = 0; job->departments && job->departments[k] && !packed; k++)
            packed = !strcmp(job->departments[k], d->code);
        if (!packed || department_heard(m, d))
            continue;
        char *where = xstrfmt("[department.%s]", d->code);
        note(m, "department", d->code, where,
             "has no data in the period: no survey response at its touchpoints, no mention of "
             "its topics, no case");
        free(where);
    }
    named_release(&tps);
    named_release(&topics);
}
