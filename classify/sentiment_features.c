/* Text -> hashed features for the sentiment model (see sentiment_features.h).
 * One pass over the bytes, no allocation: a word is hashed as it is read,
 * Chinese n-grams are built from the last two characters kept in the
 * state. */
#include "sentiment_features.h"

#include "jobs/base/utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CP_INVALID UTF8_INVALID

/* Distinct seeds per feature kind, so that a word and a symbol, or a pair
 * and a single character, never share a hash by construction.  The values
 * are part of the model format. */
enum {
    K_WORD = 1,   /* English word */
    K_WORD2 = 2,  /* English word pair */
    K_CHAR = 3,   /* Chinese character */
    K_CHAR2 = 4,  /* Chinese character pair */
    K_CHAR3 = 5,  /* Chinese character triple */
    K_SYM = 6,    /* emoji, "!", "?", emoticons */
    K_ECHAR = 8,  /* character n-gram of an English word */
    K_WORD3 = 9,  /* English word triple (en_ngram 3) */
    K_WSKIP = 10, /* English pair with one word between (en_skip) */
    K_CHAR4 = 11, /* Chinese character 4-gram (zh_ngram 4) */
};

#define NEG_SALT 0x9e3779b97f4a7c15ull

static inline uint64_t mix64(uint64_t x)
{
    /* splitmix64 finaliser */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static inline uint64_t feat_hash(unsigned kind, uint64_t a, uint64_t b, bool neg)
{
    uint64_t h = mix64(a + (uint64_t)kind * 0x632be59bd9b4e019ull);
    h = mix64(h ^ b);
    if (neg)
        h = mix64(h ^ NEG_SALT);
    return h;
}

static inline bool is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F) ||
           (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

static inline bool is_ascii_alnum(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
}

static inline bool is_latin_letter(uint32_t cp)
{
    return cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
}

static inline bool is_word_cp(uint32_t cp)
{
    return is_ascii_alnum(cp) || is_latin_letter(cp);
}

static inline bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f';
}

/* Ends a clause: negation scope and n-grams stop here. */
static inline bool is_clause_end(uint32_t cp)
{
    switch (cp) {
    case '.': case ',': case ';': case ':': case '!': case '?': case '(': case ')':
    case '[': case ']': case '{': case '}': case '"': case '\n': case '\r': case '~':
    case 0x3001: case 0x3002: case 0x2026: case 0x00B7: case 0x201C: case 0x201D:
        return true;
    default:
        return (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301B);
    }
}

/* Code points that carry nothing: joiners, variation selectors, BOM, skin
 * tones, combining marks. */
static inline bool is_ignorable(uint32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0xE0020 && cp <= 0xE007F);
}

