#include "kpi_topics.h"

#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Negative: sentiment < -0.05, positive: > 0.05 (docs/decisions.md).  The
 * sentiment is compared as the real the contract and feedback_tags store,
 * so a row that shows -0.05 is not negative, whatever its binary form. */
#define NEGATIVE "sentiment < real '-0.05'"
#define POSITIVE "sentiment > real '0.05'"
/* Topics quoted on the Topics sheet: ranks 1 to 5, three quotes each. */
#define TOP_TOPICS 5

/* $1 end, $2 prior start, $3 cohort window months, $4/$5 the taxonomy's
 * aliases and the topic each stands for.  One row per clean feedback row
 * and topic, from the oldest moment any figure looks at: the upstream topic
 * when set (the topic it is an alias of, else the code as written), else
 * the tag's topics (each once); the upstream sentiment when set, else the
 * tag's.  kpi_cohorts and kpi_unread read this table too. */
static const char feedback_sql[] =
    "CREATE TEMP TABLE t_feedback_topics AS"
    " SELECT f.feedback_id, f.customer_id, f.brand, f.received_at, x.topic,"
    "  coalesce(f.sentiment::real, g.sentiment) AS sentiment, f.topic IS NOT NULL AS upstream"
    " FROM c_feedback f LEFT JOIN {res}.feedback_tags g ON g.feedback_id = f.feedback_id"
    " LEFT JOIN unnest($4::text[], $5::text[]) a(alias, code) ON a.alias = f.topic"
    " CROSS JOIN LATERAL (SELECT DISTINCT u.topic FROM unnest(CASE WHEN f.topic IS NOT NULL"
    "   THEN ARRAY[coalesce(a.code, f.topic::text)] ELSE g.topics END) u(topic)"
    "  WHERE u.topic IS NOT NULL) x"
    " WHERE f.received_at < $1::timestamptz"
    "  AND f.received_at >= least((SELECT min(lo) FROM t_periods), $2::timestamptz,"
    "   $1::timestamptz - $3::int * interval '1 month')";

/* $1 taxonomy codes, $2..$5 period and prior bounds: every taxonomy topic
 * and every upstream code seen in either period (any brand). */
static const char topics_sql[] =
    "CREATE TEMP TABLE t_topics AS"
    " SELECT code FROM unnest($1::text[]) code"
    " UNION SELECT topic FROM t_feedback_topics WHERE upstream"
    "  AND ((received_at >= $2::timestamptz AND received_at < $3::timestamptz)"
    "   OR (received_at >= $4::timestamptz AND received_at < $5::timestamptz))";

/* $1..$4 period and prior bounds.  Own brand only, ranked by negatives
 * (most first), ties by code in byte order. */
static const char figures_sql[] =
    "SELECT t.code,"
    "  count(f.topic) FILTER (WHERE f.received_at >= $1::timestamptz"
    "   AND f.received_at < $2::timestamptz),"
    "  count(f.topic) FILTER (WHERE f.received_at >= $1::timestamptz"
    "   AND f.received_at < $2::timestamptz AND f." NEGATIVE ") AS negative,"
    "  count(f.topic) FILTER (WHERE f.received_at >= $3::timestamptz"
    "   AND f.received_at < $4::timestamptz AND f." NEGATIVE "),"
    "  count(f.sentiment) FILTER (WHERE f.received_at >= $1::timestamptz"
    "   AND f.received_at < $2::timestamptz),"
    "  avg(f.sentiment) FILTER (WHERE f.received_at >= $1::timestamptz"
    "   AND f.received_at < $2::timestamptz)"
    " FROM t_topics t LEFT JOIN t_feedback_topics f ON f.topic = t.code AND f.brand IS NULL"
    " GROUP BY t.code ORDER BY negative DESC, t.code COLLATE \"C\"";

