#include "kpi_experiments.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"
#include "ownership.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The arm of a customer, reproducible anywhere md5 exists: the first 13 hex
 * digits (52 bits) of md5('<experiment>:<customer_id>') as an integer,
 * divided by 2^52 (exact in a double), below treatment_share = treatment.
 * $4 experiment name, $5 treatment_share. */
#define ARM_SQL                                                                                    \
    "CASE WHEN ('x' || substr(md5($4 || ':' || l.customer_id::text), 1, 13))::bit(52)::bigint"     \
    "::float8 / 4503599627370496.0::float8 < $5::float8 THEN 'treatment' ELSE 'control' END"

/* Negative as kpi_topics: the upstream sentiment wins over the tag's, and
 * the real is compared as stored. */
#define NEGATIVE "coalesce(f.sentiment::real, g.sentiment) < real '-0.05'"

/* $1 T, $2 start date, $3 enrollment days, $4 evaluation months: started,
 * enrolling, evaluated, the evaluation moment, its day and the first day of
 * the start month (from which exp_cost_sql counts).  Local calendar (the
 * session time zone is the job's). */
static const char phase_sql[] =
    "SELECT $1::timestamptz >= $2::date::timestamptz,"
    " $1::timestamptz < ($2::date + $3::int)::timestamptz, $1::timestamptz >= e.at, e.at,"
    " to_char(e.at, 'YYYY-MM-DD'), to_char(date_trunc('month', $2::date), 'YYYY-MM-DD')"
    " FROM (SELECT ($2::date + $3::int)::timestamptz + $4::int * interval '1 month' AS at) e";

/* $1 T, $2 risk_lookback_days, $3 nps_max, $4 experiment, $5 share: the
 * risk pool at T not yet assigned.  Population = t_cust (kpi_classes). */
static const char pool_sql[] =
    "CREATE TEMP TABLE t_exp_new AS"
    " WITH l AS ("
    "  SELECT DISTINCT ON (customer_id) customer_id, nps FROM c_survey_responses"
    "  WHERE nps IS NOT NULL AND responded_at >= $1::timestamptz - $2::int * interval '1 day'"
    "   AND responded_at < $1::timestamptz"
    "  ORDER BY customer_id, responded_at DESC, response_id DESC),"
    " neg AS ("
    "  SELECT DISTINCT f.customer_id FROM c_feedback f"
    "  LEFT JOIN {res}.feedback_tags g ON g.feedback_id = f.feedback_id"
    "  WHERE f.brand IS NULL AND f.customer_id IS NOT NULL AND " NEGATIVE
    "   AND f.received_at >= $1::timestamptz - $2::int * interval '1 day'"
    "   AND f.received_at < $1::timestamptz)"
    " SELECT l.customer_id, " ARM_SQL " AS arm"
    " FROM l JOIN t_cust c USING (customer_id) JOIN neg USING (customer_id)"
    " WHERE l.nps <= $3::int AND NOT EXISTS (SELECT 1 FROM {res}.experiment_assignments a"
    "  WHERE a.experiment = $4 AND a.customer_id = l.customer_id)"
    " ORDER BY l.customer_id";

/* $1 experiment, $2 T: assigned customers per arm, this run's new ones
 * included (t_exp_new is empty for a run outside enrollment). */
static const char progress_sql[] = "SELECT arm, count(*) FROM ("
                                   "  SELECT arm FROM {res}.experiment_assignments"
                                   "  WHERE experiment = $1 AND assigned_at <= $2::timestamptz"
                                   "  UNION ALL SELECT arm FROM t_exp_new) a GROUP BY arm";

/* $1 experiment, $2 T, $3 response_deadline_hours, $4 topic codes, $5 their
 * departments (NULL: none): the treatment call list of an open experiment.
 * Treatment customers assigned up to T plus this run's new ones; the latest
 * clean score before T and the latest clean negative own-brand feedback row
 * before T (any age), whose first topic (upstream topic, else the tag's best)
 * names the owning department.  Local times (session time zone). */