/* Emoji, dingbats, arrows, other pictographs: one token each. */
static inline bool is_symbol(uint32_t cp)
{
    return (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
           cp == 0x2661 || cp == 0x2665;
}

/* ---- function words ----------------------------------------------------
 * A function word is not an opinion: English survey answers open with
 * "Because ...", and in review data "because" mostly explains a complaint,
 * so a model that learns it reads every survey answer as a complaint.
 * Function words (determiners, pronouns, prepositions, conjunctions,
 * auxiliaries and modals, degree words) give no feature of their own, and
 * a pair (English) or n-gram (Chinese) made of function words only gives
 * none either; a pair with a content word stays ("was_easy", "too_slow",
 * 很好).  Negation cues are not here: they open a scope.  Sorted (bsearch). */
/* clang-format off: a word list, read as a paragraph */
static const char *const en_function_words[] = {
    "a",          "about",   "above",      "across",     "after",     "against", "all",
    "along",      "also",    "am",         "among",      "an",        "and",     "another",
    "any",        "anyone",  "anything",   "are",        "around",    "as",      "at",
    "be",         "because", "been",       "before",     "being",     "below",   "between",
    "both",       "but",     "by",         "can",        "cause",     "cos",     "could",
    "cuz",        "did",     "do",         "does",       "doing",     "down",    "during",
    "each",       "either",  "else",       "even",       "ever",      "every",   "everyone",
    "everything", "for",     "from",       "had",        "has",       "have",    "having",
    "he",         "he'd",    "he'll",      "he's",       "her",       "here",    "here's",
    "hers",       "herself", "him",        "himself",    "his",       "how",     "i",
    "i'd",        "i'll",    "i'm",        "i've",       "if",        "in",      "into",
    "is",         "it",      "it'd",       "it'll",      "it's",      "its",     "itself",
    "just",       "let's",   "many",       "may",        "me",        "might",   "mine",
    "more",       "most",    "much",       "must",       "my",        "myself",  "of",
    "off",        "on",      "once",       "one",        "only",      "onto",    "or",
    "other",      "others",  "our",        "ours",       "ourselves", "out",     "over",
    "own",        "per",     "quite",      "rather",     "really",    "she",     "she'd",
    "she'll",     "she's",   "should",     "since",      "so",        "some",    "someone",
    "something",  "such",    "than",       "that",       "that's",    "the",     "their",
    "theirs",     "them",    "themselves", "then",       "there",     "there's", "these",
    "they",       "they'd",  "they'll",    "they're",    "they've",   "this",    "those",
    "though",     "through", "till",       "to",         "too",       "toward",  "towards",
    "under",      "until",   "up",         "upon",       "us",        "very",    "via",
    "was",        "we",      "we'd",       "we'll",      "we're",     "we've",   "were",
    "what",       "what's",  "when",       "where",      "whether",   "which",   "while",
    "who",        "whom",    "whose",      "why",        "will",      "with",    "within",
    "would",      "yet",     "you",        "you'd",      "you'll",    "you're",  "you've",
    "your",       "yours",   "yourself",   "yourselves",
};

/* 一上下与且个为么之也了于些从他以们会但你其到去又及可各向吗吧呀呢和哈哦啊啦嗯嘛因在
 * 地太她如它对将就己很得您我或所把挺是更最有来果此每比的着等给而能自蛮被要让该跟较过
 * 还这那都里 */
static const uint32_t zh_function_chars[] = {
    0x4E00, 0x4E0A, 0x4E0B, 0x4E0E, 0x4E14, 0x4E2A, 0x4E3A, 0x4E48, 0x4E4B, 0x4E5F, 0x4E86,
    0x4E8E, 0x4E9B, 0x4ECE, 0x4ED6, 0x4EE5, 0x4EEC, 0x4F1A, 0x4F46, 0x4F60, 0x5176, 0x5230,
    0x53BB, 0x53C8, 0x53CA, 0x53EF, 0x5404, 0x5411, 0x5417, 0x5427, 0x5440, 0x5462, 0x548C,
    0x54C8, 0x54E6, 0x554A, 0x5566, 0x55EF, 0x561B, 0x56E0, 0x5728, 0x5730, 0x592A, 0x5979,
    0x5982, 0x5B83, 0x5BF9, 0x5C06, 0x5C31, 0x5DF1, 0x5F88, 0x5F97, 0x60A8, 0x6211, 0x6216,
    0x6240, 0x628A, 0x633A, 0x662F, 0x66F4, 0x6700, 0x6709, 0x6765, 0x679C, 0x6B64, 0x6BCF,
    0x6BD4, 0x7684, 0x7740, 0x7B49, 0x7ED9, 0x800C, 0x80FD, 0x81EA, 0x86EE, 0x88AB, 0x8981,
    0x8BA9, 0x8BE5, 0x8DDF, 0x8F83, 0x8FC7, 0x8FD8, 0x8FD9, 0x90A3, 0x90FD, 0x91CC,
};
/* clang-format on */

struct word_key {
    const char *w;
    size_t n;
};

static int cmp_word(const void *key, const void *elem)
{
    const struct word_key *k = key;
    const char *e = *(const char *const *)elem;
    size_t en = strlen(e);
    int c = memcmp(k->w, e, k->n < en ? k->n : en);
    return c ? c : (k->n > en) - (k->n < en);
}

bool sentiment_function_word(const char *word, size_t len)
{
    struct word_key k = {word, len};
    return bsearch(&k, en_function_words, sizeof(en_function_words) / sizeof(en_function_words[0]),
                   sizeof(en_function_words[0]), cmp_word) != NULL;
}

bool sentiment_function_char(uint32_t cp)
{
    return utf8_in_set(cp, zh_function_chars,
                       sizeof(zh_function_chars) / sizeof(zh_function_chars[0]));
}

/* At most this many spans of a text weigh half (see find_contrast). */
#define CONTRAST_SPANS 4
/* At most this many spans of a text are negated from behind (see
 * find_negation_behind). */
#define BEHIND_SPANS 4

struct state {
    const struct sentiment_feature_opts *o;
    size_t pos;                     /* byte offset of the token being read */
    size_t half[CONTRAST_SPANS][2]; /* byte spans [from, to) whose features weigh half */
    int n_half;
    size_t behind[BEHIND_SPANS][2]; /* byte spans [from, to) negated by what follows them */
    int n_behind;
    sentiment_feature_fn *fn;
    void *ctx;
    struct strbuf *dbg;
    unsigned shift;
    uint32_t quarter;
    size_t n;
    size_t n_cjk, n_words;
    /* English */
    unsigned n_prev;          /* words of this clause before the current one, capped at 2 */
    uint64_t prev_h, prev2_h; /* the previous word, and the one before it */
    bool prev_function, prev2_function; /* ... are function words */
    char prev_txt[48], prev2_txt[48];
    unsigned neg_en;
    bool zh; /* the text has Chinese characters */
    /* Chinese */
    unsigned run; /* characters in the current run of ideographs, capped at 3 */
    uint32_t c1, c2, c3;
    bool f1, f2, f3; /* c1, c2, c3 are function characters */
    unsigned neg_zh;
    bool skip_you; /* after 没: 有 belongs to the cue */
};

static inline bool in_half(const struct state *s)
{
    for (int k = 0; k < s->n_half; k++)
        if (s->pos >= s->half[k][0] && s->pos < s->half[k][1])
            return true;
    return false;
}

static inline void emit_id(struct state *s, uint64_t h, bool minus)
{
    uint32_t bucket;
    if (s->zh) /* texts with Chinese: the upper three quarters of the table */
        bucket = s->quarter + (uint32_t)(((h >> 32) * (3ull * s->quarter)) >> 32);
    else       /* the others: the lowest quarter */
        bucket = (uint32_t)(h >> s->shift);
    if (s->n_half && in_half(s))
        bucket |= SENTIMENT_HALF;
    s->fn(s->ctx, bucket | (minus ? SENTIMENT_MINUS : 0));
    s->n++;
}

static inline void emit(struct state *s, uint64_t h)
{
    emit_id(s, h, false);
}

/* A feature; in a negation's scope, the feature itself with value -1 (its
 * polarity flipped: 没有问题 counts against 问题, "not bad" against "bad")
 * and its negated form, which learns where the flip is wrong (不太好 is
 * not the opposite of 太好, nor is "not great" that of "great").  English
 * used to get the negated form alone, which left "not bad", "no hassle"
 * or "not a single issue" to the review files, where "not" mostly opens a
 * complaint. */
static inline void emit_feat(struct state *s, unsigned kind, uint64_t a, uint64_t b, bool neg)
{
    if (neg) {
        emit_id(s, feat_hash(kind, a, b, false), true);
        emit_id(s, feat_hash(kind, a, b, true), false);
    } else {
        emit(s, feat_hash(kind, a, b, false));
    }
}

static void dbg_cp(struct strbuf *sb, uint32_t cp)
{
    char b[4];
    size_t k;
    if (cp < 0x80) {
        b[0] = (char)cp, k = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
    }
    strbuf_add(sb, b, k);
}

static void dbg_open(struct strbuf *sb, const char *kind, bool neg)
{
    if (sb->len)
        strbuf_add(sb, " ", 1);
    strbuf_adds(sb, kind);
    if (neg)
        strbuf_adds(sb, "NEG_");
}

/* kind, then a, sep and the first n bytes of b: "b:not_good" */
static void dbg_words(struct strbuf *sb, const char *kind, bool neg, const char *a, const char *sep,
                      const char *b, size_t n)
{
    dbg_open(sb, kind, neg);
    strbuf_adds(sb, a);
    strbuf_adds(sb, sep);
    strbuf_add(sb, b, n);
}

static void end_clause(struct state *s)
{
    s->neg_en = s->neg_zh = 0;
    s->n_prev = 0;
    s->run = 0;
}

static void emit_token(struct state *s, unsigned kind, uint64_t key, const char *txt)
{
    emit(s, feat_hash(kind, key, 0, false));
    if (s->dbg) {
        dbg_open(s->dbg, "s:", false);
        strbuf_adds(s->dbg, txt);
    }
}

/* ---- English ---------------------------------------------------------- */

static bool word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

/* w holds the whole word (n <= 47). */
static bool en_cue(const char *w, size_t n)
{
    static const char *const cues[] = {
        "not", "no", "never", "cannot", "without", "nothing", "none", "nobody", "nor",
        "neither", "nowhere", "hardly", "dont", "cant", "wont", "didnt", "doesnt", "isnt",
        "wasnt", "arent", "werent", "havent", "hasnt", "hadnt", "couldnt", "wouldnt",
        "shouldnt", "aint", "mustnt", "neednt",
    };
    if (n >= 3 && memcmp(w + n - 3, "n't", 3) == 0)
        return true;
    for (size_t k = 0; k < sizeof(cues) / sizeof(cues[0]); k++)
        if (word_is(w, n, cues[k]))
            return true;
    return false;
}

/* "because" and its spellings: survey answers open with it, and in review
 * data it mostly explains a complaint; no pair is made across it, so that
 * "because_the"-like pairs do not carry that skew either. */
static bool en_because(const char *w, size_t n)
{
    return word_is(w, n, "because") || word_is(w, n, "cause") || word_is(w, n, "cos") ||
           word_is(w, n, "cuz");
}

/* A word that opens another clause, which a negation before it does not
 * reach: "not a single issue since we switched" does not negate
 * "switched", nor "nothing was broken and it all works" "works". */
static bool en_scope_end(const char *w, size_t n)
{
    static const char *const ends[] = {
        "since", "when", "while", "after", "before", "until", "till", "if",
        "as",    "so",   "then",  "which", "who",    "where", "and",  "or",
    };
    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++)
        if (word_is(w, n, ends[k]))
            return true;
    return false;
}

