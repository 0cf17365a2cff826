#include "period_empty.h"

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
    PGresult *r = db_query(src, "could not date the survey responses",
                           "SELECT to_char(min(responded_at), 'YYYY-MM-DD'),"
                           " to_char(max(responded_at), 'YYYY-MM-DD') FROM c_survey_responses",
                           0, NULL, err);
    if (!r)
        return err->status;
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb,
                "no survey responses between %s and %s (%s): every score is empty; is the as-of "
                "right?",
                p->first_day, p->last_day, time_zone);
    if (db_text(r, 0, 0))
        strbuf_addf(&sb, " (the source's responses span %s to %s", db_text(r, 0, 0),
                    db_text(r, 0, 1));
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
