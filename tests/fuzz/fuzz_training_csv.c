/* Fuzz target: the input bytes as a training CSV, read by the reader
 * train-sentiment uses (sentiment_read_training; training itself takes
 * seconds a file, too slow to fuzz).  The rows it delivers, the blank texts
 * it counts and the error it gives (kind and line) are compared with a
 * second reader written here from the rules of models/README.md and
 * sentiment.h: RFC 4180 quoting ("" inside quotes, line breaks in quoted
 * fields), text after a closing quote kept as written, CRLF, LF or a lone
 * CR ending a record, an optional UTF-8 BOM, a header naming the "label"
 * column and the "text" (else "review") column (first of each, case and
 * surrounding blanks ignored), blank lines skipped, labels "0", "1" or
 * "0.5" (neutral) with blanks around, an optional "weight" column (its
 * first; blank for 1, else digits with up to 6 decimals, above 0 and at
 * most 1000, blanks around), checked after the label, rows with a blank
 * text counted and skipped. */
#include "classify/sentiment.h"
#include "fuzz_common.h"
#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
    int label;
    double weight;
    char *text;
    size_t len;
};

struct rows {
    struct row *r;
    size_t n;
};

static void rows_add(struct rows *rs, int label, double weight, const char *text, size_t len)
{
    rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    rs->r[rs->n++] = (struct row){label, weight, copy, len};
}

static void rows_release(struct rows *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->r[i].text);
    free(rs->r);
}

static void on_row(void *ctx, int label, double weight, const char *text, size_t len)
{
    if (label != SENTIMENT_LABEL_NEGATIVE && label != SENTIMENT_LABEL_POSITIVE &&
        label != SENTIMENT_LABEL_NEUTRAL)
        abort();
    rows_add(ctx, label, weight, text, len);
}

/* ---- the second reader, over the bytes in memory ---- */

enum ref_error { REF_OK, REF_EMPTY, REF_UNCLOSED, REF_HEADER, REF_FIELDS, REF_LABEL, REF_WEIGHT };

struct field {
    size_t off, len; /* in the record's bytes */
};

struct record {
    struct strbuf bytes;
    struct field *f;
    size_t n;
    unsigned long line;
};

struct ref {
    const uint8_t *d;
    size_t size, pos;
    unsigned long line;
};

/* 1 with a record, 0 at the end, -1 for an unclosed quote. */
static int ref_record(struct ref *r, struct record *rec)
{
    strbuf_reset(&rec->bytes);
    rec->n = 0;
    if (r->pos == r->size)
        return 0;
    rec->line = r->line;
    for (;;) {
        size_t off = rec->bytes.len;
        if (r->pos < r->size && r->d[r->pos] == '"') {
            r->pos++;
            for (;;) {
                if (r->pos == r->size)
                    return -1;
                uint8_t c = r->d[r->pos++];
                if (c == '"') {
                    if (r->pos < r->size && r->d[r->pos] == '"')
                        r->pos++;
                    else
                        break;
                } else if (c == '\n') {
                    r->line++;
                }
                strbuf_add(&rec->bytes, (const char *)&c, 1);
            }
        }
        while (r->pos < r->size && r->d[r->pos] != ',' && r->d[r->pos] != '\n' &&
               r->d[r->pos] != '\r')
            strbuf_add(&rec->bytes, (const char *)&r->d[r->pos++], 1);
        rec->f = xrealloc(rec->f, (rec->n + 1) * sizeof(*rec->f));
        rec->f[rec->n++] = (struct field){off, rec->bytes.len - off};
        if (r->pos == r->size)
            return 1;
        uint8_t end = r->d[r->pos++];
        if (end == ',')
            continue;
        if (end == '\r' && r->pos < r->size && r->d[r->pos] == '\n')
            r->pos++;
        r->line++;
        return 1;
    }
}

static bool is_blank_byte(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* The field without surrounding spaces and tabs. */
static const char *trimmed(const struct record *rec, size_t k, size_t *len)
{
    const char *s = rec->bytes.buf + rec->f[k].off;
    size_t n = rec->f[k].len;
    while (n && is_blank_byte((uint8_t)*s))
        s++, n--;
    while (n && is_blank_byte((uint8_t)s[n - 1]))
        n--;
    *len = n;
    return s;
}

static bool named(const struct record *rec, size_t k, const char *name)
{
    size_t n;
    const char *s = trimmed(rec, k, &n);
    if (n != strlen(name))
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)name[i])
            return false;
    }
    return true;
}

/* The weight field (already trimmed): 1 when blank, -1 when refused.  By
 * the grammar, then strtod on a copy. */