/* One word: txt holds its first bytes (up to 47), n its full length. */
static void en_word(struct state *s, uint64_t h, const char *txt, size_t n)
{
    size_t shown = n < 47 ? n : 47;
    if (n <= 47 && en_because(txt, n)) {
        s->n_prev = 0;
        s->n_words++;
        return;
    }
    if (word_is(txt, n, "but") || word_is(txt, n, "however") || word_is(txt, n, "although") ||
        en_scope_end(txt, n))
        s->neg_en = 0;
    bool neg = s->neg_en > 0;
    bool function = n <= 47 && sentiment_function_word(txt, n);
    if (!function) {
        emit_feat(s, K_WORD, h, 0, neg);
        if (s->dbg) {
            dbg_open(s->dbg, "w:", neg);
            strbuf_add(s->dbg, txt, shown);
        }
    }
    if (!function && s->o->en_chargram >= 3 && n <= 47 && n >= 2) {
        /* character n-grams of "<word>": spelling variants share features */
        char b[52];
        size_t bl = 0;
        b[bl++] = '<';
        memcpy(b + bl, txt, n);
        bl += n;
        b[bl++] = '>';
        for (size_t g = 3; g <= s->o->en_chargram && g <= bl; g++)
            for (size_t st = 0; st + g <= bl; st++) {
                if (g == bl)
                    continue; /* the whole word is already a feature */
                uint64_t ch = 0xcbf29ce484222325ull ^ g;
                for (size_t q = 0; q < g; q++)
                    ch = (ch ^ (unsigned char)b[st + q]) * 0x100000001b3ull;
                /* the negated form only: flipping them too cost the
                 * review files (alexa -2.5, ba -1.2 points on VALID) */
                emit(s, feat_hash(K_ECHAR, ch, 0, neg));
                if (s->dbg) {
                    dbg_open(s->dbg, "g:", neg);
                    strbuf_add(s->dbg, b + st, g);
                }
            }
    }
    if (s->o->en_ngram >= 2 && s->n_prev >= 1 && !(function && s->prev_function)) {
        emit_feat(s, K_WORD2, s->prev_h, h, neg);
        if (s->dbg)
            dbg_words(s->dbg, "b:", neg, s->prev_txt, "_", txt, shown);
    }
    /* A pair cannot tell "did not arrive" from "did arrive" once "not" is
     * two words back, nor "not very good" from "very good": triples and
     * pairs across one word see that far; made of function words only,
     * they give nothing, as pairs. */
    if (s->o->en_ngram >= 3 && s->n_prev >= 2 &&
        !(function && s->prev_function && s->prev2_function)) {
        emit_feat(s, K_WORD3, mix64(s->prev2_h) ^ s->prev_h, h, neg);
        if (s->dbg) {
            dbg_words(s->dbg, "t:", neg, s->prev2_txt, "_", s->prev_txt, strlen(s->prev_txt));
            strbuf_add(s->dbg, "_", 1);
            strbuf_add(s->dbg, txt, shown);
        }
    }
    if (s->o->en_skip && s->n_prev >= 2 && !(function && s->prev2_function)) {
        emit_feat(s, K_WSKIP, s->prev2_h, h, neg);
        if (s->dbg)
            dbg_words(s->dbg, "k:", neg, s->prev2_txt, "__", txt, shown);
    }
    if (s->n_prev < 2)
        s->n_prev++;
    s->prev2_h = s->prev_h;
    s->prev2_function = s->prev_function;
    s->prev_h = h;
    s->prev_function = function;
    if (s->dbg) {
        memcpy(s->prev2_txt, s->prev_txt, sizeof(s->prev_txt));
        memcpy(s->prev_txt, txt, shown);
        s->prev_txt[shown] = '\0';
    }
    /* a function word does not use up a negation's scope: "never had a
     * late delivery" negates "late delivery" */
    if (neg && !function)
        s->neg_en--;
    if (n <= 47 && en_cue(txt, n))
        s->neg_en = s->o->neg_scope_en;
    s->n_words++;
}

