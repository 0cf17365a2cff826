/* Renders a hand-built model with known figures through one renderer, so
 * the workbook and the briefing can be checked without a database:
 *   render_sample xlsx|pdf OUT TEMPLATE_DIR LOCALE FONT
 *                 [no-topics|glyphs|first-run|many-kpis|long-quote]
 *   render_sample xlsx-dept|pdf-dept OUT TEMPLATE_DIR LOCALE FONT DEPARTMENT [many-kpis]
 *     (many-kpis: billing gets seven more targets, tests/sample_depts.c)
 * "no-topics" leaves out the topic, share-of-voice and cohort figures, as
 * a run made before feedback was classified has none; "first-run" has a
 * history of one period, the run's own.  The department
 * modes render DEPARTMENT's slice (report/dept_slice.h) after the leak
 * check, as the runner does: a leak (planted with the test hook
 * VOCREPORT_TEST_PLANT_LEAK) is printed on stderr and exits 3. */
#include "jobs/base/strbuf.h"
#include "jobs/model/model.h"
#include "report/dept_slice.h"
#include "report/leakcheck.h"
#include "report/render.h"
#include "sample_depts.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(struct model *m, const char *code, const char *dims, double v, long long n)
{
    model_add(m, code, dims, true, v, n, NULL);
}

/* Topics, share of voice and cohorts (docs/decisions.md "Topics, share of
 * voice and root cause"); tests/check_workbook.py and check_pdf.sh hold
 * the same numbers.  Added out of rank order on purpose. */
struct sample_topic {
    const char *code, *en, *zh;
    double mentions, negative, prior, score; /* score < 0: NULL */
    int rank;
    double history[12]; /* the last two: prior, negative */
};

static const struct sample_topic topics[] = {
    {"design", "Design", "设计", 80, 10, 9, 71.0, 6, {8, 9, 7, 8, 10, 9, 8, 9, 11, 10, 9, 10}},
    {"late_delivery",
     "Late delivery",
     "配送延迟",
     150,
     120,
     150,
     35.0,
     2,
     {170, 165, 160, 150, 155, 148, 150, 152, 149, 151, 150, 120}},
    {"app_crash",
     "App crashes",
     "应用闪退",
     180,
     140,
     100,
     28.5,
     1,
     {60, 62, 70, 65, 72, 80, 85, 90, 95, 98, 100, 140}},
    {"pricing", "Pricing", "价格", 0, 0, 0, -1, 8, {0}},
    {"refund_delay",
     "Slow refunds",
     "退款缓慢",
     90,
     60,
     58,
     40.2,
     3,
     {50, 52, 55, 54, 57, 56, 58, 59, 57, 60, 58, 60}},
    {"packaging", "Packaging", "包装", 70, 30, 0, 55.0, 4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30}},
    {"reliability",
     "Reliability",
     "可靠性",
     120,
     25,
     30,
     62.0,
     5,
     {35, 33, 30, 31, 29, 30, 28, 27, 31, 32, 30, 25}},
    /* An upstream topic code outside the taxonomy: no label, no cohort. */
    {"gift_cards", NULL, NULL, 5, 2, 2, 45.0, 7, {0, 0, 0, 1, 0, 0, 1, 0, 0, 3, 2, 2}},
};

/* a = customers who complained, b = the others; p < 0 is NULL. */
struct sample_cohort {
    const char *code;
    double a, a_churn, b, b_churn, p;
};

static const struct sample_cohort cohorts[] = {
    {"app_crash", 60, 20.0 / 60.0, 700, 0.10, 7.9e-8},    /* significant: the finding */
    {"late_delivery", 150, 0.185, 600, 0.10, 0.0041},     /* significant, cheaper */
    {"refund_delay", 29, 17.0 / 29.0, 720, 0.10, 1.2e-6}, /* low sample, costlier */
    {"packaging", 400, 0.14, 500, 0.10, 0.064},           /* not significant, costliest */
    {"reliability", 90, 0.096, 650, 0.10, 0.03},          /* significant gap -0.4 %: none lost */
    {"design", 0, -1, 740, 0.10, -1},                     /* nobody complained */
    {"pricing", 35, 4.0 / 35.0, 700, 0.10, 0.79},
};

static void add_flagged(struct model *m, const char *code, const char *dims, bool has, double v,
                        long long n, const char *flag)
{
    model_add(m, code, dims, has, v, n, flag);
}

