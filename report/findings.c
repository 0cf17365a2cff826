/* Findings in words: one sentence function per kind of ranked finding
 * (jobs/compute/findings_rank.c), each reading its figures from the model by the
 * finding's subject and returning NULL when an input is NULL, so a missing
 * figure drops the finding instead of printing "0" or "n/a" inside it.
 * Which findings and in what order is the ranking's (money × confidence,
 * docs/decisions.md "Findings by what they are worth"); the wording is all
 * in templates/<locale>/briefing.ini ([finding] and [next]). */
#include "findings.h"

#include "jobs/base/strbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A figure a sentence may use: present, not NULL, and a real number. */
static bool present(const struct kpi *k)
{
    return k && k->has_value && isfinite(k->value);
}

static bool figure(const struct model *m, const char *code, const char *dims, double *out)
{
    return present(model_find(m, code, dims)) && model_value(m, code, dims, out);
}

static bool low_sample(const struct kpi *k)
{
    return kpi_flagged(k, "low_sample");
}

/* Appends a caution ("based on only 20 responses") the locale's way. */
static char *join_note(const struct texts *t, char *sentence, char *note)
{
    if (!note)
        return sentence;
    char *s = texts_format(t, "finding.join", "sentence", sentence, "note", note, (char *)NULL);
    free(sentence);
    free(note);
    return s;
}

/* n < 0: the count is unknown, and the note says "too few" without one. */
static char *low_sample_note(const struct model *m, const struct texts *t, long long n)
{
    if (n < 0)
        return xstrdup(texts_get(t, "finding.low_sample_few"));
    char *ns = fmt_count(t, n);
    char *min = fmt_count(t, m->min_sample);
    char *s = texts_format(t, "finding.low_sample", "n", ns, "min", min, (char *)NULL);
    free(ns);
    free(min);
    return s;
}

/* A sentence about a department's subject starts with its name: "Logistics:
 * NPS fell three periods running." (key_dept); the company's is key.  One
 * more placeholder name/value, or name NULL. */
static char *for_subject(const struct model *m, const struct texts *t, const char *subject,
                         const char *key, const char *key_dept, const char *name, const char *value)
{
    char dept[128];
    if (dim_value(subject, "department", dept, sizeof(dept)))
        return texts_format(t, key_dept, "department", model_label(m, "department", dept), name,
                            value, (char *)NULL);
    return texts_format(t, key, name, value, (char *)NULL);
}

/* "NPS is 45, +7.5 points against the prior period: a significant change."
 * or, for a touchpoint, channel or segment, "Channel Web: NPS is 31, -9.8
 * points ..." (nps_drop and nps_rise are significant by definition). */
static char *finding_nps_change(const struct model *m, const struct texts *t,
                                const struct finding *f)
{
    double nps, delta;
    if (!figure(m, "nps", f->subject, &nps) || !figure(m, "nps_delta", f->subject, &delta))
        return NULL;
    char *score = fmt_score(t, nps), *d = fmt_signed(t, delta, 1);
    char *s;
    size_t klen = strcspn(f->subject, "=");
    if (!*f->subject || !f->subject[klen]) {
        s = texts_format(t, "finding.nps_significant", "nps", score, "delta", d, (char *)NULL);
    } else {
        char *key = xstrfmt("%.*s", (int)klen, f->subject);
        char *dim_key = xstrfmt("dims.%s", key);
        char *value = texts_dim_label(t, m, key, f->subject + klen + 1);
        char *where = texts_format(t, "finding.where", "dim", texts_get(t, dim_key), "value", value,
                                   (char *)NULL);
        s = texts_format(t, "finding.nps_significant_at", "where", where, "nps", score, "delta", d,
                         (char *)NULL);
        free(key);
        free(dim_key);
        free(value);
        free(where);
    }
    free(score);
    free(d);
    return s;
}

/* "1.3M EUR", "130万 CNY": an estimate, rounded the locale's way.
 * The units are the template's finding.unit_<power of ten> keys (English:
 * 6 = M, 9 = B; Chinese: 4 = 万, 8 = 亿); below the smallest, whole units. */
char *findings_about(const struct model *m, const struct texts *t, double v)
{
    char *num = NULL;
    for (int e = 12; e >= 3 && !num; e--) {
        char key[32];
        snprintf(key, sizeof(key), "finding.unit_%d", e);
        double unit = pow(10.0, e);
        if (!strcmp(texts_get(t, key), key) || fabs(v) < unit)
            continue;
        double scaled = v / unit;
        char *value = fmt_number(t, scaled, fabs(scaled) < 9.95 ? 1 : 0);
        num = texts_format(t, key, "value", value, (char *)NULL);
        free(value);
    }
    if (!num)
        num = fmt_money(t, v, 0);
    if (!m->currency || !*m->currency)
        return num;
    char *s =
        texts_format(t, "briefing.money", "amount", num, "currency", m->currency, (char *)NULL);
    free(num);
    return s;
}

