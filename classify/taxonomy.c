/* Topic taxonomy: loading (one [topic.<code>] section per topic, every
 * error with file:line) and matching (one Aho-Corasick automaton over the
 * UTF-8 bytes of every keyword of every topic, one pass over the text).
 *
 * Text normalisation, the same for keywords and texts: ASCII letters are
 * folded to lower case and every run of ASCII white space counts as one
 * space, so "Still  waiting" and "still\nwaiting" both match the keyword
 * "still waiting".  Nothing else changes: the automaton works on bytes, and
 * a valid UTF-8 keyword can only match a valid UTF-8 text on character
 * boundaries (UTF-8 is self-synchronising).  Invalid bytes simply match
 * nothing.
 *
 * Scoring: a keyword found scores its normalised byte length times its
 * weight, once however often it occurs; a topic's score is the sum over its
 * keywords.  The weight is written after the keyword, "late^3" (1 to 9,
 * default 1), and is not part of the keyword: struct topic's keywords hold
 * "late". */
#include "taxonomy.h"

#include "jobs/base/diag.h"
#include "jobs/base/ini_file.h"
#include "jobs/base/strbuf.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits, so that matching needs no allocation: its scratch space lives on
 * the stack (about 45 KB at these limits). */
#define MAX_TOPICS 1024
#define MAX_PATTERNS 16384    /* distinct keywords over all topics */
#define MAX_KEYWORD_BYTES 255 /* after normalisation; also the ring below */
#define MAX_CODE 64
#define MAX_FILE_BYTES (16u << 20)
/* inih keeps at most this many bytes of a section name. */
#define INIH_SECTION_BYTES 49

#define NONE UINT32_MAX

/* ---------------------------------------------------------------------- */
/* Byte classes */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* The one normalisation of keywords and texts alike, so that they meet:
 * ASCII letters folded, each run of white space one ' '.  False for a
 * space the previous byte already stands for (skip it). */
static inline bool normalise(unsigned char *c, bool *prev_space)
{
    if (is_space(*c)) {
        if (*prev_space)
            return false;
        *prev_space = true;
        *c = ' ';
    } else {
        *prev_space = false;
        *c = fold(*c);
    }
    return true;
}

