#include "kpi_math.h"

#include <math.h>

struct maybe nps_score(long long promoters, long long detractors, long long scored)
{
    if (scored <= 0)
        return nothing();
    return just(100.0 * (double)(promoters - detractors) / (double)scored);
}

struct maybe nps_margin(long long promoters, long long detractors, long long scored)
{
    if (scored <= 0)
        return nothing();
    double n = (double)scored, p = promoters / n, d = detractors / n;
    double var = p + d - (p - d) * (p - d);
    /* Rounding can leave -1e-17 for all-promoter samples. */
    return just(100.0 * Z95 * sqrt(var > 0 ? var / n : 0.0));
}

struct maybe nps_change(struct maybe cur, struct maybe prior)
{
    if (!cur.ok || !prior.ok)
        return nothing();
    return just(cur.v - prior.v);
}

bool nps_change_significant(struct maybe delta, struct maybe moe, struct maybe moe_prior)
{
    if (!delta.ok || !moe.ok || !moe_prior.ok)
        return false;
    return fabs(delta.v) > sqrt(moe.v * moe.v + moe_prior.v * moe_prior.v);
}

struct maybe ratio(double num, double den)
{
    if (den == 0.0)
        return nothing();
    return just(num / den);
}

struct maybe ratio_m(struct maybe num, struct maybe den)
{
    if (!num.ok || !den.ok)
        return nothing();
    return ratio(num.v, den.v);
}

struct maybe ltv(struct maybe arpu, double gross_margin, struct maybe churn, double churn_floor)
{
    if (!arpu.ok || !churn.ok)
        return nothing();
    return just(arpu.v * gross_margin / fmax(churn.v, churn_floor));
}

struct maybe shift_gain(double shift_pct, long long detractors, struct maybe passive_value,
                        struct maybe detractor_value)
{
    if (!passive_value.ok || !detractor_value.ok)
        return nothing();
    return just(shift_pct * (double)detractors * (passive_value.v - detractor_value.v));
}

double gross_margin_from(double cost_sum, double amount_sum)
{
    if (amount_sum == 0.0)
        return 1.0;
    return 1.0 - cost_sum / amount_sum;
}

struct maybe two_proportion_p(long long x1, long long n1, long long x2, long long n2)
{
    if (n1 <= 0 || n2 <= 0)
        return nothing();
    double pooled = (double)(x1 + x2) / (double)(n1 + n2);
    if (pooled <= 0.0 || pooled >= 1.0)
        return nothing();
    double se = sqrt(pooled * (1.0 - pooled) * (1.0 / (double)n1 + 1.0 / (double)n2));
    double z = ((double)x1 / (double)n1 - (double)x2 / (double)n2) / se;
    return just(erfc(fabs(z) / sqrt(2.0)));
}

struct roi_estimate roi_estimate(struct maybe benefit, double se, double cost)
{
    struct roi_estimate r = {nothing(), nothing(), nothing(), false};
    if (!benefit.ok || cost == 0.0)
        return r;
    double a = (benefit.v - Z95 * fabs(se) - cost) / cost;
    double b = (benefit.v + Z95 * fabs(se) - cost) / cost;
    r.value = just((benefit.v - cost) / cost);
    r.low = just(fmin(a, b)); /* a negative cost (a refund) turns the interval round */
    r.high = just(fmax(a, b));
    r.not_significant = r.low.v <= 0.0 && r.high.v >= 0.0;
    return r;
}
