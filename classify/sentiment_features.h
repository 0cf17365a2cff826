/* The features of the sentiment model (private to classify/sentiment.c,
 * bench/ and tests/): how a text, Chinese or English or both, becomes a
 * list of hashed feature ids.
 *
 * - UTF-8 is decoded here; an invalid byte is skipped, nothing is read past
 *   len.  Full-width ASCII is folded to ASCII, ASCII letters lower-cased.
 * - English: words (letters, digits, inner apostrophes), their unigrams,
 *   character 3..en_chargram-grams of "<word>", and word pairs within a
 *   clause (with en_ngram 3 triples too, and with en_skip pairs across
 *   one word: "not very good" gives not__good); @mentions, URLs and HTML
 *   entities (&amp;) are dropped; a word of digits is the token NUM; "!",
 *   "?", emoji and :) :( are tokens.
 * - Chinese (CJK ideographs, kana): every character, and character pairs
 *   and triples (with zh_ngram 4, 4-grams) within a run of ideographs.
 * - Negation.  English: a cue (not, no, never, ...n't, cannot, without,
 *   nothing, ...) opens a scope of the next neg_scope_en content words up
 *   to the end of the clause, "but", or a word that opens another clause
 *   (since, when, and, or, ...: "not a single issue since we switched").
 *   Chinese: a cue (不 没 没有 无 非 未 别, but not 不错 不过 非常 无论 特别
 *   别人 ...) is no feature itself; its scope is the next neg_scope_zh
 *   characters up to a punctuation mark or space; and a clause that ends
 *   in 都没(有) or 也没(有) negates the neg_scope_zh characters before
 *   都/也 (一个问题都没有, 一点帮助都没有).  In both, each word, pair
 *   or character n-gram in the scope gives its feature twice: once with
 *   value -1 (polarity flipped, so 没有问题 counts against 问题 and "not
 *   a single issue" against issue, i.e. for the text) and once negated
 *   with value +1 (which learns where the flip is wrong: 不太好 is not
 *   "very bad"); an English word's character n-grams give only the
 *   negated form ("not good" does not contain the n-grams of good).
 * - Contrast (opts->contrast): a customer who writes "X, but Y" (但是, 不过,
 *   可是, however) or "although X, Y" (虽然, 尽管) tells how it ended in Y;
 *   the features of X (everything before the last "but", the clause of
 *   "although") weigh half.
 * - Function words (English "because", "the", "was", ...; Chinese 的 了 因
 *   为 很 ...) are not opinions: no feature of their own, and no pair or
 *   n-gram made of function words only; nor do they use up an English
 *   negation's scope.
 * - Texts with Chinese characters use the upper three quarters of the
 *   buckets, other texts the lowest quarter: the two never collide, and
 *   "ok" or "?" in a Chinese review is not the same feature as in an
 *   English tweet.
 * - The text's language (zh / en / other) is returned, so that each has
 *   its own intercept.
 *
 * Changing anything here changes what a stored model means: bump
 * SENTIMENT_FEATURE_VERSION, which the model file records. */
#ifndef VR_SENTIMENT_FEATURES_H
#define VR_SENTIMENT_FEATURES_H

#include "jobs/base/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SENTIMENT_FEATURE_VERSION 6u

struct sentiment_feature_opts {
    unsigned hash_bits;    /* buckets = 2^hash_bits, 16..24 */
    unsigned zh_ngram;     /* longest Chinese character n-gram, 1..4 */
    unsigned en_ngram;     /* longest English word n-gram, 1..3 */
    unsigned neg_scope_zh; /* characters negated after a Chinese cue, 0..15 */
    unsigned neg_scope_en; /* words negated after an English cue, 0..15 */
    unsigned en_chargram;  /* longest character n-gram (3..6) of English words; 0 = none */
    bool contrast;         /* what a contrast outweighs weighs half (SENTIMENT_HALF) */
    bool en_skip;          /* English word pairs with one word between (w1 _ w3) */
};

/* Which intercept a text gets: mostly Chinese characters, mostly English
 * words, or neither (symbols only, or nothing). */
enum sentiment_lang { SENTIMENT_ZH, SENTIMENT_EN, SENTIMENT_OTHER, SENTIMENT_N_LANG };

/* A feature id is a bucket (< 2^hash_bits), with SENTIMENT_MINUS set when
 * the feature's value is negative (a flipped feature under negation) and
 * SENTIMENT_HALF when it weighs half (before a contrast). */
#define SENTIMENT_MINUS 0x80000000u
#define SENTIMENT_HALF 0x40000000u
#define SENTIMENT_ID_FLAGS (SENTIMENT_MINUS | SENTIMENT_HALF)

/* A feature's value in a row, but for the row's scale: -1 when flipped
 * (unless the model reads a flip as +1, as the opinion model does), 1/2
 * when it weighs half. */
static inline float sentiment_feature_sign(uint32_t id, bool ignore_minus)
{
    return ((id & SENTIMENT_MINUS) && !ignore_minus ? -1.0f : 1.0f) *
           ((id & SENTIMENT_HALF) ? 0.5f : 1.0f);
}

/* Function words (English, lower-cased, len bytes) and characters
 * (Chinese): no feature of their own, see sentiment_features.c. */
bool sentiment_function_word(const char *word, size_t len);
bool sentiment_function_char(uint32_t cp);

/* Called once per feature with its id. */
typedef void sentiment_feature_fn(void *ctx, uint32_t bucket);

/* Calls fn for every feature of text (len bytes, need not be
 * NUL-terminated) and returns how many there were; sets *lang when lang is
 * not NULL.  When debug is not NULL
 * a readable form of each feature is appended to it, space-separated
 * (e.g. "w:not w:NEG_good b:NEG_not_good"; for Chinese "cue:不 c:NEG_好" where
 * c:NEG_好 stands for the flipped and the negated feature). */
size_t sentiment_features(const struct sentiment_feature_opts *o, const char *text, size_t len,
                          sentiment_feature_fn *fn, void *ctx, enum sentiment_lang *lang,
                          struct strbuf *debug);


#endif
