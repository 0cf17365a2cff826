/* What the taxonomy leaves unread: the share of own-brand feedback no topic
 * matched (topic.uncategorised_share, metrics.md "Histories, coverage and
 * missing data"), and the upstream topic codes no taxonomy topic claims
 * (dq.unknown_topic).  Both read the tables kpi_topics made in the run's
 * snapshot, so a row counts as matched exactly when it has a topic in the
 * topic figures.  Rules: docs/decisions.md "Feedback no topic matched". */
#include "kpi_topics.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"
#include "jobs/extract/quality.h"
#include "kpi_math.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* $1 start, $2 end.  Own-brand clean rows of the period (so with text: a
 * body without words is no_text, not a clean row), unread when
 * t_feedback_topics holds no topic for them.  The language is the one the
 * data checks and the sentiment model tell apart: Chinese when the text
 * holds a Chinese character, else English (quality.c rejects any other).
 * {lang} is the test of a Chinese character for the server's encoding. */
static const char share_sql[] =
    "WITH r AS ("
    "  SELECT coalesce(f.channel, 'unknown') AS channel,"
    "   CASE WHEN {lang} THEN 'zh' ELSE 'en' END AS language,"
    "   NOT EXISTS (SELECT 1 FROM t_feedback_topics x WHERE x.feedback_id = f.feedback_id)"
    "    AS unread"
    "  FROM c_feedback f WHERE f.brand IS NULL"
    "   AND f.received_at >= $1::timestamptz AND f.received_at < $2::timestamptz)"
    " SELECT CASE WHEN GROUPING(channel) = 0 THEN 'channel'"
    "  WHEN GROUPING(language) = 0 THEN 'language' END AS dim,"
    "  coalesce(channel, language), count(*) FILTER (WHERE unread), count(*)"
    " FROM r GROUP BY GROUPING SETS ((), (channel), (language))"
    " ORDER BY dim NULLS FIRST, coalesce(channel, language) COLLATE \"C\"";

/* In SQL_ASCII the server sees bytes: a UTF-8 lead byte E3..E9 (U+3000 to
 * U+9FFF) stands for a Chinese character, as in the sentiment model. */
#define LANG_UTF8 "f.body ~ '" SQL_CJK "'"
#define LANG_BYTES "f.body ~ '[\\xe3-\\xe9]'"

/* $1 taxonomy codes, $2 start, $3 end: each topic of the run that is no
 * taxonomy topic (an upstream code no topic has as code or alias), with
 * the clean rows of any brand carrying it in the period. */
static const char unknown_sql[] =
    "SELECT t.code, count(f.feedback_id) FILTER (WHERE f.received_at >= $2::timestamptz"
    "  AND f.received_at < $3::timestamptz) AS n"
    " FROM t_topics t LEFT JOIN t_feedback_topics f ON f.topic = t.code AND f.upstream"
    " WHERE t.code <> ALL ($1::text[])"
    " GROUP BY t.code ORDER BY n DESC, t.code COLLATE \"C\"";

static enum vr_status uncategorised_share(struct db *db, const struct period *p, struct model *m,
                                          struct vr_error *err)
{
    const char *enc = PQparameterStatus(db->conn, "server_encoding");
    bool bytes = enc && !strcmp(enc, "SQL_ASCII");
    struct strbuf sb;
    strbuf_init(&sb);
    const char *at = strstr(share_sql, "{lang}");
    strbuf_add(&sb, share_sql, (size_t)(at - share_sql));
    strbuf_adds(&sb, bytes ? LANG_BYTES : LANG_UTF8);
    strbuf_adds(&sb, at + strlen("{lang}"));
    const char *params[] = {p->start, p->end};
    PGresult *r = db_query(db, "could not count feedback without a topic", sb.buf, 2, params, err);
    strbuf_release(&sb);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *key = db_text(r, i, 0), *value = db_text(r, i, 1);
        long long unread = db_ll(r, i, 2), rows = db_ll(r, i, 3);
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
    const char *params[] = {codes, p->start, p->end};
    PGresult *r = db_query(db, "could not list upstream topic codes", unknown_sql, 3, params, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *code = db_text(r, i, 0);
        long long rows = db_ll(r, i, 1);
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
