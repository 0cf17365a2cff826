/* The data contract and its check; the contract is in contract.h. */
#include "contract.h"

#include "jobs/base/log.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a churn figure needs is the view of the run's churn rule. */
#define CHURN_FIGURES                                                                              \
    "churn_rate class.churn_rate class.ltv class.ltv_ratio shift.ltv_gain ltv_all"                 \
    " cohort.a_churn_rate cohort.b_churn_rate cohort.churn_gap cohort.p_value"                     \
    " cohort.lost_customers cohort.revenue_at_risk exp.churn_rate exp.churn_diff exp.ci_low"       \
    " exp.ci_high exp.p_value exp.retained_customers exp.value exp.roi roi.benefit roi.value"      \
    " exp.roi_low exp.roi_high roi.value_low roi.value_high gap.satisfied_churned"                 \
    " churn_rate_change"

/* Exposure to a topic is a negative feedback row or a mapped event: a
 * cohort needs either. */
#define COHORT_EXPOSURE                                                                            \
    "cohort.a_customers? cohort.a_churn_rate? cohort.b_customers? cohort.b_churn_rate?"            \
    " cohort.churn_gap? cohort.p_value? cohort.lost_customers? cohort.revenue_at_risk?"

const struct source_table contract_tables[CONTRACT_TABLES] = {
    {.name = "customers",
     .required = true,
     .cols = {{"customer_id", COL_ID, "bigint"},
              {"segment", COL_TEXT, "text"},
              {"region", COL_TEXT, "text"},
              {"acquired_at", COL_DATE, "date"}},
     .judged_sql = "extract/customers.sql",
     .pk = "customer_id",
     .ts = "acquired_at"},
    {.name = "orders",
     .cols = {{"order_id", COL_ID, "bigint"},
              {"customer_id", COL_ID, "bigint"},
              {"ordered_at", COL_TIME, "timestamptz"},
              {"amount", COL_NUMBER, "numeric(14,2)"},
              {"cost", COL_NUMBER, "numeric(14,2)"},
              {"status", COL_TEXT, "text"}},
     .judged_sql = "extract/orders.sql",
     .orphan_rule = true,
     .pk = "order_id",
     .ts = "ordered_at",
     .feeds = "class.revenue class.arpu class.repeat_rate class.arpu_ratio class.ltv"
              " class.ltv_ratio shift.* arpu_all ltv_all gross_margin recon.* cohort.b_customers"
              " cohort.b_churn_rate cohort.churn_gap cohort.p_value cohort.lost_customers"
              " cohort.revenue_at_risk exp.value exp.roi exp.roi_low exp.roi_high roi.benefit"
              " roi.value roi.value_low roi.value_high",
     .churn_rule = "inactivity"},
    {.name = "churn_events",
     .cols = {{"customer_id", COL_ID, "bigint"}, {"churned_at", COL_TIME, "timestamptz"}},
     .judged_sql = "extract/churn_events.sql",
     .orphan_rule = true,
     .ts = "churned_at",
     .feeds = "",
     .churn_rule = "explicit"},
    {.name = "survey_responses",
     .required = true,
     .cols = {{"response_id", COL_ID, "bigint"},
              {"customer_id", COL_ID, "bigint"},
              {"responded_at", COL_TIME, "timestamptz"},
              {"touchpoint", COL_TEXT, "text"},
              {"channel", COL_TEXT, "text"},
              {"nps", COL_NUMBER, "smallint"},
              {"csat", COL_NUMBER, "smallint"},
              {"ces", COL_NUMBER, "smallint"}},
     .judged_sql = "extract/survey_responses.sql",
     .orphan_rule = true,
     .pk = "response_id",
     .ts = "responded_at"},
    {.name = "feedback",
     .cols = {{"feedback_id", COL_ID, "bigint"},
              {"customer_id", COL_ID, "bigint"},
              {"response_id", COL_ID, "bigint"},
              {"received_at", COL_TIME, "timestamptz"},
              {"channel", COL_TEXT, "text"},
              {"brand", COL_TEXT, "text"},
              {"body", COL_TEXT, "text"},
              {"topic", COL_TEXT, "text"},
              {"sentiment", COL_NUMBER, "real"}},
     .judged_sql = "extract/feedback.sql",
     .orphan_rule = true,
     .pk = "feedback_id",
     .ts = "received_at",
     .feeds = "topic.* sov.* journey.negative_share " COHORT_EXPOSURE},
    {.name = "customer_events",
     .cols = {{"customer_id", COL_ID, "bigint"},
              {"occurred_at", COL_TIME, "timestamptz"},
              {"event", COL_TEXT, "text"}},
     .judged_sql = "extract/customer_events.sql",
     .orphan_rule = true,
     .ts = "occurred_at",
     .feeds = COHORT_EXPOSURE},
    {.name = "cases",
     .cols = {{"case_id", COL_ID, "bigint"},
              {"customer_id", COL_ID, "bigint"},
              {"feedback_id", COL_ID, "bigint"},
              {"department", COL_TEXT, "text"},
              {"priority", COL_TEXT, "text"},
              {"opened_at", COL_TIME, "timestamptz"},
              {"first_response_at", COL_TIME, "timestamptz"},
              {"closed_at", COL_TIME, "timestamptz"},
              {"root_cause", COL_TEXT, "text"}},
     .judged_sql = "extract/cases.sql",
     .orphan_rule = true,
     .pk = "case_id",
     .ts = "opened_at",
     .feeds = "sla.*"},
    {.name = "program_costs",
     .cols = {{"month", COL_DATE, "date"},
              {"category", COL_TEXT, "text"},
              {"amount", COL_NUMBER, "numeric(14,2)"}},
     .feeds = "roi.cost roi.value roi.value_low roi.value_high exp.cost exp.roi exp.roi_low"
              " exp.roi_high"},
    {.name = "business_metrics",
     .cols = {{"month", COL_DATE, "date"},
              {"metric", COL_TEXT, "text"},
              {"value", COL_NUMBER, "double precision"}},
     .feeds = "corr.metric_month corr.r corr.slope corr.n corr.best_lag"},
};