static void sample_topics(struct model *m, const char *locale)
{
    bool zh = !strcmp(locale, "zh_CN");
    const double ltv_all = 190.0 * 0.35 / 0.14;
    for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
        const struct sample_topic *t = &topics[i];
        char d[64];
        snprintf(d, sizeof(d), "topic=%s", t->code);
        if (t->en)
            model_add_label(m, "topic", t->code, zh ? t->zh : t->en);
        add(m, "topic.mentions", d, t->mentions, (long long)t->mentions);
        add(m, "topic.negative", d, t->negative, (long long)t->mentions);
        add(m, "topic.negative_prior", d, t->prior, -1);
        bool has_change = t->prior > 0;
        double change = has_change ? (t->negative - t->prior) / t->prior : 0;
        add_flagged(m, "topic.negative_change", d, has_change, change, -1, NULL);
        if (has_change)
            add_flagged(m, "topic.trend", d, true,
                        change > 0.10    ? 1
                        : change < -0.10 ? -1
                                         : 0,
                        -1,
                        change > 0.10    ? "worsening"
                        : change < -0.10 ? "improving"
                                         : "steady");
        else if (t->negative == 0)
            add_flagged(m, "topic.trend", d, true, 0, -1, "steady");
        else
            add_flagged(m, "topic.trend", d, false, 0, -1, "new");
        add_flagged(m, "topic.sentiment_score", d, t->score >= 0, t->score >= 0 ? t->score : 0,
                    t->score >= 0 ? (long long)t->mentions : 0, NULL);
        add(m, "topic.rank", d, t->rank, -1);
        for (int k = 0; k < 12; k++) {
            char hd[96];
            snprintf(hd, sizeof(hd), "period=%04d-%02d-01;topic=%s", k < 3 ? 2025 : 2026,
                     k < 3 ? 10 + k : k - 2, t->code);
            add(m, "topic.negative_history", hd, t->history[k], -1);
        }
    }

    for (size_t i = 0; i < sizeof(cohorts) / sizeof(cohorts[0]); i++) {
        const struct sample_cohort *c = &cohorts[i];
        char d[64];
        snprintf(d, sizeof(d), "topic=%s", c->code);
        bool low = c->a<m->min_sample, has_a = c->a> 0, has_p = c->p >= 0;
        const char *lf = low ? "low_sample" : NULL;
        const char *pf = low && has_p && c->p < 0.05 ? "low_sample,significant"
                         : low                       ? "low_sample"
                         : has_p && c->p < 0.05      ? "significant"
                                                     : NULL;
        double gap = c->a_churn - c->b_churn, lost = fmax(gap, 0) * c->a;
        add_flagged(m, "cohort.a_customers", d, true, c->a, (long long)c->a, lf);
        add_flagged(m, "cohort.b_customers", d, true, c->b, (long long)c->b, lf);
        add_flagged(m, "cohort.a_churn_rate", d, has_a, has_a ? c->a_churn : 0, (long long)c->a,
                    lf);
        add_flagged(m, "cohort.b_churn_rate", d, true, c->b_churn, (long long)c->b, lf);
        add_flagged(m, "cohort.churn_gap", d, has_a, has_a ? gap : 0, -1, lf);
        add_flagged(m, "cohort.p_value", d, has_p, has_p ? c->p : 0, -1, pf);
        add_flagged(m, "cohort.lost_customers", d, has_a, has_a ? lost : 0, -1, lf);
        add_flagged(m, "cohort.revenue_at_risk", d, has_a, has_a ? lost * ltv_all : 0, -1, lf);
    }

    /* Exposure: 12 to 3 months before 2026-10-01, the last day included. */
    model_set_day(&m->cohort_first_day, "2025-10-01");
    model_set_day(&m->cohort_last_day, "2026-06-30");

    /* Share of voice: reliability 90/70/40 of 200 positive rows, design
     * 30/60/30 of 120 (a brand named in Chinese as written). */
    add(m, "sov.share", "brand=BrandX;dimension=reliability", 0.35, 200);
    add(m, "sov.share", "brand=own;dimension=reliability", 0.45, 200);
    add(m, "sov.share", "brand=BrandY;dimension=reliability", 0.20, 200);
    add(m, "sov.share", "brand=BrandX;dimension=design", 0.50, 120);
    add(m, "sov.share", "brand=品牌丙;dimension=design", 0.25, 120);
    add(m, "sov.share", "brand=own;dimension=design", 0.25, 120);

    /* Example comments: four on app crashes (the oldest is not shown),
     * none on reliability, one on design (not a top complaint). */
    model_add_topic_verbatim(m, "app_crash", "app", "2026-09-03",
                             "App froze at checkout, lost my cart twice.");
    model_add_topic_verbatim(m, "app_crash", "review", "2026-09-27",
                             "更新之后应用一打开就闪退，根本没法用。");
    model_add_topic_verbatim(m, "app_crash", "app", "2026-09-21",
                             "Crashes every time I open the order history.");
    model_add_topic_verbatim(m, "app_crash", "social", "2026-09-14",
                             "The new version keeps crashing on my phone.");
    model_add_topic_verbatim(m, "late_delivery", "call_center", "2026-09-25",
                             "快递晚了五天，没有任何通知。");
    model_add_topic_verbatim(m, "late_delivery", "email", "2026-09-18",
                             "Parcel arrived a week after the promised date.");
    model_add_topic_verbatim(m, "late_delivery", "review", "2026-09-09",
                             "Delivery slot missed again, nobody called.");
    model_add_topic_verbatim(m, "refund_delay", "email", "2026-09-22",
                             "退款申请两周了还没有到账。");
    model_add_topic_verbatim(m, "refund_delay", "call_center", "2026-09-11",
                             "Still waiting for my refund after 20 days.");
    model_add_topic_verbatim(m, "packaging", "review", "2026-09-16",
                             "Box was crushed and the glass inside broken.");
    /* The same comment, tagged with a second topic of logistics: quoted
     * once on its scorecard, under both topics. */
    model_add_topic_verbatim(m, "late_delivery", "review", "2026-09-16",
                             "Box was crushed and the glass inside broken.");
    model_add_topic_verbatim(m, "design", "social", "2026-09-05",
                             "Love the look but the buttons are too small.");
}

