#include "kpi_experiments.h"

#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"
#include "ownership.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The call list's fields in the order of its TSV, which report/calllist.c
 * reads: the experiment, then these columns of experiments_call_list.sql. */
static const char *const calllist_cols[] = {
    "customer_id",  "segment",     "assigned_at", "respond_by", "nps",
    "responded_on", "feedback_on", "channel",     "department", "body",
};

struct arm_stats {
    long long n, churned;
};

static bool is_true(const PGresult *r, const char *col)
{
    const char *v = db_get_text(r, 0, col);
    return v && !strcmp(v, "t");
}

static void add_exp_params(struct model *m, const struct experiment_config *x)
{
    char name[160], value[64];
#define P(key, fmt, v)                                                                             \
    do {                                                                                           \
        snprintf(name, sizeof(name), "experiment.%s.%s", x->name, key);                            \
        snprintf(value, sizeof(value), fmt, v);                                                    \
        model_add_param(m, name, value);                                                           \
    } while (0)
    P("start", "%s", x->start);
    P("enrollment_days", "%d", x->enrollment_days);
    P("risk_lookback_days", "%d", x->risk_lookback_days);
    P("nps_max", "%d", x->nps_max);
    P("treatment_share", "%.15g", x->treatment_share);
    P("response_deadline_hours", "%d", x->response_deadline_hours);
    P("evaluation_window_months", "%d", x->evaluation_window_months);
    P("counts_in_roi", "%s", x->counts_in_roi ? "yes" : "no");
#undef P
}

/* This run's new assignments, t_exp_new: the risk pool at T when enrolling,
 * else no row. */
static enum vr_status risk_pool(struct db *db, const struct experiment_config *x,
                                const struct period *p, bool enrolling, struct vr_error *err)
{
    char days[16], nps[16], share[64];
    snprintf(days, sizeof(days), "%d", x->risk_lookback_days);
    snprintf(nps, sizeof(nps), "%d", x->nps_max);
    snprintf(share, sizeof(share), "%.17g", x->treatment_share);
    if (db_script_file(db, "could not find the experiment's risk pool",
                       "compute/experiments_pool_reset.sql", SQL_NO_ARGS, err) != VR_OK ||
        db_exec_file(db, "could not find the experiment's risk pool",
                     "compute/experiments_pool.sql",
                     SQL_ARGS({"as_of", p->end}, {"lookback_days", days}, {"nps_max", nps},
                              {"experiment", x->name}, {"treatment_share", share},
                              {"enrolling", enrolling ? "true" : "false"}),
                     err) != VR_OK)
        return err->status;
    return VR_OK;
}

static enum vr_status pick_new(struct db *db, const struct experiment_config *x,
                               const struct period *p, struct exp_assignments *out,
                               struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not read the experiment's risk pool",
                                "compute/experiments_pool_rows.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    int rows = PQntuples(r);
    if (rows > 0) {
        struct strbuf ids, arms;
        strbuf_init(&ids);
        strbuf_init(&arms);
        strbuf_adds(&ids, "{");
        strbuf_adds(&arms, "{");
        for (int i = 0; i < rows; i++) {
            db_array_add(&ids, db_get_text(r, i, "customer_id"));
            db_array_add(&arms, db_get_text(r, i, "arm"));
        }
        strbuf_adds(&ids, "}");
        strbuf_adds(&arms, "}");
        out->batches = xrealloc(out->batches, (out->n + 1) * sizeof(*out->batches));
        struct exp_batch *b = &out->batches[out->n++];
        b->experiment = xstrdup(x->name);
        b->assigned_at = xstrdup(p->end);
        b->ids = strbuf_detach(&ids);
        b->arms = strbuf_detach(&arms);
        b->n = (size_t)rows;
    }
    PQclear(r);
    log_info("experiment %s: %d customer(s) newly assigned", x->name, rows);
    return VR_OK;
}

