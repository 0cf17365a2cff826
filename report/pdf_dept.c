/* A department's one-page scorecard.  Placeholder until the department packs land. */
#include "render.h"

enum vr_status render_pdf_department(const struct render_ctx *ctx, const char *path,
                                     struct vr_error *err)
{
    (void)ctx;
    return vr_fail(err, VR_ERR_INTERNAL, "%s: department scorecards are not built yet", path);
}
