/* The topic taxonomy: matching on hand-made texts (word boundaries, case,
 * Chinese inside a sentence, ranking, invalid UTF-8, empty text) and every
 * loader error with its message and line number.
 *
 *   test_taxonomy [config/taxonomy.ini]
 *
 * With an argument, the shipped taxonomy is loaded and spot-checked too. */
#include "classify/taxonomy.h"
#include "jobs/base/diag.h"
#include "jobs/base/utf8.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;
static char tmpdir[] = "/tmp/test_taxonomy.XXXXXX";

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *fmt, ...)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Writes content (len bytes) to tmpdir/name and returns the path (static). */
static const char *write_file_n(const char *name, const char *content, size_t len)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(content, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    return path;
}

static const char *write_file(const char *name, const char *content)
{
    return write_file_n(name, content, strlen(content));
}

/* The small taxonomy the matching tests use. */
static const char base_ini[] = "; hand-made taxonomy for the matching tests\n"
                               "[topic.late_delivery]\n"
                               "label_en = Late delivery\n"
                               "label_zh = 配送延迟\n"
                               "keywords_en = late, still waiting, never arrived\n"
                               "keywords_zh = 送得慢, 太慢, 还没到\n"
                               "events = late_delivery\n"
                               "aliases = Delivery-Late, 物流, Delivery-Late\n"
                               "\n"
                               "[topic.service]\n"
                               "label_en = Customer service\n"
                               "label_zh = 客服\n"
                               "keywords_en = rude, customer service\n"
                               "keywords_zh = 客服，态度差\n"
                               "dimension = no\n"
                               "\n"
                               "[topic.app]\n"
                               "label_en = App\n"
                               "label_zh = 应用\n"
                               "keywords_en = app, crash, Crashes\n"
                               "keywords_zh = 闪退、卡顿, wifi\n"
                               "dimension = YES\n"
                               "events = app_crash, app_freeze, app_crash\n";

static struct taxonomy *load_ok(const char *name, const char *content)
{
    struct vr_error err = {0};
    struct taxonomy *t = NULL;
    const char *path = write_file(name, content);
    enum vr_status st = taxonomy_load(&t, path, &err);
    check(st == VR_OK && t, "load %s: %s", name, err.msg);
    return t;
}

/* Matches text and compares the ranking with the expected codes
 * (space-separated, best first; "" for none). */
static void expect_match_n(const struct taxonomy *t, const char *text, size_t len, const char *want)
{
    size_t out[16];
    size_t n = taxonomy_match(t, text, len, out, 16);
    char got[256] = "";
    size_t off = 0;
    for (size_t i = 0; i < n && off < sizeof(got); i++)
        off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s", i ? " " : "",
                                t->topics[out[i]].code);
    check(strcmp(got, want) == 0, "match \"%.*s\": got \"%s\", want \"%s\"", (int)len, text, got,
          want);
}

static void expect_match(const struct taxonomy *t, const char *text, const char *want)
{
    expect_match_n(t, text, strlen(text), want);
}