static bool valid_code(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* ---------------------------------------------------------------------- */
/* Matcher: Aho-Corasick with full 256-entry rows for the root and the
 * states one byte deep and sorted transition lists deeper down; failure
 * links and dictionary-suffix links, so one pass finds every occurrence of
 * every keyword.  The shipped 15 topics (596 keywords) make 3,966 states
 * and 29 full rows: about 150 KB in all. */

struct pattern {
    uint32_t topic;
    uint32_t next; /* next pattern ending at the same state, or NONE */
    uint8_t len;    /* bytes, normalised */
    uint8_t weight; /* 1..9 ("keyword^3"); a match scores len * weight */
    bool anywhere;  /* a Chinese keyword: no word boundary needed */
};

struct state {
    uint32_t dense;    /* row in dense (root and depth 1), or NONE */
    uint32_t edge_off; /* into edge_byte / edge_to */
    uint32_t fail;
    uint32_t dict; /* nearest state on the failure chain with patterns, or 0 */
    uint32_t out;  /* first pattern ending here, or NONE */
    uint16_t n_edges;
    uint8_t depth; /* bytes from the root (keywords are at most 255) */
};

struct matcher {
    uint32_t root_next[256]; /* 0 = stay at the root */
    /* Full rows (every byte resolved through the failure links) for the
     * root and the states one byte deep, where a scan spends most of its
     * time: at most 257 rows of 1 KB. */
    uint32_t *dense;
    struct state *states;
    size_t n_states;
    unsigned char *edge_byte;
    uint32_t *edge_to;
    struct pattern *patterns;
    size_t n_patterns;
    size_t n_topics;
};

static uint32_t goto_state(const struct matcher *m, uint32_t s, unsigned char c)
{
    if (s == 0)
        return m->root_next[c];
    const struct state *st = &m->states[s];
    const unsigned char *b = m->edge_byte + st->edge_off;
    size_t n = st->n_edges;
    if (n <= 8) {
        for (size_t i = 0; i < n; i++)
            if (b[i] == c)
                return m->edge_to[st->edge_off + i];
        return NONE;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < n && b[lo] == c) ? m->edge_to[st->edge_off + lo] : NONE;
}

/* A keyword waiting to go into the automaton (already normalised). */
struct pending {
    char *bytes;
    size_t len;
    uint32_t topic;
    uint8_t weight;
    bool anywhere;
};

/* Trie under construction: first-child / next-sibling lists. */
struct build_node {
    uint32_t child, sibling;
    uint32_t out;
    unsigned char byte;
    uint8_t depth;
};

static int cmp_byte_edge(const void *a, const void *b)
{
    const struct build_node *const *x = a, *const *y = b;
    return (int)(*x)->byte - (int)(*y)->byte;
}

static void matcher_free(struct matcher *m)
{
    if (!m)
        return;
    free(m->states);
    free(m->dense);
    free(m->edge_byte);
    free(m->edge_to);
    free(m->patterns);
    free(m);
}

static struct matcher *matcher_build(const struct pending *kw, size_t n_kw, size_t n_topics)
{
    struct matcher *m = xcalloc(1, sizeof(*m));
    m->n_topics = n_topics;
    m->patterns = xcalloc(n_kw ? n_kw : 1, sizeof(*m->patterns));

    size_t cap = 64, n = 1;
    struct build_node *nodes = xcalloc(cap, sizeof(*nodes));
    nodes[0] = (struct build_node){.child = NONE, .sibling = NONE, .out = NONE};

    for (size_t k = 0; k < n_kw; k++) {
        uint32_t s = 0;
        for (size_t i = 0; i < kw[k].len; i++) {
            unsigned char c = (unsigned char)kw[k].bytes[i];
            uint32_t ch = nodes[s].child;
            while (ch != NONE && nodes[ch].byte != c)
                ch = nodes[ch].sibling;
            if (ch == NONE) {
                if (n == cap) {
                    cap *= 2;
                    nodes = xrealloc(nodes, cap * sizeof(*nodes));
                }
                ch = (uint32_t)n++;
                nodes[ch] = (struct build_node){.child = NONE,
                                                .sibling = nodes[s].child,
                                                .out = NONE,
                                                .byte = c,
                                                .depth = (uint8_t)(i + 1)};
                nodes[s].child = ch;
            }
            s = ch;
        }
        /* Keep patterns in keyword (so taxonomy) order along the list. */
        uint32_t p = (uint32_t)m->n_patterns++;
        m->patterns[p] = (struct pattern){.topic = kw[k].topic,
                                          .next = NONE,
                                          .len = (uint8_t)kw[k].len,
                                          .weight = kw[k].weight,
                                          .anywhere = kw[k].anywhere};
        if (nodes[s].out == NONE) {
            nodes[s].out = p;
        } else {
            uint32_t q = nodes[s].out;
            while (m->patterns[q].next != NONE)
                q = m->patterns[q].next;
            m->patterns[q].next = p;
        }
    }

    /* Compact: sorted edge arrays per state. */
    m->n_states = n;
    m->states = xcalloc(n, sizeof(*m->states));
    m->edge_byte = xmalloc(n);
    m->edge_to = xmalloc(n * sizeof(*m->edge_to));
    struct build_node **kids = xmalloc(256 * sizeof(*kids));
    size_t n_edges = 0;
    for (size_t s = 0; s < n; s++) {
        size_t nk = 0;
        for (uint32_t ch = nodes[s].child; ch != NONE; ch = nodes[ch].sibling)
            kids[nk++] = &nodes[ch];
        qsort(kids, nk, sizeof(*kids), cmp_byte_edge);
        m->states[s] = (struct state){.dense = NONE,
                                      .edge_off = (uint32_t)n_edges,
                                      .fail = 0,
                                      .dict = 0,
                                      .out = nodes[s].out,
                                      .n_edges = (uint16_t)nk,
                                      .depth = nodes[s].depth};
        for (size_t i = 0; i < nk; i++) {
            m->edge_byte[n_edges] = kids[i]->byte;
            m->edge_to[n_edges] = (uint32_t)(kids[i] - nodes);
            n_edges++;
        }
        if (s == 0)
            for (size_t i = 0; i < nk; i++)
                m->root_next[kids[i]->byte] = (uint32_t)(kids[i] - nodes);
    }
    free(kids);
    free(nodes);

    /* Failure and dictionary links, breadth first. */
    uint32_t *queue = xmalloc(n * sizeof(*queue));
    size_t qh = 0, qt = 0;
    for (size_t i = 0; i < m->states[0].n_edges; i++)
        queue[qt++] = m->edge_to[i]; /* depth 1: fail = root, dict = 0 */
    while (qh < qt) {
        uint32_t u = queue[qh++];
        const struct state *su = &m->states[u];
        for (size_t i = 0; i < su->n_edges; i++) {
            unsigned char c = m->edge_byte[su->edge_off + i];
            uint32_t v = m->edge_to[su->edge_off + i];
            uint32_t f = su->fail, g;
            for (;;) {
                g = goto_state(m, f, c);
                if ((g != NONE && g != 0) || f == 0)
                    break;
                f = m->states[f].fail;
            }
            if (g == NONE || g == v)
                g = 0;
            m->states[v].fail = g;
            m->states[v].dict = m->states[g].out != NONE ? g : m->states[g].dict;
            queue[qt++] = v;
        }
    }
    free(queue);

    size_t n_rows = 1 + m->states[0].n_edges;
    m->dense = xmalloc(n_rows * 256 * sizeof(*m->dense));
    memcpy(m->dense, m->root_next, sizeof(m->root_next));
    m->states[0].dense = 0;
    for (size_t r = 1; r < n_rows; r++) {
        uint32_t v = m->edge_to[r - 1]; /* the root's edges come first */
        uint32_t *row = m->dense + r * 256;
        for (unsigned c = 0; c < 256; c++) {
            uint32_t g = goto_state(m, v, (unsigned char)c);
            row[c] = g != NONE ? g : m->root_next[c]; /* fail(v) is the root */
        }
        m->states[v].dense = (uint32_t)r;
    }
    return m;
}

/* Per-call scratch, on the stack. */
struct hits {
    uint16_t ids[MAX_PATTERNS];
    size_t n;
    bool use_bits;
    uint64_t bits[MAX_PATTERNS / 64];
};

static void hit(struct hits *h, uint32_t p)
{
    if (!h->use_bits) {
        for (size_t i = 0; i < h->n; i++)
            if (h->ids[i] == p)
                return;
        if (h->n < 32) {
            h->ids[h->n++] = (uint16_t)p;
            return;
        }
        /* Many distinct keywords: switch to a bit set for the lookups. */
        memset(h->bits, 0, sizeof(h->bits));
        for (size_t i = 0; i < h->n; i++)
            h->bits[h->ids[i] / 64] |= UINT64_C(1) << (h->ids[i] % 64);
        h->use_bits = true;
    }
    uint64_t bit = UINT64_C(1) << (p % 64);
    if (h->bits[p / 64] & bit)
        return;
    h->bits[p / 64] |= bit;
    h->ids[h->n++] = (uint16_t)p;
}

struct topic_score {
    uint32_t score;
    uint32_t topic;
};

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int cmp_score(const void *a, const void *b)
{
    const struct topic_score *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->topic < y->topic ? -1 : x->topic > y->topic;
}

size_t taxonomy_match(const struct taxonomy *t, const char *text, size_t len, size_t *out,
                      size_t max)
{
    if (!t || !t->matcher || !text || len == 0 || !out || max == 0)
        return 0;
    const struct matcher *m = t->matcher;
    const unsigned char *s = (const unsigned char *)text;
    struct hits h;
    h.n = 0;
    h.use_bits = false;

    unsigned char ring[256]; /* the last 256 normalised bytes */
    size_t pos = 0;          /* normalised bytes so far */
    bool prev_space = false;
    uint32_t st = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (!normalise(&c, &prev_space))
            continue;
        ring[pos & 255] = c;
        pos++;

        for (;;) {
            const struct state *S = &m->states[st];
            if (S->dense != NONE) {
                st = m->dense[(size_t)S->dense * 256 + c];
                break;
            }
            uint32_t nx = goto_state(m, st, c);
            if (nx != NONE) {
                st = nx;
                break;
            }
            st = S->fail;
        }
        uint32_t o = m->states[st].out != NONE ? st : m->states[st].dict;
        if (!o)
            continue;
        /* Word boundary after the match: the next byte of the text. */
        bool end_ok = i + 1 >= len || !is_alnum(s[i + 1]);
        for (; o; o = m->states[o].dict) {
            size_t depth = m->states[o].depth;
            bool start_ok = pos == depth || !is_alnum(ring[(pos - depth - 1) & 255]);
            for (uint32_t p = m->states[o].out; p != NONE; p = m->patterns[p].next)
                if (m->patterns[p].anywhere || (start_ok && end_ok))
                    hit(&h, p);
        }
    }
    if (h.n == 0)
        return 0;

    /* Pattern ids follow taxonomy order, so sorted hits come grouped by
     * topic; each hit scores its keyword's byte length times its weight,
     * once however often it occurs. */
    qsort(h.ids, h.n, sizeof(h.ids[0]), cmp_u16);
    struct topic_score scores[MAX_TOPICS];
    size_t n_scores = 0;
    for (size_t i = 0; i < h.n; i++) {
        const struct pattern *p = &m->patterns[h.ids[i]];
        if (n_scores == 0 || scores[n_scores - 1].topic != p->topic)
            scores[n_scores++] = (struct topic_score){.score = 0, .topic = p->topic};
        scores[n_scores - 1].score += (uint32_t)p->len * p->weight;
    }
    qsort(scores, n_scores, sizeof(scores[0]), cmp_score);
    size_t n = n_scores < max ? n_scores : max;
    for (size_t i = 0; i < n; i++)
        out[i] = scores[i].topic;
    return n;
}

