/* Splits the shared data sets for bench/accuracy.sh, deterministically by
 * row number (the n-th record after the header, counting every record,
 * whatever its text):
 *
 *   accuracy_split waimai   zh/waimai_10k.csv             DIR
 *   accuracy_split shopping zh/online_shopping_10_cats.csv DIR
 *   accuracy_split airline  en/airline_tweets.csv         DIR
 *
 * Row n is TEST when n % 5 == 0, else TRAIN.  shopping: every 酒店 (hotel)
 * row goes to the held-out set instead, whatever its number.  airline:
 * label 0 for negative, 1 for neutral and positive.
 *
 * Writes DIR/KIND.train.csv (label,text: the training input) and, for each
 * measured set S (KIND.test, and shopping.hotel): S.csv (label,text),
 * S.txt (one text per line, line breaks inside a text made spaces) and
 * S.labels (one label per line).  Rows with an empty text are left out of
 * the measured sets (counted on stderr).  Its own small CSV reader, so the
 * split does not depend on the code it measures. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
    char *buf;
    size_t len, cap;
    size_t start[16], flen[16];
    size_t n;
};

static void put(struct rec *r, int ch)
{
    if (r->len + 1 >= r->cap) {
        r->cap = r->cap ? 2 * r->cap : 4096;
        r->buf = realloc(r->buf, r->cap);
        if (!r->buf)
            abort();
    }
    r->buf[r->len++] = (char)ch;
}

static void end_field(struct rec *r, size_t start)
{
    put(r, '\0');
    if (r->n < 16) {
        r->start[r->n] = start;
        r->flen[r->n] = r->len - 1 - start;
    }
    r->n++;
}

/* 1 = record read, 0 = end of file */
static int read_rec(FILE *f, struct rec *r)
{
    r->len = r->n = 0;
    int ch = getc(f);
    if (ch == EOF)
        return 0;
    for (;;) {
        size_t start = r->len;
        if (ch == '"') {
            for (;;) {
                ch = getc(f);
                if (ch == EOF) {
                    fputs("accuracy_split: unterminated quoted field\n", stderr);
                    exit(1);
                }
                if (ch == '"') {
                    int nx = getc(f);
                    if (nx != '"') {
                        ungetc(nx, f);
                        break;
                    }
                }
                put(r, ch);
            }
            ch = getc(f);
        }
        while (ch != EOF && ch != ',' && ch != '\n' && ch != '\r') {
            put(r, ch);
            ch = getc(f);
        }
        end_field(r, start);
        if (ch == ',') {
            ch = getc(f);
            continue;
        }
        if (ch == '\r') {
            int nx = getc(f);
            if (nx != '\n')
                ungetc(nx, f);
        }
        return 1;
    }
}

static const char *field(const struct rec *r, size_t k)
{
    return k < r->n && k < 16 ? r->buf + r->start[k] : "";
}

static size_t column(const struct rec *h, const char *name)
{
    for (size_t k = 0; k < h->n && k < 16; k++) {
        const char *f = field(h, k);
        if (strncmp(f, "\xEF\xBB\xBF", 3) == 0)
            f += 3;
        if (strcmp(f, name) == 0)
            return k;
    }
    fprintf(stderr, "accuracy_split: no column \"%s\"\n", name);
    exit(1);
}

struct out {
    FILE *csv, *txt, *labels;
    long n, empty;
};

static FILE *open_out(const char *dir, const char *name, const char *ext)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(ext[1] == 'c' ? "label,text\n" : "", f);
    return f;
}

static void write_row(struct out *o, int label, const char *text, bool measured)
{
    bool empty = true;
    for (const char *p = text; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            empty = false;
    if (measured && empty) {
        o->empty++;
        return;
    }
    fprintf(o->csv, "%d,\"", label);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', o->csv);
        fputc(*p, o->csv);
    }
    fputs("\"\n", o->csv);
    if (measured) {
        for (const char *p = text; *p; p++)
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, o->txt);
        fputc('\n', o->txt);
        fprintf(o->labels, "%d\n", label);
    }
    o->n++;
}

static void open_set(struct out *o, const char *dir, const char *name, bool measured)
{
    memset(o, 0, sizeof(*o));
    o->csv = open_out(dir, name, ".csv");
    if (measured) {
        o->txt = open_out(dir, name, ".txt");
        o->labels = open_out(dir, name, ".labels");
    }
}

static void close_set(struct out *o, const char *name)
{
    fclose(o->csv);
    if (o->txt) {
        fclose(o->txt);
        fclose(o->labels);
    }
    fprintf(stderr, "accuracy_split: %s: %ld rows", name, o->n);
    if (o->empty)
        fprintf(stderr, " (%ld rows with empty text left out)", o->empty);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: accuracy_split waimai|shopping|airline FILE DIR\n", stderr);
        return 2;
    }
    const char *kind = argv[1], *dir = argv[3];
    bool airline = strcmp(kind, "airline") == 0, shopping = strcmp(kind, "shopping") == 0;
    if (!airline && !shopping && strcmp(kind, "waimai") != 0) {
        fprintf(stderr, "accuracy_split: unknown kind \"%s\"\n", kind);
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    struct rec r = {0};
    if (!read_rec(f, &r)) {
        fputs("accuracy_split: empty file\n", stderr);
        return 1;
    }
    size_t c_label = column(&r, airline ? "airline_sentiment" : "label");
    size_t c_text = column(&r, airline ? "text" : "review");
    size_t c_cat = shopping ? column(&r, "cat") : 0;
    char name[64];
    struct out train, test, hotel;
    snprintf(name, sizeof(name), "%s.train", kind);
    open_set(&train, dir, name, false);
    snprintf(name, sizeof(name), "%s.test", kind);
    open_set(&test, dir, name, true);
    if (shopping)
        open_set(&hotel, dir, "shopping.hotel", true);
    long row = 0;
    while (read_rec(f, &r)) {
        if (r.n == 1 && r.flen[0] == 0)
            continue;
        row++;
        const char *lab = field(&r, c_label);
        int label;
        if (airline)
            label = strcmp(lab, "negative") == 0 ? 0 : 1;
        else if (strcmp(lab, "0") == 0 || strcmp(lab, "1") == 0)
            label = lab[0] - '0';
        else {
            fprintf(stderr, "accuracy_split: row %ld: label \"%s\"\n", row, lab);
            return 1;
        }
        const char *text = field(&r, c_text);
        if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3;
        if (shopping && strcmp(field(&r, c_cat), "酒店") == 0)
            write_row(&hotel, label, text, true);
        else if (row % 5 == 0)
            write_row(&test, label, text, true);
        else
            write_row(&train, label, text, false);
    }
    fclose(f);
    free(r.buf);
    snprintf(name, sizeof(name), "%s.train", kind);
    close_set(&train, name);
    snprintf(name, sizeof(name), "%s.test", kind);
    close_set(&test, name);
    if (shopping)
        close_set(&hotel, "shopping.hotel");
    return 0;
}
