/* Finance's export: every figure of the run, one row each, for loading into
 * their own tools.  RFC 4180 quoting, UTF-8 with a byte order mark (Excel
 * reads a file without one in the machine's code page: Chinese names would
 * come out garbled).  Money is written rounded to the cent, as finance
 * books it (binary doubles print 5851008.3200000003 at full precision);
 * every other number with full precision, so a reload equals kpi_values
 * (docs/decisions.md "The figures CSV"). */
#include "render.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"
#include "jobs/config/metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void field(FILE *f, const char *raw, bool last)
{
    /* A SQL_ASCII source can hand any bytes to a dimension: finance's tools
     * get valid UTF-8 whatever it held. */
    char *clean = raw ? utf8_clean(raw, strlen(raw), NULL) : NULL;
    const char *s = clean ? clean : raw;
    if (s && strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else if (s) {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
    free(clean);
}

/* Money to the cent ("-0.00" never: a cent rounded away is 0.00); else
 * the shortest text that reads back as the same double. */
static void csv_value(char *buf, size_t n, const struct kpi *k)
{
    const struct metric *mt = metric_find(k->code);
    if (mt && mt->unit == UNIT_MONEY) {
        snprintf(buf, n, "%.2f", k->value);
        if (!strcmp(buf, "-0.00"))
            snprintf(buf, n, "0.00");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, k->value);
        if (strtod(buf, NULL) == k->value)
            return;
    }
}

enum vr_status render_csv_figures(const struct render_ctx *ctx, const char *path,
                                  struct vr_error *err)
{
    const struct model *m = ctx->m;
    FILE *f = fopen(path, "w");
    if (!f)
        return vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": %s", path, strerror(errno));
    char run[32];
    snprintf(run, sizeof(run), "%lld", m->run_id);
    fputs("\xEF\xBB\xBF", f); /* UTF-8 byte order mark */
    fputs("run_id,code,dims,value,n,flag,period_start,period_end,as_of\r\n", f);
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        char value[64] = "", n[32] = "";
        if (k->has_value)
            csv_value(value, sizeof(value), k);
        if (k->n >= 0)
            snprintf(n, sizeof(n), "%lld", k->n);
        field(f, run, false);
        field(f, k->code, false);
        field(f, k->dims, false);
        field(f, value, false);
        field(f, n, false);
        field(f, k->flag ? k->flag : "", false);
        field(f, m->period_start, false);
        field(f, m->period_end, false);
        field(f, m->as_of, true);
    }
    if (ferror(f) | fclose(f))
        return vr_fail(err, VR_ERR_OUTPUT, "could not write \"%s\": %s", path, strerror(errno));
    return VR_OK;
}