/* ---------------------------------------------------------------------- */
/* Loading */

enum key {
    K_LABEL_EN,
    K_LABEL_ZH,
    K_KEYWORDS_EN,
    K_KEYWORDS_ZH,
    K_DIMENSION,
    K_DEPARTMENT,
    K_EVENTS,
    K_ALIASES,
    N_KEYS
};
static const char *const key_names[N_KEYS] = {"label_en",    "label_zh",  "keywords_en",
                                              "keywords_zh", "dimension", "department",
                                              "events",      "aliases"};

/* A "[...]" line as inih reads it (found by scanning the file ourselves,
 * because inih tells the handler nothing about a section without keys). */
struct header {
    int line;
    char *name;
};

/* Where an alias was written, for the checks across topics at the end. */
struct alias_at {
    size_t topic, index;
    int line;
};

struct loader {
    const char *path;
    struct diag *diag; /* every error goes here; loading goes on where it can */
    struct taxonomy *t;
    size_t cap_topics;

    struct header *headers;
    size_t n_headers, next_header;

    /* The section being read: a topic (index cur) or nothing yet. */
    const struct header *hdr;
    size_t cur;
    int key_line[N_KEYS];

    struct pending *kw;
    size_t n_kw, cap_kw;
    size_t first_kw_of_topic;

