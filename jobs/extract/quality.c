#include "quality.h"

#include "contract.h"
#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The keys more than one row shares and their rows ranked: small sets,
 * read before the judged copy (sql/extract/duplicate_*.sql).  The first
 * read of the view: its error names a missing privilege. */
static enum vr_status rank_duplicates(struct db *db, const struct source_table *t, const char *what,
                                      struct vr_error *err)
{
    char view[64], keys[64], ranked[64];
    snprintf(view, sizeof(view), "src_%s", t->name);
    snprintf(keys, sizeof(keys), "d_%s", t->name);
    snprintf(ranked, sizeof(ranked), "r_%s", t->name);
    const struct sql_arg *args =
        SQL_ARGS({"view", view}, {"key", t->pk}, {"ts", t->ts}, {"keys", keys}, {"ranked", ranked});
    if (db_script_file(db, what, "extract/duplicate_keys.sql", args, err) == VR_OK &&
        db_script_file(db, what, "extract/analyze.sql", SQL_ARGS({"table", keys}), err) == VR_OK)
        db_exec_file(db, what, "extract/duplicate_rows.sql", args, err);
    return err->status;
}

/* The customers the view names that are not kept customers, o_<table>:
 * a small set each row is tested against (sql/extract/orphan_keys.sql). */
static enum vr_status find_orphans(struct db *db, const struct source_table *t, const char *what,
                                   struct vr_error *err)
{
    char view[64], orphans[64];
    snprintf(view, sizeof(view), "src_%s", t->name);
    snprintf(orphans, sizeof(orphans), "o_%s", t->name);
    if (db_script_file(db, what, "extract/orphan_keys.sql",
                       SQL_ARGS({"view", view}, {"orphans", orphans}), err) == VR_OK)
        db_script_file(db, what, "extract/analyze.sql", SQL_ARGS({"table", orphans}), err);
    return err->status;
}

/* t_<table>, every row with the reason it is rejected, and c_<table>, the
 * rows kept: what every later stage reads. */
static enum vr_status judge(struct db *db, const struct source_table *t,
                            const struct sql_arg *values, const char *what, struct vr_error *err)
{
    if (t->pk && rank_duplicates(db, t, what, err) != VR_OK)
        return err->status;
    if (t->orphan_rule && find_orphans(db, t, what, err) != VR_OK)
        return err->status;
    char judged[64], checked[64];
    snprintf(judged, sizeof(judged), "t_%s", t->name);
    snprintf(checked, sizeof(checked), "c_%s", t->name);
    if (db_exec_file(db, what, t->judged_sql, values, err) == VR_OK)
        db_script_file(db, what, "extract/checked_view.sql",
                       SQL_ARGS({"judged", judged}, {"checked", checked}), err);
    return err->status;
}

/* In SQL_ASCII the text is bytes: its validity is checked, the character
 * classes of the language rule do not apply. */
const char *quality_body_rule_file(struct db *db)
{
    const char *enc = PQparameterStatus(db->conn, "server_encoding");
    return enc && !strcmp(enc, "SQL_ASCII") ? "extract/body_rule_sql_ascii.sql"
                                            : "extract/body_rule.sql";
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
        if (t->judged_sql || model_source_gap(m, t->name))
            continue;
        char view[64];
        snprintf(view, sizeof(view), "src_%s", t->name);
        PGresult *r = db_query_file(db, "could not count source rows", "extract/has_rows.sql",
                                    SQL_ARGS({"view", view}), err);
        if (!r)
            return err->status;
        note_empty(m, t, !strcmp(db_get_text(r, 0, "has_rows"), "t"));
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
    if (db_script_file(db, "could not prepare the feedback checks", quality_body_rule_file(db),
                       SQL_NO_ARGS, err) != VR_OK)
        return err->status;
    const struct sql_arg *values =
        SQL_ARGS({"started_at", started_at}, {"max_order_amount", max_amount});
    /* Absent views too (src_<view> has no row): later stages read c_<view>.
     * In contract order: the customers first, the others' orphan rule
     * reads the customers none of whose rows was kept (u_customers). */
    for (int i = 0; i < CONTRACT_TABLES; i++) {
        const struct source_table *t = &contract_tables[i];
        char what[96];
        snprintf(what, sizeof(what), "could not read source table %s", t->name);
        if (t->judged_sql && judge(db, t, values, what, err) != VR_OK)
            return err->status;
        if (!strcmp(t->name, "customers") &&
            (db_script_file(db, what, "extract/unkept_customers.sql", SQL_NO_ARGS, err) != VR_OK ||
             db_script_file(db, what, "extract/analyze.sql", SQL_ARGS({"table", "u_customers"}),
                            err) != VR_OK))
            return err->status;
    }
    PGresult *r = db_query_file(db, "could not count rejected rows", "extract/rejected_counts.sql",
                                SQL_NO_ARGS, err);
    if (!r)
        return err->status;

    /* Rows per table first: every dq.rejected carries its table's size as n. */
    long long rows[CONTRACT_TABLES] = {0}, rejected[CONTRACT_TABLES] = {0};
    long long no_text[CONTRACT_TABLES] = {0};
    for (int i = 0; i < PQntuples(r); i++)
        rows[contract_table_index(db_get_text(r, i, "source_table"))] += db_get_ll(r, i, "n");
    for (int i = 0; i < PQntuples(r); i++) {
        int t = contract_table_index(db_get_text(r, i, "source_table"));
        long long n = db_get_ll(r, i, "n");
        const char *reason = db_get_text(r, i, "reject");
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
        if (!st->judged_sql || !shape->present[t])
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
