/* Tags feedback with topics and sentiment before the run's snapshot: only
 * rows without a tag of the current taxonomy and model versions, streamed
 * row by row from the source (libpq single-row mode) and written back with
 * COPY, so memory does not grow with the feedback table. */
#ifndef VR_TAGGING_H
#define VR_TAGGING_H

#include "classify/sentiment.h"
#include "classify/taxonomy.h"
#include "jobs/base/error.h"
#include "jobs/config/config.h"
#include "jobs/model/model.h"

/* Reads the source through the views of shape (contract.h); nothing when
 * the company has no feedback view.  A body that is empty, not UTF-8 or
 * without words is not classified (stored with no topic and no sentiment).
 * Adds classify.tagged / classify.skipped figures to the model.  Reads the
 * model's header (job, run_id, period_end, filled before): a run whose
 * period ends before one its job already reported is a backfill and always
 * searches all the feedback. */
struct source_shape;
enum vr_status tagging_run(const struct config *c, const char *time_zone,
                           const struct source_shape *shape, const struct taxonomy *tx,
                           const struct sentiment_model *sm, struct model *m,
                           struct vr_error *err);

/* One text: sentiment and up to max topic indices, best first.  Shared by
 * the job and "vocreport classify". Returns the number of topics. */
size_t tagging_classify(const struct taxonomy *tx, const struct sentiment_model *sm,
                        const char *text, size_t len, double *sentiment, size_t *topics,
                        size_t max);

#endif
