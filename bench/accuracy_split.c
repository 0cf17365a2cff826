/* Splits the shared data sets for bench/accuracy.sh and bench/tune.sh,
 * deterministically by row number n (the n-th record after the header,
 * counting every record, whatever its text):
 *
 *   accuracy_split KIND FILE DIR        (lexicon: FILE is the positive
 *                                        list, its negative twin beside it)
 *
 *   n % 5 == 0   TEST: measured by bench/accuracy.sh, never trained on and
 *                never looked at while choosing settings
 *   n % 5 == 1   VALID: the validation rows of bench/tune.sh
 *   otherwise    FIT: what bench/tune.sh trains on
 *   TRAIN = VALID + FIT: what the shipped model is trained on
 *
 * The lexicon is a list of words, not a sample of anyone's feedback: every
 * word is a training row (label 1 for the positive list, 0 for the
 * negative), in TRAIN and FIT, never measured.
 *
 * Our own service feedback (models/service_feedback.csv) has no TEST rows:
 * its held-out test is tests/fixtures/service_sentences.tsv.
 *
 * Each file becomes one or more domains (online_shopping_10_cats: one per
 * category; the service feedback: one per language, service_en and
 * service_zh).  For a domain D it writes DIR/D.train.csv and DIR/D.fit.csv
 * (label,text, or label,weight,text when the file has a weight column:
 * training input), and for S in test, valid:
 * DIR/D.S.txt (one text per line, line breaks made spaces) and D.S.labels
 * (0, 0.5 or 1 per line).  Rows with an empty text are left out of the
 * measured sets (counted on stderr).
 *
 * Labels: 1 positive, 0 negative, 0.5 neutral (airline tweets' "neutral",
 * and the service feedback's 0.5);
 * ba_reviews: recommended yes = 1, no = 0, the text being the review's
 * header and body joined by ". ".  Its own small CSV reader, so the split
 * does not depend on the code it measures. */
#include <stdbool.h>
#include <stdint.h>
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

/* The column named name, or SIZE_MAX. */
static size_t find_column(const struct rec *h, const char *name)
{
    for (size_t k = 0; k < h->n && k < 16; k++) {
        const char *f = field(h, k);
        if (strncmp(f, "\xEF\xBB\xBF", 3) == 0)
            f += 3;
        if (strcmp(f, name) == 0)
            return k;
    }
    return SIZE_MAX;
}

static size_t column(const struct rec *h, const char *name)
{
    size_t k = find_column(h, name);
    if (k == SIZE_MAX) {
        fprintf(stderr, "accuracy_split: no column \"%s\"\n", name);
        exit(1);
    }
    return k;
}

/* ---- output sets ------------------------------------------------------- */

enum { S_TRAIN, S_FIT, S_VALID, S_TEST, N_SETS };
static const char *const set_name[N_SETS] = {"train", "fit", "valid", "test"};

struct domain {
    char name[64];
    bool weighted;            /* the training CSVs carry a weight column */
    FILE *csv[2];             /* train, fit */
    FILE *txt[2], *labels[2]; /* valid, test */
    long n[N_SETS], empty;
};

static struct domain domains[16];
static size_t n_domains;

static FILE *open_out(const char *dir, const char *name, const char *set, const char *ext)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.%s.%s", dir, name, set, ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

static struct domain *domain(const char *dir, const char *name, bool weighted)
{
    for (size_t k = 0; k < n_domains; k++)
        if (strcmp(domains[k].name, name) == 0)
            return &domains[k];
    if (n_domains == sizeof(domains) / sizeof(domains[0])) {
        fputs("accuracy_split: too many domains\n", stderr);
        exit(1);
    }
    struct domain *d = &domains[n_domains++];
    memset(d, 0, sizeof(*d));
    snprintf(d->name, sizeof(d->name), "%s", name);
    d->weighted = weighted;
    for (int s = 0; s < 2; s++) {
        d->csv[s] = open_out(dir, name, set_name[S_TRAIN + s], "csv");
        fputs(weighted ? "label,weight,text\n" : "label,text\n", d->csv[s]);
        d->txt[s] = open_out(dir, name, set_name[S_VALID + s], "txt");
        d->labels[s] = open_out(dir, name, set_name[S_VALID + s], "labels");
    }
    return d;
}

