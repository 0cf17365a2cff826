/* Findings: each sentence is one function that reads its figures from the
 * model and returns NULL when an input is NULL, so a missing figure drops
 * the sentence instead of printing "0" or "n/a" inside it.  The wording is
 * all in templates/<locale>/briefing.ini ([finding] section); the order of
 * the table below is the order a reader gets them. */
#include "findings.h"

#include "../jobs/strbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Money on the page: the ledger's currency, two decimals (metrics.md). */
#define MONEY_DECIMALS 2
/* Amounts below half a cent are zero. */
#define CENT 0.005

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

/* "1,200.00 EUR" (or without the currency when none is configured). */
static char *fmt_amount(const struct model *m, const struct texts *t, double v)
{
    char *num = fmt_money(t, v, MONEY_DECIMALS);
    if (!m->currency || !*m->currency)
        return num;
    char *s =
        texts_format(t, "briefing.money", "amount", num, "currency", m->currency, (char *)NULL);
    free(num);
    return s;
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

/* The responses behind an NPS figure: its n, else nps_n, else -1. */
static long long responses(const struct model *m, const struct kpi *k)
{
    double v;
    if (k->n >= 0)
        return k->n;
    if (figure(m, "nps_n", k->dims, &v) && v >= 0)
        return (long long)v;
    return -1;
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

/* "NPS is 45, +7.5 points against the prior period: a significant change." */
static char *finding_nps(const struct model *m, const struct texts *t)
{
    const struct kpi *nps = model_find(m, "nps", "");
    if (!present(nps))
        return NULL;
    const struct kpi *delta = model_find(m, "nps_delta", "");
    const struct kpi *moe = model_find(m, "nps_moe", "");
    bool has_delta = present(delta);
    bool has_moe = present(moe);

    char *score = fmt_score(t, nps->value);
    char *d = has_delta ? fmt_signed(t, delta->value, 1) : NULL;
    char *e = has_moe ? fmt_number(t, moe->value, 1) : NULL;
    char *s = NULL;
    if (has_delta && kpi_flagged(delta, "significant"))
        s = texts_format(t, "finding.nps_significant", "nps", score, "delta", d, (char *)NULL);
    else if (has_delta && has_moe)
        s = texts_format(t, "finding.nps_within", "nps", score, "delta", d, "moe", e, (char *)NULL);
    else if (has_delta)
        s = texts_format(t, "finding.nps_change", "nps", score, "delta", d, (char *)NULL);
    else if (has_moe && kpi_flagged(delta, "no_prior_period"))
        s = texts_format(t, "finding.nps_all", "nps", score, "moe", e, (char *)NULL);
    else if (has_moe)
        s = texts_format(t, "finding.nps_first", "nps", score, "moe", e, (char *)NULL);
    else
        s = texts_format(t, "finding.nps_bare", "nps", score, (char *)NULL);
    free(score);
    free(d);
    free(e);

    if (low_sample(nps))
        return join_note(t, s, low_sample_note(m, t, responses(m, nps)));
    if (has_delta && low_sample(delta)) {
        const struct kpi *prior = model_find(m, "nps_prior", "");
        long long n = prior ? prior->n : -1;
        char *ns = fmt_count(t, n < 0 ? 0 : n);
        char *note = n >= 0 ? texts_format(t, "finding.low_sample_prior", "n", ns, (char *)NULL)
                            : xstrdup(texts_get(t, "finding.low_sample_prior_unknown"));
        free(ns);
        return join_note(t, s, note);
    }
    return s;
}

static bool class_value(const struct model *m, const char *code, const char *cls, double *out)
{
    char dims[64];
    snprintf(dims, sizeof(dims), "class=%s", cls);
    return figure(m, code, dims, out);
}

/* A class with fewer customers than min_sample (or a figure the engine
 * flagged) makes the comparison fragile: say so. */
static bool class_thin(const struct model *m, const char *cls, double *customers)
{
    char dims[64];
    snprintf(dims, sizeof(dims), "class=%s", cls);
    const char *codes[] = {"class.arpu", "class.churn_rate", "class.customers"};
    bool thin = false;
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        thin |= low_sample(model_find(m, codes[i], dims));
    if (!figure(m, "class.customers", dims, customers))
        *customers = -1; /* unknown: the note then gives no count */
    else if (*customers < m->min_sample)
        thin = true;
    return thin;
}

/* "Promoters spend 3.0× what detractors spend; detractors churn at 26.0 %
 * against 6.0 % for promoters." */
static char *finding_spend(const struct model *m, const struct texts *t)
{
    double ratio, det_churn, pro_churn;
    if (!figure(m, "class.arpu_ratio", "", &ratio))
        return NULL;
    bool churn = class_value(m, "class.churn_rate", "detractor", &det_churn) &&
                 class_value(m, "class.churn_rate", "promoter", &pro_churn);
    char *r = fmt_number(t, ratio, 1);
    char *s;
    if (churn) {
        char *dc = fmt_percent(t, det_churn, 1);
        char *pc = fmt_percent(t, pro_churn, 1);
        s = texts_format(t, "finding.spend", "ratio", r, "det_churn", dc, "pro_churn", pc,
                         (char *)NULL);
        free(dc);
        free(pc);
    } else {
        s = texts_format(t, "finding.spend_only", "ratio", r, (char *)NULL);
    }
    free(r);

    double pro_n, det_n;
    bool thin = class_thin(m, "promoter", &pro_n);
    thin |= class_thin(m, "detractor", &det_n);
    thin |= low_sample(model_find(m, "class.arpu_ratio", ""));
    if (!thin)
        return s;
    if (pro_n < 0 || det_n < 0)
        return join_note(t, s, xstrdup(texts_get(t, "finding.few_customers_bare")));
    char *p = fmt_number(t, pro_n, 0);
    char *d = fmt_number(t, det_n, 0);
    char *note =
        texts_format(t, "finding.few_customers", "promoters", p, "detractors", d, (char *)NULL);
    free(p);
    free(d);
    return join_note(t, s, note);
}

/* "Moving 1 % of detractors to passives is worth 1,200.00 EUR in revenue
 * and 6,675.82 EUR in lifetime value." */
static char *finding_shift(const struct model *m, const struct texts *t)
{
    double gain, ltv_gain;
    if (!figure(m, "shift.revenue_gain", "", &gain))
        return NULL;
    /* The gains were computed with this share; metrics.md's default is 1 %. */
    const char *param = model_param(m, "shift_pct");
    double pct = param ? strtod(param, NULL) : 0.01;
    if (!(pct > 0))
        return NULL;
    double pct100 = pct * 100.0;
    char *ps = fmt_percent(t, pct, fabs(pct100 - round(pct100)) < 1e-9 ? 0 : 1);
    char *g = fmt_amount(m, t, gain);
    char *s;
    if (figure(m, "shift.ltv_gain", "", &ltv_gain)) {
        char *lg = fmt_amount(m, t, ltv_gain);
        s = texts_format(t, "finding.shift", "pct", ps, "gain", g, "ltv_gain", lg, (char *)NULL);
        free(lg);
    } else {
        s = texts_format(t, "finding.shift_revenue", "pct", ps, "gain", g, (char *)NULL);
    }
    free(ps);
    free(g);
    return s;
}

/* "Delivery has the lowest NPS at 31 (90 responses)."  A touchpoint with
 * too few responses is only named when no touchpoint has enough, and then
 * with a caution. */
static char *finding_weakest(const struct model *m, const struct texts *t)
{
    size_t n = 0;
    const char **tps = model_dim_values(m, "nps", "touchpoint", &n);
    const struct kpi *best = NULL, *best_low = NULL;
    const char *name = NULL, *name_low = NULL;
    size_t scored = 0;
    for (size_t i = 0; i < n; i++) {
        char *dims = xstrfmt("touchpoint=%s", tps[i]);
        const struct kpi *k = model_find(m, "nps", dims);
        free(dims);
        if (!present(k))
            continue;
        scored++;
        if (low_sample(k)) {
            if (!best_low || k->value < best_low->value) {
                best_low = k;
                name_low = tps[i];
            }
        } else if (!best || k->value < best->value) {
            best = k;
            name = tps[i];
        }
    }
    char *s = NULL;
    if (scored >= 2 && (best || best_low)) {
        bool low = !best;
        const struct kpi *k = low ? best_low : best;
        char *label = texts_dim_label(t, m, "touchpoint", low ? name_low : name);
        char *score = fmt_score(t, k->value);
        long long n_resp = responses(m, k);
        if (n_resp >= 0) {
            char *cnt = fmt_count(t, n_resp);
            s = texts_format(t, low ? "finding.weakest_low" : "finding.weakest", "touchpoint",
                             label, "nps", score, "n", cnt, (char *)NULL);
            free(cnt);
        } else {
            s = texts_format(t, "finding.weakest_bare", "touchpoint", label, "nps", score,
                             (char *)NULL);
            if (low)
                s = join_note(t, s, low_sample_note(m, t, -1));
        }
        free(label);
        free(score);
    }
    free(tps);
    return s;
}

/* The reconciliation in words (decisions.md "Reconciliation"). */
static char *finding_recon(const struct model *m, const struct texts *t)
{
    double ledger, classes, diff, unexplained;
    if (!figure(m, "recon.revenue_ledger", "", &ledger) ||
        !figure(m, "recon.revenue_classes", "", &classes))
        return NULL;
    if (!figure(m, "recon.difference", "", &diff))
        diff = ledger - classes;
    bool has_unexplained = figure(m, "recon.unexplained", "", &unexplained);

    char *l = fmt_amount(m, t, ledger);
    char *c = fmt_amount(m, t, classes);
    char *d = fmt_amount(m, t, fabs(diff));
    char *s;
    if (fabs(diff) < CENT && (!has_unexplained || fabs(unexplained) < CENT)) {
        s = texts_format(t, "finding.recon_match", "ledger", l, (char *)NULL);
    } else if (has_unexplained && fabs(unexplained) < CENT) {
        s = texts_format(t, "finding.recon_explained", "ledger", l, "classes", c, "diff", d,
                         (char *)NULL);
    } else if (has_unexplained) {
        char *u = fmt_amount(m, t, unexplained);
        s = texts_format(t, "finding.recon_unexplained", "ledger", l, "classes", c, "diff", d,
                         "unexplained", u, (char *)NULL);
        free(u);
    } else {
        s = texts_format(t, "finding.recon_differs", "ledger", l, "classes", c, "diff", d,
                         (char *)NULL);
    }
    free(l);
    free(c);
    free(d);
    return s;
}

/* "1.3M EUR", "130万 CNY": an estimate, rounded the locale's way.
 * The units are the template's finding.unit_<power of ten> keys (English:
 * 6 = M, 9 = B; Chinese: 4 = 万, 8 = 亿); below the smallest, whole units. */
static char *fmt_about(const struct model *m, const struct texts *t, double v)
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
 * Only the costliest cohort that is significant and not low sample; none
 * when no cohort is (decisions.md: such a cohort is never worded as a
 * finding). */
static char *finding_root_cause(const struct model *m, const struct texts *t)
{
    size_t n = 0;
    const char **topics = model_dim_values(m, "cohort.revenue_at_risk", "topic", &n);
    const char *best = NULL;
    double best_rev = 0;
    for (size_t i = 0; i < n; i++) {
        const struct kpi *rev = cohort_kpi(m, "cohort.revenue_at_risk", topics[i]);
        const struct kpi *p = cohort_kpi(m, "cohort.p_value", topics[i]);
        if (!present(rev) || !(rev->value >= CENT) || !present(p) ||
            !kpi_flagged(p, "significant") || findings_cohort_low(m, topics[i]))
            continue;
        if (!best || rev->value > best_rev ||
            (rev->value == best_rev && strcmp(topics[i], best) < 0)) {
            best = topics[i];
            best_rev = rev->value;
        }
    }
    char *s = NULL;
    const struct kpi *a = best ? cohort_kpi(m, "cohort.a_churn_rate", best) : NULL;
    const struct kpi *b = best ? cohort_kpi(m, "cohort.b_churn_rate", best) : NULL;
    const struct kpi *p = best ? cohort_kpi(m, "cohort.p_value", best) : NULL;
    if (best && present(a) && present(b)) {
        char *label = label_in_sentence(model_label(m, "topic", best));
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
        char *amount = fmt_about(m, t, best_rev);
        s = texts_format(t, "finding.root_cause", "topic", label, "a_churn", ac, "b_churn", bc, "p",
                         pv, "amount", amount, (char *)NULL);
        free(label);
        free(ac);
        free(bc);
        free(pv);
        free(amount);
    }
    free(topics);
    return s;
}

/* "Each +1 NPS point was followed 3 months later by +0.05 lead conversion
 * rate (r = 0.81, 18 months): a correlation, not proof of cause."  The
 * metric whose best lag has the largest abs(r), when abs(r) >= 0.5 over at
 * least 12 paired months (ties: the metric code first in byte order). */
#define CORR_FINDING_R 0.5
#define CORR_FINDING_N 12
static char *finding_corr(const struct model *m, const struct texts *t)
{
    size_t n = 0;
    const char **metrics = model_dim_values(m, "corr.best_lag", "metric", &n);
    const char *best = NULL;
    const struct kpi *best_r = NULL, *best_slope = NULL;
    int best_lag = 0;
    for (size_t i = 0; i < n; i++) {
        char *dims = xstrfmt("metric=%s", metrics[i]);
        const struct kpi *b = model_find(m, "corr.best_lag", dims);
        free(dims);
        if (!present(b))
            continue;
        int lag = (int)b->value;
        dims = xstrfmt("lag=%d;metric=%s", lag, metrics[i]);
        const struct kpi *r = model_find(m, "corr.r", dims);
        const struct kpi *sl = model_find(m, "corr.slope", dims);
        free(dims);
        if (!present(r) || !present(sl) || !(fabs(r->value) >= CORR_FINDING_R) ||
            r->n < CORR_FINDING_N)
            continue;
        if (!best || fabs(r->value) > fabs(best_r->value) ||
            (fabs(r->value) == fabs(best_r->value) && strcmp(metrics[i], best) < 0)) {
            best = metrics[i];
            best_r = r;
            best_slope = sl;
            best_lag = lag;
        }
    }
    char *s = NULL;
    if (best) {
        char *label = texts_dim_label(t, m, "metric", best);
        char *metric = label_in_sentence(label);
        free(label);
        char lag[16];
        snprintf(lag, sizeof(lag), "%d", best_lag);
        char *when = best_lag == 0 ? xstrdup(texts_get(t, "finding.corr_same_month"))
                     : best_lag == 1
                         ? xstrdup(texts_get(t, "finding.corr_one_month"))
                         : texts_format(t, "finding.corr_months_later", "lag", lag, (char *)NULL);
        char *slope = fmt_slope(t, best_slope->value);
        char *rv = fmt_number(t, best_r->value, 2);
        char *pairs = fmt_count(t, best_r->n);
        s = texts_format(t, "finding.corr", "when", when, "slope", slope, "metric", metric, "r", rv,
                         "n", pairs, (char *)NULL);
        free(metric);
        free(when);
        free(slope);
        free(rv);
        free(pairs);
    }
    free(metrics);
    return s;
}

/* One sentence per evaluated experiment whose difference is significant
 * (p < 0.05): "Experiment callback_24h cut churn from 52 % to 19 % (95 % CI
 * 9–58 pts); 9 customers kept, 4,294 EUR lifetime value, ROI -0.3×." (an ASCII
 * minus: the briefing's font has no U+2212). */
#define EXP_FINDING_P 0.05
static bool exp_fig(const struct model *m, const char *code, const char *name, const char *arm,
                    double *out)
{
    char *d = arm ? xstrfmt("arm=%s;experiment=%s", arm, name) : xstrfmt("experiment=%s", name);
    bool ok = figure(m, code, d, out);
    free(d);
    return ok;
}

static char *finding_experiment(const struct model *m, const struct texts *t, const char *name)
{
    double st, pc, pt, lo, hi, pv, kept, value, roi;
    if (!exp_fig(m, "exp.status", name, NULL, &st) || st != 1.0 ||
        !exp_fig(m, "exp.p_value", name, NULL, &pv) || !(pv < EXP_FINDING_P) ||
        !exp_fig(m, "exp.churn_rate", name, "control", &pc) ||
        !exp_fig(m, "exp.churn_rate", name, "treatment", &pt) ||
        !exp_fig(m, "exp.ci_low", name, NULL, &lo) || !exp_fig(m, "exp.ci_high", name, NULL, &hi) ||
        !exp_fig(m, "exp.retained_customers", name, NULL, &kept) ||
        !exp_fig(m, "exp.value", name, NULL, &value))
        return NULL;
    bool has_roi = exp_fig(m, "exp.roi", name, NULL, &roi);
    kept = fabs(kept); /* "kept" or "lost to it": the words carry the sign */
    char *c = fmt_percent(t, pc, 0), *tr = fmt_percent(t, pt, 0);
    char *l = fmt_number(t, lo * 100.0, 0), *h = fmt_number(t, hi * 100.0, 0);
    char *k = fmt_number(t, kept, 0);
    char *v = fmt_about(m, t, value);
    char *r = has_roi ? fmt_signed(t, roi, 1) : NULL;
    const char *key = pt <= pc ? (has_roi ? "finding.exp_cut" : "finding.exp_cut_no_roi")
                               : (has_roi ? "finding.exp_raised" : "finding.exp_raised_no_roi");
    char *s = texts_format(t, key, "name", model_label(m, "experiment", name), "control", c,
                           "treatment", tr, "low", l, "high", h, "kept", k, "value", v, "roi",
                           r ? r : "", (char *)NULL);
    free(c);
    free(tr);
    free(l);
    free(h);
    free(k);
    free(v);
    free(r);
    return s;
}

/* "NPS fell three periods running." / "NPS dropped significantly against
 * the prior period." (warn.nps_decline overall; none when not set). */
static char *finding_nps_decline(const struct model *m, const struct texts *t)
{
    const struct kpi *w = model_find(m, "warn.nps_decline", "");
    if (!present(w) || w->value < 0.5)
        return NULL;
    return xstrdup(texts_get(t, kpi_flagged(w, "three_periods") ? "finding.nps_decline_three"
                                                                : "finding.nps_decline_drop"));
}

/* "14 customers moved from promoter to passive since their previous score." */
static char *finding_promoter_to_passive(const struct model *m, const struct texts *t)
{
    double v;
    if (!figure(m, "warn.promoter_to_passive", "", &v) || v < 0.5)
        return NULL;
    char *n = fmt_count(t, (long long)llround(v));
    char *s =
        texts_format(t, v < 1.5 ? "finding.promoter_to_passive_one" : "finding.promoter_to_passive",
                     "n", n, (char *)NULL);
    free(n);
    return s;
}

/* "45.0 % of the customers who left had said they were satisfied (CSAT 4-5)." */
static char *finding_satisfied_churned(const struct model *m, const struct texts *t)
{
    const struct kpi *k = model_find(m, "gap.satisfied_churned", "");
    if (!present(k) || k->value <= 0)
        return NULL;
    char *pct = fmt_percent(t, k->value, 0);
    char *s = texts_format(t, "finding.satisfied_churned", "share", pct, (char *)NULL);
    free(pct);
    return join_note(t, s, low_sample(k) ? low_sample_note(m, t, k->n) : NULL);
}

/* How far a red KPI is from its target, relative to the target, so that
 * departments whose KPIs are in different units compare. */
static double miss(double actual, double target)
{
    return fabs(actual - target) / fmax(fabs(target), 1e-9);
}

/* "Logistics missed 1 of 3 targets; furthest off: “Negative mentions: Late
 * delivery” at 120 against ≤ 100."
 * One sentence, for the department with the most red KPIs (then the
 * largest relative miss), naming its worst one; the others are in the
 * department table every output carries. */
static char *finding_dept_red(const struct model *m, const struct texts *t)
{
    const struct kpi *worst = NULL;
    size_t worst_red = 0, worst_total = 0;
    double worst_miss = 0;
    /* Each department once, at its first red KPI ("department=D;kpi=K"). */
    for (size_t i = 0; i < m->n_kpis; i++) {
        const struct kpi *st = &m->kpis[i];
        if (strcmp(st->code, "dept.kpi.status") || !present(st) || st->value > 0.5)
            continue;
        size_t dlen = strcspn(st->dims, ";");
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(m->kpis[j].code, "dept.kpi.status") && present(&m->kpis[j]) &&
                   m->kpis[j].value < 0.5 && !strncmp(m->kpis[j].dims, st->dims, dlen) &&
                   m->kpis[j].dims[dlen] == ';';
        if (seen)
            continue;
        size_t red = 0, total = 0;
        const struct kpi *first_worst = NULL;
        double dept_miss = 0;
        for (size_t j = 0; j < m->n_kpis; j++) {
            const struct kpi *k = &m->kpis[j];
            if (strcmp(k->code, "dept.kpi.status") || strncmp(k->dims, st->dims, dlen) ||
                k->dims[dlen] != ';')
                continue;
            total++;
            if (!present(k) || k->value > 0.5)
                continue;
            red++;
            double a, tg;
            if (figure(m, "dept.kpi.actual", k->dims, &a) &&
                figure(m, "dept.kpi.target", k->dims, &tg) &&
                (!first_worst || miss(a, tg) > dept_miss)) {
                first_worst = k;
                dept_miss = miss(a, tg);
            }
        }
        if (first_worst &&
            (!worst || red > worst_red || (red == worst_red && dept_miss > worst_miss))) {
            worst = first_worst;
            worst_red = red;
            worst_total = total;
            worst_miss = dept_miss;
        }
    }
    if (!worst)
        return NULL;

    char dept[128] = "", kpi[128] = "";
    dim_value(worst->dims, "department", dept, sizeof(dept));
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
    char *name = strcmp(texts_get(t, key), key) ? xstrdup(texts_get(t, key))
                                                : metric_words(t, m, metric);
    free(key);
    char *av = fmt_metric(t, metric, a), *tv = fmt_metric(t, metric, tg);
    char *red = fmt_count(t, (long long)worst_red), *total = fmt_count(t, (long long)worst_total);
    char *s =
        texts_format(t, "finding.dept_missed", "department", model_label(m, "department", dept),
                     "red", red, "total", total, "kpi", name, "actual", av, "op",
                     texts_get(t, kpi_flagged(target, "lower_is_better") ? "finding.at_most"
                                                                         : "finding.at_least"),
                     "target", tv, (char *)NULL);
    free(name);
    free(av);
    free(tv);
    free(red);
    free(total);
    return s;
}

/* Every sentence in reading order, with its priority: when there are more
 * than the page takes, the least important go first (the weakest
 * touchpoint is also in the touchpoint table right below the findings).
 * A falling NPS ranks with NPS itself; a department missing its targets
 * with the costliest complaint; satisfied customers leaving above the
 * promoters turning passive, both above a reconciliation that ties out. */
static const struct sentence {
    char *(*build)(const struct model *, const struct texts *);
    int priority; /* 1 = kept longest */
} sentences[] = {
    {finding_nps, 1},
    {finding_nps_decline, 1},
    {finding_dept_red, 2},
    {finding_spend, 3},
    {finding_root_cause, 2},
    {finding_satisfied_churned, 4},
    {finding_promoter_to_passive, 5},
    {finding_shift, 6},
    {finding_weakest, 7},
    {finding_recon, 5},
    {finding_corr, 8},
};
#define N_SENTENCES (sizeof(sentences) / sizeof(sentences[0]))

/* The experiment sentences sit after the root cause, with this priority. */
#define EXP_PRIORITY 3
#define MAX_EXP_SENTENCES 16

size_t findings_build(const struct model *m, const struct texts *t, char **out, size_t max)
{
    enum { CAP = N_SENTENCES + MAX_EXP_SENTENCES };
    char *all[CAP];
    int prio[CAP];
    size_t total = 0, have = 0;
    for (size_t i = 0; i < N_SENTENCES; i++) {
        prio[total] = sentences[i].priority;
        have += (all[total++] = sentences[i].build(m, t)) != NULL;
        if (sentences[i].build == finding_root_cause) {
            size_t n = 0;
            const char **names = model_dim_values(m, "exp.status", "experiment", &n);
            for (size_t e = 0; e < n && e < MAX_EXP_SENTENCES; e++) {
                prio[total] = EXP_PRIORITY;
                have += (all[total++] = finding_experiment(m, t, names[e])) != NULL;
            }
            free(names);
        }
    }
    /* Drop the least important until the rest fit. */
    while (have > max) {
        size_t worst = CAP;
        for (size_t i = 0; i < total; i++)
            if (all[i] && (worst == CAP || prio[i] > prio[worst]))
                worst = i;
        free(all[worst]);
        all[worst] = NULL;
        have--;
    }
    size_t n = 0;
    for (size_t i = 0; i < total; i++)
        if (all[i])
            out[n++] = all[i];
    return n;
}

void findings_free(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i]);
        s[i] = NULL;
    }
}
