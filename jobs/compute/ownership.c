#include "ownership.h"

#include "jobs/base/db.h"
#include "jobs/base/strbuf.h"

#include <stdlib.h>
#include <string.h>

static bool in_list(char *const *list, const char *item)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], item))
            return true;
    return false;
}

static const struct topic *taxonomy_topic(const struct taxonomy *tx, const char *code)
{
    for (size_t i = 0; tx && i < tx->n_topics; i++)
        if (!strcmp(tx->topics[i].code, code))
            return &tx->topics[i];
    return NULL;
}

const struct department *ownership_topic_owner(const struct config *c, const char *topic)
{
    for (size_t i = 0; i < c->n_depts; i++)
        if (in_list(c->depts[i].topics, topic))
            return &c->depts[i];
    return NULL;
}

/* Every item of one list of each department, with its department code. */
static void owned_arrays(const struct config *c, size_t offset, char **items, char **departments)
{
    struct strbuf it, dp;
    strbuf_init(&it);
    strbuf_init(&dp);
    strbuf_adds(&it, "{");
    strbuf_adds(&dp, "{");
    for (size_t i = 0; i < c->n_depts; i++) {
        char *const *list = *(char *const *const *)((const char *)&c->depts[i] + offset);
        for (size_t k = 0; list && list[k]; k++) {
            db_array_add(&it, list[k]);
            db_array_add(&dp, c->depts[i].code);
        }
    }
    strbuf_adds(&it, "}");
    strbuf_adds(&dp, "}");
    *items = strbuf_detach(&it);
    *departments = strbuf_detach(&dp);
}

void ownership_touchpoint_arrays(const struct config *c, char **touchpoints, char **departments)
{
    owned_arrays(c, offsetof(struct department, touchpoints), touchpoints, departments);
}

void ownership_topic_arrays(const struct config *c, char **topics, char **departments)
{
    owned_arrays(c, offsetof(struct department, topics), topics, departments);
}

char *ownership_department_array(const struct config *c)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; i < c->n_depts; i++)
        db_array_add(&sb, c->depts[i].code);
    strbuf_adds(&sb, "}");
    return strbuf_detach(&sb);
}

/* A department's KPI may name only a topic the department owns, by the
 * same rule the KPI engine and the slicer use: a figure on someone else's
 * topic would carry only department=D in its dims and reach D's pack
 * unseen.  Only topic.* metrics take an argument; nps, csat, ces and
 * journey.* are scoped to the department's own touchpoints by the engine. */
static void kpi_topic_check(const struct config *c, const struct taxonomy *tx,
                            const struct department *d, const struct dept_kpi *q, struct diag *dg)
{
    const char *topic = q->t.arg;
    if (!topic)
        return;
    if (!taxonomy_topic(tx, topic)) {
        diag_add(dg, VR_ERR_CONFIG,
                 "%s:%d: kpi.%s in [department.%s] names topic \"%s\", which is not a topic of "
                 "the taxonomy %s",
                 c->path, q->line, q->name, d->code, topic, c->taxonomy);
        return;
    }
    const struct department *owner = ownership_topic_owner(c, topic);
    if (owner == d)
        return;
    if (!owner)
        diag_add(dg, VR_ERR_CONFIG,
                 "%s:%d: kpi.%s in [department.%s] names topic \"%s\", which no department "
                 "owns; add it to topics in [department.%s] or name one of its own topics",
                 c->path, q->line, q->name, d->code, topic, d->code);
    else
        diag_add(dg, VR_ERR_CONFIG,
                 "%s:%d: kpi.%s in [department.%s] names topic \"%s\", which belongs to "
                 "department \"%s\" (topics in [department.%s]); move the KPI to "
                 "[department.%s] or give the topic to %s",
                 c->path, q->line, q->name, d->code, topic, owner->code, owner->code, owner->code,
                 d->code);
}

void ownership_check_all(const struct config *c, const struct taxonomy *tx, struct diag *dg)
{
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        for (size_t k = 0; d->topics && d->topics[k]; k++)
            if (!taxonomy_topic(tx, d->topics[k]))
                diag_add(dg, VR_ERR_CONFIG,
                         "%s:%d: [department.%s] topics names \"%s\", which is not a topic of the "
                         "taxonomy %s",
                         c->path, d->line, d->code, d->topics[k], c->taxonomy);
        for (size_t k = 0; k < d->n_kpis; k++)
            kpi_topic_check(c, tx, d, &d->kpis[k], dg);
    }
}

enum vr_status ownership_check(const struct config *c, const struct taxonomy *tx,
                               struct vr_error *err)
{
    struct diag d;
    diag_init(&d);
    ownership_check_all(c, tx, &d);
    enum vr_status st = diag_first(&d, err);
    diag_release(&d);
    return st;
}

void ownership_labels(const struct config *c, const char *locale, struct model *m)
{
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        const char *name = config_names_get(&d->names, locale);
        model_add_label(m, "department", d->code, name ? name : d->name);
        for (size_t k = 0; d->touchpoints && d->touchpoints[k]; k++)
            model_add_label(m, "owner_touchpoint", d->touchpoints[k], d->code);
        for (size_t k = 0; d->topics && d->topics[k]; k++)
            model_add_label(m, "owner_topic", d->topics[k], d->code);
        for (size_t k = 0; k < d->n_kpi_labels; k++) {
            const char *kn = config_names_get(&d->kpi_labels[k].names, locale);
            char *dims = xstrfmt("department=%s;kpi=%s", d->code, d->kpi_labels[k].kpi);
            if (kn)
                model_add_label(m, "kpi_name", dims, kn);
            free(dims);
        }
    }
}
