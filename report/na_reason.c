/* Why a figure is n/a; the contract is in na_reason.h. */
#include "na_reason.h"

#include "jobs/base/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The words of one flag word, or NULL: its own text (na.no_prior_period),
 * else a source view's gap (no_<view>, empty_<view>). */
static char *reason_of_word(const struct texts *t, const char *word)
{
    char *key = xstrfmt("na.%s", word);
    const char *own = texts_get(t, key);
    char *out = strcmp(own, key) ? xstrdup(own) : NULL;
    free(key);
    if (out)
        return out;
    bool absent = !strncmp(word, "no_", 3), empty = !strncmp(word, "empty_", 6);
    if (!absent && !empty)
        return NULL;
    const char *view = word + (absent ? 3 : 6);
    char *vkey = xstrfmt("na.view_%s", view);
    const char *name = texts_get(t, vkey);
    char *words = xstrdup(strcmp(name, vkey) ? name : view);
    for (char *c = words; *c; c++)
        if (*c == '_')
            *c = ' ';
    out = texts_format(t, absent ? "na.no_view" : "na.empty_view", "view", words, (char *)NULL);
    free(vkey);
    free(words);
    return out;
}

char *na_reason(const struct texts *t, const struct kpi *k)
{
    if (!k || !k->flag)
        return NULL;
    /* The first word that gives a reason: a gap says more than low_sample. */
    for (const char *w = k->flag; *w;) {
        size_t len = strcspn(w, ",");
        char *word = xstrfmt("%.*s", (int)len, w);
        char *r = reason_of_word(t, word);
        free(word);
        if (r)
            return r;
        w += len + (w[len] ? 1 : 0);
    }
    return NULL;
}
