/* Candidate topics from unread comments (classify/suggest.h), without a
 * database: the terms of hand-made texts in both languages, the contrast
 * figures of a hand-counted corpus, fragments, bounded counting, and the
 * grouping of two themes in two languages into four candidates.
 *
 *   test_suggest */
#include "classify/suggest.h"
#include "jobs/base/strbuf.h"
#include "unit_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "term|..." in emission order; a term that may not be selected is
 * written "(term)". */
static void collect(void *ctx, const char *term, size_t n, bool zh, unsigned units, bool term_ok)
{
    (void)zh;
    (void)units;
    struct strbuf *sb = ctx;
    strbuf_addf(sb, "%s%s%.*s%s", sb->len ? "|" : "", term_ok ? "" : "(", (int)n, term,
                term_ok ? "" : ")");
}

static void expect_terms(const char *text, const char *want)
{
    struct strbuf sb;
    strbuf_init(&sb);
    suggest_each_term(text, strlen(text), collect, &sb);
    check(!strcmp(sb.buf, want), "terms of \"%s\":\n  got  %s\n  want %s", text, sb.buf, want);
    strbuf_release(&sb);
}

static void test_terms(void)
{
    /* Function words and negations are no term and break a pair; a
     * possessive 's goes; punctuation ends the clause; "again" is a word. */
    expect_terms("The Engineer's visit, was LATE again!",
                 "engineer|visit|engineer visit|late|again|late again");
    /* A hyphen joins two words of a phrase; numbers and "never" are no term. */
    expect_terms("never 2 broadband-speed tests",
                 "broadband|speed|broadband speed|tests|speed tests");
    /* Short words stand in a pair only; full-width letters fold to ASCII. */
    expect_terms("ＷＩＦＩ tv box", "wifi|wifi tv|box|tv box");
    /* A word past 20 bytes is no term, and breaks the pair around it. */
    expect_terms("router abcdefghijklmnopqrstuvwxyz reset", "router|reset");
    /* Chinese: every n-gram of 2 to 5 ideographs of a run; with a particle,
     * pronoun or negation (没) at an end it is counted but no term. */
    expect_terms(
        "工程师没上门。",
        "工程|程师|工程师|(师没)|(程师没)|(工程师没)|(没上)|师没上|程师没上|工程师没上|上门|"
        "(没上门)|师没上门|程师没上门");
    /* English inside Chinese: its own term, no pair across the ideographs. */
    expect_terms("wifi信号差 router", "wifi|信号|号差|信号差|router");
    /* Invalid UTF-8 breaks a run and is no term. */
    expect_terms("宽带\xff网速", "宽带|网速");
}

/* A corpus counted by hand.  Unread: 10 "engineer came late", 10 "broadband
 * dropped".  Matched: 38 "parcel late", 2 "engineer parcel". */
static struct suggest *hand_corpus(void)
{
    struct suggest *s = suggest_new(1024);
    for (int i = 0; i < 10; i++) {
        suggest_count(s, "engineer came late", 18, true);
        suggest_count(s, "broadband dropped", 17, true);
    }
    for (int i = 0; i < 38; i++)
        suggest_count(s, "parcel late", 11, false);
    for (int i = 0; i < 2; i++)
        suggest_count(s, "engineer parcel", 15, false);
    return s;
}

static const struct suggest_term *find_term(const struct suggest *s, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(suggest_term(s, i)->text, text))
            return suggest_term(s, i);
    return NULL;
}

static void test_contrast(void)
{
    struct suggest *s = hand_corpus();
    size_t n = suggest_select(s, 100, 5);
    /* engineer: 10 of 20 unread, 2 of 40 matched; pooled 12/60 = 0.2;
     * se = sqrt(0.2 x 0.8 x (1/20 + 1/40)) = sqrt(0.012) = 0.109545;
     * z = (0.5 - 0.05) / 0.109545 = 4.1079.  late: 10/20 against 38/40,
     * under-represented: not kept.  came, engineer came, came late,
     * broadband, dropped, broadband dropped: 10/20 against 0/40. */
    const struct suggest_term *e = find_term(s, n, "engineer");
    check(e && e->unread == 10 && e->matched == 2 && fabs(e->z - 4.1079) < 1e-4,
          "engineer: unread %u, matched %u, z %.4f", e ? e->unread : 0, e ? e->matched : 0,
          e ? e->z : 0);
    check(!find_term(s, n, "late") && !find_term(s, n, "parcel"), "matched words are not kept");
    check(n == 7, "7 terms kept, got %zu", n);
    /* Ranked by unread x log(rate ratio): the terms never matched (ratio
     * 0.5 / (0.5 / 41) = 41) before engineer (0.5 / (2.5 / 41) = 8.2). */
    check(n == 7 && !strcmp(suggest_term(s, 6)->text, "engineer"), "engineer ranks last: %s",
          n ? suggest_term(s, n - 1)->text : "");
    /* Too rare: with min_support 11 nothing is kept. */
    suggest_free(s);
    s = hand_corpus();
    check(suggest_select(s, 100, 11) == 0, "min_support");
    suggest_free(s);
}

