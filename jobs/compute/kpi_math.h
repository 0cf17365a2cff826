/* The arithmetic of metrics.md, free of SQL and I/O, so each formula can be
 * checked on hand-computed cases.  A "maybe" is a value that may be NULL
 * (no data): it is never silently turned into 0. */
#ifndef VR_KPI_MATH_H
#define VR_KPI_MATH_H

#include <stdbool.h>

struct maybe {
    bool ok;
    double v;
};

static inline struct maybe just(double v)
{
    return (struct maybe){true, v};
}
static inline struct maybe nothing(void)
{
    return (struct maybe){false, 0.0};
}

/* The 95 % normal quantile of every interval and margin in metrics.md. */
#define Z95 1.96

/* 100 × (promoters − detractors) / scored; NULL when nothing is scored. */
struct maybe nps_score(long long promoters, long long detractors, long long scored);
/* 100 × 1.96 × sqrt((p + d − (p − d)²) / n); NULL when n = 0. */
struct maybe nps_margin(long long promoters, long long detractors, long long scored);
/* Current minus prior; NULL when either is. */
struct maybe nps_change(struct maybe cur, struct maybe prior);
/* abs(delta) > sqrt(moe² + moe_prior²); false when any input is NULL. */
bool nps_change_significant(struct maybe delta, struct maybe moe, struct maybe moe_prior);

/* num / den; NULL when den = 0. */
struct maybe ratio(double num, double den);
struct maybe ratio_m(struct maybe num, struct maybe den);
/* arpu × margin / max(churn, floor); NULL when arpu or churn is NULL. */
struct maybe ltv(struct maybe arpu, double gross_margin, struct maybe churn, double churn_floor);
/* shift_pct × detractors × (passive − detractor); NULL when a value is. */
struct maybe shift_gain(double shift_pct, long long detractors, struct maybe passive_value,
                        struct maybe detractor_value);
/* Two-sided pooled two-proportion z-test of x1/n1 against x2/n2:
 * erfc(|z| / sqrt 2); NULL when a sample is empty or the pooled rate is 0
 * or 1 (no variance to test against). */
struct maybe two_proportion_p(long long x1, long long n1, long long x2, long long n2);
/* (benefit − cost) / cost with its 95 % interval, when the benefit is an
 * estimate with standard error se and the cost a ledger amount (exact):
 * (benefit ∓ Z95 × se − cost) / cost.  not_significant when the interval
 * holds 0.  All NULL when the benefit is or the cost is 0. */
struct roi_estimate {
    struct maybe value, low, high;
    bool not_significant;
};
struct roi_estimate roi_estimate(struct maybe benefit, double se, double cost);
/* 1 − cost / amount over orders that have a cost; 1.0 when amount is 0. */
double gross_margin_from(double cost_sum, double amount_sum);

#endif