/* Lagged correlation (docs/decisions.md "Lagged correlation with business
 * outcomes"): 18 monthly NPS values, lead conversion following them three
 * months later (r = 0.81 at lag 3), a weaker noise metric. */
static void sample_corr(struct model *m)
{
    static const double nps[18] = {22, 25, 19, 30, 34, 28, 31, 36, 40,
                                   33, 29, 35, 38, 42, 37, 41, 45, 39};
    char dims[128];
    for (int i = 0; i < 18; i++) {
        snprintf(dims, sizeof(dims), "month=%04d-%02d-01", 2025 + (i + 3) / 12, (i + 3) % 12 + 1);
        add(m, "corr.nps_month", dims, nps[i], 120);
    }
    for (int i = 3; i < 21; i++) {
        double v = 2.0 + 0.05 * nps[i - 3] + ((i * 7) % 5 - 2) * 0.12;
        snprintf(dims, sizeof(dims), "metric=lead_conversion_rate;month=%04d-%02d-01",
                 2025 + (i + 3) / 12, (i + 3) % 12 + 1);
        add(m, "corr.metric_month", dims, v, -1);
        /* At its best lag, 3, the metric's month i pairs with NPS month i - 3. */
        char nps_month[16], metric_month[16];
        snprintf(nps_month, sizeof(nps_month), "%04d-%02d-01", 2025 + i / 12, i % 12 + 1);
        snprintf(metric_month, sizeof(metric_month), "%04d-%02d-01", 2025 + (i + 3) / 12,
                 (i + 3) % 12 + 1);
        model_add_corr_pair(m, "lead_conversion_rate", nps_month, metric_month, nps[i - 3], v);
    }
    static const double lead_r[7] = {0.21, 0.35, 0.62, 0.81, 0.55, 0.30, 0.12};
    static const double lead_s[7] = {0.012, 0.021, 0.038, 0.05, 0.034, 0.018, 0.007};
    static const double aov_r[7] = {0.10, -0.22, -0.31, 0.05, 0.18, 0.26, 0.09};
    for (int lag = 0; lag <= 6; lag++) {
        long long n = 18 - lag;
        snprintf(dims, sizeof(dims), "lag=%d;metric=lead_conversion_rate", lag);
        model_add(m, "corr.r", dims, true, lead_r[lag], n, NULL);
        model_add(m, "corr.slope", dims, true, lead_s[lag], n, NULL);
        model_add(m, "corr.n", dims, true, (double)n, n, NULL);
        snprintf(dims, sizeof(dims), "lag=%d;metric=avg_order_value", lag);
        model_add(m, "corr.r", dims, true, aov_r[lag], n, NULL);
        model_add(m, "corr.slope", dims, true, aov_r[lag] * 0.4, n, NULL);
        model_add(m, "corr.n", dims, true, (double)n, n, NULL);
    }
    model_add(m, "corr.best_lag", "metric=lead_conversion_rate", true, 3, 15, NULL);
    model_add(m, "corr.best_lag", "metric=avg_order_value", true, 2, 16, NULL);
    model_add_param(m, "correlation_months", "24");
}

