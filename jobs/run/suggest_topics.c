/* vocreport suggest-topics (see suggest_topics.h): the database side and
 * the output of classify/suggest.h. */
#include "suggest_topics.h"

#include "classify/sentiment.h"
#include "classify/suggest.h"
#include "classify/taxonomy.h"
#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "jobs/extract/contract.h"
#include "jobs/extract/quality.h"
#include "jobs/model/model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VOCAB_CAP 200000 /* terms pass 1 keeps: about 15 MB */
#define MAX_TERMS 100    /* distinctive terms grouped into candidates */
#define MAX_KEYWORDS 10  /* per candidate, most frequent first */
#define QUOTES 3
#define QUOTE_CHARS 140
#define MIN_SUPPORT 5       /* unread comments a term needs, at least ... */
#define SUPPORT_SHARE 0.005 /* ... and this share of them */

struct row {
    long long id;
    const char *body;
    size_t len;
    bool unread;
    const char *sentiment; /* upstream, as text; NULL when not set */
    const char *received;  /* local "YYYY-MM-DD HH:MM:SS" */
    const char *channel;
};

struct quote {
    long long id;
    char *received, *channel, *body;
};

struct candidate {
    const struct suggest_candidate *c;
    char *code; /* c1, c2, ... while measuring; the printed code after */
    long long volume, negative;
    struct quote quotes[QUOTES]; /* newest first */
    size_t n_quotes;
};

struct run {
    const struct config *c;
    struct taxonomy *tx, *cand_tx;
    struct sentiment_model *sm;
    struct suggest *s;
    struct db db;
    int pass;
    long long rows, unread;
    struct candidate *cands; /* in the order of cand_tx's topics */
    size_t n_cands;
};

typedef void row_fn(struct run *r, const struct row *row);

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n\f\v", s[i]))
            return false;
    return true;
}

/* Streams the rows once, row by row, calling fn for each comment with text. */
static enum vr_status stream(struct run *r, const char *first_day, row_fn *fn, struct vr_error *err)
{
    const char *params[1];
    int n = 0;
    char *sql = sql_file_bind(&r->db, "run/suggest_feedback.sql",
                              SQL_ARGS({"first_day", first_day}), params, 1, &n, err);
    if (!sql)
        return err->status;
    /* Single-row mode: the feedback is read whole, never held whole. */
    int sent = PQsendQueryParams(r->db.conn, sql, n, NULL, params, NULL, NULL, 0);
    free(sql);
    if (!sent || !PQsetSingleRowMode(r->db.conn))
        return vr_fail(err, VR_ERR_DB, "could not read feedback: %s", PQerrorMessage(r->db.conn));
    PGresult *res;
    while ((res = PQgetResult(r->db.conn))) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE && err->status == VR_OK) {
            struct row row = {.id = db_get_ll(res, 0, "feedback_id"),
                              .body = db_get_text(res, 0, "body"),
                              .len = (size_t)PQgetlength(res, 0, db_col(res, "body")),
                              .sentiment = db_get_text(res, 0, "sentiment"),
                              .received = db_get_text(res, 0, "received"),
                              .channel = db_get_text(res, 0, "channel")};
            if (!blank(row.body, row.len) && utf8_valid(row.body, row.len)) {
                size_t topic;
                row.unread = strcmp(db_get_text(res, 0, "has_topic"), "t") &&
                             taxonomy_match(r->tx, row.body, row.len, &topic, 1) == 0;
                fn(r, &row);
            }
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && err->status == VR_OK) {
            vr_fail(err, VR_ERR_DB, "could not read feedback: %s", PQresultErrorMessage(res));
        }
        PQclear(res);
    }
    return err->status;
}

static void pass_count(struct run *r, const struct row *row)
{
    r->rows++;
    r->unread += row->unread;
    suggest_count(r->s, row->body, row->len, row->unread);
}

static void pass_cooccur(struct run *r, const struct row *row)
{
    if (row->unread)
        suggest_cooccur(r->s, row->body, row->len);
}

/* Negative by the run's rule: the upstream sentiment when it is a number
 * in -1..1, else the model's; compared as the real the reports store. */
static bool negative(const struct run *r, const struct row *row)
{
    double v = NAN;
    if (row->sentiment) {
        char *end;
        v = strtod(row->sentiment, &end);
        if (*end || !(v >= -1 && v <= 1))
            v = NAN;
    }
    if (isnan(v))
        v = sentiment_score(r->sm, row->body, row->len);
    return (float)v < -0.05f;
}