/* Each topic's own-brand rows in each period of the history (t_periods,
 * kpi_history.h): mentions, negative ones, those with a sentiment and
 * their mean, for the negative history below and the department KPIs'
 * histories (kpi_depts).  Every topic has a row for every period. */
static const char history_sql[] =
    "CREATE TEMP TABLE t_topic_history AS"
    " WITH f AS ("
    "  SELECT f.topic, p.k, count(*) AS mentions, count(*) FILTER (WHERE f." NEGATIVE ")"
    "   AS negative, count(f.sentiment) AS scored, avg(f.sentiment) AS mean"
    "  FROM t_feedback_topics f JOIN t_periods p ON f.received_at >= p.lo AND f.received_at < p.hi"
    "  WHERE f.brand IS NULL GROUP BY f.topic, p.k)"
    " SELECT t.code AS topic, p.k, to_char(p.lo, 'YYYY-MM-DD') AS first_day,"
    "  coalesce(f.mentions, 0) AS mentions, coalesce(f.negative, 0) AS negative,"
    "  coalesce(f.scored, 0) AS scored, f.mean"
    " FROM t_topics t CROSS JOIN t_periods p LEFT JOIN f ON f.topic = t.code AND f.k = p.k";

/* Negative own-brand rows per topic in each period, oldest first; dims
 * period= is the first local day of the period. */
static const char negative_history_sql[] = "SELECT topic, first_day, negative FROM t_topic_history"
                                           " ORDER BY topic COLLATE \"C\", k DESC";

/* $1 start, $2 end, $3 dimension codes.  Brands: own, and every
 * competitor with a clean feedback row in the period. */
static const char sov_sql[] =
    "WITH b AS (SELECT NULL::text AS brand UNION ALL"
    "  SELECT DISTINCT brand FROM c_feedback WHERE brand IS NOT NULL"
    "  AND received_at >= $1::timestamptz AND received_at < $2::timestamptz),"
    " pos AS (SELECT topic, brand, count(*) AS n FROM t_feedback_topics"
    "  WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz"
    "  AND " POSITIVE " AND topic = ANY ($3::text[]) GROUP BY topic, brand)"
    " SELECT d.code, coalesce(b.brand, 'own'), coalesce(pos.n, 0),"
    "  sum(coalesce(pos.n, 0)) OVER (PARTITION BY d.code)"
    " FROM unnest($3::text[]) d(code) CROSS JOIN b"
    " LEFT JOIN pos ON pos.topic = d.code AND pos.brand IS NOT DISTINCT FROM b.brand"
    " ORDER BY d.code COLLATE \"C\", b.brand COLLATE \"C\" NULLS FIRST";

/* $1 start, $2 end, $3 topic codes: the newest own-brand negative words,
 * three per topic. */
static const char verbatim_sql[] =
    "SELECT topic, channel, to_char(received_at, 'YYYY-MM-DD'), body FROM ("
    "  SELECT f.topic, c.channel, c.received_at, c.body,"
    "   row_number() OVER (PARTITION BY f.topic"
    "    ORDER BY f.received_at DESC, f.feedback_id DESC) AS rn"
    "  FROM t_feedback_topics f JOIN c_feedback c ON c.feedback_id = f.feedback_id"
    "  WHERE f.topic = ANY ($3::text[]) AND f.brand IS NULL AND f." NEGATIVE
    "   AND f.received_at >= $1::timestamptz AND f.received_at < $2::timestamptz) v"
    " WHERE rn <= 3 ORDER BY array_position($3::text[], topic), rn";

static char *codes_array(const struct taxonomy *tx, bool dimensions_only)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; tx && i < tx->n_topics; i++)
        if (!dimensions_only || tx->topics[i].dimension)
            db_array_add(&sb, tx->topics[i].code);
    strbuf_adds(&sb, "}");
    return strbuf_detach(&sb);
}

