#include "config.h"

#include "config_digest.h"
#include "jobs/base/diag.h"
#include "jobs/base/ini_file.h"
#include "jobs/base/strbuf.h"
#include "period.h"
#include "schedule.h"

#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum opt_type {
    OPT_STR, OPT_INT, OPT_NUM, OPT_CHOICE, OPT_TZ, OPT_MARGIN, OPT_DATE,
    OPT_LIST,   /* comma-separated codes -> NULL-terminated char ** ("" = NULL) */
    OPT_ADDRS,  /* comma-separated mail addresses, the same */
    OPT_CRON,   /* a cron expression (schedule.h); "" = none */
    OPT_TARGET, /* a journey target "OP VALUE [amber MARGIN]" (struct target) */
};

enum { OPT_NOT_PARAM = 1 }; /* not a figure's parameter: kept out of runs.parameters */

struct option {
    const char *name;
    enum opt_type type;
    size_t offset;
    double min, max;
    const char *def;               /* parsed like a value from the file */
    const char *const *choices;    /* OPT_CHOICE: index stored as int; OPT_TARGET: metric */
    int flags;
};

static const char *const period_names[] = {"previous_month", "month_to_date", "previous_week",
                                           "trailing_days",  "all",           NULL};
static const char *const churn_names[] = {"auto", "explicit", "inactivity", NULL};
const char *const config_locales[] = {"en_US", "zh_CN", NULL};
static const char *const yes_no_names[] = {"no", "yes", NULL};
static const char *const catch_up_names[] = {"latest", "all", NULL};
static const char *const metric_nps[] = {"nps", NULL};
static const char *const metric_csat[] = {"csat", NULL};
static const char *const metric_negative_share[] = {"journey.negative_share", NULL};

#define G(f) offsetof(struct config, f)
#define J(f) offsetof(struct job_config, f)

