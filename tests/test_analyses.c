/* The runner's table of analyses (jobs/run/analyses.c): the shipped table
 * is in order, and a table whose analysis reads what only a later one makes
 * is refused, naming the analysis and the need. */
#include "jobs/run/analyses.h"
#include "unit_check.h"

#include <string.h>

static enum vr_status nothing(struct compute_ctx *c, struct vr_error *err)
{
    (void)c;
    (void)err;
    return VR_OK;
}

int main(void)
{
    struct vr_error err = {0};
    check(analyses_check(&err) == VR_OK, "shipped table: %s", err.msg);

    /* Every stage opens with a log line: bench/run.sh times the stages by them. */
    const char *stages[] = {"quality", "scores", "classes", "topics", "experiments", "departments"};
    for (size_t i = 0; i < sizeof(stages) / sizeof(*stages); i++) {
        bool opened = false;
        for (const struct analysis *a = analyses; a->run; a++)
            opened |= !strcmp(a->stage, stages[i]) && a->log;
        check(opened, "stage %s opens with a log line", stages[i]);
    }

    const struct analysis swapped[] = {
        {"a", "first", nothing, "t_cust", "x"},
        {"a", NULL, nothing, "", "t_cust"},
        {NULL, NULL, NULL, NULL, NULL},
    };
    err = (struct vr_error){0};
    check(analyses_check_table(swapped, &err) == VR_ERR_INTERNAL && strstr(err.msg, "analysis 0") &&
              strstr(err.msg, "needs t_cust"),
          "need met only later: %s", err.msg);

    const struct analysis fine[] = {
        {"a", "first", nothing, "", "t_paid t_cust"},
        {"a", NULL, nothing, "t_cust  t_paid", ""},
        {NULL, NULL, NULL, NULL, NULL},
    };
    err = (struct vr_error){0};
    check(analyses_check_table(fine, &err) == VR_OK, "needs met before: %s", err.msg);
    return unit_check_done("test_analyses");
}