/* Two text[] literals of the same length: every alias and its topic. */
static void alias_arrays(const struct taxonomy *tx, char **aliases, char **codes)
{
    struct strbuf a, c;
    strbuf_init(&a);
    strbuf_init(&c);
    strbuf_adds(&a, "{");
    strbuf_adds(&c, "{");
    for (size_t i = 0; tx && i < tx->n_topics; i++)
        for (size_t k = 0; k < tx->topics[i].n_aliases; k++) {
            db_array_add(&a, tx->topics[i].aliases[k]);
            db_array_add(&c, tx->topics[i].code);
        }
    strbuf_adds(&a, "}");
    strbuf_adds(&c, "}");
    *aliases = strbuf_detach(&a);
    *codes = strbuf_detach(&c);
}

static void topic_dims(char *out, size_t n, const char *code)
{
    snprintf(out, n, "topic=%s", code);
}

/* +1 worsening (change > +10 %), -1 improving (< -10 %), 0 steady; a NULL
 * change is steady when both counts are 0, else new with no value. */
static void add_trend(struct model *m, const char *dims, long long negative, long long prior,
                      struct maybe change, bool has_prior)
{
    if (!has_prior) {
        model_add(m, "topic.trend", dims, false, 0.0, -1, "no_prior_period");
    } else if (!change.ok) {
        if (negative == 0 && prior == 0)
            model_add(m, "topic.trend", dims, true, 0.0, -1, "steady");
        else
            model_add(m, "topic.trend", dims, false, 0.0, -1, "new");
    } else if (change.v > 0.10) {
        model_add(m, "topic.trend", dims, true, 1.0, -1, "worsening");
    } else if (change.v < -0.10) {
        model_add(m, "topic.trend", dims, true, -1.0, -1, "improving");
    } else {
        model_add(m, "topic.trend", dims, true, 0.0, -1, "steady");
    }
}

static enum vr_status topic_figures(struct db *db, const struct job_config *job,
                                    const struct period *p, const struct taxonomy *tx,
                                    struct model *m, char **top, size_t *n_top,
                                    struct vr_error *err)
{
    const char *params[] = {p->start, p->end, p->prior_start, p->prior_end};
    PGresult *r = db_query(db, "could not count topic mentions", figures_sql, 4, params, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *code = db_text(r, i, 0);
        long long mentions = db_ll(r, i, 1), negative = db_ll(r, i, 2), prior = db_ll(r, i, 3);
        long long scored = db_ll(r, i, 4);
        bool has_mean;
        double mean = db_double(r, i, 5, &has_mean);
        char dims[512];
        topic_dims(dims, sizeof(dims), code);
        struct maybe change = ratio((double)(negative - prior), (double)prior);
        model_add(m, "topic.mentions", dims, true, (double)mentions, mentions, NULL);
        model_add(m, "topic.negative", dims, true, (double)negative, mentions, NULL);
        /* Without a prior period: NULL with a flag, not a count of 0. */
        const char *no_prior = p->has_prior ? NULL : "no_prior_period";
        model_add(m, "topic.negative_prior", dims, p->has_prior, (double)prior, -1, no_prior);
        model_add(m, "topic.negative_change", dims, p->has_prior && change.ok, change.v, -1,
                  no_prior);
        add_trend(m, dims, negative, prior, change, p->has_prior);
        model_add(m, "topic.sentiment_score", dims, has_mean && scored > 0, 50.0 * (1.0 + mean),
                  scored, NULL);
        model_add(m, "topic.rank", dims, true, (double)(i + 1), -1, NULL);
        model_add_label(m, "topic", code, taxonomy_label(tx, job->locale, code));
        if (*n_top < TOP_TOPICS)
            top[(*n_top)++] = xstrdup(code);
    }
    PQclear(r);
    return VR_OK;
}