static const struct option database_opts[] = {
    {"conninfo", OPT_STR, G(conninfo), 0, 0, "", NULL, 0},
    {"source_conninfo", OPT_STR, G(source_conninfo), 0, 0, "", NULL, 0},
    {"source_schema", OPT_STR, G(source_schema), 0, 0, "voc", NULL, 0},
    {"source_time_zone", OPT_TZ, G(source_time_zone), 0, 0, "", NULL, 0},
    {"results_schema", OPT_STR, G(results_schema), 0, 0, "vocreport", NULL, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

static const struct option output_opts[] = {
    {"root", OPT_STR, G(output_root), 0, 0, "reports", NULL, 0},
    {"templates", OPT_STR, G(templates_dir), 0, 0, "", NULL, 0},
    {"font", OPT_STR, G(font), 0, 0, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", NULL, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

/* Parameters of metrics.md with their defaults; recorded in runs.parameters. */
static const struct option job_opts[] = {
    {"period", OPT_CHOICE, J(period), 0, 0, "previous_month", period_names, 0},
    {"trailing_days", OPT_INT, J(trailing_days), 1, 3660, "30", NULL, 0},
    {"time_zone", OPT_TZ, J(time_zone), 0, 0, "UTC", NULL, 0},
    {"locale", OPT_CHOICE, J(locale), 0, 0, "en_US", config_locales, 0},
    {"currency", OPT_STR, J(currency), 0, 0, "", NULL, 0},
    {"min_sample", OPT_INT, J(min_sample), 1, 1000000, "30", NULL, 0},
    {"segment_lookback_months", OPT_INT, J(segment_lookback_months), 1, 120, "12", NULL, 0},
    {"shift_pct", OPT_NUM, J(shift_pct), 0, 1, "0.01", NULL, 0},
    {"gross_margin", OPT_MARGIN, J(gross_margin), 0, 1, "auto", NULL, 0},
    {"churn_floor", OPT_NUM, J(churn_floor), 0.0001, 1, "0.01", NULL, 0},
    {"churn_rule", OPT_CHOICE, J(churn_rule), 0, 0, "auto", churn_names, 0},
    {"inactive_days", OPT_INT, J(inactive_days), 1, 3660, "180", NULL, 0},
    {"max_rejected_share", OPT_NUM, J(max_rejected_share), 0, 1, "0.05", NULL, 0},
    {"max_order_amount", OPT_NUM, J(max_order_amount), 0, 1e15, "1000000", NULL, 0},
    {"cohort_window_months", OPT_INT, J(cohort_window_months), 1, 120, "12", NULL, 0},
    {"outcome_gap_months", OPT_INT, J(outcome_gap_months), 0, 119, "3", NULL, 0},
    {"correlation_months", OPT_INT, J(correlation_months), 6, 120, "24", NULL, 0},
    {"nps_green", OPT_NUM, J(nps_green), -100, 100, "30", NULL, 0},
    {"nps_amber", OPT_NUM, J(nps_amber), -100, 100, "0", NULL, 0},
    {"schedule", OPT_CRON, J(schedule), 0, 0, "", NULL, OPT_NOT_PARAM},
    {"catch_up", OPT_CHOICE, J(catch_up), 0, 0, "latest", catch_up_names, OPT_NOT_PARAM},
    {"max_catch_up", OPT_INT, J(max_catch_up), 1, 366, "31", NULL, OPT_NOT_PARAM},
    {"executives", OPT_ADDRS, J(executives), 0, 0, "", NULL, OPT_NOT_PARAM},
    {"finance", OPT_ADDRS, J(finance), 0, 0, "", NULL, OPT_NOT_PARAM},
    {"service", OPT_ADDRS, J(service), 0, 0, "", NULL, OPT_NOT_PARAM},
    {"owner", OPT_ADDRS, J(owner), 0, 0, "", NULL, OPT_NOT_PARAM},
    {"departments", OPT_LIST, J(departments), 0, 0, "", NULL, OPT_NOT_PARAM},
    {"gate_freshness_hours", OPT_INT, J(gate_freshness_hours), 0, 8760, "0", NULL, OPT_NOT_PARAM},
    {"gate_row_change_pct", OPT_NUM, J(gate_row_change_pct), 0, 1000, "0", NULL, OPT_NOT_PARAM},
    {"gate_min_responses", OPT_INT, J(gate_min_responses), 0, 1000000, "0", NULL, OPT_NOT_PARAM},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

#define D(f) offsetof(struct department, f)

/* [department.CODE]; its KPIs are the keys "kpi.NAME" (see on_pair). */
static const struct option department_opts[] = {
    {"name", OPT_STR, D(name), 0, 0, "", NULL, 0},
    {"head", OPT_ADDRS, D(head), 0, 0, "", NULL, 0},
    {"recipients", OPT_ADDRS, D(recipients), 0, 0, "", NULL, 0},
    {"touchpoints", OPT_LIST, D(touchpoints), 0, 0, "", NULL, 0},
    {"topics", OPT_LIST, D(topics), 0, 0, "", NULL, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

#define JR(f) (offsetof(struct config, journey) + offsetof(struct journey_config, f))

static const struct option journey_opts[] = {
    {"touchpoints", OPT_LIST, JR(touchpoints), 0, 0, "", NULL, 0},
    {"nps", OPT_TARGET, JR(nps), 0, 0, "", metric_nps, 0},
    {"csat", OPT_TARGET, JR(csat), 0, 0, "", metric_csat, 0},
    {"negative_share", OPT_TARGET, JR(negative_share), 0, 0, "", metric_negative_share, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

#define M(f) (offsetof(struct config, mail) + offsetof(struct mail_config, f))

static const struct option mail_opts[] = {
    {"url", OPT_STR, M(url), 0, 0, "", NULL, 0},
    {"from", OPT_STR, M(from), 0, 0, "", NULL, 0},
    {"starttls", OPT_CHOICE, M(starttls), 0, 0, "yes", yes_no_names, 0},
    {"username", OPT_STR, M(username), 0, 0, "", NULL, 0},
    {"password_file", OPT_STR, M(password_file), 0, 0, "", NULL, 0},
    {"ca_file", OPT_STR, M(ca_file), 0, 0, "", NULL, 0},
    {"max_attempts", OPT_INT, M(max_attempts), 1, 20, "4", NULL, 0},
    {"retry_seconds", OPT_INT, M(retry_seconds), 0, 3600, "30", NULL, 0},
    {"timeout_seconds", OPT_INT, M(timeout_seconds), 1, 3600, "120", NULL, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

/* Relative paths are taken from the installed or source data folder. */
static const struct option classify_opts[] = {
    {"taxonomy", OPT_STR, G(taxonomy), 0, 0, "", NULL, 0},
    {"sentiment_model", OPT_STR, G(sentiment_model), 0, 0, "", NULL, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

/* [touchpoint.CODE], [channel.CODE], [segment.CODE]: only "name" and
 * "name.<locale>" (config_names.c), so no option of their own. */
static const struct option code_name_opts[] = {
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};
static const char *const code_name_kinds[] = {"touchpoint", "channel", "segment", NULL};

/* Sections with a code after the dot, and the fixed ones: what a misspelt
 * section name is compared with. */
static const char *const coded_sections[] = {"department", "experiment", "touchpoint",
                                             "channel",    "segment",    NULL};
static const char *const fixed_sections[] = {"database", "output",  "classify",
                                             "mail",     "journey", NULL};

#define E(f) offsetof(struct experiment_config, f)

/* metrics.md "Closed-loop retention experiment" with its defaults. */
static const struct option experiment_opts[] = {
    {"start", OPT_DATE, E(start), 0, 0, "", NULL, 0},
    {"enrollment_days", OPT_INT, E(enrollment_days), 1, 3660, "30", NULL, 0},
    {"risk_lookback_days", OPT_INT, E(risk_lookback_days), 1, 3660, "90", NULL, 0},
    {"nps_max", OPT_INT, E(nps_max), 0, 10, "6", NULL, 0},
    {"treatment_share", OPT_NUM, E(treatment_share), 0.01, 0.99, "0.5", NULL, 0},
    {"response_deadline_hours", OPT_INT, E(response_deadline_hours), 1, 720, "24", NULL, 0},
    {"evaluation_window_months", OPT_INT, E(evaluation_window_months), 1, 60, "6", NULL, 0},
    {"counts_in_roi", OPT_CHOICE, E(counts_in_roi), 0, 0, "yes", yes_no_names, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0},
};

#define MAX_OPTS 48

struct section_state {
    const char *name;
    bool owned_name;
    const struct option *opts;
    void *target;
    int seen_line[MAX_OPTS];
};

struct parse_state {
    struct config *c;
    struct section_state *sections; /* a company may name many codes: no fixed cap */
    size_t n_sections, cap_sections;
    const char *last_section;
    struct diag *diag;
    /* A section whose header was refused: its keys would only repeat why. */
    char *skip_section;
};

/* An error of the rules checked after the whole file: reported, and the
 * checks go on. */
static void report(struct parse_state *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void report(struct parse_state *ps, const char *fmt, ...)
{
    struct vr_error e = {.status = VR_ERR_CONFIG};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
    va_end(ap);
    diag_take(ps->diag, &e);
}

/* Locale choices are stored as strings: the renderers need the name. */
static bool is_string_choice(const struct option *o)
{
    return o->choices == config_locales;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof(size_t));
    }
    return prev[lb];
}

static const char *suggest(const struct option *opts, const char *key)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (const struct option *o = opts; o->name; o++) {
        size_t d = edit_distance(key, o->name);
        if (d < best_d) {
            best_d = d;
            best = o->name;
        }
    }
    return best;
}

/* The closest of names within two edits, or NULL. */
static const char *suggest_name(const char *const *names, const char *s)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; names[i]; i++) {
        size_t d = edit_distance(s, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

static void choices_text(const char *const *choices, struct strbuf *sb)
{
    for (size_t i = 0; choices[i]; i++)
        strbuf_addf(sb, "%s%s", i ? ", " : "", choices[i]);
}

static void free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

/* A bare address: what SMTP's RCPT TO takes.  Display names live in the
 * templates, not here, so a comma can always separate addresses. */
static bool valid_address(const char *a)
{
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@') || strlen(a) > 254)
        return false;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>()[]\\,;:\"", *p))
            return false;
    return strchr(at + 1, '.') != NULL || !strcmp(at + 1, "localhost");
}

static bool valid_code(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return false;
    return true;
}

/* Splits "a, b ,c" into a NULL-terminated list; "" gives NULL.  Each item
 * must pass ok(); *bad receives the first one that does not (or an empty one). */
static char **split_list(const char *value, bool (*ok)(const char *), char **bad)
{
    *bad = NULL;
    if (!*value)
        return NULL;
    char *copy = xstrdup(value);
    char **list = xcalloc(strlen(copy) / 2 + 2, sizeof(char *));
    size_t n = 0;
    char *p = copy;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        if (!len || !ok(p)) {
            *bad = xstrdup(p);
            break;
        }
        for (size_t i = 0; i < n; i++)
            if (!strcmp(list[i], p)) {
                *bad = xstrfmt("%s (listed twice)", p);
                break;
            }
        if (*bad)
            break;
        list[n++] = xstrdup(p);
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    if (*bad) {
        free_list(list);
        return NULL;
    }
    return list;
}

/* Parses one value into its field; where = "file:line" prefix for errors. */
static enum vr_status set_option(const struct option *o, void *target, const char *value,
                                 const char *where, const char *section, struct vr_error *err)
{
    char *field = (char *)target + o->offset;
    char *end;
    switch (o->type) {
    case OPT_STR:
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return VR_OK;
    case OPT_TZ:
        /* An option whose default is empty may be left empty: not set. */
        if (!schedule_time_zone_valid(value) && (*value || *o->def))
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s: unknown time zone \"%s\" for %s in [%s] (expected an IANA name "
                           "such as Europe/Berlin or Asia/Shanghai)",
                           where, value, o->name, section);
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return VR_OK;
    case OPT_INT: {
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < o->min || v > o->max)
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s: invalid value \"%s\" for %s in [%s]: expected a whole number "
                           "from %.0f to %.0f",
                           where, value, o->name, section, o->min, o->max);
        *(int *)field = (int)v;
        return VR_OK;
    }
    case OPT_NUM: {
        errno = 0;
        double v = strtod(value, &end);
        if (errno || end == value || *end || !isfinite(v) || v < o->min || v > o->max)
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s: invalid value \"%s\" for %s in [%s]: expected a number from %g "
                           "to %g",
                           where, value, o->name, section, o->min, o->max);
        *(double *)field = v;
        return VR_OK;
    }
    case OPT_DATE:
        if (*value && !period_valid_date(value))
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s: invalid value \"%s\" for %s in [%s]: expected a date YYYY-MM-DD",
                           where, value, o->name, section);
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return VR_OK;
    case OPT_MARGIN: {
        if (strcmp(value, "auto")) {
            errno = 0;
            double v = strtod(value, &end);
            if (errno || end == value || *end || !isfinite(v) || v < o->min || v > o->max)
                return vr_fail(err, VR_ERR_CONFIG,
                               "%s: invalid value \"%s\" for %s in [%s]: expected \"auto\" or a "
                               "fraction from 0 to 1",
                               where, value, o->name, section);
        }
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return VR_OK;
    }
    case OPT_LIST:
    case OPT_ADDRS: {
        char *bad;
        char **list = split_list(value, o->type == OPT_LIST ? valid_code : valid_address, &bad);
        if (bad) {
            vr_fail(err, VR_ERR_CONFIG,
                    o->type == OPT_LIST
                        ? "%s: invalid item \"%s\" in %s in [%s]: expected codes of letters, "
                          "digits, '_', '-' and '.', separated by commas"
                        : "%s: invalid address \"%s\" in %s in [%s]: expected bare addresses "
                          "such as ops@example.com, separated by commas",
                    where, bad, o->name, section);
            free(bad);
            return VR_ERR_CONFIG;
        }
        free_list(*(char ***)field);
        *(char ***)field = list;
        return VR_OK;
    }
    case OPT_CRON: {
        struct schedule sch;
        struct vr_error e2 = {0};
        if (*value && schedule_parse(&sch, value, &e2) != VR_OK)
            return vr_fail(err, VR_ERR_CONFIG, "%s: invalid %s \"%s\" in [%s]: %s", where,
                           o->name, value, section, e2.msg);
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        return VR_OK;
    }
    case OPT_TARGET: {
        struct target *t = (struct target *)field;
        struct target parsed = {0};
        struct vr_error e2 = {0};
        if (*value && config_parse_target(&parsed, value, o->choices[0], &e2) != VR_OK)
            return vr_fail(err, VR_ERR_CONFIG, "%s: invalid target \"%s\" for %s in [%s]: %s",
                           where, value, o->name, section, e2.msg);
        config_free_target(t);
        *t = parsed;
        return VR_OK;
    }
    case OPT_CHOICE:
        for (int i = 0; o->choices[i]; i++) {
            if (!strcmp(o->choices[i], value)) {
                if (is_string_choice(o)) {
                    free(*(char **)field);
                    *(char **)field = xstrdup(value);
                } else {
                    *(int *)field = i;
                }
                return VR_OK;
            }
        }
        struct strbuf sb;
        strbuf_init(&sb);
        choices_text(o->choices, &sb);
        vr_fail(err, VR_ERR_CONFIG, "%s: invalid value \"%s\" for %s in [%s]: expected one of %s",
                where, value, o->name, section, sb.buf);
        strbuf_release(&sb);
        return VR_ERR_CONFIG;
    }
    return VR_OK;
}

static enum vr_status set_defaults(const struct option *opts, void *target, const char *section,
                                   struct vr_error *err)
{
    for (const struct option *o = opts; o->name; o++) {
        enum vr_status st = set_option(o, target, o->def, "default", section, err);
        if (st != VR_OK)
            return st;
    }
    return VR_OK;
}

static bool valid_job_name(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* "touchpoint.x" and the like: the kind, or NULL. */
static const char *code_name_kind(const char *name)
{
    const char *dot = strchr(name, '.');
    for (size_t i = 0; dot && code_name_kinds[i]; i++)
        if (strlen(code_name_kinds[i]) == (size_t)(dot - name) &&
            !strncmp(name, code_name_kinds[i], (size_t)(dot - name)))
            return code_name_kinds[i];
    return NULL;
}

/* A section that is no job: a misspelt one is named as such. */
static void unknown_section(const struct config *c, const char *name, int line,
                            struct vr_error *err)
{
    const char *dot = strchr(name, '.');
    if (!dot) {
        vr_fail(err, VR_ERR_CONFIG,
                "%s:%d: invalid job name [%s]: use letters, digits, '_' and '-' (at most 64)",
                c->path, line, name);
        return;
    }
    char *prefix = xstrfmt("%.*s", (int)(dot - name), name);
    const char *hint = suggest_name(coded_sections, prefix);
    if (hint)
        vr_fail(err, VR_ERR_CONFIG, "%s:%d: unknown section \"%s\"; did you mean \"%s%s\"?",
                c->path, line, name, hint, dot);
    else
        vr_fail(err, VR_ERR_CONFIG,
                "%s:%d: unknown section \"%s\" (a section with a dot is [department.CODE], "
                "[experiment.NAME], [touchpoint.CODE], [channel.CODE] or [segment.CODE])",
                c->path, line, name);
    free(prefix);
}

static struct section_state *open_section(struct parse_state *ps, const char *name, int line,
                                          struct vr_error *err)
{
    for (size_t i = 0; i < ps->n_sections; i++) {
        if (!strcmp(ps->sections[i].name, name)) {
            if (ps->last_section && strcmp(ps->last_section, name)) {
                vr_fail(err, VR_ERR_CONFIG, "%s:%d: section [%s] appears a second time",
                        ps->c->path, line, name);
                return NULL;
            }
            return &ps->sections[i];
        }
    }
    if (ps->n_sections == ps->cap_sections) {
        ps->cap_sections = ps->cap_sections ? 2 * ps->cap_sections : 16;
        ps->sections = xrealloc(ps->sections, ps->cap_sections * sizeof(*ps->sections));
    }
    struct section_state *s = &ps->sections[ps->n_sections];
    memset(s, 0, sizeof(*s));
    struct config *c = ps->c;
    if (!strcmp(name, "database")) {
        s->opts = database_opts;
        s->target = c;
        s->name = "database";
    } else if (!strcmp(name, "output")) {
        s->opts = output_opts;
        s->target = c;
        s->name = "output";
    } else if (!strncmp(name, "experiment.", 11)) {
        const char *ename = name + 11;
        if (!valid_job_name(ename)) {
            vr_fail(err, VR_ERR_CONFIG,
                    "%s:%d: invalid experiment name [%s]: use letters, digits, '_' and '-'",
                    c->path, line, name);
            return NULL;
        }
        c->experiments = xrealloc(c->experiments, (c->n_experiments + 1) * sizeof(*c->experiments));
        struct experiment_config *x = &c->experiments[c->n_experiments++];
        memset(x, 0, sizeof(*x));
        x->name = xstrdup(ename);
        x->line = line;
        if (set_defaults(experiment_opts, x, name, err) != VR_OK)
            return NULL;
        s->opts = experiment_opts;
        s->target = NULL; /* looked up by name: the array may move */
        s->name = xstrdup(name);
        s->owned_name = true;
    } else if (!strncmp(name, "department.", 11)) {
        const char *code = name + 11;
        if (!valid_job_name(code)) {
            vr_fail(err, VR_ERR_CONFIG,
                    "%s:%d: invalid department code [%s]: use letters, digits, '_' and '-'",
                    c->path, line, name);
            return NULL;
        }
        c->depts = xrealloc(c->depts, (c->n_depts + 1) * sizeof(*c->depts));
        struct department *d = &c->depts[c->n_depts++];
        memset(d, 0, sizeof(*d));
        d->code = xstrdup(code);
        d->line = line;
        if (set_defaults(department_opts, d, name, err) != VR_OK)
            return NULL;
        s->opts = department_opts;
        s->target = NULL; /* looked up by code: the array may move */
        s->name = xstrdup(name);
        s->owned_name = true;
    } else if (!strcmp(name, "journey")) {
        s->opts = journey_opts;
        s->target = c;
        s->name = "journey";
    } else if (!strcmp(name, "mail")) {
        s->opts = mail_opts;
        s->target = c;
        s->name = "mail";
    } else if (!strcmp(name, "classify")) {
        s->opts = classify_opts;
        s->target = c;
        s->name = "classify";
    } else if (code_name_kind(name)) {
        const char *code = strchr(name, '.') + 1;
        if (!valid_code(code)) {
            vr_fail(err, VR_ERR_CONFIG,
                    "%s:%d: invalid code [%s]: use letters, digits, '_', '-' and '.', as the "
                    "source data writes it",
                    c->path, line, name);
            return NULL;
        }
        c->code_names = xrealloc(c->code_names, (c->n_code_names + 1) * sizeof(*c->code_names));
        struct code_names *cn = &c->code_names[c->n_code_names++];
        memset(cn, 0, sizeof(*cn));
        cn->kind = xstrfmt("%.*s", (int)(code - 1 - name), name);
        cn->code = xstrdup(code);
        cn->line = line;
        s->opts = code_name_opts;
        s->target = NULL; /* looked up by name: the array may move */
        s->name = xstrdup(name);
        s->owned_name = true;
    } else {
        if (!valid_job_name(name)) {
            unknown_section(c, name, line, err);
            return NULL;
        }
        c->jobs = xrealloc(c->jobs, (c->n_jobs + 1) * sizeof(*c->jobs));
        struct job_config *j = &c->jobs[c->n_jobs++];
        memset(j, 0, sizeof(*j));
        j->name = xstrdup(name);
        j->line = line;
        if (set_defaults(job_opts, j, name, err) != VR_OK)
            return NULL;
        s->opts = job_opts;
        s->target = NULL; /* jobs may move when the array grows: looked up by index */
        s->name = j->name;
    }
    ps->n_sections++;
    return s;
}

/* "kpi.NAME = METRIC[(ARG)] OP VALUE [amber MARGIN]" in a department. */
static enum vr_status add_dept_kpi(struct department *d, const char *name, const char *value,
                                   int line, const char *section, const char *path,
                                   struct vr_error *err)
{
    if (!valid_job_name(name))
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: invalid KPI name \"kpi.%s\" in [%s]: use letters, digits, '_' "
                       "and '-'",
                       path, line, name, section);
    for (size_t i = 0; i < d->n_kpis; i++)
        if (!strcmp(d->kpis[i].name, name))
            return vr_fail(err, VR_ERR_CONFIG, "%s:%d: key \"kpi.%s\" in [%s] already set on line %d",
                           path, line, name, section, d->kpis[i].line);
    struct target t = {0};
    struct vr_error e2 = {0};
    if (config_parse_target(&t, value, NULL, &e2) != VR_OK)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: invalid target \"%s\" for kpi.%s in [%s]: %s",
                       path, line, value, name, section, e2.msg);
    d->kpis = xrealloc(d->kpis, (d->n_kpis + 1) * sizeof(*d->kpis));
    d->kpis[d->n_kpis++] = (struct dept_kpi){.name = xstrdup(name), .line = line, .t = t};
    return VR_OK;
}

static const struct option *fixed_section_opts(const char *name)
{
    static const struct {
        const char *name;
        const struct option *opts;
    } fixed[] = {{"database", database_opts},
                 {"output", output_opts},
                 {"classify", classify_opts},
                 {"mail", mail_opts},
                 {"journey", journey_opts}};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (!strcmp(fixed[i].name, name))
            return fixed[i].opts;
    return NULL;
}

static bool has_option(const struct option *opts, const char *key)
{
    for (const struct option *o = opts; o && o->name; o++)
        if (!strcmp(o->name, key))
            return true;
    return false;
}

static struct code_names *code_names_of(struct config *c, const char *section)
{
    for (size_t i = 0; i < c->n_code_names; i++) {
        const struct code_names *cn = &c->code_names[i];
        size_t k = strlen(cn->kind);
        if (!strncmp(section, cn->kind, k) && section[k] == '.' &&
            !strcmp(section + k + 1, cn->code))
            return &c->code_names[i];
    }
    return NULL;
}

/* "name" (locale NULL) or "name.<locale>" of a section, as key says. */
static enum vr_status set_locale_name(struct names *n, const char *locale, const char *value,
                                      int line, const char *section, const char *key,
                                      const char *path, struct vr_error *err)
{
    struct vr_error e2 = {0};
    if (config_names_set(n, locale, value, line, &e2) != VR_OK)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: %s in [%s]: %s", path, line, key, section,
                       e2.msg);
    return VR_OK;
}

/* "kpi_name.NAME[.LOCALE] = TEXT" in a department (NAME is checked against
 * its kpi.NAME keys once the whole file is read: either may come first). */
static enum vr_status add_kpi_label(struct department *d, const char *rest, const char *value,
                                    int line, const char *section, const char *key,
                                    const char *path, struct vr_error *err)
{
    const char *dot = strchr(rest, '.');
    char *kpi = dot ? xstrfmt("%.*s", (int)(dot - rest), rest) : xstrdup(rest);
    struct kpi_label *l = NULL;
    for (size_t i = 0; i < d->n_kpi_labels && !l; i++)
        if (!strcmp(d->kpi_labels[i].kpi, kpi))
            l = &d->kpi_labels[i];
    if (!l) {
        d->kpi_labels = xrealloc(d->kpi_labels, (d->n_kpi_labels + 1) * sizeof(*d->kpi_labels));
        l = &d->kpi_labels[d->n_kpi_labels++];
        *l = (struct kpi_label){.kpi = kpi, .line = line};
    } else {
        free(kpi);
    }
    return set_locale_name(&l->names, dot ? dot + 1 : NULL, value, line, section, key, path, err);
}

/* "name" or "name.<locale>" in a [touchpoint.*], [channel.*] or [segment.*]. */
static enum vr_status set_code_name(struct code_names *cn, const char *key, const char *value,
                                    int line, const char *section, const char *path,
                                    struct vr_error *err)
{
    const char *locale = !strcmp(key, "name") ? NULL : !strncmp(key, "name.", 5) ? key + 5 : "";
    if (locale && !*locale)
        return vr_fail(
            err, VR_ERR_CONFIG, "%s:%d: unknown key \"%s\" in [%s] (%s)", path, line, key, section,
            edit_distance(key, "name") < 3 ? "did you mean \"name\"?"
                                           : "expected name, or name.LOCALE such as name.zh_CN");
    return set_locale_name(&cn->names, locale, value, line, section, key, path, err);
}

static enum vr_status on_pair(void *user, const char *section, const char *key, const char *value,
                              int line, struct vr_error *err)
{
    struct parse_state *ps = user;
    struct config *c = ps->c;
    if (!*section)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: key \"%s\" outside any [section]", c->path,
                       line, key);
    if (ps->skip_section) {
        if (!strcmp(ps->skip_section, section))
            return VR_OK;
        free(ps->skip_section);
        ps->skip_section = NULL;
    }
    struct section_state *s = open_section(ps, section, line, err);
    if (!s) {
        ps->skip_section = xstrdup(section);
        return err->status;
    }
    ps->last_section = s->name;
    void *target = s->target;
    if (!target && s->opts == experiment_opts)
        target = (void *)config_experiment(c, s->name + 11);
    else if (!target && s->opts == department_opts)
        target = (void *)config_department(c, s->name + 11);
    else if (!target && s->opts == code_name_opts)
        target = code_names_of(c, s->name);
    else if (!target)
        target = (void *)config_job(c, s->name);
    if (s->opts == code_name_opts)
        return set_code_name(target, key, value, line, section, c->path, err);
    if (s->opts == department_opts && !strncmp(key, "name.", 5))
        return set_locale_name(&((struct department *)target)->names, key + 5, value, line, section,
                               key, c->path, err);
    if (s->opts == department_opts && !strncmp(key, "kpi_name.", 9))
        return add_kpi_label(target, key + 9, value, line, section, key, c->path, err);
    if (s->opts == department_opts && !strncmp(key, "kpi.", 4))
        return add_dept_kpi(target, key + 4, value, line, section, c->path, err);
    if (s->opts == classify_opts && !strcmp(key, "departments"))
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: departments in [classify] is no longer read: the "
                       "[department.CODE] sections define the departments and the topics each "
                       "owns; delete this line",
                       c->path, line);
    if (s->opts == mail_opts && (strstr(key, "password") || strstr(key, "secret")) &&
        strcmp(key, "password_file"))
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: \"%s\" in [mail]: secrets do not belong in the config; put the "
                       "password in a file named by password_file (mode 0600) or in the "
                       "VOCREPORT_SMTP_PASSWORD environment variable",
                       c->path, line, key);

    size_t idx = 0;
    const struct option *o;
    for (o = s->opts; o->name; o++, idx++)
        if (!strcmp(o->name, key))
            break;
    if (!o->name) {
        /* [databse] reads as a job; its keys say what it was meant to be. */
        const char *meant = s->opts == job_opts ? suggest_name(fixed_sections, section) : NULL;
        if (meant && has_option(fixed_section_opts(meant), key)) {
            ps->skip_section = xstrdup(section);
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s:%d: unknown section \"%s\"; did you mean \"%s\"?", c->path, line,
                           section, meant);
        }
        const char *hint = suggest(s->opts, key);
        if (hint)
            return vr_fail(err, VR_ERR_CONFIG,
                           "%s:%d: unknown key \"%s\" in [%s] (did you mean \"%s\"?)", c->path,
                           line, key, section, hint);
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: unknown key \"%s\" in [%s]", c->path, line,
                       key, section);
    }
    if (s->seen_line[idx])
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: key \"%s\" in [%s] already set on line %d",
                       c->path, line, key, section, s->seen_line[idx]);
    s->seen_line[idx] = line;
    char where[600];
    snprintf(where, sizeof(where), "%s:%d", c->path, line);
    return set_option(o, target, value, where, section, err);
}

