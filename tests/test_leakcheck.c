/* The leak check (report/leakcheck.h) on a department KPI that measures
 * another department's topic: its figures carry only
 * "department=billing;kpi=K", so only the KPI's definition shows whose
 * topic it is.  The run's model and the pack's slice are built here by
 * hand, as a run with config checking bypassed would produce them, without
 * the slicer (report/dept_slice.c): the check must hold such a pack
 * whatever the slicer did.
 *   test_leakcheck */
#include "jobs/base/strbuf.h"
#include "report/leakcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

static void expect(const char *what, char *got, const char *want)
{
    checks++;
    if (got == want || (got && want && !strcmp(got, want))) {
        free(got);
        return;
    }
    failures++;
    fprintf(stderr, "FAIL %s:\n  got  %s\n  want %s\n", what, got ? got : "(clean)",
            want ? want : "(clean)");
    free(got);
}

/* The ownership map of config/vocreport.ini and config/taxonomy.ini, and
 * one department KPI written as metric_written for billing. */
static void run_model(struct model *full, const char *kpi, const char *metric_written)
{
    model_init(full);
    model_add_label(full, "department", "billing", "Billing");
    model_add_label(full, "department", "product", "Product");
    model_add_label(full, "owner_touchpoint", "purchase", "billing");
    model_add_label(full, "owner_touchpoint", "onboarding", "product");
    model_add_label(full, "owner_topic", "payment", "billing");
    model_add_label(full, "owner_topic", "price", "product");
    model_add_label(full, "owner_topic", "app_bugs", "product");
    model_add_label(full, "topic", "payment", "Payment problems");
    model_add_label(full, "topic", "price", "Price");
    model_add_label(full, "dept_kpi", "department=billing;kpi=csat", "csat");
    if (!kpi)
        return;
    char dims[128];
    snprintf(dims, sizeof(dims), "department=billing;kpi=%s", kpi);
    model_add_label(full, "dept_kpi", dims, metric_written);
}

/* Billing's pack as the slicer would make it: its own labels and its KPI
 * figures, no topic figure of anyone. */
static void billing_slice(struct model *s, const char *kpi, const char *metric_written)
{
    model_init(s);
    s->department = xstrdup("billing");
    model_add_label(s, "department", "billing", "Billing");
    model_add_label(s, "owner_touchpoint", "purchase", "billing");
    model_add_label(s, "owner_topic", "payment", "billing");
    model_add_label(s, "topic", "payment", "Payment problems");
    model_add_label(s, "dept_kpi", "department=billing;kpi=csat", "csat");
    model_add(s, "dept.kpi.actual", "department=billing;kpi=csat", true, 0.83, 1327, NULL);
    if (!kpi)
        return;
    char dims[128];
    snprintf(dims, sizeof(dims), "department=billing;kpi=%s", kpi);
    if (metric_written)
        model_add_label(s, "dept_kpi", dims, metric_written);
    model_add(s, "dept.kpi.actual", dims, true, 90, 168, NULL);
    model_add(s, "dept.kpi.status", dims, true, 2, -1, "green");
}

/* One pack: billing's KPI kpi defined in the run as defined_as (NULL: not
 * defined) with its figures in the slice, labelled there as labelled_as
 * (NULL: no label), and, when trend_as_of is set, only a trend point of it
 * from that earlier report instead of this report's figures. */
struct pack_case {
    const char *what, *kpi, *defined_as, *labelled_as, *trend_as_of, *want;
};

static void check_pack(const struct pack_case *pc)
{
    struct model full, slice;
    run_model(&full, pc->defined_as ? pc->kpi : NULL, pc->defined_as);
    billing_slice(&slice, pc->trend_as_of ? NULL : pc->kpi, pc->labelled_as);
    char dims[128];
    snprintf(dims, sizeof(dims), "department=billing;kpi=%s", pc->kpi);
    if (pc->trend_as_of)
        model_add_trend(&slice, "dept.kpi.actual", dims, pc->trend_as_of, 6, true, 82);
    expect(pc->what, leak_check(&full, &slice, "billing.pdf"), pc->want);
    model_release(&slice);
    model_release(&full);
}

#define FOREIGN "a KPI on topic.negative(price), whose topic price is owned by product"

