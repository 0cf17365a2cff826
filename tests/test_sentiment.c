/* Sentiment (classify/sentiment.c): the shipped model on hand-made cases
 * whose right answer is not in doubt, negation, odd input, training and
 * loading.  Negative means score < -0.05, positive > 0.05, neutral in
 * between (metrics.md).
 *
 *   test_sentiment MODEL SENTENCES
 *       MODEL      models/sentiment-default.model
 *       SENTENCES  tests/fixtures/service_sentences.tsv */
#include "classify/sentiment.h"
#include "classify/sentiment_exact.h"
#include "classify/sentiment_features.h"
#include "classify/sentiment_model.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int checks, failures;
static char tmpdir[] = "/tmp/vr-test-sentiment.XXXXXX";

static void check(bool ok, const char *what, const char *detail)
{
    checks++;
    if (!ok) {
        failures++;
        fprintf(stderr, "FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    }
}

static double score(const struct sentiment_model *m, const char *text)
{
    return sentiment_score(m, text, strlen(text));
}

static void expect_positive(const struct sentiment_model *m, const char *text)
{
    double s = score(m, text);
    char d[64];
    snprintf(d, sizeof(d), "score %.4f, want > 0.05", s);
    char what[512];
    snprintf(what, sizeof(what), "positive \"%s\"", text);
    check(s > 0.05, what, d);
}

static void expect_negative(const struct sentiment_model *m, const char *text)
{
    double s = score(m, text);
    char d[64];
    snprintf(d, sizeof(d), "score %.4f, want < -0.05", s);
    char what[512];
    snprintf(what, sizeof(what), "negative \"%s\"", text);
    check(s < -0.05, what, d);
}

static void expect_in_range(const char *what, double s)
{
    char d[64];
    snprintf(d, sizeof(d), "score %g", s);
    check(isfinite(s) && s >= -1.0 && s <= 1.0, what, d);
}

static char *path_in_tmp(const char *name)
{
    return xstrfmt("%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
        strbuf_add(&sb, buf, got);
    fclose(f);
    *n = sb.len;
    return (unsigned char *)strbuf_detach(&sb);
}

static void ignore(void *ctx, uint32_t id)
{
    (void)ctx;
    (void)id;
}

/* Buckets of a text, in order. */
struct ids {
    uint32_t id[256];
    size_t n;
};

static void collect_id(void *ctx, uint32_t id)
{
    struct ids *l = ctx;
    if (l->n < sizeof(l->id) / sizeof(l->id[0]))
        l->id[l->n++] = id;
}

static struct ids ids_of(const struct sentiment_feature_opts *o, const char *text)
{
    struct ids l = {.n = 0};
    sentiment_features(o, text, strlen(text), collect_id, &l, NULL, NULL);
    return l;
}

static bool has_id(const struct ids *x, uint32_t id)
{
    for (size_t k = 0; k < x->n; k++)
        if (x->id[k] == id)
            return true;
    return false;
}

/* ---- the shipped model ------------------------------------------------- */

static void test_clear_cases(const struct sentiment_model *m)
{
    expect_positive(m, "Great flight and a friendly crew, thank you!");
    expect_positive(m, "I love this airline, best service ever");
    expect_negative(m, "Worst airline ever. Lost my bag and nobody helps.");
    expect_negative(m, "My flight was delayed for 5 hours and customer service was rude");
    expect_positive(m, "非常好吃，送餐很快，下次还点");
    expect_positive(m, "质量很好，很满意");
    expect_negative(m, "太难吃了，送餐太慢，再也不点了");
    expect_negative(m, "质量太差，非常失望");
    /* full-width punctuation and letters are the same as ASCII */
    check(score(m, "ｇｏｏｄ！") == score(m, "good!"), "full-width folds to ASCII", NULL);
}

/* The readable features of text (sentiment_features' debug form) hold
 * each string of has and none of lacks (both NULL-terminated). */
static void expect_features(const struct sentiment_feature_opts *o, const char *text,
                            const char *const *has, const char *const *lacks)
{
    struct strbuf dbg;
    strbuf_init(&dbg);
    sentiment_features(o, text, strlen(text), ignore, NULL, NULL, &dbg);
    bool ok = true;
    for (; *has; has++)
        ok = ok && strstr(dbg.buf, *has) != NULL;
    for (; *lacks; lacks++)
        ok = ok && strstr(dbg.buf, *lacks) == NULL;
    char what[256];
    snprintf(what, sizeof(what), "features of \"%s\"", text);
    check(ok, what, dbg.buf);
    strbuf_release(&dbg);
}

/* A negation must never read as praise: each pair is (praise, its negation). */
static void test_negation(const struct sentiment_model *m)
{
    static const char *const pairs[][2] = {
        {"good", "not good"},
        {"The food was good", "The food was not good"},
        {"I would recommend it", "I would not recommend it"},
        {"The staff were helpful", "The staff were not helpful"},
        {"happy", "not happy"},
        {"好吃", "不好吃"},
        {"满意", "不满意"},
        {"新鲜", "不新鲜"},
        {"推荐", "不推荐"},
        {"服务很好", "服务不好"},
    };
    for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
        expect_positive(m, pairs[k][0]);
        expect_negative(m, pairs[k][1]);
    }
    /* the negation of a complaint is not a complaint */
    expect_positive(m, "没有问题");
    expect_negative(m, "有问题");
    expect_positive(m, "质量没问题，很满意");

    /* and structurally, whatever the weights: the negated word is not
     * present as itself */
    struct sentiment_feature_opts o = {.hash_bits = 20, .zh_ngram = 3, .en_ngram = 2,
                                       .en_chargram = 5, .neg_scope_zh = 4, .neg_scope_en = 3};
    struct strbuf dbg;
    strbuf_init(&dbg);
    sentiment_features(&o, "not good", 8, ignore, NULL, NULL, &dbg);
    check(strstr(dbg.buf, "w:NEG_good") && !strstr(dbg.buf, " w:good"), "features of not good",
          dbg.buf);
    /* English as Chinese: a word in a negation's scope counts as itself
     * flipped (so "not bad" counts against bad) plus a negated copy; its
     * character n-grams as the negated copy only.  Without character
     * n-grams, "not" and "bad" are one feature each and "not bad" five:
     * not, bad flipped, the negated bad, and the pair not_bad flipped and
     * negated. */
    struct sentiment_feature_opts words = o;
    words.en_chargram = 0;
    struct ids cue = ids_of(&words, "not"), bad = ids_of(&words, "bad"),
               not_bad = ids_of(&words, "not bad");
    check(cue.n == 1 && bad.n == 1 && not_bad.n == 5 && not_bad.id[0] == cue.id[0] &&
              not_bad.id[1] == (bad.id[0] | SENTIMENT_MINUS) &&
              !(not_bad.id[2] & SENTIMENT_ID_FLAGS) && not_bad.id[2] != bad.id[0] &&
              (not_bad.id[3] & SENTIMENT_ID_FLAGS) == SENTIMENT_MINUS &&
              !(not_bad.id[4] & SENTIMENT_ID_FLAGS) &&
              not_bad.id[4] != (not_bad.id[3] & ~SENTIMENT_MINUS),
          "not bad: bad and not_bad flipped and negated", NULL);
    struct ids grams = ids_of(&o, "bad"), not_grams = ids_of(&o, "not bad");
    size_t flipped = 0;
    for (size_t k = 0; k < not_grams.n; k++)
        flipped += (not_grams.id[k] & SENTIMENT_MINUS) != 0;
    check(flipped == 2 && has_id(&not_grams, grams.id[0] | SENTIMENT_MINUS) &&
              !has_id(&not_grams, grams.id[1]),
          "not bad: only the word is flipped, its n-grams are negated", NULL);
    strbuf_reset(&dbg);
    const char *zh = "不好吃，特别好吃";
    sentiment_features(&o, zh, strlen(zh), ignore, NULL, NULL, &dbg);
    /* 不 negates up to the comma only; 特别 is no cue */
    check(strstr(dbg.buf, "cue:不 c:NEG_好 c:NEG_吃 c2:NEG_好吃") &&
              strstr(dbg.buf, "c:特 c:别 c2:特别 c:好") && !strstr(dbg.buf, "NEG_特"),
          "features of 不好吃，特别好吃", dbg.buf);
    /* Chinese also negates from behind: a clause ending in 都没有 or 也没
     * negates the four characters before 都/也, and only those */
    expect_features(
        &o, "用了半年，一个问题都没有",
        (const char *[]){"c:NEG_问 c2:NEG_个问", "c2:NEG_问题", " c:半 ", " c2:题都", NULL},
        (const char *[]){"NEG_半", "NEG_题都", NULL});
    /* 也没有人管: the cue negates what follows it, not 师傅 */
    expect_features(&o, "问题也没了，师傅也没有人管",
                    (const char *[]){"c2:NEG_问题", "c2:师傅", "c2:NEG_人管", NULL},
                    (const char *[]){"NEG_师", NULL});
    /* English: a negation does not reach into the next clause */
    expect_features(&o, "not a single issue since we switched",
                    (const char *[]){"w:NEG_issue", "w:switched", NULL},
                    (const char *[]){"NEG_switched", NULL});
    expect_features(&o, "nothing was broken and it all works",
                    (const char *[]){"w:NEG_broken", "w:works", NULL},
                    (const char *[]){"NEG_works", NULL});
    strbuf_release(&dbg);
}

/* A function word is not an opinion: "Because" alone says nothing, and a
 * survey answer's "Because ..." changes nothing (issue 11). */
static void test_function_words(const struct sentiment_model *m)
{
    static const char *const alone[] = {"Because", "because",       "BECAUSE", "because.",
                                        "The",     "it was",        "因为",    "我们的",
                                        "但是",    "because of the"};
    for (size_t k = 0; k < sizeof(alone) / sizeof(alone[0]); k++) {
        char what[128];
        snprintf(what, sizeof(what), "\"%s\" scores exactly 0", alone[k]);
        char d[64];
        snprintf(d, sizeof(d), "score %.4f", score(m, alone[k]));
        check(score(m, alone[k]) == 0.0, what, d);
    }
    static const char *const same[][2] = {
        {"Because it was easy", "it was easy"},
        {"because it is so slow", "it is so slow"},
        {"Because, the staff were lovely", "the staff were lovely"},
        {"因为，很方便", "很方便"},
    };
    for (size_t k = 0; k < sizeof(same) / sizeof(same[0]); k++) {
        char what[256];
        snprintf(what, sizeof(what), "\"%s\" scores as \"%s\"", same[k][0], same[k][1]);
        check(score(m, same[k][0]) == score(m, same[k][1]), what, NULL);
    }
    expect_positive(m, "Because it was easy");
    expect_positive(m, "Because they were helpful and polite");
    expect_negative(m, "Because the engineer never came");
    expect_positive(m, "因为他们很热情");

    check(sentiment_function_word("because", 7) && sentiment_function_word("the", 3) &&
              sentiment_function_word("they're", 7) && sentiment_function_word("a", 1) &&
              sentiment_function_word("yourselves", 10),
          "function words found (the list is sorted)", NULL);
    check(!sentiment_function_word("good", 4) && !sentiment_function_word("not", 3) &&
              !sentiment_function_word("never", 5) && !sentiment_function_word("becaus", 6) &&
              !sentiment_function_word("", 0),
          "content words and negation cues are not function words", NULL);
    check(sentiment_function_char(0x7684) && sentiment_function_char(0x56E0) &&
              sentiment_function_char(0x4E00) && sentiment_function_char(0x91CC) &&
              !sentiment_function_char(0x597D) && !sentiment_function_char(0x4E0D),
          "function characters: 的 因 一 里 are, 好 不 are not", NULL);

    /* structurally: a pair with a content word stays, one without goes */
    struct sentiment_feature_opts o = {.hash_bits = 20,
                                       .zh_ngram = 3,
                                       .en_ngram = 2,
                                       .en_chargram = 5,
                                       .neg_scope_zh = 4,
                                       .neg_scope_en = 3};
    struct strbuf dbg;
    strbuf_init(&dbg);
    const char *en = "Because it was too slow";
    sentiment_features(&o, en, strlen(en), ignore, NULL, NULL, &dbg);
    check(strstr(dbg.buf, "b:too_slow") && strstr(dbg.buf, "w:slow") &&
              !strstr(dbg.buf, "because") && !strstr(dbg.buf, "b:it_was") &&
              !strstr(dbg.buf, "w:too"),
          "features of \"Because it was too slow\"", dbg.buf);
    strbuf_reset(&dbg);
    /* a function word does not use up a negation's scope of three words */
    en = "never had a late delivery";
    sentiment_features(&o, en, strlen(en), ignore, NULL, NULL, &dbg);
    check(strstr(dbg.buf, "w:NEG_late") && strstr(dbg.buf, "w:NEG_delivery"),
          "features of \"never had a late delivery\"", dbg.buf);
    strbuf_reset(&dbg);
    const char *zh = "因为我们很满意";
    sentiment_features(&o, zh, strlen(zh), ignore, NULL, NULL, &dbg);
    check(strstr(dbg.buf, "c:满") && strstr(dbg.buf, "c2:很满") && !strstr(dbg.buf, "c:因") &&
              !strstr(dbg.buf, "c2:因为") && !strstr(dbg.buf, "c3:因为我") &&
              !strstr(dbg.buf, "c:很"),
          "features of 因为我们很满意", dbg.buf);
    /* no n-gram across "because": 因为账单 is not a feature that carries
     * the reviews' complaints */
    strbuf_reset(&dbg);
    zh = "因为账单清楚";
    sentiment_features(&o, zh, strlen(zh), ignore, NULL, NULL, &dbg);
    check(strstr(dbg.buf, "c2:账单") && !strstr(dbg.buf, "为账") && !strstr(dbg.buf, "因为账"),
          "features of 因为账单清楚", dbg.buf);
    strbuf_reset(&dbg);
    en = "happy because the app works";
    sentiment_features(&o, en, strlen(en), ignore, NULL, NULL, &dbg);
    check(strstr(dbg.buf, "b:app_works") && strstr(dbg.buf, "b:the_app") &&
              !strstr(dbg.buf, "b:happy_") && !strstr(dbg.buf, "_the") &&
              strstr(dbg.buf, "w:happy"),
          "features of \"happy because the app works\"", dbg.buf);
    strbuf_release(&dbg);
}

/* Word order beyond pairs, each behind its option (off in the options
 * below, as shipped): English word triples (en_ngram 3), English pairs
 * across one word (en_skip) and Chinese character 4-grams (zh_ngram 4),
 * none made of function words only, none across a clause. */
static void test_word_order(void)
{
    const struct sentiment_feature_opts off = {.hash_bits = 20,
                                               .zh_ngram = 3,
                                               .en_ngram = 2,
                                               .en_chargram = 5,
                                               .neg_scope_zh = 4,
                                               .neg_scope_en = 3};
    expect_features(&off, "did not arrive, not very good", (const char *[]){"b:did_not", NULL},
                    (const char *[]){"t:", "k:", NULL});
    expect_features(&off, "客服很耐心", (const char *[]){"c3:很耐心", NULL},
                    (const char *[]){"c4:", NULL});

    struct sentiment_feature_opts o = off;
    o.en_ngram = 3;
    expect_features(&o, "It arrived a day early, very good",
                    (const char *[]){"t:arrived_a_day", "t:a_day_early", "t:it_arrived_a", NULL},
                    (const char *[]){"t:day_early_very", "t:early_very_good", "k:", NULL});
    /* in a negation's scope as pairs are: flipped and negated */
    expect_features(&o, "the parcel did not arrive", (const char *[]){"t:NEG_did_not_arrive", NULL},
                    (const char *[]){" t:did_not_arrive", NULL});
    /* "it was the": function words only; nor across "because" */
    expect_features(&o, "sad because it was the best", (const char *[]){"t:was_the_best", NULL},
                    (const char *[]){"t:it_was_the", "t:sad_", "t:because", NULL});
    struct ids pairs = ids_of(&off, "slow cold food"), triples = ids_of(&o, "slow cold food");
    bool kept = triples.n == pairs.n + 1;
    for (size_t k = 0; k < pairs.n; k++)
        kept = kept && has_id(&triples, pairs.id[k]);
    check(kept, "a triple adds one feature to a three-word text", NULL);

    o = off;
    o.en_skip = true;
    expect_features(&o, "not very good, no real help",
                    (const char *[]){"k:NEG_not__good", "k:NEG_no__help", "b:NEG_very_good", NULL},
                    (const char *[]){"k:very__no", "k:good__real", "t:", NULL});
    expect_features(&o, "it was the best", (const char *[]){"k:was__best", NULL},
                    (const char *[]){"k:it__the", NULL});
    /* a pair across one word is not the pair of neighbours */
    struct sentiment_feature_opts words = off;
    words.en_chargram = 0;
    struct ids near = ids_of(&words, "good food");
    words.en_skip = true;
    struct ids across = ids_of(&words, "good fresh food");
    check(near.n == 3 && across.n == 6 && !has_id(&across, near.id[2]),
          "good__food is its own feature, not good_food", NULL);

    o = off;
    o.zh_ngram = 4;
    expect_features(&o, "客服很耐心，我们都是好人",
                    (const char *[]){"c4:客服很耐", "c4:服很耐心", "c4:们都是好", NULL},
                    (const char *[]){"c4:我们都是", "c4:耐心", "c4:心", NULL});
    /* in a negation's scope, and not across the cue */
    expect_features(&o, "这次的水果不太新鲜了", (const char *[]){"c4:NEG_太新鲜了", NULL},
                    (const char *[]){"不太", "c4:水果不", NULL});
}

/* The score of text under a model of 2^16 buckets whose only weight is
 * 1 (scale 1) on the polarity of bucket, with the feature options of o
 * and flags written in its header; NAN when it does not load. */
static double score_one_weight(const struct sentiment_feature_opts *o, unsigned flags,
                               uint32_t bucket, const char *text)
{
    size_t buckets = (size_t)1 << 16, n = SENTIMENT_HEADER + 4 * buckets;
    unsigned char *b = xcalloc(1, n);
    memcpy(b, SENTIMENT_MAGIC, 8);
    sentiment_put_u32(b + 8, SENTIMENT_FORMAT);
    sentiment_put_u32(b + 12, SENTIMENT_FEATURE_VERSION);
    sentiment_put_u32(b + 16, 16);
    sentiment_put_u32(b + 20, o->zh_ngram);
    sentiment_put_u32(b + 24, o->en_ngram);
    sentiment_put_u32(b + 28, o->en_chargram);
    sentiment_put_u32(b + 32, o->neg_scope_zh);
    sentiment_put_u32(b + 36, o->neg_scope_en);
    sentiment_put_u32(b + 40, flags);
    sentiment_put_f32(b + 44, 1.0f);
    sentiment_put_f32(b + 92, 1.0f);
    b[SENTIMENT_HEADER + 2 * bucket] = 1;
    char *p = path_in_tmp("one-weight.model");
    write_file(p, b, n);
    struct sentiment_model *m = NULL;
    struct vr_error err = {0};
    double r = sentiment_load(&m, p, &err) == VR_OK ? score(m, text) : NAN;
    sentiment_free(m);
    free(p);
    free(b);
    return r;
}

/* The scorer reads the new options from the model file and computes the
 * features the trainer did: a model whose one weight sits on a text's
 * triple (4-gram, pair across a word) scores the text tanh(1/(2·sqrt(n)))
 * with n its features, and 0 without the option. */
static void test_word_order_scored(void)
{
    const struct sentiment_feature_opts off = {
        .hash_bits = 16, .zh_ngram = 3, .en_ngram = 2, .neg_scope_zh = 4, .neg_scope_en = 3};
    const unsigned flags = SENTIMENT_FLAG_NORM | SENTIMENT_FLAG_BINARY;
    static const struct {
        const char *text;
        int option; /* 0 English triples, 1 pairs across a word, 2 Chinese 4-grams */
    } cases[] = {{"slow cold food", 0}, {"good fresh food", 1}, {"服务很好", 2}};
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct sentiment_feature_opts o = off;
        unsigned f = flags;
        if (cases[k].option == 0)
            o.en_ngram = 3;
        else if (cases[k].option == 1)
            o.en_skip = true, f |= SENTIMENT_FLAG_SKIP;
        else
            o.zh_ngram = 4;
        struct ids with = ids_of(&o, cases[k].text), without = ids_of(&off, cases[k].text);
        uint32_t last = with.id[with.n - 1];
        double want = tanh(0.5 / sqrt((double)with.n));
        double got = score_one_weight(&o, f, last, cases[k].text);
        double none = score_one_weight(&off, flags, last, cases[k].text);
        char d[128];
        snprintf(d, sizeof(d), "%zu features, score %.6f (want %.6f), without the option %.6f",
                 with.n, got, want, none);
        char what[128];
        snprintf(what, sizeof(what), "\"%s\" scored with its new feature", cases[k].text);
        check(with.n == without.n + 1 && !has_id(&without, last) && fabs(got - want) < 1e-6 &&
                  none == 0.0,
              what, d);
    }
}

/* Are the ids of whole those of first (each with SENTIMENT_HALF) followed
 * by those of second? */
static bool halves_then_whole(const struct ids *whole, const struct ids *first,
                              const struct ids *second)
{
    if (whole->n != first->n + second->n)
        return false;
    for (size_t k = 0; k < first->n; k++)
        if (whole->id[k] != (first->id[k] | SENTIMENT_HALF))
            return false;
    for (size_t k = 0; k < second->n; k++)
        if (whole->id[first->n + k] != second->id[k])
            return false;
    return true;
}

/* Contrast: "X, but Y" and "although X, Y" tell how it ended in Y; what X
 * says weighs half.  Structurally: the features of X are X's own, each
 * flagged SENTIMENT_HALF, and Y's are Y's own. */
static void test_contrast(const struct sentiment_model *m)
{
    struct sentiment_feature_opts o = {.hash_bits = 20,
                                       .zh_ngram = 3,
                                       .en_ngram = 2,
                                       .en_chargram = 5,
                                       .neg_scope_zh = 4,
                                       .neg_scope_en = 3,
                                       .contrast = true};
    static const char *const cases[][3] = {
        /* text, the part that weighs half, the rest */
        {"polite staff, but my problem is still there", "polite staff, ",
         "but my problem is still there"},
        {"Friendly, BUT slow", "Friendly, ", "BUT slow"},
        {"late. However, the refund came fast", "late. ", "However, the refund came fast"},
        {"态度挺好，但是问题还在", "态度挺好，", "但是问题还在"},
        {"晚了一点，不过东西都好用", "晚了一点，", "不过东西都好用"},
        {"价格便宜，可是信号太差", "价格便宜，", "可是信号太差"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct ids whole = ids_of(&o, cases[k][0]), first = ids_of(&o, cases[k][1]),
                   second = ids_of(&o, cases[k][2]);
        char what[160];
        snprintf(what, sizeof(what), "contrast: \"%s\" weighs \"%s\" half", cases[k][0],
                 cases[k][1]);
        check(first.n > 0 && halves_then_whole(&whole, &first, &second), what, NULL);
    }
    /* "although X, Y": only the clause of "although" */
    struct ids whole = ids_of(&o, "although it was late, it works"),
               first = ids_of(&o, "although it was late"), second = ids_of(&o, ", it works");
    check(first.n > 0 && halves_then_whole(&whole, &first, &second),
          "contrast: the clause of \"although\" weighs half", NULL);
    whole = ids_of(&o, "虽然贵，但是好用");
    first = ids_of(&o, "虽然贵，");
    second = ids_of(&o, "但是好用");
    check(first.n > 0 && halves_then_whole(&whole, &first, &second),
          "contrast: 虽然 and 但是 together", NULL);
    /* no contrast: nothing after "but", 不但 ("not only"), "butter" */
    static const char *const plain[] = {"good but", "不但便宜，而且好用", "the butter was off",
                                        "nothing but"};
    for (size_t k = 0; k < sizeof(plain) / sizeof(plain[0]); k++) {
        struct ids l = ids_of(&o, plain[k]);
        bool any = false;
        for (size_t j = 0; j < l.n; j++)
            any = any || (l.id[j] & SENTIMENT_HALF);
        char what[96];
        snprintf(what, sizeof(what), "no contrast in \"%s\"", plain[k]);
        check(l.n > 0 && !any, what, NULL);
    }
    /* and in the shipped model: the verdict after "but" decides */
    expect_negative(m, "The staff were polite, but the fault is still there after a month");
    expect_positive(m, "The delivery was a day late, but the driver was lovely and it all works");
    expect_negative(m, "客服态度挺好，但是问题一个月了还没解决");
    expect_positive(m, "晚到了一天，不过快递员很客气，东西也都好用");
}

/* The neutral band: r within [-t, t] lands within the reports' neutral
 * [-0.05, 0.05], the rest beyond it; continuous and monotonic. */
static void test_band_mapping(const struct sentiment_model *m)
{
    const double t = 0.3;
    check(sentiment_banded(0, t) == 0 && sentiment_banded(1, t) == 1 &&
              sentiment_banded(-1, t) == -1,
          "band keeps 0, 1 and -1", NULL);
    check(fabs(sentiment_banded(t, t) - 0.05) < 1e-12 &&
              fabs(sentiment_banded(-t, t) + 0.05) < 1e-12,
          "band edge maps to the reports' 0.05", NULL);
    check(fabs(sentiment_banded(0.15, t) - 0.025) < 1e-12 &&
              fabs(sentiment_banded(0.65, t) - 0.525) < 1e-12,
          "band is linear inside (0.15 -> 0.025) and outside (0.65 -> 0.525)", NULL);
    bool monotonic = true;
    for (int k = -1000; k < 1000; k++)
        monotonic =
            monotonic && sentiment_banded(k / 1000.0, t) < sentiment_banded((k + 1) / 1000.0, t);
    check(monotonic, "band is monotonic", NULL);
    check(sentiment_banded(0.42, 0) == 0.42, "no band: r itself", NULL);

    struct sentiment_model_info info;
    sentiment_get_info(m, &info);
    char d[64];
    snprintf(d, sizeof(d), "bands %.3f %.3f %.3f", info.band[0], info.band[1], info.band[2]);
    check(info.band[SENTIMENT_ZH] > 0 && info.band[SENTIMENT_ZH] < 1 &&
              info.band[SENTIMENT_EN] > 0 && info.band[SENTIMENT_EN] < 1 && info.neutral > 0,
          "the shipped model has a neutral band per language, chosen on neutral rows", d);
}

/* Each language's band applies to its own texts only: the shipped model
 * with its bands rewritten (Chinese wide, English none) against the same
 * model without bands. */
static void test_band_per_language(const char *model_path)
{
    size_t n;
    unsigned char *file = read_all(model_path, &n);
    char *wide = path_in_tmp("zh-band.model"), *none = path_in_tmp("no-band.model");
    sentiment_put_f32(file + 80, 0.9f); /* Chinese */
    sentiment_put_f32(file + 84, 0.0f); /* English */
    sentiment_put_f32(file + 88, 0.0f); /* other */
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        sentiment_put_f32(file + 108 + 4 * l, 0.0f); /* no opinion model: the band alone */
    write_file(wide, file, n);
    sentiment_put_f32(file + 80, 0.0f);
    write_file(none, file, n);
    free(file);
    struct sentiment_model *a = NULL, *b = NULL;
    struct vr_error err = {0};
    if (sentiment_load(&a, wide, &err) != VR_OK || sentiment_load(&b, none, &err) != VR_OK) {
        check(false, "load the rewritten models", err.msg);
    } else {
        const char *en = "The engineer was friendly and quick", *zh = "师傅很友好，也很快";
        double ra = score(a, zh), rb = score(b, zh);
        char d[96];
        snprintf(d, sizeof(d), "%.4f with a 0.9 band, %.4f without", ra, rb);
        check(score(a, en) == score(b, en), "an English text does not use the Chinese band", NULL);
        /* r inside the band lands at 0.05 r / t, outside it is stretched
         * over the rest (t as the file holds it, a float) */
        double t = 0.9f;
        double want =
            fabs(rb) <= t ? 0.05 * rb / t : copysign(0.05 + 0.95 * (fabs(rb) - t) / (1 - t), rb);
        check(fabs(ra - want) < 1e-9 && rb > 0.05, "a Chinese text uses the Chinese band", d);
    }
    sentiment_free(a);
    sentiment_free(b);
    free(wide);
    free(none);
}

/* The opinion model: a text it reads as stating no opinion (p below the
 * language's threshold o) lands inside the reports' neutral band at
 * 0.05·r·p/o; one above it is scored by the band as before. */
static void test_opinion_mapping(const struct sentiment_model *m)
{
    check(fabs(sentiment_combined(0.8, 0.2, 0.4, 0.3) - 0.02) < 1e-12 &&
              fabs(sentiment_combined(-0.8, 0.2, 0.4, 0.3) + 0.02) < 1e-12,
          "no opinion: 0.05 r p / o (0.8, p 0.2, o 0.4 -> 0.02)", NULL);
    check(fabs(sentiment_combined(0.8, 0.5, 0.4, 0.3) - (0.05 + 0.95 * 0.5 / 0.7)) < 1e-12 &&
              sentiment_combined(0.8, 0.5, 0.4, 0.3) == sentiment_banded(0.8, 0.3),
          "an opinion: the band as before", NULL);
    check(fabs(sentiment_combined(-1.0, 0.3999, 0.4, 0)) < 0.05 &&
              fabs(sentiment_combined(1.0, 0.3999, 0.4, 0.5)) < 0.05,
          "no opinion stays inside the reports' neutral band, even at r = 1", NULL);
    struct sentiment_model_info info;
    sentiment_get_info(m, &info);
    char d[96];
    snprintf(d, sizeof(d), "opinion thresholds %.3f %.3f %.3f", info.opinion_threshold[0],
             info.opinion_threshold[1], info.opinion_threshold[2]);
    check(info.opinion_threshold[SENTIMENT_ZH] > 0 && info.opinion_threshold[SENTIMENT_ZH] < 1 &&
              info.opinion_threshold[SENTIMENT_EN] > 0 &&
              info.opinion_threshold[SENTIMENT_EN] < 1 &&
              info.opinion_threshold[SENTIMENT_OTHER] == 0,
          "the shipped model has an opinion threshold for Chinese and English, chosen on "
          "neutral rows",
          d);
}

/* The opinion model as the file defines it, computed apart: the shipped
 * model with its opinion weights zeroed and a Chinese opinion intercept of
 * 0 gives P(opinion) = 1/2 to every Chinese text; with the Chinese
 * threshold at 0.8 its score must be 0.05 · r · 0.5 / 0.8, r being the
 * score of the same model with no threshold and no band; English, whose
 * threshold stays 0, scores as without an opinion model. */
static void test_opinion_per_language(const char *model_path)
{
    size_t n;
    unsigned char *file = read_all(model_path, &n);
    size_t buckets = (n - SENTIMENT_HEADER) / 4;
    char *half = path_in_tmp("opinion-half.model"), *none = path_in_tmp("opinion-none.model");
    for (int l = 0; l < SENTIMENT_N_LANG; l++) {
        sentiment_put_f32(file + 80 + 4 * l, 0.0f);  /* no band */
        sentiment_put_f32(file + 96 + 4 * l, 0.0f);  /* opinion intercept */
        sentiment_put_f32(file + 108 + 4 * l, 0.0f); /* no opinion threshold */
    }
    memset(file + SENTIMENT_HEADER + 2 * buckets, 0, 2 * buckets);
    write_file(none, file, n);
    sentiment_put_f32(file + 108, 0.8f); /* Chinese */
    write_file(half, file, n);
    free(file);
    struct sentiment_model *a = NULL, *b = NULL;
    struct vr_error err = {0};
    if (sentiment_load(&a, half, &err) != VR_OK || sentiment_load(&b, none, &err) != VR_OK) {
        check(false, "load the rewritten models", err.msg);
    } else {
        const char *en = "The engineer was friendly and quick", *zh = "师傅很友好，也很快";
        double ra = score(a, zh), rb = score(b, zh), o = 0.8f;
        char d[96];
        snprintf(d, sizeof(d), "%.6f with P(opinion) 1/2 below 0.8, r %.6f", ra, rb);
        check(fabs(ra - 0.05 * rb * 0.5 / o) < 1e-9 && rb > 0.05 && ra > 0 && ra < 0.05,
              "a Chinese text below the Chinese opinion threshold: 0.05 r p / o", d);
        check(score(a, en) == score(b, en) && score(b, en) > 0.05,
              "an English text does not use the Chinese opinion threshold", NULL);
    }
    sentiment_free(a);
    sentiment_free(b);
    free(half);
    free(none);
}

/* The texts of issue 11's table, every one now read right. */
static void test_issue_table(const struct sentiment_model *m)
{
    expect_positive(m, "Because they were helpful and polite");
    expect_positive(m, "Because it was easy");
    expect_positive(m, "No complaints, everything arrived on time");
    expect_positive(m, "The support agent solved my problem in one call.");
    expect_positive(m, "客服很耐心，问题一次就解决了");
}

/* The hand-written service sentences (held out from training): a floor
 * under the share whose score lands in the labelled class, per language,
 * so that a change that loses what the retraining gained fails here (0.65
 * before our own service feedback was trained on; 0.84 and 0.79 after;
 * 0.874 and 0.874 with the opinion model; 0.887 and 0.866 with English
 * negation flipped and files weighing √rows).
 * The target (0.90) and the figures are bench/accuracy.sh's. */
static void test_service_sentences(const struct sentiment_model *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        check(false, "read the service sentences", path);
        return;
    }
    char line[1024];
    int n[2] = {0}, right[2] = {0};
    bool header = true;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#')
            continue;
        if (header) {
            header = false;
            continue;
        }
        char *lang = line, *sign = strchr(lang, '\t');
        char *kind = sign ? strchr(sign + 1, '\t') : NULL;
        char *domain = kind ? strchr(kind + 1, '\t') : NULL;
        char *text = domain ? strchr(domain + 1, '\t') : NULL;
        if (!text) {
            check(false, "service sentence has 5 columns", line);
            continue;
        }
        *sign++ = '\0';
        text++;
        int l = strcmp(lang, "zh") == 0;
        double sc = score(m, text);
        const char *got = sc > 0.05 ? "pos" : sc < -0.05 ? "neg" : "neu";
        n[l]++;
        right[l] += strncmp(sign, got, 3) == 0;
    }
    fclose(f);
    static const char *const names[2] = {"en", "zh"};
    for (int l = 0; l < 2; l++) {
        char what[128], d[64];
        snprintf(what, sizeof(what), "service sentences %s: sign right >= 0.85", names[l]);
        snprintf(d, sizeof(d), "%d of %d", right[l], n[l]);
        check(n[l] >= 200 && right[l] >= 0.85 * n[l], what, d);
    }
}