static const struct kpi *cohort_kpi(const struct model *m, const char *code, const char *topic)
{
    char *dims = xstrfmt("topic=%s", topic);
    const struct kpi *k = model_find(m, code, dims);
    free(dims);
    return k;
}

bool findings_cohort_low(const struct model *m, const char *topic)
{
    static const char *const codes[] = {"cohort.a_customers",    "cohort.a_churn_rate",
                                        "cohort.churn_gap",      "cohort.p_value",
                                        "cohort.lost_customers", "cohort.revenue_at_risk"};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (low_sample(cohort_kpi(m, codes[i], topic)))
            return true;
    const struct kpi *a = cohort_kpi(m, "cohort.a_customers", topic);
    return present(a) && a->value < m->min_sample;
}

/* "Customers who reported app crashes churned at 33.3 % against 10.0 % for
 * other customers; p < 0.001; about 6,650 EUR of lifetime value at risk."
 * The ranking names only cohorts that may be worded (significant, not low
 * sample). */
static char *finding_root_cause(const struct model *m, const struct texts *t,
                                const struct finding *f)
{
    char topic[256];
    if (!dim_value(f->subject, "topic", topic, sizeof(topic)))
        return NULL;
    const struct kpi *a = cohort_kpi(m, "cohort.a_churn_rate", topic);
    const struct kpi *b = cohort_kpi(m, "cohort.b_churn_rate", topic);
    const struct kpi *p = cohort_kpi(m, "cohort.p_value", topic);
    const struct kpi *rev = cohort_kpi(m, "cohort.revenue_at_risk", topic);
    if (!present(a) || !present(b) || !present(p) || !present(rev))
        return NULL;
    char *label = label_in_sentence(model_label(m, "topic", topic));
    char *ac = fmt_percent(t, a->value, 1);
    char *bc = fmt_percent(t, b->value, 1);
    char *pv;
    if (p->value < 0.001) {
        pv = xstrdup(texts_get(t, "finding.p_below"));
    } else {
        char *num = fmt_number(t, p->value, 3);
        pv = texts_format(t, "finding.p_value", "p", num, (char *)NULL);
        free(num);
    }
    char *amount = findings_about(m, t, rev->value);
    char *s = texts_format(t, "finding.root_cause", "topic", label, "a_churn", ac, "b_churn", bc,
                           "p", pv, "amount", amount, (char *)NULL);
    free(label);
    free(ac);
    free(bc);
    free(pv);
    free(amount);
    return s;
}

static bool exp_fig(const struct model *m, const char *code, const char *name, const char *arm,
                    double *out)
{
    char *d = arm ? xstrfmt("arm=%s;experiment=%s", arm, name) : xstrfmt("experiment=%s", name);
    bool ok = figure(m, code, d, out);
    free(d);
    return ok;
}

/* "ROI -28.3 % (95 % interval -80.1 % to +23.4 %)", the one ROI format
 * (docs/decisions.md "One ROI format"); without its interval when that is
 * NULL.  NULL without an ROI. */
static char *exp_roi_words(const struct model *m, const struct texts *t, const char *name)
{
    double roi, lo, hi;
    if (!exp_fig(m, "exp.roi", name, NULL, &roi))
        return NULL;
    char *r = fmt_roi(t, roi);
    char *s;
    if (exp_fig(m, "exp.roi_low", name, NULL, &lo) && exp_fig(m, "exp.roi_high", name, NULL, &hi)) {
        char *l = fmt_roi(t, lo), *h = fmt_roi(t, hi);
        char *interval = texts_format(t, "finding.roi_interval", "low", l, "high", h, (char *)NULL);
        s = texts_format(t, "finding.exp_roi", "roi", r, "interval", interval, (char *)NULL);
        free(l);
        free(h);
        free(interval);
    } else {
        s = texts_format(t, "finding.exp_roi_bare", "roi", r, (char *)NULL);
    }
    free(r);
    return s;
}

/* "Experiment callback_24h cut churn from 52 % to 19 % (95 % CI 9–58 pts);
 * 9 customers kept, 4,294 EUR lifetime value, ROI -28.4 % (...)." and "not
 * significant" when its churn difference is not (p >= 0.05), else when its
 * ROI's interval holds 0 (exp.roi's flag): it worked, but whether it paid
 * is open. */
