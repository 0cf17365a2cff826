/* Sentiment: logistic regression over hashed features (sentiment_features.c),
 * trained with AdaGrad, stored as int16 weights.
 *
 * Model file, little-endian: SENTIMENT_HEADER bytes of header, then
 * 2^hash_bits int16 weights.
 *
 *   0  "VRSENTM\0"       magic
 *   8  u32 format         SENTIMENT_FORMAT
 *  12  u32 features       SENTIMENT_FEATURE_VERSION of the tokeniser
 *  16  u32 hash_bits, 20 zh_ngram, 24 en_ngram, 28 en_chargram,
 *      32 neg_scope_zh, 36 neg_scope_en   (struct sentiment_feature_opts)
 *  40  u32 flags          FLAG_NORM: feature value 1/sqrt(n) instead of 1;
 *                         FLAG_BINARY: a repeated feature counts once
 *  44  f32 scale          weight = int16 × scale
 *  48  f32 intercept of Chinese, 52 of English, 56 of other texts
 *  60  u32 rows trained, 64 positive, 68 negative, 72 empty rows skipped
 *  76  u32 0
 *
 * score = 2·sigmoid(intercept[lang] + v·scale·Σ w[bucket]) − 1, with v the
 * feature value; a text without any feature scores 0. */
#include "sentiment.h"
#include "sentiment_features.h"

#include "../jobs/strbuf.h"

#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SENTIMENT_MAGIC "VRSENTM"
#define SENTIMENT_FORMAT 1u
#define SENTIMENT_HEADER 80u
#define FLAG_NORM 1u
#define FLAG_BINARY 2u

struct sentiment_model {
    struct sentiment_feature_opts o;
    unsigned flags;
    float scale;
    float bias[SENTIMENT_N_LANG];
    int16_t *w;
    struct sentiment_model_info info;
    char version[13];
};

/* ---- little-endian helpers ---------------------------------------------- */

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float get_f32(const unsigned char *p)
{
    uint32_t u = get_u32(p);
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

static void put_f32(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof(u));
    put_u32(p, u);
}

static uint32_t clamp_u32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* ---- scoring ------------------------------------------------------------ */

struct dot {
    const int16_t *w;
    int64_t sum;
};

static void add_weight(void *ctx, uint32_t id)
{
    struct dot *d = ctx;
    int32_t w = d->w[id & ~SENTIMENT_MINUS];
    d->sum += (id & SENTIMENT_MINUS) ? -w : w;
}

static double feature_value(unsigned flags, size_t n)
{
    return (flags & FLAG_NORM) ? 1.0 / sqrt((double)n) : 1.0;
}

/* Buckets of one text: on the caller's stack, on the heap past that. */
struct bucket_list {
    uint32_t *b;
    size_t n, cap;
    bool heap;
};

static void bucket_push(void *ctx, uint32_t bucket)
{
    struct bucket_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = 2 * l->cap;
        if (l->heap) {
            l->b = xrealloc(l->b, cap * sizeof(uint32_t));
        } else {
            uint32_t *b = xmalloc(cap * sizeof(uint32_t));
            memcpy(b, l->b, l->n * sizeof(uint32_t));
            l->b = b;
            l->heap = true;
        }
        l->cap = cap;
    }
    l->b[l->n++] = bucket;
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

/* Σ ±w over the distinct ids of b (each feature counts once), in one pass
 * with an open-addressing set; *distinct gets their number. */
static int64_t sum_unique(const int16_t *w, const uint32_t *b, size_t n, size_t *distinct)
{
    unsigned bits = 7;
    while (((size_t)1 << bits) < 2 * n)
        bits++;
    size_t cap = (size_t)1 << bits;
    uint32_t stack[2048];
    uint32_t *set = cap <= 2048 ? stack : xmalloc(cap * sizeof(uint32_t));
    memset(set, 0xFF, cap * sizeof(uint32_t)); /* 0xFFFFFFFF is no id */
    int64_t sum = 0;
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        uint32_t id = b[j];
        size_t slot = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> (64 - bits));
        while (set[slot] != id && set[slot] != 0xFFFFFFFFu)
            slot = (slot + 1) & (cap - 1);
        if (set[slot] == id)
            continue;
        set[slot] = id;
        int32_t x = w[id & ~SENTIMENT_MINUS];
        sum += (id & SENTIMENT_MINUS) ? -x : x;
        k++;
    }
    if (set != stack)
        free(set);
    *distinct = k;
    return sum;
}

