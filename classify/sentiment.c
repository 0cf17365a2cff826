/* Sentiment: loading a model file and scoring a text with it (the file's
 * layout and the score's formula are in sentiment_model.h; training is in
 * sentiment_train.c). */
#include "sentiment.h"
#include "sentiment_features.h"
#include "sentiment_model.h"

#include "jobs/base/strbuf.h"

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

struct sentiment_model {
    struct sentiment_feature_opts o;
    unsigned flags;
    float scale;
    float bias[SENTIMENT_N_LANG];
    float band[SENTIMENT_N_LANG];
    float opinion_scale;
    float opinion_bias[SENTIMENT_N_LANG];
    float opinion_threshold[SENTIMENT_N_LANG];
    /* bucket b's polarity weight at 2b, its opinion weight at 2b + 1: one
     * cache line serves both models */
    int16_t *w;
    struct sentiment_model_info info;
    char version[13];
};

/* ---- scoring ------------------------------------------------------------ */

struct dot {
    const int16_t *w;
    int64_t sum, opinion;
};

/* Sums are kept in halves (sentiment_features.h: SENTIMENT_HALF), so that
 * they stay integers.  A flipped feature is evidence for the other sign,
 * but as much an opinion as the unflipped one. */
static inline void add_halves(struct dot *d, uint32_t id)
{
    const int16_t *w = d->w + 2 * (size_t)(id & ~SENTIMENT_ID_FLAGS);
    int32_t h = (id & SENTIMENT_HALF) ? 1 : 2;
    d->sum += (id & SENTIMENT_MINUS) ? -w[0] * h : w[0] * h;
    d->opinion += w[1] * h;
}

static void add_weight(void *ctx, uint32_t id)
{
    add_halves(ctx, id);
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

/* Σ ±w and Σ u, in halves, over the distinct ids of b (each feature counts
 * once), in one pass with an open-addressing set; returns their number. */
static size_t sum_unique(struct dot *d, const uint32_t *b, size_t n)
{
    unsigned bits = 7;
    while (((size_t)1 << bits) < 2 * n)
        bits++;
    size_t cap = (size_t)1 << bits;
    uint32_t stack[2048];
    uint32_t *set = cap <= 2048 ? stack : xmalloc(cap * sizeof(uint32_t));
    memset(set, 0xFF, cap * sizeof(uint32_t)); /* 0xFFFFFFFF is no id */
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        uint32_t id = b[j];
        size_t slot = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> (64 - bits));
        while (set[slot] != id && set[slot] != 0xFFFFFFFFu)
            slot = (slot + 1) & (cap - 1);
        if (set[slot] == id)
            continue;
        set[slot] = id;
        add_halves(d, id);
        k++;
    }
    if (set != stack)
        free(set);
    return k;
}