static void test_odd_input(const struct sentiment_model *m)
{
    check(score(m, "") == 0.0, "empty text scores 0", NULL);
    check(score(m, "   \n\t ") == 0.0, "blank text scores 0", NULL);
    check(score(m, "，。、 -- ...") == 0.0, "punctuation only scores 0", NULL);
    check(sentiment_score(m, NULL, 5) == 0.0, "NULL text scores 0", NULL);
    check(sentiment_score(NULL, "good", 4) == 0.0, "NULL model scores 0", NULL);
    /* len is honoured: nothing past it is read */
    check(sentiment_score(m, "good not good", 4) == score(m, "good"), "len bounds the text", NULL);

    expect_positive(m, "The app is great, 送餐很快，非常满意");
    expect_negative(m, "质量太差了, terrible");

    static const char invalid[] = "\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x90\x28\xbc\xed\xa0\x80";
    expect_in_range("invalid UTF-8", sentiment_score(m, invalid, sizeof(invalid) - 1));
    /* a truncated sequence at the end, and stray bytes, do not hide the words */
    static const char broken[] = "\xff好吃\xe5\xa5";
    check(sentiment_score(m, broken, sizeof(broken) - 1) > 0.05, "好吃 with broken bytes", NULL);
    static const char nul[] = "good\0bad";
    expect_in_range("embedded NUL", sentiment_score(m, nul, sizeof(nul) - 1));

    /* 4 MB: long praise, and deterministic garbage */
    size_t big = 4u << 20;
    char *t = xmalloc(big);
    const char *unit = "非常好吃，";
    size_t ul = strlen(unit), n = 0;
    while (n + ul <= big) {
        memcpy(t + n, unit, ul);
        n += ul;
    }
    check(sentiment_score(m, t, n) > 0.05, "4 MB of praise", NULL);
    uint32_t x = 12345;
    for (size_t k = 0; k < big; k++) {
        x = x * 1103515245u + 12345u;
        t[k] = (char)(x >> 23);
    }
    expect_in_range("4 MB of random bytes", sentiment_score(m, t, big));
    free(t);
    /* 1 MB word without spaces */
    t = xmalloc(1u << 20);
    memset(t, 'a', 1u << 20);
    expect_in_range("1 MB word", sentiment_score(m, t, 1u << 20));
    free(t);
}

