/* Training a sentiment model (vocreport train-sentiment; the shipped model
 * is trained by the same code, see models/README.md): reading labelled CSV,
 * weighting the rows, fitting a logistic regression by AdaGrad on
 * NB-weighted hashed features (other losses, averaged epochs and NBSVM's
 * interpolation are options, off: docs/benchmark.md, issue 11's eleventh
 * round; so is an exact fit, sentiment_exact.h, the twelfth), choosing the
 * neutral band, writing the file (layout in sentiment_model.h). */
#include "sentiment.h"
#include "sentiment_exact.h"
#include "sentiment_features.h"
#include "sentiment_model.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef SENTIMENT_TUNING
#include <time.h>
#endif

/* ---- training input: RFC 4180 CSV --------------------------------------- */

struct csv {
    FILE *f;
    const char *path;
    unsigned long line; /* physical line of the next byte, from 1 */
    size_t pos, len;
    struct strbuf data; /* fields of the current record, each NUL-terminated */
    size_t *start;
    size_t *flen;
    size_t n_fields, cap_fields;
    unsigned char buf[1 << 16];
};

static int csv_getc(struct csv *c)
{
    if (c->pos == c->len) {
        c->len = fread(c->buf, 1, sizeof(c->buf), c->f);
        c->pos = 0;
        if (c->len == 0)
            return EOF;
    }
    return c->buf[c->pos++];
}

static int csv_peek(struct csv *c)
{
    int ch = csv_getc(c);
    if (ch != EOF)
        c->pos--;
    return ch;
}

static void csv_end_field(struct csv *c, size_t start)
{
    if (c->n_fields == c->cap_fields) {
        c->cap_fields = c->cap_fields ? 2 * c->cap_fields : 16;
        c->start = xrealloc(c->start, c->cap_fields * sizeof(size_t));
        c->flen = xrealloc(c->flen, c->cap_fields * sizeof(size_t));
    }
    c->start[c->n_fields] = start;
    c->flen[c->n_fields] = c->data.len - start;
    c->n_fields++;
    strbuf_add(&c->data, "", 1);
}

/* Reads one record: 1, or 0 at the end of the file.  *rec_line is the line
 * it starts on.  A quoted field may hold commas, "" and line breaks. */
static enum vr_status csv_record(struct csv *c, int *got, unsigned long *rec_line,
                                 struct vr_error *err)
{
    strbuf_reset(&c->data);
    c->n_fields = 0;
    *got = 0;
    int ch = csv_getc(c);
    if (ch == EOF)
        return VR_OK;
    *rec_line = c->line;
    *got = 1;
    for (;;) {
        size_t start = c->data.len;
        if (ch == '"') {
            for (;;) {
                ch = csv_getc(c);
                if (ch == EOF)
                    return vr_fail(err, VR_ERR_CONFIG,
                                   "%s:%lu: quoted field is not closed before the end of the file",
                                   c->path, *rec_line);
                if (ch == '"') {
                    if (csv_peek(c) != '"')
                        break;
                    csv_getc(c);
                } else if (ch == '\n') {
                    c->line++;
                }
                char b = (char)ch;
                strbuf_add(&c->data, &b, 1);
            }
            ch = csv_getc(c);
        }
        /* unquoted field, or text after a closing quote (kept as written) */
        while (ch != EOF && ch != ',' && ch != '\n' && ch != '\r') {
            char b = (char)ch;
            strbuf_add(&c->data, &b, 1);
            ch = csv_getc(c);
        }
        csv_end_field(c, start);
        if (ch == ',') {
            ch = csv_getc(c);
            continue;
        }
        if (ch == '\r' && csv_peek(c) == '\n')
            csv_getc(c);
        if (ch != EOF)
            c->line++;
        return VR_OK;
    }
}

static const char *csv_field(const struct csv *c, size_t k, size_t *len)
{
    *len = c->flen[k];
    return c->data.buf + c->start[k];
}

static bool blank(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
            return false;
    }
    return true;
}

static bool name_is(const char *s, size_t n, const char *lit)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == strlen(lit) && strncasecmp(s, lit, n) == 0;
}

/* A row's weight: blank (1), or digits with up to 6 decimals, above 0 and
 * at most SENTIMENT_MAX_WEIGHT; -1 if not. */
static double parse_weight(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 1;
    double whole = 0;
    long frac = 0, scale = 1;
    size_t k = 0;
    for (; k < n && s[k] >= '0' && s[k] <= '9'; k++)
        if (whole <= SENTIMENT_MAX_WEIGHT)
            whole = 10 * whole + (s[k] - '0');
    if (k == 0)
        return -1;
    if (k < n) {
        if (s[k] != '.' || k + 1 == n || n - k - 1 > 6)
            return -1;
        for (k++; k < n; k++) {
            if (s[k] < '0' || s[k] > '9')
                return -1;
            frac = 10 * frac + (s[k] - '0');
            scale *= 10;
        }
    }
    double v = whole + (double)frac / (double)scale;
    return v > 0 && v <= SENTIMENT_MAX_WEIGHT ? v : -1;
}

static uint32_t clamp_u32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* ---- training ----------------------------------------------------------- */

enum { CLASS_NEG, CLASS_POS, CLASS_NEU, N_CLASSES };
/* What each class asks the model for: P(positive) of 0, 1, and one half for
 * a neutral text, which pulls its features' weights towards 0. */
static const double class_target[N_CLASSES] = {0.0, 1.0, 0.5};

struct train_params {
    struct sentiment_feature_opts o;
    unsigned flags;
    int epochs;
    double eta;            /* AdaGrad step */
    double opinion_eta;    /* the opinion model's (0: eta) */
    double l2;             /* on the weights a row touches */
    double nb_alpha;       /* smoothing of the log-count ratios; 0 = plain logistic regression */
    double file_power;     /* an input file weighs (its rows)^file_power: at 1/2 a
                            * small domain is not drowned by the largest */
    bool intercept;        /* an intercept per language; without, unknown words are neutral */
    int band_holdout;      /* the rows that choose the neutral band: parts by row number */
    int band_folds;        /* of the band_holdout parts, how many take their turn at it */
    int band_smooth;       /* (o, t) by the mean score of the pairs this many steps around */
    double band_tolerance; /* ... at the centre of the pairs this close to the best */
    bool band_plain;       /* the band by plain accuracy, not the mean of the classes' */
    bool band_by_text;     /* its parts by a hash of the normalised text, not the row number */
    bool opinion;          /* fit the opinion model too (when there are neutral rows) */
    bool polarity_neutral; /* neutral rows also train the polarity model (target 1/2) */
    double opinion_only;   /* in the opinion model, a file without neutral rows weighs
                            * this share of its rows */
    uint64_t seed;         /* of the first shuffle */
    int shuffles;          /* fits per model, each in another order, averaged */
    int average;           /* 0, or a fit keeps the mean of its last `average` epochs' ends */
    enum sentiment_loss loss, opinion_loss;
    double nb_beta; /* NBSVM's interpolation of the polarity weights; 1: none */
    enum sentiment_solver solver, opinion_solver;
    double lambda, opinion_lambda; /* of an exact fit (sentiment_exact.h) */
};

/* The shipped model's settings, chosen by bench/tune.sh on validation rows
 * of the training part of ../shared/data (see models/README.md).  Training
 * has no knobs on the command line: a company retrains with the same
 * recipe. */
