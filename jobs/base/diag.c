#include "diag.h"

#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(struct diag *d)
{
    memset(d, 0, sizeof(*d));
}

void diag_release(struct diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->entries[i].msg);
    free(d->entries);
    diag_init(d);
}

static void push(struct diag *d, enum vr_status status, char *msg)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->entries = xrealloc(d->entries, d->cap * sizeof(*d->entries));
    }
    d->entries[d->n++] = (struct diag_entry){.status = status, .msg = msg};
}

bool diag_take(struct diag *d, struct vr_error *err)
{
    if (err->status == VR_OK)
        return false;
    push(d, err->status, xstrdup(err->msg));
    err->status = VR_OK;
    err->msg[0] = '\0';
    return true;
}

void diag_add(struct diag *d, enum vr_status status, const char *fmt, ...)
{
    char buf[sizeof(((struct vr_error *)0)->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    push(d, status, xstrdup(buf));
}

enum vr_status diag_first(const struct diag *d, struct vr_error *err)
{
    if (!d->n)
        return VR_OK;
    return vr_fail(err, d->entries[0].status, "%s", d->entries[0].msg);
}

enum vr_status diag_status(const struct diag *d)
{
    /* An internal error outranks a configuration error: it is a bug to
     * report, whatever else the file holds. */
    for (size_t i = 0; i < d->n; i++)
        if (d->entries[i].status == VR_ERR_INTERNAL)
            return VR_ERR_INTERNAL;
    return d->n ? d->entries[0].status : VR_OK;
}

void diag_print(const struct diag *d, FILE *out, const char *prefix)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(out, "%s%s\n", prefix, d->entries[i].msg);
}