double sentiment_score(const struct sentiment_model *m, const char *text, size_t len)
{
    if (!m || !text)
        return 0.0;
    enum sentiment_lang lang;
    int64_t sum = 0;
    size_t n;
    if (m->flags & FLAG_BINARY) {
        uint32_t stack[1024];
        struct bucket_list l = {stack, 0, sizeof(stack) / sizeof(stack[0]), false};
        sentiment_features(&m->o, text, len, bucket_push, &l, &lang, NULL);
        sum = sum_unique(m->w, l.b, l.n, &n);
        if (l.heap)
            free(l.b);
    } else {
        struct dot d = {m->w, 0};
        n = sentiment_features(&m->o, text, len, add_weight, &d, &lang, NULL);
        sum = d.sum;
    }
    /* nothing was said (empty, only spaces or punctuation): no sentiment */
    if (n == 0)
        return 0.0;
    double z = m->bias[lang] + feature_value(m->flags, n) * m->scale * (double)sum;
    return 2.0 / (1.0 + exp(-z)) - 1.0;
}

const char *sentiment_version(const struct sentiment_model *m)
{
    return m ? m->version : "";
}

void sentiment_get_info(const struct sentiment_model *m, struct sentiment_model_info *out)
{
    memset(out, 0, sizeof(*out));
    if (m)
        *out = m->info;
}

void sentiment_free(struct sentiment_model *m)
{
    if (!m)
        return;
    free(m->w);
    free(m);
}

/* ---- loading ------------------------------------------------------------ */

static bool sha256_hex12(const unsigned char *data, size_t n, char out[13])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen < 6)
        return false;
    static const char hex[] = "0123456789abcdef";
    for (int k = 0; k < 6; k++) {
        out[2 * k] = hex[md[k] >> 4];
        out[2 * k + 1] = hex[md[k] & 15];
    }
    out[12] = '\0';
    return true;
}

/* Reads the whole file (a model is a few MB). */
static enum vr_status read_file(const char *path, unsigned char **data, size_t *size,
                                struct vr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return vr_fail(err, VR_ERR_CONFIG, "could not open sentiment model \"%s\": %s", path,
                       strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return vr_fail(err, VR_ERR_CONFIG, "%s: not a vocreport sentiment model (not a file)",
                       path);
    }
    if ((uintmax_t)st.st_size > SENTIMENT_HEADER + ((uintmax_t)2 << 24)) {
        fclose(f);
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s: not a vocreport sentiment model (%jd bytes, more than any model)",
                       path, (intmax_t)st.st_size);
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        buf = xrealloc(buf, cap);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return vr_fail(err, VR_ERR_CONFIG, "could not read sentiment model \"%s\"", path);
    }
    *data = buf;
    *size = n;
    return VR_OK;
}

