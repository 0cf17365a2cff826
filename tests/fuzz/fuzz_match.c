/* Fuzz target: the input bytes as a customer text, matched against the
 * shipped taxonomy (config/taxonomy.ini, or $VR_TAXONOMY).  The answer is
 * compared with a slow reference that searches every keyword separately
 * (the rules of classify/taxonomy.h: case folding, white space runs as one
 * space, English keywords at word boundaries only, a keyword counted once,
 * score = keyword bytes times its weight ("late^3", default 1; a keyword
 * written twice in a topic keeps the higher weight), ties by taxonomy
 * order). */
#include "classify/taxonomy.h"
#include "jobs/base/ini_file.h"
#include "jobs/base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VR_TAXONOMY_PATH
#define VR_TAXONOMY_PATH "config/taxonomy.ini"
#endif

struct ref_keyword {
    char *bytes;
    size_t len;
    size_t topic;
    size_t weight;
    bool anywhere;
};

struct bucket {
    size_t *ids;
    size_t n;
};

static struct taxonomy *tax;
static struct bucket by_first[256];
static struct ref_keyword *ref;
static size_t n_ref;
static size_t ref_topic = SIZE_MAX;
static char last_section[256];

static bool ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Case folded, white space runs as one space; returns the new length. */
static size_t normalise(const char *s, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ws(c)) {
            if (i && ws((unsigned char)s[i - 1]))
                continue;
            c = ' ';
        } else if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c + 32);
        }
        out[len++] = (char)c;
    }
    return len;
}

static void add_ref(const char *item, size_t n, bool anywhere)
{
    /* "keyword ^ 3": the digit after the last '^' (the file loaded, so it
     * is well formed), the keyword trimmed before it. */
    size_t weight = 1;
    const char *caret = NULL;
    for (size_t i = 0; i < n; i++)
        if (item[i] == '^')
            caret = item + i;
    if (caret) {
        for (const char *w = caret + 1; w < item + n; w++)
            if (*w >= '1' && *w <= '9')
                weight = (size_t)(*w - '0');
        n = (size_t)(caret - item);
        while (n && ws((unsigned char)item[n - 1]))
            n--;
    }
    char *norm = xmalloc(n + 1);
    size_t len = normalise(item, n, norm);
    for (size_t i = 0; i < n_ref; i++) {
        if (ref[i].topic == ref_topic && ref[i].len == len && !memcmp(ref[i].bytes, norm, len)) {
            ref[i].anywhere |= anywhere;
            if (weight > ref[i].weight)
                ref[i].weight = weight;
            free(norm);
            return;
        }
    }
    ref = xrealloc(ref, (n_ref + 1) * sizeof(*ref));
    ref[n_ref++] = (struct ref_keyword){norm, len, ref_topic, weight, anywhere};
}

