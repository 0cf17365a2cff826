/* The metric catalogue (metrics.h): one row per figure code. */
#include "metrics.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

// clang-format off
#define C(code, unit, dec, chg, better, label)                                                     \
    {code, unit, dec, chg, better, "metric_label." label, false, false, 0, 0}
/* A metric a target may name, in [lo, hi] of stored units; T1 with a topic. */
#define T0(code, unit, dec, better, label, lo, hi)                                                 \
    {code, unit, dec, false, better, "metric_label." label, true, false, lo, hi}
#define T1(code, unit, dec, better, label, lo, hi)                                                 \
    {code, unit, dec, false, better, "metric_label." label, true, true, lo, hi}
// clang-format on

const struct metric metric_catalogue[] = {
    /* Survey scores. */
    T0("nps", UNIT_SCORE, 1, BETTER_HIGHER, "nps", -100, 100),
    C("nps_moe", UNIT_SCORE, 1, false, BETTER_NEITHER, "nps_moe"),
    C("nps_moe_prior", UNIT_SCORE, 1, false, BETTER_NEITHER, "nps_moe_prior"),
    C("nps_n", UNIT_COUNT, 0, false, BETTER_NEITHER, "nps_n"),
    C("promoters", UNIT_COUNT, 0, false, BETTER_HIGHER, "promoters"),
    C("passives", UNIT_COUNT, 0, false, BETTER_NEITHER, "passives"),
    C("detractors", UNIT_COUNT, 0, false, BETTER_LOWER, "detractors"),
    C("responses", UNIT_COUNT, 0, false, BETTER_NEITHER, "responses"),
    C("nps_prior", UNIT_SCORE, 1, false, BETTER_HIGHER, "nps_prior"),
    C("nps_delta", UNIT_SCORE, 1, true, BETTER_HIGHER, "nps_delta"),
    T0("csat", UNIT_SHARE, 1, BETTER_HIGHER, "csat", 0, 1),
    T0("ces", UNIT_MEAN, 2, BETTER_HIGHER, "ces", 1, 7),
    C("churn_rate", UNIT_SHARE, 1, false, BETTER_LOWER, "churn_rate"),
    C("csat_change", UNIT_SHARE, 1, true, BETTER_HIGHER, "csat_change"),
    C("churn_rate_change", UNIT_SHARE, 1, true, BETTER_LOWER, "churn_rate_change"),
    /* Customer classes and lifetime value. */
    C("class.customers", UNIT_COUNT, 0, false, BETTER_NEITHER, "class_customers"),
    C("class.revenue", UNIT_MONEY, 2, false, BETTER_HIGHER, "class_revenue"),
    C("class.arpu", UNIT_MONEY, 2, false, BETTER_HIGHER, "class_arpu"),
    C("class.repeat_rate", UNIT_SHARE, 1, false, BETTER_HIGHER, "class_repeat_rate"),
    C("class.churn_rate", UNIT_SHARE, 1, false, BETTER_LOWER, "class_churn_rate"),
    C("class.ltv", UNIT_MONEY, 2, false, BETTER_HIGHER, "class_ltv"),
    C("class.arpu_ratio", UNIT_RATIO, 2, false, BETTER_NEITHER, "class_arpu_ratio"),
    C("class.ltv_ratio", UNIT_RATIO, 2, false, BETTER_NEITHER, "class_ltv_ratio"),
    C("shift.revenue_gain", UNIT_MONEY, 2, false, BETTER_HIGHER, "shift_revenue_gain"),
    C("shift.ltv_gain", UNIT_MONEY, 2, false, BETTER_HIGHER, "shift_ltv_gain"),
    C("arpu_all", UNIT_MONEY, 2, false, BETTER_HIGHER, "arpu_all"),
    C("ltv_all", UNIT_MONEY, 2, false, BETTER_HIGHER, "ltv_all"),
    C("gross_margin", UNIT_SHARE, 1, false, BETTER_HIGHER, "gross_margin"),
    /* Reconciliation and data quality. */
    C("recon.revenue_ledger", UNIT_MONEY, 2, false, BETTER_NEITHER, "recon_revenue_ledger"),
    C("recon.revenue_classes", UNIT_MONEY, 2, false, BETTER_NEITHER, "recon_revenue_classes"),
    C("recon.difference", UNIT_MONEY, 2, false, BETTER_NEITHER, "recon_difference"),
    C("recon.unexplained", UNIT_MONEY, 2, false, BETTER_NEITHER, "recon_unexplained"),
    C("recon.rejected_revenue", UNIT_MONEY, 2, false, BETTER_NEITHER, "recon_rejected_revenue"),
    C("dq.rows", UNIT_COUNT, 0, false, BETTER_NEITHER, "dq_rows"),
    C("classify.tagged", UNIT_COUNT, 0, false, BETTER_NEITHER, "classify_tagged"),
    C("classify.skipped", UNIT_COUNT, 0, false, BETTER_NEITHER, "classify_skipped"),
    C("dq.rejected", UNIT_COUNT, 0, false, BETTER_LOWER, "dq_rejected"),
    C("dq.rejected_share", UNIT_SHARE, 1, false, BETTER_LOWER, "dq_rejected_share"),
    C("dq.no_text", UNIT_COUNT, 0, false, BETTER_NEITHER, "dq_no_text"),
    C("dq.unknown_topic", UNIT_COUNT, 0, false, BETTER_LOWER, "dq_unknown_topic"),
    /* Topics, share of voice, root cause. */
    T1("topic.mentions", UNIT_COUNT, 0, BETTER_NEITHER, "topic_mentions", 0, 1e12),
    T1("topic.negative", UNIT_COUNT, 0, BETTER_LOWER, "topic_negative", 0, 1e12),
    C("topic.negative_prior", UNIT_COUNT, 0, false, BETTER_LOWER, "topic_negative_prior"),
    C("topic.negative_change", UNIT_SHARE, 1, true, BETTER_LOWER, "topic_negative_change"),
    C("topic.negative_history", UNIT_COUNT, 0, false, BETTER_LOWER, "topic_negative_history"),
    C("topic.trend", UNIT_STATUS, 0, false, BETTER_NEITHER, "topic_trend"),
    T1("topic.sentiment_score", UNIT_SCORE, 1, BETTER_HIGHER, "topic_sentiment_score", 0, 100),
    C("topic.rank", UNIT_COUNT, 0, false, BETTER_NEITHER, "topic_rank"),
    C("topic.uncategorised_share", UNIT_SHARE, 1, false, BETTER_LOWER, "topic_uncategorised_share"),
    C("sov.share", UNIT_SHARE, 1, false, BETTER_HIGHER, "sov_share"),
    C("cohort.a_customers", UNIT_COUNT, 0, false, BETTER_NEITHER, "cohort_a_customers"),
    C("cohort.b_customers", UNIT_COUNT, 0, false, BETTER_NEITHER, "cohort_b_customers"),
    C("cohort.a_churn_rate", UNIT_SHARE, 1, false, BETTER_LOWER, "cohort_a_churn_rate"),
    C("cohort.b_churn_rate", UNIT_SHARE, 1, false, BETTER_LOWER, "cohort_b_churn_rate"),
    C("cohort.churn_gap", UNIT_SHARE, 1, true, BETTER_LOWER, "cohort_churn_gap"),
    C("cohort.p_value", UNIT_P_VALUE, 3, false, BETTER_NEITHER, "cohort_p_value"),
    C("cohort.lost_customers", UNIT_COUNT, 1, false, BETTER_LOWER, "cohort_lost_customers"),
    C("cohort.revenue_at_risk", UNIT_MONEY, 2, false, BETTER_LOWER, "cohort_revenue_at_risk"),
    /* Correlation with business outcomes. */
    C("corr.nps_month", UNIT_SCORE, 1, false, BETTER_HIGHER, "corr_nps_month"),
    C("corr.metric_month", UNIT_NUMBER, 2, false, BETTER_NEITHER, "corr_metric_month"),
    C("corr.r", UNIT_NUMBER, 2, false, BETTER_NEITHER, "corr_r"),
    C("corr.slope", UNIT_NUMBER, METRIC_SIGNIFICANT2, true, BETTER_NEITHER, "corr_slope"),
    C("corr.n", UNIT_COUNT, 0, false, BETTER_NEITHER, "corr_n"),
    C("corr.best_lag", UNIT_COUNT, 0, false, BETTER_NEITHER, "corr_best_lag"),
    /* Retention experiments and VoC ROI. */
    C("exp.customers", UNIT_COUNT, 0, false, BETTER_NEITHER, "exp_customers"),
    C("exp.churn_rate", UNIT_SHARE, 1, false, BETTER_LOWER, "exp_churn_rate"),
    C("exp.churn_diff", UNIT_SHARE, 1, true, BETTER_HIGHER, "exp_churn_diff"),
    C("exp.ci_low", UNIT_SHARE, 1, true, BETTER_HIGHER, "exp_ci_low"),
    C("exp.ci_high", UNIT_SHARE, 1, true, BETTER_HIGHER, "exp_ci_high"),
    C("exp.p_value", UNIT_P_VALUE, 3, false, BETTER_NEITHER, "exp_p_value"),
    C("exp.retained_customers", UNIT_COUNT, 1, false, BETTER_HIGHER, "exp_retained_customers"),
    C("exp.value", UNIT_MONEY, 2, false, BETTER_HIGHER, "exp_value"),
    C("exp.cost", UNIT_MONEY, 2, false, BETTER_LOWER, "exp_cost"),
    /* One ROI format, the VoC ROI's: a percentage with one decimal. */
    C("exp.roi", UNIT_SHARE, 1, true, BETTER_HIGHER, "exp_roi"),
    C("exp.roi_low", UNIT_SHARE, 1, true, BETTER_HIGHER, "exp_roi_low"),
    C("exp.roi_high", UNIT_SHARE, 1, true, BETTER_HIGHER, "exp_roi_high"),
    C("exp.status", UNIT_STATUS, 0, false, BETTER_NEITHER, "exp_status"),
    C("roi.benefit", UNIT_MONEY, 2, false, BETTER_HIGHER, "roi_benefit"),
    C("roi.cost", UNIT_MONEY, 2, false, BETTER_LOWER, "roi_cost"),
    C("roi.value", UNIT_SHARE, 1, true, BETTER_HIGHER, "roi_value"),
    C("roi.value_low", UNIT_SHARE, 1, true, BETTER_HIGHER, "roi_value_low"),
    C("roi.value_high", UNIT_SHARE, 1, true, BETTER_HIGHER, "roi_value_high"),
    /* Findings by what they are worth (jobs/compute/findings_rank.h). */
    C("finding.money", UNIT_MONEY, 2, false, BETTER_NEITHER, "finding_money"),
    C("finding.confidence", UNIT_SHARE, 1, false, BETTER_HIGHER, "finding_confidence"),
    C("finding.score", UNIT_MONEY, 2, false, BETTER_HIGHER, "finding_score"),
    C("finding.rank", UNIT_COUNT, 0, false, BETTER_NEITHER, "finding_rank"),
    /* Departments, service levels, the journey, early warnings. */
    C("dept.kpi.status", UNIT_STATUS, 0, false, BETTER_HIGHER, "dept_kpi_status"),
    T0("sla.first_response_24h", UNIT_SHARE, 1, BETTER_HIGHER, "sla_first_response_24h", 0, 1),
    T0("sla.closed_48h", UNIT_SHARE, 1, BETTER_HIGHER, "sla_closed_48h", 0, 1),
    T0("sla.open_over_72h", UNIT_SHARE, 1, BETTER_LOWER, "sla_open_over_72h", 0, 1),
    C("journey.nps", UNIT_SCORE, 1, false, BETTER_HIGHER, "nps"),
    C("journey.csat", UNIT_SHARE, 1, false, BETTER_HIGHER, "csat"),
    T0("journey.negative_share", UNIT_SHARE, 1, BETTER_LOWER, "journey_negative_share", 0, 1),
    C("journey.status", UNIT_STATUS, 0, false, BETTER_HIGHER, "journey_status"),
    C("warn.nps_decline", UNIT_STATUS, 0, false, BETTER_LOWER, "warn_nps_decline"),
    C("warn.nps_fall", UNIT_SCORE, 1, false, BETTER_LOWER, "warn_nps_fall"),
    C("warn.promoter_to_passive", UNIT_COUNT, 0, false, BETTER_LOWER, "warn_promoter_to_passive"),
    C("gap.satisfied_churned", UNIT_SHARE, 1, false, BETTER_LOWER, "gap_satisfied_churned"),
    {NULL, UNIT_NUMBER, 0, false, BETTER_NEITHER, NULL, false, false, 0, 0},
};

const struct metric *metric_find(const char *code)
{
    if (!code)
        return NULL;
    size_t len = strcspn(code, "(");
    for (const struct metric *m = metric_catalogue; m->code; m++)
        if (strlen(m->code) == len && !strncmp(m->code, code, len))
            return m;
    return NULL;
}

int metric_verdict(const char *code, double change)
{
    const struct metric *m = metric_find(code);
    int sign = change > 0 ? 1 : change < 0 ? -1 : 0;
    return !m ? 0 : m->better == BETTER_HIGHER ? sign : m->better == BETTER_LOWER ? -sign : 0;
}

int metric_decimals(const struct metric *m, double v)
{
    if (m->decimals != METRIC_SIGNIFICANT2)
        return m->decimals;
    if (v == 0 || !isfinite(v))
        return 0;
    int dec = 1 - (int)floor(log10(fabs(v)));
    return dec < 0 ? 0 : dec > 8 ? 8 : dec;
}
