#include "ownership.h"

#include "db.h"
#include "strbuf.h"

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

const struct department *ownership_topic_owner(const struct config *c, const struct taxonomy *tx,
                                               const char *topic)
{
    /* An explicit list is the department's own word and beats the
     * taxonomy's default owner. */
    for (size_t i = 0; i < c->n_depts; i++)
        if (in_list(c->depts[i].topics, topic))
            return &c->depts[i];
    const struct topic *t = taxonomy_topic(tx, topic);
    if (!t || !t->department)
        return NULL;
    const struct department *d = config_department(c, t->department);
    return d && !(d->topics && d->topics[0]) ? d : NULL;
}

void ownership_touchpoint_arrays(const struct config *c, char **touchpoints, char **departments)
{
    struct strbuf tp, dp;
    strbuf_init(&tp);
    strbuf_init(&dp);
    strbuf_adds(&tp, "{");
    strbuf_adds(&dp, "{");
    for (size_t i = 0; i < c->n_depts; i++)
        for (size_t k = 0; c->depts[i].touchpoints && c->depts[i].touchpoints[k]; k++) {
            db_array_add(&tp, c->depts[i].touchpoints[k]);
            db_array_add(&dp, c->depts[i].code);
        }
    strbuf_adds(&tp, "}");
    strbuf_adds(&dp, "}");
    *touchpoints = strbuf_detach(&tp);
    *departments = strbuf_detach(&dp);
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
static enum vr_status kpi_topic_check(const struct config *c, const struct taxonomy *tx,
                                      const struct department *d, const struct dept_kpi *q,
                                      struct vr_error *err)
{
    const char *topic = q->t.arg;
    if (!topic)
        return VR_OK;
    if (!taxonomy_topic(tx, topic))
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: kpi.%s in [department.%s] names topic \"%s\", which is not a "
                       "topic of the taxonomy %s",
                       c->path, q->line, q->name, d->code, topic, c->taxonomy);
    const struct department *owner = ownership_topic_owner(c, tx, topic);
    if (owner == d)
        return VR_OK;
    if (!owner) {
        /* Where the owner is written: an explicit topics list replaces the
         * taxonomy's owner lines for that department. */
        bool own_list = d->topics && d->topics[0];
        char *where =
            own_list ? xstrfmt("add it to topics in [department.%s]", d->code)
                     : xstrfmt("department = %s in [topic.%s] of %s", d->code, topic, c->taxonomy);
        vr_fail(err, VR_ERR_CONFIG,
                "%s:%d: kpi.%s in [department.%s] names topic \"%s\", which no department "
                "owns; give the topic to %s (%s) or name one of its own topics",
                c->path, q->line, q->name, d->code, topic, d->code, where);
        free(where);
        return VR_ERR_CONFIG;
    }
    bool listed = in_list(owner->topics, topic);
    return vr_fail(err, VR_ERR_CONFIG,
                   "%s:%d: kpi.%s in [department.%s] names topic \"%s\", which belongs to "
                   "department \"%s\" (%s%s); move the KPI to [department.%s] or give the topic "
                   "to %s",
                   c->path, q->line, q->name, d->code, topic, owner->code,
                   listed ? "its topics list" : "the taxonomy ", listed ? "" : c->taxonomy,
                   owner->code, d->code);
}

enum vr_status ownership_check(const struct config *c, const struct taxonomy *tx,
                               struct vr_error *err)
{
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        for (size_t k = 0; d->topics && d->topics[k]; k++)
            if (!taxonomy_topic(tx, d->topics[k]))
                return vr_fail(err, VR_ERR_CONFIG,
                               "%s:%d: [department.%s] topics names \"%s\", which is not a "
                               "topic of the taxonomy %s",
                               c->path, d->line, d->code, d->topics[k], c->taxonomy);
        for (size_t k = 0; k < d->n_kpis; k++)
            if (kpi_topic_check(c, tx, d, &d->kpis[k], err) != VR_OK)
                return err->status;
    }
    return VR_OK;
}

void ownership_labels(const struct config *c, const struct taxonomy *tx, struct model *m)
{
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        model_add_label(m, "department", d->code, d->name);
        for (size_t k = 0; d->touchpoints && d->touchpoints[k]; k++)
            model_add_label(m, "owner_touchpoint", d->touchpoints[k], d->code);
    }
    for (size_t i = 0; tx && i < tx->n_topics; i++) {
        const struct department *d = ownership_topic_owner(c, tx, tx->topics[i].code);
        if (d)
            model_add_label(m, "owner_topic", tx->topics[i].code, d->code);
    }
}