static const struct train_params default_params = {
    .o = {.hash_bits = 20,
          .zh_ngram = 3,
          .en_ngram = 3,
          .en_chargram = 5,
          .neg_scope_zh = 4,
          .neg_scope_en = 3},
    .flags = SENTIMENT_FLAG_NORM | SENTIMENT_FLAG_BINARY | SENTIMENT_FLAG_CONTRAST,
    .epochs = 12,
    .eta = 0.1,
    .l2 = 1e-7,
    .nb_alpha = 1.0,
    .file_power = 0.5,
    .intercept = false,
    .band_holdout = 5,
    .band_folds = 5,
    .band_smooth = 6,
    .band_tolerance = 0.005,
    .opinion = true,
    .polarity_neutral = true,
    .opinion_only = 0.05,
    .seed = 0x5eed5eedu,
    .shuffles = 3,
    .average = 0,
    .loss = SENTIMENT_LOSS_LOGISTIC,
    .opinion_loss = SENTIMENT_LOSS_LOGISTIC,
    .nb_beta = 1,
    .solver = SENTIMENT_SOLVER_ADAGRAD,
    .opinion_solver = SENTIMENT_SOLVER_ADAGRAD,
};

#ifdef SENTIMENT_TUNING
/* bench/tune.sh only: the settings from the environment, so that choices
 * can be compared without editing this file.  Never in vocreport. */
static void tuning_params(struct train_params *tp)
{
    const char *v;
    if ((v = getenv("VR_SENT_EPOCHS")))
        tp->epochs = atoi(v);
    if ((v = getenv("VR_SENT_ETA")))
        tp->eta = atof(v);
    if ((v = getenv("VR_SENT_OPINION_ETA")))
        tp->opinion_eta = atof(v);
    if ((v = getenv("VR_SENT_L2")))
        tp->l2 = atof(v);
    if ((v = getenv("VR_SENT_NB")))
        tp->nb_alpha = atof(v);
    if ((v = getenv("VR_SENT_FILE_POWER")))
        tp->file_power = atof(v);
    if ((v = getenv("VR_SENT_INTERCEPT")))
        tp->intercept = atoi(v) != 0;
    if ((v = getenv("VR_SENT_CHARGRAM")))
        tp->o.en_chargram = (unsigned)atoi(v);
    if ((v = getenv("VR_SENT_NEG_EN")))
        tp->o.neg_scope_en = (unsigned)atoi(v);
    if ((v = getenv("VR_SENT_NEG_ZH")))
        tp->o.neg_scope_zh = (unsigned)atoi(v);
    if ((v = getenv("VR_SENT_ZH_NGRAM")))
        tp->o.zh_ngram = (unsigned)atoi(v);
    if ((v = getenv("VR_SENT_EN_NGRAM")))
        tp->o.en_ngram = (unsigned)atoi(v);
    if ((v = getenv("VR_SENT_SKIP")))
        tp->flags = atoi(v) ? tp->flags | SENTIMENT_FLAG_SKIP : tp->flags & ~SENTIMENT_FLAG_SKIP;
    if ((v = getenv("VR_SENT_HASH_BITS")))
        tp->o.hash_bits = (unsigned)atoi(v);
    if ((v = getenv("VR_SENT_BAND_HOLDOUT")))
        tp->band_holdout = atoi(v);
    if ((v = getenv("VR_SENT_BAND_FOLDS")))
        tp->band_folds = atoi(v);
    if ((v = getenv("VR_SENT_BAND_SMOOTH")))
        tp->band_smooth = atoi(v);
    if ((v = getenv("VR_SENT_BAND_TOLERANCE")))
        tp->band_tolerance = atof(v);
    if ((v = getenv("VR_SENT_SEED")))
        tp->seed = strtoull(v, NULL, 0);
    if ((v = getenv("VR_SENT_SHUFFLES")))
        tp->shuffles = atoi(v);
    if ((v = getenv("VR_SENT_BAND_PLAIN")))
        tp->band_plain = atoi(v) != 0;
    if ((v = getenv("VR_SENT_BAND_BY_TEXT")))
        tp->band_by_text = atoi(v) != 0;
    if ((v = getenv("VR_SENT_CONTRAST")) && atoi(v) == 0)
        tp->flags &= ~SENTIMENT_FLAG_CONTRAST;
    if ((v = getenv("VR_SENT_OPINION")))
        tp->opinion = atoi(v) != 0;
    if ((v = getenv("VR_SENT_POL_NEUTRAL")))
        tp->polarity_neutral = atoi(v) != 0;
    if ((v = getenv("VR_SENT_OPINION_ONLY")))
        tp->opinion_only = atof(v);
    if ((v = getenv("VR_SENT_AVERAGE")))
        tp->average = atoi(v);
    if ((v = getenv("VR_SENT_LOSS")))
        tp->loss = (enum sentiment_loss)atoi(v);
    if ((v = getenv("VR_SENT_OPINION_LOSS")))
        tp->opinion_loss = (enum sentiment_loss)atoi(v);
    if ((v = getenv("VR_SENT_NB_BETA")))
        tp->nb_beta = atof(v);
    if ((v = getenv("VR_SENT_SOLVER")))
        tp->solver = strcmp(v, "lbfgs") == 0 ? SENTIMENT_SOLVER_LBFGS : SENTIMENT_SOLVER_ADAGRAD;
    if ((v = getenv("VR_SENT_OPINION_SOLVER")))
        tp->opinion_solver =
            strcmp(v, "lbfgs") == 0 ? SENTIMENT_SOLVER_LBFGS : SENTIMENT_SOLVER_ADAGRAD;
    if ((v = getenv("VR_SENT_LAMBDA")))
        tp->lambda = tp->opinion_lambda = atof(v);
    if ((v = getenv("VR_SENT_OPINION_LAMBDA")))
        tp->opinion_lambda = atof(v);
}
#endif

/* Every training row as its list of buckets, in one array. */
struct corpus {
    uint32_t *feat;
    size_t n_feat, cap_feat;
    size_t *off;          /* row k: feat[off[k] .. off[k + 1]) */
    unsigned char *label; /* CLASS_* */
    unsigned char *lang;  /* enum sentiment_lang */
    uint32_t *file;       /* which input file */
    float *given;         /* the weight the input gave the row (1 without) */
    uint64_t *key;        /* sentiment_text_key of its text */
    float *weight;        /* in the polarity model, see row_weights */
    float *opinion;       /* in the opinion model, see opinion_weights */
    size_t n_docs, cap_docs;
    size_t count[N_CLASSES], skipped_empty;
};