    struct alias_at *aliases;
    size_t n_aliases, cap_aliases;
};

static void topic_release(struct topic *tp)
{
    free(tp->code);
    free(tp->label_en);
    free(tp->label_zh);
    for (size_t i = 0; i < tp->n_events; i++)
        free(tp->events[i]);
    free(tp->events);
    for (size_t i = 0; i < tp->n_keywords; i++)
        free(tp->keywords[i]);
    free(tp->keywords);
    for (size_t i = 0; i < tp->n_aliases; i++)
        free(tp->aliases[i]);
    free(tp->aliases);
}

void taxonomy_free(struct taxonomy *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_topics; i++)
        topic_release(&t->topics[i]);
    free(t->topics);
    matcher_free(t->matcher);
    free(t);
}

/* Reads the whole file (for the version hash and the section scan). */
static enum vr_status read_file(const char *path, char **out, size_t *out_len, struct vr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return vr_fail(err, VR_ERR_CONFIG, "could not open \"%s\": %s", path, strerror(errno));
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (sb.len + n > MAX_FILE_BYTES) {
            fclose(f);
            strbuf_release(&sb);
            return vr_fail(err, VR_ERR_CONFIG, "%s: file larger than %u bytes", path,
                           MAX_FILE_BYTES);
        }
        strbuf_add(&sb, buf, n);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        strbuf_release(&sb);
        return vr_fail(err, VR_ERR_CONFIG, "could not read \"%s\"", path);
    }
    *out_len = sb.len;
    *out = strbuf_detach(&sb);
    return VR_OK;
}

static void sha256_version(const char *data, size_t len, char version[13])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) || !EVP_DigestUpdate(ctx, data, len) ||
        !EVP_DigestFinal_ex(ctx, md, &mdlen))
        mdlen = 0;
    EVP_MD_CTX_free(ctx);
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < 6; i++) {
        version[2 * i] = i < mdlen ? hex[md[i] >> 4] : '0';
        version[2 * i + 1] = i < mdlen ? hex[md[i] & 15] : '0';
    }
    version[12] = '\0';
}

/* Finds the section header lines the way inih 55 does (BOM on line 1,
 * white space stripped, ';' or '#' starts a comment line, a ';' after
 * white space starts an inline comment).  NUL bytes are refused: inih would
 * cut the line there and lose count of lines. */
static enum vr_status scan_headers(struct loader *ld, const char *data, size_t len,
                                   struct vr_error *err)
{
    size_t cap = 0;
    int line = 1;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *e = eol ? eol : end;
        if (memchr(p, '\0', (size_t)(e - p)))
            return vr_fail(err, VR_ERR_CONFIG, "%s:%d: NUL byte in the file", ld->path, line);
        const char *s = p;
        if (line == 1 && e - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        while (e > s && is_space((unsigned char)e[-1]))
            e--;
        while (s < e && is_space((unsigned char)*s))
            s++;
        if (s < e && *s == '[') {
            const char *q = s + 1;
            bool was_space = false;
            while (q < e && *q != ']' && !(was_space && *q == ';')) {
                was_space = is_space((unsigned char)*q);
                q++;
            }
            if (q < e && *q == ']') {
                if (ld->n_headers == cap) {
                    cap = cap ? 2 * cap : 16;
                    ld->headers = xrealloc(ld->headers, cap * sizeof(*ld->headers));
                }
                struct header *h = &ld->headers[ld->n_headers++];
                h->line = line;
                size_t n = (size_t)(q - (s + 1));
                h->name = memcpy(xmalloc(n + 1), s + 1, n);
                h->name[n] = '\0';
            }
        }
        line++;
        p = eol ? eol + 1 : end;
    }
    return VR_OK;
}