/* NULL when a [database] source_conninfo is a connection string
 * postgres_fdw can use (source_link.h), else why not: a static string that
 * quotes nothing of the value, since a fragment of it could be a password. */
static const char *source_conninfo_problem(const char *conninfo)
{
    /* postgres_fdw sets these itself and refuses them as options. */
    static const char *const refused[] = {"client_encoding", "fallback_application_name",
                                          "replication"};
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    if (!opts)
        return "is not a libpq connection string (key=value pairs or a postgresql:// URI)";
    const char *why = NULL;
    for (PQconninfoOption *o = opts; o->keyword && !why; o++)
        for (size_t i = 0; o->val && *o->val && i < sizeof(refused) / sizeof(refused[0]); i++)
            if (!strcmp(o->keyword, refused[i]))
                why = "sets client_encoding, fallback_application_name or replication, which "
                      "postgres_fdw sets itself: remove it";
    PQconninfoFree(opts);
    return why;
}

static int seen_line(const struct parse_state *ps, const char *section, const char *key)
{
    for (size_t i = 0; i < ps->n_sections; i++) {
        const struct section_state *s = &ps->sections[i];
        if (strcmp(s->name, section))
            continue;
        size_t idx = 0;
        for (const struct option *o = s->opts; o->name; o++, idx++)
            if (!strcmp(o->name, key))
                return s->seen_line[idx];
    }
    return 0;
}