#define EXP_SIGNIFICANT_P 0.05
static char *finding_experiment(const struct model *m, const struct texts *t,
                                const struct finding *f)
{
    char name[256];
    double st, pc, pt, lo, hi, pv, kept, value;
    if (!dim_value(f->subject, "experiment", name, sizeof(name)) ||
        !exp_fig(m, "exp.status", name, NULL, &st) || st != 1.0 ||
        !exp_fig(m, "exp.p_value", name, NULL, &pv) ||
        !exp_fig(m, "exp.churn_rate", name, "control", &pc) ||
        !exp_fig(m, "exp.churn_rate", name, "treatment", &pt) ||
        !exp_fig(m, "exp.ci_low", name, NULL, &lo) || !exp_fig(m, "exp.ci_high", name, NULL, &hi) ||
        !exp_fig(m, "exp.retained_customers", name, NULL, &kept) ||
        !exp_fig(m, "exp.value", name, NULL, &value))
        return NULL;
    char *roi = exp_roi_words(m, t, name);
    kept = fabs(kept); /* "kept" or "lost to it": the words carry the sign */
    char *c = fmt_percent(t, pc, 0), *tr = fmt_percent(t, pt, 0);
    char *l = fmt_number(t, lo * 100.0, 0), *h = fmt_number(t, hi * 100.0, 0);
    char *k = fmt_number(t, kept, 0);
    char *v = findings_about(m, t, value);
    const char *key = pt <= pc ? (roi ? "finding.exp_cut" : "finding.exp_cut_no_roi")
                               : (roi ? "finding.exp_raised" : "finding.exp_raised_no_roi");
    char *s = texts_format(t, key, "name", model_label(m, "experiment", name), "control", c,
                           "treatment", tr, "low", l, "high", h, "kept", k, "value", v, "roi",
                           roi ? roi : "", (char *)NULL);
    char *dims = xstrfmt("experiment=%s", name);
    const struct kpi *roi_kpi = model_find(m, "exp.roi", dims);
    free(dims);
    if (!(pv < EXP_SIGNIFICANT_P)) {
        char *num = fmt_number(t, pv, 2);
        s = join_note(t, s, texts_format(t, "finding.exp_not_significant", "p", num, (char *)NULL));
        free(num);
    } else if (roi && kpi_flagged(roi_kpi, "not_significant")) {
        s = join_note(t, s, xstrdup(texts_get(t, "finding.exp_roi_not_significant")));
    }
    free(roi);
    free(c);
    free(tr);
    free(l);
    free(h);
    free(k);
    free(v);
    return s;
}

/* "NPS fell three periods running." / "NPS dropped significantly against
 * the prior period.", a department's with its name first. */
static char *finding_nps_decline(const struct model *m, const struct texts *t,
                                 const struct finding *f)
{
    const struct kpi *w = model_find(m, "warn.nps_decline", f->subject);
    if (!present(w) || w->value < 0.5)
        return NULL;
    bool three = kpi_flagged(w, "three_periods");
    return for_subject(
        m, t, f->subject, three ? "finding.nps_decline_three" : "finding.nps_decline_drop",
        three ? "finding.nps_decline_three_dept" : "finding.nps_decline_drop_dept", NULL, NULL);
}

/* "14 customers moved from promoter to passive." */
static char *finding_promoter_to_passive(const struct model *m, const struct texts *t,
                                         const struct finding *f)
{
    double v;
    if (!figure(m, "warn.promoter_to_passive", f->subject, &v) || v < 0.5)
        return NULL;
    char *n = fmt_count(t, (long long)llround(v));
    bool one = v < 1.5;
    char *s = for_subject(
        m, t, f->subject, one ? "finding.promoter_to_passive_one" : "finding.promoter_to_passive",
        one ? "finding.promoter_to_passive_one_dept" : "finding.promoter_to_passive_dept", "n", n);
    free(n);
    return s;
}

/* "45 % of the customers who left had said they were satisfied." */
static char *finding_satisfied_churned(const struct model *m, const struct texts *t,
                                       const struct finding *f)
{
    const struct kpi *k = model_find(m, "gap.satisfied_churned", f->subject);
    if (!present(k) || k->value <= 0)
        return NULL;
    char *pct = fmt_percent(t, k->value, 0);
    char *s = texts_format(t, "finding.satisfied_churned", "share", pct, (char *)NULL);
    free(pct);
    return join_note(t, s, low_sample(k) ? low_sample_note(m, t, k->n) : NULL);
}

/* How far a red KPI is from its target, relative to the target, so that
 * KPIs in different units compare. */
static double miss(double actual, double target)
{
    return fabs(actual - target) / fmax(fabs(target), 1e-9);
}

/* "Logistics missed 1 of 3 targets; furthest off: “Negative mentions: Late
 * delivery” at 120 against ≤ 100."  Its worst red KPI is the one furthest
 * from its target; the others are in the department table. */