/* The shipped file's keyword lists, split again independently. */
static enum vr_status on_pair(void *user, const char *section, const char *key, const char *value,
                              int line, struct vr_error *err)
{
    (void)user, (void)line, (void)err;
    if (strcmp(section, last_section) != 0) {
        snprintf(last_section, sizeof(last_section), "%s", section);
        ref_topic++;
    }
    bool en = !strcmp(key, "keywords_en"), zh = !strcmp(key, "keywords_zh");
    if (!en && !zh)
        return VR_OK;
    struct strbuf sb;
    strbuf_init(&sb);
    /* The full-width separators become commas first. */
    for (const char *p = value; *p;) {
        if (!strncmp(p, "\xEF\xBC\x8C", 3) || !strncmp(p, "\xE3\x80\x81", 3)) {
            strbuf_add(&sb, ",", 1);
            p += 3;
        } else {
            strbuf_add(&sb, p++, 1);
        }
    }
    char *s = sb.buf;
    for (;;) {
        char *comma = strchr(s, ',');
        char *e = comma ? comma : s + strlen(s);
        char *b = s;
        while (b < e && (ws((unsigned char)*b) || !strncmp(b, "\xE3\x80\x80", 3)))
            b += ws((unsigned char)*b) ? 1 : 3;
        while (e > b &&
               (ws((unsigned char)e[-1]) || (e - b >= 3 && !strncmp(e - 3, "\xE3\x80\x80", 3))))
            e -= ws((unsigned char)e[-1]) ? 1 : 3;
        add_ref(b, (size_t)(e - b), zh);
        if (!comma)
            break;
        s = comma + 1;
    }
    strbuf_release(&sb);
    return VR_OK;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *path = getenv("VR_TAXONOMY");
    if (!path)
        path = VR_TAXONOMY_PATH;
    struct vr_error err = {0};
    if (taxonomy_load(&tax, path, &err) != VR_OK ||
        ini_file_parse(path, on_pair, NULL, &err) != VR_OK) {
        fprintf(stderr, "fuzz_match: %s\n", err.msg);
        exit(1);
    }
    if (ref_topic + 1 != tax->n_topics) {
        fprintf(stderr, "fuzz_match: reference read %zu topics, loader %zu\n", ref_topic + 1,
                tax->n_topics);
        exit(1);
    }
    for (size_t k = 0; k < n_ref; k++) {
        struct bucket *bk = &by_first[(unsigned char)ref[k].bytes[0]];
        bk->ids = xrealloc(bk->ids, (bk->n + 1) * sizeof(*bk->ids));
        bk->ids[bk->n++] = k;
    }
    return 0;
}

struct scored {
    size_t score, topic;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->topic < y->topic ? -1 : x->topic > y->topic;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t n_topics = tax->n_topics;
    size_t *got = xmalloc(n_topics * sizeof(*got));
    size_t n_got = taxonomy_match(tax, text, size, got, n_topics);

    char *norm = xmalloc(size + 1);
    size_t len = normalise(text, size, norm);
    struct scored *want = xcalloc(n_topics, sizeof(*want));
    for (size_t t = 0; t < n_topics; t++)
        want[t].topic = t;
    /* Every keyword at every position: slow and obviously right (the
     * keywords are bucketed by first byte only to keep the fuzzer fast). */
    bool *found = xcalloc(n_ref ? n_ref : 1, sizeof(*found));
    for (size_t a = 0; a < len; a++) {
        const struct bucket *bk = &by_first[(unsigned char)norm[a]];
        for (size_t i = 0; i < bk->n; i++) {
            size_t k = bk->ids[i];
            const struct ref_keyword *kw = &ref[k];
            if (found[k] || a + kw->len > len || memcmp(norm + a, kw->bytes, kw->len) != 0)
                continue;
            bool start_ok = a == 0 || !alnum((unsigned char)norm[a - 1]);
            bool end_ok = a + kw->len == len || !alnum((unsigned char)norm[a + kw->len]);
            if (kw->anywhere || (start_ok && end_ok)) {
                found[k] = true;
                want[kw->topic].score += kw->len * kw->weight;
            }
        }
    }
    free(found);
    qsort(want, n_topics, sizeof(*want), cmp_scored);
    size_t n_want = 0;
    while (n_want < n_topics && want[n_want].score > 0)
        n_want++;

    bool same = n_got == n_want;
    for (size_t i = 0; same && i < n_got; i++)
        same = got[i] == want[i].topic;
    if (!same) {
        fprintf(stderr, "fuzz_match: matcher and reference disagree\n  matcher:");
        for (size_t i = 0; i < n_got; i++)
            fprintf(stderr, " %s", tax->topics[got[i]].code);
        fprintf(stderr, "\n  reference:");
        for (size_t i = 0; i < n_want; i++)
            fprintf(stderr, " %s(%zu)", tax->topics[want[i].topic].code, want[i].score);
        fprintf(stderr, "\n");
        abort();
    }
    /* Asking for fewer gives the best ones. */
    size_t one;
    if (taxonomy_match(tax, text, size, &one, 1) != (n_got ? 1u : 0u) || (n_got && one != got[0]))
        abort();
    free(got);
    free(norm);
    free(want);
    return 0;
}