static void collect(void *ctx, uint32_t bucket)
{
    struct corpus *c = ctx;
    if (c->n_feat == c->cap_feat) {
        c->cap_feat = c->cap_feat ? 2 * c->cap_feat : 1 << 16;
        c->feat = xrealloc(c->feat, c->cap_feat * sizeof(uint32_t));
    }
    c->feat[c->n_feat++] = bucket;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts and drops repeated buckets: each feature counts once. */
static size_t unique_buckets(uint32_t *b, size_t n)
{
    if (n < 2)
        return n;
    qsort(b, n, sizeof(uint32_t), cmp_u32);
    size_t k = 1;
    for (size_t j = 1; j < n; j++)
        if (b[j] != b[k - 1])
            b[k++] = b[j];
    return k;
}

/* Punctuation and symbols that do not make two texts different:
 * Latin-1's, general punctuation, CJK punctuation, vertical and full-width
 * forms (after utf8_fold). */
static bool key_ignores(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    return (cp >= 0xA0 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF);
}

uint64_t sentiment_text_key(const char *text, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a over the kept code points */
    for (size_t k = 0; k < len;) {
        uint32_t cp;
        k += utf8_decode(text + k, len - k, &cp);
        cp = utf8_fold(cp);
        if (cp == UTF8_INVALID || key_ignores(cp))
            continue;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        for (int b = 0; b < 4; b++) {
            h ^= (cp >> (8 * b)) & 0xFF;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

static void corpus_add(struct corpus *c, const struct train_params *tp, const char *text,
                       size_t len, int cls, double given, uint32_t file)
{
    if (c->n_docs + 1 >= c->cap_docs) {
        c->cap_docs = c->cap_docs ? 2 * c->cap_docs : 1024;
        c->off = xrealloc(c->off, (c->cap_docs + 1) * sizeof(size_t));
        c->label = xrealloc(c->label, c->cap_docs);
        c->lang = xrealloc(c->lang, c->cap_docs);
        c->file = xrealloc(c->file, c->cap_docs * sizeof(uint32_t));
        c->given = xrealloc(c->given, c->cap_docs * sizeof(float));
        c->key = xrealloc(c->key, c->cap_docs * sizeof(uint64_t));
    }
    if (c->n_docs == 0)
        c->off[0] = 0;
    size_t first = c->n_feat;
    enum sentiment_lang lang;
    sentiment_features(&tp->o, text, len, collect, c, &lang, NULL);
    if (tp->flags & SENTIMENT_FLAG_BINARY)
        c->n_feat = first + unique_buckets(c->feat + first, c->n_feat - first);
    c->label[c->n_docs] = (unsigned char)cls;
    c->lang[c->n_docs] = (unsigned char)lang;
    c->file[c->n_docs] = file;
    c->given[c->n_docs] = (float)given;
    c->key[c->n_docs] = sentiment_text_key(text, len);
    c->off[++c->n_docs] = c->n_feat;
    c->count[cls]++;
}

static void corpus_release(struct corpus *c)
{
    free(c->feat);
    free(c->off);
    free(c->label);
    free(c->lang);
    free(c->file);
    free(c->given);
    free(c->key);
    free(c->weight);
    free(c->opinion);
    memset(c, 0, sizeof(*c));
}

enum vr_status sentiment_read_training(const char *path, sentiment_row_fn *row, void *ctx,
                                       size_t *skipped_empty, struct vr_error *err)
{
    struct csv *c = xcalloc(1, sizeof(*c));
    strbuf_init(&c->data);
    c->path = path;
    c->line = 1;
    enum vr_status st = VR_OK;
    c->f = fopen(path, "rb");
    if (!c->f) {
        st = vr_fail(err, VR_ERR_CONFIG, "could not open training file \"%s\": %s", path,
                     strerror(errno));
        goto cleanup;
    }
    struct stat sb;
    if (fstat(fileno(c->f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        st = vr_fail(err, VR_ERR_CONFIG, "could not open training file \"%s\": %s", path,
                     strerror(EISDIR));
        goto cleanup;
    }
    /* a UTF-8 byte-order mark before the header */
    c->len = fread(c->buf, 1, sizeof(c->buf), c->f);
    if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
    int got;
    unsigned long line;
    if ((st = csv_record(c, &got, &line, err)) != VR_OK)
        goto cleanup;
    if (!got) {
        st = vr_fail(err, VR_ERR_CONFIG, "%s: empty file, expected a header row", path);
        goto cleanup;
    }
    size_t col_label = SIZE_MAX, col_text = SIZE_MAX, col_review = SIZE_MAX;
    size_t col_weight = SIZE_MAX;
    for (size_t k = 0; k < c->n_fields; k++) {
        size_t n;
        const char *name = csv_field(c, k, &n);
        if (name_is(name, n, "label") && col_label == SIZE_MAX)
            col_label = k;
        else if (name_is(name, n, "weight") && col_weight == SIZE_MAX)
            col_weight = k;
        else if (name_is(name, n, "text") && col_text == SIZE_MAX)
            col_text = k;
        else if (name_is(name, n, "review") && col_review == SIZE_MAX)
            col_review = k;
    }
    if (col_text == SIZE_MAX)
        col_text = col_review;
    if (col_label == SIZE_MAX || col_text == SIZE_MAX) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s:%lu: the header needs a \"label\" column and a \"text\" (or \"review\") "
                     "column",
                     path, line);
        goto cleanup;
    }
    size_t need = (col_label > col_text ? col_label : col_text) + 1;
    if (col_weight != SIZE_MAX && col_weight + 1 > need)
        need = col_weight + 1;
    size_t header_fields = c->n_fields;
    for (;;) {
        if ((st = csv_record(c, &got, &line, err)) != VR_OK)
            goto cleanup;
        if (!got)
            break;
        if (c->n_fields == 1 && c->flen[0] == 0)
            continue; /* a blank line */
        size_t n;
        if (c->n_fields < need) {
            st = vr_fail(err, VR_ERR_CONFIG, "%s:%lu: %zu fields, the header has %zu", path, line,
                         c->n_fields, header_fields);
            goto cleanup;
        }
        const char *lab = csv_field(c, col_label, &n);
        while (n && (*lab == ' ' || *lab == '\t'))
            lab++, n--;
        while (n && (lab[n - 1] == ' ' || lab[n - 1] == '\t'))
            n--;
        int cls = n == 1 && lab[0] == '0'                ? CLASS_NEG
                  : n == 1 && lab[0] == '1'              ? CLASS_POS
                  : n == 3 && memcmp(lab, "0.5", 3) == 0 ? CLASS_NEU
                                                         : -1;
        if (cls < 0) {
            st = vr_fail(err, VR_ERR_CONFIG,
                         "%s:%lu: label must be 1 (positive), 0 (negative) or 0.5 (neutral)", path,
                         line);
            goto cleanup;
        }
        double weight = 1;
        if (col_weight != SIZE_MAX) {
            const char *wt = csv_field(c, col_weight, &n);
            if ((weight = parse_weight(wt, n)) < 0) {
                st = vr_fail(err, VR_ERR_CONFIG,
                             "%s:%lu: weight must be a number above 0 and at most %d, with at "
                             "most 6 decimals, such as 1 or 2.5 (or blank, for 1)",
                             path, line, SENTIMENT_MAX_WEIGHT);
                goto cleanup;
            }
        }
        const char *text = csv_field(c, col_text, &n);
        if (blank(text, n)) {
            (*skipped_empty)++;
            continue;
        }
        row(ctx,
            cls == CLASS_NEG   ? SENTIMENT_LABEL_NEGATIVE
            : cls == CLASS_POS ? SENTIMENT_LABEL_POSITIVE
                               : SENTIMENT_LABEL_NEUTRAL,
            weight, text, n);
    }
    if (ferror(c->f))
        st = vr_fail(err, VR_ERR_CONFIG, "could not read training file \"%s\"", path);
cleanup:
    if (c->f)
        fclose(c->f);
    strbuf_release(&c->data);
    free(c->start);
    free(c->flen);
    free(c);
    return st;
}

struct corpus_feed {
    struct corpus *corp;
    const struct train_params *tp;
    uint32_t file;
};

static void corpus_row(void *ctx, int label, double weight, const char *text, size_t len)
{
    struct corpus_feed *f = ctx;
    int cls = label == SENTIMENT_LABEL_NEGATIVE   ? CLASS_NEG
              : label == SENTIMENT_LABEL_POSITIVE ? CLASS_POS
                                                  : CLASS_NEU;
    corpus_add(f->corp, f->tp, text, len, cls, weight, f->file);
}

static enum vr_status read_training_file(struct corpus *corp, const char *path, uint32_t file,
                                         const struct train_params *tp, struct vr_error *err)
{
    struct corpus_feed f = {corp, tp, file};
    return sentiment_read_training(path, corpus_row, &f, &corp->skipped_empty, err);
}

/* xorshift64*: the shuffle is the same on every machine. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Each row's weight.  Within an input file the classes weigh the same (a
 * file of mostly complaints does not teach that everything is a
 * complaint), and a file weighs (its rows)^file_power, a row counting as
 * the weight its input gave it (a company's own feedback can count for
 * more than a public data set); the weights sum to the number of rows. */
static void row_weights(struct corpus *c, size_t n_files, double file_power, bool neutral)
{
    double(*count)[N_CLASSES] = xcalloc(n_files ? n_files : 1, sizeof(*count));
    double *file_w = xcalloc(n_files ? n_files : 1, sizeof(double));
    for (size_t d = 0; d < c->n_docs; d++)
        if (neutral || c->label[d] != CLASS_NEU)
            count[c->file[d]][c->label[d]] += c->given[d];
    double total = 0;
    for (size_t f = 0; f < n_files; f++) {
        double n = count[f][0] + count[f][1] + count[f][2];
        file_w[f] = n > 0 ? pow(n, file_power) : 0;
        total += file_w[f];
    }
    c->weight = xmalloc((c->n_docs ? c->n_docs : 1) * sizeof(float));
    for (size_t d = 0; d < c->n_docs; d++) {
        const double *n = count[c->file[d]];
        int classes = (n[0] > 0) + (n[1] > 0) + (n[2] > 0);
        c->weight[d] = n[c->label[d]] > 0
                           ? (float)(c->given[d] * file_w[c->file[d]] * (double)c->n_docs / total /
                                     (classes * n[c->label[d]]))
                           : 0.0f;
    }
    free(count);
    free(file_w);
}

/* Each row's weight in the opinion model ("is there an opinion at all"),
 * which only files with neutral rows can teach.  Within such a file its
 * neutral rows and its opinions weigh the same; a file of opinions only
 * (a review file) counts only_share of its rows, so that its words are
 * known as opinions without making every word of it one; then, per
 * language, neutral rows and opinions weigh the same in all, the weights
 * summing to the number of rows.  Without neutral rows: all 0. */
static void opinion_weights(struct corpus *c, size_t n_files, double only_share)
{
    double(*count)[2] = xcalloc(n_files ? n_files : 1, sizeof(*count));
    for (size_t d = 0; d < c->n_docs; d++)
        count[c->file[d]][c->label[d] != CLASS_NEU] += c->given[d];
    c->opinion = xcalloc(c->n_docs ? c->n_docs : 1, sizeof(float));
    double side[SENTIMENT_N_LANG][2] = {{0}};
    for (size_t d = 0; d < c->n_docs; d++) {
        const double *n = count[c->file[d]];
        int op = c->label[d] != CLASS_NEU;
        double w = n[0] > 0 ? c->given[d] * (n[0] + n[1]) / (2 * n[op]) : c->given[d] * only_share;
        c->opinion[d] = (float)w;
        side[c->lang[d]][op] += w;
    }
    double total = 0;
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        if (side[l][0] > 0 && side[l][1] > 0)
            total += 2;
    for (size_t d = 0; d < c->n_docs; d++) {
        const double *s = side[c->lang[d]];
        c->opinion[d] =
            s[0] > 0 && s[1] > 0
                ? (float)(c->opinion[d] / s[c->label[d] != CLASS_NEU] * (double)c->n_docs / total)
                : 0.0f;
    }
    free(count);
}

/* What a fit learns: the polarity model (P(positive), a neutral row's
 * target one half, a flipped feature counting -1) or the opinion model
 * (P(opinion): 1 for a positive or negative row, 0 for a neutral one, a
 * flipped feature counting +1), with its rows' weights. */
struct task {
    const float *weight;
    bool opinion;
    bool intercept;
    enum sentiment_loss loss;
    double eta; /* AdaGrad step */
    enum sentiment_solver solver;
    double lambda; /* an exact fit's */
};

/* The two tasks every model file holds, as the thresholds' trial fits and
 * the final fit both make them. */
static struct task polarity_task(const struct corpus *c, const struct train_params *tp)
{
    return (struct task){.weight = c->weight,
                         .intercept = tp->intercept,
                         .loss = tp->loss,
                         .eta = tp->eta,
                         .solver = tp->solver,
                         .lambda = tp->lambda};
}

static struct task opinion_task(const struct corpus *c, const struct train_params *tp)
{
    /* opinion_eta 0: the polarity model's step */
    return (struct task){.weight = c->opinion,
                         .opinion = true,
                         .intercept = true,
                         .loss = tp->opinion_loss,
                         .eta = tp->opinion_eta > 0 ? tp->opinion_eta : tp->eta,
                         .solver = tp->opinion_solver,
                         .lambda = tp->opinion_lambda};
}

static inline double task_target(const struct corpus *c, const struct task *t, size_t d)
{
    return t->opinion ? (c->label[d] != CLASS_NEU) : class_target[c->label[d]];
}

/* NB-weighting (Wang & Manning 2012, "NBSVM"): each bucket's log-count
 * ratio log((a + alpha) / (b + alpha)), a and b its weighted occurrences in
 * rows of the task's two classes (a neutral row counts half to each side of
 * the polarity model), over the rows in use (use NULL: all). */
static float *log_count_ratios(const struct corpus *c, const unsigned char *use,
                               const struct task *t, double alpha, size_t buckets)
{
    double *p = xcalloc(buckets, sizeof(double)), *q = xcalloc(buckets, sizeof(double));
    for (size_t d = 0; d < c->n_docs; d++) {
        if (use && !use[d])
            continue;
        double w = t->weight[d];
        double to_pos = w * task_target(c, t, d), to_neg = w - to_pos;
        for (size_t j = c->off[d]; j < c->off[d + 1]; j++) {
            uint32_t b = c->feat[j] & ~SENTIMENT_ID_FLAGS;
            /* a flipped feature is evidence for the other sign */
            bool flip = !t->opinion && (c->feat[j] & SENTIMENT_MINUS) != 0;
            double h = (c->feat[j] & SENTIMENT_HALF) ? 0.5 : 1.0;
            p[b] += h * (flip ? to_neg : to_pos);
            q[b] += h * (flip ? to_pos : to_neg);
        }
    }
    float *r = xmalloc(buckets * sizeof(float));
    for (size_t k = 0; k < buckets; k++)
        r[k] = (float)(log(p[k] + alpha) - log(q[k] + alpha));
    free(p);
    free(q);
    return r;
}

/* z of row d: its intercept plus v·Σ ±w·h over its features. */
static double row_z(const struct corpus *c, const struct train_params *tp, const float *w,
                    const double bias[SENTIMENT_N_LANG], size_t d, bool opinion)
{
    const uint32_t *f = c->feat + c->off[d];
    size_t n = c->off[d + 1] - c->off[d];
    if (n == 0)
        return 0;
    double z = 0;
    for (size_t j = 0; j < n; j++)
        z += w[f[j] & ~SENTIMENT_ID_FLAGS] * sentiment_feature_sign(f[j], opinion);
    return bias[c->lang[d]] + sentiment_feature_value(tp->flags, n) * z;
}

/* d/dz of the squared hinge (or modified Huber) loss of one side y, +1 or -1. */
static double hinge_gradient(bool huber, double z, double y)
{
    double m = y * z;
    return m >= 1 ? 0 : huber && m < -1 ? -4 * y : -2 * y * (1 - m);
}

double sentiment_loss_gradient(enum sentiment_loss loss, double z, double p)
{
    if (loss != SENTIMENT_LOSS_SQUARED_HINGE && loss != SENTIMENT_LOSS_MODIFIED_HUBER)
        return 1.0 / (1.0 + exp(-z)) - p;
    bool huber = loss == SENTIMENT_LOSS_MODIFIED_HUBER;
    return p * hinge_gradient(huber, z, 1) + (1 - p) * hinge_gradient(huber, z, -1);
}

static size_t visits(const struct corpus *c, size_t d)
{
    return c->given[d] > 1 ? (size_t)ceil(c->given[d]) : 1;
}

/* One weighted linear model of the task (a logistic regression, or the
 * task's other loss) by AdaGrad on feature values v·r[bucket] (r NULL: v)
 * over the rows in use (NULL: all) of weight above 0, in the order the
 * shuffle from seed draws, with an intercept per language when
 * t->intercept; w does not include r.  With tp->average, the weights and
 * intercepts are the mean of those at the end of each of the last
 * tp->average epochs (Polyak-Ruppert averaging by epoch): the last iterate
 * carries the noise of the last steps, most of all for a rare feature
 * whose few rows came late. */
static void fit_shuffle(const struct corpus *c, const unsigned char *use,
                        const struct train_params *tp, const struct task *t, const float *r,
                        uint64_t seed, float *w, double bias[SENTIMENT_N_LANG])
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    float *g2 = xcalloc(buckets, sizeof(float));
    double gb2[SENTIMENT_N_LANG] = {0};
    /* A row of weight w > 1 is visited ceil(w) times an epoch, each visit
     * with its share of the weight: one large step would use up AdaGrad's
     * steps for its features at once. */
    size_t n_visits = 0;
    for (size_t k = 0; k < c->n_docs; k++)
        if ((!use || use[k]) && t->weight[k] > 0)
            n_visits += visits(c, k);
    size_t *order = xmalloc((n_visits ? n_visits : 1) * sizeof(size_t));
    size_t n_use = 0;
    for (size_t k = 0; k < c->n_docs; k++)
        if ((!use || use[k]) && t->weight[k] > 0)
            for (size_t v = visits(c, k); v > 0; v--)
                order[n_use++] = k;
    uint64_t rng = seed ? seed : SENTIMENT_SHUFFLE_STEP; /* 0 is xorshift's fixed point */
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        bias[l] = 0;
    memset(w, 0, buckets * sizeof(float));
    int average = tp->average < tp->epochs ? tp->average : tp->epochs;
    double *aw = average > 0 ? xcalloc(buckets, sizeof(double)) : NULL;
    double ab[SENTIMENT_N_LANG] = {0};
    for (int epoch = 0; epoch < tp->epochs; epoch++) {
        for (size_t k = n_use; k > 1; k--) {
            size_t j = (size_t)(rng_next(&rng) % k);
            size_t x = order[k - 1];
            order[k - 1] = order[j];
            order[j] = x;
        }
        for (size_t k = 0; k < n_use; k++) {
            size_t d = order[k];
            const uint32_t *f = c->feat + c->off[d];
            size_t n = c->off[d + 1] - c->off[d];
            if (n == 0)
                continue;
            double v = sentiment_feature_value(tp->flags, n);
            double z = 0;
            for (size_t j = 0; j < n; j++) {
                uint32_t b = f[j] & ~SENTIMENT_ID_FLAGS;
                z += w[b] * sentiment_feature_sign(f[j], t->opinion) * (r ? r[b] : 1.0f);
            }
            int l = c->lang[d];
            z = bias[l] + v * z;
            double g = t->weight[d] / (double)visits(c, d) *
                       sentiment_loss_gradient(t->loss, z, task_target(c, t, d));
            for (size_t j = 0; j < n; j++) {
                uint32_t b = f[j] & ~SENTIMENT_ID_FLAGS;
                double gj = g * v * sentiment_feature_sign(f[j], t->opinion) * (r ? r[b] : 1.0f) +
                            tp->l2 * w[b];
                g2[b] += (float)(gj * gj);
                w[b] -= (float)(t->eta * gj / sqrt((double)g2[b] + 1e-8));
            }
            if (t->intercept) {
                gb2[l] += g * g;
                bias[l] -= t->eta * g / sqrt(gb2[l] + 1e-8);
            }
        }
        if (aw && epoch >= tp->epochs - average) {
            for (size_t b = 0; b < buckets; b++)
                aw[b] += w[b];
            for (int l = 0; l < SENTIMENT_N_LANG; l++)
                ab[l] += bias[l];
        }
    }
    if (aw) {
        for (size_t b = 0; b < buckets; b++)
            w[b] = (float)(aw[b] / average);
        for (int l = 0; l < SENTIMENT_N_LANG; l++)
            bias[l] = ab[l] / average;
    }
    free(aw);
    free(order);
    free(g2);
}

/* The task's weighted mean logistic loss plus ½·λ·‖w‖² (t->lambda),
 * minimised exactly (sentiment_exact.h) on the same feature values, rows,
 * weights, targets and intercepts as fit_shuffle; w does not include r. */
static void fit_exact(const struct corpus *c, const unsigned char *use,
                      const struct train_params *tp, const struct task *t, const float *r, float *w,
                      double bias[SENTIMENT_N_LANG])
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    double *target = xmalloc((c->n_docs ? c->n_docs : 1) * sizeof(double));
    for (size_t d = 0; d < c->n_docs; d++)
        target[d] = task_target(c, t, d);
    struct sentiment_exact_problem p = {.rows = c->n_docs,
                                        .buckets = buckets,
                                        .off = c->off,
                                        .feat = c->feat,
                                        .flags = tp->flags,
                                        .ignore_minus = t->opinion,
                                        .r = r,
                                        .use = use,
                                        .weight = t->weight,
                                        .target = target,
                                        .group = c->lang,
                                        .intercept = t->intercept,
                                        .lambda = t->lambda};
    struct sentiment_exact_opts o;
    sentiment_exact_defaults(&o);
    struct sentiment_exact_result res;
    double *wd = xmalloc(buckets * sizeof(double));
#ifdef SENTIMENT_TUNING
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
#endif
    sentiment_exact_fit(&p, &o, wd, bias, &res);
#ifdef SENTIMENT_TUNING
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr,
            "exact fit of the %s model, lambda %g: %d iterations, %d evaluations, gradient %.3g "
            "of %.3g, objective %.6f, %.1f s\n",
            t->opinion ? "opinion" : "polarity", t->lambda, res.iterations, res.evaluations,
            res.grad_norm, res.grad_norm0, res.objective,
            (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
#endif
    for (size_t k = 0; k < buckets; k++)
        w[k] = (float)wd[k];
    free(wd);
    free(target);
}

/* NBSVM's interpolation (Wang & Manning 2012): w' = (1 - beta)·mean|w| +
 * beta·w, between the fitted weights and the same weight for every
 * feature, where each counts its log-count ratio only (naive Bayes).
 * Hashed, most buckets hold no feature; the mean is over those the fit
 * moved, and a bucket no training row has keeps a ratio of 0 whatever its
 * weight. */
static void nb_interpolate(float *w, size_t buckets, double beta)
{
    double sum = 0;
    size_t moved = 0;
    for (size_t b = 0; b < buckets; b++)
        if (w[b] != 0) {
            sum += fabsf(w[b]);
            moved++;
        }
    double mean = moved ? sum / (double)moved : 0;
    for (size_t b = 0; b < buckets; b++)
        w[b] = (float)((1 - beta) * mean + beta * w[b]);
}

/* The task fitted tp->shuffles times, each in another order (shuffle k
 * from the seed tp->seed + k·SENTIMENT_SHUFFLE_STEP), and the mean of
 * their weights and intercepts: where the rows' order decides a weight
 * (a rare feature, the last steps of an epoch), one order's choice is
 * replaced by the average of several, so that the model, and the
 * threshold and band chosen on its held-out scores, move less when a
 * row is added or the seed changes (docs/benchmark.md, eighth round).
 * w does not include r. */
static void fit_shuffles(const struct corpus *c, const unsigned char *use,
                         const struct train_params *tp, const struct task *t, const float *r,
                         float *w, double bias[SENTIMENT_N_LANG])
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    int shuffles = tp->shuffles > 1 ? tp->shuffles : 1;
    fit_shuffle(c, use, tp, t, r, tp->seed, w, bias);
    if (shuffles == 1)
        return;
    float *wk = xmalloc(buckets * sizeof(float));
    double bk[SENTIMENT_N_LANG];
    for (int k = 1; k < shuffles; k++) {
        fit_shuffle(c, use, tp, t, r, tp->seed + (uint64_t)k * SENTIMENT_SHUFFLE_STEP, wk, bk);
        for (size_t b = 0; b < buckets; b++)
            w[b] += wk[b];
        for (int l = 0; l < SENTIMENT_N_LANG; l++)
            bias[l] += bk[l];
    }
    for (size_t b = 0; b < buckets; b++)
        w[b] /= (float)shuffles;
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        bias[l] /= shuffles;
    free(wk);
}

/* The task's model, by its solver; the weights returned include the NB
 * ratios r. */
static void fit(const struct corpus *c, const unsigned char *use, const struct train_params *tp,
                const struct task *t, float *w, double bias[SENTIMENT_N_LANG])
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    float *r = tp->nb_alpha > 0 ? log_count_ratios(c, use, t, tp->nb_alpha, buckets) : NULL;
    if (t->solver == SENTIMENT_SOLVER_LBFGS)
        fit_exact(c, use, tp, t, r, w, bias); /* its optimum does not depend on the rows' order */
    else
        fit_shuffles(c, use, tp, t, r, w, bias);
    if (r && !t->opinion && tp->nb_beta < 1)
        nb_interpolate(w, buckets, tp->nb_beta);
    if (r)
        for (size_t k = 0; k < buckets; k++)
            w[k] *= r[k];
    free(r);
}

void sentiment_smoothed_best(const double *score, int rows, int cols, int radius, double tolerance,
                             int *row, int *col)
{
    double *mean = xmalloc((size_t)rows * (size_t)cols * sizeof(double));
    double best = -1;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            int cells = 0;
            for (int a = i - radius; a <= i + radius; a++)
                for (int b = j - radius; b <= j + radius; b++)
                    if (a >= 0 && a < rows && b >= 0 && b < cols && (a == 0) == (i == 0)) {
                        sum += score[a * cols + b];
                        cells++;
                    }
            mean[i * cols + j] = sum / cells;
            if (sum / cells > best)
                best = sum / cells;
        }
    /* the centre of the cells within tolerance of the best */
    double ci = 0, cj = 0, n = 0;
    for (int k = 0; k < rows * cols; k++)
        if (mean[k] >= best - tolerance - 1e-12) {
            ci += k / cols;
            cj += k % cols;
            n++;
        }
    ci /= n;
    cj /= n;
    double nearest = -1;
    *row = *col = 0;
    for (int k = 0; k < rows * cols; k++) {
        double di = k / cols - ci, dj = k % cols - cj, d = di * di + dj * dj;
        if (mean[k] >= best - tolerance - 1e-12 && (nearest < 0 || d < nearest - 1e-12)) {
            nearest = d;
            *row = k / cols;
            *col = k % cols;
        }
    }
    free(mean);
}

