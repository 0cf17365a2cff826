/* Targets: the one small grammar department KPIs and the journey map share,
 * and the one rule that turns an actual into green, amber or red. */
#include "config.h"

#include "jobs/base/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a target may name are the catalogue's metrics marked target
 * (jobs/config/metrics.c), scoped to the department by the KPI engine: its
 * touchpoints' responses, its cases, or the topic named. */
const struct metric *config_target_metric(const char *name)
{
    const struct metric *m = metric_find(name);
    return m && m->target && !strcmp(m->code, name) ? m : NULL;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A number, "%" dividing by 100.  Returns the end, or NULL. */
static const char *parse_number(const char *p, double *out, bool *percent)
{
    char *end;
    errno = 0;
    double v = strtod(p, &end);
    if (end == p || errno || !isfinite(v))
        return NULL;
    *percent = *end == '%';
    if (*percent) {
        v /= 100.0;
        end++;
    }
    *out = v;
    return end;
}

static void metric_names(struct strbuf *sb)
{
    for (const struct metric *m = metric_catalogue; m->code; m++)
        if (m->target)
            strbuf_addf(sb, "%s%s%s", sb->len ? ", " : "", m->code,
                        m->needs_topic ? "(topic)" : "");
}

enum vr_status config_parse_target(struct target *out, const char *text, const char *fixed_metric,
                                   struct vr_error *err)
{
    memset(out, 0, sizeof(*out));
    const char *p = skip_space(text);
    char name[64] = "", arg[65] = "";
    if (fixed_metric) {
        snprintf(name, sizeof(name), "%s", fixed_metric);
    } else {
        size_t n = 0;
        while (n + 1 < sizeof(name) && (islower((unsigned char)p[n]) ||
                                        isdigit((unsigned char)p[n]) || p[n] == '_' || p[n] == '.'))
            n++;
        memcpy(name, p, n);
        name[n] = '\0';
        p = skip_space(p + n);
        if (*p == '(') {
            p = skip_space(p + 1);
            size_t k = 0;
            while (k + 1 < sizeof(arg) && (isalnum((unsigned char)p[k]) || p[k] == '_' ||
                                           p[k] == '-' || p[k] == '.'))
                k++;
            memcpy(arg, p, k);
            arg[k] = '\0';
            p = skip_space(p + k);
            if (!k || *p != ')')
                return vr_fail(err, VR_ERR_CONFIG, "expected \"%s(topic_code)\"", name);
            p = skip_space(p + 1);
        }
    }
    const struct metric *m = config_target_metric(name);
    if (!m) {
        struct strbuf sb;
        strbuf_init(&sb);
        metric_names(&sb);
        vr_fail(err, VR_ERR_CONFIG, "unknown metric \"%s\" (expected one of %s)", name, sb.buf);
        strbuf_release(&sb);
        return VR_ERR_CONFIG;
    }
    if (m->needs_topic && !*arg)
        return vr_fail(err, VR_ERR_CONFIG, "%s needs a topic: %s(topic_code)", name, name);
    if (!m->needs_topic && *arg)
        return vr_fail(err, VR_ERR_CONFIG, "%s takes no argument", name);
    if (!strncmp(p, ">=", 2))
        out->lower_is_better = 0;
    else if (!strncmp(p, "<=", 2))
        out->lower_is_better = 1;
    else
        return vr_fail(err, VR_ERR_CONFIG,
                       "expected \">=\" (higher is better) or \"<=\" (lower is better) after %s",
                       name);
    p = skip_space(p + 2);
    bool percent = false;
    const char *end = parse_number(p, &out->value, &percent);
    if (!end)
        return vr_fail(err, VR_ERR_CONFIG, "expected a number after the comparison");
    bool is_rate = m->unit == UNIT_SHARE;
    if (percent && !is_rate)
        return vr_fail(err, VR_ERR_CONFIG, "%s is not a rate: write its target without %%", name);
    p = skip_space(end);
    if (!strncmp(p, "amber", 5)) {
        bool amber_percent = false;
        end = parse_number(skip_space(p + 5), &out->amber, &amber_percent);
        if (!end || out->amber < 0)
            return vr_fail(err, VR_ERR_CONFIG, "expected a margin of 0 or more after \"amber\"");
        if (amber_percent && !is_rate)
            return vr_fail(err, VR_ERR_CONFIG, "%s is not a rate: write its margin without %%",
                           name);
        p = skip_space(end);
    }
    if (*p)
        return vr_fail(err, VR_ERR_CONFIG, "unexpected \"%s\" (the form is \"%s%s >= 45 amber 5\")",
                       p, fixed_metric ? "" : name, fixed_metric ? "" : "");
    if (out->value < m->min || out->value > m->max)
        return vr_fail(err, VR_ERR_CONFIG, "%s target %g is outside %g to %g%s", name, out->value,
                       m->min, m->max, is_rate ? " (write rates as 90% or 0.9)" : "");
    out->metric = xstrdup(name);
    out->arg = *arg ? xstrdup(arg) : NULL;
    return VR_OK;
}

void config_free_target(struct target *t)
{
    free(t->metric);
    free(t->arg);
    memset(t, 0, sizeof(*t));
}

const char *target_status(const struct target *t, bool has_actual, double actual)
{
    if (!t->metric || !has_actual)
        return "grey";
    /* A tolerance of a millionth of the scale keeps 0.9 from failing "90%"
     * on binary rounding of the actual. */
    double eps = 1e-9 * fmax(1.0, fabs(t->value));
    double shortfall = t->lower_is_better ? actual - t->value : t->value - actual;
    if (shortfall <= eps)
        return "green";
    if (shortfall <= t->amber + eps)
        return "amber";
    return "red";
}
