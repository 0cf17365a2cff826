/* Names per locale ("name = ...", "name.zh_CN = ..."): the one small form
 * every section that names something uses, parsed and looked up here. */
#include "config.h"

#include "jobs/base/strbuf.h"

#include <stdlib.h>
#include <string.h>

enum vr_status config_names_set(struct names *n, const char *locale, const char *text, int line,
                                struct vr_error *err)
{
    if (!locale) {
        if (n->line)
            return vr_fail(err, VR_ERR_CONFIG, "already set on line %d", n->line);
        free(n->name);
        n->name = xstrdup(text);
        n->line = line;
        return VR_OK;
    }
    size_t i = 0;
    while (config_locales[i] && strcmp(config_locales[i], locale))
        i++;
    if (!config_locales[i]) {
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t k = 0; config_locales[k]; k++)
            strbuf_addf(&sb, "%s%s", k ? " or " : "", config_locales[k]);
        vr_fail(err, VR_ERR_CONFIG, "unknown locale \"%s\" (expected %s)", locale, sb.buf);
        strbuf_release(&sb);
        return VR_ERR_CONFIG;
    }
    for (size_t k = 0; k < n->n; k++)
        if (!strcmp(n->by_locale[k].locale, locale))
            return vr_fail(err, VR_ERR_CONFIG, "already set on line %d", n->by_locale[k].line);
    n->by_locale = xrealloc(n->by_locale, (n->n + 1) * sizeof(*n->by_locale));
    n->by_locale[n->n++] =
        (struct locale_text){.locale = xstrdup(locale), .text = xstrdup(text), .line = line};
    return VR_OK;
}

const char *config_names_get(const struct names *n, const char *locale)
{
    for (size_t k = 0; locale && k < n->n; k++)
        if (!strcmp(n->by_locale[k].locale, locale) && *n->by_locale[k].text)
            return n->by_locale[k].text;
    return n->name && *n->name ? n->name : NULL;
}

void config_names_release(struct names *n)
{
    free(n->name);
    n->name = NULL;
    n->line = 0;
    for (size_t k = 0; k < n->n; k++) {
        free(n->by_locale[k].locale);
        free(n->by_locale[k].text);
    }
    free(n->by_locale);
    n->by_locale = NULL;
    n->n = 0;
}

const char *config_code_name(const struct config *c, const char *kind, const char *code,
                             const char *locale)
{
    for (size_t i = 0; i < c->n_code_names; i++) {
        const struct code_names *cn = &c->code_names[i];
        if (!strcmp(cn->kind, kind) && !strcmp(cn->code, code))
            return config_names_get(&cn->names, locale);
    }
    return NULL;
}
