#include "kpi_sla.h"

#include "jobs/base/sql_file.h"
#include "kpi_math.h"
#include "ownership.h"

#include <stdio.h>
#include <stdlib.h>

static void put_share(struct model *m, const char *code, const char *dims, long long num,
                      long long den)
{
    struct maybe v = ratio((double)num, (double)den);
    model_add(m, code, dims, v.ok, v.v, den, NULL);
}

enum vr_status kpi_sla(struct db *db, const struct config *c, struct model *m, struct vr_error *err)
{
    if (db_exec_file(db, "could not count cases per period", "compute/sla_counts.sql", SQL_NO_ARGS,
                     err) != VR_OK)
        return err->status;
    char *codes = ownership_department_array(c);
    PGresult *r = db_query_file(db, "could not compute case SLAs", "compute/sla_figures.sql",
                                SQL_ARGS({"departments", codes}), err);
    free(codes);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *dept = db_get_text(r, i, "dept");
        char dims[256];
        if (*dept)
            snprintf(dims, sizeof(dims), "department=%s", dept);
        else
            dims[0] = '\0';
        long long cases = db_get_ll(r, i, "cases");
        put_share(m, "sla.first_response_24h", dims, db_get_ll(r, i, "answered"),
                  db_get_ll(r, i, "red"));
        put_share(m, "sla.closed_48h", dims, db_get_ll(r, i, "closed"), cases);
        put_share(m, "sla.open_over_72h", dims, db_get_ll(r, i, "open_long"), cases);
    }
    PQclear(r);
    return VR_OK;
}
