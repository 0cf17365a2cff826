#include "quality.h"

#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct source_table {
    const char *name;
    const char *cols;      /* contract columns kept in the temporary table */
    const char *pk;        /* NULL: no primary key, no duplicate rule */
    const char *ts;        /* ranks duplicates, and is checked for future dates */
    int customer_rule;     /* 0 none, 1 required, 2 optional (NULL allowed) */
    const char *extra;     /* table-specific CASE branches, after the shared ones */
    int n_params;          /* parameters the SQL uses: $1 run start, $2 max_order_amount */
};

static const struct source_table tables[] = {
    {"customers", "customer_id, segment, region, acquired_at", "customer_id", "acquired_at", 0,
     NULL, 0},
    {"orders", "order_id, customer_id, ordered_at, amount, cost, status", "order_id", "ordered_at",
     1,
     "WHEN " SQL_NOT_FINITE("s.amount") " OR " SQL_NOT_FINITE("s.cost") " THEN 'not_finite'"
     " WHEN s.status = 'paid' AND s.amount < 0 THEN 'negative_amount'"
     /* A limit of 0 is off. */
     " WHEN s.status = 'paid' AND $2::numeric > 0 AND s.amount > $2::numeric"
     " THEN 'implausible_amount'",
     2},
    {"churn_events", "customer_id, churned_at", NULL, "churned_at", 1, NULL, 1},
    /* NaN and Infinity fall outside every scale: out_of_scale covers them. */
    {"survey_responses", "response_id, customer_id, responded_at, touchpoint, channel, nps, csat, ces",
     "response_id", "responded_at", 1,
     "WHEN s.nps NOT BETWEEN 0 AND 10 OR s.csat NOT BETWEEN 1 AND 5"
     " OR s.ces NOT BETWEEN 1 AND 7 THEN 'out_of_scale'",
     1},
    /* NaN sorts above every number in PostgreSQL, so BETWEEN refuses it too. */
    {"feedback",
     "feedback_id, customer_id, response_id, received_at, channel, brand, body, topic, sentiment",
     "feedback_id", "received_at", 2,
     "WHEN s.sentiment NOT BETWEEN -1 AND 1 THEN 'invalid_sentiment'"
     " WHEN s.body IS NULL OR s.body ~ '^[[:space:]]*$' THEN 'empty_body'"
     " {utf8}",
     1},
    {"customer_events", "customer_id, occurred_at, event", NULL, "occurred_at", 1, NULL, 1},
    {"cases",
     "case_id, customer_id, feedback_id, department, priority, opened_at, first_response_at,"
     " closed_at, root_cause",
     "case_id", "opened_at", 1, NULL, 1},
};

#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/* Text the classifiers cannot read: neither a Chinese character nor two
 * Latin letters (emoji only, another script, digits and punctuation). */
static const char language_rule[] =
    "WHEN NOT (s.body ~ '[A-Za-z].*[A-Za-z]'"
    " OR s.body ~ '[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\U00020000-\\U0002fa1f]')"
    " THEN 'unknown_language'";

/* A UTF-8 database cannot hold invalid text; only SQL_ASCII can.  There the
 * server's own decoder is the judge, one row at a time. */
static const char utf8_fn[] =
    "CREATE OR REPLACE FUNCTION pg_temp.vr_valid_utf8(t text) RETURNS boolean"
    " LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN"
    " PERFORM convert_from(convert_to(t, 'SQL_ASCII'), 'UTF8'); RETURN true;"
    " EXCEPTION WHEN others THEN RETURN false; END $$";

static char *table_sql(const struct source_table *t, bool check_utf8)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "CREATE TEMP TABLE t_%s AS SELECT %s, CASE", t->name, t->cols);
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
         * so the choice is the same on every run and reproducible by hand. */
        strbuf_addf(&sb,
                    "(SELECT s.*, row_number() OVER (PARTITION BY s.%s ORDER BY s.%s NULLS LAST,"
                    " s::text COLLATE \"C\") AS vr_rank FROM {src}.%s s) s",
                    t->pk, t->ts, t->name);
    else
        strbuf_addf(&sb, "{src}.%s s", t->name);
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