static void add_pending(struct loader *ld, const char *norm, size_t len, bool anywhere,
                        uint8_t weight)
{
    /* The same keyword twice in a topic is one keyword, with the higher of
     * its weights; written once as English and once as Chinese it matches
     * anywhere. */
    for (size_t i = ld->first_kw_of_topic; i < ld->n_kw; i++) {
        if (ld->kw[i].len == len && memcmp(ld->kw[i].bytes, norm, len) == 0) {
            ld->kw[i].anywhere |= anywhere;
            if (weight > ld->kw[i].weight)
                ld->kw[i].weight = weight;
            return;
        }
    }
    if (ld->n_kw == ld->cap_kw) {
        ld->cap_kw = ld->cap_kw ? 2 * ld->cap_kw : 64;
        ld->kw = xrealloc(ld->kw, ld->cap_kw * sizeof(*ld->kw));
    }
    char *b = memcpy(xmalloc(len + 1), norm, len);
    b[len] = '\0';
    ld->kw[ld->n_kw++] = (struct pending){
        .bytes = b, .len = len, .topic = (uint32_t)ld->cur, .weight = weight, .anywhere = anywhere};
}

/* Length of a list separator at s: ',' or the full-width '，' and '、'
 * that Chinese keyboards type; 0 if none. */
static size_t separator_at(const char *s, const char *end)
{
    if (*s == ',')
        return 1;
    if (end - s >= 3 && (!memcmp(s, "\xEF\xBC\x8C", 3) || !memcmp(s, "\xE3\x80\x81", 3)))
        return 3;
    return 0;
}

/* Leading or trailing white space of a list item, including the
 * ideographic space U+3000. */
static size_t space_at(const char *s, const char *end)
{
    if (s < end && is_space((unsigned char)*s))
        return 1;
    if (end - s >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

static size_t space_before(const char *start, const char *e)
{
    if (e > start && is_space((unsigned char)e[-1]))
        return 1;
    if (e - start >= 3 && !memcmp(e - 3, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

/* Splits a comma-separated list into trimmed items; calls fn for each.
 * Refuses an empty item (", ," or a trailing comma). */
typedef enum vr_status (*item_fn)(struct loader *ld, const char *item, size_t n, enum key k,
                                  int line, struct vr_error *err);

static enum vr_status split_list(struct loader *ld, const char *value, enum key k, int line,
                                 item_fn fn, struct vr_error *err)
{
    const char *p = value, *end = value + strlen(value);
    size_t index = 0;
    for (;;) {
        const char *q = p;
        size_t sep = 0;
        while (q < end && !(sep = separator_at(q, end)))
            q++;
        const char *s = p, *e = q;
        size_t w;
        while (s < e && (w = space_at(s, e)))
            s += w;
        while (e > s && (w = space_before(s, e)))
            e -= w;
        index++;
        if (s == e)
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s:%d: empty %s in %s (item %zu: look for \", ,\" or a trailing "
                           "comma)",
                           ld->path, line,
                           k == K_EVENTS    ? "event"
                           : k == K_ALIASES ? "alias"
                                            : "keyword",
                           key_names[k], index);
        enum vr_status st = fn(ld, s, (size_t)(e - s), k, line, err);
        if (st != VR_OK)
            return st;
        if (q >= end)
            return VR_OK;
        p = q + sep;
    }
}

/* "late^3": a weight 1..9 after the last '^' of an item (white space
 * around the '^' allowed); no '^' is weight 1.  The keyword is what comes
 * before the '^'. */
static enum vr_status split_weight(struct loader *ld, const char *item, size_t *n, enum key k,
                                   int line, uint8_t *weight, struct vr_error *err)
{
    *weight = 1;
    const char *caret = NULL;
    for (size_t i = 0; i < *n; i++)
        if (item[i] == '^')
            caret = item + i;
    if (!caret)
        return VR_OK;
    const char *w = caret + 1, *we = item + *n;
    while (w < we && is_space((unsigned char)*w))
        w++;
    const char *e = caret;
    while (e > item && is_space((unsigned char)e[-1]))
        e--;
    if (we - w != 1 || *w < '1' || *w > '9')
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: weight of \"%.*s\" in %s must be a whole number from 1 to 9 "
                       "(as in \"late^3\")",
                       ld->path, line, (int)(*n > 40 ? 40 : *n), item, key_names[k]);
    if (e == item)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: weight \"%.*s\" without a keyword in %s",
                       ld->path, line, (int)(*n > 40 ? 40 : *n), item, key_names[k]);
    *weight = (uint8_t)(*w - '0');
    *n = (size_t)(e - item);
    return VR_OK;
}

static enum vr_status add_keyword(struct loader *ld, const char *item, size_t n, enum key k,
                                  int line, struct vr_error *err)
{
    struct topic *tp = &ld->t->topics[ld->cur];
    uint8_t weight;
    enum vr_status wst = split_weight(ld, item, &n, k, line, &weight, err);
    if (wst != VR_OK)
        return wst;
    char norm[MAX_KEYWORD_BYTES + 1];
    size_t len = 0;
    bool prev_space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)item[i];
        if (!normalise(&c, &prev_space))
            continue;
        if (len == MAX_KEYWORD_BYTES)
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s:%d: keyword \"%.*s\" in %s is longer than %d "
                           "bytes",
                           ld->path, line, (int)(n > 40 ? 40 : n), item, key_names[k],
                           MAX_KEYWORD_BYTES);
        norm[len++] = (char)c;
    }
    tp->keywords = xrealloc(tp->keywords, (tp->n_keywords + 1) * sizeof(*tp->keywords));
    char *copy = memcpy(xmalloc(n + 1), item, n);
    copy[n] = '\0';
    tp->keywords[tp->n_keywords++] = copy;
    size_t before = ld->n_kw;
    add_pending(ld, norm, len, k == K_KEYWORDS_ZH, weight);
    if (ld->n_kw > before && ld->n_kw > MAX_PATTERNS)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: more than %d distinct keywords in the "
                       "taxonomy",
                       ld->path, line, MAX_PATTERNS);
    return VR_OK;
}

