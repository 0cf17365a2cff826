#include "kpi_sla.h"

#include "kpi_math.h"
#include "ownership.h"

#include <stdio.h>
#include <stdlib.h>

/* Cases opened in each period of the history (t_periods), overall (dept
 * '') and per department, as known at that period's end hi: a response or
 * closure at or after hi has not happened yet, so a backfill sees what the
 * night after saw; hours are elapsed hours (timestamptz + interval 'N
 * hours'), and "within" includes the limit.  kpi_depts reads the table for
 * the departments' SLA histories. */
static const char counts_sql[] =
    "CREATE TEMP TABLE t_sla_counts AS"
    " WITH c AS ("
    "  SELECT p.k, coalesce(nullif(department, ''), 'unknown') AS dept, priority = 'red' AS red,"
    "   first_response_at < p.hi"
    "    AND first_response_at <= opened_at + interval '24 hours' AS answered,"
    "   closed_at < p.hi AND closed_at <= opened_at + interval '48 hours' AS closed,"
    "   closed_at IS NULL OR closed_at >= p.hi"
    "    OR closed_at > opened_at + interval '72 hours' AS open_long"
    "  FROM c_cases JOIN t_periods p ON opened_at >= p.lo AND opened_at < p.hi)"
    " SELECT k, coalesce(dept, '') AS dept, count(*) FILTER (WHERE red) AS red,"
    "  count(*) FILTER (WHERE red AND answered) AS answered, count(*) AS cases,"
    "  count(*) FILTER (WHERE closed) AS closed, count(*) FILTER (WHERE open_long) AS open_long"
    " FROM c GROUP BY GROUPING SETS ((k), (k, dept))";

/* $1 configured department codes: the period's figures, overall first,
 * then every configured department and every one with a case, in byte
 * order. */
static const char sla_sql[] =
    "WITH d AS (SELECT '' AS dept UNION SELECT unnest($1::text[])"
    "  UNION SELECT dept FROM t_sla_counts WHERE k = 0)"
    " SELECT d.dept, coalesce(s.red, 0), coalesce(s.answered, 0), coalesce(s.cases, 0),"
    "  coalesce(s.closed, 0), coalesce(s.open_long, 0)"
    " FROM d LEFT JOIN t_sla_counts s ON s.dept = d.dept AND s.k = 0"
    " ORDER BY d.dept COLLATE \"C\"";

static void put_share(struct model *m, const char *code, const char *dims, long long num,
                      long long den)
{
    struct maybe v = ratio((double)num, (double)den);
    model_add(m, code, dims, v.ok, v.v, den, NULL);
}

enum vr_status kpi_sla(struct db *db, const struct config *c, struct model *m, struct vr_error *err)
{
    if (db_exec(db, "could not count cases per period", counts_sql, 0, NULL, err) != VR_OK)
        return err->status;
    char *codes = ownership_department_array(c);
    const char *params[] = {codes};
    PGresult *r = db_query(db, "could not compute case SLAs", sla_sql, 1, params, err);
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
