/* Test driver for kpi_depts_history(): what a run with this as-of would
 * read back from earlier runs.
 *   dept_history CONFIG JOB AS_OF
 * Prints "previous DIMS VALUE" per KPI, then "trend DIMS AS_OF VALUE" per
 * point in model order; NULL values as "NULL". */
#include "jobs/config.h"
#include "jobs/db.h"
#include "jobs/kpi_depts.h"
#include "jobs/model.h"
#include "jobs/period.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: dept_history CONFIG JOB AS_OF\n");
        return 2;
    }
    struct vr_error err = {0};
    struct config *c = NULL;
    struct db db;
    struct period p;
    struct model m;
    memset(&db, 0, sizeof(db));
    model_init(&m);
    const struct job_config *job = NULL;
    if (config_load(&c, argv[1], &err) == VR_OK && !(job = config_job(c, argv[2])))
        vr_fail(&err, VR_ERR_USAGE, "no job \"%s\"", argv[2]);
    if (err.status == VR_OK &&
        db_connect(&db, c->conninfo, job->time_zone, c->source_schema, c->results_schema, &err) ==
            VR_OK &&
        period_resolve(&db, job, argv[3], &p, &err) == VR_OK &&
        kpi_depts_history(&db, c, job, &p, &m, &err) == VR_OK) {
        for (size_t i = 0; i < m.n_kpis; i++) {
            const struct kpi *k = &m.kpis[i];
            if (k->has_value)
                printf("previous %s %.15g\n", k->dims, k->value);
            else
                printf("previous %s NULL\n", k->dims);
        }
        for (size_t i = 0; i < m.n_trend; i++) {
            const struct trend_point *t = &m.trend[i];
            if (t->has_value)
                printf("trend %s %s %.15g\n", t->dims, t->as_of, t->value);
            else
                printf("trend %s %s NULL\n", t->dims, t->as_of);
        }
    }
    if (err.status != VR_OK)
        fprintf(stderr, "dept_history: %s\n", err.msg);
    db_close(&db);
    model_release(&m);
    config_free(c);
    return err.status == VR_OK ? 0 : 1;
}