/* Customers per arm, and the churned among them when r counts them. */
static void arm_counts(PGresult *r, bool churned, struct arm_stats *t, struct arm_stats *c)
{
    for (int i = 0; i < PQntuples(r); i++) {
        struct arm_stats *s = !strcmp(db_get_text(r, i, "arm"), "treatment") ? t : c;
        s->n = db_get_ll(r, i, "customers");
        s->churned = churned ? db_get_ll(r, i, "churned") : 0;
    }
    PQclear(r);
}

static void put(struct model *m, const char *code, const char *dims, struct maybe v, long long n)
{
    model_add(m, code, dims, v.ok, v.v, n, NULL);
}

static enum vr_status evaluate(struct db *db, const struct experiment_config *x,
                               const struct period *p, const char *rule, int inactive_days,
                               const char *eval_at, struct model *m, struct vr_error *err)
{
    char months[16], days[16];
    snprintf(months, sizeof(months), "%d", x->evaluation_window_months);
    snprintf(days, sizeof(days), "%d", inactive_days);
    PGresult *r = db_query_file(
        db, "could not evaluate the experiment", "compute/experiments_evaluate.sql",
        SQL_ARGS({"experiment", x->name}, {"as_of", p->end}, {"evaluation_months", months},
                 {"churn_rule", rule}, {"inactive_days", days}),
        err);
    if (!r)
        return err->status;
    struct arm_stats t = {0}, c = {0};
    arm_counts(r, true, &t, &c);

    r = db_query_file(db, "could not read the intervention costs", "compute/experiments_cost.sql",
                      SQL_ARGS({"start", x->start}, {"evaluated_at", eval_at}), err);
    if (!r)
        return err->status;
    double cost = db_get_double(r, 0, "cost", NULL);
    PQclear(r);

    char dims_t[200], dims_c[200], dims[160];
    snprintf(dims_t, sizeof(dims_t), "arm=treatment;experiment=%s", x->name);
    snprintf(dims_c, sizeof(dims_c), "arm=control;experiment=%s", x->name);
    snprintf(dims, sizeof(dims), "experiment=%s", x->name);
    struct maybe rt = ratio((double)t.churned, (double)t.n);
    struct maybe rc = ratio((double)c.churned, (double)c.n);
    put(m, "exp.customers", dims_t, just((double)t.n), t.n);
    put(m, "exp.customers", dims_c, just((double)c.n), c.n);
    put(m, "exp.churn_rate", dims_t, rt, t.n);
    put(m, "exp.churn_rate", dims_c, rc, c.n);

    struct maybe diff = nothing(), lo = nothing(), hi = nothing(), retained = nothing();
    double se = 0;
    if (rt.ok && rc.ok) {
        se = sqrt(rc.v * (1 - rc.v) / (double)c.n + rt.v * (1 - rt.v) / (double)t.n);
        diff = just(rc.v - rt.v);
        lo = just(diff.v - Z95 * se);
        hi = just(diff.v + Z95 * se);
        retained = just(diff.v * (double)t.n);
    }
    double ltv_all = 0;
    struct maybe value = retained.ok && model_value(m, "ltv_all", "", &ltv_all)
                             ? just(retained.v * ltv_all)
                             : nothing();
    /* The value is the difference scaled by treated × ltv_all: so is its
     * standard error (docs/decisions.md "VoC ROI: one window"). */
    struct roi_estimate roi = roi_estimate(value, se * (double)t.n * ltv_all, cost);
    put(m, "exp.churn_diff", dims, diff, -1);
    put(m, "exp.ci_low", dims, lo, -1);
    put(m, "exp.ci_high", dims, hi, -1);
    put(m, "exp.p_value", dims, two_proportion_p(c.churned, c.n, t.churned, t.n), -1);
    put(m, "exp.retained_customers", dims, retained, -1);
    put(m, "exp.value", dims, value, -1);
    put(m, "exp.cost", dims, just(cost), -1);
    model_add(m, "exp.roi", dims, roi.value.ok, roi.value.v, -1,
              roi.not_significant ? "not_significant" : NULL);
    put(m, "exp.roi_low", dims, roi.low, -1);
    put(m, "exp.roi_high", dims, roi.high, -1);
    model_add(m, "exp.status", dims, true, 1.0, -1, "evaluated");
    return VR_OK;
}