static void test_version(const struct sentiment_model *m, const char *path)
{
    const char *v = sentiment_version(m);
    bool hex = strlen(v) == 12;
    for (const char *p = v; *p; p++)
        hex = hex && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
    check(hex, "version is 12 hex digits", v);
    struct sentiment_model *again = NULL;
    struct vr_error err = {0};
    check(sentiment_load(&again, path, &err) == VR_OK && strcmp(sentiment_version(again), v) == 0,
          "same file, same version", err.msg);
    sentiment_free(again);
    sentiment_free(NULL);
}

/* ---- training ------------------------------------------------------------ */

/* Columns in another order, a BOM, quoted commas and quotes, a line break
 * inside a quoted field, CRLF, an empty text, a blank line. */
static const char tiny_csv[] = "\xEF\xBB\xBF"
                               "id,text,label\r\n"
                               "1,\"great, friendly and fast\",1\r\n"
                               "2,\"awful \"\"service\"\", rude\nand slow\",0\r\n"
                               "3,great food,1\r\n"
                               "4,,0\r\n"
                               "\r\n"
                               "5,rude and slow,0\r\n"
                               "6,非常好吃,1\r\n"
                               "7,太难吃了,0\r\n"
                               "8,the parcel came on monday,0.5\r\n";

static void test_train_round_trip(void)
{
    char *csv = path_in_tmp("tiny.csv"), *model = path_in_tmp("tiny.model");
    char *model2 = path_in_tmp("tiny2.model");
    write_file(csv, tiny_csv, sizeof(tiny_csv) - 1);
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    check(sentiment_train(inputs, 1, model, &err) == VR_OK, "train tiny.csv", err.msg);
    struct sentiment_model *m = NULL;
    check(sentiment_load(&m, model, &err) == VR_OK, "load the trained model", err.msg);
    if (m) {
        struct sentiment_model_info info;
        sentiment_get_info(m, &info);
        char d[128];
        snprintf(d, sizeof(d), "rows %zu positive %zu negative %zu neutral %zu empty %zu",
                 info.rows, info.positive, info.negative, info.neutral, info.skipped_empty);
        check(info.rows == 7 && info.positive == 3 && info.negative == 3 && info.neutral == 1 &&
                  info.skipped_empty == 1,
              "trained on 7 rows, 1 neutral, 1 empty skipped", d);
        check(info.band[0] >= 0 && info.band[0] < 1 && info.band[1] >= 0 && info.band[1] < 1 &&
                  info.band[2] >= 0 && info.band[2] < 1,
              "bands in 0..1", NULL);
        check(score(m, "great and friendly") > score(m, "rude and slow"), "learnt en", NULL);
        check(score(m, "好吃") > score(m, "难吃"), "learnt zh", NULL);
    }
    sentiment_free(m);
    /* deterministic: the same bytes again */
    check(sentiment_train(inputs, 1, model2, &err) == VR_OK, "train again", err.msg);
    size_t n1, n2;
    unsigned char *a = read_all(model, &n1), *b = read_all(model2, &n2);
    check(n1 == n2 && memcmp(a, b, n1) == 0, "training is deterministic", NULL);
    free(a);
    free(b);
    free(csv);
    free(model);
    free(model2);
}