static void test_matching(void)
{
    struct taxonomy *t = load_ok("base.ini", base_ini);
    if (!t)
        return;

    /* English keywords match whole words only. */
    expect_match(t, "chocolate", "");
    expect_match(t, "the parcel was late", "late_delivery");
    expect_match(t, "late", "late_delivery");
    expect_match(t, "late!", "late_delivery");
    expect_match(t, "(late)", "late_delivery");
    expect_match(t, "lateness", "");
    expect_match(t, "late2", "");
    expect_match(t, "2late", "");
    expect_match(t, "too-late", "late_delivery");
    expect_match(t, "happy", ""); /* "app" inside a word */
    expect_match(t, "my app.", "app");
    expect_match(t, "快递late了",
                 "late_delivery"); /* Chinese letters are not ASCII word characters */

    /* Case folding, on keywords and text alike. */
    expect_match(t, "LATE", "late_delivery");
    expect_match(t, "It CRASHES every day", "app");
    expect_match(t, "Customer SERVICE", "service");

    /* White space runs count as one space. */
    expect_match(t, "Still \n\t waiting", "late_delivery");
    expect_match(t, "stillwaiting", "");

    /* Chinese anywhere inside a sentence; full-width separators in the file. */
    expect_match(t, "这次快递送得慢，等了一周", "late_delivery");
    expect_match(t, "打开就闪退", "app");
    expect_match(t, "一直卡顿", "app");
    expect_match(t, "mywifi", "app"); /* an ASCII keyword in keywords_zh: anywhere */

    /* Several topics, best first: bytes of distinct keywords. */
    /* service: 客服 6 + 态度差 9 = 15; late: 送得慢 9 */
    expect_match(t, "快递送得慢，客服态度差", "service late_delivery");
    /* service: "customer service" 16 + "rude" 4 = 20; late 4 */
    expect_match(t, "The parcel was late and customer service was rude", "service late_delivery");
    /* A keyword counts once: late 4 (×3); app: app 3 + crash 5 = 8. */
    expect_match(t, "late late late, app crash", "app late_delivery");
    /* Ties go by taxonomy order: late 4 = rude 4. */
    expect_match(t, "rude and late", "late_delivery service");
    /* Overlapping keywords are all found. */
    expect_match(t, "never arrived late", "late_delivery");

    /* max limits the answer to the best ones. */
    size_t one[1];
    check(taxonomy_match(t, "rude and late and app crash", 27, one, 1) == 1 &&
              !strcmp(t->topics[one[0]].code, "app"),
          "max 1 keeps the best");
    check(taxonomy_match(t, "late", 4, one, 0) == 0, "max 0");

    /* Empty and odd input. */
    expect_match(t, "", "");
    check(taxonomy_match(t, NULL, 0, one, 1) == 0, "NULL text");
    check(taxonomy_match(NULL, "late", 4, one, 1) == 0, "NULL taxonomy");
    expect_match_n(t, "late\0rude", 9, "late_delivery service");
    expect_match_n(t, "\0\0\0", 3, "");

    /* Invalid UTF-8 never crashes: it matches less. */
    expect_match(t, "\xff\xfe送得慢\xe5", "late_delivery");
    expect_match(t, "送得\xe6", "");             /* a keyword cut in the middle of a character */
    expect_match(t, "\xe9\x80\x81\xe5\xbe", ""); /* truncated sequence at the end */
    expect_match(t, "\xc0\xafrude\xed\xa0\x80", "service");
    char junk[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof(junk); i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (char)(x >> 16);
    }
    size_t out[8];
    size_t n = taxonomy_match(t, junk, sizeof(junk), out, 8);
    check(n <= 3, "random bytes: %zu topics", n);

    /* Loaded fields. */
    check(t->n_topics == 3, "3 topics, got %zu", t->n_topics);
    if (t->n_topics == 3) {
        const struct topic *a = &t->topics[0], *s = &t->topics[1], *p = &t->topics[2];
        check(!strcmp(a->label_en, "Late delivery") && !strcmp(a->label_zh, "配送延迟"), "labels");
        check(!a->dimension && !s->dimension && p->dimension, "dimension flags");
        check(a->n_events == 1 && !strcmp(a->events[0], "late_delivery"), "events");
        check(p->n_events == 2 && !strcmp(p->events[1], "app_freeze"), "events deduplicated");
        check(a->n_aliases == 2 && !strcmp(a->aliases[0], "Delivery-Late") &&
                  !strcmp(a->aliases[1], "物流"),
              "aliases as written, deduplicated");
        check(s->n_aliases == 0 && p->n_aliases == 0, "no aliases");
        check(a->n_keywords == 6 && !strcmp(a->keywords[1], "still waiting") &&
                  !strcmp(a->keywords[3], "送得慢"),
              "keywords as written, English then Chinese in file order");
        check(p->n_keywords == 6 && !strcmp(p->keywords[2], "Crashes") &&
                  !strcmp(p->keywords[4], "卡顿"),
              "keywords keep their case; '、' separates");
        check(s->n_keywords == 4 && !strcmp(s->keywords[3], "态度差"), "'，' separates");
    }

    /* The version is the first 12 hex digits of the file's sha256. */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(base_ini, strlen(base_ini), md, &mdlen, EVP_sha256(), NULL);
    char want[13];
    for (int i = 0; i < 6; i++)
        snprintf(want + 2 * i, 3, "%02x", md[i]);
    check(!strcmp(t->version, want), "version %s, want %s", t->version, want);
    taxonomy_free(t);
}