static enum vr_status add_event(struct loader *ld, const char *item, size_t n, enum key k, int line,
                                struct vr_error *err)
{
    (void)k;
    struct topic *tp = &ld->t->topics[ld->cur];
    char *ev = memcpy(xmalloc(n + 1), item, n);
    ev[n] = '\0';
    if (!valid_code(ev)) {
        vr_fail(err, VR_ERR_CONFIG, "%s:%d: event \"%s\" must match [a-z0-9_]+", ld->path, line,
                ev);
        free(ev);
        return VR_ERR_CONFIG;
    }
    for (size_t i = 0; i < tp->n_events; i++) {
        if (!strcmp(tp->events[i], ev)) {
            free(ev);
            return VR_OK;
        }
    }
    tp->events = xrealloc(tp->events, (tp->n_events + 1) * sizeof(*tp->events));
    tp->events[tp->n_events++] = ev;
    return VR_OK;
}

/* An upstream code exactly as the feedback data write it (any text but a
 * list separator); the same alias twice in a topic is one. */
static enum vr_status add_alias(struct loader *ld, const char *item, size_t n, enum key k, int line,
                                struct vr_error *err)
{
    (void)k;
    struct topic *tp = &ld->t->topics[ld->cur];
    if (n > MAX_KEYWORD_BYTES)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: alias \"%.40s\" is longer than %d bytes",
                       ld->path, line, item, MAX_KEYWORD_BYTES);
    for (size_t i = 0; i < tp->n_aliases; i++)
        if (strlen(tp->aliases[i]) == n && !memcmp(tp->aliases[i], item, n))
            return VR_OK;
    tp->aliases = xrealloc(tp->aliases, (tp->n_aliases + 1) * sizeof(*tp->aliases));
    char *a = memcpy(xmalloc(n + 1), item, n);
    a[n] = '\0';
    tp->aliases[tp->n_aliases] = a;
    if (ld->n_aliases == ld->cap_aliases) {
        ld->cap_aliases = ld->cap_aliases ? 2 * ld->cap_aliases : 16;
        ld->aliases = xrealloc(ld->aliases, ld->cap_aliases * sizeof(*ld->aliases));
    }
    ld->aliases[ld->n_aliases++] =
        (struct alias_at){.topic = ld->cur, .index = tp->n_aliases++, .line = line};
    return VR_OK;
}

/* A configuration error goes to the list and loading goes on; anything
 * else stops it. */
static enum vr_status keep_going(struct loader *ld, enum vr_status st, struct vr_error *err)
{
    if (st == VR_ERR_CONFIG && diag_take(ld->diag, err))
        return VR_OK;
    return st;
}

static enum vr_status finish_topic(struct loader *ld, struct vr_error *err)
{
    if (!ld->hdr)
        return VR_OK;
    const struct topic *tp = &ld->t->topics[ld->cur];
    const char *missing = !tp->label_en ? "label_en" : !tp->label_zh ? "label_zh" : NULL;
    if (missing)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: topic \"%s\" has no %s", ld->path, ld->hdr->line,
                       tp->code, missing);
    if (tp->n_keywords == 0)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: topic \"%s\" has no keywords (give keywords_en or keywords_zh)",
                       ld->path, ld->hdr->line, tp->code);
    return VR_OK;
}

