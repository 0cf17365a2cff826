/* A department's workbook.  Placeholder until the department packs land. */
#include "render.h"

enum vr_status render_xlsx_department(const struct render_ctx *ctx, const char *path,
                                      struct vr_error *err)
{
    (void)ctx;
    return vr_fail(err, VR_ERR_INTERNAL, "%s: department workbooks are not built yet", path);
}
