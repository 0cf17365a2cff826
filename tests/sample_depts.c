/* The departments part of render_sample's hand-built model (docs/departments.md):
 * four departments, their KPIs in every status, eleven earlier reports of
 * each KPI, closure SLAs, the journey map and the early warnings.  The
 * workbook and PDF checkers hold the same numbers. */
#include "sample_depts.h"

#include <stdio.h>
#include <string.h>

struct sample_kpi {
    const char *dept, *kpi, *metric;
    int lower;                  /* lower is better */
    double target, amber;
    int has_actual;
    double actual;
    long long n;
    int has_previous;
    double previous;
    double history[11];         /* the eleven earlier reports, oldest first */
};

/* Status by target_status()'s rule, worked out by hand in the comments. */
static const struct sample_kpi kpis[] = {
    /* 38 < 45 - 5: red */
    {"customer_service", "nps", "nps", 0, 45, 5, 1, 38.0, 120, 1, 41.0,
     {30, 32, 35, 33, 36, 38, 40, 42, 41, 39, 41}},
    /* 0.92 >= 0.90: green */
    {"customer_service", "red_answered_24h", "sla.first_response_24h", 0, 0.90, 0.05, 1, 0.92, 50,
     1, 0.88, {0.80, 0.82, 0.85, 0.83, 0.86, 0.87, 0.85, 0.89, 0.90, 0.88, 0.88}},
    /* 57 in [60 - 5, 60): amber */
    {"customer_service", "clarity", "topic.sentiment_score(refund_delay)", 0, 60, 5, 1, 57.0, 90,
     1, 58.5, {50, 52, 51, 55, 54, 56, 57, 58, 59, 58, 58.5}},
    /* 120 > 100 + 10 (lower is better): red */
    {"logistics", "late_complaints", "topic.negative(late_delivery)", 1, 100, 10, 1, 120, 150, 1,
     150, {170, 165, 160, 150, 155, 148, 150, 152, 149, 151, 150}},
    /* 0.81 >= 0.80: green */
    {"logistics", "closed_48h", "sla.closed_48h", 0, 0.80, 0.10, 1, 0.81, 210, 1, 0.79,
     {0.70, 0.72, 0.74, 0.73, 0.75, 0.76, 0.78, 0.77, 0.79, 0.80, 0.79}},
    /* 31 in [30 - 5, 30]? 31 >= 30: green */
    {"logistics", "nps", "nps", 0, 30, 5, 1, 31.0, 90, 1, 34.0,
     {20, 22, 25, 27, 26, 28, 30, 33, 35, 36, 34}},
    /* 140 in (120, 120 + 20]: amber */
    {"product", "app_crash", "topic.negative(app_crash)", 1, 120, 20, 1, 140, 180, 1, 100,
     {60, 62, 70, 65, 72, 80, 85, 90, 95, 98, 100}},
    /* no onboarding responses this period: grey; no earlier report */
    {"product", "onboarding_nps", "nps", 0, 20, 5, 0, 0, 0, 0, 0,
     {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}},
    /* 0.78 >= 0.80 - 0.05: amber, low sample (20 < 30) */
    {"billing", "csat", "csat", 0, 0.80, 0.05, 1, 0.78, 20, 1, 0.81,
     {0.83, 0.82, 0.84, 0.80, 0.81, 0.83, 0.82, 0.80, 0.79, 0.82, 0.81}},
};

static const char *const dept_codes[] = {"customer_service", "logistics", "product", "billing"};
static const char *const dept_en[] = {"Customer service", "Logistics", "Product", "Billing"};
static const char *const dept_zh[] = {"客户服务", "物流", "产品", "账务"};

static const char *status_word(const struct sample_kpi *k)
{
    if (!k->has_actual)
        return "grey";
    double short_by = k->lower ? k->actual - k->target : k->target - k->actual;
    return short_by <= 0 ? "green" : short_by <= k->amber ? "amber" : "red";
}

static double status_value(const char *w)
{
    return !strcmp(w, "green") ? 2 : !strcmp(w, "amber") ? 1 : 0;
}

/* The first days of the eleven periods before the sample's own (2026-09). */
static const char *const asof[11] = {"2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01",
                                     "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01",
                                     "2026-06-01", "2026-07-01", "2026-08-01"};

