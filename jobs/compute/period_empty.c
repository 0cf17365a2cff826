#include "period_empty.h"

#include "jobs/base/sql_file.h"
#include "jobs/base/strbuf.h"

#include <stdlib.h>

enum vr_status period_empty_warning(struct db *src, const struct period *p, const char *time_zone,
                                    bool as_of_given, const struct model *m, char **warning,
                                    struct vr_error *err)
{
    *warning = NULL;
    double n = 0;
    if (model_value(m, "responses", "", &n) && n > 0)
        return VR_OK;
    /* Local dates: the session time zone is the job's. */
    PGresult *r = db_query_file(src, "could not date the survey responses",
                                "compute/period_empty_span.sql", SQL_NO_ARGS, err);
    if (!r)
        return err->status;
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb,
                "no survey responses between %s and %s (%s): every score is empty; is the as-of "
                "right?",
                p->first_day, p->last_day, time_zone);
    const char *first = db_get_text(r, 0, "first_day");
    if (first)
        strbuf_addf(&sb, " (the source's responses span %s to %s", first,
                    db_get_text(r, 0, "last_day"));
    else
        strbuf_adds(&sb, " (the source has no clean survey response at all");
    if (!as_of_given)
        strbuf_adds(&sb, "; without --as-of the period is the job's latest: for older data give "
                         "--as-of YYYY-MM-DD, or --from and --to");
    strbuf_adds(&sb, ")");
    PQclear(r);
    *warning = strbuf_detach(&sb);
    return VR_OK;
}
