#include "tagging.h"

#include "contract.h"
#include "jobs/base/db.h"
#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TOPICS 8
#define FLUSH_BYTES (256 * 1024)

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
    char *sql = sql_file_plain(in, "extract/tagging_untagged.sql", SQL_NO_ARGS, err);
    if (!sql)
        return err->status;
    int sent = PQsendQueryParams(in->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    free(sql);
    if (!sent || !PQsetSingleRowMode(in->conn))
        return vr_fail(err, VR_ERR_DB, "could not read feedback to classify: %s",
                       PQerrorMessage(in->conn));
    /* One result a row: the columns are found by name once. */
    int c_id = -1, c_body = -1, c_no_words = -1, c_hash = -1;
    struct strbuf sb;
    strbuf_init(&sb);
    enum vr_status st = VR_OK;
    PGresult *r;
    while ((r = PQgetResult(in->conn))) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_SINGLE_TUPLE && st == VR_OK) {
            if (c_id < 0) {
                c_id = db_col(r, "feedback_id");
                c_body = db_col(r, "body");
                c_no_words = db_col(r, "no_words");
                c_hash = db_col(r, "body_hash");
            }
            const char *id = PQgetvalue(r, 0, c_id);
            const char *hash = PQgetvalue(r, 0, c_hash);
            const char *body = PQgetvalue(r, 0, c_body);
            size_t len = (size_t)PQgetlength(r, 0, c_body);
            bool no_words = !strcmp(PQgetvalue(r, 0, c_no_words), "t");
            if (PQgetisnull(r, 0, c_body) || blank(body, len) || !utf8_valid(body, len) ||
                no_words) {
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
    char *backfill;    /* why the run is a backfill, NULL when it is not */
    const char *why;   /* why the full search ran, NULL when it did not */
};

static void search_release(struct search *s)
{
    if (!s)
        return;
    free(s->fingerprint);
    free(s->token);
    free(s->unprovable);
    free(s->backfill);
    memset(s, 0, sizeof(*s));
}

/* A backfill does not trust the fast path: sets s->why when the run's
 * period ends before one its job has already reported. */
static enum vr_status check_backfill(struct db *in, const struct model *m, struct search *s,
                                     struct vr_error *err)
{
    char run_id[32];
    snprintf(run_id, sizeof(run_id), "%lld", m->run_id);
    PGresult *r = db_query_file(
        in, "could not find the feedback to classify", "extract/tagging_backfill.sql",
        SQL_ARGS({"job", m->job}, {"period_end", m->period_end}, {"run_id", run_id}), err);
    if (!r)
        return err->status;
    const char *reported = db_get_text(r, 0, "reported_end");
    if (reported)
        s->why = s->backfill =
            xstrfmt("a backfill (this job already reported a period ending %s)", reported);
    PQclear(r);
    return VR_OK;
}

/* Whether the last full search still holds: sets s->why when it does not. */
static enum vr_status check_unchanged(struct db *in, const char *const *versions,
                                      const struct source_shape *shape, const struct model *m,
                                      struct search *s, struct vr_error *err)
{
    const char *what = "could not find the feedback to classify";
    char *view = xstrfmt("%s.feedback", in->src);
    PGresult *r = db_query_file(
        in, what, "extract/tagging_fingerprint.sql",
        SQL_ARGS({"view", view}, {"taxonomy_version", versions[0]}, {"model_version", versions[1]},
                 {"select_list", shape->select[contract_table_index("feedback")]},
                 {"source_time_zone", shape->source_time_zone}),
        err);
    free(view);
    if (!r)
        return err->status;
    const char *same = db_get_text(r, 0, "same");
    if (db_get_text(r, 0, "unprovable"))
        s->why = s->unprovable = xstrdup(db_get_text(r, 0, "unprovable"));
    else if (!same)
        s->why = "no full search to compare with";
    else if (strcmp(same, "t"))
        s->why = "the source or the tags changed since the last one";
    else if (strcmp(db_get_text(r, 0, "recent"), "t"))
        s->why = "the last one is a week old";
    if (!s->unprovable)
        s->fingerprint = xstrdup(db_get_text(r, 0, "fingerprint"));
    PQclear(r);
    return s->why ? VR_OK : check_backfill(in, m, s, err);
}

/* Fills vr_new on `in` when the last full search no longer holds; *n: how
 * many ids it holds. */
static enum vr_status find_new(struct db *in, const char *const *versions,
                               const struct source_shape *shape, const struct model *m,
                               long long *n, struct search *s, struct vr_error *err)
{
    const char *what = "could not find the feedback to classify";
    *n = 0;
    const struct sql_arg *args =
        SQL_ARGS({"taxonomy_version", versions[0]}, {"model_version", versions[1]});
    if (check_unchanged(in, versions, shape, m, s, err) != VR_OK || !s->why ||
        db_script_file(in, what, "base/batch_settings.sql", SQL_NO_ARGS, err) != VR_OK ||
        db_script_file(in, what, "extract/tagging_body_hash.sql", SQL_NO_ARGS, err) != VR_OK ||
        db_script_file(in, what, quality_body_rule_file(in), SQL_NO_ARGS, err) != VR_OK ||
        contract_open_views(in, shape, err) != VR_OK)
        return err->status;
    PGresult *r = db_query_file(in, what, "extract/tagging_claim.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    s->token = xstrdup(db_get_text(r, 0, "token"));
    PQclear(r);
    if (db_exec_file(in, what, "extract/tagging_new.sql", args, err) != VR_OK ||
        db_exec_file(in, what, "extract/tagging_kept_tagged.sql", args, err) != VR_OK ||
        db_script_file(in, what, "extract/analyze.sql", SQL_ARGS({"table", "vr_new"}), err) !=
            VR_OK)
        return err->status;
    r = db_query_file(in, what, "extract/tagging_new_count.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    *n = db_get_ll(r, 0, "to_classify");
    PQclear(r);
    return VR_OK;
}

/* Records the full search as proof for the next nights, when it is one. */
static enum vr_status prove(struct db *db, const struct search *s, struct vr_error *err)
{
    if (!s->token || !s->fingerprint)
        return VR_OK;
    return db_exec_file(db, "could not record the search for new feedback",
                        "extract/tagging_prove.sql",
                        SQL_ARGS({"fingerprint", s->fingerprint}, {"token", s->token}), err);
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
        find_new(&in, versions, shape, m, &n_new, &search, err) != VR_OK)
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
    /* Several statements ending in COPY: PQexec, not db_script_file, which
     * expects them all to complete. */
    char *staging = sql_file_plain(&out, "extract/tagging_staging.sql", SQL_NO_ARGS, err);
    if (!staging)
        goto done;
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
        db_exec_file(&out, "could not store feedback tags", "extract/tagging_merge.sql",
                     SQL_ARGS({"taxonomy_version", versions[0]}, {"model_version", versions[1]}),
                     err) == VR_OK &&
        prove(&out, &search, err) == VR_OK)
        db_script_file(&out, "could not store feedback tags", "extract/tagging_commit.sql",
                       SQL_NO_ARGS, err);
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