static bool starts_with_ci(const unsigned char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != (unsigned char)lit[i])
            return false;
    }
    return true;
}

/* Reads the word starting at p[0] (a word character) and returns the bytes
 * consumed.  URLs are skipped whole. */
static size_t scan_word(struct state *s, const unsigned char *p, size_t n)
{
    if (starts_with_ci(p, n, "http://") || starts_with_ci(p, n, "https://") ||
        starts_with_ci(p, n, "www.")) {
        size_t i = 0;
        while (i < n && p[i] > ' ' && p[i] < 0x80)
            i++;
        return i;
    }
    char txt[48];
    size_t tlen = 0, wlen = 0;
    bool all_digits = true;
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i = 0;
    uint32_t prev = 0;
    while (i < n) {
        uint32_t cp;
        size_t adv = utf8_decode((const char *)p + i, n - i, &cp);
        cp = utf8_fold(cp);
        bool take = false;
        if (is_word_cp(cp)) {
            take = true;
        } else if ((cp == '\'' || cp == '.' || cp == ',' || cp == ':') && i + adv < n) {
            /* inner apostrophe (don't), or a separator inside a number (3.5, 11:15) */
            uint32_t nx;
            utf8_decode((const char *)p + i + adv, n - i - adv, &nx);
            nx = utf8_fold(nx);
            if (cp == '\'')
                take = is_word_cp(prev) && !(prev >= '0' && prev <= '9') && is_word_cp(nx) &&
                       !(nx >= '0' && nx <= '9');
            else
                take = prev >= '0' && prev <= '9' && nx >= '0' && nx <= '9';
        }
        if (!take)
            break;
        unsigned char enc[4];
        size_t k = 0;
        if (cp < 0x80) {
            unsigned char c = (unsigned char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            if (c >= '0' && c <= '9')
                c = '0';
            if (c >= 'a' && c <= 'z')
                all_digits = false;
            enc[k++] = c;
        } else {
            all_digits = false;
            memcpy(enc, p + i, adv);
            k = adv;
        }
        for (size_t j = 0; j < k; j++) {
            h = (h ^ enc[j]) * 0x100000001b3ull;
            if (tlen < sizeof(txt) - 1)
                txt[tlen++] = (char)enc[j];
        }
        wlen += k;
        prev = cp;
        i += adv;
    }
    if (all_digits) {
        static const char num[] = "NUM";
        en_word(s, 0x4e554d, num, 3);
    } else {
        txt[tlen] = '\0';
        en_word(s, h, txt, wlen);
    }
    return i;
}

/* ---- Chinese ---------------------------------------------------------- */

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (list[k] == cp)
            return true;
    return false;
}