static void put_csv(FILE *f, const char *label, const char *weight, const char *a, const char *b)
{
    fprintf(f, "%s,", label);
    if (weight)
        fprintf(f, "%s,", weight);
    fputc('"', f);
    for (const char *s = a; s; s = s == a ? b : NULL)
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
    fputs("\"\n", f);
}

static void put_line(FILE *f, const char *a, const char *b)
{
    for (const char *s = a; s; s = s == a ? b : NULL)
        for (const char *p = s; *p; p++)
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
    fputc('\n', f);
}

static bool blank(const char *s)
{
    for (const char *p = s; p && *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

/* How a file's rows are split: a word list is all training; our own
 * service feedback has no TEST rows (its test is
 * tests/fixtures/service_sentences.tsv), only VALID and FIT. */
enum split { SPLIT_ROWS, SPLIT_NO_TEST, SPLIT_ALL_FIT };

/* The row's text is a, or a and b joined by ". " (b may be NULL); weight
 * goes to the training CSVs of a weighted domain. */
static void write_row(struct domain *d, long row, enum split how, const char *label,
                      const char *weight, const char *a, const char *b)
{
    char *joined = NULL;
    if (b && !blank(a) && !blank(b)) {
        size_t la = strlen(a), lb = strlen(b);
        joined = malloc(la + lb + 3);
        if (!joined)
            abort();
        memcpy(joined, a, la);
        memcpy(joined + la, ". ", 2);
        memcpy(joined + la + 2, b, lb + 1);
        a = joined;
    } else if (b && blank(a)) {
        a = b;
    }
    int set = how == SPLIT_ALL_FIT                ? S_FIT
              : row % 5 == 0 && how == SPLIT_ROWS ? S_TEST
              : row % 5 == 1                      ? S_VALID
                                                  : S_FIT;
    if (set == S_FIT || set == S_VALID) {
        put_csv(d->csv[0], label, d->weighted ? weight : NULL, a, NULL);
        d->n[S_TRAIN]++;
    }
    if (set == S_FIT) {
        put_csv(d->csv[1], label, d->weighted ? weight : NULL, a, NULL);
        d->n[S_FIT]++;
    } else if (blank(a)) {
        d->empty++;
    } else {
        int k = set == S_VALID ? 0 : 1;
        put_line(d->txt[k], a, NULL);
        fprintf(d->labels[k], "%s\n", label);
        d->n[set]++;
    }
    free(joined);
}

static const char *const shop_cats[][2] = {
    {"书籍", "books"},       {"平板", "tablets"},   {"手机", "phones"}, {"水果", "fruit"},
    {"洗发水", "shampoo"},   {"热水器", "heaters"}, {"蒙牛", "dairy"},  {"衣服", "clothes"},
    {"计算机", "computers"}, {"酒店", "hotel"},
};

static const char *shop_domain(const char *cat)
{
    for (size_t k = 0; k < sizeof(shop_cats) / sizeof(shop_cats[0]); k++)
        if (strcmp(cat, shop_cats[k][0]) == 0)
            return shop_cats[k][1];
    fprintf(stderr, "accuracy_split: unknown category \"%s\"\n", cat);
    exit(1);
}

static void lexicon(const char *pos_path, const char *dir)
{
    struct domain *d = domain(dir, "lexicon", false);
    char neg_path[4096];
    const char *p = strstr(pos_path, "positive");
    if (!p) {
        fputs("accuracy_split: lexicon: give the path of the positive list\n", stderr);
        exit(2);
    }
    snprintf(neg_path, sizeof(neg_path), "%.*snegative%s", (int)(p - pos_path), pos_path,
             p + strlen("positive"));
    const char *paths[2] = {pos_path, neg_path};
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(paths[k], "rb");
        if (!f) {
            perror(paths[k]);
            exit(1);
        }
        char line[256];
        while (fgets(line, sizeof(line), f)) {
            line[strcspn(line, "\r\n")] = '\0';
            /* the lists' own comments start with ";" */
            if (line[0] == ';' || blank(line))
                continue;
            write_row(d, 0, SPLIT_ALL_FIT, k == 0 ? "1" : "0", NULL, line, NULL);
        }
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs(
            "usage: accuracy_split waimai|shopping|sentences|ba|alexa|airline|service|lexicon FILE "
            "DIR\n",
            stderr);
        return 2;
    }
    const char *kind = argv[1], *dir = argv[3];
    if (strcmp(kind, "lexicon") == 0) {
        lexicon(argv[2], dir);
    } else {
        bool airline = strcmp(kind, "airline") == 0, shopping = strcmp(kind, "shopping") == 0;
        bool ba = strcmp(kind, "ba") == 0, service = strcmp(kind, "service") == 0;
        if (!airline && !shopping && !ba && !service && strcmp(kind, "waimai") != 0 &&
            strcmp(kind, "sentences") != 0 && strcmp(kind, "alexa") != 0) {
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
        size_t c_label = column(&r, airline ? "airline_sentiment" : ba ? "recommended" : "label");
        size_t c_text = column(&r, shopping || strcmp(kind, "waimai") == 0 ? "review" : "text");
        size_t c_cat = shopping ? column(&r, "cat") : 0;
        size_t c_lang = service ? column(&r, "lang") : 0;
        size_t c_weight = service ? find_column(&r, "weight") : SIZE_MAX;
        size_t c_header = ba ? column(&r, "header") : 0;
        long row = 0;
        while (read_rec(f, &r)) {
            if (r.n == 1 && r.flen[0] == 0)
                continue;
            row++;
            const char *lab = field(&r, c_label), *label = NULL;
            if (airline)
                label = strcmp(lab, "negative") == 0   ? "0"
                        : strcmp(lab, "neutral") == 0  ? "0.5"
                        : strcmp(lab, "positive") == 0 ? "1"
                                                       : NULL;
            else if (ba)
                label = strcmp(lab, "yes") == 0 ? "1" : strcmp(lab, "no") == 0 ? "0" : NULL;
            else if (strcmp(lab, "0") == 0 || strcmp(lab, "1") == 0 ||
                     (service && strcmp(lab, "0.5") == 0))
                label = lab;
            if (!label) {
                fprintf(stderr, "accuracy_split: %s row %ld: label \"%s\"\n", kind, row, lab);
                return 1;
            }
            const char *text = field(&r, c_text);
            if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
                text += 3;
            const char *name = shopping ? shop_domain(field(&r, c_cat)) : kind;
            if (service)
                name = strcmp(field(&r, c_lang), "zh") == 0 ? "service_zh" : "service_en";
            bool weighted = c_weight != SIZE_MAX;
            const char *weight = weighted ? field(&r, c_weight) : NULL;
            if (ba)
                write_row(domain(dir, name, false), row, SPLIT_ROWS, label, NULL,
                          field(&r, c_header), text);
            else
                write_row(domain(dir, name, weighted), row, service ? SPLIT_NO_TEST : SPLIT_ROWS,
                          label, weight, text, NULL);
        }
        fclose(f);
        free(r.buf);
    }
    for (size_t k = 0; k < n_domains; k++) {
        struct domain *d = &domains[k];
        for (int s = 0; s < 2; s++) {
            if (fclose(d->csv[s]) != 0 || fclose(d->txt[s]) != 0 || fclose(d->labels[s]) != 0) {
                perror(d->name);
                return 1;
            }
        }
        fprintf(stderr, "accuracy_split: %s: TRAIN %ld (FIT %ld, VALID %ld), TEST %ld", d->name,
                d->n[S_TRAIN], d->n[S_FIT], d->n[S_VALID], d->n[S_TEST]);
        if (d->empty)
            fprintf(stderr, " (%ld rows with empty text not measured)", d->empty);
        fputc('\n', stderr);
    }
    return 0;
}