static void add_kpi(struct model *m, const struct sample_kpi *k)
{
    char d[128];
    snprintf(d, sizeof(d), "department=%s;kpi=%s", k->dept, k->kpi);
    model_add_label(m, "dept_kpi", d, k->metric);
    bool low = k->has_actual && k->n < m->min_sample;
    model_add(m, "dept.kpi.actual", d, k->has_actual, k->actual, k->n,
              low ? "low_sample" : NULL);
    model_add(m, "dept.kpi.target", d, true, k->target, -1,
              k->lower ? "lower_is_better" : "higher_is_better");
    model_add(m, "dept.kpi.amber", d, true, k->amber, -1, NULL);
    const char *w = status_word(k);
    char flag[32];
    snprintf(flag, sizeof(flag), "%s%s", w, low ? ",low_sample" : "");
    model_add(m, "dept.kpi.status", d, strcmp(w, "grey") != 0, status_value(w), -1, flag);
    /* The period before the run's September, with its days (kpi_depts). */
    model_add(m, "dept.kpi.previous", d, k->has_previous, k->previous, -1,
              "period=2026-08-01/2026-08-31");
    for (int h = 0; h < 11; h++)
        if (k->history[h] >= 0)
            model_add_trend(m, "dept.kpi.actual", d, asof[h], 30 + h, true, k->history[h]);
}

/* Billing with eight targets, more than a scorecard page has tiles for:
 * its amber csat (above), six green ones (previous 61.5 % .. 66.5 %) and,
 * last in the config, a red one (previous 18.5 %).  The page must show the
 * amber, the red and the first four green, and say two more were met. */
void sample_more_kpis(struct model *m)
{
#define FLAT(v) {v, v, v, v, v, v, v, v, v, v, v}
    static const struct sample_kpi more[] = {
        {"billing", "g1", "csat", 0, 0.50, 0.05, 1, 0.61, 100, 1, 0.615, FLAT(0.6)},
        {"billing", "g2", "csat", 0, 0.50, 0.05, 1, 0.62, 100, 1, 0.625, FLAT(0.6)},
        {"billing", "g3", "csat", 0, 0.50, 0.05, 1, 0.63, 100, 1, 0.635, FLAT(0.6)},
        {"billing", "g4", "csat", 0, 0.50, 0.05, 1, 0.64, 100, 1, 0.645, FLAT(0.6)},
        {"billing", "g5", "csat", 0, 0.50, 0.05, 1, 0.65, 100, 1, 0.655, FLAT(0.6)},
        {"billing", "g6", "csat", 0, 0.50, 0.05, 1, 0.66, 100, 1, 0.665, FLAT(0.6)},
        /* 0.17 < 0.50 - 0.05: red */
        {"billing", "late_red", "csat", 0, 0.50, 0.05, 1, 0.17, 100, 1, 0.185, FLAT(0.2)},
    };
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
        add_kpi(m, &more[i]);
#undef FLAT
}

