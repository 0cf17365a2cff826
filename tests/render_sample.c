/* Renders a hand-built model with known figures through one renderer, so
 * the workbook and the briefing can be checked without a database:
 *   render_sample xlsx|pdf OUT TEMPLATE_DIR LOCALE FONT */
#include "jobs/model.h"
#include "report/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(struct model *m, const char *code, const char *dims, double v, long long n)
{
    model_add(m, code, dims, true, v, n, NULL);
}

static void sample_model(struct model *m, const char *locale)
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
    for (int i = 0; i < 4; i++)
        model_add_source(m, tables[i], rows[i], rej[i]);
    model_add_rejection(m, "customers", "duplicate_key", 2);
    model_add_rejection(m, "orders", "duplicate_key", 2);
    model_add_rejection(m, "orders", "orphan", 2);
    model_add_rejection(m, "orders", "negative_amount", 1);
    model_add_rejection(m, "survey_responses", "out_of_scale", 6);
    model_add_rejection(m, "survey_responses", "future_dated", 3);
    model_add_rejection(m, "feedback", "empty_body", 3);

    const char *params[][2] = {{"period", "previous_month"}, {"time_zone", "Europe/Berlin"},
                               {"locale", locale},           {"min_sample", "30"},
                               {"segment_lookback_months", "12"}, {"shift_pct", "0.01"},
                               {"gross_margin", "0.35"},     {"churn_floor", "0.01"},
                               {"churn_rule", "explicit"},   {"inactive_days", "180"},
                               {"max_rejected_share", "0.05"}};
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
        model_add_param(m, params[i][0], params[i][1]);

    model_add_verbatim(m, "detractor", "call_center", "2026-09-28",
                       "送货太慢了，等了一个星期才到，客服也不回复。");
    model_add_verbatim(m, "detractor", "review", "2026-09-20",
                       "The refund took three weeks and nobody answered my emails.");
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s xlsx|pdf OUT TEMPLATE_DIR LOCALE FONT\n", argv[0]);
        return 2;
    }
    struct model m;
    struct texts *t = NULL;
    struct vr_error err = {0};
    sample_model(&m, argv[4]);
    if (texts_load(&t, argv[3], argv[4], &err) != VR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    struct render_ctx ctx = {.m = &m, .t = t, .font_path = argv[5], .tmp_dir = "/tmp"};
    enum vr_status st = !strcmp(argv[1], "xlsx") ? render_xlsx_executive(&ctx, argv[2], &err)
                                                 : render_pdf_briefing(&ctx, argv[2], &err);
    if (st != VR_OK)
        fprintf(stderr, "render failed: %s\n", err.msg);
    texts_free(t);
    model_release(&m);
    return st == VR_OK ? 0 : 1;
}
