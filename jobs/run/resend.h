/* vocreport resend: sends a run's failed report mail again, after the
 * mail server (or an address) was fixed. */
#ifndef VR_RESEND_H
#define VR_RESEND_H

#include "jobs/base/error.h"
#include "jobs/config/config.h"

#include <stdbool.h>

/* Re-sends the report deliveries of run_id whose status is 'failed' (and
 * 'held' with release_held: the operator overrides the failed gates),
 * only to recipient when it is not NULL.  Every attachment must still
 * match the sha256 recorded in outputs, else that delivery is refused.
 * The rows are updated (attempts add up).  VR_ERR_DELIVERY when any mail
 * failed or was refused. */
enum vr_status resend_run(const struct config *c, long long run_id, const char *recipient,
                          bool release_held, struct vr_error *err);

#endif
