/* Candidate topics from unread comments (see suggest.h): terms, bounded
 * counting, the contrast with matched comments, co-occurrence and greedy
 * modularity. */
#include "suggest.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "sentiment_features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TERM_MAX 47     /* bytes of a term: two words of 20 and a space, 5 ideographs */
#define WORD_MAX 20     /* a longer English word is no term (an id, a URL piece) */
#define WORD_MIN 3      /* bytes of an English word to be a term alone */
#define ZH_MIN 2        /* ideographs of a Chinese term */
#define ZH_MAX 4        /* ... that can be selected */
#define ZH_COUNT_MAX 5  /* ... that are counted (to find the fragments of ZH_MAX) */
#define DOC_TERMS 4096  /* slots of one comment's set of terms (2,048 terms at most) */
#define FRAGMENT 0.8    /* a longer n-gram holding this share of an n-gram's comments */
#define Z_MIN 2.0       /* over-represented among the unread comments ... */
#define RATIO_MIN 2.0   /* ... at least twice as often as among the matched */
#define LINK_MIN 0.3    /* likeness of two terms (cosine) below which they are not linked */
#define CONTRAST_MIN 30 /* matched comments needed to compare with */

/* ---- Terms ---------------------------------------------------------------- */

/* Negation cues are no topic ("never", "not"); the sentiment model's
 * function words are the rest of the stop list (sentiment_features.h). */
static bool negation_word(const char *w, size_t n)
{
    static const char *const cues[] = {"cannot", "neither", "never", "no",      "nobody",
                                       "none",   "nor",     "not",   "nothing", "without"};
    for (size_t i = 0; i < sizeof(cues) / sizeof(cues[0]); i++)
        if (strlen(cues[i]) == n && !memcmp(cues[i], w, n))
            return true;
    return n > 3 && !memcmp(w + n - 3, "n't", 3);
}

/* Particles, pronouns, degree words and negations: a Chinese n-gram that
 * starts or ends with one is a piece of a sentence, not a name for a thing
 * (一直没, 的快递). */
static bool zh_edge_char(uint32_t cp)
{
    /* 一不与个么之也了些他们你其别又及吗吧呀呢和哈哦啊啦嗯嘛在太她它对将就很您我或把挺无是
     * 更最未此每没的着给而蛮被让该跟较还这那都非 */
    static const uint32_t chars[] = {
        0x4E00, 0x4E0D, 0x4E0E, 0x4E2A, 0x4E48, 0x4E4B, 0x4E5F, 0x4E86, 0x4E9B, 0x4ED6, 0x4EEC,
        0x4F60, 0x5176, 0x522B, 0x53C8, 0x53CA, 0x5417, 0x5427, 0x5440, 0x5462, 0x548C, 0x54C8,
        0x54E6, 0x554A, 0x5566, 0x55EF, 0x561B, 0x5728, 0x592A, 0x5979, 0x5B83, 0x5BF9, 0x5C06,
        0x5C31, 0x5F88, 0x60A8, 0x6211, 0x6216, 0x628A, 0x633A, 0x65E0, 0x662F, 0x66F4, 0x6700,
        0x672A, 0x6B64, 0x6BCF, 0x6CA1, 0x7684, 0x7740, 0x7ED9, 0x800C, 0x86EE, 0x88AB, 0x8BA9,
        0x8BE5, 0x8DDF, 0x8F83, 0x8FD8, 0x8FD9, 0x90A3, 0x90FD, 0x975E,
    };
    return utf8_in_set(cp, chars, sizeof(chars) / sizeof(chars[0]));
}