/* The opinion threshold o and the neutral band t of each language
 * (Chinese, English, other texts), by cross-validation: the rows are cut
 * into band_holdout parts by row number, and for band_folds of them in
 * turn the two models are trained on the others and score the part held
 * out; (o, t) is then the pair that classifies the held-out rows best
 * where neutral is a class, in the files with neutral and opinionated rows
 * of that language: the mean over those files of the mean over their
 * classes (negative, neutral, positive) of the share of the language's
 * rows in their class (sentiment_combined), that score averaged over the
 * pairs within band_smooth steps of it; of the pairs within
 * band_tolerance of the best, the one nearest their centre.  Each part holding out only a
 * fifth of a few hundred neutral rows, and the score being flat over a
 * wide range of pairs, the best single pair of one part jumped when the
 * features or the shuffle changed a little (English 0.29/0.03 to
 * 0.18/0.16); every part's rows, the mean over a neighbourhood and the
 * centre of the near-best keep it within a few hundredths
 * (docs/benchmark.md).  The parts are cut by row number; cut by
 * sentiment_text_key instead (band_by_text, bench/tune.sh only), so that
 * copies of a text never sit on both sides, the choice was no steadier
 * over seeds and worse on the validation rows (issue 11's ninth round).
 * Per language, because how
 * sure the models are of a plain statement differs between them (a
 * Chinese one is made of characters that also carry opinions).  Without
 * neutral rows of a language there is nothing to choose them on: 0 and 0,
 * no opinion model and no band.  (A file labelled only 0 and 1 says how
 * well the sign is learnt, not where "neutral" begins; one of neutral rows
 * only would want everything neutral.) */
