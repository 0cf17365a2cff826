/* What a vocreport process that died (SIGKILL, power cut, OOM) left behind,
 * put right by the next process that touches the results schema: every
 * run, run-due and resend starts with recover_all.
 *
 * - A 'running' run whose process is gone (nobody holds its run lock):
 *   when its reports were already swapped into place (every outputs row
 *   matches its file on disk) it is recorded succeeded, because readers
 *   already see those files; otherwise it is recorded failed, the mail it
 *   planned is cancelled and the job's owner is alerted.  Either way its temporary folder (unfinished
 *   files, or the folder its swap replaced) is removed.
 * - Report mail left 'pending' by a process that is gone becomes 'failed'
 *   (so resend sends it) and the job's owner is alerted once.
 *
 * Safe with several processes at once: a live run is never touched, and
 * each row changes in one UPDATE ... WHERE status = ..., so exactly one
 * process acts on it.  A failure here is the caller's (a database error);
 * a failed alert is only logged. */
#ifndef VR_RECOVER_H
#define VR_RECOVER_H

#include "jobs/base/db.h"
#include "jobs/base/error.h"
#include "jobs/config/config.h"

enum vr_status recover_all(struct db *meta, const struct config *c, struct vr_error *err);

#endif