/* One line, white space as single spaces, at most QUOTE_CHARS characters. */
static char *quote_text(const char *s, size_t len)
{
    struct strbuf sb;
    strbuf_init(&sb);
    size_t chars = 0;
    bool space = false;
    for (size_t i = 0; i < len && chars < QUOTE_CHARS;) {
        uint32_t cp;
        size_t adv = utf8_decode(s + i, len - i, &cp);
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') {
            space = sb.len > 0;
        } else {
            if (space)
                strbuf_adds(&sb, " ");
            space = false;
            strbuf_add(&sb, s + i, adv);
            chars++;
        }
        i += adv;
        if (chars == QUOTE_CHARS && i < len)
            strbuf_adds(&sb, "…");
    }
    return strbuf_detach(&sb);
}

static bool newer(const struct row *row, const struct quote *q)
{
    int c = strcmp(row->received, q->received);
    return c > 0 || (c == 0 && row->id > q->id);
}

static void drop_quote(struct candidate *k, size_t i)
{
    free(k->quotes[i].received);
    free(k->quotes[i].channel);
    free(k->quotes[i].body);
    memmove(&k->quotes[i], &k->quotes[i + 1], (k->n_quotes - i - 1) * sizeof(k->quotes[0]));
    k->n_quotes--;
}

/* The newest three different texts: a comment said again (a stock phrase,
 * a copy) is quoted once, at its newest. */
static void keep_quote(struct candidate *k, const struct row *row)
{
    char *body = quote_text(row->body, row->len);
    for (size_t i = 0; i < k->n_quotes; i++) {
        if (strcmp(k->quotes[i].body, body))
            continue;
        if (!newer(row, &k->quotes[i])) {
            free(body);
            return;
        }
        drop_quote(k, i);
        break;
    }
    size_t at = k->n_quotes;
    while (at > 0 && newer(row, &k->quotes[at - 1]))
        at--;
    if (at == QUOTES) {
        free(body);
        return;
    }
    if (k->n_quotes == QUOTES)
        drop_quote(k, QUOTES - 1);
    memmove(&k->quotes[at + 1], &k->quotes[at], (k->n_quotes - at) * sizeof(k->quotes[0]));
    k->quotes[at] = (struct quote){.id = row->id,
                                   .received = xstrfmt("%.10s", row->received),
                                   .channel = xstrdup(row->channel),
                                   .body = body};
    k->n_quotes++;
}

static void pass_measure(struct run *r, const struct row *row)
{
    size_t best;
    if (!row->unread || taxonomy_match(r->cand_tx, row->body, row->len, &best, 1) == 0)
        return;
    struct candidate *k = &r->cands[best];
    k->volume++;
    k->negative += negative(r, row);
    keep_quote(k, row);
}

/* ---- The candidate taxonomy ---------------------------------------------- */

static const struct suggest_term *top_term(const struct run *r, const struct suggest_candidate *c,
                                           bool zh)
{
    for (size_t i = 0; i < c->n_terms; i++) {
        const struct suggest_term *t = suggest_term(r->s, c->terms[i]);
        if (t->zh == zh)
            return t;
    }
    return NULL;
}

static bool code_taken(const struct run *r, struct candidate *const *printed, size_t n,
                       const char *code)
{
    for (size_t i = 0; i < r->tx->n_topics; i++)
        if (!strcmp(r->tx->topics[i].code, code))
            return true;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(printed[i]->code, code))
            return true;
    return false;
}

/* [a-z0-9_]+ from the candidate's first English term, else suggested_N
 * (N: its place in the output); unique among the taxonomy's codes and the
 * codes printed before it. */
static char *make_code(const struct run *r, struct candidate *const *printed, size_t i)
{
    const struct suggest_term *t = top_term(r, printed[i]->c, false);
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = t ? t->text : ""; *p && sb.len < 40; p++) {
        char ch = *p;
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            strbuf_add(&sb, &ch, 1);
        else if (sb.len && sb.buf[sb.len - 1] != '_')
            strbuf_adds(&sb, "_");
    }
    while (sb.len && sb.buf[sb.len - 1] == '_')
        sb.buf[--sb.len] = '\0';
    if (!sb.len)
        strbuf_addf(&sb, "suggested_%zu", i + 1);
    char *base = strbuf_detach(&sb), *code = xstrdup(base);
    for (int n = 2; code_taken(r, printed, i, code); n++) {
        free(code);
        code = xstrfmt("%s_%d", base, n);
    }
    free(base);
    return code;
}

