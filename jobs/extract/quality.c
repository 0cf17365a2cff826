#include "quality.h"

#include "contract.h"
#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A body without words ("10", ".", an emoji, one letter) is no text: kept
 * out of the text figures, and not a rejection (data-contract.md).  Text
 * with words the classifiers cannot read (neither a Chinese character nor
 * two Latin letters: another script) is rejected. */
static const char language_rule[] =
    "WHEN " SQL_NO_WORDS("s.body") " THEN '" NO_TEXT "'"
    " WHEN NOT (s.body ~ '[A-Za-z].*[A-Za-z]' OR s.body ~ '" SQL_CJK "')"
    " THEN 'unknown_language'";

/* A UTF-8 database cannot hold invalid text; only SQL_ASCII can.  There the
 * server's own decoder is the judge, one row at a time. */
static const char utf8_fn[] =
    "CREATE OR REPLACE FUNCTION pg_temp.vr_valid_utf8(t text) RETURNS boolean"
    " LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN"
    " PERFORM convert_from(convert_to(t, 'SQL_ASCII'), 'UTF8'); RETURN true;"
    " EXCEPTION WHEN others THEN RETURN false; END $$";

/* The keys that more than one row shares: few, so the copy below ranks
 * only their rows.  Grouped in key order (the key's index, else a sort):
 * a hash table of a million keys took 1.95 s of CPU where the index took
 * 0.17 s and a sort 0.57 s (docs/benchmark.md).  The first read of the
 * table: db_exec, whose error names the missing privilege. */
static enum vr_status find_duplicates(struct db *db, const struct source_table *t, const char *what,
                                      struct vr_error *err)
{
    char *sql = xstrfmt("CREATE TEMP TABLE d_%s AS SELECT %s AS k FROM src_%s GROUP BY 1"
                        " HAVING count(*) > 1",
                        t->name, t->pk, t->name);
    char *after = xstrfmt("RESET enable_hashagg; ANALYZE d_%s", t->name);
    if (db_script(db, what, "SET enable_hashagg = off", err) == VR_OK &&
        db_exec(db, what, sql, 0, NULL, err) == VR_OK)
        db_script(db, what, after, err);
    free(sql);
    free(after);
    return err->status;
}

static char *table_sql(const struct source_table *t, bool check_utf8)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "CREATE TEMP TABLE t_%s AS SELECT ", t->name);
    for (const struct contract_column *cc = t->cols; cc->name; cc++)
        strbuf_addf(&sb, "%s%s", cc == t->cols ? "" : ", ", cc->name);
    strbuf_adds(&sb, ", CASE");
    if (t->pk)
        strbuf_adds(&sb, " WHEN s.vr_rank > 1 THEN 'duplicate_key'");
    if (t->customer_rule == 1)
        strbuf_adds(&sb, " WHEN NOT EXISTS (SELECT 1 FROM c_customers k"
                         " WHERE k.customer_id = s.customer_id) THEN 'orphan'");
    else if (t->customer_rule == 2)
        strbuf_adds(&sb, " WHEN s.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                         " c_customers k WHERE k.customer_id = s.customer_id) THEN 'orphan'");
    if (t->customer_rule)
        strbuf_addf(&sb, " WHEN s.%s > $1::timestamptz THEN 'future_dated'", t->ts);
    if (t->extra) {
        strbuf_adds(&sb, " ");
        const char *u = strstr(t->extra, "{utf8}");
        if (u) {
            strbuf_add(&sb, t->extra, (size_t)(u - t->extra));
            /* In SQL_ASCII the text is bytes: validity is checked, the
             * character classes of the language rule do not apply. */
            if (check_utf8)
                strbuf_adds(&sb, "WHEN NOT pg_temp.vr_valid_utf8(s.body) THEN 'invalid_utf8'");
            else
                strbuf_adds(&sb, language_rule);
        } else {
            strbuf_adds(&sb, t->extra);
        }
    }
    strbuf_adds(&sb, " END AS reject FROM ");
    if (t->pk)
        /* Keep the first: earliest timestamp, then the row's text in byte order,
         * so the choice is the same on every run and reproducible by hand.
         * Only the keys in d_<table> (more than one row, or NULL: PARTITION
         * BY groups NULLs) are ranked; ranking every row sorted the whole
         * table and printed each row as text. */
        strbuf_addf(&sb,
                    "(SELECT s.*, 1::bigint AS vr_rank FROM src_%s s WHERE s.%s IS NOT NULL"
                    " AND NOT EXISTS (SELECT 1 FROM d_%s d WHERE d.k = s.%s)"
                    " UNION ALL SELECT s.*, row_number() OVER (PARTITION BY s.%s"
                    " ORDER BY s.%s NULLS LAST, s::text COLLATE \"C\") FROM src_%s s"
                    " WHERE s.%s IS NULL OR s.%s IN (SELECT k FROM d_%s)) s",
                    t->name, t->pk, t->name, t->pk, t->pk, t->ts, t->name, t->pk, t->pk, t->name);
    else
        strbuf_addf(&sb, "src_%s s", t->name);
    strbuf_addf(&sb, "; CREATE TEMP VIEW c_%s AS SELECT * FROM t_%s WHERE reject IS NULL;"
                     " ANALYZE t_%s",
                t->name, t->name, t->name);
    return strbuf_detach(&sb);
}

static bool server_is_sql_ascii(struct db *db)
{
    const char *enc = PQparameterStatus(db->conn, "server_encoding");
    return enc && !strcmp(enc, "SQL_ASCII");
}

/* An optional view without a usable row is a gap like an absent one:
 * nothing it feeds can be measured. */