static bool is_word_cp(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Between two English words of one phrase: "broadband speed",
 * "follow-up", "and/or".  Anything else (punctuation, symbols, another
 * script) ends the clause. */
static bool is_joiner(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '-' || cp == '/' || cp == '&' || cp == '+' || cp == '_';
}

struct tok {
    suggest_term_fn *fn;
    void *ctx;
    /* English */
    char word[WORD_MAX + 8];
    size_t wlen;
    bool wlong; /* longer than WORD_MAX: no term */
    char prev[WORD_MAX + 1];
    size_t prev_len; /* 0: no previous content word in this clause */
    /* Chinese: the last ZH_COUNT_MAX ideographs of the current run */
    char zh[ZH_COUNT_MAX][4];
    uint8_t zh_len[ZH_COUNT_MAX];
    bool zh_edge[ZH_COUNT_MAX];
    size_t run;
};

static bool all_digits(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return false;
    return true;
}

static void end_word(struct tok *t)
{
    if (!t->wlen)
        return;
    char *w = t->word;
    size_t n = t->wlen;
    t->wlen = 0;
    if (n >= 2 && w[n - 2] == '\'' && w[n - 1] == 's')
        n -= 2; /* engineer's: engineer */
    while (n && w[n - 1] == '\'')
        n--;
    bool content = !t->wlong && n >= 2 && !all_digits(w, n) && !sentiment_function_word(w, n) &&
                   !negation_word(w, n);
    t->wlong = false;
    if (!content) {
        t->prev_len = 0;
        return;
    }
    if (n >= WORD_MIN)
        t->fn(t->ctx, w, n, false, 1, true);
    if (t->prev_len) {
        char pair[TERM_MAX + 1];
        if (t->prev_len + 1 + n <= TERM_MAX) {
            memcpy(pair, t->prev, t->prev_len);
            pair[t->prev_len] = ' ';
            memcpy(pair + t->prev_len + 1, w, n);
            t->fn(t->ctx, pair, t->prev_len + 1 + n, false, 2, true);
        }
    }
    memcpy(t->prev, w, n);
    t->prev_len = n;
}

static void zh_char(struct tok *t, uint32_t cp, const char *bytes, size_t n)
{
    size_t slot = t->run % ZH_COUNT_MAX;
    memcpy(t->zh[slot], bytes, n);
    t->zh_len[slot] = (uint8_t)n;
    t->zh_edge[slot] = zh_edge_char(cp);
    t->run++;
    size_t most = t->run < ZH_COUNT_MAX ? t->run : ZH_COUNT_MAX;
    for (size_t k = ZH_MIN; k <= most; k++) {
        size_t first = (t->run - k) % ZH_COUNT_MAX;
        /* An n-gram with an edge character at either end is counted, to
         * tell that the n-gram inside it is its piece (天假 of 一天假), but
         * is never a term itself. */
        bool edge = t->zh_edge[first] || t->zh_edge[slot];
        char gram[TERM_MAX + 1];
        size_t len = 0;
        for (size_t j = t->run - k; j < t->run; j++) {
            size_t s = j % ZH_COUNT_MAX;
            memcpy(gram + len, t->zh[s], t->zh_len[s]);
            len += t->zh_len[s];
        }
        t->fn(t->ctx, gram, len, true, (unsigned)k, !edge);
    }
}

void suggest_each_term(const char *text, size_t len, suggest_term_fn *fn, void *ctx)
{
    struct tok t = {.fn = fn, .ctx = ctx};
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t adv = utf8_decode(text + i, len - i, &cp);
        uint32_t f = utf8_fold(cp);
        bool apostrophe =
            f == '\'' && t.wlen && i + adv < len && is_word_cp((unsigned char)text[i + adv]);
        if (is_word_cp(f) || apostrophe) {
            t.run = 0;
            if (t.wlen < WORD_MAX) {
                if (f < 0x80) {
                    t.word[t.wlen++] = (char)(f >= 'A' && f <= 'Z' ? f + 32 : f);
                } else if (t.wlen + adv <= WORD_MAX) {
                    memcpy(t.word + t.wlen, text + i, adv);
                    t.wlen += adv;
                } else {
                    t.wlong = true;
                }
            } else {
                t.wlong = true;
            }
        } else {
            end_word(&t);
            if (utf8_is_cjk(cp)) {
                t.prev_len = 0; /* Chinese between two English words: not a pair */
                zh_char(&t, cp, text + i, adv);
            } else {
                t.run = 0;
                if (!is_joiner(f))
                    t.prev_len = 0;
            }
        }
        i += adv;
    }
    end_word(&t);
}

/* ---- Counting (pass 1) ---------------------------------------------------- */

struct entry {
    uint64_t hash;
    uint32_t unread, matched;
    uint8_t len, units;
    bool zh, term; /* term: may be selected (not a Chinese n-gram with an edge character) */
    char text[TERM_MAX + 1];
};

struct suggest {
    struct entry *e;
    size_t n, cap;
    uint32_t *slot; /* entry index + 1; 0 is empty */
    size_t n_slots; /* a power of two, at least twice cap */
    uint32_t floor;
    size_t unread, matched;