/* Training learns "is there an opinion" from the neutral rows: the model
 * trained with them, its English opinion threshold set to 1/2, scores
 * plain statements it never saw far inside the reports' neutral band
 * (P(opinion) well below 1/2: 0.05·r·p/0.5) and opinions as without a
 * threshold (P(opinion) above it); the same rows without the neutral ones
 * give no opinion model (thresholds 0) and no band. */
/* Rows for the opinion model's tests: each thing with each kind. */
static const char *const opinion_things[] = {"parcel",  "engineer", "bill",     "router",
                                             "refund",  "app",      "driver",   "shop",
                                             "invoice", "order",    "contract", "line"};
/* label, the words before the thing, the words after it */
static const char *const opinion_kinds[][3] = {
    {"1", "the ", " was great"},
    {"0", "the ", " was awful"},
    {"0.5", "the ", " is on monday"},
    {"1", "lovely ", ", thank you"},
    {"0", "terrible ", ", never again"},
    {"0.5", "i asked about the ", ""},
    {"1", "", " excellent and quick"},
    {"0", "", " useless and slow"},
    {"0.5", "my ", " number ends in four"},
};

static void test_train_opinion(void)
{
    const char *const *things = opinion_things;
    const char *const(*kinds)[3] = opinion_kinds;
    struct strbuf all, opinions;
    strbuf_init(&all);
    strbuf_init(&opinions);
    strbuf_adds(&all, "label,text\n");
    strbuf_adds(&opinions, "label,text\n");
    for (size_t t = 0; t < sizeof(opinion_things) / sizeof(opinion_things[0]); t++)
        for (size_t k = 0; k < sizeof(opinion_kinds) / sizeof(opinion_kinds[0]); k++) {
            char text[96];
            snprintf(text, sizeof(text), "%s%s%s", kinds[k][1], things[t], kinds[k][2]);
            strbuf_addf(&all, "%s,\"%s\"\n", kinds[k][0], text);
            if (strcmp(kinds[k][0], "0.5") != 0)
                strbuf_addf(&opinions, "%s,\"%s\"\n", kinds[k][0], text);
        }
    char *csv = path_in_tmp("opinion.csv"), *csv2 = path_in_tmp("opinions-only.csv");
    char *model = path_in_tmp("opinion.model"), *model2 = path_in_tmp("opinions-only.model");
    write_file(csv, all.buf, all.len);
    write_file(csv2, opinions.buf, opinions.len);
    strbuf_release(&all);
    strbuf_release(&opinions);
    struct vr_error err = {0};
    struct sentiment_model *m = NULL, *m2 = NULL;
    const char *in1[] = {csv}, *in2[] = {csv2};
    if (sentiment_train(in1, 1, model, &err) != VR_OK || sentiment_load(&m, model, &err) != VR_OK ||
        sentiment_train(in2, 1, model2, &err) != VR_OK ||
        sentiment_load(&m2, model2, &err) != VR_OK) {
        check(false, "train with and without neutral rows", err.msg);
    } else {
        struct sentiment_model_info info2;
        sentiment_get_info(m2, &info2);
        /* the English opinion threshold at 1/2 against none, both without a
         * band, whatever training chose for them */
        size_t n;
        unsigned char *file = read_all(model, &n);
        sentiment_put_f32(file + 84, 0.0f);  /* English band */
        sentiment_put_f32(file + 112, 0.5f); /* English opinion threshold */
        char *half = path_in_tmp("opinion-half-en.model");
        write_file(half, file, n);
        sentiment_put_f32(file + 112, 0.0f);
        char *none = path_in_tmp("opinion-none-en.model");
        write_file(none, file, n);
        free(file);
        struct sentiment_model *h = NULL, *z = NULL;
        if (sentiment_load(&h, half, &err) != VR_OK || sentiment_load(&z, none, &err) != VR_OK) {
            check(false, "load the model with an English opinion threshold of 1/2 and of 0",
                  err.msg);
        } else {
            static const char *const plain[] = {"my driver number ends in two",
                                                "i asked about the router on friday"};
            for (size_t k = 0; k < 2; k++) {
                double with = score(h, plain[k]), without = score(z, plain[k]);
                char d[160];
                snprintf(d, sizeof(d), "%.6f below the threshold, %.6f without it", with, without);
                check(fabs(with) < 0.05 && fabs(with) < 0.2 * fabs(without),
                      "neutral rows teach the opinion model: a plain statement has none", d);
            }
            static const char *const said[] = {"the router was great", "terrible refund",
                                               "lovely shop"};
            for (size_t k = 0; k < 3; k++)
                check(score(h, said[k]) == score(z, said[k]) && fabs(score(h, said[k])) > 0.05,
                      "neutral rows teach the opinion model: an opinion has one", said[k]);
        }
        sentiment_free(h);
        sentiment_free(z);
        free(half);
        free(none);
        check(info2.neutral == 0 && info2.opinion_threshold[0] == 0 &&
                  info2.opinion_threshold[1] == 0 && info2.opinion_threshold[2] == 0 &&
                  info2.band[1] == 0,
              "without neutral rows: no opinion model and no band", NULL);
    }
    sentiment_free(m);
    sentiment_free(m2);
    free(csv);
    free(csv2);
    free(model);
    free(model2);
}

/* The key that keeps copies of a text on one side of the cuts that choose
 * the opinion threshold and band: case, spaces, punctuation and full-width
 * forms do not count, every letter, digit, character and emoji does. */
static void test_text_key(void)
{
    static const char *const same[][2] = {
        {"Great service!", "great   SERVICE"},
        {"服务很好！", "服务很好"},
        {"\xEF\xBC\xAF\xEF\xBC\xAB\xE3\x80\x82", "ok"}, /* full-width OK and 。 */
        {"@united, thanks...", "united thanks"},
        {"\342\200\234Fine\342\200\235 \302\273", "fine"}, /* curly quotes, guillemet */
    };
    static const char *const apart[][2] = {
        {"great service", "great services"}, {"不好", "好"},   {"no 2", "no 3"},
        {"good", "good \xF0\x9F\x98\x8A"},   {"好评", "评好"}, {"", "a"},
    };
    char d[160];
    for (size_t k = 0; k < sizeof(same) / sizeof(same[0]); k++) {
        snprintf(d, sizeof(d), "\"%s\" and \"%s\"", same[k][0], same[k][1]);
        check(sentiment_text_key(same[k][0], strlen(same[k][0])) ==
                  sentiment_text_key(same[k][1], strlen(same[k][1])),
              "text key: the same text", d);
    }
    for (size_t k = 0; k < sizeof(apart) / sizeof(apart[0]); k++) {
        snprintf(d, sizeof(d), "\"%s\" and \"%s\"", apart[k][0], apart[k][1]);
        check(sentiment_text_key(apart[k][0], strlen(apart[k][0])) !=
                  sentiment_text_key(apart[k][1], strlen(apart[k][1])),
              "text key: different texts", d);
    }
}

/* How training picks (o, t) from its grid of held-out scores, by hand.
 * A 4 x 10 grid at 0.70 with a lone peak of 0.80 at (1, 2) and a plateau
 * of 0.78 over rows 2-3, columns 5-9: the cell itself (radius 0, no
 * tolerance) is the peak; with radius 1, the cells whose 3 x 3
 * neighbourhood lies all on the plateau, mean 0.78, are (3, 6) to (3, 9)
 * (rows 2-3 only: there is no row 4), while the peak's is (0.80 + 5 x
 * 0.70) / 6 = 0.717 (row 0 left out, it is the "no opinion model" row);
 * their centre is (3, 7.5), nearest (3, 7) and (3, 8), the first (3, 7).
 * A slope of 0.800, 0.801, ..., 0.810 over row 1's columns 0-10: without
 * tolerance its top (1, 10); with 0.0045, columns 6-10 count, centre 8,
 * so (1, 8).  And row 0 keeps apart: rows of 0.2, 0.8, 0.5 give row 0 its
 * own 0.2 and rows 1 and 2 (0.8 + 0.5) / 2 = 0.65 each, centre of the
 * six cells (1.5, 1), nearest (1, 1); mixing row 0 in would give row 1
 * 0.5 and row 2 alone the best. */
static void test_smoothed_best(void)
{
    double g[4][10];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 10; j++)
            g[i][j] = i >= 2 && j >= 5 ? 0.78 : 0.70;
    g[1][2] = 0.80;
    int r, c;
    char d[64];
    sentiment_smoothed_best(&g[0][0], 4, 10, 0, 0, &r, &c);
    snprintf(d, sizeof(d), "(%d, %d)", r, c);
    check(r == 1 && c == 2, "radius 0: the best single cell", d);
    sentiment_smoothed_best(&g[0][0], 4, 10, 1, 0, &r, &c);
    snprintf(d, sizeof(d), "(%d, %d)", r, c);
    check(r == 3 && c == 7, "radius 1: the middle of the plateau, not the lone peak", d);
    double slope[2][11] = {{0}};
    for (int j = 0; j < 11; j++)
        slope[1][j] = 0.800 + 0.001 * j;
    sentiment_smoothed_best(&slope[0][0], 2, 11, 0, 0, &r, &c);
    snprintf(d, sizeof(d), "(%d, %d)", r, c);
    check(r == 1 && c == 10, "no tolerance: the top of a slope", d);
    sentiment_smoothed_best(&slope[0][0], 2, 11, 0, 0.0045, &r, &c);
    snprintf(d, sizeof(d), "(%d, %d)", r, c);
    check(r == 1 && c == 8, "tolerance 0.0045: the centre of the cells that close to the top", d);
    double h[3][3] = {{0.2, 0.2, 0.2}, {0.8, 0.8, 0.8}, {0.5, 0.5, 0.5}};
    sentiment_smoothed_best(&h[0][0], 3, 3, 1, 0, &r, &c);
    snprintf(d, sizeof(d), "(%d, %d)", r, c);
    check(r == 1 && c == 1, "row 0 (no opinion model) is not averaged with the others", d);
}