#define IN(cp, ...)                                                                     \
    in_list((cp), (const uint32_t[]){__VA_ARGS__},                                       \
            sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

/* Is cp (between prev and next) a negation cue?  Returns the scope to
 * open: 0 for none. */
static unsigned zh_cue(const struct state *s, uint32_t prev, uint32_t cp, uint32_t next)
{
    unsigned scope = s->o->neg_scope_zh;
    switch (cp) {
    case 0x4E0D: /* 不, but not 不错 不过 不仅 不但 不少 不断 不久 不管 不论 不同 */
        if (IN(next, 0x9519, 0x8FC7, 0x4EC5, 0x4F46, 0x5C11, 0x65AD, 0x4E45, 0x7BA1, 0x8BBA,
               0x540C))
            return 0;
        return scope;
    case 0x6CA1: /* 没; 没有 negates what follows 有 */
        return next == 0x6709 ? scope + 1 : scope;
    case 0x65E0: /* 无, but not 无论 无比 无敌 */
        return IN(next, 0x8BBA, 0x6BD4, 0x654C) ? 0 : scope;
    case 0x975E: /* 非, but not 非常 除非 非洲 */
        return (next == 0x5E38 || prev == 0x9664 || next == 0x6D32) ? 0 : scope;
    case 0x672A: /* 未, but not 未来 */
        return next == 0x6765 ? 0 : scope;
    case 0x522B: /* 别 (don't), but not 特别 区别 分别 级别 类别 告别 个别 性别 识别 辨别
                  * 差别 派别 离别 鉴别 职别, 别人 别的 别处 别墅 别家 别名 别致 */
        if (IN(prev, 0x7279, 0x533A, 0x5206, 0x7EA7, 0x7C7B, 0x544A, 0x4E2A, 0x6027, 0x8BC6,
               0x8FA8, 0x5DEE, 0x6D3E, 0x79BB, 0x9274, 0x804C))
            return 0;
        if (IN(next, 0x4EBA, 0x7684, 0x5904, 0x5885, 0x5BB6, 0x540D, 0x81F4))
            return 0;
        return scope;
    default:
        return 0;
    }
}

static inline bool in_behind(const struct state *s)
{
    for (int k = 0; k < s->n_behind; k++)
        if (s->pos >= s->behind[k][0] && s->pos < s->behind[k][1])
            return true;
    return false;
}

static void zh_char(struct state *s, uint32_t prev, uint32_t cp, uint32_t next)
{
    unsigned scope = zh_cue(s, prev, cp, next);
    /* A cue (and the 有 of 没有) is no feature of its own: it opens a scope,
     * and its meaning is in the flipped features of what it negates. */
    bool skip = s->skip_you && cp == 0x6709;
    s->skip_you = false;
    if (skip || scope) {
        s->n_cjk++;
        if (scope) {
            s->run = 0;
            s->neg_zh = scope;
            s->skip_you = cp == 0x6CA1 && next == 0x6709;
        }
        if (s->dbg) {
            dbg_open(s->dbg, "cue:", false);
            dbg_cp(s->dbg, cp);
        }
        return;
    }
    /* 因, 因为 ("because"): no n-gram across it (see en_word) */
    if (cp == 0x56E0 || (cp == 0x4E3A && prev == 0x56E0)) {
        s->run = 0;
        s->n_cjk++;
        return;
    }
    bool neg = s->neg_zh > 0 || (s->n_behind && in_behind(s));
    bool function = sentiment_function_char(cp);
    if (!function) {
        emit_feat(s, K_CHAR, cp, 0, neg);
        if (s->dbg) {
            dbg_open(s->dbg, "c:", neg);
            dbg_cp(s->dbg, cp);
        }
    }
    if (s->o->zh_ngram >= 2 && s->run >= 1 && !(function && s->f1)) {
        emit_feat(s, K_CHAR2, s->c1, cp, neg);
        if (s->dbg) {
            dbg_open(s->dbg, "c2:", neg);
            dbg_cp(s->dbg, s->c1);
            dbg_cp(s->dbg, cp);
        }
    }
    if (s->o->zh_ngram >= 3 && s->run >= 2 && !(function && s->f1 && s->f2)) {
        emit_feat(s, K_CHAR3, ((uint64_t)s->c2 << 32) | s->c1, cp, neg);
        if (s->dbg) {
            dbg_open(s->dbg, "c3:", neg);
            dbg_cp(s->dbg, s->c2);
            dbg_cp(s->dbg, s->c1);
            dbg_cp(s->dbg, cp);
        }
    }
    if (s->o->zh_ngram >= 4 && s->run >= 3 && !(function && s->f1 && s->f2 && s->f3)) {
        emit_feat(s, K_CHAR4, ((uint64_t)s->c3 << 32) | s->c2, ((uint64_t)s->c1 << 32) | cp, neg);
        if (s->dbg) {
            dbg_open(s->dbg, "c4:", neg);
            dbg_cp(s->dbg, s->c3);
            dbg_cp(s->dbg, s->c2);
            dbg_cp(s->dbg, s->c1);
            dbg_cp(s->dbg, cp);
        }
    }
    s->c3 = s->c2;
    s->c2 = s->c1;
    s->c1 = cp;
    s->f3 = s->f2;
    s->f2 = s->f1;
    s->f1 = function;
    if (s->run < 3)
        s->run++;
    if (s->neg_zh)
        s->neg_zh--;
    s->n_cjk++;
}

/* ---- the pass over the text ------------------------------------------- */

/* ---- contrast ---------------------------------------------------------- */

/* The ASCII word w (lower case) at t[i], in any case, not inside a longer
 * word. */
static bool en_word_at(const char *t, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);
    if (i + n > len || (i > 0 && is_ascii_alnum((unsigned char)t[i - 1])) ||
        (i + n < len && is_ascii_alnum((unsigned char)t[i + n])))
        return false;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)t[i + k];
        if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != (unsigned char)w[k])
            return false;
    }
    return true;
}

