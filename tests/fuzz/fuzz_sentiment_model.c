/* Fuzz target: the input bytes as a sentiment model file through
 * sentiment_load, the loader of check-config, classify and the nightly
 * tagging.  The loader must accept exactly the files a second reading of
 * the documented format 4 accepts (the header comment of
 * classify/sentiment_model.h, models/README.md), read again here rather
 * than through the loader's helpers, and refuse the others with a
 * configuration error naming the file.
 *
 * A real model is at least 262,272 bytes (2 × 2^16 weights), far beyond what
 * mutating small inputs reaches, so an input whose header declares 2^16 or
 * 2^17 weights is also loaded grown to that size: its header, then the
 * bytes after the header repeated as the weights (zeros when there are
 * none; the opinion weights follow the polarity weights).  Each loaded model scores a few fixed
 * texts and the input itself; every score is compared with the documented formula computed here: r
 * = 2·sigmoid(intercept[lang] + v·scale·Σ±w·h) − 1 over the text's feature ids (each id once with
 * FLAG_BINARY; v = 1/√n with FLAG_NORM; h 1/2 for an id flagged SENTIMENT_HALF, which only
 * FLAG_CONTRAST gives), then, when the opinion model's p = sigmoid(opinion intercept[lang] +
 * v·opinion scale·Σu·h) (a flipped id counting +1) is below the
 * language's threshold o > 0, 0.05·r·p/o, and otherwise the neutral band
 * [-t, t] of the text's language stretched onto [-0.05, 0.05] and the rest
 * of each side onto the rest; 0 without features.  Function words give no feature, so texts that
 * differ only by them must score the same. */