/* The opinion threshold and band are chosen on every row, each held out
 * once (cross-validation), not on every fifth: the same rows in two
 * orders, one that puts the twelve neutral rows that read like opinions
 * ("was the X great or awful") among rows 5, 10, ... (the part a single
 * hold-out scored) and one that moves them off it, give the same
 * choice within 0.05 (English thresholds 0.48 and 0.48, bands 0.52 and
 * 0.52).  Scored on every fifth row only, as before, they were 0.00 and
 * 0.49, 0.00 and 0.51. */
static void train_rows_info(const char *name, const struct strbuf *rows,
                            struct sentiment_model_info *info)
{
    char *csv = path_in_tmp(name), *model = xstrfmt("%s.model", csv);
    write_file(csv, rows->buf, rows->len);
    const char *in[] = {csv};
    struct vr_error err = {0};
    struct sentiment_model *m = NULL;
    memset(info, 0, sizeof(*info));
    if (sentiment_train(in, 1, model, &err) != VR_OK || sentiment_load(&m, model, &err) != VR_OK)
        check(false, "train the rows", err.msg);
    else
        sentiment_get_info(m, info);
    sentiment_free(m);
    free(csv);
    free(model);
}

static void test_train_every_row_chooses(void)
{
    const char *const *things = opinion_things;
    const char *const(*kinds)[3] = opinion_kinds;
    struct strbuf a, b;
    strbuf_init(&a);
    strbuf_init(&b);
    strbuf_adds(&a, "label,text\n");
    strbuf_adds(&b, "label,text\n");
    size_t n = sizeof(opinion_things) / sizeof(opinion_things[0]);
    size_t per = sizeof(opinion_kinds) / sizeof(opinion_kinds[0]);
    for (size_t t = 0; t < n; t++) {
        /* order a: 4 rows, the deceptive one, 4 rows, ...; order b: the
         * deceptive one first */
        char odd[96];
        snprintf(odd, sizeof(odd), "0.5,\"was the %s great or awful\"\n", things[t]);
        strbuf_adds(&b, odd);
        for (size_t k = 0; k < per; k++) {
            char row[128];
            snprintf(row, sizeof(row), "%s,\"%s%s%s\"\n", kinds[k][0], kinds[k][1], things[t],
                     kinds[k][2]);
            if (k == 4)
                strbuf_adds(&a, odd);
            strbuf_adds(&a, row);
            strbuf_adds(&b, row);
        }
    }
    struct sentiment_model_info ia, ib;
    train_rows_info("order-a.csv", &a, &ia);
    train_rows_info("order-b.csv", &b, &ib);
    char d[160];
    snprintf(d, sizeof(d), "o %.2f and %.2f, t %.2f and %.2f", ia.opinion_threshold[1],
             ib.opinion_threshold[1], ia.band[1], ib.band[1]);
    check(fabs(ia.opinion_threshold[1] - ib.opinion_threshold[1]) <= 0.05 &&
              fabs(ia.band[1] - ib.band[1]) <= 0.05,
          "every row takes its turn at choosing the opinion threshold and band", d);
    strbuf_release(&a);
    strbuf_release(&b);
}

/* Averaged shuffles, by hand: the model trained with 3 shuffles from a
 * seed holds, bucket for bucket, the mean of the weights of the three
 * models trained with one shuffle each from that seed, that seed + the
 * step and that seed + twice the step (sentiment.h), within the int16
 * rounding of the files (half a step of each scale), for both the
 * polarity and the opinion model, and the mean of their opinion
 * intercepts.  The three single models differ (the order matters on
 * tiny.csv), so a model that kept one of them would fail. */
static float *dequantized(const char *path, int model, size_t *buckets, float *scale,
                          float bias[SENTIMENT_N_LANG])
{
    size_t n;
    unsigned char *b = read_all(path, &n);
    if (!b || n < SENTIMENT_HEADER)
        return free(b), NULL;
    *buckets = (size_t)1 << sentiment_get_u32(b + 16);
    *scale = sentiment_get_f32(b + (model ? 92 : 44));
    for (int l = 0; l < SENTIMENT_N_LANG; l++)
        bias[l] = sentiment_get_f32(b + (model ? 96 : 48) + 4 * l);
    float *w = xmalloc(*buckets * sizeof(float));
    const unsigned char *q = b + SENTIMENT_HEADER + (model ? 2 * *buckets : 0);
    for (size_t k = 0; k < *buckets; k++)
        w[k] = (float)(int16_t)(uint16_t)(q[2 * k] | q[2 * k + 1] << 8) * *scale;
    free(b);
    return w;
}

/* The model at avg holds, bucket for bucket, the mean of the weights of
 * the n models at one[] (within the int16 rounding of the files, half a
 * step of each scale) for the polarity and (models 2) the opinion model,
 * and, with intercepts, the mean of their English opinion intercepts; and
 * it is not one[n - 1] (the two differ by ten steps or more somewhere). */
static void expect_mean_model(const char *avg, char *const *one, int n, int models, bool intercepts,
                              const char *what)
{
    for (int model = 0; model < models; model++) {
        size_t buckets = 0, nk;
        float scale, sk[4], bias[SENTIMENT_N_LANG], bk[4][SENTIMENT_N_LANG];
        float *a = dequantized(avg, model, &buckets, &scale, bias), *w[4];
        double sum_scales = 0;
        for (int k = 0; k < n; k++) {
            w[k] = dequantized(one[k], model, &nk, &sk[k], bk[k]);
            sum_scales += sk[k];
        }
        double tol = (scale + sum_scales / n) / 2 * 1.0001;
        double off_mean = 0, off_last = 0;
        for (size_t j = 0; j < buckets; j++) {
            double mean = 0;
            for (int k = 0; k < n; k++)
                mean += w[k][j];
            mean /= n;
            off_mean = fmax(off_mean, fabs(a[j] - mean));
            off_last = fmax(off_last, fabs(a[j] - w[n - 1][j]));
        }
        char d[160];
        snprintf(d, sizeof(d), "%s: off the mean %.3g (rounding %.3g), off the last %.3g",
                 model ? "opinion" : "polarity", off_mean, tol, off_last);
        check(off_mean <= tol && off_last > 10 * tol, what, d);
        if (model && intercepts) {
            double mean = 0;
            for (int k = 0; k < n; k++)
                mean += bk[k][1];
            mean /= n;
            snprintf(d, sizeof(d), "English %.6f, the mean %.6f, the last %.6f", bias[1], mean,
                     bk[n - 1][1]);
            check(fabs(bias[1] - mean) < 1e-5 && fabs(bk[n - 1][1] - mean) > 1e-4, what, d);
        }
        free(a);
        for (int k = 0; k < n; k++)
            free(w[k]);
    }
}

static void test_train_shuffles(void)
{
    char *csv = path_in_tmp("shuffles.csv"), *avg = path_in_tmp("avg.model");
    write_file(csv, tiny_csv, sizeof(tiny_csv) - 1);
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    const uint64_t seed = 12345;
    char *one[3];
    bool ok = sentiment_train_shuffled(inputs, 1, avg, 3, seed, &err) == VR_OK;
    for (int k = 0; k < 3; k++) {
        one[k] = xstrfmt("%s/one%d.model", tmpdir, k);
        ok = ok &&
             sentiment_train_shuffled(inputs, 1, one[k], 1,
                                      seed + (uint64_t)k * SENTIMENT_SHUFFLE_STEP, &err) == VR_OK;
    }
    check(ok, "train with 3 shuffles and 3 times with 1", err.msg);
    if (ok)
        expect_mean_model(avg, one, 3, 2, true,
                          "3 shuffles: the mean of the weights of 3 models of one shuffle each");
    for (int k = 0; k < 3; k++)
        free(one[k]);
    const int bad[] = {0, SENTIMENT_MAX_SHUFFLES + 1};
    for (int k = 0; k < 2; k++) {
        memset(&err, 0, sizeof(err));
        char d[32];
        snprintf(d, sizeof(d), "%d shuffles", bad[k]);
        check(sentiment_train_shuffled(inputs, 1, avg, bad[k], seed, &err) == VR_ERR_USAGE &&
                  strstr(err.msg, "shuffles must be 1 to 16") != NULL,
              d, err.msg);
    }
    free(csv);
    free(avg);
}

/* Averaged epochs: a fit of 6 epochs keeping the mean of its last 3
 * epochs' ends is, bucket for bucket, the mean of the fits of 4, 5 and 6
 * epochs (the shuffle of each epoch is drawn in the same sequence, so the
 * fit of k epochs is the first k epochs of the fit of 6), both models and
 * the opinion intercept; and not the last of them. */
static void test_train_average(void)
{
    char *csv = path_in_tmp("average.csv"), *avg = path_in_tmp("average.model");
    write_file(csv, tiny_csv, sizeof(tiny_csv) - 1);
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    struct sentiment_fit fit;
    sentiment_fit_recipe(&fit);
    fit.shuffles = 1;
    fit.epochs = 6;
    fit.average = 3;
    bool ok = sentiment_train_fitted(inputs, 1, avg, &fit, &err) == VR_OK;
    char *one[3];
    for (int k = 0; k < 3; k++) {
        one[k] = xstrfmt("%s/epochs%d.model", tmpdir, 4 + k);
        fit.epochs = 4 + k;
        fit.average = 0;
        ok = ok && sentiment_train_fitted(inputs, 1, one[k], &fit, &err) == VR_OK;
    }
    check(ok, "train 6 epochs averaging 3, and 4, 5 and 6 epochs", err.msg);
    if (ok)
        expect_mean_model(avg, one, 3, 2, true,
                          "the last 3 of 6 epochs averaged: the mean of the fits of 4, 5, 6");
    const struct {
        int epochs, average;
        int loss;
        double beta;
    } bad[] = {{0, 0, 0, 1},
               {SENTIMENT_MAX_EPOCHS + 1, 0, 0, 1},
               {6, 7, 0, 1},
               {6, -1, 0, 1},
               {6, 0, SENTIMENT_N_LOSSES, 1},
               {6, 0, 0, -0.1},
               {6, 0, 0, 1.5},
               {6, 0, 0, NAN}};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        sentiment_fit_recipe(&fit);
        fit.epochs = bad[k].epochs;
        fit.average = bad[k].average;
        fit.loss = (enum sentiment_loss)bad[k].loss;
        fit.nb_beta = bad[k].beta;
        memset(&err, 0, sizeof(err));
        char d[96];
        snprintf(d, sizeof(d), "refused: %d epochs, %d averaged, loss %d, beta %g", bad[k].epochs,
                 bad[k].average, bad[k].loss, bad[k].beta);
        check(sentiment_train_fitted(inputs, 1, avg, &fit, &err) == VR_ERR_USAGE &&
                  strstr(err.msg, "bad fit") != NULL,
              d, err.msg);
    }
    for (int k = 0; k < 3; k++)
        free(one[k]);
    free(csv);
    free(avg);
}

/* The losses, written out: of margin z for a target p, p times the loss
 * of the positive side plus 1 - p times the negative side's. */
static double loss_at(enum sentiment_loss loss, double z, double p)
{
    double side[2];
    for (int k = 0; k < 2; k++) {
        double m = (k ? -1 : 1) * z;
        if (loss == SENTIMENT_LOSS_LOGISTIC)
            side[k] = log1p(exp(-m));
        else if (loss == SENTIMENT_LOSS_MODIFIED_HUBER && m < -1)
            side[k] = -4 * m;
        else
            side[k] = m < 1 ? (1 - m) * (1 - m) : 0;
    }
    return p * side[0] + (1 - p) * side[1];
}

/* What a fit steps on is the derivative of its loss: against central
 * differences of the losses above, and a few values by hand. */