static bool lit_at(const char *t, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);
    return i + n <= len && memcmp(t + i, w, n) == 0;
}

/* Does anything opinionated (a letter, a digit, a CJK character) follow
 * t[i]? */
static bool words_after(const char *t, size_t len, size_t i)
{
    for (; i < len; i++)
        if (is_ascii_alnum((unsigned char)t[i]) || (unsigned char)t[i] >= 0xE3)
            return true;
    return false;
}

/* The bytes of the clause that starts at t[i] (up to a clause end). */
static size_t clause_len(const char *t, size_t len, size_t i)
{
    size_t j = i;
    while (j < len) {
        uint32_t cp;
        size_t adv = utf8_decode(t + j, len - j, &cp);
        if (is_clause_end(utf8_fold(cp)))
            break;
        j += adv;
    }
    return j - i;
}

/* A customer who writes "X, but Y" tells in Y how it ended; so does one
 * who writes "although X, Y".  Marks the spans whose features weigh half:
 * everything before the last "but" (however, 但, 可是, 不过, 然而; not the
 * 但 of 不但 "not only") that has words after it, and each clause opened
 * by "although" (though, 虽然, 尽管, 虽说). */
static void find_contrast(struct state *s, const char *t, size_t len)
{
    size_t but = 0;
    bool have_but = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        size_t cue = 0;
        bool concession = false;
        if (c == 'b' || c == 'B') {
            cue = en_word_at(t, len, i, "but") ? 3 : 0;
        } else if (c == 'h' || c == 'H') {
            cue = en_word_at(t, len, i, "however") ? 7 : 0;
        } else if (c == 'a' || c == 'A' || c == 't' || c == 'T') {
            cue = en_word_at(t, len, i, "although") ? 8 : en_word_at(t, len, i, "though") ? 6 : 0;
            concession = cue > 0;
        } else if (c >= 0xE4 && c <= 0xE8) {
            if (lit_at(t, len, i, "但") && !(i >= 3 && lit_at(t, len, i - 3, "不")))
                cue = 3;
            else if (lit_at(t, len, i, "可是") || lit_at(t, len, i, "不过") ||
                     lit_at(t, len, i, "然而"))
                cue = 6;
            else if (lit_at(t, len, i, "虽然") || lit_at(t, len, i, "尽管") ||
                     lit_at(t, len, i, "虽说"))
                cue = 6, concession = true;
        }
        if (!cue)
            continue;
        if (concession && s->n_half < CONTRAST_SPANS - 1) {
            s->half[s->n_half][0] = i;
            s->half[s->n_half][1] = i + cue + clause_len(t, len, i + cue);
            s->n_half++;
        } else if (!concession && words_after(t, len, i + cue)) {
            but = i;
            have_but = true;
        }
        i += cue - 1;
    }
    if (have_but && but > 0) {
        s->half[s->n_half][0] = 0;
        s->half[s->n_half][1] = but;
        s->n_half++;
    }
}