static enum vr_status topic_history(struct db *db, struct model *m, struct vr_error *err)
{
    if (db_exec(db, "could not count topics per period", history_sql, 0, NULL, err) != VR_OK)
        return err->status;
    PGresult *r = db_query(db, "could not count negative topics per period", negative_history_sql,
                           0, NULL, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        char dims[512];
        snprintf(dims, sizeof(dims), "period=%s;topic=%s", db_text(r, i, 1), db_text(r, i, 0));
        model_add(m, "topic.negative_history", dims, true, (double)db_ll(r, i, 2), -1, NULL);
    }
    PQclear(r);
    return VR_OK;
}

static enum vr_status share_of_voice(struct db *db, const struct period *p,
                                     const struct taxonomy *tx, struct model *m,
                                     struct vr_error *err)
{
    char *dims_codes = codes_array(tx, true);
    const char *params[] = {p->start, p->end, dims_codes};
    PGresult *r = db_query(db, "could not compute share of voice", sov_sql, 3, params, err);
    free(dims_codes);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        long long brand_pos = db_ll(r, i, 2), all_pos = db_ll(r, i, 3);
        struct maybe share = ratio((double)brand_pos, (double)all_pos);
        char dims[512];
        snprintf(dims, sizeof(dims), "brand=%s;dimension=%s", db_text(r, i, 1), db_text(r, i, 0));
        model_add(m, "sov.share", dims, share.ok, share.v, all_pos, NULL);
    }
    PQclear(r);
    return VR_OK;
}

/* Quotes for the top complaints (the Topics sheet) and for every taxonomy
 * topic, which a department may own: its pack quotes its own topics, ranked
 * in the company's top five or not. */
static enum vr_status topic_verbatims(struct db *db, const struct period *p,
                                      const struct taxonomy *tx, char **top, size_t n_top,
                                      struct model *m, struct vr_error *err)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{");
    for (size_t i = 0; i < n_top; i++)
        db_array_add(&sb, top[i]);
    for (size_t i = 0; tx && i < tx->n_topics; i++)
        db_array_add(&sb, tx->topics[i].code);
    strbuf_adds(&sb, "}");
    char *codes = strbuf_detach(&sb);
    const char *params[] = {p->start, p->end, codes};
    PGresult *r = db_query(db, "could not pick topic verbatims", verbatim_sql, 3, params, err);
    free(codes);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        model_add_topic_verbatim(m, db_text(r, i, 0), db_text(r, i, 1), db_text(r, i, 2),
                                 db_text(r, i, 3));
    PQclear(r);
    return VR_OK;
}

enum vr_status kpi_topics(struct db *db, const struct job_config *job, const struct period *p,
                          const struct taxonomy *tx, struct model *m, struct vr_error *err)
{
    char window[16];
    snprintf(window, sizeof(window), "%d", job->cohort_window_months);
    char *codes = codes_array(tx, false);
    char *aliases, *alias_codes;
    alias_arrays(tx, &aliases, &alias_codes);
    const char *fp[] = {p->end, p->prior_start, window, aliases, alias_codes};
    const char *tp[] = {codes, p->start, p->end, p->prior_start, p->prior_end};
    char *top[TOP_TOPICS];
    size_t n_top = 0;
    enum vr_status st = VR_OK;
    if (db_exec(db, "could not resolve feedback topics", feedback_sql, 5, fp, err) != VR_OK ||
        db_script(db, "could not resolve feedback topics", "ANALYZE t_feedback_topics", err) !=
            VR_OK ||
        db_exec(db, "could not list topics", topics_sql, 5, tp, err) != VR_OK ||
        topic_figures(db, job, p, tx, m, top, &n_top, err) != VR_OK ||
        topic_history(db, m, err) != VR_OK || share_of_voice(db, p, tx, m, err) != VR_OK ||
        topic_verbatims(db, p, tx, top, n_top, m, err) != VR_OK ||
        kpi_unread(db, p, codes, m, err) != VR_OK)
        st = err->status;
    for (size_t i = 0; i < n_top; i++)
        free(top[i]);
    free(codes);
    free(aliases);
    free(alias_codes);
    return st;
}