    /* One comment's terms, each once: hashes stamped with the comment's
     * number, so the set is emptied by counting up. */
    uint64_t doc_hash[DOC_TERMS];
    uint32_t doc_stamp[DOC_TERMS];
    uint32_t stamp;
    size_t doc_n;
    bool doc_unread;

    /* Selected terms (pass 2), found by hash through sel_slot (index + 1) */
    struct suggest_term *terms;
    uint64_t *term_hash;
    size_t n_terms;
    uint32_t *sel_slot;
    size_t n_sel_slots;
    uint32_t *co; /* n_terms x n_terms, the comments with both */
    size_t co_docs;
    size_t *doc_ids; /* scratch: the selected terms of one comment */
    size_t doc_ids_n;

    struct suggest_candidate *cands;
    size_t n_cands;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h ? h : 1;
}

struct suggest *suggest_new(size_t vocab_cap)
{
    struct suggest *s = xcalloc(1, sizeof(*s));
    s->cap = vocab_cap < 1024 ? 1024 : vocab_cap;
    s->e = xcalloc(s->cap, sizeof(*s->e));
    s->n_slots = 1;
    while (s->n_slots < 2 * s->cap)
        s->n_slots <<= 1;
    s->slot = xcalloc(s->n_slots, sizeof(*s->slot));
    return s;
}

void suggest_free(struct suggest *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_terms; i++)
        free(s->terms[i].text);
    free(s->terms);
    free(s->term_hash);
    free(s->sel_slot);
    free(s->co);
    free(s->doc_ids);
    for (size_t i = 0; i < s->n_cands; i++)
        free(s->cands[i].terms);
    free(s->cands);
    free(s->slot);
    free(s->e);
    free(s);
}

/* True the first time a comment shows the term. */
static bool doc_first(struct suggest *s, uint64_t h)
{
    size_t mask = DOC_TERMS - 1, i = (size_t)h & mask;
    while (s->doc_stamp[i] == s->stamp) {
        if (s->doc_hash[i] == h)
            return false;
        i = (i + 1) & mask;
    }
    if (s->doc_n >= DOC_TERMS / 2)
        return false; /* a very long comment: the rest of its terms are not counted */
    s->doc_stamp[i] = s->stamp;
    s->doc_hash[i] = h;
    s->doc_n++;
    return true;
}

static void doc_begin(struct suggest *s)
{
    if (++s->stamp == 0) { /* wrapped: clear the stamps once */
        memset(s->doc_stamp, 0, sizeof(s->doc_stamp));
        s->stamp = 1;
    }
    s->doc_n = 0;
}

static void reindex(struct suggest *s)
{
    memset(s->slot, 0, s->n_slots * sizeof(*s->slot));
    for (size_t k = 0; k < s->n; k++) {
        size_t i = (size_t)s->e[k].hash & (s->n_slots - 1);
        while (s->slot[i])
            i = (i + 1) & (s->n_slots - 1);
        s->slot[i] = (uint32_t)(k + 1);
    }
}

/* The table is full: the floor rises until at most half of it is left. */
static void prune(struct suggest *s)
{
    size_t kept;
    do {
        s->floor++;
        kept = 0;
        for (size_t k = 0; k < s->n; k++)
            kept += s->e[k].unread + s->e[k].matched > s->floor;
    } while (kept > s->cap / 2);
    size_t w = 0;
    for (size_t k = 0; k < s->n; k++)
        if (s->e[k].unread + s->e[k].matched > s->floor)
            s->e[w++] = s->e[k];
    s->n = w;
    reindex(s);
}

static struct entry *find(const struct suggest *s, const char *t, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (s->n_slots - 1);
    for (; s->slot[i]; i = (i + 1) & (s->n_slots - 1)) {
        struct entry *e = &s->e[s->slot[i] - 1];
        if (e->hash == h && e->len == n && !memcmp(e->text, t, n))
            return e;
    }
    return NULL;
}

