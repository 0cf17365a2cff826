#include "findings_rank.h"

#include "jobs/base/strbuf.h"
#include "kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kinds, in the order ties are broken (docs/decisions.md). */
static const char *const kinds[] = {
    "nps_drop",    "nps_rise",   "nps_decline",         "revenue_at_risk",
    "dept_missed", "experiment", "promoter_to_passive", "satisfied_churned"};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

struct candidates {
    struct finding *v;
    size_t n, cap;
};

static bool value_of(const struct model *m, const char *code, const char *dims, double *out)
{
    return model_value(m, code, dims, out) && isfinite(*out);
}

/* What one customer moved up one NPS class is worth: the lifetime value
 * between a detractor and a passive (as shift.ltv_gain counts it). */
static struct maybe class_step(const struct model *m, const char *from, const char *to)
{
    char f[32], t[32];
    double a, b;
    snprintf(f, sizeof(f), "class=%s", from);
    snprintf(t, sizeof(t), "class=%s", to);
    if (!value_of(m, "class.ltv", f, &a) || !value_of(m, "class.ltv", t, &b))
        return nothing();
    return just(fabs(b - a));
}

/* The subject's dims with finding=<kind> in its sorted place. */
static char *finding_dims(const char *kind, const char *subject)
{
    struct strbuf sb;
    strbuf_init(&sb);
    bool placed = false;
    for (const char *p = subject; *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t klen = strcspn(p, "=;");
        int cmp = strncmp(p, "finding", klen < 7 ? klen : 7);
        if (!placed && (cmp > 0 || (cmp == 0 && klen > 7))) {
            strbuf_addf(&sb, "%sfinding=%s", sb.len ? ";" : "", kind);
            placed = true;
        }
        strbuf_addf(&sb, "%s%.*s", sb.len ? ";" : "", (int)len, p);
        p += len + (end ? 1 : 0);
    }
    if (!placed)
        strbuf_addf(&sb, "%sfinding=%s", sb.len ? ";" : "", kind);
    return strbuf_detach(&sb);
}

static void add(struct candidates *c, const char *kind, const char *subject, const char *owner,
                struct maybe money, struct maybe confidence)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
    }
    struct finding *f = &c->v[c->n++];
    memset(f, 0, sizeof(*f));
    f->kind = xstrdup(kind);
    f->subject = xstrdup(subject);
    f->dims = finding_dims(kind, subject);
    f->owner = owner ? xstrdup(owner) : NULL;
    f->next_step = xstrfmt("next.%s", kind);
    f->has_money = money.ok;
    f->money = money.v;
    f->has_confidence = confidence.ok;
    f->confidence = confidence.v;
    f->has_score = money.ok && confidence.ok;
    f->score = f->has_score ? money.v * confidence.v : 0.0;
}

/* 1 − p of a two-sided test whose statistic is z (abs(z) infinite: 1). */
static double confidence_of_z(double z)
{
    return 1.0 - erfc(fabs(z) / sqrt(2.0));
}

/* The department acting on a subject: the one it names, or the owner of
 * the touchpoint or topic it names; NULL (the company's) otherwise. */
static const char *owner_of(const struct model *m, const char *subject)
{
    char v[256];
    if (!strncmp(subject, "department=", 11))
        return subject + 11; /* a department's subject names nothing else */
    if (dim_value(subject, "touchpoint", v, sizeof(v)))
        return model_find_label(m, "owner_touchpoint", v);
    if (dim_value(subject, "topic", v, sizeof(v)))
        return model_find_label(m, "owner_topic", v);
    return NULL;
}

static bool listed(const struct candidates *c, const char *kind, const char *subject)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].kind, kind) && !strcmp(c->v[i].subject, subject))
            return true;
    return false;
}

/* Significant NPS changes, overall and per touchpoint, channel, segment:
 * |delta| / 100 × scored × the class step; confidence 1 − p of the
 * change's z = delta / sqrt(se² + se_prior²), se = moe / 1.96. */
static void nps_changes(const struct model *m, struct candidates *c, struct maybe step)
{
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *d = &m->kpis[i];
        double moe, moe_prior;
        if (strcmp(d->code, "nps_delta") || !d->has_value || !kpi_flagged(d, "significant") ||
            kpi_flagged(d, "low_sample") || d->n < 0 || !value_of(m, "nps_moe", d->dims, &moe) ||
            !value_of(m, "nps_moe_prior", d->dims, &moe_prior))
            continue;
        double se = sqrt(moe * moe + moe_prior * moe_prior) / Z95;
        struct maybe money =
            step.ok ? just(fabs(d->value) / 100.0 * (double)d->n * step.v) : nothing();
        double conf = se > 0 ? confidence_of_z(d->value / se) : 1.0;
        add(c, d->value < 0 ? "nps_drop" : "nps_rise", d->dims, owner_of(m, d->dims), money,
            just(conf));
    }
}