/* Retention experiments (docs/decisions.md): callback_24h evaluated in the
 * period (control 13 of 25 churned, treatment 5 of 27), winback_sms still
 * running; the VoC ROI of the period. */
static void sample_experiments(struct model *m, bool first_run)
{
    const double ltv_all = 190.0 * 0.35 / 0.14;
    const double nc = 25, nt = 27, pc = 13.0 / 25.0, pt = 5.0 / 27.0;
    add(m, "exp.customers", "arm=control;experiment=callback_24h", nc, 25);
    add(m, "exp.customers", "arm=treatment;experiment=callback_24h", nt, 27);
    add(m, "exp.churn_rate", "arm=control;experiment=callback_24h", pc, 25);
    add(m, "exp.churn_rate", "arm=treatment;experiment=callback_24h", pt, 27);
    double diff = pc - pt, se = sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt);
    double pool = (13.0 + 5.0) / (nc + nt);
    double z = diff / sqrt(pool * (1 - pool) * (1 / nc + 1 / nt));
    double retained = diff * nt, value = retained * ltv_all, cost = 6000.0;
    const char *d = "experiment=callback_24h";
    model_add(m, "exp.status", d, true, 1, -1, "evaluated");
    add(m, "exp.churn_diff", d, diff, 52);
    add(m, "exp.ci_low", d, diff - 1.96 * se, 52);
    add(m, "exp.ci_high", d, diff + 1.96 * se, 52);
    add(m, "exp.p_value", d, erfc(fabs(z) / sqrt(2.0)), 52);
    add(m, "exp.retained_customers", d, retained, -1);
    add(m, "exp.value", d, value, -1);
    add(m, "exp.cost", d, cost, -1);
    /* The ROI interval from the churn difference's (docs/decisions.md "ROI
     * interval"): holds 0, so neither ROI is significant. */
    double v_lo = (diff - 1.96 * se) * nt * ltv_all, v_hi = (diff + 1.96 * se) * nt * ltv_all;
    model_add(m, "exp.roi", d, true, (value - cost) / cost, -1, "not_significant");
    add(m, "exp.roi_low", d, (v_lo - cost) / cost, -1);
    add(m, "exp.roi_high", d, (v_hi - cost) / cost, -1);
    add(m, "exp.customers", "arm=control;experiment=winback_sms", 12, 12);
    add(m, "exp.customers", "arm=treatment;experiment=winback_sms", 14, 14);
    model_add(m, "exp.status", "experiment=winback_sms", true, 0, -1, "running");
    /* Evaluated at (start + 30 days) + 6 months, the day clamped to the
     * month: 2026-03-03 + 6 months, 2026-08-31 + 6 months. */
    model_add_experiment_dates(m, "callback_24h", "2026-02-01", "2026-09-03");
    model_mark_experiment_in_roi(m, "callback_24h");
    model_add_experiment_dates(m, "winback_sms", "2026-08-01", "2027-02-28");
    add(m, "roi.benefit", "", value, -1);
    add(m, "roi.cost", "", 15000.0, -1);
    /* Its breakdown over the window: 9,000 + 4,000 + 2,000. */
    add(m, "roi.cost", "category=people;month=2026-08-01", 9000.0, -1);
    add(m, "roi.cost", "category=intervention;month=2026-09-01", 4000.0, -1);
    add(m, "roi.cost", "category=people;month=2026-09-01", 2000.0, -1);
    model_add_param(m, "roi_window", "2025-10-01/2026-09-30");
    /* VoC ROI: significantly negative (the interval is below 0); a first
     * run is given one that holds 0, as a wider interval would, to show the
     * tile's "not significant". */
    bool open = first_run;
    model_add(m, "roi.value", "", true, (value - 15000.0) / 15000.0, -1,
              open ? "not_significant" : NULL);
    add(m, "roi.value_low", "", open ? -1.45 : (v_lo - 15000.0) / 15000.0, -1);
    add(m, "roi.value_high", "", open ? 0.35 : (v_hi - 15000.0) / 15000.0, -1);
    model_add_param(m, "roi_benefits", "evaluated experiments");
    const char *params[][2] = {{"experiment.callback_24h.start", "2026-02-01"},
                               {"experiment.callback_24h.enrollment_days", "30"},
                               {"experiment.callback_24h.evaluation_window_months", "6"},
                               {"experiment.callback_24h.treatment_share", "0.5"},
                               {"experiment.winback_sms.start", "2026-08-01"},
                               {"experiment.winback_sms.enrollment_days", "30"},
                               {"experiment.winback_sms.evaluation_window_months", "6"},
                               {"experiment.winback_sms.treatment_share", "0.5"}};
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
        model_add_param(m, params[i][0], params[i][1]);
}