static void choose_thresholds(const struct corpus *c, const struct train_params *tp, size_t n_files,
                              bool opinion, float *w, float *u, double band[SENTIMENT_N_LANG],
                              double threshold[SENTIMENT_N_LANG])
{
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        band[l] = threshold[l] = 0;
    if (c->count[CLASS_NEU] == 0 || tp->band_holdout < 2)
        return;
    unsigned char *use = xmalloc(c->n_docs);
    size_t groups = SENTIMENT_N_LANG * n_files;
    /* held-out rows by language and file, and by class */
    double(*all)[N_CLASSES] = xcalloc(groups, sizeof(*all));
    struct held {
        double r, p;
        size_t group;
        int cls;
    } *h = xmalloc((c->n_docs ? c->n_docs : 1) * sizeof(*h));
    size_t n_held = 0;
    size_t parts = (size_t)tp->band_holdout;
    size_t folds = tp->band_folds < 1               ? 1
                   : (size_t)tp->band_folds > parts ? parts
                                                    : (size_t)tp->band_folds;
    struct task pt = polarity_task(c, tp), ot = opinion_task(c, tp);
    for (size_t k = 0; k < folds; k++) {
        size_t out = parts - 1 - k;
        for (size_t d = 0; d < c->n_docs; d++)
            use[d] = (tp->band_by_text ? c->key[d] % parts : d % parts) != out;
        double bias[SENTIMENT_N_LANG], obias[SENTIMENT_N_LANG] = {0};
        fit(c, use, tp, &pt, w, bias);
        if (opinion)
            fit(c, use, tp, &ot, u, obias);
        for (size_t d = 0; d < c->n_docs; d++) {
            if (use[d])
                continue;
            all[c->lang[d] * n_files + c->file[d]][c->label[d]]++;
            double p = opinion ? 1.0 / (1.0 + exp(-row_z(c, tp, u, obias, d, true))) : 1;
            h[n_held++] = (struct held){2.0 / (1.0 + exp(-row_z(c, tp, w, bias, d, false))) - 1.0,
                                        p, c->lang[d] * n_files + c->file[d], c->label[d]};
        }
    }
    {
        /* only the files with both neutral and opinionated rows, per language */
        size_t kept = 0;
        for (size_t k = 0; k < n_held; k++) {
            const double *a = all[h[k].group];
            if (a[CLASS_NEU] > 0 && (a[CLASS_NEG] > 0 || a[CLASS_POS] > 0))
                h[kept++] = h[k];
        }
        n_held = kept;
    }
#ifdef SENTIMENT_TUNING
    if (getenv("VR_SENT_HELD")) {
        FILE *f = fopen(getenv("VR_SENT_HELD"), "w");
        for (size_t k = 0; f && k < n_held; k++)
            fprintf(f, "%zu\t%zu\t%d\t%.6f\t%.6f\n", h[k].group / n_files, h[k].group % n_files,
                    h[k].cls, h[k].r, h[k].p);
        if (f)
            fclose(f);
    }
#endif
    enum { STEPS = 96 }; /* 0, 0.01, ..., 0.95 */
    double(*hit)[N_CLASSES] = xmalloc(groups * sizeof(*hit));
    double(*surface)[STEPS] = xmalloc(STEPS * sizeof(*surface));
    int ko_n = opinion ? STEPS : 1;
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        int files = 0;
        for (int ko = 0; ko < ko_n; ko++) {
            for (int kt = 0; kt < STEPS; kt++) {
                double o = ko / 100.0, t = kt / 100.0;
                memset(hit, 0, groups * sizeof(*hit));
                for (size_t k = 0; k < n_held; k++) {
                    if (h[k].group / n_files != (size_t)l)
                        continue;
                    double s = o > 0 ? sentiment_combined(h[k].r, h[k].p, o, t)
                                     : sentiment_banded(h[k].r, t);
                    int pred = s > SENTIMENT_REPORT_NEUTRAL    ? CLASS_POS
                               : s < -SENTIMENT_REPORT_NEUTRAL ? CLASS_NEG
                                                               : CLASS_NEU;
                    if (pred == h[k].cls)
                        hit[h[k].group][pred]++;
                }
                double score = 0;
                files = 0;
                for (size_t g = l * n_files; g < (l + 1) * n_files; g++) {
                    if (all[g][CLASS_NEU] == 0 ||
                        (all[g][CLASS_NEG] == 0 && all[g][CLASS_POS] == 0))
                        continue;
                    double right = 0, rows = 0;
                    int classes = 0;
                    for (int cls = 0; cls < N_CLASSES; cls++)
                        if (all[g][cls] > 0) {
                            right += tp->band_plain ? hit[g][cls] : hit[g][cls] / all[g][cls];
                            rows += all[g][cls];
                            classes++;
                        }
                    score += tp->band_plain ? right / rows : right / classes;
                    files++;
                }
                surface[ko][kt] = files ? score / files : 0;
            }
        }
        if (files == 0)
            continue;
#ifdef SENTIMENT_TUNING
        if (getenv("VR_SENT_SURFACE")) {
            FILE *f = fopen(getenv("VR_SENT_SURFACE"), l ? "a" : "w");
            for (int ko = 0; f && ko < ko_n; ko++)
                for (int kt = 0; kt < STEPS; kt++)
                    fprintf(f, "%d\t%d\t%d\t%.6f\n", l, ko, kt, surface[ko][kt]);
            if (f)
                fclose(f);
        }
#endif
        int ko, kt;
        sentiment_smoothed_best(&surface[0][0], ko_n, STEPS, tp->band_smooth, tp->band_tolerance,
                                &ko, &kt);
        threshold[l] = ko / 100.0;
        band[l] = kt / 100.0;
    }
    free(surface);
    free(hit);
    free(h);
    free(all);
    free(use);
}

