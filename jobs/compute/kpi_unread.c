/* What the taxonomy leaves unread: the share of own-brand feedback no topic
 * matched (topic.uncategorised_share, metrics.md "Histories, coverage and
 * missing data"), and the upstream topic codes no taxonomy topic claims
 * (dq.unknown_topic).  Both read the tables kpi_topics made in the run's
 * snapshot, so a row counts as matched exactly when it has a topic in the
 * topic figures.  Rules: docs/decisions.md "Feedback no topic matched". */
#include "kpi_topics.h"

#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "kpi_math.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum vr_status uncategorised_share(struct db *db, const struct period *p, struct model *m,
                                          struct vr_error *err)
{
    PGresult *r =
        db_query_file(db, "could not count feedback without a topic", "compute/topics_unread.sql",
                      SQL_ARGS({"period_start", p->start}, {"period_end", p->end}), err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *key = db_get_text(r, i, "dim"), *value = db_get_text(r, i, "val");
        long long unread = db_get_ll(r, i, "unread"), rows = db_get_ll(r, i, "rows");
        char dims[512] = "";
        if (key)
            snprintf(dims, sizeof(dims), "%s=%s", key, value ? value : "");
        struct maybe share = ratio((double)unread, (double)rows);
        model_add(m, "topic.uncategorised_share", dims, share.ok, share.v, rows, NULL);
    }
    PQclear(r);
    return VR_OK;
}

static enum vr_status unknown_codes(struct db *db, const struct period *p, const char *codes,
                                    struct model *m, struct vr_error *err)
{
    PGresult *r = db_query_file(
        db, "could not list upstream topic codes", "compute/topics_unknown.sql",
        SQL_ARGS({"topics", codes}, {"period_start", p->start}, {"period_end", p->end}), err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *code = db_get_text(r, i, "code");
        long long rows = db_get_ll(r, i, "n");
        char dims[512];
        snprintf(dims, sizeof(dims), "topic=%s", code);
        model_add(m, "dq.unknown_topic", dims, true, (double)rows, -1, NULL);
        log_warn("upstream topic code \"%s\" (%lld row%s in the period) is no taxonomy topic's "
                 "code or alias: it is reported as a topic of its own; to count it under a "
                 "topic, add it to that topic's aliases in the taxonomy",
                 code, rows, rows == 1 ? "" : "s");
    }
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_unread(struct db *db, const struct period *p, const char *codes, struct model *m,
                          struct vr_error *err)
{
    if (uncategorised_share(db, p, m, err) != VR_OK || unknown_codes(db, p, codes, m, err) != VR_OK)
        return err->status;
    return VR_OK;
}