void sample_departments(struct model *m, const char *locale)
{
    bool zh = !strcmp(locale, "zh_CN");
    for (size_t i = 0; i < 4; i++)
        model_add_label(m, "department", dept_codes[i], zh ? dept_zh[i] : dept_en[i]);
    /* Ownership: each touchpoint and topic of the sample has one owner;
     * "gift_cards" (outside the taxonomy) and "onboarding" have none. */
    const char *own_tp[][2] = {{"purchase", "billing"}, {"delivery", "logistics"},
                               {"after_sales", "customer_service"}, {"onboarding", "product"}};
    for (size_t i = 0; i < 4; i++)
        model_add_label(m, "owner_touchpoint", own_tp[i][0], own_tp[i][1]);
    const char *own_topic[][2] = {{"late_delivery", "logistics"}, {"packaging", "logistics"},
                                  {"app_crash", "product"},       {"design", "product"},
                                  {"reliability", "product"},     {"refund_delay", "customer_service"},
                                  {"pricing", "billing"}};
    for (size_t i = 0; i < sizeof(own_topic) / sizeof(own_topic[0]); i++)
        model_add_label(m, "owner_topic", own_topic[i][0], own_topic[i][1]);

    for (size_t i = 0; i < sizeof(kpis) / sizeof(kpis[0]); i++)
        add_kpi(m, &kpis[i]);

    /* Closure SLAs: overall and per department (cases: customer_service 50
     * red / 260 all, logistics 40 / 210, product 10 / 60, billing 0 / 30). */
    model_add(m, "sla.first_response_24h", "", true, 0.86, 100, NULL);
    model_add(m, "sla.closed_48h", "", true, 0.74, 560, NULL);
    model_add(m, "sla.open_over_72h", "", true, 0.12, 560, NULL);
    const double fr[] = {0.92, 0.80, 0.80, 0}, cl[] = {0.70, 0.81, 0.65, 0.80},
                 ov[] = {0.11, 0.10, 0.20, 0.13};
    const long long nred[] = {50, 40, 10, 0}, nall[] = {260, 210, 60, 30};
    for (size_t i = 0; i < 4; i++) {
        char d[64];
        snprintf(d, sizeof(d), "department=%s", dept_codes[i]);
        model_add(m, "sla.first_response_24h", d, nred[i] > 0, fr[i], nred[i], NULL);
        model_add(m, "sla.closed_48h", d, true, cl[i], nall[i], NULL);
        model_add(m, "sla.open_over_72h", d, true, ov[i], nall[i], NULL);
    }

    /* The journey in configured order; onboarding had no responses.  Targets
     * nps >= 30 amber 10, csat >= 80% amber 5%, negative_share <= 25% amber 5%. */
    struct { const char *tp; int has; double nps, csat, neg; long long n; } j[] = {
        {"purchase", 1, 52.0, 0.75, 0.18, 90},
        {"delivery", 1, 31.0, 0.80, 0.32, 90},
        {"onboarding", 0, 0, 0, 0, 0},
        {"after_sales", 1, 60.0, 0.85, 0.27, 20},
    };
    for (size_t i = 0; i < 4; i++) {
        char d[64], sd[96];
        snprintf(d, sizeof(d), "touchpoint=%s", j[i].tp);
        model_add(m, "journey.nps", d, j[i].has, j[i].nps, j[i].n, j[i].n < 30 ? "low_sample" : NULL);
        model_add(m, "journey.csat", d, j[i].has, j[i].csat, j[i].n,
                  j[i].n < 30 ? "low_sample" : NULL);
        model_add(m, "journey.negative_share", d, j[i].has, j[i].neg, j[i].n,
                  j[i].n < 30 ? "low_sample" : NULL);
        const char *metric[] = {"nps", "csat", "negative_share"};
        double v[] = {j[i].nps, j[i].csat, j[i].neg}, t[] = {30, 0.80, 0.25}, a[] = {10, 0.05, 0.05};
        for (int k = 0; k < 3; k++) {
            snprintf(sd, sizeof(sd), "metric=%s;touchpoint=%s", metric[k], j[i].tp);
            const char *w = "grey";
            if (j[i].has) {
                double short_by = k == 2 ? v[k] - t[k] : t[k] - v[k];
                w = short_by <= 1e-9 ? "green" : short_by <= a[k] + 1e-9 ? "amber" : "red";
            }
            model_add(m, "journey.status", sd, j[i].has, status_value(w), -1, w);
        }
    }

    /* Warnings: overall NPS rose (no warning); customer service fell three
     * periods running; 14 customers went from promoter to passive. */
    model_add(m, "warn.nps_decline", "", true, 0, 200, NULL);
    model_add(m, "warn.nps_decline", "department=customer_service", true, 1, 120, "three_periods");
    model_add(m, "warn.nps_decline", "department=logistics", true, 0, 90, NULL);
    model_add(m, "warn.nps_decline", "department=product", false, 0, 0, NULL);
    model_add(m, "warn.nps_decline", "department=billing", true, 0, 90, NULL);
    model_add(m, "warn.promoter_to_passive", "", true, 14, 95, NULL);
    model_add(m, "warn.promoter_to_passive", "department=customer_service", true, 6, 30, NULL);
    model_add(m, "warn.promoter_to_passive", "department=logistics", true, 5, 35, NULL);
    model_add(m, "warn.promoter_to_passive", "department=product", true, 0, 0, NULL);
    model_add(m, "warn.promoter_to_passive", "department=billing", true, 3, 30, NULL);
    /* 18 of 40 newly churned customers had last said csat 4 or 5. */
    model_add(m, "gap.satisfied_churned", "", true, 0.45, 40, NULL);
}
