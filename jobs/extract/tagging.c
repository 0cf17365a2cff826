#include "tagging.h"

#include "contract.h"
#include "jobs/base/batch_settings.h"
#include "jobs/base/db.h"
#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TOPICS 8
#define FLUSH_BYTES (256 * 1024)

/* The kept copy of each feedback id in `ids` (a query of feedback_id), as
 * the data checks choose it (earliest received_at, then the row's text):
 * the tag describes the row the figures use. */
#define KEPT_COPIES(ids)                                                                           \
    " SELECT DISTINCT ON (s.feedback_id) s.feedback_id, s.body FROM src_feedback s"                \
    " WHERE s.feedback_id IN (" ids ")"                                                            \
    " ORDER BY s.feedback_id, s.received_at NULLS LAST, s::text COLLATE \"C\""

/* The hash a tag keeps of its body: PostgreSQL's 64-bit hash of the bytes
 * (half md5's cost at 1 M rows; docs/benchmark.md).  A NULL body is hashed
 * as the empty one: both are tagged alike (no text); a tag from before
 * hashes (NULL) matches no body, so it is redone once. */
#define BODY_HASH(body) "hashtextextended(coalesce(" body ", '') COLLATE \"C\", 0)"

/* A tag that needs no work: the run's taxonomy and model, the same body. */
#define CURRENT_TAG(alias, body)                                                                   \
    " " alias ".taxonomy_version = $1 AND " alias ".model_version = $2 AND " alias                 \
    ".body_hash = " BODY_HASH(body)

/* The full search: the ids with a copy that no current tag describes.  Every
 * source row is looked at (a row may arrive late with an old received_at,
 * so no watermark on time is safe, and a body may change upstream), and
 * every body is hashed: docs/decisions.md, "Finding the feedback to
 * classify".  A copy other than the kept one may differ from the tag for
 * good; the kept copy decides, compared only for ids that have a current
 * tag at all (changed bodies and such duplicates: few). */
static const char new_ids_sql[] =
    "CREATE TEMP TABLE vr_new AS"
    " SELECT DISTINCT s.feedback_id FROM src_feedback s WHERE s.feedback_id IS NOT NULL"
    "  AND NOT EXISTS (SELECT 1 FROM {res}.feedback_tags t WHERE t.feedback_id = s.feedback_id"
    "  AND" CURRENT_TAG("t", "s.body") ")";

/* Candidates whose tag is current but for its body: the kept copy decides. */
#define TAGGED_CANDIDATES                                                                          \
    "SELECT v.feedback_id FROM vr_new v JOIN {res}.feedback_tags t"                                \
    " ON t.feedback_id = v.feedback_id AND t.taxonomy_version = $1 AND t.model_version = $2"       \
    " AND t.body_hash IS NOT NULL"

// clang-format off
static const char kept_tagged_sql[] =
    "DELETE FROM vr_new n USING (" KEPT_COPIES(TAGGED_CANDIDATES) ") k"
    " WHERE n.feedback_id = k.feedback_id AND EXISTS (SELECT 1 FROM {res}.feedback_tags t"
    "  WHERE t.feedback_id = k.feedback_id AND" CURRENT_TAG("t", "k.body") ")";
// clang-format on

/* The kept copy of each id to classify; the third column (written before
 * it) says whether the body has no words, by quality.c's rule; the fourth
 * is the body's hash the tag keeps.  Tags of ids the source no longer has
 * are left as they are. */
static const char untagged_sql[] =
    ", " BODY_HASH("f.body") " FROM (" KEPT_COPIES("SELECT feedback_id FROM vr_new") ") f";

/* How old the last full search may be before the fast path stops trusting
 * it: the counters miss a change only in ways no catalog shows (a session
 * with track_counts off, a view reading a table through a function the
 * catalog does not name), and those are found within a week. */
#define FULL_SEARCH_EVERY "6 days 12 hours"

