/* Topic figures (metrics.md "Topics and sentiment"): the SQL is
 * sql/compute/topics_*.sql.  The taxonomy's lists (codes, aliases, the
 * topics to quote) go to the files as text[] values, never into the SQL
 * text, and no identifier comes from the taxonomy or the config. */
#include "kpi_topics.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Topics quoted on the Topics sheet: ranks 1 to 5, three quotes each. */
#define TOP_TOPICS 5

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
    PGresult *r =
        db_query_file(db, "could not count topic mentions", "compute/topics_figures.sql",
                      SQL_ARGS({"period_start", p->start}, {"period_end", p->end},
                               {"prior_start", p->prior_start}, {"prior_end", p->prior_end}),
                      err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *code = db_get_text(r, i, "code");
        long long mentions = db_get_ll(r, i, "mentions"), negative = db_get_ll(r, i, "negative");
        long long prior = db_get_ll(r, i, "negative_prior"), scored = db_get_ll(r, i, "scored");
        bool has_mean;
        double mean = db_get_double(r, i, "mean", &has_mean);
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
    if (db_exec_file(db, "could not count topics per period", "compute/topics_history.sql",
                     SQL_NO_ARGS, err) != VR_OK)
        return err->status;
    PGresult *r = db_query_file(db, "could not count negative topics per period",
                                "compute/topics_negative_history.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        char dims[512];
        snprintf(dims, sizeof(dims), "period=%s;topic=%s", db_get_text(r, i, "first_day"),
                 db_get_text(r, i, "topic"));
        model_add(m, "topic.negative_history", dims, true, (double)db_get_ll(r, i, "negative"), -1,
                  NULL);
    }
    PQclear(r);
    return VR_OK;
}

static enum vr_status share_of_voice(struct db *db, const struct period *p,
                                     const struct taxonomy *tx, struct model *m,
                                     struct vr_error *err)
{
    char *dims_codes = codes_array(tx, true);
    PGresult *r = db_query_file(
        db, "could not compute share of voice", "compute/topics_share_of_voice.sql",
        SQL_ARGS({"period_start", p->start}, {"period_end", p->end}, {"dimensions", dims_codes}),
        err);
    free(dims_codes);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        long long brand_pos = db_get_ll(r, i, "positive");
        long long all_pos = db_get_ll(r, i, "all_positive");
        struct maybe share = ratio((double)brand_pos, (double)all_pos);
        char dims[512];
        snprintf(dims, sizeof(dims), "brand=%s;dimension=%s", db_get_text(r, i, "brand"),
                 db_get_text(r, i, "dimension"));
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
    PGresult *r = db_query_file(
        db, "could not pick topic verbatims", "compute/topics_verbatims.sql",
        SQL_ARGS({"period_start", p->start}, {"period_end", p->end}, {"topics", codes}), err);
    free(codes);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++)
        model_add_topic_verbatim(m, db_get_text(r, i, "topic"), db_get_text(r, i, "channel"),
                                 db_get_text(r, i, "day"), db_get_text(r, i, "body"));
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
    char *top[TOP_TOPICS];
    size_t n_top = 0;
    enum vr_status st = VR_OK;
    char *history_start = NULL;
    PGresult *h = db_query_file(db, "could not read the history's start",
                                "compute/history_start.sql", SQL_NO_ARGS, err);
    if (h) {
        history_start = xstrdup(db_get_text(h, 0, "history_start"));
        PQclear(h);
    }
    if (!history_start ||
        db_exec_file(db, "could not resolve feedback topics", "compute/topics_feedback.sql",
                     SQL_ARGS({"period_end", p->end}, {"prior_start", p->prior_start},
                              {"history_start", history_start}, {"cohort_months", window},
                              {"aliases", aliases}, {"alias_topics", alias_codes}),
                     err) != VR_OK ||
        db_script_file(db, "could not resolve feedback topics",
                       "compute/topics_feedback_analyze.sql", SQL_NO_ARGS, err) != VR_OK ||
        db_exec_file(db, "could not list topics", "compute/topics_list.sql",
                     SQL_ARGS({"topics", codes}, {"period_start", p->start}, {"period_end", p->end},
                              {"prior_start", p->prior_start}, {"prior_end", p->prior_end}),
                     err) != VR_OK ||
        topic_figures(db, job, p, tx, m, top, &n_top, err) != VR_OK ||
        topic_history(db, m, err) != VR_OK || share_of_voice(db, p, tx, m, err) != VR_OK ||
        topic_verbatims(db, p, tx, top, n_top, m, err) != VR_OK ||
        kpi_unread(db, p, codes, m, err) != VR_OK)
        st = err->status;
    for (size_t i = 0; i < n_top; i++)
        free(top[i]);
    free(history_start);
    free(codes);
    free(aliases);
    free(alias_codes);
    return st;
}
