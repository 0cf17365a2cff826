#include "texts.h"

#include "jobs/base/ini_file.h"
#include "jobs/base/strbuf.h"
#include "jobs/config/metrics.h"
#include "jobs/model/model.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
    char *key;
    char *value;
};

struct texts {
    struct text *items;
    size_t n, cap;
};

static const char *const locales[] = {"en_US", "zh_CN"};

static enum vr_status on_text(void *user, const char *section, const char *key, const char *value,
                              int line, struct vr_error *err)
{
    struct texts *t = user;
    (void)line;
    (void)err;
    char *full = *section ? xstrfmt("%s.%s", section, key) : xstrdup(key);
    for (size_t i = 0; i < t->n; i++) {
        if (!strcmp(t->items[i].key, full)) {
            free(t->items[i].value);
            t->items[i].value = xstrdup(value);
            free(full);
            return VR_OK;
        }
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->items = xrealloc(t->items, t->cap * sizeof(*t->items));
    }
    t->items[t->n].key = full;
    t->items[t->n].value = xstrdup(value);
    t->n++;
    return VR_OK;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_ini(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 4 && !strcmp(d->d_name + n - 4, ".ini") && d->d_name[0] != '.';
}

enum vr_status texts_load(struct texts **out, const char *dir, const char *locale,
                          struct vr_error *err)
{
    struct diag d;
    diag_init(&d);
    enum vr_status st = texts_load_all(out, dir, locale, &d);
    diag_first(&d, err);
    diag_release(&d);
    return st;
}

enum vr_status texts_load_all(struct texts **out, const char *dir, const char *locale,
                              struct diag *d)
{
    *out = NULL;
    size_t before = d->n;
    size_t i;
    for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
        if (!strcmp(locale, locales[i]))
            break;
    if (i == sizeof(locales) / sizeof(locales[0])) {
        diag_add(d, VR_ERR_CONFIG, "unknown locale \"%s\" (expected en_US or zh_CN)", locale);
        return VR_ERR_CONFIG;
    }

    char *ldir = xstrfmt("%s/%s", dir, locale);
    struct dirent **names = NULL;
    int n = scandir(ldir, &names, is_ini, by_name);
    if (n <= 0) {
        diag_add(d, VR_ERR_CONFIG, "no texts for locale \"%s\" in \"%s\"", locale, ldir);
        free(names);
        free(ldir);
        return VR_ERR_CONFIG;
    }
    struct texts *t = xcalloc(1, sizeof(*t));
    /* Each file on its own: one damaged file does not hide another's errors. */
    for (int k = 0; k < n; k++) {
        char *path = xstrfmt("%s/%s", ldir, names[k]->d_name);
        ini_file_parse_all(path, on_text, t, d);
        free(path);
        free(names[k]);
    }
    free(names);
    free(ldir);
    if (d->n > before) {
        texts_free(t);
        return d->entries[before].status;
    }
    *out = t;
    return VR_OK;
}

void texts_free(struct texts *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].key);
        free(t->items[i].value);
    }
    free(t->items);
    free(t);
}

const char *texts_get(const struct texts *t, const char *key)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (!strcmp(t->items[i].key, key))
            return t->items[i].value;
    return key;
}

char *texts_format(const struct texts *t, const char *key, ...)
{
    const char *tmpl = texts_get(t, key);
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = tmpl; *p;) {
        const char *close = (*p == '{') ? strchr(p, '}') : NULL;
        if (!close) {
            strbuf_add(&sb, p, 1);
            p++;
            continue;
        }
        size_t nlen = (size_t)(close - p - 1);
        const char *val = NULL;
        va_list ap;
        va_start(ap, key);
        for (const char *name; (name = va_arg(ap, const char *));) {
            const char *v = va_arg(ap, const char *);
            if (strlen(name) == nlen && !strncmp(name, p + 1, nlen)) {
                val = v;
                break;
            }
        }
        va_end(ap);
        if (val) {
            strbuf_adds(&sb, val);
            p = close + 1;
        } else {
            strbuf_add(&sb, p, 1);
            p++;
        }
    }
    return strbuf_detach(&sb);
}

char *fmt_number(const struct texts *t, double v, int decimals)
{
    if (!isfinite(v))
        return xstrdup(texts_get(t, "format.na"));
    const char *sep = texts_get(t, "format.thousands");
    if (!strcmp(sep, "format.thousands"))
        sep = ",";
    char digits[64];
    snprintf(digits, sizeof(digits), "%.*f", decimals, fabs(v));
    /* "-0.0" would read as a loss: print the sign only for a visible value. */
    bool negative = v < 0 && strspn(digits, "0.") != strlen(digits);
    char *dot = strchr(digits, '.');
    size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
    struct strbuf sb;
    strbuf_init(&sb);
    if (negative)
        strbuf_adds(&sb, "-");
    for (size_t i = 0; i < int_len; i++) {
        if (i && (int_len - i) % 3 == 0)
            strbuf_adds(&sb, sep);
        strbuf_add(&sb, digits + i, 1);
    }
    if (dot)
        strbuf_adds(&sb, dot);
    return strbuf_detach(&sb);
}