static enum vr_status progress(struct db *db, const struct experiment_config *x,
                               const struct period *p, struct model *m, struct vr_error *err)
{
    PGresult *r = db_query_file(db, "could not count the experiment's customers",
                                "compute/experiments_progress.sql",
                                SQL_ARGS({"experiment", x->name}, {"as_of", p->end}), err);
    if (!r)
        return err->status;
    struct arm_stats t = {0}, c = {0};
    arm_counts(r, false, &t, &c);
    char dims_t[200], dims_c[200], dims[160];
    snprintf(dims_t, sizeof(dims_t), "arm=treatment;experiment=%s", x->name);
    snprintf(dims_c, sizeof(dims_c), "arm=control;experiment=%s", x->name);
    snprintf(dims, sizeof(dims), "experiment=%s", x->name);
    put(m, "exp.customers", dims_t, just((double)t.n), t.n);
    put(m, "exp.customers", dims_c, just((double)c.n), c.n);
    model_add(m, "exp.status", dims, true, 0.0, -1, "running");
    return VR_OK;
}

/* One TSV field: \\, tab, newline and carriage return escaped; SQL NULL
 * is the empty field (no field of the call list is an empty string that
 * must differ from NULL). */
static void tsv_field(FILE *f, const char *s, bool last)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\':
            fputs("\\\\", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            fputc(*s, f);
        }
    }
    fputc(last ? '\n' : '\t', f);
}

/* An anonymous temporary file in $TMPDIR (else /tmp), unlinked at once so
 * that nothing is left behind whatever happens to the run. */