int contract_table_index(const char *name)
{
    for (int i = 0; i < CONTRACT_TABLES; i++)
        if (!strcmp(contract_tables[i].name, name))
            return i;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Which figures a gap touches                                         */

/* Does one feeds token ("topic.*", "recon.difference", "cohort.p_value?")
 * name this code?  *alternative: the token ends with '?'. */
static bool token_matches(const char *tok, size_t len, const char *code, bool *alternative)
{
    *alternative = len && tok[len - 1] == '?';
    if (*alternative)
        len--;
    if (len && tok[len - 1] == '*')
        return !strncmp(code, tok, len - 1);
    return strlen(code) == len && !strncmp(code, tok, len);
}

static bool list_matches(const char *list, const char *code, bool *alternative)
{
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (len && token_matches(p, len, code, alternative))
            return true;
        p += len;
    }
    return false;
}

static void add_flag(char *flag, size_t n, const char *word)
{
    size_t used = strlen(flag);
    if (strstr(flag, word))
        return;
    snprintf(flag + used, n - used, "%s%s", used ? "," : "", word);
}

bool contract_figure_gap(const struct model *m, const char *code, char *flag, size_t n)
{
    flag[0] = '\0';
    if (!m->n_gaps)
        return false; /* every view read: the common case, and cheap */
    const char *margin = model_param(m, "gross_margin_source");
    if (!strcmp(code, "gross_margin") && margin && !strcmp(margin, "config"))
        return false; /* the config's value, not a measurement */
    const char *rule = model_param(m, "churn_rule");
    char alternatives[128] = "";
    bool any_alternative = false, alternative_ok = false;
    for (int i = 0; i < CONTRACT_TABLES; i++) {
        const struct source_table *t = &contract_tables[i];
        bool alt = false;
        bool churn = t->churn_rule && rule && !strcmp(t->churn_rule, rule);
        if (!list_matches(t->feeds, code, &alt) &&
            !(churn && list_matches(CHURN_FIGURES, code, &alt)))
            continue;
        const char *gap = model_source_gap(m, t->name);
        if (alt) {
            any_alternative = true;
            alternative_ok = alternative_ok || !gap;
            if (gap)
                add_flag(alternatives, sizeof(alternatives), gap);
        } else if (gap) {
            add_flag(flag, n, gap);
        }
    }
    if (any_alternative && !alternative_ok && *alternatives)
        add_flag(flag, n, alternatives);
    return flag[0] != '\0';
}