static bool in_list(char *const *list, const char *item)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], item))
            return true;
    return false;
}

/* Ownership must be unique, or a department pack could show another
 * department's rows. */
static void check_departments(struct parse_state *ps)
{
    struct config *c = ps->c;
    for (size_t i = 0; i < c->n_depts; i++) {
        struct department *d = &c->depts[i];
        if (!*d->name) {
            free(d->name);
            d->name = xstrdup(d->code);
        }
        if (!d->head)
            report(ps, "%s:%d: [department.%s] needs head = ADDRESS (who receives its pack)",
                   c->path, d->line, d->code);
        for (size_t k = 0; k < d->n_kpi_labels; k++) {
            bool known = false;
            for (size_t j = 0; j < d->n_kpis && !known; j++)
                known = !strcmp(d->kpis[j].name, d->kpi_labels[k].kpi);
            if (!known)
                report(ps, "%s:%d: kpi_name.%s in [department.%s] names no KPI: there is no kpi.%s",
                       c->path, d->kpi_labels[k].line, d->kpi_labels[k].kpi, d->code,
                       d->kpi_labels[k].kpi);
        }
        for (size_t j = 0; j < i; j++) {
            const struct department *o = &c->depts[j];
            for (size_t k = 0; d->touchpoints && d->touchpoints[k]; k++)
                if (in_list(o->touchpoints, d->touchpoints[k]))
                    report(ps,
                           "%s:%d: touchpoint \"%s\" is owned by both [department.%s] and "
                           "[department.%s]",
                           c->path, d->line, d->touchpoints[k], o->code, d->code);
            for (size_t k = 0; d->topics && d->topics[k]; k++)
                if (in_list(o->topics, d->topics[k]))
                    report(ps,
                           "%s:%d: topic \"%s\" is owned by both [department.%s] and "
                           "[department.%s]",
                           c->path, d->line, d->topics[k], o->code, d->code);
        }
    }
    for (size_t i = 0; i < c->n_jobs; i++) {
        const struct job_config *j = &c->jobs[i];
        for (size_t k = 0; j->departments && j->departments[k]; k++)
            if (!config_department(c, j->departments[k]))
                report(ps,
                       "%s:%d: [%s] departments names \"%s\", which has no [department.%s] "
                       "section",
                       c->path, seen_line(ps, j->name, "departments"), j->name, j->departments[k],
                       j->departments[k]);
    }
}