#include "classify/sentiment.h"
#include "classify/sentiment_features.h"
#include "fuzz_common.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 128u
#define FORMAT 4u
/* The reports' neutral band (metrics.md), onto which the model's band is mapped. */
#define REPORT_NEUTRAL 0.05
#define FLAG_NORM 1u
#define FLAG_BINARY 2u
#define FLAG_CONTRAST 4u
#define FLAG_SKIP 8u

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float f32_at(const uint8_t *p)
{
    uint32_t u = u32_at(p);
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

/* The documented format, read again: is this a model file? */
static bool header_ok(const uint8_t *d, size_t size)
{
    if (size < HEADER || memcmp(d, "VRSENTM\0", 8) != 0)
        return false;
    uint32_t bits = u32_at(d + 16), zh = u32_at(d + 20), en = u32_at(d + 24);
    uint32_t chars = u32_at(d + 28), neg_zh = u32_at(d + 32), neg_en = u32_at(d + 36);
    uint32_t flags = u32_at(d + 40);
    float scale = f32_at(d + 44);
    uint32_t features = u32_at(d + 12);
    if (u32_at(d + 8) != FORMAT || (features != SENTIMENT_FEATURE_VERSION && features != 5))
        return false;
    if (bits < 16 || bits > 24 || zh < 1 || zh > 4 || en < 1 || en > 3)
        return false;
    /* version 5 knew no Chinese 4-grams, English triples or pairs across a word */
    if (features == 5 && (zh > 3 || en > 2 || (flags & FLAG_SKIP)))
        return false;
    if ((chars != 0 && (chars < 3 || chars > 6)) || neg_zh > 15 || neg_en > 15)
        return false;
    if ((flags & ~(FLAG_NORM | FLAG_BINARY | FLAG_CONTRAST | FLAG_SKIP)) != 0 ||
        !(isfinite(scale) && scale > 0))
        return false;
    for (int l = 0; l < 3; l++)
        if (!isfinite(f32_at(d + 48 + 4 * l)))
            return false;
    /* 76, the neutral rows trained on, is any count; 80, 84, 88 the bands */
    for (int l = 0; l < 3; l++) {
        float band = f32_at(d + 80 + 4 * l);
        if (!(band >= 0.0f && band < 1.0f))
            return false;
    }
    /* 92 the opinion scale, 96.. its intercepts, 108.. its thresholds */
    float oscale = f32_at(d + 92);
    if (!(isfinite(oscale) && oscale > 0))
        return false;
    for (int l = 0; l < 3; l++) {
        float o = f32_at(d + 108 + 4 * l);
        if (!isfinite(f32_at(d + 96 + 4 * l)) || !(o >= 0.0f && o < 1.0f))
            return false;
    }
    return u32_at(d + 120) == 0 && u32_at(d + 124) == 0 && size == HEADER + ((size_t)4 << bits);
}

struct ids {
    uint32_t *id;
    size_t n, cap;
};

static void collect(void *ctx, uint32_t id)
{
    struct ids *ids = ctx;
    if (ids->n == ids->cap) {
        ids->cap = ids->cap ? 2 * ids->cap : 256;
        ids->id = xrealloc(ids->id, ids->cap * sizeof(uint32_t));
    }
    ids->id[ids->n++] = id;
}

static int cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* r on the piecewise-linear map through (0, 0), (t, 0.05), (1, 1), odd;
 * t = 0 is no band of the model's own: r as it is. */
static double through_band(double r, double t)
{
    if (t == 0)
        return r;
    double x = fabs(r), y;
    if (x <= t)
        y = x / t * REPORT_NEUTRAL;
    else
        y = REPORT_NEUTRAL + (x - t) / (1 - t) * (1 - REPORT_NEUTRAL);
    return copysign(y, r);
}

/* The score the file d (already known to be a model) gives text. */
static double expected_score(const uint8_t *d, const char *text, size_t len)
{
    struct sentiment_feature_opts o = {
        .hash_bits = u32_at(d + 16),
        .zh_ngram = u32_at(d + 20),
        .en_ngram = u32_at(d + 24),
        .en_chargram = u32_at(d + 28),
        .neg_scope_zh = u32_at(d + 32),
        .neg_scope_en = u32_at(d + 36),
        .contrast = (u32_at(d + 40) & FLAG_CONTRAST) != 0,
        .en_skip = (u32_at(d + 40) & FLAG_SKIP) != 0,
    };
    uint32_t flags = u32_at(d + 40);
    struct ids ids = {NULL, 0, 0};
    enum sentiment_lang lang;
    sentiment_features(&o, text, len, collect, &ids, &lang, NULL);
    size_t n = ids.n;
    if ((flags & FLAG_BINARY) && n > 1) {
        qsort(ids.id, n, sizeof(uint32_t), cmp_id);
        size_t k = 1;
        for (size_t j = 1; j < n; j++)
            if (ids.id[j] != ids.id[k - 1])
                ids.id[k++] = ids.id[j];
        n = k;
    }
    double sum = 0, osum = 0;
    size_t buckets = (size_t)1 << o.hash_bits;
    for (size_t j = 0; j < n; j++) {
        uint32_t b = ids.id[j] & ~(SENTIMENT_MINUS | SENTIMENT_HALF);
        if ((ids.id[j] & SENTIMENT_HALF) && !o.contrast) {
            fprintf(stderr, "fuzz_sentiment_model: a feature weighs half without contrast\n");
            abort();
        }
        if (b >= (1u << o.hash_bits)) {
            fprintf(stderr, "fuzz_sentiment_model: feature id %u outside 2^%u buckets\n", b,
                    o.hash_bits);
            abort();
        }
        const uint8_t *p = d + HEADER + 2 * (size_t)b, *q = p + 2 * buckets;
        double w = (int16_t)(uint16_t)(p[0] | p[1] << 8);
        double u = (int16_t)(uint16_t)(q[0] | q[1] << 8);
        if (ids.id[j] & SENTIMENT_HALF)
            w /= 2, u /= 2;
        sum += (ids.id[j] & SENTIMENT_MINUS) ? -w : w;
        osum += u;
    }
    free(ids.id);
    if (n == 0)
        return 0.0;
    double v = (flags & FLAG_NORM) ? 1.0 / sqrt((double)n) : 1.0;
    double z = f32_at(d + 48 + 4 * lang) + v * f32_at(d + 44) * sum;
    double r = 2.0 / (1.0 + exp(-z)) - 1.0, thr = f32_at(d + 108 + 4 * lang);
    if (thr > 0) {
        double p = 1.0 / (1.0 + exp(-(f32_at(d + 96 + 4 * lang) + v * f32_at(d + 92) * osum)));
        if (p < thr)
            return REPORT_NEUTRAL * r * p / thr;
    }
    return through_band(r, f32_at(d + 80 + 4 * lang));
}

static char *long_text;
static size_t long_len;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* Over 1,024 features: the scorer's buffers move to the heap; a
     * contrast in the middle. */
    struct strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < 50; i++)
        strbuf_addf(&sb, "%s w%dq%d 不%d好, %s", i % 3 ? "not" : "good", i, i * 7, i % 10,
                    i == 25 ? "but " : "");
    long_len = sb.len;
    long_text = strbuf_detach(&sb);
    if (sentiment_score(NULL, "good", 4) != 0.0 || strcmp(sentiment_version(NULL), "") != 0)
        abort();
    return 0;
}