/* A formatted number of percent points as a percentage; frees num. */
static char *percent_of(const struct texts *t, char *num)
{
    char *out = texts_format(t, "format.percent", "value", num, (char *)NULL);
    if (!strcmp(out, "format.percent")) {
        free(out);
        out = xstrfmt("%s %%", num);
    }
    free(num);
    return out;
}

char *fmt_percent(const struct texts *t, double fraction, int decimals)
{
    return percent_of(t, fmt_number(t, fraction * 100.0, decimals));
}

char *fmt_roi(const struct texts *t, double fraction)
{
    return percent_of(t, fmt_signed(t, fraction * 100.0, 1));
}

char *fmt_money(const struct texts *t, double v, int decimals)
{
    return fmt_number(t, v, decimals);
}

char *fmt_score(const struct texts *t, double v)
{
    return fmt_number(t, v, fabs(v - round(v)) < 0.05 ? 0 : 1);
}

char *fmt_signed(const struct texts *t, double v, int decimals)
{
    char *s = fmt_number(t, v, decimals);
    if (v > 0 && strspn(s, "0.,") != strlen(s)) {
        char *plus = xstrfmt("+%s", s);
        free(s);
        return plus;
    }
    return s;
}

char *fmt_count(const struct texts *t, long long n)
{
    return fmt_number(t, (double)n, 0);
}

char *fmt_slope(const struct texts *t, double v)
{
    char *s = fmt_signed(t, v, metric_decimals(metric_find("corr.slope"), v));
    char *dot = strchr(s, '.');
    if (dot) {
        char *end = s + strlen(s);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    return s;
}

char *label_in_sentence(const char *label)
{
    char *s = xstrdup(label);
    if (s[0] >= 'A' && s[0] <= 'Z' && (s[1] < 'A' || s[1] > 'Z'))
        s[0] = (char)(s[0] - 'A' + 'a');
    return s;
}

char *texts_dim_label(const struct texts *t, const struct model *m, const char *key,
                      const char *value)
{
    /* The template's per-locale department name stays first here: the
     * config's, in the run's locale, is the "department" label that
     * model_label gives every page. */
    const char *company = strcmp(key, "department") ? model_find_label(m, key, value) : NULL;
    if (company)
        return xstrdup(company);
    if (!strcmp(value, "unknown"))
        return xstrdup(texts_get(t, "dims.unknown"));
    char *k = xstrfmt("%s.%s", key, value);
    const char *name = texts_get(t, k);
    char *out;
    if (name != k && strcmp(name, k)) {
        out = xstrdup(name);
    } else {
        out = xstrdup(value);
        for (char *c = out; *c; c++)
            if (*c == '_')
                *c = ' ';
        if (*out >= 'a' && *out <= 'z')
            *out = (char)(*out - 'a' + 'A');
    }
    free(k);
    return out;
}

char *fmt_metric(const struct texts *t, const char *metric, double v)
{
    const struct metric *m = metric_find(metric);
    switch (m ? m->unit : UNIT_SCORE) {
    case UNIT_SHARE:
        return fmt_percent(t, v, m->decimals);
    case UNIT_COUNT:
    case UNIT_MEAN:
    case UNIT_MONEY:
    case UNIT_NUMBER:
        return fmt_number(t, v, metric_decimals(m, v));
    default:
        return fmt_score(t, v);
    }
}

const char *metric_label(const struct texts *t, const char *metric)
{
    const struct metric *m = metric_find(metric);
    const char *label = m ? texts_get(t, m->label) : NULL;
    return label && label != m->label ? label : metric;
}

/* A KPI's metric as written in the config ("topic.negative(app_crash)"):
 * its name and topic.  Caller frees both. */
static void split_metric(const char *written, char **metric, char **topic)
{
    const char *open = strchr(written, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close) {
        *metric = xstrfmt("%.*s", (int)(open - written), written);
        *topic = xstrfmt("%.*s", (int)(close - open - 1), open + 1);
    } else {
        *metric = xstrdup(written);
        *topic = NULL;
    }
}

char *metric_words(const struct texts *t, const struct model *m, const char *written)
{
    char *metric, *topic;
    split_metric(written, &metric, &topic);
    const struct metric *entry = metric_find(metric);
    char *out;
    if (metric_label(t, metric) == metric)
        out = xstrdup(written);
    else
        out = texts_format(t, entry->label, "topic", topic ? model_label(m, "topic", topic) : "",
                           (char *)NULL);
    free(metric);
    free(topic);
    return out;
}

char *kpi_words(const struct texts *t, const struct model *m, const char *dims,
                const char *written)
{
    const char *own = model_find_label(m, "kpi_name", dims);
    return own ? xstrdup(own) : metric_words(t, m, written);
}