/* Rules that involve more than one key, checked after the whole file;
 * each broken one is reported and the others are still checked. */
static void check_jobs(struct parse_state *ps)
{
    struct config *c = ps->c;
    if (!c->n_jobs)
        report(ps, "%s: no job defined (add a section such as [nightly] with its period)", c->path);
    size_t td_idx = 0;
    while (strcmp(job_opts[td_idx].name, "trailing_days"))
        td_idx++;
    for (size_t i = 0; i < ps->n_sections; i++) {
        const struct section_state *s = &ps->sections[i];
        if (s->opts != job_opts)
            continue;
        const struct job_config *j = config_job(c, s->name);
        if (j->period == PERIOD_TRAILING_DAYS && !s->seen_line[td_idx])
            report(ps, "%s:%d: [%s] has period = trailing_days but no trailing_days = N", c->path,
                   j->line, j->name);
        if (j->outcome_gap_months >= j->cohort_window_months)
            report(ps,
                   "%s:%d: [%s] outcome_gap_months (%d) must be shorter than "
                   "cohort_window_months (%d)",
                   c->path, j->line, j->name, j->outcome_gap_months, j->cohort_window_months);
        if (j->period != PERIOD_TRAILING_DAYS && s->seen_line[td_idx])
            report(ps, "%s:%d: trailing_days in [%s] only applies with period = trailing_days",
                   c->path, s->seen_line[td_idx], j->name);
        if (j->nps_amber > j->nps_green) {
            int line = seen_line(ps, j->name, "nps_amber");
            if (!line)
                line = seen_line(ps, j->name, "nps_green");
            report(ps,
                   "%s:%d: [%s] nps_amber (%g) is above nps_green (%g): NPS is amber from "
                   "nps_amber up to nps_green and green from there; set nps_amber at or below "
                   "nps_green",
                   c->path, line ? line : j->line, j->name, j->nps_amber, j->nps_green);
        }
    }
    if (!*c->output_root)
        report(ps, "%s: [output] root is empty", c->path);
    check_departments(ps);
    if (*c->mail.url && !*c->mail.from)
        report(ps, "%s: [mail] has a url but no from address", c->path);
    if (*c->mail.from && !valid_address(c->mail.from))
        report(ps, "%s: invalid address \"%s\" for from in [mail]: expected a bare address",
               c->path, c->mail.from);
    if (*c->mail.url && strncmp(c->mail.url, "smtp://", 7) && strncmp(c->mail.url, "smtps://", 8))
        report(ps, "%s: [mail] url \"%s\" must start with smtp:// or smtps://", c->path,
               c->mail.url);
    if (*c->mail.username && !strncmp(c->mail.url, "smtp://", 7) && !c->mail.starttls)
        report(ps,
               "%s: [mail] has a username but starttls = no on smtp://: the password would "
               "cross the network in clear text",
               c->path);
    for (size_t i = 0; i < c->n_experiments; i++)
        if (!*c->experiments[i].start)
            report(ps, "%s:%d: [experiment.%s] needs start = YYYY-MM-DD", c->path,
                   c->experiments[i].line, c->experiments[i].name);
}