static void score_texts(const struct sentiment_model *m, const uint8_t *file, const uint8_t *data,
                        size_t size)
{
    static const char *const texts[] = {
        "",
        "   ...   ",
        "Great service, the driver was early :)",
        "not good at all, never again!!! @airline http://x.example &amp;",
        "I can't say it wasn't fine, but the box was damaged :(",
        "送货很快，味道不错，没有问题",
        "不好吃，太慢了，别再点了",
        "ＧＯＯＤ 👍 ok?",
        "Polite staff, but the fault is still there; although late, it works",
        "虽然贵，但是好用，不过有点慢",
    };
    /* Function words and characters only: no feature, whatever the model. */
    static const char *const nothing[] = {"Because", "because the", "的了是我", "Because, very"};
    /* Each scores as its second: the first only adds function words, and
     * none next to a content word (a pair with one, "the_staff", stays). */
    static const char *const same[][2] = {
        {"Because it was easy", "it was easy"},
        {"Because, the staff were lovely", "the staff were lovely"},
        {"因为，很方便", "很方便"},
    };
    for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++)
        if (sentiment_score(m, nothing[i], strlen(nothing[i])) != 0.0) {
            fprintf(stderr, "fuzz_sentiment_model: \"%s\" has no feature but scores\n", nothing[i]);
            abort();
        }
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        if (sentiment_score(m, same[i][0], strlen(same[i][0])) !=
            sentiment_score(m, same[i][1], strlen(same[i][1]))) {
            fprintf(stderr, "fuzz_sentiment_model: \"%s\" and \"%s\" score apart\n", same[i][0],
                    same[i][1]);
            abort();
        }
    enum { N_TEXTS = sizeof(texts) / sizeof(texts[0]) };
    for (size_t i = 0; i < N_TEXTS + 2; i++) {
        const char *t = i < N_TEXTS ? texts[i] : i == N_TEXTS ? long_text : (const char *)data;
        size_t n = i < N_TEXTS ? strlen(t) : i == N_TEXTS ? long_len : size;
        double got = sentiment_score(m, t, n), want = expected_score(file, t, n);
        if (!(got >= -1.0 && got <= 1.0) || fabs(got - want) > 1e-12 ||
            sentiment_score(m, t, n) != got) {
            fprintf(stderr, "fuzz_sentiment_model: text %zu scores %.17g, the formula %.17g\n", i,
                    got, want);
            abort();
        }
    }
}

/* Loads the file; it must load exactly when the format says it is a model. */
static void load(int slot, const uint8_t *file, size_t size, const uint8_t *data, size_t dsize)
{
    const char *path = fuzz_write_temp(slot, "sentiment_model", file, size);
    struct sentiment_model *m = NULL;
    struct vr_error err = {0};
    enum vr_status st = sentiment_load(&m, path, &err);
    bool ok = header_ok(file, size);
    if (st != VR_OK) {
        fuzz_expect_refusal("fuzz_sentiment_model", st, &err, path);
        if (m != NULL || ok) {
            fprintf(stderr, "fuzz_sentiment_model: a model by the format refused: %s\n", err.msg);
            abort();
        }
        return;
    }
    if (!m || !ok) {
        fprintf(stderr, "fuzz_sentiment_model: loaded a file the format refuses\n");
        abort();
    }
    const char *v = sentiment_version(m);
    if (strlen(v) != 12 || strspn(v, "0123456789abcdef") != 12)
        abort();
    struct sentiment_model_info info;
    sentiment_get_info(m, &info);
    if (info.rows != u32_at(file + 60) || info.positive != u32_at(file + 64) ||
        info.negative != u32_at(file + 68) || info.skipped_empty != u32_at(file + 72) ||
        info.neutral != u32_at(file + 76) || info.band[0] != f32_at(file + 80) ||
        info.band[1] != f32_at(file + 84) || info.band[2] != f32_at(file + 88) ||
        info.opinion_threshold[0] != f32_at(file + 108) ||
        info.opinion_threshold[1] != f32_at(file + 112) ||
        info.opinion_threshold[2] != f32_at(file + 116)) {
        fprintf(stderr, "fuzz_sentiment_model: the model's row counts, band or opinion "
                        "thresholds differ from its header\n");
        abort();
    }
    score_texts(m, file, data, dsize);
    sentiment_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(0, data, size, data, size);
    if (size < HEADER)
        return 0;
    uint32_t bits = u32_at(data + 16);
    if (bits != 16 && bits != 17)
        return 0;
    size_t grown = HEADER + ((size_t)4 << bits);
    uint8_t *file = xcalloc(1, grown);
    memcpy(file, data, HEADER);
    size_t rest = size - HEADER;
    for (size_t k = 0; rest > 0 && k < grown - HEADER; k++)
        file[HEADER + k] = data[HEADER + k % rest];
    load(1, file, grown, data, size);
    free(file);
    return 0;
}