/* int16 weights of w scaled by its largest, little-endian, at out. */
static float put_weights(unsigned char *out, const float *w, size_t buckets)
{
    float maxw = 0;
    for (size_t k = 0; k < buckets; k++)
        if (fabsf(w[k]) > maxw)
            maxw = fabsf(w[k]);
    float scale = maxw > 0 ? maxw / 32767.0f : 1.0f;
    for (size_t k = 0; k < buckets; k++) {
        long q = lrintf(w[k] / scale);
        q = q > 32767 ? 32767 : q < -32767 ? -32767 : q;
        uint16_t v = (uint16_t)(int16_t)q;
        out[2 * k] = (unsigned char)v;
        out[2 * k + 1] = (unsigned char)(v >> 8);
    }
    return scale;
}

/* The two models' weights and intercepts, and where neutral begins. */
struct trained {
    float *w, *u;
    double bias[SENTIMENT_N_LANG], opinion_bias[SENTIMENT_N_LANG];
    double band[SENTIMENT_N_LANG], threshold[SENTIMENT_N_LANG];
};

static enum vr_status write_model(const char *output, const struct train_params *tp,
                                  const struct trained *m, const struct corpus *c,
                                  struct vr_error *err)
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    size_t size = SENTIMENT_HEADER + 4 * buckets;
    unsigned char *buf = xcalloc(1, size);
    memcpy(buf, SENTIMENT_MAGIC, 8);
    sentiment_put_u32(buf + 8, SENTIMENT_FORMAT);
    sentiment_put_u32(buf + 12, SENTIMENT_FEATURE_VERSION);
    sentiment_put_u32(buf + 16, tp->o.hash_bits);
    sentiment_put_u32(buf + 20, tp->o.zh_ngram);
    sentiment_put_u32(buf + 24, tp->o.en_ngram);
    sentiment_put_u32(buf + 28, tp->o.en_chargram);
    sentiment_put_u32(buf + 32, tp->o.neg_scope_zh);
    sentiment_put_u32(buf + 36, tp->o.neg_scope_en);
    sentiment_put_u32(buf + 40, tp->flags);
    sentiment_put_f32(buf + 44, put_weights(buf + SENTIMENT_HEADER, m->w, buckets));
    sentiment_put_f32(buf + 92, put_weights(buf + SENTIMENT_HEADER + 2 * buckets, m->u, buckets));
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        sentiment_put_f32(buf + 48 + 4 * l, (float)m->bias[l]);
        sentiment_put_f32(buf + 80 + 4 * l, (float)m->band[l]);
        sentiment_put_f32(buf + 96 + 4 * l, (float)m->opinion_bias[l]);
        sentiment_put_f32(buf + 108 + 4 * l, (float)m->threshold[l]);
    }
    sentiment_put_u32(buf + 60, clamp_u32(c->n_docs));
    sentiment_put_u32(buf + 64, clamp_u32(c->count[CLASS_POS]));
    sentiment_put_u32(buf + 68, clamp_u32(c->count[CLASS_NEG]));
    sentiment_put_u32(buf + 72, clamp_u32(c->skipped_empty));
    sentiment_put_u32(buf + 76, clamp_u32(c->count[CLASS_NEU]));
    /* written beside the target and renamed: a reader never sees half a model */
    char *tmp = xstrfmt("%s.tmp%ld", output, (long)getpid());
    enum vr_status st = VR_OK;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        st = vr_fail(err, VR_ERR_OUTPUT, "could not write sentiment model \"%s\": %s", output,
                     strerror(errno));
        goto cleanup;
    }
    bool ok = fwrite(buf, 1, size, f) == size;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    int saved = errno;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, output) != 0) {
        saved = errno;
        ok = false;
    }
    if (!ok) {
        unlink(tmp);
        st = vr_fail(err, VR_ERR_OUTPUT, "could not write sentiment model \"%s\": %s", output,
                     strerror(saved));
    }