static enum vr_status open_section(struct loader *ld, const struct header *h, struct vr_error *err)
{
    enum vr_status st = keep_going(ld, finish_topic(ld, err), err);
    if (st != VR_OK)
        return st;
    ld->hdr = NULL;
    if (strncmp(h->name, "topic.", 6) != 0)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: section [%s] is not a topic (expected [topic.<code>])", ld->path,
                       h->line, h->name);
    const char *code = h->name + 6;
    if (!valid_code(code))
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: topic code \"%s\" must match [a-z0-9_]+",
                       ld->path, h->line, code);
    if (strlen(code) > MAX_CODE)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: topic code \"%s\" is longer than %d "
                       "characters",
                       ld->path, h->line, code, MAX_CODE);
    struct taxonomy *t = ld->t;
    for (size_t i = 0; i < t->n_topics; i++) {
        if (!strcmp(t->topics[i].code, code)) {
            int first = 0;
            for (size_t j = 0; j < ld->n_headers; j++)
                if (!strcmp(ld->headers[j].name, h->name)) {
                    first = ld->headers[j].line;
                    break;
                }
            return vr_fail(err, VR_ERR_CONFIG, "%s:%d: duplicate topic \"%s\" (first at line %d)",
                           ld->path, h->line, code, first);
        }
    }
    if (t->n_topics == MAX_TOPICS)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: more than %d topics", ld->path, h->line,
                       MAX_TOPICS);
    if (t->n_topics == ld->cap_topics) {
        ld->cap_topics = ld->cap_topics ? 2 * ld->cap_topics : 16;
        t->topics = xrealloc(t->topics, ld->cap_topics * sizeof(*t->topics));
    }
    ld->cur = t->n_topics++;
    t->topics[ld->cur] = (struct topic){.code = xstrdup(code)};
    ld->hdr = h;
    ld->first_kw_of_topic = ld->n_kw;
    memset(ld->key_line, 0, sizeof(ld->key_line));
    return VR_OK;
}

/* Opens every section whose header comes before line (all when line is
 * INT_MAX), so sections without keys are checked too and every error comes
 * in file order. */
static enum vr_status advance_to(struct loader *ld, int line, struct vr_error *err)
{
    while (ld->next_header < ld->n_headers && ld->headers[ld->next_header].line < line) {
        enum vr_status st =
            keep_going(ld, open_section(ld, &ld->headers[ld->next_header++], err), err);
        if (st != VR_OK)
            return st;
    }
    return VR_OK;
}

static bool parse_yes_no(const char *v, bool *out)
{
    if (!strcasecmp(v, "yes"))
        return *out = true, true;
    if (!strcasecmp(v, "no"))
        return *out = false, true;
    return false;
}

static enum vr_status on_pair(void *user, const char *section, const char *key, const char *value,
                              int line, struct vr_error *err)
{
    struct loader *ld = user;
    enum vr_status st = advance_to(ld, line, err);
    if (st != VR_OK)
        return st;
    if (ld->next_header == 0)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: key \"%s\" before any [topic.<code>] section",
                       ld->path, line, key);
    /* Our scan and inih must agree on the section (inih cuts long names). */
    const struct header *h = &ld->headers[ld->next_header - 1];
    if (strncmp(section, h->name, INIH_SECTION_BYTES) != 0)
        return vr_fail(err, VR_ERR_INTERNAL,
                       "%s:%d: section scan disagrees with inih "
                       "(\"%s\" vs \"%s\")",
                       ld->path, line, section, h->name);
    if (!ld->hdr)
        return VR_OK; /* open_section refused it and said why: its keys would be noise */

    int k = 0;
    while (k < N_KEYS && strcmp(key, key_names[k]) != 0)
        k++;
    if (k == N_KEYS)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: unknown key \"%s\" in [%s] (expected label_en, label_zh, "
                       "keywords_en, keywords_zh, dimension, events or aliases)",
                       ld->path, line, key, h->name);
    if (ld->key_line[k])
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: duplicate key \"%s\" in [%s] (first at line %d)",
                       ld->path, line, key, h->name, ld->key_line[k]);
    ld->key_line[k] = line;

    struct topic *tp = &ld->t->topics[ld->cur];
    switch ((enum key)k) {
    case K_LABEL_EN:
    case K_LABEL_ZH:
        if (!*value)
            return vr_fail(err, VR_ERR_CONFIG, "%s:%d: %s is empty", ld->path, line, key);
        *(k == K_LABEL_EN ? &tp->label_en : &tp->label_zh) = xstrdup(value);
        return VR_OK;
    case K_KEYWORDS_EN:
    case K_KEYWORDS_ZH:
        return split_list(ld, value, (enum key)k, line, add_keyword, err);
    case K_EVENTS:
        return split_list(ld, value, (enum key)k, line, add_event, err);
    case K_ALIASES:
        return split_list(ld, value, (enum key)k, line, add_alias, err);
    case K_DIMENSION:
        if (!parse_yes_no(value, &tp->dimension))
            return vr_fail(err, VR_ERR_CONFIG, "%s:%d: dimension must be yes or no, not \"%s\"",
                           ld->path, line, value);
        return VR_OK;
    case K_DEPARTMENT:
        /* Ownership lives in the config alone, so renaming a department
         * there never breaks this file; say where the line's meaning went. */
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: department in [%s] is no longer read: the config's departments "
                       "own topics; add %s to topics in [department.%s] of the config and "
                       "delete this line",
                       ld->path, line, h->name, tp->code, *value ? value : "CODE");
    case N_KEYS:
        break;
    }
    return VR_OK;
}