static void test_aho_corasick(void)
{
    /* The classic he/she/hers: every keyword ending inside another is
     * found through the failure and dictionary links. */
    struct taxonomy *t = load_ok("ac.ini", "[topic.hers]\nlabel_en = a\nlabel_zh = a\n"
                                           "keywords_zh = hers\n"
                                           "[topic.she]\nlabel_en = b\nlabel_zh = b\n"
                                           "keywords_zh = she\n"
                                           "[topic.he]\nlabel_en = c\nlabel_zh = c\n"
                                           "keywords_zh = he\n"
                                           "[topic.his]\nlabel_en = d\nlabel_zh = d\n"
                                           "keywords_zh = his\n");
    if (!t)
        return;
    expect_match(t, "ushers", "hers she he");
    expect_match(t, "ahishers", "hers she his he");
    expect_match(t, "h", "");
    taxonomy_free(t);

    /* One keyword in two topics scores for both; written as English and
     * Chinese in one topic, it matches anywhere and counts once. */
    t = load_ok("shared.ini", "[topic.a]\nlabel_en = a\nlabel_zh = a\nkeywords_en = slow, slow\n"
                              "[topic.b]\nlabel_en = b\nlabel_zh = b\nkeywords_en = slow\n"
                              "keywords_zh = slow\n");
    if (!t)
        return;
    expect_match(t, "so slow", "a b");
    expect_match(t, "slowly", "b");
    check(t->topics[0].n_keywords == 2, "keywords as written keep duplicates");
    taxonomy_free(t);

    /* A code longer than inih keeps of a section name is still read whole. */
    char ini[512];
    const char *code = "a_rather_long_topic_code_that_goes_past_fifty_bytes_x";
    snprintf(ini, sizeof(ini), "[topic.%s]\nlabel_en = a\nlabel_zh = a\nkeywords_en = x\n", code);
    t = load_ok("longcode.ini", ini);
    if (t)
        check(!strcmp(t->topics[0].code, code), "long code %s", t->topics[0].code);
    taxonomy_free(t);

    /* Keyword weights: "keyword^N" scores bytes times N; the keyword as
     * stored has no weight; white space around '^' is allowed; the same
     * keyword twice in a topic keeps the higher weight. */
    t = load_ok("weights.ini", "[topic.service]\nlabel_en = a\nlabel_zh = a\n"
                               "keywords_en = rude, hold^3, on hold ^ 2\n"
                               "[topic.late]\nlabel_en = b\nlabel_zh = b\n"
                               "keywords_en = delayed^9, late, late^2, wait\n"
                               "keywords_zh = 晚点^4\n");
    if (t) {
        const struct topic *a = &t->topics[0], *b = &t->topics[1];
        check(a->n_keywords == 3 && !strcmp(a->keywords[1], "hold") &&
                  !strcmp(a->keywords[2], "on hold"),
              "weights are not part of the keywords");
        check(b->n_keywords == 5 && !strcmp(b->keywords[4], "晚点"), "zh keyword with weight");
        /* service: hold 4*3 = 12; late: delayed 7*9 = 63 */
        expect_match(t, "put on hold, delayed", "late service");
        /* service: hold 12 + "on hold" 7*2 = 26; late: late 4*2 (the higher) + wait 4 = 12 */
        expect_match(t, "late and on hold, wait", "service late");
        /* late 4*2 = 8 > rude 4 */
        expect_match(t, "rude, late", "late service");
        /* late: 晚点 6*4 = 24 > service: hold 12 */
        expect_match(t, "航班晚点 hold", "late service");
        /* ties still go by taxonomy order: hold 12 = wait 4 + late 8 */
        expect_match(t, "hold wait late", "service late");
    }
    taxonomy_free(t);

    /* Byte-order mark, CRLF lines, comments, ':' separator. */
    t = load_ok("bom.ini", "\xEF\xBB\xBF[topic.a]\r\nlabel_en = a ; comment\r\n# c\r\n"
                           "label_zh: b\r\nkeywords_en = x;y\r\n");
    if (t) {
        check(!strcmp(t->topics[0].label_en, "a") && !strcmp(t->topics[0].label_zh, "b"),
              "BOM and CRLF");
        expect_match(t, "x;y", "a");
    }
    taxonomy_free(t);
}

