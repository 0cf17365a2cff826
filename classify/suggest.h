/* Candidate topics from the comments a taxonomy leaves unread ("vocreport
 * suggest-topics", jobs/run/suggest_topics.c): the words and phrases that are
 * distinctive of the unread comments, compared with the comments a topic
 * matched, grouped so that the words of one theme make one candidate.  A
 * pure library: it sees texts, never the database; the caller streams the
 * comments through it twice, in any order, and memory stays bounded
 * whatever their number.
 *
 * Terms, with no word segmentation:
 * - English: words (letters, digits, inner apostrophes; ASCII lower-cased;
 *   a possessive 's dropped, as the taxonomy's word boundary would) of
 *   three bytes or more, and pairs of adjacent words within a clause
 *   (spaces and hyphens join, punctuation and Chinese characters break).
 *   Function words (the sentiment model's list), negation cues and numbers
 *   are no term and no part of a pair.
 * - Chinese: character n-grams of 2 to 4 ideographs within a run of them,
 *   none starting or ending with a particle, pronoun or negation (的 了 我
 *   不 没 ...).
 * A comment counts each of its terms once.
 *
 * Pass 1, suggest_count: every comment with text, unread (no topic) or
 * matched, counts in how many of each kind a term occurs, in a table of at
 * most vocab_cap terms; when it is full the rarest terms go (every count at
 * or below a rising floor, suggest_stats.floor), so a frequent term stays
 * and memory does not grow.
 * suggest_select keeps at most max_terms distinctive terms: in at least
 * min_support unread comments; over-represented among them, both
 * significantly (z of the pooled two-proportion test, unread against
 * matched, at least 2) and clearly (at least twice the matched comments'
 * rate, half a comment added to theirs); and not a fragment: a Chinese
 * n-gram 80 % of whose unread comments hold one and the same n-gram one
 * character longer is that one's piece (程师 of 工程师, 天假 of 一天假).
 * They rank by unread comments times the log of that rate ratio: a theme
 * needs volume and distinctiveness.  With fewer than 30 matched comments
 * there is nothing to compare with, and the most frequent terms are kept.
 * Pass 2, suggest_cooccur: the unread comments again, counting which
 * selected terms occur together.
 * suggest_group joins the terms into candidates by greedy modularity on a
 * graph of the terms whose edges weigh how alike two terms' company is: the
 * cosine of their rows of normalised pointwise mutual information (negative
 * as 0), no edge below 0.3.  Terms that keep company in the same comments, or with the same
 * words, are one theme ("technician" with "engineer" through "appointment"
 * though the two rarely meet); a word two themes share joins one of them
 * without joining the themes; two languages, which never meet, stay apart.
 */
#ifndef VR_SUGGEST_H
#define VR_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct suggest;

struct suggest_term {
    char *text;            /* as a taxonomy keyword: "engineer visit", "工程师" */
    bool zh;               /* a Chinese n-gram (keywords_zh), else English */
    uint32_t unread;       /* unread comments with the term (pass 1) */
    uint32_t matched;      /* matched comments with the term (pass 1) */
    double z;              /* z of the two-proportion test (0 without a comparison) */
    uint32_t cooccur_docs; /* unread comments with the term in pass 2 */
};

struct suggest_candidate {
    size_t *terms; /* indices into the selected terms, most frequent first */
    size_t n_terms;
    uint32_t weight; /* the sum of its terms' pass-2 counts: an order before volumes */
};

struct suggest_stats {
    size_t unread, matched; /* comments counted in pass 1 */
    size_t vocabulary;      /* terms in the table now */
    uint32_t floor;         /* counts at or below it were dropped to make room (0: none) */
};

/* vocab_cap: the most terms pass 1 keeps (at least 1,024). */
struct suggest *suggest_new(size_t vocab_cap);
void suggest_free(struct suggest *s);

void suggest_count(struct suggest *s, const char *text, size_t len, bool unread);
/* Returns how many terms it kept (suggest_term 0..n-1, best first). */
size_t suggest_select(struct suggest *s, size_t max_terms, uint32_t min_support);
void suggest_cooccur(struct suggest *s, const char *text, size_t len);
/* Returns how many candidates (suggest_candidate 0..n-1, heaviest first). */
size_t suggest_group(struct suggest *s);

const struct suggest_term *suggest_term(const struct suggest *s, size_t i);
const struct suggest_candidate *suggest_candidate(const struct suggest *s, size_t i);
void suggest_get_stats(const struct suggest *s, struct suggest_stats *out);

/* The terms of one text in reading order, repeats included (for tests):
 * fn gets each term's bytes, whether it is Chinese, its length in
 * characters (Chinese) or words (English), and whether it may be selected.
 * Pass 1 also counts, to tell which n-grams are pieces of longer ones, the
 * Chinese n-grams of 5 and those with a particle or negation at an end;
 * those are never selected (term false). */
typedef void suggest_term_fn(void *ctx, const char *term, size_t n, bool zh, unsigned units,
                             bool term_ok);
void suggest_each_term(const char *text, size_t len, suggest_term_fn *fn, void *ctx);

#endif