static void count_term(void *ctx, const char *t, size_t n, bool zh, unsigned units, bool term)
{
    struct suggest *s = ctx;
    uint64_t h = hash_bytes(t, n);
    if (n > TERM_MAX || !doc_first(s, h))
        return;
    struct entry *e = find(s, t, n, h);
    if (!e) {
        if (s->n == s->cap)
            prune(s);
        e = &s->e[s->n++];
        memset(e, 0, sizeof(*e));
        e->hash = h;
        e->len = (uint8_t)n;
        e->units = (uint8_t)units;
        e->zh = zh;
        e->term = term;
        memcpy(e->text, t, n);
        size_t i = (size_t)h & (s->n_slots - 1);
        while (s->slot[i])
            i = (i + 1) & (s->n_slots - 1);
        s->slot[i] = (uint32_t)s->n;
    }
    if (s->doc_unread)
        e->unread++;
    else
        e->matched++;
}

void suggest_count(struct suggest *s, const char *text, size_t len, bool unread)
{
    doc_begin(s);
    s->doc_unread = unread;
    if (unread)
        s->unread++;
    else
        s->matched++;
    suggest_each_term(text, len, count_term, s);
}

/* ---- Selection ------------------------------------------------------------ */

/* How a term in yu of nu unread comments compares with ym of nm matched
 * ones: z of the pooled two-proportion test (significance: does not shrink
 * to nothing for a term no matched comment has, as a log odds ratio's
 * standard error does), the rate ratio with half a comment added to the
 * matched count (effect size), and the score that ranks the terms: the
 * unread comments times the log of that ratio, so that a theme needs both
 * volume and distinctiveness. */
struct contrast {
    double z, ratio, score;
};

static struct contrast compare(double yu, double nu, double ym, double nm)
{
    struct contrast c = {0, 0, 0};
    double pu = yu / nu, pm = (ym + 0.5) / (nm + 1), pooled = (yu + ym) / (nu + nm);
    double se = sqrt(pooled * (1 - pooled) * (1 / nu + 1 / nm));
    c.z = se > 0 ? (pu - ym / nm) / se : 0;
    c.ratio = pu / pm;
    c.score = yu * log(c.ratio);
    return c;
}

/* A Chinese n-gram one character longer than e, e's prefix or suffix,
 * holding FRAGMENT of e's unread comments. */
static void mark_fragments(const struct suggest *s, bool *fragment)
{
    for (size_t k = 0; k < s->n; k++) {
        const struct entry *h = &s->e[k];
        if (!h->zh || h->units <= ZH_MIN)
            continue;
        uint32_t cp;
        size_t first = utf8_decode(h->text, h->len, &cp);
        size_t last = h->len;
        while (last > 0 && ((unsigned char)h->text[last - 1] & 0xC0) == 0x80)
            last--;
        last = last ? last - 1 : 0;
        /* prefix: the bytes before the last character; suffix: after the first */
        const char *parts[2] = {h->text, h->text + first};
        size_t lens[2] = {last, (size_t)h->len - first};
        for (int p = 0; p < 2; p++) {
            struct entry *g = find(s, parts[p], lens[p], hash_bytes(parts[p], lens[p]));
            if (g && (double)h->unread >= FRAGMENT * (double)g->unread)
                fragment[g - s->e] = true;
        }
    }
}

struct ranked {
    const struct entry *e;
    double score, z;
};

static int by_score(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    const struct entry *p = x->e, *q = y->e;
    if (p->unread != q->unread)
        return p->unread > q->unread ? -1 : 1;
    int c = memcmp(p->text, q->text, p->len < q->len ? p->len : q->len);
    return c ? c : (int)p->len - (int)q->len;
}