/* What the full search's answer depends on, read in O(1) from the
 * catalog and the cumulative statistics: the run's versions, the source
 * view as the job reads it ($3, its select list $4 and time zone $5, not
 * opened: the fast path creates no temporary view), and for every relation
 * it reaches (through views, pg_rewrite and pg_depend) its file, its rules
 * and its rows inserted, updated and deleted; the server's start and the
 * database's statistics reset; then whether the last full search had the
 * same and is recent.
 * `unprovable` says why these cannot prove "unchanged" (then the full
 * search runs every night): a standby or a foreign table has no counters
 * for the source's changes, a partition or child is not counted in its
 * parent, a policy or a function of time, session or a table the catalog
 * does not name can change the view's rows without a counted change. */
static const char fingerprint_sql[] =
    "WITH RECURSIVE dep(oid) AS (SELECT $3::regclass::oid"
    "  UNION SELECT d.refobjid FROM dep JOIN pg_rewrite w ON w.ev_class = dep.oid"
    "  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid"
    "   AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> w.ev_class),"
    " rel AS (SELECT c.oid, c.relkind, c.relfilenode, c.relrowsecurity,"
    "  EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid) AS parent,"
    "  (SELECT string_agg(w.ev_action::text, ' ') FROM pg_rewrite w"
    "   WHERE w.ev_class = c.oid) AS act,"
    "  pg_stat_get_tuples_inserted(c.oid) AS ins, pg_stat_get_tuples_updated(c.oid) AS upd,"
    "  pg_stat_get_tuples_deleted(c.oid) AS del FROM dep JOIN pg_class c ON c.oid = dep.oid),"
    " fn AS (SELECT m[1]::oid AS f FROM rel,"
    "  regexp_matches(rel.act, ':(?:funcid|opfuncid|aggfnoid|winfnoid) (\\d+)', 'g') m"
    "  UNION SELECT o.oprcode::oid FROM rel, regexp_matches(rel.act, ':opno (\\d+)', 'g') m"
    "  JOIN pg_operator o ON o.oid = m[1]::oid),"
    " f AS (SELECT CASE WHEN pg_is_in_recovery() THEN 'the source is a standby'"
    "  WHEN current_setting('track_counts') <> 'on' THEN 'track_counts is off'"
    "  WHEN NOT EXISTS (SELECT 1 FROM rel WHERE relkind = 'r')"
    "   THEN 'the feedback view reads no table'"
    "  WHEN EXISTS (SELECT 1 FROM rel WHERE relkind NOT IN ('r', 'v'))"
    "   THEN 'the feedback view reads a foreign, partitioned or materialized table'"
    "  WHEN EXISTS (SELECT 1 FROM rel WHERE parent) THEN 'the feedback view reads a parent table'"
    "  WHEN EXISTS (SELECT 1 FROM rel WHERE relrowsecurity)"
    "   THEN 'the feedback view reads a table with row security'"
    "  WHEN EXISTS (SELECT 1 FROM rel"
    "   WHERE act ~ '\\{(SQLVALUEFUNCTION|COERCEVIAIO|NEXTVALUEEXPR|PARAM|RANGETBLFUNCTION) ')"
    "   OR EXISTS (SELECT 1 FROM fn JOIN pg_proc p ON p.oid = fn.f WHERE p.provolatile <> 'i')"
    "   THEN 'the feedback view calls a function that is not immutable' END AS unprovable,"
    " concat_ws(';', $1::text, $2::text, $3::regclass::oid, $4::text, $5::text,"
    "  pg_postmaster_start_time(),"
    "  (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()),"
    "  (SELECT string_agg(concat_ws(',', oid, relkind, relfilenode, ins, upd, del, md5(act)),"
    "   ' ' ORDER BY oid) FROM rel)) AS fingerprint)"
    " SELECT f.unprovable, f.fingerprint, c.fingerprint = f.fingerprint,"
    "  c.full_check_at > now() - interval '" FULL_SEARCH_EVERY "'"
    " FROM f LEFT JOIN {res}.feedback_check c ON c.fingerprint IS NOT NULL";