/* Twelve monthly periods, October 2025 to September 2026 (the run's own),
 * with the company's histories (docs/decisions.md "Histories by period"):
 * NPS 30 + 1.5 k up to the run's own 45, December 2025 on 20 responses
 * (low sample), no CSAT in January 2026 (NULL: the line breaks), and the
 * [journey] targets.
 * tests/check_pdf.sh holds the same numbers.  first_run: the run's own
 * period only, one point per chart. */
static const double hist_nps[12] = {30, 31.5, 33, 34.5, 36, 37.5, 39, 40.5, 42, 43.5, 45, 45};
static const double hist_moe[12] = {10.5, 10.1, 21.0, 10.6, 10.4, 10.8,
                                    10.2, 9.9,  10.3, 10.6, 10.4, 9.87};
static const double hist_csat[12] = {0.78, 0.79, 0.74, 0,    0.80, 0.77,
                                     0.79, 0.80, 0.78, 0.79, 0.80, 0.8125};
static const double hist_churn[12] = {0.16,  0.158, 0.155, 0.153, 0.15,  0.149,
                                      0.147, 0.146, 0.145, 0.143, 0.141, 0.14};

static void sample_history(struct model *m, bool first_run)
{
    static const char *const last_days[12] = {"31", "30", "31", "31", "28", "31",
                                              "30", "31", "30", "31", "31", "30"};
    for (int k = first_run ? 11 : 0; k < 12; k++) {
        int y = k < 3 ? 2025 : 2026, mo = k < 3 ? 10 + k : k - 2;
        char first[16], last[16], dims[32];
        snprintf(first, sizeof(first), "%04d-%02d-01", y, mo);
        snprintf(last, sizeof(last), "%04d-%02d-%s", y, mo, last_days[k]);
        model_add_period(m, first, last);
        snprintf(dims, sizeof(dims), "period=%s", first);
        long long n = k == 2 ? 20 : k == 3 ? 0 : 180;
        const char *low = k == 2 || k == 3 ? "low_sample" : NULL;
        model_add(m, "nps", dims, true, hist_nps[k], k == 2 ? 20 : 180, k == 2 ? low : NULL);
        model_add(m, "nps_moe", dims, true, hist_moe[k], k == 2 ? 20 : 180, k == 2 ? low : NULL);
        model_add(m, "csat", dims, k != 3, hist_csat[k], n, low);
        model_add(m, "churn_rate", dims, true, hist_churn[k], 1000, NULL);
    }
    model_add(m, "journey.target", "metric=nps", true, 40, -1, "higher_is_better");
    model_add(m, "journey.amber", "metric=nps", true, 5, -1, NULL);
    model_add(m, "journey.target", "metric=csat", true, 0.8, -1, "higher_is_better");
    model_add(m, "journey.amber", "metric=csat", true, 0.05, -1, NULL);
}

/* The ranked findings as jobs/compute/findings_rank.c would list them, best first,
 * with round money so tests/check_pdf.sh knows each line: the root cause
 * of app crashes (Product's), Logistics' missed target, the experiment, the
 * Email channel's significant NPS drop (nobody's: the executives'),
 * Customer service's falling NPS, then two the briefing has no room for,
 * and one worth n/a (no money), last as the ranking puts it. */