static void note_empty(struct model *m, const struct source_table *t, long long usable)
{
    if (t->required || usable > 0 || model_source_gap(m, t->name))
        return;
    char flag[64];
    snprintf(flag, sizeof(flag), "empty_%s", t->name);
    model_add_source_gap(m, t->name, flag);
    log_warn("source view %s has no usable row: the figures that need it are NULL (flag %s)",
             t->name, flag);
}

/* Views without row rules are read as they are: only whether they have a row. */
static enum vr_status unchecked_views(struct db *db, struct model *m, struct vr_error *err)
{
    for (int i = 0; i < CONTRACT_TABLES; i++) {
        const struct source_table *t = &contract_tables[i];
        if (t->row_rules || model_source_gap(m, t->name))
            continue;
        char *sql = xstrfmt("SELECT EXISTS (SELECT 1 FROM src_%s)", t->name);
        PGresult *r = db_query(db, "could not count source rows", sql, 0, NULL, err);
        free(sql);
        if (!r)
            return err->status;
        note_empty(m, t, !strcmp(PQgetvalue(r, 0, 0), "t"));
        PQclear(r);
    }
    return VR_OK;
}

enum vr_status quality_check(struct db *db, const char *started_at, const struct job_config *job,
                             const struct source_shape *shape, struct model *m,
                             struct vr_error *err)
{
    double max_rejected_share = job->max_rejected_share;
    /* The limit as runs.parameters records it (config_job_params). */
    char max_amount[64];
    snprintf(max_amount, sizeof(max_amount), "%.15g", job->max_order_amount);
    bool utf8 = server_is_sql_ascii(db);
    if (utf8 && db_script(db, "could not prepare the UTF-8 check", utf8_fn, err) != VR_OK)
        return err->status;
    /* Absent views too (src_<view> has no row): later stages read c_<view>. */
    struct strbuf q;
    strbuf_init(&q);
    for (int i = 0; i < CONTRACT_TABLES; i++) {
        const struct source_table *t = &contract_tables[i];
        if (!t->row_rules)
            continue;
        char what[96];
        snprintf(what, sizeof(what), "could not read source table %s", t->name);
        if (t->pk && find_duplicates(db, t, what, err) != VR_OK) {
            strbuf_release(&q);
            return err->status;
        }
        char *sql = table_sql(t, utf8);
        /* Three statements: simple protocol would lose the parameter, so
         * the first runs alone and the rest as a script. */
        char *semi = strchr(sql, ';');
        *semi = '\0';
        const char *p[] = {started_at, max_amount};
        enum vr_status st = db_exec(db, what, sql, t->n_params, t->n_params ? p : NULL, err);
        if (st == VR_OK)
            st = db_script(db, what, semi + 1, err);
        free(sql);
        if (st != VR_OK) {
            strbuf_release(&q);
            return st;
        }
        strbuf_addf(&q, "%sSELECT %d AS t, reject, count(*) FROM t_%s GROUP BY reject",
                    q.len ? " UNION ALL " : "", i, t->name);
    }
    strbuf_adds(&q, " ORDER BY 1, 2 NULLS FIRST");
    PGresult *r = db_query(db, "could not count rejected rows", q.buf, 0, NULL, err);
    strbuf_release(&q);
    if (!r)
        return err->status;

    /* Rows per table first: every dq.rejected carries its table's size as n. */
    long long rows[CONTRACT_TABLES] = {0}, rejected[CONTRACT_TABLES] = {0};
    long long no_text[CONTRACT_TABLES] = {0};
    for (int i = 0; i < PQntuples(r); i++)
        rows[db_ll(r, i, 0)] += db_ll(r, i, 2);
    for (int i = 0; i < PQntuples(r); i++) {
        int t = (int)db_ll(r, i, 0);
        long long n = db_ll(r, i, 2);
        const char *reason = db_text(r, i, 1);
        if (!reason)
            continue;
        if (!strcmp(reason, NO_TEXT)) {
            no_text[t] += n;
            continue;
        }
        rejected[t] += n;
        model_add_rejection(m, contract_tables[t].name, reason, n);
        char dims[128];
        snprintf(dims, sizeof(dims), "reason=%s;table=%s", reason, contract_tables[t].name);
        model_add(m, "dq.rejected", dims, true, (double)n, rows[t], NULL);
    }
    PQclear(r);

    const char *worst = NULL;
    double worst_share = 0;
    for (int t = 0; t < CONTRACT_TABLES; t++) {
        const struct source_table *st = &contract_tables[t];
        if (!st->row_rules || !shape->present[t])
            continue; /* not read: no count, no share */
        char dims[64];
        snprintf(dims, sizeof(dims), "table=%s", st->name);
        /* An empty table has no share (NULL), not a clean 0 %. */
        double share = rows[t] ? (double)rejected[t] / (double)rows[t] : 0.0;
        model_add_source(m, st->name, rows[t], rejected[t]);
        model_add(m, "dq.rows", dims, true, (double)rows[t], rows[t], NULL);
        model_add(m, "dq.rejected_share", dims, rows[t] > 0, share, rows[t],
                  share > max_rejected_share ? "over_limit" : NULL);
        if (!strcmp(st->name, "feedback"))
            model_add(m, "dq.no_text", dims, true, (double)no_text[t], rows[t], NULL);
        note_empty(m, st, rows[t] - rejected[t] - no_text[t]);
        if (share > max_rejected_share && share > worst_share) {
            worst = st->name;
            worst_share = share;
        }
    }
    if (worst)
        return vr_fail(err, VR_ERR_DATA,
                       "%.1f %% of the rows of %s were rejected, more than the limit of %.1f %% "
                       "(max_rejected_share); the counts by reason are in runs.rejected_rows",
                       100.0 * worst_share, worst, 100.0 * max_rejected_share);
    return unchecked_views(db, m, err);
}
