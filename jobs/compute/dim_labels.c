#include "dim_labels.h"

void dim_labels_add(const struct config *c, const char *locale, struct model *m)
{
    for (size_t i = 0; i < c->n_code_names; i++) {
        const struct code_names *cn = &c->code_names[i];
        const char *name = config_names_get(&cn->names, locale);
        if (name)
            model_add_label(m, cn->kind, cn->code, name);
    }
}