cleanup:
    free(tmp);
    free(buf);
    return st;
}

enum vr_status sentiment_train(const char *const *inputs, size_t n_inputs, const char *output,
                               struct vr_error *err)
{
    return sentiment_train_shuffled(inputs, n_inputs, output, default_params.shuffles,
                                    default_params.seed, err);
}

enum vr_status sentiment_train_shuffled(const char *const *inputs, size_t n_inputs,
                                        const char *output, int shuffles, uint64_t seed,
                                        struct vr_error *err)
{
    struct sentiment_fit fit;
    sentiment_fit_recipe(&fit);
    fit.shuffles = shuffles;
    fit.seed = seed;
    return sentiment_train_fitted(inputs, n_inputs, output, &fit, err);
}

void sentiment_fit_recipe(struct sentiment_fit *fit)
{
    *fit = (struct sentiment_fit){.shuffles = default_params.shuffles,
                                  .seed = default_params.seed,
                                  .epochs = default_params.epochs,
                                  .average = default_params.average,
                                  .loss = default_params.loss,
                                  .opinion_loss = default_params.opinion_loss,
                                  .nb_beta = default_params.nb_beta,
                                  .solver = default_params.solver,
                                  .opinion_solver = default_params.opinion_solver,
                                  .lambda = default_params.lambda,
                                  .opinion_lambda = default_params.opinion_lambda};
}