char *config_data_path(const char *relative)
{
    struct stat st;
    char *p = xstrfmt("%s/%s", VR_SOURCE_DIR, relative);
    if (stat(p, &st) == 0)
        return p;
    free(p);
    return xstrfmt("%s/%s", VR_INSTALLED_DATA_DIR, relative);
}

static void default_path(char **field, const char *relative)
{
    if (**field)
        return;
    free(*field);
    *field = config_data_path(relative);
}

enum vr_status config_load_all(struct config **out, const char *path, struct diag *d)
{
    struct config *c = xcalloc(1, sizeof(*c));
    struct parse_state ps = {.c = c, .diag = d};
    size_t before = d->n;
    struct vr_error err = {0};
    *out = NULL;
    c->path = xstrdup(path);
    enum vr_status st = set_defaults(database_opts, c, "database", &err);
    if (st == VR_OK)
        st = set_defaults(output_opts, c, "output", &err);
    if (st == VR_OK)
        st = set_defaults(classify_opts, c, "classify", &err);
    if (st == VR_OK)
        st = set_defaults(journey_opts, c, "journey", &err);
    if (st == VR_OK)
        st = set_defaults(mail_opts, c, "mail", &err);
    diag_take(d, &err);
    /* A file read only in part (or not at all) would make the rules of
     * several keys report what is merely missing. */
    if (st == VR_OK)
        st = ini_file_parse_all(path, on_pair, &ps, d);
    if (st == VR_OK)
        check_jobs(&ps);
    int conninfo_line = seen_line(&ps, "database", "conninfo");
    int source_line = seen_line(&ps, "database", "source_conninfo");
    const char *source_problem = source_line ? source_conninfo_problem(c->source_conninfo) : NULL;
    if (st == VR_OK && source_problem)
        report(&ps, "%s:%d: [database] source_conninfo %s", path, source_line, source_problem);
    for (size_t i = 0; i < ps.n_sections; i++)
        if (ps.sections[i].owned_name)
            free((char *)ps.sections[i].name);
    free(ps.sections);
    free(ps.skip_section);
    if (st != VR_OK) {
        config_free(c);
        return diag_status(d);
    }
    const char *env_out = getenv("VOCREPORT_OUTPUT_DIR");
    if (env_out && *env_out) {
        free(c->output_root);
        c->output_root = xstrdup(env_out);
    }
    /* run-due starts in a directory that is not the ops person's (systemd:
     * the unit's, cron: the user's home): a relative root would scatter
     * the reports. */
    for (size_t i = 0; c->output_root[0] != '/' && i < c->n_jobs; i++) {
        if (!*c->jobs[i].schedule)
            continue;
        diag_add(d, VR_ERR_CONFIG,
                 "%s: [output] root \"%s\" is relative, but job \"%s\" has a schedule and "
                 "run-due does not start in your directory: use an absolute path such as "
                 "/var/lib/vocreport/reports (or set VOCREPORT_OUTPUT_DIR)",
                 path, c->output_root, c->jobs[i].name);
        config_free(c);
        return diag_status(d);
    }
    default_path(&c->templates_dir, "templates");
    default_path(&c->taxonomy, "config/taxonomy.ini");
    default_path(&c->sentiment_model, "models/sentiment-default.model");
    c->digest = config_digest(path, conninfo_line, source_line);
    *out = c;
    return d->n > before ? d->entries[before].status : VR_OK;
}