static void sample_findings(struct model *m)
{
    static const struct {
        const char *kind, *subject, *owner;
        bool has_money;
        double money, confidence;
    } f[] = {
        {"revenue_at_risk", "topic=app_crash", "product", true, 6650, 1 - 7.9e-8},
        {"dept_missed", "department=logistics", "logistics", true, 5400, 1},
        {"experiment", "experiment=callback_24h", NULL, true, 4294, 0.99},
        {"nps_drop", "channel=email", NULL, true, 3000, 0.98},
        {"nps_decline", "department=customer_service", "customer_service", true, 2100, 1},
        {"promoter_to_passive", "", NULL, true, 1800, 1},
        {"satisfied_churned", "", NULL, true, 1200, 1},
        {"nps_rise", "segment=retail", NULL, false, 0, 0.97},
    };
    size_t n = sizeof(f) / sizeof(f[0]);
    m->findings = xcalloc(n, sizeof(*m->findings));
    m->n_findings = n;
    for (size_t i = 0; i < n; i++) {
        struct finding *x = &m->findings[i];
        x->kind = xstrdup(f[i].kind);
        x->subject = xstrdup(f[i].subject);
        x->dims = *f[i].subject ? xstrfmt("finding=%s;%s", f[i].kind, f[i].subject)
                                : xstrfmt("finding=%s", f[i].kind);
        x->owner = f[i].owner ? xstrdup(f[i].owner) : NULL;
        x->next_step = xstrfmt("next.%s", f[i].kind);
        x->has_money = f[i].has_money;
        x->money = f[i].money;
        x->has_confidence = true;
        x->confidence = f[i].confidence;
        x->has_score = f[i].has_money;
        x->score = f[i].money * f[i].confidence;
        x->rank = (int)i + 1;
    }
    /* The channel's drop the nps_drop finding words. */
    model_add(m, "nps_delta", "channel=email", true, -9.8, 150, "significant");
}

