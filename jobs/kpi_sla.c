#include "kpi_sla.h"

#include "kpi_math.h"
#include "ownership.h"

#include <stdio.h>
#include <stdlib.h>

/* $1 start, $2 T, $3 configured department codes.  A response or closure
 * at or after T has not happened yet, so a backfill sees what the night
 * after T saw; hours are elapsed hours (timestamptz + interval 'N hours'),
 * and "within" includes the limit. */
static const char sla_sql[] =
    "WITH c AS ("
    "  SELECT coalesce(nullif(department, ''), 'unknown') AS dept, priority = 'red' AS red,"
    "   first_response_at < $2::timestamptz"
    "    AND first_response_at <= opened_at + interval '24 hours' AS answered,"
    "   closed_at < $2::timestamptz AND closed_at <= opened_at + interval '48 hours' AS closed,"
    "   closed_at IS NULL OR closed_at >= $2::timestamptz"
    "    OR closed_at > opened_at + interval '72 hours' AS open_long"
    "  FROM c_cases WHERE opened_at >= $1::timestamptz AND opened_at < $2::timestamptz),"
    " d AS (SELECT unnest($3::text[]) AS dept UNION SELECT dept FROM c)"
    " SELECT * FROM (SELECT '' AS dept, count(*) FILTER (WHERE red), count(*) FILTER (WHERE red "
    "AND answered),"
    "  count(*), count(*) FILTER (WHERE closed), count(*) FILTER (WHERE open_long) FROM c"
    " UNION ALL"
    " SELECT d.dept, count(*) FILTER (WHERE c.red), count(*) FILTER (WHERE c.red AND c.answered),"
    "  count(c.dept), count(*) FILTER (WHERE c.closed), count(*) FILTER (WHERE c.open_long)"
    " FROM d LEFT JOIN c USING (dept) GROUP BY d.dept) s"
    " ORDER BY dept COLLATE \"C\"";

static void put_share(struct model *m, const char *code, const char *dims, long long num,
                      long long den)
{
    struct maybe v = ratio((double)num, (double)den);
    model_add(m, code, dims, v.ok, v.v, den, NULL);
}

enum vr_status kpi_sla(struct db *db, const struct config *c, const struct period *p,
                       struct model *m, struct vr_error *err)
{
    char *codes = ownership_department_array(c);
    const char *params[] = {p->start, p->end, codes};
    PGresult *r = db_query(db, "could not compute case SLAs", sla_sql, 3, params, err);
    free(codes);
    if (!r)
        return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *dept = db_text(r, i, 0);
        char dims[256];
        if (*dept)
            snprintf(dims, sizeof(dims), "department=%s", dept);
        else
            dims[0] = '\0';
        long long cases = db_ll(r, i, 3);
        put_share(m, "sla.first_response_24h", dims, db_ll(r, i, 2), db_ll(r, i, 1));
        put_share(m, "sla.closed_48h", dims, db_ll(r, i, 4), cases);
        put_share(m, "sla.open_over_72h", dims, db_ll(r, i, 5), cases);
    }
    PQclear(r);
    return VR_OK;
}