enum vr_status config_load(struct config **out, const char *path, struct vr_error *err)
{
    struct diag d;
    diag_init(&d);
    enum vr_status st = config_load_all(out, path, &d);
    if (st != VR_OK) {
        config_free(*out);
        *out = NULL;
        diag_first(&d, err);
    }
    diag_release(&d);
    return st;
}

static void free_fields(const struct option *opts, void *target)
{
    for (const struct option *o = opts; o->name; o++) {
        void *field = (char *)target + o->offset;
        if (o->type == OPT_LIST || o->type == OPT_ADDRS) {
            free_list(*(char ***)field);
            *(char ***)field = NULL;
            continue;
        }
        if (o->type == OPT_TARGET) {
            config_free_target(field);
            continue;
        }
        bool is_str = o->type == OPT_STR || o->type == OPT_TZ || o->type == OPT_MARGIN ||
                      o->type == OPT_DATE || o->type == OPT_CRON ||
                      (o->type == OPT_CHOICE && is_string_choice(o));
        if (is_str) {
            char **p = (char **)((char *)target + o->offset);
            free(*p);
            *p = NULL;
        }
    }
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free_fields(database_opts, c);
    free_fields(output_opts, c);
    free_fields(classify_opts, c);
    for (size_t i = 0; i < c->n_jobs; i++) {
        free_fields(job_opts, &c->jobs[i]);
        free(c->jobs[i].name);
    }
    free(c->jobs);
    for (size_t i = 0; i < c->n_experiments; i++) {
        free_fields(experiment_opts, &c->experiments[i]);
        free(c->experiments[i].name);
    }
    free(c->experiments);
    for (size_t i = 0; i < c->n_depts; i++) {
        struct department *d = &c->depts[i];
        free_fields(department_opts, d);
        for (size_t k = 0; k < d->n_kpis; k++) {
            free(d->kpis[k].name);
            config_free_target(&d->kpis[k].t);
        }
        free(d->kpis);
        for (size_t k = 0; k < d->n_kpi_labels; k++) {
            free(d->kpi_labels[k].kpi);
            config_names_release(&d->kpi_labels[k].names);
        }
        free(d->kpi_labels);
        free(d->code);
        config_names_release(&d->names);
    }
    free(c->depts);
    for (size_t i = 0; i < c->n_code_names; i++) {
        free(c->code_names[i].kind);
        free(c->code_names[i].code);
        config_names_release(&c->code_names[i].names);
    }
    free(c->code_names);
    free_fields(journey_opts, c);
    free_fields(mail_opts, c);
    free(c->path);
    free(c->digest);
    free(c);
}

