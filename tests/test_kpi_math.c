/* metrics.md arithmetic on cases worked out by hand (the numbers in the
 * comments are the hand calculation). */
#include "jobs/compute/kpi_math.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int checks, failures;

static void expect_value(const char *what, struct maybe got, double want)
{
    checks++;
    if (!got.ok || fabs(got.v - want) > 1e-9 * fmax(1.0, fabs(want))) {
        failures++;
        if (got.ok)
            fprintf(stderr, "FAIL %s: got %.12g, want %.12g\n", what, got.v, want);
        else
            fprintf(stderr, "FAIL %s: got NULL, want %.12g\n", what, want);
    }
}

static void expect_null(const char *what, struct maybe got)
{
    checks++;
    if (got.ok) {
        failures++;
        fprintf(stderr, "FAIL %s: got %.12g, want NULL\n", what, got.v);
    }
}

static void expect_true(const char *what, bool got, bool want)
{
    checks++;
    if (got != want) {
        failures++;
        fprintf(stderr, "FAIL %s: got %d, want %d\n", what, got, want);
    }
}

int main(void)
{
    /* 120 promoters, 50 passives, 30 detractors of 200: NPS = 100 × 90/200 = 45.
     * p = 0.6, d = 0.15: var = 0.75 − 0.2025 = 0.5475; moe = 196 × sqrt(0.5475/200)
     * = 196 × 0.05232112... = 10.2549403 */
    expect_value("nps 120/50/30", nps_score(120, 30, 200), 45.0);
    expect_value("moe 120/50/30", nps_margin(120, 30, 200), 196.0 * sqrt(0.5475 / 200.0));
    expect_value("moe digits", nps_margin(120, 30, 200), 10.254940272864);

    /* No responses: NULL, never 0. */
    expect_null("nps none", nps_score(0, 0, 0));
    expect_null("moe none", nps_margin(0, 0, 0));

    /* All promoters: NPS 100, no spread, margin 0. */
    expect_value("nps all promoters", nps_score(40, 0, 40), 100.0);
    expect_value("moe all promoters", nps_margin(40, 0, 40), 0.0);
    /* All detractors: −100. */
    expect_value("nps all detractors", nps_score(0, 12, 12), -100.0);

    /* A single passive: NPS 0 (a real zero), margin 0. */
    expect_value("nps single passive", nps_score(0, 0, 1), 0.0);
    expect_value("moe single passive", nps_margin(0, 0, 1), 0.0);
    /* A single promoter: 100. */
    expect_value("nps single promoter", nps_score(1, 0, 1), 100.0);

    /* Half promoters, half detractors of 100: NPS 0; var = 1 − 0 = 1;
     * moe = 196 × sqrt(1/100) = 19.6. */
    expect_value("moe polarised", nps_margin(50, 50, 100), 19.6);

    /* Delta 45 − 37.5 = 7.5; moes 10.25 and 9.0: sqrt(105.16 + 81) = 13.64 > 7.5. */
    struct maybe d = nps_change(just(45.0), just(37.5));
    expect_value("delta", d, 7.5);
    expect_true("delta within margin", nps_change_significant(d, just(10.25), just(9.0)), false);
    /* Delta 20 with moes 8 and 6: sqrt(64 + 36) = 10 < 20: significant. */
    expect_true("delta significant",
                nps_change_significant(just(20.0), just(8.0), just(6.0)), true);
    /* Exactly on the bound is not significant (strictly greater). */
    expect_true("delta on the bound",
                nps_change_significant(just(-10.0), just(8.0), just(6.0)), false);
    expect_null("delta without prior", nps_change(just(45.0), nothing()));
    expect_true("no prior: not significant",
                nps_change_significant(nothing(), just(1.0), just(1.0)), false);

    /* CSAT top-2-box 13 of 16 = 0.8125; no csat scores: NULL. */
    expect_value("csat", ratio(13, 16), 0.8125);
    expect_null("csat none", ratio(0, 0));

    /* LTV: ARPU 300, margin 0.35, churn 0.06: 300 × 0.35 / 0.06 = 1750. */
    expect_value("ltv", ltv(just(300.0), 0.35, just(0.06), 0.01), 1750.0);
    /* Churn 0 is floored at 0.01: 300 × 0.35 / 0.01 = 10500. */
    expect_value("ltv floored", ltv(just(300.0), 0.35, just(0.0), 0.01), 10500.0);
    /* A class with zero customers has no ARPU and so no LTV. */
    expect_null("ltv empty class", ltv(ratio(0, 0), 0.35, ratio(0, 0), 0.01));

    /* Shift: 1 % of 150 detractors × (180 − 100) = 120. */
    expect_value("shift", shift_gain(0.01, 150, just(180.0), just(100.0)), 120.0);
    expect_null("shift no passives", shift_gain(0.01, 150, nothing(), just(100.0)));
    expect_value("shift no detractors", shift_gain(0.01, 0, just(180.0), just(100.0)), 0.0);

    /* Margin: costs 650 of 1000 → 0.35; nothing with a cost → 1.0. */
    checks++;
    if (fabs(gross_margin_from(650, 1000) - 0.35) > 1e-12 || gross_margin_from(0, 0) != 1.0) {
        failures++;
        fprintf(stderr, "FAIL gross margin\n");
    }

    /* Ratio with a zero denominator is NULL: "promoters spend n/a×". */
    expect_null("ratio / 0", ratio_m(just(300.0), just(0.0)));
    expect_value("ratio", ratio_m(just(300.0), just(100.0)), 3.0);

    /* z-test: 4/6 against 2/13: pooled 6/19, se = sqrt(6/19 × 13/19 × (1/6 + 1/13))
     * = 0.229416..., z = (0.666667 − 0.153846) / se = 2.2353, p = erfc(z/√2) = 0.025396. */
    expect_value("p 4/6 vs 2/13", two_proportion_p(4, 6, 2, 13), 0.025395508800329);
    expect_value("p symmetric", two_proportion_p(2, 13, 4, 6), 0.025395508800329);
    expect_null("p no churn at all", two_proportion_p(0, 5, 0, 5));
    expect_null("p empty cohort", two_proportion_p(0, 0, 1, 3));

    /* ROI with its interval (decisions.md "VoC ROI: one window"): benefit
     * 500 ± 1.96 × 100 against a cost of 1000: (500 − 1000) / 1000 = −0.5,
     * (304 − 1000) / 1000 = −0.696 to (696 − 1000) / 1000 = −0.304: below 0. */
    struct roi_estimate r = roi_estimate(just(500), 100, 1000);
    expect_value("roi 500/1000", r.value, -0.5);
    expect_value("roi low", r.low, -0.696);
    expect_value("roi high", r.high, -0.304);
    expect_true("roi below 0 is significant", r.not_significant, false);
    /* 900 ± 196: −0.296 to +0.096 holds 0. */
    r = roi_estimate(just(900), 100, 1000);
    expect_value("roi 900 low", r.low, -0.296);
    expect_value("roi 900 high", r.high, 0.096);
    expect_true("roi interval holding 0", r.not_significant, true);
    /* A refund (cost −100): (50 + 100) / −100 = −1.5; the ends swap:
     * (69.6 + 100) / −100 = −1.696 is the low one, (30.4 + 100) / −100 = −1.304. */
    r = roi_estimate(just(50), 10, -100);
    expect_value("roi refund", r.value, -1.5);
    expect_value("roi refund low", r.low, -1.696);
    expect_value("roi refund high", r.high, -1.304);
    expect_null("roi without cost", roi_estimate(just(50), 10, 0).value);
    expect_null("roi without benefit", roi_estimate(nothing(), 10, 1000).low);

    printf("kpi_math: %d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