/* An upstream code stands for one topic, and a topic's own code needs no
 * alias: both would make a row's topic depend on the order of the file. */
static enum vr_status check_aliases(struct loader *ld, struct vr_error *err)
{
    const struct taxonomy *t = ld->t;
    for (size_t i = 0; i < ld->n_aliases; i++) {
        const struct alias_at *a = &ld->aliases[i];
        const char *alias = t->topics[a->topic].aliases[a->index];
        const char *owner = t->topics[a->topic].code;
        enum vr_status st = VR_OK;
        for (size_t k = 0; k < t->n_topics && st == VR_OK; k++)
            if (!strcmp(t->topics[k].code, alias))
                st = vr_fail(err, VR_ERR_CONFIG,
                             "%s:%d: alias \"%s\" of topic \"%s\" is the code of topic \"%s\": "
                             "rows with that code are already counted under it; remove the alias",
                             ld->path, a->line, alias, owner, alias);
        for (size_t j = 0; j < i && st == VR_OK; j++) {
            const struct alias_at *b = &ld->aliases[j];
            if (b->topic != a->topic && !strcmp(t->topics[b->topic].aliases[b->index], alias))
                st = vr_fail(err, VR_ERR_CONFIG,
                             "%s:%d: alias \"%s\" of topic \"%s\" is already an alias of topic "
                             "\"%s\" (line %d): an upstream code stands for one topic only",
                             ld->path, a->line, alias, owner, t->topics[b->topic].code, b->line);
        }
        st = keep_going(ld, st, err);
        if (st != VR_OK)
            return st;
    }
    return VR_OK;
}

enum vr_status taxonomy_load_all(struct taxonomy **out, const char *path, struct diag *d)
{
    *out = NULL;
    size_t before = d->n;
    struct vr_error e = {0}, *err = &e;
    struct loader ld = {.path = path, .diag = d};
    ld.t = xcalloc(1, sizeof(*ld.t));
    char *data = NULL;
    size_t len = 0;
    enum vr_status st = read_file(path, &data, &len, err);
    if (st == VR_OK) {
        sha256_version(data, len, ld.t->version);
        st = scan_headers(&ld, data, len, err);
    }
    free(data);
    diag_take(d, err);
    if (st == VR_OK)
        st = ini_file_parse_all(path, on_pair, &ld, d);
    /* A file that stopped half way would only add noise: sections it never
     * reached are not checked. */
    if (st == VR_OK)
        st = keep_going(&ld, advance_to(&ld, INT_MAX, err), err);
    if (st == VR_OK)
        st = keep_going(&ld, finish_topic(&ld, err), err);
    if (st == VR_OK)
        st = check_aliases(&ld, err);
    if (st == VR_OK && ld.t->n_topics == 0 && d->n == before)
        vr_fail(err, VR_ERR_CONFIG, "%s: no topics (expected [topic.<code>] sections)", path);
    diag_take(d, err);
    if (d->n == before)
        ld.t->matcher = matcher_build(ld.kw, ld.n_kw, ld.t->n_topics);

    for (size_t i = 0; i < ld.n_headers; i++)
        free(ld.headers[i].name);
    free(ld.headers);
    for (size_t i = 0; i < ld.n_kw; i++)
        free(ld.kw[i].bytes);
    free(ld.kw);
    free(ld.aliases);
    if (d->n > before) {
        taxonomy_free(ld.t);
        return d->entries[before].status;
    }
    *out = ld.t;
    return VR_OK;
}

enum vr_status taxonomy_load(struct taxonomy **out, const char *path, struct vr_error *err)
{
    struct diag d;
    diag_init(&d);
    enum vr_status st = taxonomy_load_all(out, path, &d);
    diag_first(&d, err);
    diag_release(&d);
    return st;
}

const char *taxonomy_label(const struct taxonomy *tx, const char *locale, const char *code)
{
    for (size_t i = 0; tx && i < tx->n_topics; i++) {
        const struct topic *t = &tx->topics[i];
        if (strcmp(t->code, code))
            continue;
        if (!strncmp(locale, "zh", 2) && t->label_zh && *t->label_zh)
            return t->label_zh;
        return t->label_en && *t->label_en ? t->label_en : code;
    }
    return code;
}