/* ------------------------------------------------------------------ */
/* The check                                                           */

static bool one_of(const char *type, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(type, list[i]))
            return true;
    return false;
}

static const char *const integer_types[] = {"int2", "int4", "int8", NULL};
static const char *const number_types[] = {"int2",   "int4",   "int8", "numeric",
                                           "float4", "float8", NULL};
static const char *const text_types[] = {"text", "varchar", "bpchar", NULL};
static const char *const local_time_types[] = {"timestamp", "date", NULL};

static bool accepted(enum col_kind kind, const char *base)
{
    switch (kind) {
    case COL_ID:
        return one_of(base, integer_types);
    case COL_NUMBER:
        return one_of(base, number_types);
    case COL_TEXT:
        return one_of(base, text_types);
    case COL_TIME:
        return !strcmp(base, "timestamptz");
    case COL_DATE:
        return !strcmp(base, "date");
    }
    return false;
}

static const char *wider(enum col_kind kind)
{
    switch (kind) {
    case COL_ID:
        return " (or integer, smallint)";
    case COL_NUMBER:
        return " (or another number type)";
    case COL_TEXT:
        return " (or varchar, char)";
    case COL_TIME:
    case COL_DATE:
        return "";
    }
    return "";
}

/* One column the contract names, as the catalog has it. */
struct found_column {
    const char *name, *type, *base, *base_name;
    bool domain;
};

static void describe(struct strbuf *sb, const struct found_column *f)
{
    strbuf_adds(sb, f->type);
    if (f->domain)
        strbuf_addf(sb, " (a domain over %s)", f->base_name);
}

/* Every problem found, in contract order: one sentence each. */
struct problems {
    char **items;
    size_t n;
};

static void add_problem(struct problems *ps, char *sentence)
{
    ps->items = xrealloc(ps->items, (ps->n + 1) * sizeof(*ps->items));
    ps->items[ps->n++] = sentence;
}

static void problems_release(struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->items[i]);
    free(ps->items);
}

/* Adds the problem of one column, if any; true when the column is read in
 * the source time zone. */
static bool check_column(const struct source_table *t, const struct contract_column *cc,
                         const struct found_column *f, const char *source_tz, const char *job_tz,
                         struct problems *ps)
{
    struct strbuf p;
    strbuf_init(&p);
    bool local = false;
    if (!f) {
        strbuf_addf(&p,
                    "%s has no column %s: add it to the view (NULL::%s AS %s when there is none)",
                    t->name, cc->name, cc->type, cc->name);
    } else if (accepted(cc->kind, f->base)) {
        /* fine */
    } else if (cc->kind == COL_TIME && one_of(f->base, local_time_types) && *source_tz) {
        local = true;
    } else if (cc->kind == COL_TIME && one_of(f->base, local_time_types)) {
        strbuf_addf(&p, "%s.%s is ", t->name, cc->name);
        describe(&p, f);
        strbuf_addf(&p,
                    ", but times must be timestamptz: write %s AT TIME ZONE '%s' in the view (the "
                    "zone the times were written in), or state that zone as [database] "
                    "source_time_zone",
                    cc->name, job_tz);
    } else {
        strbuf_addf(&p, "%s.%s is ", t->name, cc->name);
        describe(&p, f);
        strbuf_addf(&p, ", expected %s%s: cast it in the view (%s::%s)", cc->type, wider(cc->kind),
                    cc->name, cc->type);
    }
    if (p.len)
        add_problem(ps, strbuf_detach(&p));
    strbuf_release(&p);
    return local;
}

/* The select list of src_<view>: every column of the view in its own
 * order (the row's text form ranks duplicates), times without a zone read
 * in the source time zone. */
