#include "tagging.h"

#include "../classify/utf8.h"
#include "batch_settings.h"
#include "contract.h"
#include "db.h"
#include "log.h"
#include "quality.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TOPICS 8
#define FLUSH_BYTES (256 * 1024)

/* The feedback ids to classify: no tag yet, or a tag of another taxonomy or
 * model.  Every source key is looked at (a row may arrive late with an old
 * received_at, so no watermark on time is safe), but only the key: an
 * anti-join that PostgreSQL can answer from the two key indexes, where
 * there are any, without reading a body.  The tags of other versions are
 * found in the tags table alone: a change of taxonomy or model retags
 * every row once (docs/decisions.md, "Topics, share of voice and root
 * cause"). */
static const char new_ids_sql[] =
    "CREATE TEMP TABLE vr_new AS"
    " SELECT s.feedback_id FROM src_feedback s WHERE s.feedback_id IS NOT NULL"
    "  AND NOT EXISTS (SELECT 1 FROM {res}.feedback_tags t WHERE t.feedback_id = s.feedback_id)"
    " UNION SELECT t.feedback_id FROM {res}.feedback_tags t"
    "  WHERE t.taxonomy_version <> $1 OR t.model_version <> $2";

/* The kept copy of each new id, as the data checks choose it (earliest
 * received_at, then the row's text): the tag describes the row the figures
 * use; the third column (written before it) says whether the body has no
 * words, by quality.c's rule.  Tags of ids the source no longer has are
 * left as they are. */
static const char untagged_sql[] =
    " FROM ("
    " SELECT DISTINCT ON (s.feedback_id) s.feedback_id, s.body FROM src_feedback s"
    " JOIN vr_new n ON n.feedback_id = s.feedback_id"
    " ORDER BY s.feedback_id, s.received_at NULLS LAST, s::text COLLATE \"C\") f";

static const char staging_sql[] =
    "BEGIN; CREATE TEMP TABLE vr_tags (feedback_id bigint, topics text[], sentiment real)"
    " ON COMMIT DROP; COPY vr_tags FROM STDIN";

static const char merge_sql[] =
    "INSERT INTO {res}.feedback_tags AS t (feedback_id, topics, sentiment, taxonomy_version,"
    " model_version) SELECT feedback_id, topics, sentiment, $1, $2 FROM vr_tags"
    " ON CONFLICT (feedback_id) DO UPDATE SET topics = excluded.topics,"
    " sentiment = excluded.sentiment, taxonomy_version = excluded.taxonomy_version,"
    " model_version = excluded.model_version, tagged_at = clock_timestamp()";

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n\f\v", s[i]))
            return false;
    return true;
}

size_t tagging_classify(const struct taxonomy *tx, const struct sentiment_model *sm,
                        const char *text, size_t len, double *sentiment, size_t *topics,
                        size_t max)
{
    *sentiment = sentiment_score(sm, text, len);
    return taxonomy_match(tx, text, len, topics, max);
}

static enum vr_status put_copy(PGconn *conn, struct strbuf *sb, struct vr_error *err)
{
    if (sb->len && PQputCopyData(conn, sb->buf, (int)sb->len) != 1)
        return vr_fail(err, VR_ERR_DB, "could not store feedback tags: %s", PQerrorMessage(conn));
    strbuf_reset(sb);
    return VR_OK;
}

static enum vr_status end_copy(PGconn *conn, struct vr_error *err)
{
    if (PQputCopyEnd(conn, NULL) != 1)
        return vr_fail(err, VR_ERR_DB, "could not store feedback tags: %s", PQerrorMessage(conn));
    PGresult *r = PQgetResult(conn);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        vr_fail(err, VR_ERR_DB, "could not store feedback tags: %s", PQerrorMessage(conn));
    PQclear(r);
    while ((r = PQgetResult(conn)))
        PQclear(r);
    return err->status;
}

