/* The sentiment model file, shared by the loader and scorer
 * (sentiment.c) and the trainer (sentiment_train.c, sentiment_exact.c);
 * private to them, tests/ and bench/.
 *
 * Two logistic regressions over the same hashed features
 * (sentiment_features.c), stored as int16 weights: "which sign" (polarity)
 * and "is there an opinion at all" (opinion).  Little-endian:
 * SENTIMENT_HEADER bytes of header, then 2^hash_bits int16 polarity
 * weights, then 2^hash_bits int16 opinion weights.
 *
 *   0  "VRSENTM\0"       magic
 *   8  u32 format         SENTIMENT_FORMAT
 *  12  u32 features       SENTIMENT_FEATURE_VERSION of the tokeniser
 *  16  u32 hash_bits, 20 zh_ngram, 24 en_ngram, 28 en_chargram,
 *      32 neg_scope_zh, 36 neg_scope_en   (struct sentiment_feature_opts,
 *                         whose comments give each one's range)
 *  40  u32 flags          FLAG_NORM: feature value 1/sqrt(n) instead of 1;
 *                         FLAG_BINARY: a repeated feature counts once;
 *                         FLAG_CONTRAST: what a contrast outweighs weighs
 *                         half (sentiment_features.h);
 *                         FLAG_SKIP: English pairs across one word
 *  44  f32 scale          polarity weight = int16 × scale; finite, > 0
 *  48  f32 intercept of Chinese, 52 of English, 56 of other texts; finite
 *                         (0 as trained: no intercept)
 *  60  u32 rows trained, 64 positive, 68 negative, 72 empty rows skipped
 *  76  u32 neutral rows trained on
 *  80  f32 neutral band t of Chinese, 84 of English, 88 of other texts;
 *                         each 0 <= t < 1
 *  92  f32 opinion scale  opinion weight = int16 × opinion scale; finite, > 0
 *  96  f32 opinion intercept of Chinese, 100 of English, 104 of other
 *                         texts; finite
 * 108  f32 opinion threshold o of Chinese, 112 of English, 116 of other
 *                         texts; each 0 <= o < 1 (0: every text is an opinion)
 * 120  u32 0, 124 u32 0
 *
 * r = 2·sigmoid(intercept[lang] + v·scale·Σ ±w[bucket]·h) − 1, with v the
 * feature value and h 1/2 for a feature that weighs half, 1 otherwise;
 * p = sigmoid(opinion intercept[lang] + v·opinion scale·Σ u[bucket]·h),
 * the probability that the text states an opinion (a negated feature
 * counts +1 here: "not good" is as much an opinion as "good").  When
 * p < o the text states none and the score is 0.05·r·p/o, inside the
 * reports' neutral band; otherwise it is r with the band [-t, t] of the
 * text's language (sentiment_features: zh, en, other), where the model is
 * sure of neither side, stretched onto the reports' neutral band
 * [-0.05, 0.05] and the rest of each side onto the rest (continuous,
 * monotonic in r, 0 stays 0).  A text without any feature scores 0.  The
 * loader accepts only this format, with every field in its range and the
 * exact size. */
#ifndef VR_SENTIMENT_MODEL_H
#define VR_SENTIMENT_MODEL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SENTIMENT_MAGIC "VRSENTM"
#define SENTIMENT_FORMAT 4u
#define SENTIMENT_HEADER 128u
#define SENTIMENT_FLAG_NORM 1u
#define SENTIMENT_FLAG_BINARY 2u
#define SENTIMENT_FLAG_CONTRAST 4u
#define SENTIMENT_FLAG_SKIP 8u
#define SENTIMENT_FLAGS_ALL                                                                        \
    (SENTIMENT_FLAG_NORM | SENTIMENT_FLAG_BINARY | SENTIMENT_FLAG_CONTRAST | SENTIMENT_FLAG_SKIP)
/* The reports count a row as negative below -0.05 and positive above 0.05
 * (metrics.md). */
#define SENTIMENT_REPORT_NEUTRAL 0.05

static inline uint32_t sentiment_get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline float sentiment_get_f32(const unsigned char *p)
{
    uint32_t u = sentiment_get_u32(p);
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

static inline void sentiment_put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

static inline void sentiment_put_f32(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof(u));
    sentiment_put_u32(p, u);
}

/* Each feature's value in a text of n features. */
static inline double sentiment_feature_value(unsigned flags, size_t n)
{
    return (flags & SENTIMENT_FLAG_NORM) ? 1.0 / sqrt((double)n) : 1.0;
}

/* r (2·P(positive) − 1) with the model's neutral band t applied. */
static inline double sentiment_banded(double r, double t)
{
    if (t <= 0)
        return r;
    double a = fabs(r);
    double s = a <= t
                   ? SENTIMENT_REPORT_NEUTRAL * a / t
                   : SENTIMENT_REPORT_NEUTRAL + (1 - SENTIMENT_REPORT_NEUTRAL) * (a - t) / (1 - t);
    return r < 0 ? -s : s;
}

/* The score of r (2·P(positive) − 1) for a text whose opinion
 * probability is p, with the opinion threshold o and the neutral band t of
 * its language. */
static inline double sentiment_combined(double r, double p, double o, double t)
{
    if (p < o)
        return SENTIMENT_REPORT_NEUTRAL * r * p / o;
    return sentiment_banded(r, t);
}

#endif