static void test_utf8(void)
{
    check(utf8_valid("", 0), "empty is valid");
    check(utf8_valid("abc", 3), "ASCII");
    check(utf8_valid("配送延迟", strlen("配送延迟")), "Chinese");
    check(utf8_valid("a\0b", 3), "NUL is valid");
    check(utf8_valid("\xf0\x9f\x98\x80", 4), "emoji");
    check(!utf8_valid("\xc0\xaf", 2), "overlong");
    check(!utf8_valid("\xe0\x80\xaf", 3), "overlong 3 bytes");
    check(!utf8_valid("\xed\xa0\x80", 3), "surrogate");
    check(!utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
    check(!utf8_valid("\xe4\xb8", 2), "truncated");
    check(!utf8_valid("\x80", 1), "lone continuation");
    check(!utf8_valid("\xff", 1), "0xff");
    check(utf8_valid_prefix("ab\xe4\xb8", 4) == 2, "valid prefix");
    check(utf8_length("a配b\xff", 6) == 4, "length counts bad bytes as one");
    uint32_t cp;
    check(utf8_decode("配", 3, &cp) == 3 && cp == 0x914D && utf8_is_cjk(cp), "decode");
    check(utf8_decode("\xe9\x85", 2, &cp) == 1 && cp == UTF8_INVALID, "decode truncated");
    check(!utf8_is_cjk('a') && !utf8_is_cjk(0xFF0C), "not CJK");
}

/* Every loader error: file content, and the message with "%s" for the path. */
struct bad_case {
    const char *name;
    const char *content;
    const char *message;
};

#define TOPIC_A "[topic.a]\nlabel_en = A\nlabel_zh = 甲\n"

static const struct bad_case bad_cases[] = {
    {"unknown_key", TOPIC_A "colour = red\nkeywords_en = x\n",
     "%s:4: unknown key \"colour\" in [topic.a] (expected label_en, label_zh, keywords_en, "
     "keywords_zh, dimension, events or aliases)"},
    {"not_topic", "[topics.a]\nlabel_en = A\n",
     "%s:1: section [topics.a] is not a topic (expected [topic.<code>])"},
    {"not_topic_empty", TOPIC_A "keywords_en = x\n\n[general]\n",
     "%s:6: section [general] is not a topic (expected [topic.<code>])"},
    {"bad_code", "[topic.Late-Delivery]\nlabel_en = A\n",
     "%s:1: topic code \"Late-Delivery\" must match [a-z0-9_]+"},
    {"empty_code", "[topic.]\nlabel_en = A\n", "%s:1: topic code \"\" must match [a-z0-9_]+"},
    {"long_code",
     "[topic.a123456789a123456789a123456789a123456789a123456789a123456789a123456789]\n",
     "%s:1: topic code \"a123456789a123456789a123456789a123456789a123456789a123456789a123456789\" "
     "is longer than 64 characters"},
    {"duplicate_code",
     TOPIC_A "keywords_en = x\n\n[topic.b]\nlabel_en = B\nlabel_zh = 乙\n"
             "keywords_zh = 乙\n\n[topic.a]\n",
     "%s:11: duplicate topic \"a\" (first at line 1)"},
    {"empty_keyword", TOPIC_A "keywords_en = late, , slow\n",
     "%s:4: empty keyword in keywords_en (item 2: look for \", ,\" or a trailing comma)"},
    {"trailing_comma", TOPIC_A "keywords_zh = 太慢, 迟到,\n",
     "%s:4: empty keyword in keywords_zh (item 3: look for \", ,\" or a trailing comma)"},
    {"empty_keywords", TOPIC_A "keywords_en =\n",
     "%s:4: empty keyword in keywords_en (item 1: look for \", ,\" or a trailing comma)"},
    {"fullwidth_empty", TOPIC_A "keywords_zh = 太慢，，迟到\n",
     "%s:4: empty keyword in keywords_zh (item 2: look for \", ,\" or a trailing comma)"},
    {"no_keywords", TOPIC_A "dimension = no\n[topic.b]\nlabel_en = B\n",
     "%s:1: topic \"a\" has no keywords (give keywords_en or keywords_zh)"},
    /* Ownership is the config's: whatever department a line names, it
     * says where the line's meaning went. */
    {"department", TOPIC_A "keywords_en = x\ndepartment = marketing\n",
     "%s:5: department in [topic.a] is no longer read: the config's departments own topics; "
     "add a to topics in [department.marketing] of the config and delete this line"},
    {"empty_department", TOPIC_A "keywords_en = x\ndepartment =\n",
     "%s:5: department in [topic.a] is no longer read: the config's departments own topics; "
     "add a to topics in [department.CODE] of the config and delete this line"},
    {"bad_yes_no", TOPIC_A "keywords_en = x\ndimension = maybe\n",
     "%s:5: dimension must be yes or no, not \"maybe\""},
    {"missing_label_en", "[topic.a]\nlabel_zh = 甲\nkeywords_en = x\n",
     "%s:1: topic \"a\" has no label_en"},
    {"missing_label_zh", TOPIC_A "keywords_en = x\n[topic.b]\nlabel_en = B\nkeywords_en = y\n",
     "%s:5: topic \"b\" has no label_zh"},
    {"empty_section_last", TOPIC_A "keywords_en = x\n\n[topic.b]\n",
     "%s:6: topic \"b\" has no label_en"},
    {"empty_label", "[topic.a]\nlabel_en =\n", "%s:2: label_en is empty"},
    {"bad_event", TOPIC_A "keywords_en = x\nevents = late_delivery, App Crash\n",
     "%s:5: event \"App Crash\" must match [a-z0-9_]+"},
    {"empty_event", TOPIC_A "keywords_en = x\nevents = a,,b\n",
     "%s:5: empty event in events (item 2: look for \", ,\" or a trailing comma)"},
    {"duplicate_key", TOPIC_A "keywords_en = x\nlabel_en = again\n",
     "%s:5: duplicate key \"label_en\" in [topic.a] (first at line 2)"},
    {"key_before_section", "; comment\nlabel_en = A\n" TOPIC_A,
     "%s:2: key \"label_en\" before any [topic.<code>] section"},
    {"no_topics", "; nothing but a comment\n", "%s: no topics (expected [topic.<code>] sections)"},
    {"empty_file", "", "%s: no topics (expected [topic.<code>] sections)"},
    {"syntax", TOPIC_A "keywords_en = x\njust words\n",
     "%s:5: syntax error (expected \"[section]\" or \"key = value\")"},
    {"continuation", TOPIC_A "keywords_en = x, y\n    z\n",
     "%s:5: syntax error (expected \"[section]\" or \"key = value\")"},
    {"unclosed_section", "[topic.a\nlabel_en = A\n",
     "%s:1: syntax error (expected \"[section]\" or \"key = value\")"},
    {"bad_utf8", "[topic.a]\nlabel_en = A\nlabel_zh = \xe7\x94\n",
     "%s:3: invalid UTF-8 (byte 0xE7) at column 12: save the file as UTF-8"},
    {"weight_zero", TOPIC_A "keywords_en = late^2, delayed^0\n",
     "%s:4: weight of \"delayed^0\" in keywords_en must be a whole number from 1 to 9 (as in "
     "\"late^3\")"},
    {"weight_ten",
     TOPIC_A "keywords_en = x\n\n[topic.b]\nlabel_en = B\nlabel_zh = 乙\n"
             "keywords_zh = 晚点^10\n",
     "%s:9: weight of \"晚点^10\" in keywords_zh must be a whole number from 1 to 9 (as in "
     "\"late^3\")"},
    {"weight_missing", TOPIC_A "keywords_en = late^\n",
     "%s:4: weight of \"late^\" in keywords_en must be a whole number from 1 to 9 (as in "
     "\"late^3\")"},
    {"weight_word", TOPIC_A "keywords_en = late^high\n",
     "%s:4: weight of \"late^high\" in keywords_en must be a whole number from 1 to 9 (as in "
     "\"late^3\")"},
    {"weight_no_keyword", TOPIC_A "keywords_en = late, ^3\n",
     "%s:4: weight \"^3\" without a keyword in keywords_en"},
    /* An upstream code stands for one topic; a topic's own code is no alias. */
    {"alias_twice",
     TOPIC_A "keywords_en = x\naliases = Late-Delivery, late\n\n[topic.b]\nlabel_en = B\n"
             "label_zh = 乙\nkeywords_en = y\naliases = courier, Late-Delivery\n",
     "%s:11: alias \"Late-Delivery\" of topic \"b\" is already an alias of topic \"a\" (line 5): "
     "an upstream code stands for one topic only"},
    {"alias_is_code",
     TOPIC_A "keywords_en = x\naliases = b\n\n[topic.b]\nlabel_en = B\nlabel_zh = 乙\n"
             "keywords_en = y\n",
     "%s:5: alias \"b\" of topic \"a\" is the code of topic \"b\": rows with that code are "
     "already counted under it; remove the alias"},
    {"alias_own_code", TOPIC_A "keywords_en = x\naliases = a\n",
     "%s:5: alias \"a\" of topic \"a\" is the code of topic \"a\": rows with that code are "
     "already counted under it; remove the alias"},
    {"empty_alias", TOPIC_A "keywords_en = x\naliases = late,\n",
     "%s:5: empty alias in aliases (item 2: look for \", ,\" or a trailing comma)"},
    {"long_keyword",
     TOPIC_A
     "keywords_en = "
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
     "%s:4: keyword \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" in keywords_en is longer than 255 "
     "bytes"},
};

static void expect_load_error(const char *name, const char *path, const char *fmt)
{
    struct vr_error err = {0};
    struct taxonomy *t = (struct taxonomy *)1;
    enum vr_status st = taxonomy_load(&t, path, &err);
    /* The message with its "%s" replaced by the path. */
    char want[1024];
    const char *at = strstr(fmt, "%s");
    snprintf(want, sizeof(want), "%.*s%s%s", (int)(at - fmt), fmt, path, at + 2);
    check(st == VR_ERR_CONFIG && err.status == VR_ERR_CONFIG && t == NULL && !strcmp(err.msg, want),
          "%s:\n  got  \"%s\"\n  want \"%s\"", name, err.msg, want);
    if (st == VR_OK)
        taxonomy_free(t);
}

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        char name[128];
        snprintf(name, sizeof(name), "%s.ini", bad_cases[i].name);
        const char *path = write_file(name, bad_cases[i].content);
        expect_load_error(bad_cases[i].name, path, bad_cases[i].message);
    }

    static const char nul[] = TOPIC_A "keywords_en = x\0y\n";
    expect_load_error("nul_byte", write_file_n("nul.ini", nul, sizeof(nul) - 1),
                      "%s:4: NUL byte in the file");

    /* Longer lines than the INI reader takes are refused, not cut. */
    char *big = malloc(6000);
    int n = snprintf(big, 6000, TOPIC_A "keywords_en = ");
    memset(big + n, 'y', 5000);
    memcpy(big + n + 5000, "\n", 2);
    expect_load_error("long_line", write_file("long_line.ini", big),
                      "%s:4: line longer than 4094 characters");
    free(big);

    char missing[600];
    snprintf(missing, sizeof(missing), "%s/does_not_exist.ini", tmpdir);
    expect_load_error("missing_file", missing, "could not open \"%s\": No such file or directory");
}

