/* The last line of defence of the result model: a figure that is NaN or
 * infinite is stored as NULL with the flag not_finite, so kpi_values and
 * finance's figures CSV never carry "nan" or "inf". */
#include "jobs/base/strbuf.h"
#include "jobs/model/model.h"
#include "report/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

static void expect_str(const char *what, const char *got, const char *want)
{
    checks++;
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want))) {
        failures++;
        fprintf(stderr, "FAIL %s: got '%s', want '%s'\n", what, got ? got : "(null)",
                want ? want : "(null)");
    }
}

static void expect_figure(const struct model *m, const char *code, bool has_value, double value,
                          const char *flag)
{
    const struct kpi *k = model_find(m, code, "");
    checks++;
    if (!k || k->has_value != has_value || (has_value && k->value != value)) {
        failures++;
        fprintf(stderr, "FAIL %s: got %s %g, want %s %g\n", code,
                k && k->has_value ? "value" : "NULL", k ? k->value : 0.0,
                has_value ? "value" : "NULL", value);
    }
    expect_str(code, k ? k->flag : NULL, flag);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCRATCH_CSV\n", argv[0]);
        return 2;
    }
    struct model m;
    model_init(&m);
    m.run_id = 7;
    m.as_of = xstrdup("2026-10-01");
    model_add(&m, "a.nan", "", true, NAN, 12, "low_sample");
    model_add(&m, "b.inf", "", true, INFINITY, -1, NULL);
    model_add(&m, "c.minus_inf", "", true, -INFINITY, 3, "");
    model_add(&m, "d.fine", "", true, 1.5, 4, NULL);
    model_add(&m, "e.null", "", false, NAN, 0, NULL);
    model_add(&m, "f.gap", "", false, 0.0, 0, "low_sample,no_orders");
    model_add(&m, "g.few", "", false, 0.0, 3, "low_sample");
    expect_figure(&m, "a.nan", false, 0, "low_sample,not_finite");
    expect_figure(&m, "b.inf", false, 0, "not_finite");
    expect_figure(&m, "c.minus_inf", false, 0, "not_finite");
    expect_figure(&m, "d.fine", true, 1.5, NULL);
    /* NULL stays NULL whatever the value beside it: not a defect.  Over
     * nothing counted (n = 0) it says so (no_sample), unless its flag
     * gives a reason already; with n > 0 it is left as it came. */
    expect_figure(&m, "e.null", false, 0, "no_sample");
    expect_figure(&m, "f.gap", false, 0, "low_sample,no_orders");
    expect_figure(&m, "g.few", false, 0, "low_sample");

    struct render_ctx ctx = {.m = &m};
    struct vr_error err = {0};
    checks++;
    if (render_csv_figures(&ctx, argv[1], &err) != VR_OK) {
        failures++;
        fprintf(stderr, "FAIL csv: %s\n", err.msg);
    }
    char csv[1024] = "";
    FILE *f = fopen(argv[1], "r");
    size_t n = f ? fread(csv, 1, sizeof(csv) - 1, f) : 0;
    csv[n] = '\0';
    if (f)
        fclose(f);
    expect_str("csv", csv,
               "\xEF\xBB\xBF" /* the UTF-8 byte order mark: Excel reads Chinese */
               "run_id,code,dims,value,n,flag,period_start,period_end,as_of\r\n"
               "7,a.nan,,,12,\"low_sample,not_finite\",,,2026-10-01\r\n"
               "7,b.inf,,,,not_finite,,,2026-10-01\r\n"
               "7,c.minus_inf,,,3,not_finite,,,2026-10-01\r\n"
               "7,d.fine,,1.5,4,,,,2026-10-01\r\n"
               "7,e.null,,,0,no_sample,,,2026-10-01\r\n"
               "7,f.gap,,,0,\"low_sample,no_orders\",,,2026-10-01\r\n"
               "7,g.few,,,3,low_sample,,,2026-10-01\r\n");
    model_release(&m);
    printf("model: %d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