static void add_select(struct strbuf *sel, struct db *db, const char *column, bool local)
{
    char *q = xnonnull(db_quote_ident(db, column));
    if (local)
        strbuf_addf(sel,
                    "%s(s.%s::timestamp AT TIME ZONE current_setting('vocreport.source_time_zone'))"
                    " AS %s",
                    sel->len ? ", " : "", q, q);
    else
        strbuf_addf(sel, "%ss.%s", sel->len ? ", " : "", q);
    free(q);
}

static const struct contract_column *contract_column(const struct source_table *t, const char *name)
{
    for (const struct contract_column *cc = t->cols; name && cc->name; cc++)
        if (!strcmp(cc->name, name))
            return cc;
    return NULL;
}

/* Checks one view that exists: rows [from, to) of the catalog result. */
static bool check_table(struct db *db, int ti, PGresult *r, int from, int to, const char *source_tz,
                        const char *job_tz, struct source_shape *shape, struct problems *ps)
{
    const struct source_table *t = &contract_tables[ti];
    struct strbuf sel;
    strbuf_init(&sel);
    bool any_local = false;
    for (int row = from; row < to; row++) {
        const char *name = db_get_text(r, row, "column_name");
        if (!name)
            continue;
        const struct contract_column *cc = contract_column(t, name);
        bool local = false;
        if (cc) {
            struct found_column f = {
                name, db_get_text(r, row, "column_type"), db_get_text(r, row, "base_name"),
                db_get_text(r, row, "base_type"), !strcmp(db_get_text(r, row, "is_domain"), "t")};
            local = check_column(t, cc, &f, source_tz, job_tz, ps);
        }
        any_local = any_local || local;
        add_select(&sel, db, name, local);
    }
    for (const struct contract_column *cc = t->cols; cc->name; cc++) {
        bool found = false;
        for (int row = from; row < to && !found; row++)
            found = db_get_text(r, row, "column_name") &&
                    !strcmp(db_get_text(r, row, "column_name"), cc->name);
        if (!found)
            check_column(t, cc, NULL, source_tz, job_tz, ps);
    }
    shape->present[ti] = true;
    shape->select[ti] = strbuf_detach(&sel);
    return any_local;
}

/* The whole list when it fits the error, else as many problems as fit and
 * the rest in the log. */
static enum vr_status contract_fail(const char *schema, const struct problems *ps,
                                    struct vr_error *err)
{
    struct strbuf msg;
    strbuf_init(&msg);
    strbuf_addf(&msg,
                "the source views in schema \"%s\" do not follow the data contract "
                "(docs/your-data.md), %zu problem%s: ",
                schema, ps->n, ps->n == 1 ? "" : "s");
    /* Room for the last words: "; and N more (each is logged above)". */
    size_t room = sizeof(err->msg) - 64;
    size_t shown = 0;
    for (; shown < ps->n && msg.len + strlen(ps->items[shown]) + 2 < room; shown++)
        strbuf_addf(&msg, "%s%s", shown ? "; " : "", ps->items[shown]);
    if (shown < ps->n) {
        for (size_t i = 0; i < ps->n; i++)
            log_error("data contract: %s", ps->items[i]);
        strbuf_addf(&msg, "; and %zu more (each is logged above)", ps->n - shown);
    }
    vr_fail(err, VR_ERR_DATA, "%s", msg.buf);
    strbuf_release(&msg);
    return err->status;
}

enum vr_status contract_check(struct db *db, const struct config *c, const struct job_config *job,
                              struct source_shape *shape, struct model *m, struct vr_error *err)
{
    memset(shape, 0, sizeof(*shape));
    const char *source_tz = c->source_time_zone ? c->source_time_zone : "";
    PGresult *r =
        db_query_file(db, "could not read the source schema from the catalog",
                      "extract/source_schema.sql", SQL_ARGS({"schema", c->source_schema}), err);
    if (!r)
        return err->status;
    bool schema = !strcmp(db_get_text(r, 0, "schema_exists"), "t");
    PQclear(r);
    if (!schema)
        return vr_fail(err, VR_ERR_DATA,
                       "the source schema \"%s\" does not exist: create it with the views of the "
                       "data contract (docs/your-data.md), or name the right one as [database] "
                       "source_schema in %s",
                       c->source_schema, c->path);