/* The company's promoters turned passive less the departments' (a
 * customer's touchpoint has one owner at most): those nobody owns, so that
 * a customer is worth money once. */
static double unowned_slips(const struct model *m, double overall)
{
    for (size_t i = 0; i < m->n_kpis; i++)
        if (!strcmp(m->kpis[i].code, "warn.promoter_to_passive") && *m->kpis[i].dims &&
            m->kpis[i].has_value)
            overall -= m->kpis[i].value;
    return overall;
}

/* Warnings: an NPS decline (points fallen × scored × the class step), the
 * promoters turned passive (× the promoter-passive step; the company's
 * only those of touchpoints no department owns), the satisfied
 * customers who left (× ltv_all).  Rules that fired, not estimates:
 * confidence 1.  The company's decline is left out when its NPS change is
 * already a candidate (the same event). */
static void warnings(const struct model *m, struct candidates *c, struct maybe step)
{
    struct maybe upper = class_step(m, "passive", "promoter");
    double ltv_all, fall;
    bool has_ltv = value_of(m, "ltv_all", "", &ltv_all);
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        if (!k->has_value)
            continue;
        if (!strcmp(k->code, "warn.nps_decline") && k->value >= 0.5) {
            if ((!*k->dims && listed(c, "nps_drop", "")) ||
                !value_of(m, "warn.nps_fall", k->dims, &fall) || k->n < 0)
                continue;
            add(c, "nps_decline", k->dims, owner_of(m, k->dims),
                step.ok ? just(fall / 100.0 * (double)k->n * step.v) : nothing(), just(1.0));
        } else if (!strcmp(k->code, "warn.promoter_to_passive")) {
            double customers = *k->dims ? k->value : unowned_slips(m, k->value);
            if (customers >= 0.5)
                add(c, "promoter_to_passive", k->dims, owner_of(m, k->dims),
                    upper.ok ? just(customers * upper.v) : nothing(), just(1.0));
        } else if (!strcmp(k->code, "gap.satisfied_churned") && k->n > 0) {
            /* a share of n customers: how many they were */
            double customers = round(k->value * (double)k->n);
            if (customers >= 1)
                add(c, "satisfied_churned", k->dims, NULL,
                    has_ltv ? just(customers * ltv_all) : nothing(), just(1.0));
        }
    }
}

/* A topic's cohort that may be worded (significant, not low sample, as
 * findings.c's rule): its revenue at risk, else NULL. */
static bool topic_at_risk(const struct model *m, const char *topic, double *revenue, double *p)
{
    static const char *const codes[] = {"cohort.a_customers",    "cohort.a_churn_rate",
                                        "cohort.churn_gap",      "cohort.p_value",
                                        "cohort.lost_customers", "cohort.revenue_at_risk"};
    char dims[256];
    snprintf(dims, sizeof(dims), "topic=%s", topic);
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (kpi_flagged(model_find(m, codes[i], dims), "low_sample"))
            return false;
    double a;
    const struct kpi *pv = model_find(m, "cohort.p_value", dims);
    return value_of(m, "cohort.revenue_at_risk", dims, revenue) && *revenue > 0 && pv &&
           kpi_flagged(pv, "significant") && value_of(m, "cohort.p_value", dims, p) &&
           value_of(m, "cohort.a_customers", dims, &a) && a >= m->min_sample;
}

static void topics(const struct model *m, struct candidates *c)
{
    size_t n = 0;
    const char **list = model_dim_values(m, "cohort.revenue_at_risk", "topic", &n);
    for (size_t i = 0; i < n; i++) {
        double revenue, p;
        if (!topic_at_risk(m, list[i], &revenue, &p))
            continue;
        char *dims = xstrfmt("topic=%s", list[i]);
        add(c, "revenue_at_risk", dims, owner_of(m, dims), just(revenue), just(1.0 - p));
        free(dims);
    }
    free(list);
}

/* Departments with a red KPI: the detractors of their touchpoints × the
 * class step, plus the revenue at risk of their topics that are
 * candidates; a status is an observation: confidence 1. */
static void departments(const struct model *m, struct candidates *c, struct maybe step)
{
    for (size_t i = 0; i < m->n_labels; i++) {
        const struct label *d = &m->labels[i];
        if (strcmp(d->kind, "department"))
            continue;
        char prefix[256];
        int plen = snprintf(prefix, sizeof(prefix), "department=%s;", d->code);
        bool red = false;
        for (size_t j = 0; j < m->n_kpis && !red; j++)
            red = !strcmp(m->kpis[j].code, "dept.kpi.status") && m->kpis[j].has_value &&
                  m->kpis[j].value < 0.5 /* red 0, amber 1, green 2 */ &&
                  !strncmp(m->kpis[j].dims, prefix, (size_t)plen);
        if (!red)
            continue;
        double detractors = 0, at_risk = 0, v, p;
        bool known = step.ok;
        for (size_t j = 0; j < m->n_labels; j++) {
            const struct label *o = &m->labels[j];
            if (strcmp(o->text, d->code))
                continue;
            if (!strcmp(o->kind, "owner_touchpoint")) {
                char *dims = xstrfmt("touchpoint=%s", o->code);
                if (value_of(m, "detractors", dims, &v))
                    detractors += v;
                free(dims);
            } else if (!strcmp(o->kind, "owner_topic") && topic_at_risk(m, o->code, &v, &p)) {
                at_risk += v;
            }
        }
        char *dims = xstrfmt("department=%s", d->code);
        add(c, "dept_missed", dims, d->code,
            known ? just(detractors * step.v + at_risk) : nothing(), just(1.0));
        free(dims);
    }
}