static void test_fragments(void)
{
    /* 程师 and 工程 only ever occur inside 工程师: its pieces.  上门 occurs
     * with different characters before it: a word. */
    struct suggest *s = suggest_new(1024);
    static const char *const texts[] = {"工程师迟到", "工程师上门晚", "请工程师上门", "预约上门",
                                        "到家上门"};
    for (int r = 0; r < 6; r++)
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
            suggest_count(s, texts[i], strlen(texts[i]), true);
    size_t n = suggest_select(s, 100, 5);
    check(find_term(s, n, "工程师") && find_term(s, n, "上门"), "words kept");
    check(!find_term(s, n, "程师") && !find_term(s, n, "工程"), "pieces of 工程师 dropped");
    check(!find_term(s, n, "师上") && !find_term(s, n, "工程师上门"), "师上 and 5-grams dropped");
    suggest_free(s);
}

static void test_bounded(void)
{
    /* 5,000 comments, each with three words of its own and "engineer":
     * the table of 1,024 terms fills and prunes, the frequent term stays
     * with its exact count. */
    struct suggest *s = suggest_new(1024);
    for (int i = 0; i < 5000; i++) {
        char text[128];
        snprintf(text, sizeof(text), "engineer w%da w%db w%dc", i, i, i);
        suggest_count(s, text, strlen(text), true);
    }
    struct suggest_stats st;
    suggest_get_stats(s, &st);
    check(st.floor >= 1 && st.vocabulary <= 1024 && st.unread == 5000,
          "bounded: floor %u, vocabulary %zu", st.floor, st.vocabulary);
    size_t n = suggest_select(s, 1, 5);
    check(n == 1 && !strcmp(suggest_term(s, 0)->text, "engineer") &&
              suggest_term(s, 0)->unread == 5000,
          "the frequent term survives with its count");
    suggest_free(s);
}

/* The candidate holding term text, or -1. */
static int candidate_of(const struct suggest *s, size_t n_cands, const char *text)
{
    for (size_t c = 0; c < n_cands; c++) {
        const struct suggest_candidate *k = suggest_candidate(s, c);
        for (size_t i = 0; i < k->n_terms; i++)
            if (!strcmp(suggest_term(s, k->terms[i])->text, text))
                return (int)c;
    }
    return -1;
}

static void test_grouping(void)
{
    /* Two themes per language, each told with words that vary between
     * comments, in phrases of their own ("speed slow", "connection drops")
     * that must still join their theme; "twice" belongs to both English
     * themes and must not join them. */
    static const char *const unread[] = {
        "engineer missed the appointment",
        "technician missed the appointment",
        "engineer visit cancelled",
        "technician visit moved",
        "engineer appointment twice",
        "broadband speed slow",
        "broadband connection drops",
        "connection speed slow",
        "broadband drops twice",
        "router connection drops",
        "工程师没上门",
        "师傅上门迟到",
        "工程师预约取消",
        "师傅预约改期",
        "宽带网速慢",
        "宽带经常断网",
        "网速断网",
        "路由器断网",
    };
    struct suggest *s = suggest_new(4096);
    for (int r = 0; r < 4; r++)
        for (size_t i = 0; i < sizeof(unread) / sizeof(unread[0]); i++)
            suggest_count(s, unread[i], strlen(unread[i]), true);
    for (int r = 0; r < 40; r++)
        suggest_count(s, "parcel late again", 17, false);
    size_t n = suggest_select(s, 100, 5);
    for (int r = 0; r < 4; r++)
        for (size_t i = 0; i < sizeof(unread) / sizeof(unread[0]); i++)
            suggest_cooccur(s, unread[i], strlen(unread[i]));
    size_t nc = suggest_group(s);
    int en1 = candidate_of(s, nc, "engineer"), en2 = candidate_of(s, nc, "broadband");
    int zh1 = candidate_of(s, nc, "工程师"), zh2 = candidate_of(s, nc, "宽带");
    check(n > 0 && en1 >= 0 && en2 >= 0 && zh1 >= 0 && zh2 >= 0, "every theme found");
    check(en1 != en2 && en1 != zh1 && en1 != zh2 && en2 != zh1 && en2 != zh2 && zh1 != zh2,
          "four themes, four candidates: %d %d %d %d", en1, en2, zh1, zh2);
    check(candidate_of(s, nc, "technician") == en1 && candidate_of(s, nc, "appointment") == en1,
          "technician and appointment with engineer");
    check(candidate_of(s, nc, "connection") == en2 && candidate_of(s, nc, "speed") == en2,
          "connection and speed with broadband");
    check(candidate_of(s, nc, "师傅") == zh1 && candidate_of(s, nc, "网速") == zh2 &&
              candidate_of(s, nc, "断网") == zh2,
          "师傅 with 工程师, 网速 and 断网 with 宽带");
    suggest_free(s);
}

int main(void)
{
    test_terms();
    test_contrast();
    test_fragments();
    test_bounded();
    test_grouping();
    return unit_check_done("test_suggest");
}