/* Chinese also negates from behind: a clause that ends in 都没(有) or
 * 也没(有) ("not even one ... at all") negates what comes before it, as
 * in 一个问题都没有 (not a single problem: praise) or 一点帮助都没有 (no
 * help at all: a complaint); read forwards, the cue has nothing left to
 * negate and 问题 or 帮助 kept its own sign.  Marks the neg_scope_zh
 * ideographs before 都 or 也, within the clause, as negated. */
static void find_negation_behind(struct state *s, const char *t, size_t len)
{
    for (size_t i = 3; i + 6 <= len && s->n_behind < BEHIND_SPANS; i++) {
        if (!(lit_at(t, len, i, "都没") || lit_at(t, len, i, "也没")))
            continue;
        size_t j = i + 6;
        if (lit_at(t, len, j, "有"))
            j += 3;
        while (lit_at(t, len, j, "了") || lit_at(t, len, j, "啊") || lit_at(t, len, j, "呢"))
            j += 3;
        if (j < len && clause_len(t, len, j) > 0 && (unsigned char)t[j] != ' ')
            continue; /* 都没想到, 也没有人管: it negates what follows */
        size_t from = i;
        for (unsigned k = 0; k < s->o->neg_scope_zh && from > 0; k++) {
            size_t b = from - 1;
            while (b > 0 && ((unsigned char)t[b] & 0xC0) == 0x80)
                b--;
            uint32_t cp;
            utf8_decode(t + b, from - b, &cp);
            if (!is_cjk(utf8_fold(cp)))
                break;
            from = b;
        }
        if (from < i) {
            s->behind[s->n_behind][0] = from;
            s->behind[s->n_behind][1] = i;
            s->n_behind++;
        }
        i = j - 1;
    }
}

/* ":)" ":-)" ":D" ";)" "=)" -> positive, ":(" ":-(" ":/" -> negative.
 * Returns bytes consumed, 0 if no emoticon at p. */