enum vr_status quality_check(struct db *db, const char *started_at, const struct job_config *job,
                             struct model *m, struct vr_error *err)
{
    double max_rejected_share = job->max_rejected_share;
    /* The limit as runs.parameters records it (config_job_params). */
    char max_amount[64];
    snprintf(max_amount, sizeof(max_amount), "%.15g", job->max_order_amount);
    bool utf8 = server_is_sql_ascii(db);
    if (utf8 && db_script(db, "could not prepare the UTF-8 check", utf8_fn, err) != VR_OK)
        return err->status;
    for (size_t i = 0; i < N_TABLES; i++) {
        char *sql = table_sql(&tables[i], utf8);
        char what[96];
        snprintf(what, sizeof(what), "could not read source table %s", tables[i].name);
        /* Three statements: simple protocol would lose the parameter, so
         * the first runs alone and the rest as a script. */
        char *semi = strchr(sql, ';');
        *semi = '\0';
        const char *p[] = {started_at, max_amount};
        enum vr_status st =
            db_exec(db, what, sql, tables[i].n_params, tables[i].n_params ? p : NULL, err);
        if (st == VR_OK)
            st = db_script(db, what, semi + 1, err);
        free(sql);
        if (st != VR_OK)
            return st;
    }

    struct strbuf q;
    strbuf_init(&q);
    for (size_t i = 0; i < N_TABLES; i++)
        strbuf_addf(&q, "%sSELECT %zu AS t, reject, count(*) FROM t_%s GROUP BY reject",
                    i ? " UNION ALL " : "", i, tables[i].name);
    strbuf_adds(&q, " ORDER BY 1, 2 NULLS FIRST");
    PGresult *r = db_query(db, "could not count rejected rows", q.buf, 0, NULL, err);
    strbuf_release(&q);
    if (!r)
        return err->status;

    /* Rows per table first: every dq.rejected carries its table's size as n. */
    long long rows[N_TABLES] = {0}, rejected[N_TABLES] = {0};
    for (int i = 0; i < PQntuples(r); i++)
        rows[db_ll(r, i, 0)] += db_ll(r, i, 2);
    for (int i = 0; i < PQntuples(r); i++) {
        size_t t = (size_t)db_ll(r, i, 0);
        long long n = db_ll(r, i, 2);
        const char *reason = db_text(r, i, 1);
        if (!reason)
            continue;
        rejected[t] += n;
        model_add_rejection(m, tables[t].name, reason, n);
        char dims[128];
        snprintf(dims, sizeof(dims), "reason=%s;table=%s", reason, tables[t].name);
        model_add(m, "dq.rejected", dims, true, (double)n, rows[t], NULL);
    }
    PQclear(r);

    const char *worst = NULL;
    double worst_share = 0;
    for (size_t t = 0; t < N_TABLES; t++) {
        char dims[64];
        snprintf(dims, sizeof(dims), "table=%s", tables[t].name);
        /* An empty table has no share (NULL), not a clean 0 %. */
        double share = rows[t] ? (double)rejected[t] / (double)rows[t] : 0.0;
        model_add_source(m, tables[t].name, rows[t], rejected[t]);
        model_add(m, "dq.rows", dims, true, (double)rows[t], rows[t], NULL);
        model_add(m, "dq.rejected_share", dims, rows[t] > 0, share, rows[t],
                  share > max_rejected_share ? "over_limit" : NULL);
        if (share > max_rejected_share && share > worst_share) {
            worst = tables[t].name;
            worst_share = share;
        }
    }
    if (worst)
        return vr_fail(err, VR_ERR_DATA,
                       "%.1f %% of the rows of %s were rejected, more than the limit of %.1f %% "
                       "(max_rejected_share); the counts by reason are in runs.rejected_rows",
                       100.0 * worst_share, worst, 100.0 * max_rejected_share);
    return VR_OK;
}