enum vr_status sentiment_load(struct sentiment_model **out, const char *path,
                              struct vr_error *err)
{
    *out = NULL;
    unsigned char *data = NULL;
    size_t size = 0;
    enum vr_status st = read_file(path, &data, &size, err);
    if (st != VR_OK)
        return st;
    struct sentiment_model *m = NULL;
    if (size < 8 || memcmp(data, SENTIMENT_MAGIC, 8) != 0) {
        st = vr_fail(err, VR_ERR_CONFIG, "%s: not a vocreport sentiment model", path);
        goto cleanup;
    }
    if (size < SENTIMENT_HEADER) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s: sentiment model truncated (%zu bytes, the header alone is %u)", path,
                     size, SENTIMENT_HEADER);
        goto cleanup;
    }
    uint32_t format = get_u32(data + 8), features = get_u32(data + 12);
    if (format != SENTIMENT_FORMAT || features != SENTIMENT_FEATURE_VERSION) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s: sentiment model format %u.%u is not the one this vocreport reads "
                     "(%u.%u); retrain it with vocreport train-sentiment",
                     path, format, features, SENTIMENT_FORMAT, SENTIMENT_FEATURE_VERSION);
        goto cleanup;
    }
    m = xcalloc(1, sizeof(*m));
    m->o.hash_bits = get_u32(data + 16);
    m->o.zh_ngram = get_u32(data + 20);
    m->o.en_ngram = get_u32(data + 24);
    m->o.en_chargram = get_u32(data + 28);
    m->o.neg_scope_zh = get_u32(data + 32);
    m->o.neg_scope_en = get_u32(data + 36);
    m->flags = get_u32(data + 40);
    m->scale = get_f32(data + 44);
    bool finite = isfinite(m->scale) && m->scale > 0;
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        m->bias[l] = get_f32(data + 48 + 4 * l);
        finite = finite && isfinite(m->bias[l]);
    }
    m->info.rows = get_u32(data + 60);
    m->info.positive = get_u32(data + 64);
    m->info.negative = get_u32(data + 68);
    m->info.skipped_empty = get_u32(data + 72);
    if (m->o.hash_bits < 16 || m->o.hash_bits > 24 || m->o.zh_ngram < 1 || m->o.zh_ngram > 3 ||
        m->o.en_ngram < 1 || m->o.en_ngram > 2 ||
        (m->o.en_chargram != 0 && (m->o.en_chargram < 3 || m->o.en_chargram > 6)) ||
        m->o.neg_scope_zh > 15 || m->o.neg_scope_en > 15 ||
        (m->flags & ~(FLAG_NORM | FLAG_BINARY)) || !finite || get_u32(data + 76) != 0) {
        st = vr_fail(err, VR_ERR_CONFIG, "%s: not a vocreport sentiment model (bad header)",
                     path);
        goto cleanup;
    }
    size_t buckets = (size_t)1 << m->o.hash_bits;
    size_t want = SENTIMENT_HEADER + 2 * buckets;
    if (size < want) {
        st = vr_fail(err, VR_ERR_CONFIG, "%s: sentiment model truncated (%zu of %zu bytes)",
                     path, size, want);
        goto cleanup;
    }
    if (size > want) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s: not a vocreport sentiment model (%zu bytes, expected %zu)", path, size,
                     want);
        goto cleanup;
    }
    m->w = xmalloc(buckets * sizeof(int16_t));
    const unsigned char *p = data + SENTIMENT_HEADER;
    for (size_t k = 0; k < buckets; k++)
        m->w[k] = (int16_t)(uint16_t)(p[2 * k] | p[2 * k + 1] << 8);
    if (!sha256_hex12(data, size, m->version)) {
        st = vr_fail(err, VR_ERR_INTERNAL, "%s: could not compute sha256", path);
        goto cleanup;
    }
    *out = m;
    m = NULL;
cleanup:
    sentiment_free(m);
    free(data);
    return st;
}

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

/* ---- training ----------------------------------------------------------- */

struct train_params {
    struct sentiment_feature_opts o;
    unsigned flags;
    int epochs;
    double eta;     /* AdaGrad step */
    double l2;      /* on the weights a row touches */
    double nb_alpha; /* smoothing of the log-count ratios; 0 = plain logistic regression */
    uint64_t seed;  /* of the shuffle */
};

/* The shipped model's settings, chosen on a validation part of the
 * training rows of ../shared/data (see models/README.md).  Training has no
 * knobs on the command line: a company retrains with the same recipe. */
static const struct train_params default_params = {
    .o = {.hash_bits = 20, .zh_ngram = 3, .en_ngram = 2, .en_chargram = 5,
          .neg_scope_zh = 4, .neg_scope_en = 3},
    .flags = FLAG_NORM | FLAG_BINARY,
    .epochs = 8,
    .eta = 0.1,
    .l2 = 1e-7,
    .nb_alpha = 1.0,
    .seed = 0x5eed5eedu,
};