size_t suggest_select(struct suggest *s, size_t max_terms, uint32_t min_support)
{
    bool contrast = s->matched >= CONTRAST_MIN;
    bool *fragment = xcalloc(s->n + 1, sizeof(*fragment));
    mark_fragments(s, fragment);
    struct ranked *r = xcalloc(s->n + 1, sizeof(*r));
    size_t n = 0;
    for (size_t k = 0; k < s->n; k++) {
        const struct entry *e = &s->e[k];
        if (!e->term || fragment[k] || e->unread < min_support || (e->zh && e->units > ZH_MAX))
            continue;
        struct contrast c = {0, 0, (double)e->unread};
        if (contrast) {
            c = compare(e->unread, (double)s->unread, e->matched, (double)s->matched);
            if (c.z < Z_MIN || c.ratio < RATIO_MIN)
                continue;
        }
        r[n++] = (struct ranked){e, c.score, c.z};
    }
    qsort(r, n, sizeof(*r), by_score);
    if (n > max_terms)
        n = max_terms;
    s->terms = xcalloc(n + 1, sizeof(*s->terms));
    s->term_hash = xcalloc(n + 1, sizeof(*s->term_hash));
    s->n_sel_slots = 16;
    while (s->n_sel_slots < 4 * n)
        s->n_sel_slots <<= 1;
    s->sel_slot = xcalloc(s->n_sel_slots, sizeof(*s->sel_slot));
    for (size_t i = 0; i < n; i++) {
        const struct entry *e = r[i].e;
        size_t slot = (size_t)e->hash & (s->n_sel_slots - 1);
        while (s->sel_slot[slot])
            slot = (slot + 1) & (s->n_sel_slots - 1);
        s->sel_slot[slot] = (uint32_t)(i + 1);
        s->terms[i] = (struct suggest_term){.text = xstrfmt("%.*s", (int)e->len, e->text),
                                            .zh = e->zh,
                                            .unread = e->unread,
                                            .matched = e->matched,
                                            .z = r[i].z};
        s->term_hash[i] = e->hash;
    }
    s->n_terms = n;
    s->co = xcalloc(n * n + 1, sizeof(*s->co));
    s->doc_ids = xcalloc(n + 1, sizeof(*s->doc_ids));
    free(r);
    free(fragment);
    return n;
}

/* ---- Co-occurrence (pass 2) and grouping ---------------------------------- */

static void cooccur_term(void *ctx, const char *t, size_t n, bool zh, unsigned units, bool term)
{
    (void)zh;
    (void)units;
    (void)term;
    struct suggest *s = ctx;
    uint64_t h = hash_bytes(t, n);
    size_t slot = (size_t)h & (s->n_sel_slots - 1);
    for (; s->sel_slot[slot]; slot = (slot + 1) & (s->n_sel_slots - 1)) {
        size_t i = s->sel_slot[slot] - 1;
        if (s->term_hash[i] != h || strlen(s->terms[i].text) != n || memcmp(s->terms[i].text, t, n))
            continue;
        for (size_t j = 0; j < s->doc_ids_n; j++)
            if (s->doc_ids[j] == i)
                return;
        s->doc_ids[s->doc_ids_n++] = i;
        return;
    }
}

void suggest_cooccur(struct suggest *s, const char *text, size_t len)
{
    if (!s->n_sel_slots)
        return; /* nothing selected (yet) */
    s->doc_ids_n = 0;
    s->co_docs++;
    suggest_each_term(text, len, cooccur_term, s);
    for (size_t a = 0; a < s->doc_ids_n; a++) {
        size_t i = s->doc_ids[a];
        s->terms[i].cooccur_docs++;
        for (size_t b = 0; b < s->doc_ids_n; b++)
            s->co[i * s->n_terms + s->doc_ids[b]]++;
    }
}

/* Normalised PMI of two terms over the unread comments of pass 2, below 0
 * counted as 0 (terms that avoid each other are as unrelated as strangers). */
static double npmi(const struct suggest *s, size_t i, size_t j)
{
    double n = (double)s->co_docs, both = s->co[i * s->n_terms + j];
    if (both == 0 || n == 0)
        return 0;
    double pij = both / n, pi = s->terms[i].cooccur_docs / n, pj = s->terms[j].cooccur_docs / n;
    if (pij >= 1)
        return 1;
    double v = log(pij / (pi * pj)) / -log(pij);
    return v > 0 ? v : 0;
}

struct member {
    size_t i;
    const struct suggest_term *t;
};

static int by_docs(const void *a, const void *b)
{
    const struct suggest_term *p = ((const struct member *)a)->t,
                              *q = ((const struct member *)b)->t;
    if (p->cooccur_docs != q->cooccur_docs)
        return p->cooccur_docs > q->cooccur_docs ? -1 : 1;
    return strcmp(p->text, q->text);
}

static int by_weight(const void *a, const void *b)
{
    const struct suggest_candidate *p = a, *q = b;
    if (p->weight != q->weight)
        return p->weight > q->weight ? -1 : 1;
    return (p->terms[0] > q->terms[0]) - (p->terms[0] < q->terms[0]);
}