static void test_loss_gradient(void)
{
    const double zs[] = {-3, -1.5, -0.5, 0, 0.3, 0.99, 1.5, 3}, ps[] = {0, 0.5, 1};
    double worst = 0;
    for (int loss = 0; loss < SENTIMENT_N_LOSSES; loss++)
        for (size_t i = 0; i < sizeof(zs) / sizeof(zs[0]); i++)
            for (size_t j = 0; j < 3; j++) {
                double z = zs[i], p = ps[j], h = 1e-6;
                double num = (loss_at(loss, z + h, p) - loss_at(loss, z - h, p)) / (2 * h);
                double got = sentiment_loss_gradient(loss, z, p);
                worst = fmax(worst, fabs(got - num));
            }
    char d[128];
    snprintf(d, sizeof(d), "largest difference %.3g", worst);
    check(worst < 1e-5, "each loss's gradient is its derivative", d);
    struct {
        enum sentiment_loss loss;
        double z, p, want;
    } hand[] = {
        {SENTIMENT_LOSS_LOGISTIC, 0, 1, -0.5},
        {SENTIMENT_LOSS_SQUARED_HINGE, 0, 1, -2},     /* -2(1 - 0) */
        {SENTIMENT_LOSS_SQUARED_HINGE, 0.5, 0.5, 1},  /* (-2·0.5 + 2·1.5) / 2 */
        {SENTIMENT_LOSS_SQUARED_HINGE, 2, 1, 0},      /* past the margin */
        {SENTIMENT_LOSS_SQUARED_HINGE, -3, 1, -8},    /* -2(1 + 3) */
        {SENTIMENT_LOSS_MODIFIED_HUBER, -3, 1, -4},   /* linear below -1 */
        {SENTIMENT_LOSS_MODIFIED_HUBER, -0.5, 1, -3}, /* -2(1 + 0.5) */
    };
    for (size_t k = 0; k < sizeof(hand) / sizeof(hand[0]); k++) {
        double got = sentiment_loss_gradient(hand[k].loss, hand[k].z, hand[k].p);
        snprintf(d, sizeof(d), "loss %d at z %g, p %g: %g, want %g", (int)hand[k].loss, hand[k].z,
                 hand[k].p, got, hand[k].want);
        check(fabs(got - hand[k].want) < 1e-12, "a loss's gradient by hand", d);
    }
}

/* The exact fit (sentiment_exact.h) on a small problem written out here:
 * nine rows over six buckets, with flipped and half features, per-bucket
 * scales, weights, soft targets, two intercepts, an empty row, a row of
 * weight 0 and a row left out by use. */
enum { EX_ROWS = 9, EX_BUCKETS = 6 };
static const uint32_t ex_feat[] = {
    0, 1,                                    /* row 0 */
    1 | SENTIMENT_MINUS, 2,                  /* row 1 */
    3, 4 | SENTIMENT_HALF, 5,                /* row 2 */
    0 | SENTIMENT_MINUS | SENTIMENT_HALF, 3, /* row 3 */
    2, 4,                                    /* row 4 */
    5 | SENTIMENT_MINUS,                     /* row 5 */
                                             /* row 6: empty */
    0, 2,                                    /* row 7: weight 0 */
    1, 3,                                    /* row 8: not in use */
};
static const size_t ex_off[EX_ROWS + 1] = {0, 2, 4, 7, 9, 11, 12, 12, 14, 16};
static const float ex_r[EX_BUCKETS] = {0.7f, -1.3f, 0.4f, 2.0f, 1.0f, 0.5f};
static const float ex_weight[EX_ROWS] = {1, 2.5f, 0.5f, 1, 3, 1, 1, 0, 1};
static const double ex_target[EX_ROWS] = {1, 0, 0.5, 1, 0, 0.5, 1, 1, 0};
static const unsigned char ex_group[EX_ROWS] = {0, 0, 1, 1, 0, 1, 0, 0, 1};
static const unsigned char ex_use[EX_ROWS] = {1, 1, 1, 1, 1, 1, 1, 1, 0};

static struct sentiment_exact_problem ex_problem(double lambda, bool ignore_minus, bool intercept)
{
    return (struct sentiment_exact_problem){.rows = EX_ROWS,
                                            .buckets = EX_BUCKETS,
                                            .off = ex_off,
                                            .feat = ex_feat,
                                            .flags = SENTIMENT_FLAG_NORM,
                                            .ignore_minus = ignore_minus,
                                            .r = ex_r,
                                            .use = ex_use,
                                            .weight = ex_weight,
                                            .target = ex_target,
                                            .group = ex_group,
                                            .intercept = intercept,
                                            .lambda = lambda};
}

/* The same problem on other rows. */
static void ex_rows(struct sentiment_exact_problem *p, const size_t *off, const uint32_t *feat,
                    const float *weight, const double *target, const unsigned char *group,
                    const unsigned char *use)
{
    p->off = off;
    p->feat = feat;
    p->weight = weight;
    p->target = target;
    p->group = group;
    p->use = use;
}

/* The largest component of the objective's gradient at (w, b), from the
 * formula in sentiment_exact.h, written out without the solver's code. */
static double ex_gradient(const struct sentiment_exact_problem *p, const double *w, const double *b)
{
    double gw[EX_BUCKETS] = {0}, gb[SENTIMENT_N_LANG] = {0}, total = 0;
    for (size_t d = 0; d < EX_ROWS; d++)
        if (ex_use[d] && ex_weight[d] > 0 && ex_off[d + 1] > ex_off[d])
            total += ex_weight[d];
    for (size_t d = 0; d < EX_ROWS; d++) {
        size_t n = ex_off[d + 1] - ex_off[d];
        if (!ex_use[d] || ex_weight[d] <= 0 || n == 0)
            continue;
        double x[EX_BUCKETS] = {0};
        for (size_t j = ex_off[d]; j < ex_off[d + 1]; j++) {
            uint32_t id = ex_feat[j];
            double sign = (id & SENTIMENT_MINUS) && !p->ignore_minus ? -1 : 1;
            double half = (id & SENTIMENT_HALF) ? 0.5 : 1;
            x[id & ~SENTIMENT_ID_FLAGS] +=
                sign * half * ex_r[id & ~SENTIMENT_ID_FLAGS] / sqrt((double)n);
        }
        double z = p->intercept ? b[ex_group[d]] : 0;
        for (int k = 0; k < EX_BUCKETS; k++)
            z += x[k] * w[k];
        double c = ex_weight[d] * (1 / (1 + exp(-z)) - ex_target[d]) / total;
        for (int k = 0; k < EX_BUCKETS; k++)
            gw[k] += c * x[k];
        gb[ex_group[d]] += c;
    }
    double worst = 0;
    for (int k = 0; k < EX_BUCKETS; k++)
        worst = fmax(worst, fabs(gw[k] + p->lambda * w[k]));
    for (int l = 0; p->intercept && l < SENTIMENT_N_LANG; l++)
        worst = fmax(worst, fabs(gb[l]));
    return worst;
}

static void ex_fit(const struct sentiment_exact_problem *p, double *w, double *b)
{
    struct sentiment_exact_opts o;
    sentiment_exact_defaults(&o);
    o.gtol = 1e-12;
    o.ftol = 0;
    sentiment_exact_fit(p, &o, w, b, NULL);
}

/* At the returned weights the gradient of the objective is 0 (the
 * optimality condition of a convex objective), with and without the
 * intercepts and flips; a larger λ gives smaller weights; the rows' order
 * does not matter; and on one feature the optimum is the one found by
 * hand (λ 0: σ(r·w) is the weighted mean target, 3/4) or by bisection. */
static void test_exact_fit(void)
{
    char d[160];
    for (int k = 0; k < 4; k++) {
        struct sentiment_exact_problem p = ex_problem(0.05, k & 1, k & 2);
        double w[EX_BUCKETS], b[SENTIMENT_N_LANG];
        ex_fit(&p, w, b);
        double g = ex_gradient(&p, w, b), size = 0;
        for (int j = 0; j < EX_BUCKETS; j++)
            size += fabs(w[j]);
        snprintf(d, sizeof(d), "flips %s, intercepts %s: largest gradient %.3g, sum |w| %.4f",
                 k & 1 ? "ignored" : "read", k & 2 ? "on" : "off", g, size);
        check(g < 1e-6 && size > 0.1, "an exact fit is where the objective's gradient is 0", d);
    }
    {
        const double lambda[] = {0.01, 0.1, 1};
        double last = INFINITY;
        bool smaller = true;
        d[0] = 0;
        for (int k = 0; k < 3; k++) {
            struct sentiment_exact_problem p = ex_problem(lambda[k], false, true);
            double w[EX_BUCKETS], b[SENTIMENT_N_LANG], norm = 0;
            ex_fit(&p, w, b);
            for (int j = 0; j < EX_BUCKETS; j++)
                norm += w[j] * w[j];
            snprintf(d + strlen(d), sizeof(d) - strlen(d), "%s%g: %.4f", k ? ", " : "", lambda[k],
                     sqrt(norm));
            smaller = smaller && sqrt(norm) < last - 1e-3;
            last = sqrt(norm);
        }
        check(smaller, "a larger lambda, a smaller |w|", d);
    }
    {
        /* the same rows backwards */
        uint32_t feat[sizeof(ex_feat) / sizeof(ex_feat[0])];
        size_t off[EX_ROWS + 1] = {0};
        float weight[EX_ROWS];
        double target[EX_ROWS];
        unsigned char group[EX_ROWS], use[EX_ROWS];
        size_t n = 0;
        for (int k = 0; k < EX_ROWS; k++) {
            int from = EX_ROWS - 1 - k;
            for (size_t j = ex_off[from]; j < ex_off[from + 1]; j++)
                feat[n++] = ex_feat[j];
            off[k + 1] = n;
            weight[k] = ex_weight[from];
            target[k] = ex_target[from];
            group[k] = ex_group[from];
            use[k] = ex_use[from];
        }
        struct sentiment_exact_problem p = ex_problem(0.05, false, true), q = p;
        ex_rows(&q, off, feat, weight, target, group, use);
        double w[EX_BUCKETS], b[SENTIMENT_N_LANG], v[EX_BUCKETS], c[SENTIMENT_N_LANG];
        ex_fit(&p, w, b);
        ex_fit(&q, v, c);
        double diff = fmax(fabs(b[0] - c[0]), fabs(b[1] - c[1]));
        for (int j = 0; j < EX_BUCKETS; j++)
            diff = fmax(diff, fabs(w[j] - v[j]));
        snprintf(d, sizeof(d), "largest difference %.3g", diff);
        check(diff < 1e-9, "an exact fit does not depend on the rows' order", d);
    }
    {
        /* one bucket of scale 2 in two rows: target 1 weighing 3, target 0 weighing 1 */
        static const uint32_t feat[] = {0, 0};
        static const size_t off[] = {0, 1, 2};
        static const float r[] = {2}, weight[] = {3, 1};
        static const double target[] = {1, 0};
        static const unsigned char group[] = {0, 0};
        struct sentiment_exact_problem p = ex_problem(0, false, false);
        p.rows = 2;
        p.buckets = 1;
        p.r = r;
        ex_rows(&p, off, feat, weight, target, group, NULL);
        double w, b[SENTIMENT_N_LANG];
        ex_fit(&p, &w, b);
        double want = log(3) / 2;
        snprintf(d, sizeof(d), "w %.9f, want ln(3)/2 = %.9f", w, want);
        check(fabs(w - want) < 1e-6, "one feature, no lambda: sigma(2w) = 3/4", d);
        /* λ 0.1: 2σ(2w) − 3/2 + 0.1·w = 0, by bisection */
        p.lambda = 0.1;
        ex_fit(&p, &w, b);
        double lo = 0, hi = 5;
        for (int k = 0; k < 200; k++) {
            double mid = (lo + hi) / 2;
            if (2 / (1 + exp(-2 * mid)) - 1.5 + 0.1 * mid > 0)
                hi = mid;
            else
                lo = mid;
        }
        snprintf(d, sizeof(d), "w %.9f, by bisection %.9f", w, lo);
        check(fabs(w - lo) < 1e-6, "one feature, lambda 0.1: the optimum by bisection", d);
    }
}

/* Rows whose features are each in one row only (no letter run shared),
 * two of each class, of different lengths; English, no neutral rows, so
 * a score is the polarity model's r alone, stretched by the reports'
 * ±0.05 (sentiment_banded with no band). */
static const char apart_csv[] = "text,label\n"
                                "abcde,1\n"
                                "fghij klmno,1\n"
                                "pqrst,0\n"
                                "uvwxy bdfhk mprtv,0\n";