static void keyword_line(struct strbuf *sb, const struct run *r, const struct suggest_candidate *c,
                         bool zh)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_terms && n < MAX_KEYWORDS; i++) {
        const struct suggest_term *t = suggest_term(r->s, c->terms[i]);
        if (t->zh != zh)
            continue;
        strbuf_addf(sb, "%s%s", n ? ", " : zh ? "keywords_zh = " : "keywords_en = ", t->text);
        n++;
    }
    if (n)
        strbuf_adds(sb, "\n");
}

/* The block of one candidate: code, labels (its first terms until someone
 * names it), keywords. */
static void topic_block(struct strbuf *sb, const struct run *r, const struct candidate *k)
{
    const struct suggest_term *en = top_term(r, k->c, false), *zh = top_term(r, k->c, true);
    char *label =
        en ? xstrfmt("%c%s",
                     en->text[0] >= 'a' && en->text[0] <= 'z' ? en->text[0] - 32 : en->text[0],
                     en->text + 1)
           : xstrdup(zh->text);
    strbuf_addf(sb, "[topic.%s]\nlabel_en = %s\nlabel_zh = %s\n", k->code, label,
                zh ? zh->text : label);
    free(label);
    keyword_line(sb, r, k->c, false);
    keyword_line(sb, r, k->c, true);
}

/* Loads the candidates' blocks with the taxonomy loader (through a private
 * temporary file, removed at once), to measure them as the night would. */
static enum vr_status load_candidates(struct run *r, struct vr_error *err)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < r->n_cands; i++) {
        topic_block(&sb, r, &r->cands[i]);
        strbuf_adds(&sb, "\n");
    }
    const char *dir = getenv("TMPDIR");
    char *path = xstrfmt("%s/vocreport-suggest-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    enum vr_status st = VR_OK;
    if (fd < 0) {
        st = vr_fail(err, VR_ERR_OUTPUT, "could not create a temporary file in %s: %s (set TMPDIR)",
                     dir && *dir ? dir : "/tmp", strerror(errno));
    } else {
        bool ok = write(fd, sb.buf, sb.len) == (ssize_t)sb.len;
        int saved = errno;
        if (close(fd) != 0 && ok)
            ok = false, saved = errno;
        if (!ok)
            st = vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": %s", path, strerror(saved));
        else if (taxonomy_load(&r->cand_tx, path, err) != VR_OK)
            st = vr_fail(err, VR_ERR_INTERNAL,
                         "the candidate topics do not load as a taxonomy (a vocreport bug: please "
                         "report it): %s",
                         err->msg);
        unlink(path);
    }
    free(path);
    strbuf_release(&sb);
    return st;
}

/* ---- Output ---------------------------------------------------------------- */

static int by_volume(const void *a, const void *b)
{
    const struct candidate *p = *(const struct candidate *const *)a,
                           *q = *(const struct candidate *const *)b;
    if (p->volume != q->volume)
        return p->volume > q->volume ? -1 : 1;
    return p->c->weight != q->c->weight ? (p->c->weight > q->c->weight ? -1 : 1)
                                        : (p->c > q->c) - (p->c < q->c);
}

static void print(struct run *r, const char *first, const char *today, const char *tz, int limit,
                  FILE *out)
{
    fprintf(out,
            "; vocreport suggest-topics: own-brand feedback received from %s to %s (%s)\n"
            "; %lld comments with text; %lld (%.1f %%) match no topic of %s\n",
            first, today, tz, r->rows, r->unread,
            r->rows ? 100.0 * (double)r->unread / (double)r->rows : 0.0, r->c->taxonomy);
    struct candidate **order = xcalloc(r->n_cands + 1, sizeof(*order));
    size_t n = 0;
    for (size_t i = 0; i < r->n_cands; i++)
        if (r->cands[i].volume > 0)
            order[n++] = &r->cands[i];
    qsort(order, n, sizeof(*order), by_volume);
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        char *code = make_code(r, order, i);
        free(order[i]->code);
        order[i]->code = code;
    }
    if (!r->unread)
        fprintf(out, "; every comment matches a topic: nothing to suggest\n");
    else if (!n)
        fprintf(out, "; no word or phrase stands out in them: nothing to suggest (the same words "
                     "occur as often in comments that match a topic, or too rarely)\n");
    else
        fprintf(out,
                "; %zu candidate topic%s for them below, the largest first%s. Each block loads as "
                "it is:\n"
                "; paste it into the taxonomy, rename the code, name it in both languages, drop "
                "keywords\n"
                "; that do not fit, and try it first with vocreport classify --taxonomy FILE.\n",
                n < (size_t)limit ? n : (size_t)limit,
                (n < (size_t)limit ? n : (size_t)limit) == 1 ? "" : "s",
                n > (size_t)limit ? " (more with --limit)" : "");
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        const struct candidate *k = order[i];
        fprintf(out, "\n; %zu. ", i + 1);
        for (size_t t = 0; t < k->c->n_terms && t < 4; t++)
            fprintf(out, "%s%s", t ? ", " : "", suggest_term(r->s, k->c->terms[t])->text);
        fprintf(out, ": %lld unread comments (%.1f %% of them), %.0f %% negative\n", k->volume,
                100.0 * (double)k->volume / (double)r->unread,
                100.0 * (double)k->negative / (double)k->volume);
        for (size_t q = 0; q < k->n_quotes; q++)
            fprintf(out, ";    %s %s: %s\n", k->quotes[q].received,
                    *k->quotes[q].channel ? k->quotes[q].channel : "-", k->quotes[q].body);
        strbuf_reset(&sb);
        topic_block(&sb, r, k);
        fputs(sb.buf, out);
    }
    strbuf_release(&sb);
    free(order);
}