static void sample_model(struct model *m, const char *locale, bool with_topics, bool first_run)
{
    model_init(m);
    m->run_id = 42;
    m->job = strdup("nightly");
    m->locale = strdup(locale);
    m->time_zone = strdup("Europe/Berlin");
    m->as_of = strdup("2026-10-01");
    m->period_start = strdup("2026-09-01 00:00:00+02");
    m->period_end = strdup("2026-10-01 00:00:00+02");
    m->prior_start = strdup("2026-08-01 00:00:00+02");
    m->period_first_day = strdup("2026-09-01");
    m->period_last_day = strdup("2026-09-30");
    m->started_at = strdup("2026-10-01 02:00:03+02");
    m->program_version = strdup("0.1.0");
    m->config_digest = strdup("3f5a0c0e9d1b");
    m->currency = strdup("EUR");
    m->min_sample = 30;
    m->max_rejected_share = 0.05;
    m->year_first_day = strdup("2025-10-01");

    /* Overall scores: 120 promoters, 50 passives, 30 detractors. */
    add(m, "nps", "", 45.0, 200);
    add(m, "nps_moe", "", 9.87, 200);
    add(m, "nps_n", "", 200, 200);
    add(m, "promoters", "", 120, 200);
    add(m, "passives", "", 50, 200);
    add(m, "detractors", "", 30, 200);
    add(m, "csat", "", 0.8125, 160);
    add(m, "ces", "", 5.4, 150);
    model_add(m, "nps_delta", "", true, 7.5, 200, "significant");
    add(m, "nps_prior", "", 37.5, 180);
    const char *tps[] = {"purchase", "delivery", "after_sales"};
    double tp_nps[] = {52.0, 31.0, 60.0};
    for (int i = 0; i < 3; i++) {
        char d[64];
        snprintf(d, sizeof(d), "touchpoint=%s", tps[i]);
        model_add(m, "nps", d, true, tp_nps[i], i == 2 ? 20 : 90, i == 2 ? "low_sample" : NULL);
        add(m, "nps_n", d, i == 2 ? 20 : 90, i == 2 ? 20 : 90);
        add(m, "csat", d, 0.75 + 0.05 * i, 70);
        add(m, "ces", d, 5.0 + 0.2 * i, 60);
        model_add(m, "nps_delta", d, true, -3.0 + i, 90, NULL);
    }
    model_add(m, "nps", "channel=sms", false, 0, 0, "low_sample");
    add(m, "nps_n", "channel=sms", 0, 0);
    add(m, "nps", "channel=email", 40.0, 150);
    add(m, "nps_n", "channel=email", 150, 150);
    add(m, "nps", "segment=retail", 44.0, 120);
    add(m, "nps_n", "segment=retail", 120, 120);

    const char *cls[] = {"promoter", "passive", "detractor", "none"};
    double cust[] = {400, 250, 150, 200}, rev[] = {120000, 45000, 15000, 10000};
    double churn[] = {0.06, 0.12, 0.26, 0.30}, rep[] = {0.7, 0.5, 0.3, 0.2};
    for (int i = 0; i < 4; i++) {
        char d[32];
        snprintf(d, sizeof(d), "class=%s", cls[i]);
        double arpu = rev[i] / cust[i];
        add(m, "class.customers", d, cust[i], (long long)cust[i]);
        add(m, "class.revenue", d, rev[i], (long long)cust[i]);
        add(m, "class.arpu", d, arpu, (long long)cust[i]);
        add(m, "class.repeat_rate", d, rep[i], (long long)cust[i]);
        add(m, "class.churn_rate", d, churn[i], (long long)cust[i]);
        add(m, "class.ltv", d, arpu * 0.35 / churn[i], (long long)cust[i]);
    }
    add(m, "class.arpu_ratio", "", 3.0, -1);
    add(m, "class.ltv_ratio", "", (300.0 * 0.35 / 0.06) / (100.0 * 0.35 / 0.26), -1);
    add(m, "shift.revenue_gain", "", 0.01 * 150 * (180.0 - 100.0), -1);
    add(m, "shift.ltv_gain", "", 0.01 * 150 * (180.0 * 0.35 / 0.12 - 100.0 * 0.35 / 0.26), -1);
    add(m, "gross_margin", "", 0.35, -1);
    add(m, "churn_rate", "", 0.14, 1000);
    add(m, "arpu_all", "", 190000.0 / 1000.0, 1000);
    add(m, "ltv_all", "", 190.0 * 0.35 / 0.14, -1);
    add(m, "recon.revenue_ledger", "", 190250.00, -1);
    add(m, "recon.revenue_classes", "", 190000.00, -1);
    add(m, "recon.difference", "", 250.00, -1);
    add(m, "recon.unexplained", "", 0.00, -1);
    add(m, "recon.rejected_revenue", "reason=duplicate_key", 300.00, 2);
    add(m, "recon.rejected_revenue", "reason=negative_amount", -50.00, 1);
    model_add_recon(m, "duplicate_key", 300.00, 2);
    model_add_recon(m, "negative_amount", -50.00, 1);

    const char *tables[] = {"customers", "orders", "survey_responses", "feedback"};
    long long rows[] = {1000, 5000, 4000, 2000}, rej[] = {2, 5, 9, 3};
    for (int i = 0; i < 4; i++) {
        char d[48];
        snprintf(d, sizeof(d), "table=%s", tables[i]);
        model_add_source(m, tables[i], rows[i], rej[i]);
        add(m, "dq.rows", d, (double)rows[i], rows[i]);
        add(m, "dq.rejected_share", d, (double)rej[i] / (double)rows[i], rows[i]);
    }
    model_add_rejection(m, "customers", "duplicate_key", 2);
    model_add_rejection(m, "orders", "duplicate_key", 2);
    model_add_rejection(m, "orders", "orphan", 2);
    model_add_rejection(m, "orders", "negative_amount", 1);
    model_add_rejection(m, "survey_responses", "out_of_scale", 6);
    model_add_rejection(m, "survey_responses", "future_dated", 3);
    model_add_rejection(m, "feedback", "empty_body", 3);

    const char *params[][2] = {{"period", "previous_month"},
                               {"time_zone", "Europe/Berlin"},
                               {"locale", locale},
                               {"min_sample", "30"},
                               {"segment_lookback_months", "12"},
                               {"shift_pct", "0.01"},
                               {"gross_margin", "0.35"},
                               {"churn_floor", "0.01"},
                               {"churn_rule", "explicit"},
                               {"inactive_days", "180"},
                               {"max_rejected_share", "0.05"},
                               {"cohort_window_months", "12"},
                               {"outcome_gap_months", "3"},
                               /* Bands around the sample's NPS 45: amber, between them. */
                               {"nps_green", "50"},
                               {"nps_amber", "40"}};
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
        model_add_param(m, params[i][0], params[i][1]);

    model_add_verbatim(m, "detractor", "call_center", "2026-09-28",
                       "送货太慢了，等了一个星期才到，客服也不回复。");
    model_add_verbatim(m, "detractor", "review", "2026-09-20",
                       "The refund took three weeks and nobody answered my emails.");
    if (with_topics)
        sample_topics(m, locale);
    sample_corr(m);
    sample_experiments(m, first_run);
    sample_departments(m, locale);
    sample_history(m, first_run);
    sample_findings(m);
}