static struct sentiment_model *apart_model(const char *name, const struct sentiment_fit *fit)
{
    char *csv = path_in_tmp("apart.csv"), *path = path_in_tmp(name);
    write_file(csv, apart_csv, sizeof(apart_csv) - 1);
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    struct sentiment_model *m = NULL;
    if (sentiment_train_fitted(inputs, 1, path, fit, &err) != VR_OK ||
        sentiment_load(&m, path, &err) != VR_OK)
        check(false, name, err.msg);
    free(csv);
    free(path);
    return m;
}

/* A hinge loss stops at the margin: trained long on rows it can
 * separate, each row's margin rises to 1 and no further, so it scores
 * 2·sigmoid(1) - 1 = tanh(1/2) = 0.4621, where the logistic loss goes on
 * past it (0.88 and more). */
static void test_train_loss(void)
{
    struct sentiment_fit fit;
    sentiment_fit_recipe(&fit);
    fit.shuffles = 1;
    fit.epochs = 100;
    const double want = sentiment_banded(tanh(0.5), 0);
    const char *const texts[] = {"abcde", "fghij klmno", "pqrst", "uvwxy bdfhk mprtv"};
    for (int loss = 0; loss < SENTIMENT_N_LOSSES; loss++) {
        fit.loss = (enum sentiment_loss)loss;
        char name[32];
        snprintf(name, sizeof(name), "loss%d.model", loss);
        struct sentiment_model *m = apart_model(name, &fit);
        for (int k = 0; m && k < 4; k++) {
            double s = score(m, texts[k]) * (k < 2 ? 1 : -1);
            char d[96];
            snprintf(d, sizeof(d), "loss %d, \"%s\": %.4f, the margin 1's %.4f", loss, texts[k], s,
                     want);
            check(loss == SENTIMENT_LOSS_LOGISTIC ? s > 0.8 : fabs(s - want) < 0.005,
                  "trained long, a hinge loss stops at the margin 1", d);
        }
        sentiment_free(m);
    }
}

/* NBSVM's interpolation.  Each feature being in one row, of one of two
 * classes of two rows each, every feature's log-count ratio has the same
 * size; at beta 0 every weight is mean|w| times its ratio, so all the
 * polarity weights the fit moved have one size, and the texts score by
 * how many features they have (√n of them at 1/√n each) alone; at beta 1
 * (none) the fit's weights differ (rows of one, two and three words);
 * at 0.5 each weight is the mean of the two. */
static void test_train_nb_beta(void)
{
    struct sentiment_fit fit;
    sentiment_fit_recipe(&fit);
    fit.shuffles = 1;
    char *path[3];
    const double beta[3] = {0, 1, 0.5};
    bool ok = true;
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof(name), "beta%d.model", k);
        fit.nb_beta = beta[k];
        struct sentiment_model *m = apart_model(name, &fit);
        ok = ok && m;
        sentiment_free(m);
        path[k] = path_in_tmp(name);
    }
    for (int k = 0; ok && k < 2; k++) {
        size_t buckets;
        float scale, bias[SENTIMENT_N_LANG];
        float *w = dequantized(path[k], 0, &buckets, &scale, bias);
        double lo = INFINITY, hi = 0;
        for (size_t j = 0; j < buckets; j++)
            if (w[j] != 0) {
                lo = fmin(lo, fabs(w[j]));
                hi = fmax(hi, fabs(w[j]));
            }
        char d[96];
        snprintf(d, sizeof(d), "beta %g: weights' sizes %.4g to %.4g (step %.3g)", beta[k], lo, hi,
                 scale);
        check(k == 0 ? hi - lo <= scale * 1.0001 : hi > 1.1 * lo,
              "beta 0: every weight mean|w| times its ratio, of one size", d);
        free(w);
    }
    if (ok) {
        char *ends[2] = {path[0], path[1]};
        expect_mean_model(path[2], ends, 2, 1, false, "beta 0.5: the mean of beta 0 and beta 1");
    }
    for (int k = 0; k < 3; k++)
        free(path[k]);
}

/* The weight column: the reader hands each row its weight (1 without),
 * and a row that weighs more outweighs its contradiction. */
struct weights_seen {
    double w[8];
    size_t n;
};

static void on_weighted_row(void *ctx, int label, double weight, const char *text, size_t len)
{
    (void)label, (void)text, (void)len;
    struct weights_seen *ws = ctx;
    if (ws->n < 8)
        ws->w[ws->n++] = weight;
}

static double trained_score(const char *csv_text, const char *text)
{
    char *csv = path_in_tmp("weighted.csv"), *model = path_in_tmp("weighted.model");
    write_file(csv, csv_text, strlen(csv_text));
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    struct sentiment_model *m = NULL;
    double s = NAN;
    if (sentiment_train(inputs, 1, model, &err) != VR_OK ||
        sentiment_load(&m, model, &err) != VR_OK)
        check(false, "train weighted.csv", err.msg);
    else
        s = score(m, text);
    sentiment_free(m);
    free(csv);
    free(model);
    return s;
}

/* The trainer with both models fitted exactly: no seed or number of
 * shuffles changes the model (AdaGrad's does, on the same rows), a larger
 * lambda scores every text nearer 0, and a fit it cannot do is refused. */
static void test_train_exact(void)
{
    char *csv = path_in_tmp("exact.csv"), *a = path_in_tmp("exact_a.model"),
         *b = path_in_tmp("exact_b.model");
    write_file(csv, tiny_csv, sizeof(tiny_csv) - 1);
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    struct sentiment_fit fit;
    for (int solver = 0; solver < 2; solver++) {
        sentiment_fit_recipe(&fit);
        fit.solver = fit.opinion_solver = (enum sentiment_solver)solver;
        fit.lambda = fit.opinion_lambda = 1e-3;
        fit.shuffles = 1;
        fit.seed = 1;
        bool ok = sentiment_train_fitted(inputs, 1, a, &fit, &err) == VR_OK;
        fit.shuffles = 3;
        fit.seed = 99;
        ok = ok && sentiment_train_fitted(inputs, 1, b, &fit, &err) == VR_OK;
        size_t na = 0, nb = 0;
        unsigned char *x = ok ? read_all(a, &na) : NULL, *y = ok ? read_all(b, &nb) : NULL;
        bool same = x && y && na == nb && memcmp(x, y, na) == 0;
        check(ok && same == (solver == SENTIMENT_SOLVER_LBFGS),
              solver ? "an exact fit: the same model whatever the seed and shuffles"
                     : "AdaGrad: another seed, another model",
              err.msg);
        free(x);
        free(y);
    }
    sentiment_fit_recipe(&fit);
    fit.solver = SENTIMENT_SOLVER_LBFGS;
    const char *const texts[] = {"abcde", "fghij klmno", "pqrst", "uvwxy bdfhk mprtv"};
    double s[2][4] = {{0}};
    const double lambda[2] = {0.01, 0.1};
    for (int k = 0; k < 2; k++) {
        fit.lambda = lambda[k];
        struct sentiment_model *m =
            apart_model(k ? "exact_strong.model" : "exact_weak.model", &fit);
        for (int j = 0; m && j < 4; j++)
            s[k][j] = score(m, texts[j]) * (j < 2 ? 1 : -1);
        sentiment_free(m);
    }
    for (int j = 0; j < 4; j++) {
        char d[128];
        snprintf(d, sizeof(d), "\"%s\": %.4f at lambda 0.01, %.4f at 0.1", texts[j], s[0][j],
                 s[1][j]);
        check(s[0][j] > s[1][j] && s[1][j] > 0.05, "a larger lambda, a weaker score", d);
    }
    sentiment_fit_recipe(&fit);
    fit.solver = SENTIMENT_SOLVER_LBFGS;
    fit.loss = SENTIMENT_LOSS_SQUARED_HINGE;
    memset(&err, 0, sizeof(err));
    check(sentiment_train_fitted(inputs, 1, a, &fit, &err) == VR_ERR_USAGE &&
              strstr(err.msg, "logistic loss only") != NULL,
          "an exact fit of a hinge loss is refused", err.msg);
    sentiment_fit_recipe(&fit);
    fit.opinion_lambda = -1;
    memset(&err, 0, sizeof(err));
    check(sentiment_train_fitted(inputs, 1, a, &fit, &err) == VR_ERR_USAGE,
          "a negative lambda is refused", err.msg);
    free(csv);
    free(a);
    free(b);
}

/* How much each input file weighs: √(its rows), so that a small file's
 * rows count for more than a big one's.  By hand: file A has 900 rows,
 * 100 "zebra" and 350 "walrus" positive, 450 "quokka" negative; file B
 * 100 rows, 50 "zebra" negative and 50 "ibis" positive.  Classes weigh
 * the same within a file, so a row of A weighs √900/900 = 1/30 and a row
 * of B √100/100 = 1/10 (times the same constant): zebra's positive mass
 * is 100/30 = 3.3 and its negative mass 50/10 = 5, and "zebra" alone is
 * negative (a file weighing its rows would give 100 against 50:
 * positive). */
static void test_train_file_weight(void)
{
    char *a = path_in_tmp("big.csv"), *b = path_in_tmp("small.csv");
    char *model = path_in_tmp("files.model");
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "label,text\n");
    for (int k = 0; k < 900; k++)
        strbuf_adds(&sb, k < 100 ? "1,zebra\n" : k < 450 ? "1,walrus\n" : "0,quokka\n");
    write_file(a, sb.buf, sb.len);
    strbuf_reset(&sb);
    strbuf_adds(&sb, "label,text\n");
    for (int k = 0; k < 100; k++)
        strbuf_adds(&sb, k < 50 ? "0,zebra\n" : "1,ibis\n");
    write_file(b, sb.buf, sb.len);
    strbuf_release(&sb);
    const char *inputs[] = {a, b};
    struct vr_error err = {0};
    struct sentiment_model *m = NULL;
    if (sentiment_train(inputs, 2, model, &err) != VR_OK ||
        sentiment_load(&m, model, &err) != VR_OK) {
        check(false, "train big.csv and small.csv", err.msg);
    } else {
        char d[64];
        snprintf(d, sizeof(d), "zebra %.4f", score(m, "zebra"));
        check(score(m, "zebra") < -0.05, "a file weighs the square root of its rows", d);
    }
    sentiment_free(m);
    free(a);
    free(b);
    free(model);
}

static void test_train_weights(void)
{
    char *csv = path_in_tmp("weights.csv");
    const char *text = "text,Weight ,label\n"
                       "a,2.5,1\n"
                       "b,,0\n"
                       "c, 1000 ,0.5\n"
                       "d,0.01,1\n"
                       ",7,0\n"
                       "e,007,0\n";
    write_file(csv, text, strlen(text));
    struct weights_seen ws = {.n = 0};
    size_t skipped = 0;
    struct vr_error err = {0};
    check(sentiment_read_training(csv, on_weighted_row, &ws, &skipped, &err) == VR_OK,
          "read weights.csv", err.msg);
    char d[128];
    snprintf(d, sizeof(d), "%zu rows: %g %g %g %g %g, %zu skipped", ws.n, ws.w[0], ws.w[1], ws.w[2],
             ws.w[3], ws.w[4], skipped);
    check(ws.n == 5 && ws.w[0] == 2.5 && ws.w[1] == 1 && ws.w[2] == 1000 &&
              fabs(ws.w[3] - 0.01) < 1e-12 && ws.w[4] == 7 && skipped == 1,
          "weights read: 2.5, blank 1, 1000, 0.01, 007", d);
    ws.n = 0;
    const char *plain = "label,text\n1,a\n";
    write_file(csv, plain, strlen(plain));
    check(sentiment_read_training(csv, on_weighted_row, &ws, &skipped, &err) == VR_OK &&
              ws.n == 1 && ws.w[0] == 1,
          "no weight column: 1", NULL);
    free(csv);

    /* "the parcel came" is said once each way; the weighted side wins */
    const char *base = "label,weight,text\n"
                       "1,1,great\n1,1,lovely\n0,1,awful\n0,1,rude\n";
    char *neg = xstrfmt("%s1,1,the parcel came\n0,6,the parcel came\n", base);
    char *pos = xstrfmt("%s1,6,the parcel came\n0,1,the parcel came\n", base);
    double sn = trained_score(neg, "the parcel came"), sp = trained_score(pos, "the parcel came");
    snprintf(d, sizeof(d), "%.4f when the negative row weighs 6, %.4f when the positive", sn, sp);
    check(sn < 0 && sp > 0, "a row's weight counts", d);
    free(neg);
    free(pos);
}