/* check-config's pass: every error of the file, in file order, each with
 * its line; a refused section's keys are not reported again, and a topic
 * after the errors is still checked. */
static void test_all_errors(void)
{
    const char *path = write_file("many.ini", TOPIC_A "colour = red\n"               /* 4 */
                                                      "keywords_en = x\n"            /* 5 */
                                                      "dimension = maybe\n"          /* 6 */
                                                      "department = logistics\n"     /* 7 */
                                                      "[Topic.B]\n"                  /* 8 */
                                                      "label_en = B\n"               /* 9 */
                                                      "keywords_en = late, , slow\n" /* 10 */
                                                      "just words\n"                 /* 11 */
                                                      "[topic.c]\n"                  /* 12 */
                                                      "label_en = C\n"               /* 13 */
                                                      "keywords_zh = 丙^0\n");       /* 14 */
    static const char *const want[] = {
        "%s:4: unknown key \"colour\" in [topic.a] (expected label_en, label_zh, keywords_en, "
        "keywords_zh, dimension, events or aliases)",
        "%s:6: dimension must be yes or no, not \"maybe\"",
        "%s:7: department in [topic.a] is no longer read: the config's departments own topics; "
        "add a to topics in [department.logistics] of the config and delete this line",
        "%s:8: section [Topic.B] is not a topic (expected [topic.<code>])",
        "%s:11: syntax error (expected \"[section]\" or \"key = value\")",
        "%s:14: weight of \"丙^0\" in keywords_zh must be a whole number from 1 to 9 (as in "
        "\"late^3\")",
        "%s:12: topic \"c\" has no label_zh",
    };
    const size_t n_want = sizeof(want) / sizeof(want[0]);
    struct diag d;
    diag_init(&d);
    struct taxonomy *t = (struct taxonomy *)1;
    enum vr_status st = taxonomy_load_all(&t, path, &d);
    check(st == VR_ERR_CONFIG && t == NULL, "every error: status %d", (int)st);
    check(d.n == n_want, "every error: %zu errors, want %zu", d.n, n_want);
    for (size_t i = 0; i < d.n && i < n_want; i++) {
        char w[1024];
        const char *at = strstr(want[i], "%s");
        snprintf(w, sizeof(w), "%.*s%s%s", (int)(at - want[i]), want[i], path, at + 2);
        check(!strcmp(d.entries[i].msg, w), "error %zu:\n  got  \"%s\"\n  want \"%s\"", i + 1,
              d.entries[i].msg, w);
    }
    diag_release(&d);

    /* The first-error load reports the first of them. */
    struct vr_error err = {0};
    check(taxonomy_load(&t, path, &err) == VR_ERR_CONFIG && strstr(err.msg, ":4: unknown key"),
          "first error: %s", err.msg);
}

