/* How often the best topic equals the labelled reason, on the English
 * airline tweets of ../shared/data/en/airline_tweets.csv (columns tweet_id,
 * airline_sentiment, negativereason, airline, text, tweet_created).
 *
 *   taxonomy_accuracy TAXONOMY CSV [even|odd|all] [MIN]
 *   taxonomy_accuracy TAXONOMY CSV bench [N]
 *
 * Rows: negative tweets whose reason is not "Can't Tell"; the reason
 * "Late Flight" is the topic code late_flight (lower case, "_" for the
 * rest).  A tweet with no topic counts as wrong.
 *
 * Halves: keywords are tuned on the even half and measured on the odd one.
 * Every tweet_id in the file is even (the low bits of a Twitter id are the
 * machine and sequence numbers), so the half is the parity of the id's
 * timestamp part, tweet_id >> 22 (milliseconds): even 3023 rows, odd 3118.
 * With MIN, exits 1 when the accuracy is below it (a test).
 *
 * bench: matches N texts (default 1,000,000: the file's texts over and
 * over) and prints the time taken.  Exits 77 when CSV is missing (skipped). */
#include "classify/taxonomy.h"
#include "jobs/base/strbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct row {
    char **fields;
    size_t n;
};

/* Reads one CSV record at *pos: quoted fields with "" for a quote and line
 * breaks inside quotes; CRLF or LF between records.  False at the end. */
static bool csv_record(const char *data, size_t len, size_t *pos, struct row *r)
{
    size_t i = *pos;
    if (i >= len)
        return false;
    r->n = 0;
    struct strbuf f;
    strbuf_init(&f);
    for (;;) {
        strbuf_reset(&f);
        if (i < len && data[i] == '"') {
            i++;
            while (i < len) {
                if (data[i] == '"') {
                    if (i + 1 < len && data[i + 1] == '"') {
                        strbuf_add(&f, "\"", 1);
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                strbuf_add(&f, data + i, 1);
                i++;
            }
            /* Anything up to the separator after a closing quote is kept. */
            while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
                strbuf_add(&f, data + i++, 1);
        } else {
            size_t s = i;
            while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
                i++;
            strbuf_add(&f, data + s, i - s);
        }
        r->fields = xrealloc(r->fields, (r->n + 1) * sizeof(*r->fields));
        r->fields[r->n++] = xstrdup(f.buf);
        if (i < len && data[i] == ',') {
            i++;
            continue;
        }
        if (i < len && data[i] == '\r')
            i++;
        if (i < len && data[i] == '\n')
            i++;
        break;
    }
    strbuf_release(&f);
    *pos = i;
    return true;
}

static void row_release(struct row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    r->n = 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return strbuf_detach(&sb);
}

/* "Customer Service Issue" -> "customer_service_issue" */
static char *reason_code(const char *reason)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = reason; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            strbuf_add(&sb, &c, 1);
        else if (sb.len && sb.buf[sb.len - 1] != '_')
            strbuf_add(&sb, "_", 1);
    }
    while (sb.len && sb.buf[sb.len - 1] == '_')
        sb.buf[--sb.len] = '\0';
    return strbuf_detach(&sb);
}

static int column(const struct row *header, const char *name)
{
    for (size_t i = 0; i < header->n; i++) {
        const char *h = header->fields[i];
        if (i == 0 && !strncmp(h, "\xEF\xBB\xBF", 3))
            h += 3;
        if (!strcmp(h, name))
            return (int)i;
    }
    return -1;
}

struct reason_stats {
    char *code;
    int n, correct, none;
};