/* Trains on text; expects status and a message containing want. */
static void expect_train_error(const char *name, const char *text, enum vr_status want_status,
                               const char *want)
{
    char *csv = path_in_tmp(name), *model = path_in_tmp("bad.model");
    write_file(csv, text, strlen(text));
    const char *inputs[] = {csv};
    struct vr_error err = {0};
    enum vr_status st = sentiment_train(inputs, 1, model, &err);
    char what[256];
    snprintf(what, sizeof(what), "train error %s", name);
    check(st == want_status && strstr(err.msg, want) != NULL, what, err.msg);
    check(access(model, F_OK) != 0, "no model written after an error", name);
    free(csv);
    free(model);
}

static void test_train_errors(void)
{
    char *want = xstrfmt("%s/label.csv:5: label must be 1 (positive), 0 (negative) or 0.5 "
                         "(neutral)",
                         tmpdir);
    /* line 5: the quoted line break makes row 2 two lines long */
    expect_train_error("label.csv", "label,text\n1,good\n0,\"bad\nvery bad\"\n2,what\n",
                       VR_ERR_CONFIG, want);
    free(want);
    expect_train_error("yes.csv", "label,review\nyes,good\n", VR_ERR_CONFIG,
                       "yes.csv:2: label must be 1 (positive), 0 (negative) or 0.5");
    expect_train_error("half.csv", "label,review\n1,good\n0,bad\n.5,meh\n", VR_ERR_CONFIG,
                       "half.csv:4: label must be");
    expect_train_error("nolabel.csv", "score,text\n1,good\n", VR_ERR_CONFIG,
                       "nolabel.csv:1: the header needs a \"label\" column");
    expect_train_error("notext.csv", "label,body\n1,good\n", VR_ERR_CONFIG,
                       "\"text\" (or \"review\") column");
    expect_train_error("quote.csv", "label,text\n1,good\n0,\"bad\n", VR_ERR_CONFIG,
                       "quote.csv:3: quoted field is not closed");
    expect_train_error("short.csv", "label,text\n1\n", VR_ERR_CONFIG, "short.csv:2: 1 fields");
    expect_train_error("empty.csv", "", VR_ERR_CONFIG, "empty file");
    expect_train_error("oneclass.csv", "label,text\n1,good\n1,great\n0,\n", VR_ERR_CONFIG,
                       "needs positive and negative rows (found 2 positive, 0 negative)");
    expect_train_error("neutral.csv", "label,text\n0.5,the parcel\n1,great\n", VR_ERR_CONFIG,
                       "needs positive and negative rows (found 1 positive, 0 negative)");
    static const char *const bad_weights[] = {"0",   "-1",  "abc",         "1e3",       "1001",
                                              ".5",  "5.",  "nan",         "inf",       "0x10",
                                              "1,5", "0.0", "1000.000001", "0.0000001", "1 2"};
    for (size_t k = 0; k < sizeof(bad_weights) / sizeof(bad_weights[0]); k++) {
        char *csv_text = xstrfmt("label,weight,text\n1,1,good\n0,\"%s\",bad\n", bad_weights[k]);
        char name[64];
        snprintf(name, sizeof(name), "weight%zu.csv", k);
        char *want_w = xstrfmt("%s:3: weight must be a number above 0 and at most 1000", name);
        expect_train_error(name, csv_text, VR_ERR_CONFIG, want_w);
        free(want_w);
        free(csv_text);
    }
    /* the weight is checked on a row whose text is blank too */
    expect_train_error("weight_blank.csv", "label,weight,text\n1,1,good\n0,x,\n", VR_ERR_CONFIG,
                       "weight_blank.csv:3: weight must be");
    expect_train_error("weight_short.csv", "label,text,weight\n1,good\n", VR_ERR_CONFIG,
                       "weight_short.csv:2: 2 fields, the header has 3");

    struct vr_error err = {0};
    char *missing = path_in_tmp("missing.csv"), *model = path_in_tmp("m.model");
    const char *inputs[] = {missing};
    check(sentiment_train(inputs, 1, model, &err) == VR_ERR_CONFIG &&
              strstr(err.msg, "could not open training file"),
          "missing training file", err.msg);
    memset(&err, 0, sizeof(err));
    check(sentiment_train(inputs, 0, model, &err) == VR_ERR_USAGE, "no input files", err.msg);
    char *csv = path_in_tmp("ok.csv");
    const char *ok = "label,text\n1,good\n0,bad\n";
    write_file(csv, ok, strlen(ok));
    inputs[0] = csv;
    memset(&err, 0, sizeof(err));
    check(sentiment_train(inputs, 1, "/nonexistent-dir/x.model", &err) == VR_ERR_OUTPUT &&
              strstr(err.msg, "could not write sentiment model"),
          "unwritable output", err.msg);
    free(csv);
    free(missing);
    free(model);
}

/* ---- loading ------------------------------------------------------------- */

static void expect_load_error(const char *path, const char *want)
{
    static char dummy;
    struct sentiment_model *m = (struct sentiment_model *)&dummy; /* must be reset */
    struct vr_error err = {0};
    enum vr_status st = sentiment_load(&m, path, &err);
    char what[512];
    snprintf(what, sizeof(what), "load error \"%s\"", want);
    check(st == VR_ERR_CONFIG && m == NULL && strstr(err.msg, want) != NULL &&
              strstr(err.msg, path) != NULL,
          what, err.msg);
}

static void test_load_errors(const char *model_path)
{
    char *p = path_in_tmp("nothere.model");
    expect_load_error(p, "could not open sentiment model");
    free(p);

    size_t n;
    unsigned char *good = read_all(model_path, &n);
    p = path_in_tmp("broken.model");

    static const char zip[] = "PK\x03\x04 this is a zip file, not a model";
    write_file(p, zip, sizeof(zip) - 1);
    expect_load_error(p, "not a vocreport sentiment model");
    write_file(p, "", 0);
    expect_load_error(p, "not a vocreport sentiment model");
    write_file(p, good, n / 2);
    expect_load_error(p, "truncated");
    write_file(p, good, 40);
    expect_load_error(p, "truncated");

    unsigned char *bad = xmalloc(n + 1);
    memcpy(bad, good, n);
    bad[n] = 0;
    write_file(p, bad, n + 1);
    expect_load_error(p, "not a vocreport sentiment model");
    bad[8] = 99; /* format version */
    write_file(p, bad, n);
    expect_load_error(p, "format 99.6 is not the one this vocreport reads (4.6)");
    memcpy(bad, good, n);
    bad[8] = 1; /* the format before the neutral band */
    bad[12] = 1;
    write_file(p, bad, n);
    expect_load_error(p, "format 1.1 is not the one this vocreport reads (4.6); retrain it");
    memcpy(bad, good, n);
    bad[8] = 2; /* one band for every language, no contrast */
    bad[12] = 2;
    write_file(p, bad, n);
    expect_load_error(p, "format 2.2 is not the one this vocreport reads (4.6); retrain it");
    memcpy(bad, good, n);
    bad[8] = 3; /* no opinion model */
    bad[12] = 3;
    write_file(p, bad, n);
    expect_load_error(p, "format 3.3 is not the one this vocreport reads (4.6); retrain it");
    memcpy(bad, good, n);
    bad[12] = 3; /* English negation not yet flipped */
    write_file(p, bad, n);
    expect_load_error(p, "format 4.3 is not the one this vocreport reads (4.6); retrain it");
    memcpy(bad, good, n);
    bad[12] = 4; /* no negation from behind, negations into the next clause */
    write_file(p, bad, n);
    expect_load_error(p, "format 4.4 is not the one this vocreport reads (4.6); retrain it");
    memcpy(bad, good, n);
    bad[12] = 5; /* version 5 had no English word triples: not with en_ngram 3 */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    bad[24] = 2; /* a version-5 model as trained then: loads, and scores as version 6 does */
    write_file(p, bad, n);
    struct sentiment_model *v5 = NULL, *v6 = NULL;
    struct vr_error err = {0};
    check(sentiment_load(&v5, p, &err) == VR_OK, "a version-5 model loads", err.msg);
    bad[12] = 6;
    char *p6 = path_in_tmp("v6.model");
    write_file(p6, bad, n);
    check(sentiment_load(&v6, p6, &err) == VR_OK, "the same model as version 6 loads", err.msg);
    static const char *const v5_texts[] = {"The parcel did not arrive on time, very poor service.",
                                           "没有问题，物流很快", "Because it was easy"};
    for (size_t i = 0; v5 && v6 && i < sizeof(v5_texts) / sizeof(v5_texts[0]); i++)
        check(score(v5, v5_texts[i]) == score(v6, v5_texts[i]),
              "a version-5 model scores as before", v5_texts[i]);
    sentiment_free(v5);
    sentiment_free(v6);
    unlink(p6);
    free(p6);
    bad[12] = 5;
    bad[40] |= 8; /* nor pairs across a word */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    memcpy(bad, good, n);
    bad[12] = 5;
    bad[24] = 2;
    bad[20] = 4; /* nor Chinese 4-grams */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    memcpy(bad, good, n);
    bad[40] |= 16; /* a flag this vocreport does not know */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    memcpy(bad, good, n);
    bad[20] = 5; /* Chinese 5-grams */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    memcpy(bad, good, n);
    bad[24] = 4; /* English 4-grams */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    memcpy(bad, good, n);
    bad[16] = 40; /* hash bits */
    write_file(p, bad, n);
    expect_load_error(p, "bad header");
    static const float bad_bands[] = {-0.01f, 1.0f, 2.0f, NAN, INFINITY};
    for (size_t k = 0; k < sizeof(bad_bands) / sizeof(bad_bands[0]); k++)
        for (int l = 0; l < SENTIMENT_N_LANG; l++) {
            memcpy(bad, good, n);
            sentiment_put_f32(bad + 80 + 4 * l, bad_bands[k]);
            write_file(p, bad, n);
            expect_load_error(p, "bad header");
        }
    for (size_t k = 0; k < sizeof(bad_bands) / sizeof(bad_bands[0]); k++)
        for (int l = 0; l < SENTIMENT_N_LANG; l++) {
            memcpy(bad, good, n);
            sentiment_put_f32(bad + 108 + 4 * l, bad_bands[k]); /* opinion threshold */
            write_file(p, bad, n);
            expect_load_error(p, "bad header");
        }
    static const float bad_scales[] = {0.0f, -1.0f, NAN, INFINITY};
    for (size_t k = 0; k < sizeof(bad_scales) / sizeof(bad_scales[0]); k++) {
        memcpy(bad, good, n);
        sentiment_put_f32(bad + 92, bad_scales[k]); /* opinion scale */
        write_file(p, bad, n);
        expect_load_error(p, "bad header");
        memcpy(bad, good, n);
        sentiment_put_f32(bad + 100, bad_scales[k] * INFINITY); /* English opinion intercept */
        write_file(p, bad, n);
        expect_load_error(p, "bad header");
    }
    for (int at = 120; at <= 124; at += 4) {
        memcpy(bad, good, n);
        bad[at] = 1; /* reserved */
        write_file(p, bad, n);
        expect_load_error(p, "bad header");
    }
    free(bad);
    free(good);

    expect_load_error(tmpdir, "not a vocreport sentiment model");
    free(p);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: test_sentiment MODEL SENTENCES\n", stderr);
        return 2;
    }
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    struct sentiment_model *m = NULL;
    struct vr_error err = {0};
    if (sentiment_load(&m, argv[1], &err) != VR_OK) {
        fprintf(stderr, "FAIL load %s: %s\n", argv[1], err.msg);
        failures++;
    } else {
        test_clear_cases(m);
        test_negation(m);
        test_function_words(m);
        test_contrast(m);
        test_word_order();
        test_band_mapping(m);
        test_band_per_language(argv[1]);
        test_opinion_mapping(m);
        test_opinion_per_language(argv[1]);
        test_issue_table(m);
        test_service_sentences(m, argv[2]);
        test_odd_input(m);
        test_version(m, argv[1]);
        test_load_errors(argv[1]);
    }
    sentiment_free(m);
    test_word_order_scored();
    test_train_round_trip();
    test_train_weights();
    test_train_file_weight();
    test_train_opinion();
    test_smoothed_best();
    test_text_key();
    test_train_every_row_chooses();
    test_train_shuffles();
    test_train_average();
    test_loss_gradient();
    test_exact_fit();
    test_train_loss();
    test_train_nb_beta();
    test_train_exact();
    test_train_errors();

    char *cmd = xstrfmt("rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    free(cmd);
    printf("sentiment: %d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