const struct experiment_config *config_experiment(const struct config *c, const char *name)
{
    for (size_t i = 0; i < c->n_experiments; i++)
        if (!strcmp(c->experiments[i].name, name))
            return &c->experiments[i];
    return NULL;
}

const struct department *config_department(const struct config *c, const char *code)
{
    for (size_t i = 0; i < c->n_depts; i++)
        if (!strcmp(c->depts[i].code, code))
            return &c->depts[i];
    return NULL;
}

const struct job_config *config_job(const struct config *c, const char *name)
{
    for (size_t i = 0; i < c->n_jobs; i++)
        if (!strcmp(c->jobs[i].name, name))
            return &c->jobs[i];
    return NULL;
}

void config_job_params(const struct job_config *j,
                       void (*fn)(void *user, const char *name, const char *value), void *user)
{
    for (const struct option *o = job_opts; o->name; o++) {
        const char *field = (const char *)j + o->offset;
        char buf[64];
        const char *v = buf;
        if ((!strcmp(o->name, "trailing_days") && j->period != PERIOD_TRAILING_DAYS) ||
            (o->flags & OPT_NOT_PARAM))
            continue;
        switch (o->type) {
        case OPT_STR:
        case OPT_TZ:
        case OPT_MARGIN:
        case OPT_DATE:
        case OPT_CRON:
            v = *(char *const *)field;
            break;
        case OPT_LIST:
        case OPT_ADDRS:
        case OPT_TARGET:
            continue; /* delivery and layout settings, never figures' parameters */
        case OPT_INT:
            snprintf(buf, sizeof(buf), "%d", *(const int *)field);
            break;
        case OPT_NUM:
            snprintf(buf, sizeof(buf), "%.15g", *(const double *)field);
            break;
        case OPT_CHOICE:
            v = is_string_choice(o) ? *(char *const *)field : o->choices[*(const int *)field];
            break;
        }
        fn(user, o->name, v);
    }
}

const char *period_rule_name(int rule)
{
    return period_names[rule];
}

const char *churn_rule_name(int rule)
{
    return churn_names[rule];
}