static int bench(const struct taxonomy *t, char **texts, size_t n_texts, long n)
{
    if (n_texts == 0)
        return 1;
    size_t bytes = 0, matched = 0, checksum = 0, out[8];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
        const char *s = texts[(size_t)i % n_texts];
        size_t len = strlen(s);
        size_t k = taxonomy_match(t, s, len, out, 8);
        bytes += len;
        matched += k > 0;
        checksum += k ? out[0] : 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("bench: %ld texts (%zu distinct, %.1f bytes on average), %zu topics: %.3f s, "
           "%.0f texts/s, %.1f MB/s; %zu texts with a topic (checksum %zu)\n",
           n, n_texts, (double)bytes / (double)n, t->n_topics, secs, (double)n / secs,
           (double)bytes / secs / 1e6, matched, checksum);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: taxonomy_accuracy TAXONOMY CSV [even|odd|all] [MIN]\n"
                        "       taxonomy_accuracy TAXONOMY CSV bench [N]\n");
        return 2;
    }
    const char *half = argc > 3 ? argv[3] : "odd";
    bool is_bench = !strcmp(half, "bench");
    if (!is_bench && strcmp(half, "even") && strcmp(half, "odd") && strcmp(half, "all")) {
        fprintf(stderr, "taxonomy_accuracy: half must be even, odd, all or bench\n");
        return 2;
    }

    struct vr_error err = {0};
    struct taxonomy *t = NULL;
    if (taxonomy_load(&t, argv[1], &err) != VR_OK) {
        fprintf(stderr, "taxonomy_accuracy: %s\n", err.msg);
        return 2;
    }
    size_t len;
    char *data = read_all(argv[2], &len);
    if (!data) {
        fprintf(stderr, "taxonomy_accuracy: could not read \"%s\": %s (skipped)\n", argv[2],
                strerror(errno));
        taxonomy_free(t);
        return 77;
    }

    size_t pos = 0;
    struct row header = {0}, r = {0};
    csv_record(data, len, &pos, &header);
    int c_id = column(&header, "tweet_id"), c_sent = column(&header, "airline_sentiment"),
        c_reason = column(&header, "negativereason"), c_text = column(&header, "text");
    if (c_id < 0 || c_sent < 0 || c_reason < 0 || c_text < 0) {
        fprintf(stderr,
                "taxonomy_accuracy: %s: missing column (want tweet_id, "
                "airline_sentiment, negativereason, text)\n",
                argv[2]);
        return 2;
    }
    int need = c_id > c_sent ? c_id : c_sent;
    need = need > c_reason ? need : c_reason;
    need = need > c_text ? need : c_text;

    struct reason_stats *stats = NULL;
    size_t n_stats = 0;
    char **texts = NULL;
    size_t n_texts = 0;
    int rows = 0, bad_rows = 0;
    size_t *out = xmalloc(t->n_topics * sizeof(*out));
    /* confusion[reason][topic + 1], topic -1 = none */
    int *confusion = NULL;

    while (csv_record(data, len, &pos, &r)) {
        rows++;
        if ((int)r.n <= need) {
            bad_rows++;
            row_release(&r);
            continue;
        }
        if (is_bench) {
            texts = xrealloc(texts, (n_texts + 1) * sizeof(*texts));
            texts[n_texts++] = xstrdup(r.fields[c_text]);
            row_release(&r);
            continue;
        }
        const char *reason = r.fields[c_reason];
        char *end;
        errno = 0;
        unsigned long long id = strtoull(r.fields[c_id], &end, 10);
        if (errno || *end || end == r.fields[c_id]) {
            bad_rows++;
            row_release(&r);
            continue;
        }
        bool odd = (id >> 22) & 1;
        if (strcmp(r.fields[c_sent], "negative") || !*reason || !strcmp(reason, "Can't Tell") ||
            (!strcmp(half, "even") && odd) || (!strcmp(half, "odd") && !odd)) {
            row_release(&r);
            continue;
        }
        char *code = reason_code(reason);
        size_t s = 0;
        while (s < n_stats && strcmp(stats[s].code, code))
            s++;
        if (s == n_stats) {
            stats = xrealloc(stats, (n_stats + 1) * sizeof(*stats));
            stats[n_stats++] = (struct reason_stats){.code = code};
            confusion = xrealloc(confusion, n_stats * (t->n_topics + 1) * sizeof(*confusion));
            memset(confusion + s * (t->n_topics + 1), 0, (t->n_topics + 1) * sizeof(*confusion));
        } else {
            free(code);
        }
        const char *text = r.fields[c_text];
        size_t k = taxonomy_match(t, text, strlen(text), out, t->n_topics);
        stats[s].n++;
        if (k == 0)
            stats[s].none++;
        else if (!strcmp(t->topics[out[0]].code, stats[s].code))
            stats[s].correct++;
        confusion[s * (t->n_topics + 1) + (k ? out[0] + 1 : 0)]++;
        row_release(&r);
    }
    free(r.fields);
    row_release(&header);
    free(header.fields);
    free(data);

    int status = 0;
    if (is_bench) {
        long n = argc > 4 ? strtol(argv[4], NULL, 10) : 1000000;
        status = bench(t, texts, n_texts, n);
        for (size_t i = 0; i < n_texts; i++)
            free(texts[i]);
        free(texts);
    } else {
        int total = 0, correct = 0;
        printf("%-28s %6s %8s %8s %6s  most often given instead\n", "reason", "tweets", "correct",
               "accuracy", "none");
        for (size_t s = 0; s < n_stats; s++) {
            const int *row = confusion + s * (t->n_topics + 1);
            int best = -1;
            for (size_t j = 1; j <= t->n_topics; j++)
                if (strcmp(t->topics[j - 1].code, stats[s].code) &&
                    (best < 0 || row[j] > row[best]))
                    best = (int)j;
            printf("%-28s %6d %8d %8.3f %6d  %s (%d)\n", stats[s].code, stats[s].n,
                   stats[s].correct, stats[s].n ? (double)stats[s].correct / stats[s].n : 0.0,
                   stats[s].none, best > 0 ? t->topics[best - 1].code : "-",
                   best > 0 ? row[best] : 0);
            total += stats[s].n;
            correct += stats[s].correct;
        }
        double acc = total ? (double)correct / total : 0.0;
        printf("rows read %d (%d unusable); half: %s (parity of tweet_id >> 22)\n", rows, bad_rows,
               half);
        printf("accuracy %s: %.4f (%d of %d)\n", half, acc, correct, total);
        if (argc > 4) {
            double min = strtod(argv[4], NULL);
            bool ok = acc >= min;
            printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
            status = ok ? 0 : 1;
        }
    }
    for (size_t s = 0; s < n_stats; s++)
        free(stats[s].code);
    free(stats);
    free(confusion);
    free(out);
    taxonomy_free(t);
    return status;
}
