/* Quality gates before delivery; the contract is in gates.h. */
#include "gates.h"

#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Also the columns of deliver/gates_freshness.sql. */
static const char *const fresh_tables[GATE_FRESH_TABLES] = {"survey_responses", "feedback",
                                                            "orders"};

enum vr_status gates_read_freshness(struct db *src, const struct job_config *j,
                                    const struct period *p, struct gates *g,
                                    struct vr_error *err)
{
    if (j->gate_freshness_hours <= 0)
        return VR_OK;
    PGresult *r = db_query_file(src, "could not read the newest source rows",
                                "deliver/gates_freshness.sql", SQL_ARGS({"as_of", p->end}), err);
    if (!r)
        return err->status;
    for (int t = 0; t < GATE_FRESH_TABLES; t++)
        g->age_hours[t] = db_get_double(r, 0, fresh_tables[t], &g->has_newest[t]);
    PQclear(r);
    g->fresh_read = true;
    return VR_OK;
}

void gates_add_failure(struct gates *g, char *sentence)
{
    g->failures = xrealloc(g->failures, (g->n_failures + 2) * sizeof(char *));
    g->failures[g->n_failures++] = sentence;
    g->failures[g->n_failures] = NULL;
}

/* A view the company does not have, or one without a usable row (no
 * finance data: an empty orders view), is neither fresh nor stale. */
static void check_freshness(const struct job_config *j, const struct model *m, struct gates *g)
{
    if (j->gate_freshness_hours <= 0 || !g->fresh_read)
        return;
    for (int t = 0; t < GATE_FRESH_TABLES; t++) {
        const char *gap = model_source_gap(m, fresh_tables[t]);
        if (gap)
            log_info("freshness: %s not checked (%s)", fresh_tables[t], gap);
        else if (!g->has_newest[t])
            gates_add_failure(g, xstrfmt("freshness: no %s row before the period end "
                                   "(gate_freshness_hours = %d)",
                                   fresh_tables[t], j->gate_freshness_hours));
        else if (g->age_hours[t] > j->gate_freshness_hours)
            gates_add_failure(g, xstrfmt("freshness: the newest %s row is %.1f hours older than the "
                                   "period end (gate_freshness_hours = %d)",
                                   fresh_tables[t], g->age_hours[t], j->gate_freshness_hours));
    }
}

/* Source tables only grow or shrink a little between nightly runs; a jump
 * means a broken feed or a truncated load.  The base is the job's previous
 * nightly run (deliver/gates_row_change.sql says which). */
static enum vr_status check_row_change(struct db *meta, const struct job_config *j,
                                       long long run_id, const struct model *m, struct gates *g,
                                       struct vr_error *err)
{
    if (j->gate_row_change_pct <= 0)
        return VR_OK;
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    PGresult *r = db_query_file(meta, "could not read the previous run's source rows",
                                "deliver/gates_row_change.sql",
                                SQL_ARGS({"job", j->name}, {"run_id", id}), err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *table = db_get_text(r, i, "source_table");
        long long before = db_get_ll(r, i, "source_rows");
        for (size_t k = 0; k < m->n_sources; k++) {
            const struct source_count *s = &m->sources[k];
            /* No base to compare with: a table that was empty before. */
            if (strcmp(s->table, table) || before <= 0)
                continue;
            double pct = 100.0 * (double)(s->rows - before) / (double)before;
            if (fabs(pct) > j->gate_row_change_pct)
                gates_add_failure(g,
                                  xstrfmt("row change: %s has %lld rows, %+.1f %% against %lld in "
                                          "run %lld (gate_row_change_pct = %g)",
                                          table, s->rows, pct, before, db_get_ll(r, i, "run_id"),
                                          j->gate_row_change_pct));
        }
    }
    PQclear(r);
    return VR_OK;
}

static void check_min_responses(const struct job_config *j, const struct model *m,
                                struct gates *g)
{
    if (j->gate_min_responses <= 0)
        return;
    double n = 0;
    if (!model_value(m, "nps_n", "", &n))
        n = 0;
    if (n < j->gate_min_responses)
        gates_add_failure(g, xstrfmt("minimum responses: %.0f scored NPS responses in the period, "
                               "fewer than gate_min_responses = %d",
                               n, j->gate_min_responses));
}

enum vr_status gates_check(struct db *meta, const struct job_config *j, long long run_id,
                           const struct model *m, struct gates *g, struct vr_error *err)
{
    check_freshness(j, m, g);
    if (check_row_change(meta, j, run_id, m, g, err) != VR_OK)
        return err->status;
    check_min_responses(j, m, g);

    for (size_t i = 0; i < g->n_failures; i++)
        log_warn("quality gate failed: %s", g->failures[i]);
    if (g->n_failures == 0)
        log_info("quality gates passed");
    char id[24];
    snprintf(id, sizeof(id), "%lld", run_id);
    char *arr = db_array_of(g->failures, g->n_failures);
    enum vr_status st =
        db_exec_file(meta, "could not record the quality gates", "deliver/gates_record.sql",
                     SQL_ARGS({"run_id", id}, {"failures", arr}), err);
    free(arr);
    return st;
}

void gates_release(struct gates *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_failures; i++)
        free(g->failures[i]);
    free(g->failures);
    g->failures = NULL;
    g->n_failures = 0;
}