static size_t emoticon(struct state *s, const unsigned char *p, size_t n)
{
    if (n < 2 || (p[0] != ':' && p[0] != ';' && p[0] != '='))
        return 0;
    size_t k = 1;
    if (p[k] == '-' && n > 2)
        k++;
    unsigned char c = p[k];
    if (c == ')' || c == 'D' || c == ']' || c == 'P' || c == 'p') {
        if ((c == 'D' || c == 'P' || c == 'p') && k + 1 < n && is_ascii_alnum(p[k + 1]))
            return 0;
        emit_token(s, K_SYM, 0x3a29, ":)");
        return k + 1;
    }
    if (c == '(' || c == '/' || c == '[') {
        if (c == '/' && k + 1 < n && p[k + 1] == '/')
            return 0; /* "://" */
        emit_token(s, K_SYM, 0x3a28, ":(");
        return k + 1;
    }
    return 0;
}

size_t sentiment_features(const struct sentiment_feature_opts *o, const char *text, size_t len,
                          sentiment_feature_fn *fn, void *ctx, enum sentiment_lang *lang,
                          struct strbuf *debug)
{
    struct state s;
    memset(&s, 0, sizeof(s));
    s.o = o;
    s.fn = fn;
    s.ctx = ctx;
    s.dbg = debug;
    s.shift = 64 - (o->hash_bits - 2);
    s.quarter = 1u << (o->hash_bits - 2);
    /* Texts with Chinese characters (U+3000 to U+9FFF: lead bytes E3 to
     * E9) and the others use separate parts of the table: "?" or "ok" in a
     * Chinese review does not mean what it means in an English tweet, and
     * the many Chinese n-grams do not collide with English words. */
    for (size_t q = 0; q < len; q++)
        if ((unsigned char)text[q] >= 0xE3 && (unsigned char)text[q] <= 0xE9) {
            s.zh = true;
            break;
        }
    if (o->contrast)
        find_contrast(&s, text, len);
    if (s.zh && o->neg_scope_zh)
        find_negation_behind(&s, text, len);
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    uint32_t prev = 0; /* previous code point, for Chinese cue exceptions */
    while (i < len) {
        uint32_t cp;
        size_t emo;
        s.pos = i;
        size_t adv = utf8_decode((const char *)p + i, len - i, &cp);
        cp = utf8_fold(cp);
        if (is_word_cp(cp)) {
            s.run = 0;
            i += scan_word(&s, p + i, len - i);
            prev = 'a';
            continue;
        }
        if (is_cjk(cp)) {
            uint32_t next = 0;
            if (i + adv < len) {
                utf8_decode((const char *)p + i + adv, len - i - adv, &next);
                next = utf8_fold(next);
            }
            s.n_prev = 0;
            zh_char(&s, prev, cp, next);
        } else if (cp == '@' && i + 1 < len && is_ascii_alnum(p[i + 1])) {
            /* @mention: the addressee says nothing about sentiment */
            adv = 1;
            while (i + adv < len && (is_ascii_alnum(p[i + adv]) || p[i + adv] == '_'))
                adv++;
        } else if (cp == '&') {
            /* HTML entity (&amp; &lt; &#39;): a separator */
            size_t k = 1;
            while (i + k < len && k < 10 && (is_ascii_alnum(p[i + k]) || p[i + k] == '#'))
                k++;
            if (k > 1 && i + k < len && p[i + k] == ';')
                adv = k + 1;
            s.run = 0;
        } else if (cp < 0x80 && (emo = emoticon(&s, p + i, len - i)) > 0) {
            adv = emo;
            end_clause(&s);
        } else if (is_clause_end(cp)) {
            if (cp == '!')
                emit_token(&s, K_SYM, '!', "!");
            else if (cp == '?')
                emit_token(&s, K_SYM, '?', "?");
            end_clause(&s);
        } else if (is_ignorable(cp)) {
            /* nothing, and the run of ideographs goes on */
        } else if (is_symbol(cp)) {
            s.run = 0;
            s.n_prev = 0;
            emit(&s, feat_hash(K_SYM, cp, 0, false));
            if (s.dbg) {
                dbg_open(s.dbg, "s:", false);
                dbg_cp(s.dbg, cp);
            }
        } else {
            /* spaces, other punctuation, invalid bytes: break the n-grams of
             * ideographs (and a Chinese negation: a space often stands for
             * a comma there); English word pairs go on across them */
            s.run = 0;
            s.neg_zh = 0;
        }
        if (cp != CP_INVALID && !is_ignorable(cp))
            prev = cp;
        i += adv;
    }
    enum sentiment_lang l = s.n_cjk > 0 && s.n_cjk >= s.n_words ? SENTIMENT_ZH
                            : s.n_words > 0                     ? SENTIMENT_EN
                                                                : SENTIMENT_OTHER;
    if (lang)
        *lang = l;
    if (s.dbg) {
        dbg_open(s.dbg, "lang:", false);
        strbuf_adds(s.dbg, l == SENTIMENT_ZH ? "zh" : l == SENTIMENT_EN ? "en" : "other");
    }
    return s.n;
}
