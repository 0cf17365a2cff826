/* One interface for every output format (pg_dump's archiver style): the
 * core hands a finished model to each renderer; only xlsx.c includes
 * libxlsxwriter and only pdf.c includes libharu. */
#ifndef VR_RENDER_H
#define VR_RENDER_H

#include "jobs/base/error.h"
#include "jobs/model/model.h"
#include "texts.h"

struct render_ctx {
    const struct model *m;
    const struct texts *t;
    const char *font_path;  /* TrueType collection with CJK glyphs (wqy-zenhei.ttc) */
    const char *tmp_dir;    /* scratch space (libxlsxwriter constant-memory files) */
};

struct renderer {
    const char *kind;       /* "xlsx", "pdf": outputs.kind */
    const char *audience;   /* "executive", ...: outputs.audience */
    const char *file_stem;  /* file name without extension, e.g. "executive" */
    /* Writes the complete file at path; on failure leaves no promise about
     * path (the caller discards the whole temporary folder). */
    enum vr_status (*render)(const struct render_ctx *ctx, const char *path, struct vr_error *err);
    /* NULL: always written.  Else the file is written (and recorded in
     * outputs) only when wanted(model) is true; otherwise no file at all. */
    bool (*wanted)(const struct model *m);
};

enum vr_status render_xlsx_executive(const struct render_ctx *ctx, const char *path,
                                     struct vr_error *err);
/* Finance's CSV: one row per figure (run_id, code, dims, value, n, flag, period). */
enum vr_status render_csv_figures(const struct render_ctx *ctx, const char *path,
                                  struct vr_error *err);
/* The service team's treatment call list (one sheet per open experiment,
 * treatment arm only), wanted only when an experiment is open at T. */
enum vr_status render_xlsx_calllist(const struct render_ctx *ctx, const char *path,
                                    struct vr_error *err);
bool calllist_wanted(const struct model *m);
/* A department's pack (ctx->m->department set: the department's slice of
 * the run's model, report/dept_slice.h): its workbook and its one-page
 * scorecard, holding only that department's figures and verbatims. */
enum vr_status render_xlsx_department(const struct render_ctx *ctx, const char *path,
                                      struct vr_error *err);
enum vr_status render_pdf_department(const struct render_ctx *ctx, const char *path,
                                     struct vr_error *err);
enum vr_status render_pdf_briefing(const struct render_ctx *ctx, const char *path,
                                   struct vr_error *err);

#endif