static char *finding_dept_missed(const struct model *m, const struct texts *t,
                                 const struct finding *f)
{
    char dept[128];
    if (!dim_value(f->subject, "department", dept, sizeof(dept)))
        return NULL;
    char *prefix = xstrfmt("department=%s;", dept);
    size_t plen = strlen(prefix);
    const struct kpi *worst = NULL;
    size_t red = 0, total = 0;
    double worst_miss = 0;
    for (size_t j = 0; j < m->n_kpis; j++) {
        const struct kpi *k = &m->kpis[j];
        if (strcmp(k->code, "dept.kpi.status") || strncmp(k->dims, prefix, plen))
            continue;
        total++;
        if (!present(k) || k->value > 0.5) /* red 0, amber 1, green 2 */
            continue;
        red++;
        double a, tg;
        if (figure(m, "dept.kpi.actual", k->dims, &a) &&
            figure(m, "dept.kpi.target", k->dims, &tg) && (!worst || miss(a, tg) > worst_miss)) {
            worst = k;
            worst_miss = miss(a, tg);
        }
    }
    free(prefix);
    if (!worst)
        return NULL;

    char kpi[128] = "";
    dim_value(worst->dims, "kpi", kpi, sizeof(kpi));
    const char *metric = model_label(m, "dept_kpi", worst->dims);
    double a = 0, tg = 0;
    figure(m, "dept.kpi.actual", worst->dims, &a);
    figure(m, "dept.kpi.target", worst->dims, &tg);
    const struct kpi *target = model_find(m, "dept.kpi.target", worst->dims);
    /* Named as the scorecard and the department table name it (the
     * metric in the reader's language), unless the templates give the
     * company's own name for it ("kpi.NAME"). */
    char *key = xstrfmt("kpi.%s", kpi);
    const char *own = model_find_label(m, "kpi_name", worst->dims);
    char *name = own                                ? xstrdup(own)
                 : strcmp(texts_get(t, key), key) ? xstrdup(texts_get(t, key))
                                                  : metric_words(t, m, metric);
    free(key);
    char *av = fmt_metric(t, metric, a), *tv = fmt_metric(t, metric, tg);
    char *reds = fmt_count(t, (long long)red), *totals = fmt_count(t, (long long)total);
    char *s =
        texts_format(t, "finding.dept_missed", "department", model_label(m, "department", dept),
                     "red", reds, "total", totals, "kpi", name, "actual", av, "op",
                     texts_get(t, kpi_flagged(target, "lower_is_better") ? "finding.at_most"
                                                                         : "finding.at_least"),
                     "target", tv, (char *)NULL);
    free(name);
    free(av);
    free(tv);
    free(reds);
    free(totals);
    return s;
}

/* One sentence per kind of jobs/compute/findings_rank.c. */
static const struct sentence {
    const char *kind;
    char *(*build)(const struct model *, const struct texts *, const struct finding *);
} sentences[] = {
    {"nps_drop", finding_nps_change},
    {"nps_rise", finding_nps_change},
    {"nps_decline", finding_nps_decline},
    {"revenue_at_risk", finding_root_cause},
    {"dept_missed", finding_dept_missed},
    {"experiment", finding_experiment},
    {"promoter_to_passive", finding_promoter_to_passive},
    {"satisfied_churned", finding_satisfied_churned},
};

static char *sentence_of(const struct model *m, const struct texts *t, const struct finding *f)
{
    for (size_t i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++)
        if (!strcmp(sentences[i].kind, f->kind))
            return sentences[i].build(m, t, f);
    return NULL; /* a kind this renderer does not know: not shown half-worded */
}

size_t findings_top(const struct model *m, const struct texts *t, struct finding_words *out,
                    size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_findings && n < max; i++) {
        const struct finding *f = &m->findings[i];
        /* Worth n/a: money unknown, so is the score; never "worth 0". */
        if (!f->has_money || !f->has_score || !isfinite(f->money))
            continue;
        char *sentence = sentence_of(m, t, f);
        if (!sentence)
            continue;
        struct finding_words *w = &out[n++];
        w->f = f;
        w->sentence = sentence;
        w->owner = xstrdup(f->owner ? model_label(m, "department", f->owner)
                                    : texts_get(t, "finding.executives"));
        char *amount = findings_about(m, t, f->money);
        w->worth = texts_format(t, "finding.worth", "amount", amount, (char *)NULL);
        free(amount);
        w->next_step = xstrdup(texts_get(t, f->next_step));
    }
    return n;
}

void findings_words_release(struct finding_words *w, size_t n)
{
    for (size_t i = 0; w && i < n; i++) {
        free(w[i].sentence);
        free(w[i].owner);
        free(w[i].worth);
        free(w[i].next_step);
        memset(&w[i], 0, sizeof(w[i]));
    }
}