/* Evaluated experiments: |exp.value|, confidence 1 − exp.p_value. */
static void experiments(const struct model *m, struct candidates *c)
{
    size_t n = 0;
    const char **names = model_dim_values(m, "exp.status", "experiment", &n);
    for (size_t i = 0; i < n; i++) {
        char *dims = xstrfmt("experiment=%s", names[i]);
        double value, p;
        if (kpi_flagged(model_find(m, "exp.status", dims), "evaluated") &&
            value_of(m, "exp.value", dims, &value)) {
            bool has_p = value_of(m, "exp.p_value", dims, &p);
            add(c, "experiment", dims, NULL, just(fabs(value)), has_p ? just(1.0 - p) : nothing());
        }
        free(dims);
    }
    free(names);
}

static int kind_index(const char *kind)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (!strcmp(kinds[i], kind))
            return (int)i;
    return (int)N_KINDS;
}

/* Best first: score descending, no score last, then kind, then dims. */
static int by_worth(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->has_score != y->has_score)
        return x->has_score ? -1 : 1;
    if (x->has_score && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    int kx = kind_index(x->kind), ky = kind_index(y->kind);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return strcmp(x->dims, y->dims);
}

void findings_rank(struct model *m)
{
    struct candidates c = {0};
    struct maybe step = class_step(m, "detractor", "passive");
    nps_changes(m, &c, step);
    warnings(m, &c, step);
    topics(m, &c);
    departments(m, &c, step);
    experiments(m, &c);
    if (c.n)
        qsort(c.v, c.n, sizeof(*c.v), by_worth);
    for (size_t i = 0; i < c.n; i++) {
        struct finding *f = &c.v[i];
        f->rank = (int)i + 1;
        char *owner = f->owner ? xstrfmt("owner=%s", f->owner) : NULL;
        model_add(m, "finding.score", f->dims, f->has_score, f->score, -1, owner);
        model_add(m, "finding.money", f->dims, f->has_money, f->money, -1, NULL);
        model_add(m, "finding.confidence", f->dims, f->has_confidence, f->confidence, -1, NULL);
        model_add(m, "finding.rank", f->dims, true, (double)f->rank, -1, NULL);
        free(owner);
    }
    m->findings = c.v;
    m->n_findings = c.n;
}

/* The dims without their finding=<kind> pair: the subject finding_dims
 * started from. */
static char *subject_of(const char *dims)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = dims; *p;) {
        size_t len = strcspn(p, ";");
        if (strncmp(p, "finding=", 8))
            strbuf_addf(&sb, "%s%.*s", sb.len ? ";" : "", (int)len, p);
        p += len + (p[len] == ';');
    }
    return strbuf_detach(&sb);
}

static char *owner_in_flag(const char *flag)
{
    for (const char *f = flag; f && *f;) {
        size_t n = strcspn(f, ",");
        if (n > 6 && !strncmp(f, "owner=", 6))
            return xstrfmt("%.*s", (int)(n - 6), f + 6);
        f += n + (f[n] == ',');
    }
    return NULL;
}

static int by_rank(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

void findings_reload(struct model *m)
{
    struct candidates c = {0};
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *k = &m->kpis[i];
        char kind[64];
        if (strcmp(k->code, "finding.rank") || !k->has_value ||
            !dim_value(k->dims, "finding", kind, sizeof(kind)))
            continue;
        const struct kpi *score = model_find(m, "finding.score", k->dims);
        const struct kpi *money = model_find(m, "finding.money", k->dims);
        const struct kpi *conf = model_find(m, "finding.confidence", k->dims);
        char *subject = subject_of(k->dims);
        char *owner = score ? owner_in_flag(score->flag) : NULL;
        struct maybe mv = money && money->has_value ? just(money->value) : nothing();
        struct maybe cv = conf && conf->has_value ? just(conf->value) : nothing();
        add(&c, kind, subject, owner, mv, cv);
        struct finding *f = &c.v[c.n - 1];
        f->rank = (int)k->value;
        free(f->dims); /* the recorded dims, not rebuilt ones */
        f->dims = xstrdup(k->dims);
        free(subject);
        free(owner);
    }
    if (c.n)
        qsort(c.v, c.n, sizeof(*c.v), by_rank);
    m->findings = c.v;
    m->n_findings = c.n;
}