static const char calllist_sql[] =
    "WITH a AS ("
    "  SELECT customer_id, assigned_at FROM {res}.experiment_assignments"
    "  WHERE experiment = $1 AND arm = 'treatment' AND assigned_at <= $2::timestamptz"
    "  UNION ALL SELECT customer_id, $2::timestamptz FROM t_exp_new WHERE arm = 'treatment'),"
    " s AS ("
    "  SELECT DISTINCT ON (customer_id) customer_id, nps, responded_at FROM c_survey_responses"
    "  WHERE customer_id IN (SELECT customer_id FROM a) AND nps IS NOT NULL"
    "   AND responded_at < $2::timestamptz"
    "  ORDER BY customer_id, responded_at DESC, response_id DESC),"
    " v AS ("
    "  SELECT DISTINCT ON (f.customer_id) f.customer_id, f.body, f.channel, f.received_at,"
    "   coalesce(f.topic::text, g.topics[1]) AS topic"
    "  FROM c_feedback f LEFT JOIN {res}.feedback_tags g ON g.feedback_id = f.feedback_id"
    "  WHERE f.customer_id IN (SELECT customer_id FROM a) AND f.brand IS NULL AND " NEGATIVE
    "   AND f.received_at < $2::timestamptz"
    "  ORDER BY f.customer_id, f.received_at DESC, f.feedback_id DESC),"
    " d AS (SELECT * FROM unnest($4::text[], $5::text[]) d(topic, department))"
    " SELECT a.customer_id, k.segment, to_char(a.assigned_at, 'YYYY-MM-DD HH24:MI:SS'),"
    "  to_char(a.assigned_at + $3::int * interval '1 hour', 'YYYY-MM-DD HH24:MI:SS'),"
    "  s.nps, to_char(s.responded_at, 'YYYY-MM-DD'), to_char(v.received_at, 'YYYY-MM-DD'),"
    "  v.channel, coalesce(d.department, 'unassigned'), v.body"
    " FROM a LEFT JOIN c_customers k USING (customer_id) LEFT JOIN s USING (customer_id)"
    " LEFT JOIN v USING (customer_id) LEFT JOIN d ON d.topic = v.topic"
    " ORDER BY a.customer_id";

/* $1 experiment, $2 T, $3 evaluation months, $4 churn rule, $5 inactive
 * days.  Each customer's churn at their own assigned_at + window, by the
 * run's rule exactly as kpi_classes applies it at T. */
static const char evaluate_sql[] =
    "WITH a AS ("
    "  SELECT customer_id, arm, assigned_at + $3::int * interval '1 month' AS e"
    "  FROM {res}.experiment_assignments WHERE experiment = $1 AND assigned_at <= $2::timestamptz),"
    " x AS ("
    "  SELECT a.arm, a.e, ch.churned_at, lp.ordered_at AS last_paid FROM a"
    "  LEFT JOIN LATERAL (SELECT max(churned_at) AS churned_at FROM c_churn_events ce"
    "   WHERE ce.customer_id = a.customer_id AND ce.churned_at < a.e) ch ON true"
    "  LEFT JOIN LATERAL (SELECT max(ordered_at) AS ordered_at FROM c_orders o"
    "   WHERE o.customer_id = a.customer_id AND o.status = 'paid' AND o.ordered_at < a.e) lp"
    "   ON true)"
    " SELECT arm, count(*), count(*) FILTER (WHERE CASE WHEN $4 = 'explicit'"
    "   THEN churned_at IS NOT NULL AND (last_paid IS NULL OR last_paid <= churned_at)"
    "   ELSE last_paid < e - $5::int * interval '1 day' END)"
    " FROM x GROUP BY arm";

/* $1 start date, $2 evaluation moment: intervention costs of every month
 * from the start month that begins before the evaluation moment. */
static const char exp_cost_sql[] =
    "SELECT coalesce(sum(amount), 0) FROM src_program_costs"
    " WHERE category = 'intervention' AND month >= date_trunc('month', $1::date)::date"
    "  AND month::timestamptz < $2::timestamptz";

struct arm_stats {
    long long n, churned;
};