size_t suggest_group(struct suggest *s)
{
    size_t n = s->n_terms;
    if (!n)
        return 0;
    /* Greedy modularity (Clauset, Newman and Moore): two groups merge
     * while the weight between them is more than their degrees make
     * expected, the merge that gains most first.  A theme is a dense group;
     * a word two themes share ("twice") has weight to both and joins one of
     * them without joining the themes.  The weight of an edge is how alike
     * the two terms' company is, the cosine of their rows of positive NPMI
     * (a term's own entry 1): "technician" and "engineer" rarely share a
     * comment but share "appointment" and "visit".  Below LINK_MIN a
     * likeness is no edge: in a large graph any faint link would make a
     * merge gain (modularity's resolution limit) and small themes would
     * vanish into large ones. */
    double *row = xcalloc(n * n, sizeof(*row));
    for (size_t i = 0; i < n; i++) {
        double norm = 0;
        for (size_t j = 0; j < n; j++) {
            row[i * n + j] = i == j ? 1 : npmi(s, i, j);
            norm += row[i * n + j] * row[i * n + j];
        }
        for (size_t j = 0; j < n; j++)
            row[i * n + j] /= sqrt(norm);
    }
    double *e = xcalloc(n * n, sizeof(*e)), *a = xcalloc(n, sizeof(*a)), total = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dot = 0;
            for (size_t k = 0; i != j && k < n; k++)
                dot += row[i * n + k] * row[j * n + k];
            if (dot < LINK_MIN)
                dot = 0;
            total += e[i * n + j] = dot;
        }
    free(row);
    size_t *group = xcalloc(n, sizeof(*group)), *size = xcalloc(n, sizeof(*size));
    bool *alive = xcalloc(n, sizeof(*alive));
    for (size_t i = 0; i < n; i++) {
        group[i] = i;
        size[i] = 1;
        alive[i] = true;
        for (size_t j = 0; j < n && total > 0; j++)
            a[i] += e[i * n + j] /= total;
    }
    for (;;) {
        double best = 0; /* a merge must gain modularity */
        size_t ba = n, bb = n;
        for (size_t c = 0; c < n; c++)
            for (size_t d = c + 1; alive[c] && d < n; d++) {
                double dq = 2 * (e[c * n + d] - a[c] * a[d]);
                if (alive[d] && e[c * n + d] > 0 && dq > best) {
                    best = dq;
                    ba = c;
                    bb = d;
                }
            }
        if (ba == n)
            break;
        e[ba * n + ba] += e[bb * n + bb] + 2 * e[ba * n + bb];
        for (size_t x = 0; x < n; x++)
            if (alive[x] && x != ba && x != bb)
                e[ba * n + x] = e[x * n + ba] = e[ba * n + x] + e[bb * n + x];
        a[ba] += a[bb];
        size[ba] += size[bb];
        alive[bb] = false;
        for (size_t i = 0; i < n; i++)
            if (group[i] == bb)
                group[i] = ba;
    }
    free(e);
    free(a);
    s->cands = xcalloc(n, sizeof(*s->cands));
    struct member *m = xcalloc(n, sizeof(*m));
    for (size_t g = 0; g < n; g++) {
        if (!alive[g])
            continue;
        struct suggest_candidate *c = &s->cands[s->n_cands++];
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (group[i] == g) {
                m[k++] = (struct member){i, &s->terms[i]};
                c->weight += s->terms[i].cooccur_docs;
            }
        qsort(m, k, sizeof(*m), by_docs);
        c->terms = xcalloc(k, sizeof(*c->terms));
        for (size_t i = 0; i < k; i++)
            c->terms[i] = m[i].i;
        c->n_terms = k;
    }
    free(m);
    qsort(s->cands, s->n_cands, sizeof(*s->cands), by_weight);
    free(group);
    free(size);
    free(alive);
    return s->n_cands;
}

const struct suggest_term *suggest_term(const struct suggest *s, size_t i)
{
    return i < s->n_terms ? &s->terms[i] : NULL;
}

const struct suggest_candidate *suggest_candidate(const struct suggest *s, size_t i)
{
    return i < s->n_cands ? &s->cands[i] : NULL;
}

void suggest_get_stats(const struct suggest *s, struct suggest_stats *out)
{
    *out = (struct suggest_stats){
        .unread = s->unread, .matched = s->matched, .vocabulary = s->n, .floor = s->floor};
}