    struct strbuf names;
    strbuf_init(&names);
    strbuf_adds(&names, "{");
    for (int i = 0; i < CONTRACT_TABLES; i++)
        db_array_add(&names, contract_tables[i].name);
    strbuf_adds(&names, "}");
    r = db_query_file(db, "could not read the source views from the catalog",
                      "extract/source_columns.sql",
                      SQL_ARGS({"schema", c->source_schema}, {"views", names.buf}), err);
    strbuf_release(&names);
    if (!r)
        return err->status;

    struct problems ps = {0};
    bool any_local = false;
    int rows = PQntuples(r);
    for (int ti = 0; ti < CONTRACT_TABLES; ti++) {
        const struct source_table *t = &contract_tables[ti];
        int from = 0;
        while (from < rows && strcmp(db_get_text(r, from, "view_name"), t->name))
            from++;
        int to = from;
        while (to < rows && !strcmp(db_get_text(r, to, "view_name"), t->name))
            to++;
        if (from < to) {
            any_local |= check_table(db, ti, r, from, to, source_tz, job->time_zone, shape, &ps);
        } else if (t->required) {
            add_problem(&ps, xstrfmt("required view %s is missing", t->name));
        } else {
            char flag[64];
            snprintf(flag, sizeof(flag), "no_%s", t->name);
            model_add_source_gap(m, t->name, flag);
        }
    }
    PQclear(r);
    enum vr_status st = VR_OK;
    if (ps.n) {
        st = contract_fail(c->source_schema, &ps, err);
    } else {
        m->figure_gap = contract_figure_gap;
        if (any_local) {
            shape->source_time_zone = xstrdup(source_tz);
            model_add_param(m, "source_time_zone", source_tz);
        }
        for (int ti = 0; ti < CONTRACT_TABLES; ti++)
            if (!shape->present[ti])
                log_info("source view %s is absent: the figures that need it are NULL (flag "
                         "no_%s)",
                         contract_tables[ti].name, contract_tables[ti].name);
    }
    problems_release(&ps);
    return st;
}

/* ------------------------------------------------------------------ */
/* The views the job reads                                             */

enum vr_status contract_open_views(struct db *db, const struct source_shape *shape,
                                   struct vr_error *err)
{
    if (shape->source_time_zone &&
        db_exec_file(db, "could not set the source time zone", "extract/source_time_zone.sql",
                     SQL_ARGS({"zone", shape->source_time_zone}), err) != VR_OK)
        return err->status;
    /* The one SQL built in C here: the select list of src_<view> is the
     * view's own columns as the catalogue lists them (contract_check: the
     * row's text form ranks duplicates, so no column may be left out), and
     * an absent view's substitute is the contract's column list; every name
     * is quoted with PQescapeIdentifier (add_select), none is a value. */
    for (int ti = 0; ti < CONTRACT_TABLES; ti++) {
        const struct source_table *t = &contract_tables[ti];
        struct strbuf sql;
        strbuf_init(&sql);
        strbuf_addf(&sql, "CREATE TEMP VIEW src_%s AS SELECT ", t->name);
        if (shape->present[ti]) {
            strbuf_addf(&sql, "%s FROM {src}.%s s", shape->select[ti], t->name);
        } else {
            for (const struct contract_column *cc = t->cols; cc->name; cc++)
                strbuf_addf(&sql, "%sNULL::%s AS %s", cc == t->cols ? "" : ", ", cc->type,
                            cc->name);
            strbuf_adds(&sql, " WHERE false");
        }
        char what[96];
        snprintf(what, sizeof(what), "could not read source view %s", t->name);
        enum vr_status st = db_script(db, what, sql.buf, err);
        strbuf_release(&sql);
        if (st != VR_OK)
            return st;
    }
    return VR_OK;
}

void source_shape_release(struct source_shape *shape)
{
    if (!shape)
        return;
    for (int i = 0; i < CONTRACT_TABLES; i++)
        free(shape->select[i]);
    free(shape->source_time_zone);
    memset(shape, 0, sizeof(*shape));
}