/* "long-quote": the first detractor quote six lines long, more than the
 * briefing's first page has room for under the trends. */
static void sample_long_quote(struct model *m)
{
    for (size_t i = 0; i < m->n_verbatims; i++) {
        if (m->verbatims[i].topic)
            continue;
        free(m->verbatims[i].body);
        m->verbatims[i].body = xstrdup(
            "送货太慢了。I ordered a birthday present three weeks ahead, paid for express "
            "delivery, and watched the tracking page say 'out for delivery' for five days in a "
            "row. Nobody answered the chat, the hotline hung up on me twice, and when the box "
            "finally came the corner was crushed and the gift inside was broken. I asked for a "
            "refund of the delivery charge and was told to fill in a form that does not load on "
            "my phone. I have been a customer for six years and this is the last order.");
        return;
    }
}

/* "glyphs": the first detractor quote in scripts the PDF cannot draw (an
 * emoji sequence, Hebrew, Arabic) between Chinese and English. */
static void sample_unshown_glyphs(struct model *m)
{
    for (size_t i = 0; i < m->n_verbatims; i++) {
        if (m->verbatims[i].topic)
            continue;
        free(m->verbatims[i].body);
        m->verbatims[i].body = xstrdup("送货太慢了\U0001F621\U0001F44E\U0001F3FD The parcel was "
                                       "late. \u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD "
                                       "and \u0645\u0631\u062D\u0628\u0627 谢谢");
        return;
    }
}

int main(int argc, char **argv)
{
    bool dept = (argc == 7 || argc == 8) && strstr(argv[1], "-dept");
    bool many = (argc == 8 && dept && !strcmp(argv[7], "many-kpis")) ||
                (argc == 7 && !dept && !strcmp(argv[6], "many-kpis"));
    bool glyphs = argc == 7 && !dept && !strcmp(argv[6], "glyphs");
    bool long_quote = argc == 7 && !dept && !strcmp(argv[6], "long-quote");
    bool first_run = argc == 7 && !dept && !strcmp(argv[6], "first-run");
    if ((argc != 6 && argc != 7 && !many) ||
        (argc == 7 && !dept && !glyphs && !first_run && !many && !long_quote &&
         strcmp(argv[6], "no-topics"))) {
        fprintf(
            stderr,
            "usage: %s xlsx|pdf OUT TEMPLATE_DIR LOCALE FONT "
            "[no-topics|glyphs|first-run|many-kpis|long-quote]\n"
            "       %s xlsx-dept|pdf-dept OUT TEMPLATE_DIR LOCALE FONT DEPARTMENT [many-kpis]\n",
            argv[0], argv[0]);
        return 2;
    }
    struct model m;
    struct texts *t = NULL;
    struct vr_error err = {0};
    sample_model(&m, argv[4], argc == 6 || dept || glyphs || first_run || many || long_quote,
                 first_run);
    if (glyphs)
        sample_unshown_glyphs(&m);
    if (long_quote)
        sample_long_quote(&m);
    if (many)
        sample_more_kpis(&m);
    struct model slice;
    model_init(&slice);
    if (dept) {
        model_slice_department(&m, argv[6], &slice);
        dept_plant_test_leak(&slice);
        char *leak = leak_check(&m, &slice, argv[2]);
        if (leak) {
            fprintf(stderr, "leak_check: %s\n", leak);
            free(leak);
            model_release(&slice);
            model_release(&m);
            return 3;
        }
    }
    if (texts_load(&t, argv[3], argv[4], &err) != VR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        model_release(&slice);
        model_release(&m);
        return 2;
    }
    struct render_ctx ctx = {
        .m = dept ? &slice : &m, .t = t, .font_path = argv[5], .tmp_dir = "/tmp"};
    enum vr_status st = !strcmp(argv[1], "xlsx")  ? render_xlsx_executive(&ctx, argv[2], &err)
                        : !strcmp(argv[1], "pdf") ? render_pdf_briefing(&ctx, argv[2], &err)
                        : !strcmp(argv[1], "xlsx-dept")
                            ? render_xlsx_department(&ctx, argv[2], &err)
                            : render_pdf_department(&ctx, argv[2], &err);
    if (st != VR_OK)
        fprintf(stderr, "render failed: %s\n", err.msg);
    texts_free(t);
    model_release(&slice);
    model_release(&m);
    return st == VR_OK ? 0 : 1;
}