static void test_shipped(const char *path)
{
    struct vr_error err = {0};
    struct taxonomy *t = NULL;
    check(taxonomy_load(&t, path, &err) == VR_OK, "%s: %s", path, err.msg);
    if (!t)
        return;
    check(t->n_topics >= 12 && t->n_topics <= 15, "shipped topics: %zu", t->n_topics);
    size_t dims = 0, events = 0;
    for (size_t i = 0; i < t->n_topics; i++) {
        dims += t->topics[i].dimension;
        events += t->topics[i].n_events;
    }
    check(dims >= 3, "value dimensions: %zu", dims);
    check(events >= 3, "events mapped: %zu", events);
    expect_match(t, "快递太慢了，等了好几天还没到", "late_delivery");
    expect_match(t, "Ordered two weeks ago and it still hasn't arrived", "late_delivery");
    expect_match(t, "客服态度差，爱理不理", "service_attitude");
    expect_match(t, "App keeps crashing at checkout", "app_bugs payment");
    expect_match(t, "打开就闪退，卡顿严重", "app_bugs");
    expect_match(t, "性价比很高，物超所值", "value_for_money");
    expect_match(t, "I love this chocolate", "");
    taxonomy_free(t);
}

int main(int argc, char **argv)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_utf8();
    test_matching();
    test_aho_corasick();
    test_errors();
    test_all_errors();
    if (argc > 1)
        test_shipped(argv[1]);

    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