static FILE *anonymous_file(struct vr_error *err)
{
    const char *dir = getenv("TMPDIR");
    char *path = xstrfmt("%s/vocreport-calllist-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = NULL;
    if (fd < 0 || unlink(path) || !(f = fdopen(fd, "w+")))
        vr_fail(err, VR_ERR_OUTPUT, "could not create a temporary file \"%s\": %s", path,
                strerror(errno));
    if (!f && fd >= 0)
        close(fd);
    free(path);
    return f;
}

/* Streams the open experiment's treatment call list into m->calllist. */
static enum vr_status call_list(struct db *db, const struct config *c,
                                const struct experiment_config *x, const struct period *p,
                                struct model *m, struct vr_error *err)
{
    if (!m->calllist && !(m->calllist = anonymous_file(err)))
        return err->status;
    char hours[16];
    snprintf(hours, sizeof(hours), "%d", x->response_deadline_hours);
    /* The owner is the config's, as for every department figure. */
    char *codes, *depts;
    ownership_topic_arrays(c, &codes, &depts);
    const char *v[5];
    int nv = 0;
    char *sql = sql_file_bind(db, "compute/experiments_call_list.sql",
                              SQL_ARGS({"experiment", x->name}, {"as_of", p->end},
                                       {"deadline_hours", hours}, {"topics", codes},
                                       {"departments", depts}),
                              v, 5, &nv, err);
    bool bound = sql != NULL;
    int sent = bound && PQsendQueryParams(db->conn, sql, nv, NULL, v, NULL, NULL, 0);
    free(sql);
    free(codes);
    free(depts);
    if (!bound)
        return err->status;
    if (!sent || !PQsetSingleRowMode(db->conn))
        return vr_fail(err, VR_ERR_DB, "could not read the treatment call list: %s",
                       PQerrorMessage(db->conn));
    enum vr_status st = VR_OK;
    long long rows = 0;
    PGresult *r;
    FILE *f = m->calllist;
    const size_t n_cols = sizeof(calllist_cols) / sizeof(calllist_cols[0]);
    while ((r = PQgetResult(db->conn))) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_SINGLE_TUPLE && st == VR_OK) {
            tsv_field(f, x->name, false);
            for (size_t i = 0; i < n_cols; i++)
                tsv_field(f, db_get_text(r, 0, calllist_cols[i]), i == n_cols - 1);
            rows++;
        } else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK && st == VR_OK) {
            st = vr_fail(err, VR_ERR_DB, "could not read the treatment call list: %s",
                         PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    if (st == VR_OK && (fflush(f) || ferror(f)))
        st = vr_fail(err, VR_ERR_OUTPUT, "could not write the treatment call list: %s",
                     strerror(errno));
    if (st == VR_OK) {
        model_add_open_experiment(m, x->name, x->response_deadline_hours, rows);
        log_info("experiment %s: %lld customer(s) on the treatment call list", x->name, rows);
    }
    return st;
}

static enum vr_status one_experiment(struct db *db, const struct config *c,
                                     const struct experiment_config *x,
                                     const struct job_config *job, const struct period *p,
                                     struct model *m, struct exp_assignments *out,
                                     struct vr_error *err)
{
    char enroll[16], months[16];
    snprintf(enroll, sizeof(enroll), "%d", x->enrollment_days);
    snprintf(months, sizeof(months), "%d", x->evaluation_window_months);
    PGresult *r =
        db_query_file(db, "could not place the experiment in time", "compute/experiments_phase.sql",
                      SQL_ARGS({"as_of", p->end}, {"start", x->start}, {"enrollment_days", enroll},
                               {"evaluation_months", months}),
                      err);
    if (!r)
        return err->status;
    bool started = is_true(r, "started"), enrolling = is_true(r, "enrolling");
    bool evaluated = is_true(r, "evaluated");
    char *eval_at = xstrdup(db_get_text(r, 0, "evaluated_at"));
    char eval_day[11], cost_from[11];
    snprintf(eval_day, sizeof(eval_day), "%s", db_get_text(r, 0, "evaluation_day"));
    snprintf(cost_from, sizeof(cost_from), "%s", db_get_text(r, 0, "cost_from"));
    PQclear(r);
    add_exp_params(m, x);
    enum vr_status st = VR_OK;
    if (!started) {
        /* Not started at T (a backfill from before it): no figures. */
    } else if (evaluated) {
        const char *rule = model_param(m, "churn_rule");
        st = evaluate(db, x, p, rule ? rule : "explicit", job->inactive_days, eval_at, m, err);
    } else {
        /* Outside enrollment the pool is empty, but the progress and the
         * call list still union it. */
        st = risk_pool(db, x, p, enrolling, err);
        if (st == VR_OK && enrolling)
            st = pick_new(db, x, p, out, err);
        if (st == VR_OK)
            st = progress(db, x, p, m, err);
        if (st == VR_OK)
            st = call_list(db, c, x, p, m, err);
    }
    free(eval_at);
    if (st == VR_OK)
        model_add_experiment_dates(m, x->name, cost_from, eval_day);
    return st;
}

enum vr_status kpi_experiments(struct db *db, const struct config *c, const struct job_config *job,
                               const struct period *p, struct model *m, struct exp_assignments *out,
                               struct vr_error *err)
{
    for (size_t i = 0; i < c->n_experiments; i++)
        if (one_experiment(db, c, &c->experiments[i], job, p, m, out, err) != VR_OK)
            return err->status;
    return VR_OK;
}

enum vr_status experiments_record(struct db *db, const struct exp_assignments *a,
                                  struct vr_error *err)
{
    for (size_t i = 0; a && i < a->n; i++) {
        const struct exp_batch *b = &a->batches[i];
        if (db_exec_file(db, "could not record the experiment assignments",
                         "results/experiment_assignments.sql",
                         SQL_ARGS({"experiment", b->experiment}, {"assigned_at", b->assigned_at},
                                  {"ids", b->ids}, {"arms", b->arms}),
                         err) != VR_OK)
            return err->status;
    }
    return VR_OK;
}

void experiments_release(struct exp_assignments *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->batches[i].experiment);
        free(a->batches[i].assigned_at);
        free(a->batches[i].ids);
        free(a->batches[i].arms);
    }
    free(a->batches);
    a->batches = NULL;
    a->n = 0;
}