enum vr_status sentiment_train_fitted(const char *const *inputs, size_t n_inputs,
                                      const char *output, const struct sentiment_fit *how,
                                      struct vr_error *err)
{
    if (n_inputs == 0)
        return vr_fail(err, VR_ERR_USAGE, "train-sentiment needs at least one input file");
    if (how->shuffles < 1 || how->shuffles > SENTIMENT_MAX_SHUFFLES)
        return vr_fail(err, VR_ERR_USAGE, "shuffles must be 1 to %d, not %d",
                       SENTIMENT_MAX_SHUFFLES, how->shuffles);
    if (how->epochs < 1 || how->epochs > SENTIMENT_MAX_EPOCHS || how->average < 0 ||
        how->average > how->epochs || (unsigned)how->loss >= SENTIMENT_N_LOSSES ||
        (unsigned)how->opinion_loss >= SENTIMENT_N_LOSSES || !(how->nb_beta >= 0) ||
        how->nb_beta > 1)
        return vr_fail(err, VR_ERR_USAGE,
                       "bad fit: %d epochs (1 to %d), the last %d averaged, losses %d and %d, "
                       "beta %g (0 to 1)",
                       how->epochs, SENTIMENT_MAX_EPOCHS, how->average, (int)how->loss,
                       (int)how->opinion_loss, how->nb_beta);
    if ((unsigned)how->solver >= SENTIMENT_N_SOLVERS ||
        (unsigned)how->opinion_solver >= SENTIMENT_N_SOLVERS || !(how->lambda >= 0) ||
        !(how->opinion_lambda >= 0) || isinf(how->lambda) || isinf(how->opinion_lambda) ||
        (how->solver == SENTIMENT_SOLVER_LBFGS && how->loss != SENTIMENT_LOSS_LOGISTIC) ||
        (how->opinion_solver == SENTIMENT_SOLVER_LBFGS &&
         how->opinion_loss != SENTIMENT_LOSS_LOGISTIC))
        return vr_fail(err, VR_ERR_USAGE,
                       "bad fit: solvers %d and %d, lambda %g and %g (0 or more; an exact fit "
                       "is of the logistic loss only)",
                       (int)how->solver, (int)how->opinion_solver, how->lambda,
                       how->opinion_lambda);
    struct train_params tp = default_params;
    tp.shuffles = how->shuffles;
    tp.seed = how->seed;
    tp.epochs = how->epochs;
    tp.average = how->average;
    tp.loss = how->loss;
    tp.opinion_loss = how->opinion_loss;
    tp.nb_beta = how->nb_beta;
    tp.solver = how->solver;
    tp.opinion_solver = how->opinion_solver;
    tp.lambda = how->lambda;
    tp.opinion_lambda = how->opinion_lambda;
#ifdef SENTIMENT_TUNING
    tuning_params(&tp);
#endif
    tp.o.contrast = (tp.flags & SENTIMENT_FLAG_CONTRAST) != 0;
    tp.o.en_skip = (tp.flags & SENTIMENT_FLAG_SKIP) != 0;
    struct corpus corp;
    memset(&corp, 0, sizeof(corp));
    enum vr_status st = VR_OK;
    struct trained m = {0};
    for (size_t k = 0; k < n_inputs; k++)
        if ((st = read_training_file(&corp, inputs[k], (uint32_t)k, &tp, err)) != VR_OK)
            goto cleanup;
    if (corp.count[CLASS_POS] == 0 || corp.count[CLASS_NEG] == 0) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s%s: training needs positive and negative rows (found %zu positive, "
                     "%zu negative)",
                     inputs[0], n_inputs > 1 ? " ..." : "", corp.count[CLASS_POS],
                     corp.count[CLASS_NEG]);
        goto cleanup;
    }
    row_weights(&corp, n_inputs, tp.file_power, tp.polarity_neutral);
    opinion_weights(&corp, n_inputs, tp.opinion_only);
    m.w = xcalloc((size_t)1 << tp.o.hash_bits, sizeof(float));
    m.u = xcalloc((size_t)1 << tp.o.hash_bits, sizeof(float));
    /* the opinion model is what tells a plain statement from a mild
     * opinion, which only neutral rows can teach */
    bool opinion = tp.opinion && corp.count[CLASS_NEU] > 0;
    choose_thresholds(&corp, &tp, n_inputs, opinion, m.w, m.u, m.band, m.threshold);
#ifdef SENTIMENT_TUNING
    if (getenv("VR_SENT_BAND"))
        for (int l = 0; l < SENTIMENT_N_LANG; l++)
            m.band[l] = atof(getenv("VR_SENT_BAND"));
#endif
    struct task pt = polarity_task(&corp, &tp), ot = opinion_task(&corp, &tp);
    fit(&corp, NULL, &tp, &pt, m.w, m.bias);
    memset(m.u, 0, ((size_t)1 << tp.o.hash_bits) * sizeof(float));
    if (opinion)
        fit(&corp, NULL, &tp, &ot, m.u, m.opinion_bias);
    st = write_model(output, &tp, &m, &corp, err);
cleanup:
    free(m.w);
    free(m.u);
    corpus_release(&corp);
    return st;
}