static double ref_weight(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    size_t digits = 0;
    while (digits < n && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (digits == 0)
        return -1;
    if (digits < n) {
        size_t decimals = n - digits - 1;
        if (s[digits] != '.' || decimals < 1 || decimals > 6)
            return -1;
        for (size_t k = digits + 1; k < n; k++)
            if (s[k] < '0' || s[k] > '9')
                return -1;
    }
    char *copy = xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    double v = strtod(copy, NULL);
    free(copy);
    return v > 0 && v <= 1000 ? v : -1;
}

static enum ref_error ref_read(const uint8_t *data, size_t size, struct rows *out, size_t *skipped,
                               unsigned long *err_line)
{
    struct ref r = {data, size, 0, 1};
    if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        r.pos = 3;
    struct record rec = {.f = NULL};
    strbuf_init(&rec.bytes);
    enum ref_error e = REF_OK;
    int got = ref_record(&r, &rec);
    *err_line = rec.line;
    size_t label = SIZE_MAX, text = SIZE_MAX, review = SIZE_MAX, weight = SIZE_MAX;
    if (got < 0) {
        e = REF_UNCLOSED;
        goto done;
    }
    if (got == 0) {
        e = REF_EMPTY;
        goto done;
    }
    for (size_t k = rec.n; k-- > 0;) {
        if (named(&rec, k, "label"))
            label = k;
        if (named(&rec, k, "text"))
            text = k;
        if (named(&rec, k, "review"))
            review = k;
        if (named(&rec, k, "weight"))
            weight = k;
    }
    if (text == SIZE_MAX)
        text = review;
    if (label == SIZE_MAX || text == SIZE_MAX) {
        e = REF_HEADER;
        goto done;
    }
    while ((got = ref_record(&r, &rec)) != 0) {
        *err_line = rec.line;
        if (got < 0) {
            e = REF_UNCLOSED;
            break;
        }
        if (rec.n == 1 && rec.f[0].len == 0)
            continue;
        if (rec.n <= label || rec.n <= text || (weight != SIZE_MAX && rec.n <= weight)) {
            e = REF_FIELDS;
            break;
        }
        size_t n;
        const char *lab = trimmed(&rec, label, &n);
        int want_label = n == 1 && lab[0] == '0'                ? SENTIMENT_LABEL_NEGATIVE
                         : n == 1 && lab[0] == '1'              ? SENTIMENT_LABEL_POSITIVE
                         : n == 3 && memcmp(lab, "0.5", 3) == 0 ? SENTIMENT_LABEL_NEUTRAL
                                                                : -1;
        if (want_label < 0) {
            e = REF_LABEL;
            break;
        }
        double want_weight = 1;
        if (weight != SIZE_MAX) {
            const char *wf = trimmed(&rec, weight, &n);
            if ((want_weight = ref_weight(wf, n)) < 0) {
                e = REF_WEIGHT;
                break;
            }
        }
        const char *t = rec.bytes.buf + rec.f[text].off;
        size_t tn = rec.f[text].len, i = 0;
        while (i < tn && (is_blank_byte((uint8_t)t[i]) || t[i] == '\r' || t[i] == '\n'))
            i++;
        if (i == tn)
            (*skipped)++;
        else
            rows_add(out, want_label, want_weight, t, tn);
    }
done:
    strbuf_release(&rec.bytes);
    free(rec.f);
    return e;
}

/* ---- the target ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const words[] = {
        [REF_EMPTY] = ": empty file",
        [REF_UNCLOSED] = "quoted field is not closed",
        [REF_HEADER] = "the header needs a \"label\" column",
        [REF_FIELDS] = "fields, the header has",
        [REF_LABEL] = "label must be 1 (positive), 0 (negative) or 0.5 (neutral)",
        [REF_WEIGHT] = "weight must be a number above 0 and at most 1000",
    };
    const char *path = fuzz_write_temp(0, "training", data, size);
    struct rows got = {NULL, 0}, want = {NULL, 0};
    size_t got_skipped = 0, want_skipped = 0;
    unsigned long line = 0;
    struct vr_error err = {0};
    enum vr_status st = sentiment_read_training(path, on_row, &got, &got_skipped, &err);
    enum ref_error e = ref_read(data, size, &want, &want_skipped, &line);

    bool same = got.n == want.n && got_skipped == want_skipped;
    for (size_t i = 0; same && i < got.n; i++)
        same = got.r[i].label == want.r[i].label &&
               fabs(got.r[i].weight - want.r[i].weight) <= 1e-12 * want.r[i].weight &&
               got.r[i].len == want.r[i].len &&
               !memcmp(got.r[i].text, want.r[i].text, got.r[i].len);
    if (!same) {
        fprintf(stderr, "fuzz_training_csv: %zu rows (%zu blank) read, the reference %zu (%zu)\n",
                got.n, got_skipped, want.n, want_skipped);
        for (size_t i = 0; i < got.n || i < want.n; i++)
            fprintf(stderr, "  row %zu: %d %.17g \"%.*s\" | %d %.17g \"%.*s\"\n", i + 1,
                    i < got.n ? got.r[i].label : -1, i < got.n ? got.r[i].weight : 0,
                    i < got.n ? (int)got.r[i].len : 0, i < got.n ? got.r[i].text : "",
                    i < want.n ? want.r[i].label : -1, i < want.n ? want.r[i].weight : 0,
                    i < want.n ? (int)want.r[i].len : 0, i < want.n ? want.r[i].text : "");
        abort();
    }
    if (e == REF_OK) {
        if (st != VR_OK) {
            fprintf(stderr, "fuzz_training_csv: refused a good file: %s\n", err.msg);
            abort();
        }
    } else {
        fuzz_expect_refusal("fuzz_training_csv", st, &err, path);
        char where[128];
        if (e == REF_EMPTY)
            snprintf(where, sizeof(where), "%s: ", path);
        else
            snprintf(where, sizeof(where), "%s:%lu: ", path, line);
        if (strncmp(err.msg, where, strlen(where)) != 0 || !strstr(err.msg, words[e])) {
            fprintf(stderr, "fuzz_training_csv: expected \"%s...%s\", got: %s\n", where, words[e],
                    err.msg);
            abort();
        }
    }
    rows_release(&got);
    rows_release(&want);
    return 0;
}