static const struct pack_case cases[] = {
    /* A KPI on billing's own topic: clean, as figures and as a trend. */
    {"own topic", "payment_problems", "topic.negative(payment)", "topic.negative(payment)", NULL,
     NULL},
    {"own topic trend", "payment_problems", "topic.negative(payment)", NULL, "2026-11-01", NULL},
    /* The shipped config before issue 10: billing's KPI on product's
     * topic; the first figure of it is named, with the topic's owner. */
    {"foreign topic figure", "price_complaints", "topic.negative(price)", "topic.negative(price)",
     NULL,
     "billing.pdf would show dept.kpi.actual department=billing;kpi=price_complaints, " FOREIGN},
    /* Without its label in the slice: the definition is read from the
     * run's model, so dropping the label hides nothing. */
    {"foreign topic, no label in the slice", "price_complaints", "topic.negative(price)", NULL,
     NULL,
     "billing.pdf would show dept.kpi.actual department=billing;kpi=price_complaints, " FOREIGN},
    /* Only a trend point of it (an earlier report's figure). */
    {"foreign topic trend point", "price_complaints", "topic.negative(price)", NULL, "2026-10-01",
     "billing.pdf would show a trend point of dept.kpi.actual "
     "department=billing;kpi=price_complaints (as of 2026-10-01), " FOREIGN},
    /* A topic nobody owns is not billing's either. */
    {"unowned topic", "gifts", "topic.mentions(gift_cards)", "topic.mentions(gift_cards)", NULL,
     "billing.pdf would show dept.kpi.actual department=billing;kpi=gifts, a KPI on "
     "topic.mentions(gift_cards), whose topic gift_cards is owned by no department"},
    /* A figure of a KPI the run never defined: what it measures is
     * unknown, so it is held. */
    {"undefined KPI", "ghost", NULL, NULL, NULL,
     "billing.pdf would show dept.kpi.actual department=billing;kpi=ghost, a KPI of billing "
     "with no definition in the run, so what it measures is unknown"},
    /* An argument on a metric that is not topic.*: not attributable. */
    {"unknown scoped metric", "tp", "touchpoint.nps(onboarding)", "touchpoint.nps(onboarding)",
     NULL,
     "billing.pdf would show dept.kpi.actual department=billing;kpi=tp, a KPI on "
     "touchpoint.nps(onboarding), which cannot be attributed to billing"},
};

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_pack(&cases[i]);

    /* Only its label (the scorecard would print the metric as written). */
    struct model full, slice;
    run_model(&full, "price_complaints", "topic.negative(price)");
    billing_slice(&slice, NULL, NULL);
    model_add_label(&slice, "dept_kpi", "department=billing;kpi=price_complaints",
                    "topic.negative(price)");
    expect("foreign topic label", leak_check(&full, &slice, "billing.pdf"),
           "billing.pdf would show the dept_kpi label of "
           "department=billing;kpi=price_complaints, " FOREIGN);
    model_release(&slice);
    model_release(&full);

    /* What the company calls its codes ([touchpoint.*], [channel.*]): a
     * name of billing's own touchpoint and of a channel may show; a name
     * of product's touchpoint may not, and a data note is company-wide. */
    run_model(&full, NULL, NULL);
    billing_slice(&slice, NULL, NULL);
    model_add_label(&slice, "touchpoint", "purchase", "First payment");
    model_add_label(&slice, "channel", "wechat", "WeChat");
    model_add_label(&slice, "segment", "smb", "Small business");
    expect("own touchpoint and channel names", leak_check(&full, &slice, "billing.pdf"), NULL);
    model_add_label(&slice, "touchpoint", "onboarding", "Sign-up flow");
    expect("another department's touchpoint name", leak_check(&full, &slice, "billing.pdf"),
           "billing.pdf would show the touchpoint label of onboarding (\"Sign-up flow\"), not "
           "billing's");
    model_release(&slice);
    /* The company's name for a KPI (kpi_name.K): its own department's
     * only. */
    billing_slice(&slice, NULL, NULL);
    model_add_label(&slice, "kpi_name", "department=billing;kpi=csat", "Checkout satisfaction");
    expect("own KPI's name", leak_check(&full, &slice, "billing.pdf"), NULL);
    model_add_label(&slice, "kpi_name", "department=product;kpi=crashes", "App stability");
    expect("another department's KPI name", leak_check(&full, &slice, "billing.pdf"),
           "billing.pdf would show the kpi_name label of department=product;kpi=crashes (\"App "
           "stability\"), not billing's");
    model_release(&slice);
    billing_slice(&slice, NULL, NULL);
    model_add_note(&slice, "touchpoint", "purchase", "[journey]");
    expect("a data note", leak_check(&full, &slice, "billing.pdf"),
           "billing.pdf would show company-wide data checks, reconciliation or experiments");
    model_release(&slice);
    model_release(&full);

    /* What a department head's mail says in words (leak_check_text): the
     * HTML and the texts drawn in its chart. */
    run_model(&full, NULL, NULL);
    model_add_label(&full, "touchpoint", "onboarding", "Sign-up flow");
    model_add_label(&full, "owner_topic", "payment_fees", "product");
    model_add_label(&full, "topic", "payment_fees", "Payment");
    const char *billing[] = {"billing"};
    const char *both[] = {"billing", "product"};
    const char *own = "<h2>Billing: KPI status</h2><td data-dims=\"department=billing;kpi=csat\">"
                      "Negative mentions: Payment problems</td><td>First payment</td>";
    expect("own words only", leak_check_text(&full, billing, 1, own, "the mail"), NULL);
    expect("a name inside an own name is not a leak (Payment in Payment problems)",
           leak_check_text(&full, billing, 1, "Payment problems", "the mail"), NULL);
    expect("another department's name",
           leak_check_text(&full, billing, 1, "<td>Product: KPI status</td>", "the mail"),
           "the mail would name \"Product\", the department product");
    expect("another department's code in an attribute",
           leak_check_text(&full, billing, 1, "<td data-dims=\"department=product;kpi=ces\">",
                           "the mail"),
           "the mail would name the department product");
    expect("another department's topic by name",
           leak_check_text(&full, billing, 1, "<td>Sign-up &amp; Price</td>", "the mail"),
           "the mail would name \"Price\", topic price of product");
    expect("another department's touchpoint in the chart's texts",
           leak_check_text(&full, billing, 1, "NPS\nSign-up flow\n", "the mail"),
           "the mail would name \"Sign-up flow\", touchpoint onboarding of product");
    expect("a code only as a whole word (app_bugs, not app_bugs_fixed)",
           leak_check_text(&full, billing, 1, "app_bugs_fixed apple", "the mail"), NULL);
    expect("a code as a whole word", leak_check_text(&full, billing, 1, "x app_bugs.", "the mail"),
           "the mail would name topic app_bugs, product's");
    expect("a head of both departments may see both",
           leak_check_text(&full, both, 2, "Product Billing Price app_bugs", "the mail"), NULL);
    model_release(&full);

    printf("test_leakcheck: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