static bool is_true(const PGresult *r, int col)
{
    return !PQgetisnull(r, 0, col) && !strcmp(PQgetvalue(r, 0, col), "t");
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

static enum vr_status pick_new(struct db *db, const struct experiment_config *x,
                               const struct period *p, struct exp_assignments *out,
                               struct vr_error *err)
{
    char days[16], nps[16], share[64];
    snprintf(days, sizeof(days), "%d", x->risk_lookback_days);
    snprintf(nps, sizeof(nps), "%d", x->nps_max);
    snprintf(share, sizeof(share), "%.17g", x->treatment_share);
    const char *v[] = {p->end, days, nps, x->name, share};
    if (db_exec(db, "could not find the experiment's risk pool", pool_sql, 5, v, err) != VR_OK)
        return err->status;
    PGresult *r =
        db_query(db, "could not read the experiment's risk pool",
                 "SELECT customer_id, arm FROM t_exp_new ORDER BY customer_id", 0, NULL, err);
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
            db_array_add(&ids, PQgetvalue(r, i, 0));
            db_array_add(&arms, PQgetvalue(r, i, 1));
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

static void arm_counts(PGresult *r, struct arm_stats *t, struct arm_stats *c)
{
    for (int i = 0; i < PQntuples(r); i++) {
        struct arm_stats *s = !strcmp(db_text(r, i, 0), "treatment") ? t : c;
        s->n = db_ll(r, i, 1);
        s->churned = PQnfields(r) > 2 ? db_ll(r, i, 2) : 0;
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
    const char *v[] = {x->name, p->end, months, rule, days};
    PGresult *r = db_query(db, "could not evaluate the experiment", evaluate_sql, 5, v, err);
    if (!r)
        return err->status;
    struct arm_stats t = {0}, c = {0};
    arm_counts(r, &t, &c);

    const char *cv[] = {x->start, eval_at};
    r = db_query(db, "could not read the intervention costs", exp_cost_sql, 2, cv, err);
    if (!r)
        return err->status;
    double cost = db_double(r, 0, 0, NULL);
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
    const char *v[] = {x->name, p->end};
    PGresult *r =
        db_query(db, "could not count the experiment's customers", progress_sql, 2, v, err);
    if (!r)
        return err->status;
    struct arm_stats t = {0}, c = {0};
    arm_counts(r, &t, &c);
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
    const char *v[] = {x->name, p->end, hours, codes, depts};
    char *sql = db_sql(db, calllist_sql);
    int sent = PQsendQueryParams(db->conn, sql, 5, NULL, v, NULL, NULL, 0);
    free(sql);
    free(codes);
    free(depts);
    if (!sent || !PQsetSingleRowMode(db->conn))
        return vr_fail(err, VR_ERR_DB, "could not read the treatment call list: %s",
                       PQerrorMessage(db->conn));
    enum vr_status st = VR_OK;
    long long rows = 0;
    PGresult *r;
    FILE *f = m->calllist;
    while ((r = PQgetResult(db->conn))) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_SINGLE_TUPLE && st == VR_OK) {
            tsv_field(f, x->name, false);
            for (int i = 0; i < PQnfields(r); i++)
                tsv_field(f, db_text(r, 0, i), i == PQnfields(r) - 1);
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
    const char *v[] = {p->end, x->start, enroll, months};
    PGresult *r = db_query(db, "could not place the experiment in time", phase_sql, 4, v, err);
    if (!r)
        return err->status;
    bool started = is_true(r, 0), enrolling = is_true(r, 1), evaluated = is_true(r, 2);
    char *eval_at = xstrdup(PQgetvalue(r, 0, 3));
    char eval_day[11], cost_from[11];
    snprintf(eval_day, sizeof(eval_day), "%s", PQgetvalue(r, 0, 4));
    snprintf(cost_from, sizeof(cost_from), "%s", PQgetvalue(r, 0, 5));
    PQclear(r);
    add_exp_params(m, x);
    enum vr_status st = VR_OK;
    /* Without this table the progress query could not union the new ones. */
    if (db_script(db, "could not prepare the experiment",
                  "DROP TABLE IF EXISTS t_exp_new;"
                  " CREATE TEMP TABLE t_exp_new (customer_id bigint, arm text)",
                  err) != VR_OK) {
        free(eval_at);
        return err->status;
    }
    if (!started) {
        /* Not started at T (a backfill from before it): no figures. */
    } else if (evaluated) {
        const char *rule = model_param(m, "churn_rule");
        st = evaluate(db, x, p, rule ? rule : "explicit", job->inactive_days, eval_at, m, err);
    } else {
        if (enrolling &&
            db_script(db, "could not prepare the experiment", "DROP TABLE t_exp_new", err) == VR_OK)
            st = pick_new(db, x, p, out, err);
        else
            st = err->status;
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
        const char *v[] = {b->experiment, b->assigned_at, b->ids, b->arms};
        if (db_exec(db, "could not record the experiment assignments",
                    "INSERT INTO {res}.experiment_assignments (experiment, customer_id, arm,"
                    " assigned_at) SELECT $1, u.id, u.arm, $2::timestamptz"
                    " FROM unnest($3::bigint[], $4::text[]) u(id, arm)"
                    " ON CONFLICT (experiment, customer_id) DO NOTHING",
                    4, v, err) != VR_OK)
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