double sentiment_score(const struct sentiment_model *m, const char *text, size_t len)
{
    if (!m || !text)
        return 0.0;
    enum sentiment_lang lang;
    struct dot d = {m->w, 0, 0};
    size_t n;
    if (m->flags & SENTIMENT_FLAG_BINARY) {
        uint32_t stack[1024];
        struct bucket_list l = {stack, 0, sizeof(stack) / sizeof(stack[0]), false};
        sentiment_features(&m->o, text, len, bucket_push, &l, &lang, NULL);
        n = sum_unique(&d, l.b, l.n);
        if (l.heap)
            free(l.b);
    } else {
        n = sentiment_features(&m->o, text, len, add_weight, &d, &lang, NULL);
    }
    /* nothing was said (empty, only spaces or punctuation): no sentiment */
    if (n == 0)
        return 0.0;
    double v = sentiment_feature_value(m->flags, n);
    double z = m->bias[lang] + v * m->scale * (double)d.sum / 2;
    double r = 2.0 / (1.0 + exp(-z)) - 1.0;
    double o = m->opinion_threshold[lang];
    if (o <= 0)
        return sentiment_banded(r, m->band[lang]);
    double zo = m->opinion_bias[lang] + v * m->opinion_scale * (double)d.opinion / 2;
    return sentiment_combined(r, 1.0 / (1.0 + exp(-zo)), o, m->band[lang]);
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
    if ((uintmax_t)st.st_size > SENTIMENT_HEADER + ((uintmax_t)4 << 24)) {
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
    uint32_t format = sentiment_get_u32(data + 8), features = sentiment_get_u32(data + 12);
    /* Feature version 6 only added options that a version-5 model cannot
     * have set (English triples, pairs across a word, Chinese 4-grams): its
     * features come out the same, so a company's own model keeps working
     * after an upgrade (checked with the options below). */
    bool v5 = features == 5;
    if (format != SENTIMENT_FORMAT || (features != SENTIMENT_FEATURE_VERSION && !v5)) {
        st = vr_fail(err, VR_ERR_CONFIG,
                     "%s: sentiment model format %u.%u is not the one this vocreport reads "
                     "(%u.%u); retrain it with vocreport train-sentiment",
                     path, format, features, SENTIMENT_FORMAT, SENTIMENT_FEATURE_VERSION);
        goto cleanup;
    }
    m = xcalloc(1, sizeof(*m));
    m->o.hash_bits = sentiment_get_u32(data + 16);
    m->o.zh_ngram = sentiment_get_u32(data + 20);
    m->o.en_ngram = sentiment_get_u32(data + 24);
    m->o.en_chargram = sentiment_get_u32(data + 28);
    m->o.neg_scope_zh = sentiment_get_u32(data + 32);
    m->o.neg_scope_en = sentiment_get_u32(data + 36);
    m->flags = sentiment_get_u32(data + 40);
    m->o.contrast = (m->flags & SENTIMENT_FLAG_CONTRAST) != 0;
    m->o.en_skip = (m->flags & SENTIMENT_FLAG_SKIP) != 0;
    m->scale = sentiment_get_f32(data + 44);
    bool finite = isfinite(m->scale) && m->scale > 0;
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        m->bias[l] = sentiment_get_f32(data + 48 + 4 * l);
        finite = finite && isfinite(m->bias[l]);
    }
    m->info.rows = sentiment_get_u32(data + 60);
    m->info.positive = sentiment_get_u32(data + 64);
    m->info.negative = sentiment_get_u32(data + 68);
    m->info.skipped_empty = sentiment_get_u32(data + 72);
    m->info.neutral = sentiment_get_u32(data + 76);
    bool bands = true;
    m->opinion_scale = sentiment_get_f32(data + 92);
    finite = finite && isfinite(m->opinion_scale) && m->opinion_scale > 0;
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        m->band[l] = sentiment_get_f32(data + 80 + 4 * l);
        m->info.band[l] = m->band[l];
        bands = bands && m->band[l] >= 0 && m->band[l] < 1;
        m->opinion_bias[l] = sentiment_get_f32(data + 96 + 4 * l);
        finite = finite && isfinite(m->opinion_bias[l]);
        m->opinion_threshold[l] = sentiment_get_f32(data + 108 + 4 * l);
        m->info.opinion_threshold[l] = m->opinion_threshold[l];
        bands = bands && m->opinion_threshold[l] >= 0 && m->opinion_threshold[l] < 1;
    }
    if (m->o.hash_bits < 16 || m->o.hash_bits > 24 || m->o.zh_ngram < 1 || m->o.zh_ngram > 4 ||
        m->o.en_ngram < 1 || m->o.en_ngram > 3 ||
        (v5 && (m->o.zh_ngram > 3 || m->o.en_ngram > 2 || m->o.en_skip)) ||
        (m->o.en_chargram != 0 && (m->o.en_chargram < 3 || m->o.en_chargram > 6)) ||
        m->o.neg_scope_zh > 15 || m->o.neg_scope_en > 15 || (m->flags & ~SENTIMENT_FLAGS_ALL) ||
        !finite || !bands || sentiment_get_u32(data + 120) != 0 ||
        sentiment_get_u32(data + 124) != 0) {
        st = vr_fail(err, VR_ERR_CONFIG, "%s: not a vocreport sentiment model (bad header)",
                     path);
        goto cleanup;
    }
    size_t buckets = (size_t)1 << m->o.hash_bits;
    size_t want = SENTIMENT_HEADER + 4 * buckets;
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
    m->w = xmalloc(2 * buckets * sizeof(int16_t));
    const unsigned char *p = data + SENTIMENT_HEADER, *q = p + 2 * buckets;
    for (size_t k = 0; k < buckets; k++) {
        m->w[2 * k] = (int16_t)(uint16_t)(p[2 * k] | p[2 * k + 1] << 8);
        m->w[2 * k + 1] = (int16_t)(uint16_t)(q[2 * k] | q[2 * k + 1] << 8);
    }
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