/* Every training row as its list of buckets, in one array. */
struct corpus {
    uint32_t *feat;
    size_t n_feat, cap_feat;
    size_t *off; /* row k: feat[off[k] .. off[k + 1]) */
    unsigned char *label;
    unsigned char *lang;
    size_t n_docs, cap_docs;
    size_t positive, negative, skipped_empty;
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

static void corpus_add(struct corpus *c, const struct train_params *tp, const char *text,
                       size_t len, int label)
{
    if (c->n_docs + 1 >= c->cap_docs) {
        c->cap_docs = c->cap_docs ? 2 * c->cap_docs : 1024;
        c->off = xrealloc(c->off, (c->cap_docs + 1) * sizeof(size_t));
        c->label = xrealloc(c->label, c->cap_docs);
        c->lang = xrealloc(c->lang, c->cap_docs);
    }
    if (c->n_docs == 0)
        c->off[0] = 0;
    size_t first = c->n_feat;
    enum sentiment_lang lang;
    sentiment_features(&tp->o, text, len, collect, c, &lang, NULL);
    if (tp->flags & FLAG_BINARY)
        c->n_feat = first + unique_buckets(c->feat + first, c->n_feat - first);
    c->label[c->n_docs] = (unsigned char)label;
    c->lang[c->n_docs] = (unsigned char)lang;
    c->off[++c->n_docs] = c->n_feat;
    if (label)
        c->positive++;
    else
        c->negative++;
}

struct corpus_filler {
    struct corpus *corp;
    const struct train_params *tp;
};

static void corpus_row(void *ctx, int label, const char *text, size_t len)
{
    struct corpus_filler *cf = ctx;
    corpus_add(cf->corp, cf->tp, text, len, label);
}

static void corpus_release(struct corpus *c)
{
    free(c->feat);
    free(c->off);
    free(c->label);
    free(c->lang);
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
    for (size_t k = 0; k < c->n_fields; k++) {
        size_t n;
        const char *name = csv_field(c, k, &n);
        if (name_is(name, n, "label") && col_label == SIZE_MAX)
            col_label = k;
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
        if (n != 1 || (lab[0] != '0' && lab[0] != '1')) {
            st = vr_fail(err, VR_ERR_CONFIG, "%s:%lu: label must be 0 or 1", path, line);
            goto cleanup;
        }
        const char *text = csv_field(c, col_text, &n);
        if (blank(text, n)) {
            (*skipped_empty)++;
            continue;
        }
        row(ctx, lab[0] == '1', text, n);
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

/* NB-weighting (Wang & Manning 2012, "NBSVM"): each bucket's log-count
 * ratio log((a + alpha) / (b + alpha)), a and b its occurrences in positive
 * and negative rows, weighted so that within each language the positive
 * and the negative rows weigh the same: one language's class balance does
 * not shift another's ratios. */
static float *log_count_ratios(const struct corpus *c, double alpha, size_t buckets)
{
    double pos[SENTIMENT_N_LANG] = {0}, neg[SENTIMENT_N_LANG] = {0};
    for (size_t d = 0; d < c->n_docs; d++) {
        double n = (double)(c->off[d + 1] - c->off[d]);
        if (c->label[d])
            pos[c->lang[d]] += n;
        else
            neg[c->lang[d]] += n;
    }
    double wpos[SENTIMENT_N_LANG], wneg[SENTIMENT_N_LANG];
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        double half = (pos[l] + neg[l]) / 2;
        wpos[l] = pos[l] > 0 ? half / pos[l] : 0;
        wneg[l] = neg[l] > 0 ? half / neg[l] : 0;
    }
    double *p = xcalloc(buckets, sizeof(double)), *q = xcalloc(buckets, sizeof(double));
    for (size_t d = 0; d < c->n_docs; d++) {
        double one = c->label[d] ? wpos[c->lang[d]] : wneg[c->lang[d]];
        for (size_t j = c->off[d]; j < c->off[d + 1]; j++) {
            /* a flipped feature is evidence for the other class */
            bool to_p = (c->label[d] != 0) != ((c->feat[j] & SENTIMENT_MINUS) != 0);
            (to_p ? p : q)[c->feat[j] & ~SENTIMENT_MINUS] += one;
        }
    }
    float *r = xmalloc(buckets * sizeof(float));
    for (size_t k = 0; k < buckets; k++)
        r[k] = (float)(log(p[k] + alpha) - log(q[k] + alpha));
    free(p);
    free(q);
    return r;
}

/* Logistic regression by AdaGrad on feature values v·r[bucket], one
 * intercept per language; the weights returned already include r. */
static void fit(const struct corpus *c, const struct train_params *tp, float *w,
                double bias[SENTIMENT_N_LANG])
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    float *r = tp->nb_alpha > 0 ? log_count_ratios(c, tp->nb_alpha, buckets) : NULL;
    float *g2 = xcalloc(buckets, sizeof(float));
    double gb2[SENTIMENT_N_LANG] = {0};
    size_t *order = xmalloc((c->n_docs ? c->n_docs : 1) * sizeof(size_t));
    for (size_t k = 0; k < c->n_docs; k++)
        order[k] = k;
    uint64_t rng = tp->seed;
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        bias[l] = 0;
    for (int epoch = 0; epoch < tp->epochs; epoch++) {
        for (size_t k = c->n_docs; k > 1; k--) {
            size_t j = (size_t)(rng_next(&rng) % k);
            size_t t = order[k - 1];
            order[k - 1] = order[j];
            order[j] = t;
        }
        for (size_t k = 0; k < c->n_docs; k++) {
            size_t d = order[k];
            const uint32_t *f = c->feat + c->off[d];
            size_t n = c->off[d + 1] - c->off[d];
            if (n == 0)
                continue;
            double v = feature_value(tp->flags, n);
            double z = 0;
            for (size_t j = 0; j < n; j++) {
                uint32_t b = f[j] & ~SENTIMENT_MINUS;
                float x = (f[j] & SENTIMENT_MINUS) ? -1.0f : 1.0f;
                z += w[b] * x * (r ? r[b] : 1.0f);
            }
            int l = c->lang[d];
            z = bias[l] + v * z;
            double g = 1.0 / (1.0 + exp(-z)) - (double)c->label[d];
            for (size_t j = 0; j < n; j++) {
                uint32_t b = f[j] & ~SENTIMENT_MINUS;
                float x = (f[j] & SENTIMENT_MINUS) ? -1.0f : 1.0f;
                double gj = g * v * x * (r ? r[b] : 1.0f) + tp->l2 * w[b];
                g2[b] += (float)(gj * gj);
                w[b] -= (float)(tp->eta * gj / sqrt((double)g2[b] + 1e-8));
            }
            gb2[l] += g * g;
            bias[l] -= tp->eta * g / sqrt(gb2[l] + 1e-8);
        }
    }
    if (r)
        for (size_t k = 0; k < buckets; k++)
            w[k] *= r[k];
    free(r);
    free(order);
    free(g2);
}

static enum vr_status write_model(const char *output, const struct train_params *tp,
                                  const double bias[SENTIMENT_N_LANG], const float *w,
                                  const struct corpus *c, struct vr_error *err)
{
    size_t buckets = (size_t)1 << tp->o.hash_bits;
    float maxw = 0;
    for (size_t k = 0; k < buckets; k++)
        if (fabsf(w[k]) > maxw)
            maxw = fabsf(w[k]);
    float scale = maxw > 0 ? maxw / 32767.0f : 1.0f;
    size_t size = SENTIMENT_HEADER + 2 * buckets;
    unsigned char *buf = xcalloc(1, size);
    memcpy(buf, SENTIMENT_MAGIC, 8);
    put_u32(buf + 8, SENTIMENT_FORMAT);
    put_u32(buf + 12, SENTIMENT_FEATURE_VERSION);
    put_u32(buf + 16, tp->o.hash_bits);
    put_u32(buf + 20, tp->o.zh_ngram);
    put_u32(buf + 24, tp->o.en_ngram);
    put_u32(buf + 28, tp->o.en_chargram);
    put_u32(buf + 32, tp->o.neg_scope_zh);
    put_u32(buf + 36, tp->o.neg_scope_en);
    put_u32(buf + 40, tp->flags);
    put_f32(buf + 44, scale);
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        put_f32(buf + 48 + 4 * l, (float)bias[l]);
    put_u32(buf + 60, clamp_u32(c->n_docs));
    put_u32(buf + 64, clamp_u32(c->positive));
    put_u32(buf + 68, clamp_u32(c->negative));
    put_u32(buf + 72, clamp_u32(c->skipped_empty));
    for (size_t k = 0; k < buckets; k++) {
        long q = lrintf(w[k] / scale);
        q = q > 32767 ? 32767 : q < -32767 ? -32767 : q;
        uint16_t u = (uint16_t)(int16_t)q;
        buf[SENTIMENT_HEADER + 2 * k] = (unsigned char)u;
        buf[SENTIMENT_HEADER + 2 * k + 1] = (unsigned char)(u >> 8);
    }
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
    if (n_inputs == 0)
        return vr_fail(err, VR_ERR_USAGE, "train-sentiment needs at least one input file");
    struct train_params tp = default_params;
    struct corpus corp;
    memset(&corp, 0, sizeof(corp));
    enum vr_status st = VR_OK;
    float *w = NULL;
    struct corpus_filler cf = {&corp, &tp};
    for (size_t k = 0; k < n_inputs; k++)
        if ((st = sentiment_read_training(inputs[k], corpus_row, &cf, &corp.skipped_empty, err)) !=
            VR_OK)
            goto cleanup;
    if (corp.positive == 0 || corp.negative == 0) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s%s: training needs positive and negative rows (found %zu positive, "
                     "%zu negative)",
                     inputs[0], n_inputs > 1 ? " ..." : "", corp.positive, corp.negative);
        goto cleanup;
    }
    w = xcalloc((size_t)1 << tp.o.hash_bits, sizeof(float));
    double bias[SENTIMENT_N_LANG];
    fit(&corp, &tp, w, bias);
    st = write_model(output, &tp, bias, w, &corp, err);
cleanup:
    free(w);
    corpus_release(&corp);
    return st;
}
