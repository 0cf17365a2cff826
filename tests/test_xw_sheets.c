/* A workbook's table of sheets (report/xlsx_book.h): every sheet written
 * once, each after the sheets that give the cells it needs, tabs in table
 * order whatever the writing order; a need no sheet gives is an internal
 * error naming the sheet.  And the number format of each figure, from the
 * metric catalogue (jobs/config/metrics.h).
 *   test_xw_sheets TEMPLATE_DIR */
#include "report/xlsx_book.h"
#include "unit_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The order the writers ran in, one letter each. */
static char order[8];
static size_t n_order;

static void note(struct xw *x, char c)
{
    (void)x;
    if (n_order + 1 < sizeof(order))
        order[n_order++] = c;
}

static void write_a(struct xw *x)
{
    note(x, 'a');
}
static void write_b(struct xw *x)
{
    note(x, 'b');
}
static void write_c(struct xw *x)
{
    note(x, 'c');
}
static void write_d(struct xw *x)
{
    note(x, 'd');
}

enum { GIVES_1 = 1, GIVES_2 = 2, GIVES_4 = 4 };

/* Tabs a, b, c, d: a needs what c and d give, b what a gives, c what d
 * gives.  By hand: pass 1 writes d (c and a still wait), pass 2 c, pass 3
 * a, pass 4 b. */
static const struct xw_sheet table[] = {
    {"a", "sheet.summary", write_a, GIVES_2 | GIVES_4, GIVES_1},
    {"b", "sheet.scores", write_b, GIVES_1, 0},
    {"c", "sheet.classes", write_c, GIVES_4, GIVES_2},
    {"d", "sheet.about", write_d, 0, GIVES_4},
};

static void run(const struct render_ctx *ctx, const char *path, const struct xw_sheet *sheets,
                int n, enum vr_status want, const char *want_order, const char *want_msg)
{
    struct xw x = {0};
    struct vr_error err = {0};
    n_order = 0;
    memset(order, 0, sizeof(order));
    enum vr_status st = xw_open(&x, ctx, path, sheets, n, &err);
    check(st == VR_OK, "xw_open: %s", err.msg);
    if (st == VR_OK)
        st = xw_write_sheets(&x, sheets, n, &err);
    check(st == want, "%s: status %d, want %d (%s)", want_order, st, want, err.msg);
    check(!strcmp(order, want_order), "order \"%s\", want \"%s\"", order, want_order);
    if (want_msg)
        check(!strcmp(err.msg, want_msg), "message:\n  got  %s\n  want %s", err.msg, want_msg);
    /* The tabs keep the table's order. */
    for (int i = 0; i < n && st == VR_OK; i++)
        check(!strcmp(x.sh[i].name, texts_get(ctx->t, sheets[i].title_key)), "tab %d is \"%s\"", i,
              x.sh[i].name);
    struct vr_error close_err = {0};
    xw_close(&x, path, &close_err);
}

/* One number format per unit, the places of a slope by its value. */
static void test_kinds(void)
{
    static const struct {
        const char *code;
        double v;
        enum kind want;
    } kinds[] = {
        {"nps", 45, K_SCORE},
        {"nps_delta", -3, K_DELTA},
        {"csat", 0.8, K_PCT},
        {"topic.negative_change", 0.2, K_PCT_SIGNED},
        {"ces", 5.4, K_CES},
        {"class.ltv", 1750, K_MONEY},
        {"class.arpu_ratio", 3, K_RATIO},
        {"cohort.p_value", 0.01, K_PVALUE},
        {"cohort.lost_customers", 17.6, K_DEC1},
        {"promoters", 120, K_INT},
        {"corr.r", 0.81, K_DEC2},
        {"corr.slope", -9.92e-05, K_DEC6},
        {"corr.slope", 0.05, K_DEC3},
        {"corr.slope", 35, K_INT},
        {"topic.negative(app_crash)", 3, K_INT},
        {"no.such_metric", 1, K_GENERAL},
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        check(figure_kind(kinds[i].code, kinds[i].v) == kinds[i].want, "figure_kind(%s, %g): %d",
              kinds[i].code, kinds[i].v, figure_kind(kinds[i].code, kinds[i].v));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEMPLATE_DIR\n", argv[0]);
        return 2;
    }
    struct texts *t = NULL;
    struct vr_error err = {0};
    if (texts_load(&t, argv[1], "en_US", &err) != VR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    struct model m;
    model_init(&m);
    char dir[] = "/tmp/test_xw_sheets.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    char path[64];
    snprintf(path, sizeof(path), "%s/a.xlsx", dir);
    struct render_ctx ctx = {.m = &m, .t = t, .tmp_dir = dir};

    test_kinds();
    run(&ctx, path, table, 4, VR_OK, "dcab", NULL);
    /* Without d nobody gives 4: c waits for ever, a for c and d, b for a. */
    run(&ctx, path, table, 3, VR_ERR_INTERNAL, "",
        "the a sheet needs cells (0x6) no sheet of the workbook writes");

    unlink(path);
    rmdir(dir);
    model_release(&m);
    texts_free(t);
    return unit_check_done("test_xw_sheets");
}