static const char staging_sql[] =
    "BEGIN; SET LOCAL vocreport.own_tags = 'on'; CREATE TEMP TABLE vr_tags (feedback_id bigint,"
    " topics text[], sentiment real, body_hash bigint) ON COMMIT DROP; COPY vr_tags FROM STDIN";

static const char merge_sql[] =
    "INSERT INTO {res}.feedback_tags AS t (feedback_id, topics, sentiment, taxonomy_version,"
    " model_version, body_hash)"
    " SELECT feedback_id, topics, sentiment, $1, $2, body_hash FROM vr_tags"
    " ON CONFLICT (feedback_id) DO UPDATE SET topics = excluded.topics,"
    " sentiment = excluded.sentiment, taxonomy_version = excluded.taxonomy_version,"
    " model_version = excluded.model_version, body_hash = excluded.body_hash,"
    " tagged_at = clock_timestamp()";

/* The proof of a full search, stored only if no one else changed the tags
 * since it began (their trigger deletes the claim). */
static const char claim_sql[] =
    "INSERT INTO {res}.feedback_check (token) VALUES (gen_random_uuid())"
    " ON CONFLICT (one) DO UPDATE SET token = excluded.token, fingerprint = NULL,"
    " full_check_at = NULL RETURNING token";

static const char prove_sql[] =
    "UPDATE {res}.feedback_check SET fingerprint = $1, full_check_at = now() WHERE token = $2";

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
            const char *hash = PQgetvalue(r, 0, 3);
            const char *body = PQgetvalue(r, 0, 1);
            size_t len = (size_t)PQgetlength(r, 0, 1);
            bool no_words = !strcmp(PQgetvalue(r, 0, 2), "t");
            if (PQgetisnull(r, 0, 1) || blank(body, len) || !utf8_valid(body, len) || no_words) {
                /* Tagged empty so that it is not read again every night. */
                strbuf_addf(&sb, "%s\t{}\t\\N\t%s\n", id, hash);
                (*skipped)++;
            } else {
                size_t topics[MAX_TOPICS];
                double sentiment;
                size_t n = tagging_classify(tx, sm, body, len, &sentiment, topics, MAX_TOPICS);
                strbuf_addf(&sb, "%s\t{", id);
                for (size_t i = 0; i < n; i++)
                    strbuf_addf(&sb, "%s%s", i ? "," : "", tx->topics[topics[i]].code);
                strbuf_addf(&sb, "}\t%.6f\t%s\n", sentiment, hash);
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

/* A full search and what it can prove afterwards. */
struct search {
    char *fingerprint; /* NULL: the counters cannot prove "unchanged" */
    char *token;       /* the claim on feedback_check, NULL without a full search */
    char *unprovable;  /* why the counters cannot tell */
    const char *why;   /* why the full search ran, NULL when it did not */
};

static void search_release(struct search *s)
{
    if (!s)
        return;
    free(s->fingerprint);
    free(s->token);
    free(s->unprovable);
    memset(s, 0, sizeof(*s));
}

/* Whether the last full search still holds: sets s->why when it does not. */
static enum vr_status check_unchanged(struct db *in, const char *const *versions,
                                      const struct source_shape *shape, struct search *s,
                                      struct vr_error *err)
{
    const char *what = "could not find the feedback to classify";
    char *view = xstrfmt("%s.feedback", in->src);
    const char *p[] = {versions[0], versions[1], view,
                       shape->select[contract_table_index("feedback")], shape->source_time_zone};
    PGresult *r = db_query(in, what, fingerprint_sql, 5, p, err);
    free(view);
    if (!r)
        return err->status;
    if (db_text(r, 0, 0))
        s->why = s->unprovable = xstrdup(db_text(r, 0, 0));
    else if (!db_text(r, 0, 2))
        s->why = "no full search to compare with";
    else if (strcmp(db_text(r, 0, 2), "t"))
        s->why = "the source or the tags changed since the last one";
    else if (strcmp(db_text(r, 0, 3), "t"))
        s->why = "the last one is a week old";
    if (!s->unprovable)
        s->fingerprint = xstrdup(db_text(r, 0, 1));
    PQclear(r);
    return VR_OK;
}

/* Fills vr_new on `in` when the last full search no longer holds; *n: how
 * many ids it holds. */
static enum vr_status find_new(struct db *in, const char *const *versions,
                               const struct source_shape *shape, long long *n, struct search *s,
                               struct vr_error *err)
{
    const char *what = "could not find the feedback to classify";
    *n = 0;
    if (check_unchanged(in, versions, shape, s, err) != VR_OK || !s->why ||
        db_script(in, what, DB_BATCH_SETTINGS, err) != VR_OK ||
        contract_open_views(in, shape, err) != VR_OK)
        return err->status;
    PGresult *r = db_query(in, what, claim_sql, 0, NULL, err);
    if (!r)
        return err->status;
    s->token = xstrdup(db_text(r, 0, 0));
    PQclear(r);
    if (db_exec(in, what, new_ids_sql, 2, versions, err) != VR_OK ||
        db_exec(in, what, kept_tagged_sql, 2, versions, err) != VR_OK ||
        db_script(in, what, "ANALYZE vr_new", err) != VR_OK)
        return err->status;
    r = db_query(in, what, "SELECT count(*) FROM vr_new", 0, NULL, err);
    if (!r)
        return err->status;
    *n = db_ll(r, 0, 0);
    PQclear(r);
    return VR_OK;
}

/* Records the full search as proof for the next nights, when it is one. */
static enum vr_status prove(struct db *db, const struct search *s, struct vr_error *err)
{
    if (!s->token || !s->fingerprint)
        return VR_OK;
    const char *p[] = {s->fingerprint, s->token};
    return db_exec(db, "could not record the search for new feedback", prove_sql, 2, p, err);
}

enum vr_status tagging_run(const struct config *c, const char *time_zone,
                           const struct source_shape *shape, const struct taxonomy *tx,
                           const struct sentiment_model *sm, struct model *m,
                           struct vr_error *err)
{
    struct db in = {0}, out = {0};
    long long tagged = 0, skipped = 0, n_new = 0;
    struct search search = {0};
    const char *versions[] = {tx->version, sentiment_version(sm)};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!shape->present[contract_table_index("feedback")])
        goto done; /* nothing to classify */
    if (db_connect(&in, c->conninfo, time_zone, c->source_schema, c->results_schema, err) !=
            VR_OK ||
        find_new(&in, versions, shape, &n_new, &search, err) != VR_OK)
        goto done;
    log_info("found %lld feedback rows to classify in %.2f s (%s%s)", n_new, seconds_since(&t0),
             search.why ? "full search: " : "nothing changed since the last full search",
             search.why ? search.why : "");
    if (!n_new) {
        prove(&in, &search, err);
        goto done;
    }
    if (db_connect(&out, c->conninfo, time_zone, c->source_schema, c->results_schema, err) != VR_OK)
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
        db_exec(&out, "could not store feedback tags", merge_sql, 2, versions, err) == VR_OK &&
        prove(&out, &search, err) == VR_OK)
        db_script(&out, "could not store feedback tags", "COMMIT", err);
done:
    db_close(&in);
    db_close(&out);
    search_release(&search);
    if (err->status == VR_OK) {
        log_info("classified %lld feedback rows (%lld without usable text) in %.1f s", tagged,
                 skipped, seconds_since(&t0));
        model_add(m, "classify.tagged", "", true, (double)tagged, -1, NULL);
        model_add(m, "classify.skipped", "", true, (double)skipped, -1, NULL);
    }
    return err->status;
}
