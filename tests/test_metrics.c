/* The metric catalogue (jobs/config/metrics.h) and what reads it: every entry
 * named in both locales, found by its code or as a target writes it; the
 * metrics a target may name with the scope and ranges the config checks
 * used before the catalogue (typed again here); page text by unit, values
 * worked out by hand (the workbook's formats: test_xw_sheets.c).
 *   test_metrics TEMPLATE_DIR */
#include "jobs/config/config.h"
#include "jobs/config/metrics.h"
#include "report/texts.h"
#include "unit_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_labels(const char *templates)
{
    static const char *const locales[] = {"en_US", "zh_CN"};
    for (size_t l = 0; l < 2; l++) {
        struct texts *t = NULL;
        struct vr_error err = {0};
        if (texts_load(&t, templates, locales[l], &err) != VR_OK) {
            check(0, "%s", err.msg);
            continue;
        }
        for (const struct metric *m = metric_catalogue; m->code; m++) {
            check(strcmp(texts_get(t, m->label), m->label) != 0, "%s: no text %s for %s",
                  locales[l], m->label, m->code);
            for (const struct metric *o = m + 1; l == 0 && o->code; o++)
                check(strcmp(m->code, o->code) != 0, "%s twice in the catalogue", m->code);
        }
        texts_free(t);
    }
}

static void test_find(void)
{
    const struct metric *m = metric_find("topic.negative(app_crash)");
    check(m && !strcmp(m->code, "topic.negative"), "topic.negative(app_crash): %s",
          m ? m->code : "NULL");
    m = metric_find("nps");
    check(m && !strcmp(m->code, "nps"), "nps: %s", m ? m->code : "NULL");
    m = metric_find("nps_n");
    check(m && !strcmp(m->code, "nps_n"), "nps_n: %s", m ? m->code : "NULL");
    check(metric_find("np") == NULL && metric_find("nps_") == NULL && metric_find(NULL) == NULL,
          "a part of a code is no code");
    check(metric_verdict("nps_delta", 3) == 1 && metric_verdict("nps_delta", -3) == -1 &&
              metric_verdict("topic.negative", 1) == -1 &&
              metric_verdict("topic.negative", -2) == 1 && metric_verdict("nps", 0) == 0 &&
              metric_verdict("class.customers", 5) == 0 && metric_verdict("no.such_metric", 5) == 0,
          "verdicts by direction");
    /* Two significant digits: -9.92e-05 -> -0.000099 (6 places), 0.05 ->
     * 0.050, 0.104 -> 0.10, 35 -> 35, 0 -> 0. */
    const struct metric *slope = metric_find("corr.slope");
    const double v[] = {-9.92e-05, 0.05, 0.104, 35, 0};
    const int want[] = {6, 3, 2, 0, 0};
    for (size_t i = 0; i < 5; i++)
        check(metric_decimals(slope, v[i]) == want[i], "decimals of %g: %d, want %d", v[i],
              metric_decimals(slope, v[i]), want[i]);
}

/* The target table of config_targets.c before the catalogue: name, topic,
 * rate, range. */
static void test_targets(void)
{
    static const struct {
        const char *name;
        bool topic, rate;
        double min, max;
    } want[] = {
        {"nps", 0, 0, -100, 100},
        {"csat", 0, 1, 0, 1},
        {"ces", 0, 0, 1, 7},
        {"topic.mentions", 1, 0, 0, 1e12},
        {"topic.negative", 1, 0, 0, 1e12},
        {"topic.sentiment_score", 1, 0, 0, 100},
        {"sla.first_response_24h", 0, 1, 0, 1},
        {"sla.closed_48h", 0, 1, 0, 1},
        {"sla.open_over_72h", 0, 1, 0, 1},
        {"journey.negative_share", 0, 1, 0, 1},
    };
    size_t n = 0;
    for (const struct metric *m = metric_catalogue; m->code; m++) {
        if (!m->target)
            continue;
        bool known = n < sizeof(want) / sizeof(want[0]);
        check(known && !strcmp(m->code, want[n].name), "target %zu is %s", n, m->code);
        if (known && !strcmp(m->code, want[n].name))
            check(m->needs_topic == want[n].topic && (m->unit == UNIT_SHARE) == want[n].rate &&
                      m->min == want[n].min && m->max == want[n].max,
                  "target %s: scope or range changed", m->code);
        check(config_target_metric(m->code) == m, "config_target_metric(%s)", m->code);
        n++;
    }
    check(n == sizeof(want) / sizeof(want[0]), "%zu targets, want 10", n);
    check(!config_target_metric("class.arpu") && !config_target_metric("topic.negative(x)"),
          "a figure no target names, or a metric with its argument, is no target");

    struct target t;
    struct vr_error err = {0};
    check(config_parse_target(&t, "sla.closed_48h >= 90% amber 5%", NULL, &err) == VR_OK &&
              t.value == 0.9 && t.amber == 0.05,
          "a rate target with %%: %s", err.msg);
    config_free_target(&t);
    check(config_parse_target(&t, "ces >= 5%", NULL, &err) == VR_ERR_CONFIG &&
              !strcmp(err.msg, "ces is not a rate: write its target without %"),
          "ces with %%: %s", err.msg);
    config_free_target(&t);
}

static void expect_text(const struct texts *t, const char *metric, double v, const char *want)
{
    char *got = fmt_metric(t, metric, v);
    check(!strcmp(got, want), "fmt_metric(%s, %g): \"%s\", want \"%s\"", metric, v, got, want);
    free(got);
}

static void test_formats(const char *templates)
{
    struct texts *t = NULL;
    struct vr_error err = {0};
    if (texts_load(&t, templates, "en_US", &err) != VR_OK) {
        check(0, "%s", err.msg);
        return;
    }
    expect_text(t, "sla.closed_48h", 0.81, "81.0 %");
    expect_text(t, "ces", 5.4, "5.40");
    expect_text(t, "topic.negative(app_crash)", 1234, "1,234");
    expect_text(t, "nps", 38, "38");
    expect_text(t, "nps", 37.5, "37.5");
    expect_text(t, "corr.slope", -9.92e-05, "-0.000099");
    expect_text(t, "class.arpu", 1750, "1,750.00");
    expect_text(t, "no.such_metric", 12.25, "12.2");
    check(!strcmp(metric_label(t, "sla.closed_48h"), "Cases closed within 48 h"),
          "label of sla.closed_48h: %s", metric_label(t, "sla.closed_48h"));
    check(!strcmp(metric_label(t, "no.such_metric"), "no.such_metric"), "label of an unknown");
    texts_free(t);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEMPLATE_DIR\n", argv[0]);
        return 2;
    }
    test_labels(argv[1]);
    test_find();
    test_targets();
    test_formats(argv[1]);
    return unit_check_done("test_metrics");
}