/* Reads untagged rows on `in`, writes tags through COPY on `out`. */
static enum vr_status stream(struct db *in, struct db *out, const struct taxonomy *tx,
                             const struct sentiment_model *sm, long long *tagged,
                             long long *skipped, struct vr_error *err)
{
    /* In SQL_ASCII the text is bytes: the character rules do not apply. */
    const char *enc = PQparameterStatus(in->conn, "server_encoding");
    bool bytes = enc && !strcmp(enc, "SQL_ASCII");
    char *tmpl = xstrfmt("SELECT f.feedback_id, f.body, %s%s",
                         bytes ? "false" : SQL_NO_WORDS("f.body"), untagged_sql);
    char *sql = db_sql(in, tmpl);
    free(tmpl);
    int sent = PQsendQueryParams(in->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    free(sql);
    if (!sent || !PQsetSingleRowMode(in->conn))
        return vr_fail(err, VR_ERR_DB, "could not read feedback to classify: %s",
                       PQerrorMessage(in->conn));
    struct strbuf sb;
    strbuf_init(&sb);
    enum vr_status st = VR_OK;
    PGresult *r;
    while ((r = PQgetResult(in->conn))) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_SINGLE_TUPLE && st == VR_OK) {
            const char *id = PQgetvalue(r, 0, 0);
            const char *body = PQgetvalue(r, 0, 1);
            size_t len = (size_t)PQgetlength(r, 0, 1);
            bool no_words = !strcmp(PQgetvalue(r, 0, 2), "t");
            if (PQgetisnull(r, 0, 1) || blank(body, len) || !utf8_valid(body, len) || no_words) {
                /* Tagged empty so that it is not read again every night. */
                strbuf_addf(&sb, "%s\t{}\t\\N\n", id);
                (*skipped)++;
            } else {
                size_t topics[MAX_TOPICS];
                double sentiment;
                size_t n = tagging_classify(tx, sm, body, len, &sentiment, topics, MAX_TOPICS);
                strbuf_addf(&sb, "%s\t{", id);
                for (size_t i = 0; i < n; i++)
                    strbuf_addf(&sb, "%s%s", i ? "," : "", tx->topics[topics[i]].code);
                strbuf_addf(&sb, "}\t%.6f\n", sentiment);
                (*tagged)++;
                if (sb.len > FLUSH_BYTES)
                    st = put_copy(out->conn, &sb, err);
            }
        } else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK && st == VR_OK) {
            st = vr_fail(err, VR_ERR_DB, "could not read feedback to classify: %s",
                         PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    if (st == VR_OK)
        st = put_copy(out->conn, &sb, err);
    strbuf_release(&sb);
    return st;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Fills vr_new on `in`; *n: how many ids it holds. */
static enum vr_status find_new(struct db *in, const char *const *versions, long long *n,
                               struct vr_error *err)
{
    const char *what = "could not find the feedback to classify";
    if (db_script(in, what, DB_BATCH_SETTINGS, err) != VR_OK ||
        db_exec(in, what, new_ids_sql, 2, versions, err) != VR_OK ||
        db_script(in, what, "ANALYZE vr_new", err) != VR_OK)
        return err->status;
    PGresult *r = db_query(in, what, "SELECT count(*) FROM vr_new", 0, NULL, err);
    if (!r)
        return err->status;
    *n = db_ll(r, 0, 0);
    PQclear(r);
    return VR_OK;
}

enum vr_status tagging_run(const struct config *c, const char *time_zone,
                           const struct source_shape *shape, const struct taxonomy *tx,
                           const struct sentiment_model *sm, struct model *m,
                           struct vr_error *err)
{
    struct db in = {0}, out = {0};
    long long tagged = 0, skipped = 0, n_new = 0;
    const char *versions[] = {tx->version, sentiment_version(sm)};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!shape->present[contract_table_index("feedback")])
        goto done; /* nothing to classify */
    if (db_connect(&in, c->conninfo, time_zone, c->source_schema, c->results_schema, err) !=
            VR_OK ||
        contract_open_views(&in, shape, err) != VR_OK ||
        find_new(&in, versions, &n_new, err) != VR_OK)
        goto done;
    log_info("found %lld feedback rows to classify in %.2f s", n_new, seconds_since(&t0));
    if (!n_new ||
        db_connect(&out, c->conninfo, time_zone, c->source_schema, c->results_schema, err) != VR_OK)
        goto done;
    char *staging = db_sql(&out, staging_sql);
    PGresult *r = PQexec(out.conn, staging);
    free(staging);
    bool copying = PQresultStatus(r) == PGRES_COPY_IN;
    if (!copying)
        vr_fail(err, VR_ERR_DB, "could not prepare feedback tags: %s", PQerrorMessage(out.conn));
    PQclear(r);
    if (!copying)
        goto done;
    enum vr_status st = stream(&in, &out, tx, sm, &tagged, &skipped, err);
    if (st == VR_OK)
        st = end_copy(out.conn, err);
    if (st == VR_OK &&
        db_exec(&out, "could not store feedback tags", merge_sql, 2, versions, err) == VR_OK)
        db_script(&out, "could not store feedback tags", "COMMIT", err);
done:
    db_close(&in);
    db_close(&out);
    if (err->status == VR_OK) {
        log_info("classified %lld feedback rows (%lld without usable text) in %.1f s", tagged,
                 skipped, seconds_since(&t0));
        model_add(m, "classify.tagged", "", true, (double)tagged, -1, NULL);
        model_add(m, "classify.skipped", "", true, (double)skipped, -1, NULL);
    }
    return err->status;
}