static void run_release(struct run *r)
{
    for (size_t i = 0; i < r->n_cands; i++) {
        free(r->cands[i].code);
        for (size_t q = 0; q < r->cands[i].n_quotes; q++) {
            free(r->cands[i].quotes[q].received);
            free(r->cands[i].quotes[q].channel);
            free(r->cands[i].quotes[q].body);
        }
    }
    free(r->cands);
    suggest_free(r->s);
    taxonomy_free(r->tx);
    taxonomy_free(r->cand_tx);
    sentiment_free(r->sm);
    db_close(&r->db);
}

enum vr_status suggest_topics(const struct config *c, const char *since, int limit, FILE *out,
                              struct vr_error *err)
{
    struct run r = {.c = c};
    struct model scratch;
    model_init(&scratch);
    struct source_shape shape = {0};
    const struct job_config *job = &c->jobs[0]; /* a config has at least one */
    const char *tz = job->time_zone;
    char first[16] = "", today[16] = "";
    if (taxonomy_load(&r.tx, c->taxonomy, err) != VR_OK ||
        sentiment_load(&r.sm, c->sentiment_model, err) != VR_OK ||
        db_connect(&r.db, c->conninfo, tz, c->source_schema, c->results_schema, err) != VR_OK ||
        db_script(&r.db, "could not open a snapshot of the source",
                  "BEGIN ISOLATION LEVEL REPEATABLE READ", err) != VR_OK ||
        contract_check(&r.db, c, job, &shape, &scratch, err) != VR_OK)
        goto done;
    if (!shape.present[contract_table_index("feedback")]) {
        fprintf(out, "; the source has no feedback view: nothing to suggest from\n");
        goto done;
    }
    PGresult *w = db_query_file(&r.db, "could not resolve --since", "run/suggest_window.sql",
                                SQL_ARGS({"since", since}), err);
    if (!w)
        goto done;
    snprintf(first, sizeof(first), "%s", db_get_text(w, 0, "first_day"));
    snprintf(today, sizeof(today), "%s", db_get_text(w, 0, "today"));
    PQclear(w);
    /* Which feedback has words: the data checks' rule (pg_temp.vr_has_words). */
    if (contract_open_views(&r.db, &shape, err) != VR_OK ||
        db_script_file(&r.db, "could not define which feedback has words",
                       quality_body_rule_file(&r.db), SQL_NO_ARGS, err) != VR_OK)
        goto done;

    r.s = suggest_new(VOCAB_CAP);
    if (stream(&r, first, pass_count, err) != VR_OK)
        goto done;
    uint32_t support = (uint32_t)ceil(SUPPORT_SHARE * (double)r.unread);
    suggest_select(r.s, MAX_TERMS, support > MIN_SUPPORT ? support : MIN_SUPPORT);
    if (stream(&r, first, pass_cooccur, err) != VR_OK)
        goto done;
    r.n_cands = suggest_group(r.s);
    r.cands = xcalloc(r.n_cands + 1, sizeof(*r.cands));
    for (size_t i = 0; i < r.n_cands; i++) {
        r.cands[i].c = suggest_candidate(r.s, i);
        r.cands[i].code = xstrfmt("c%zu", i + 1);
    }
    if (r.n_cands &&
        (load_candidates(&r, err) != VR_OK || stream(&r, first, pass_measure, err) != VR_OK))
        goto done;
    print(&r, first, today, tz, limit, out);
done:
    if (r.db.conn)
        db_script(&r.db, "could not close the snapshot", "ROLLBACK", &(struct vr_error){0});
    source_shape_release(&shape);
    model_release(&scratch);
    run_release(&r);
    return err->status;
}
