/* Atomic publication of a run's folder: files are written into a hidden
 * temporary folder beside the final one and swapped into place in one
 * rename, so a reader or the mailer sees the old complete folder or the new
 * complete folder, never a half-written one. */
#ifndef VR_PUBLISH_H
#define VR_PUBLISH_H

#include "../jobs/error.h"

#include <stdbool.h>

struct publish {
    char *job_dir;    /* <root>/<job> */
    char *final_dir;  /* <root>/<job>/<as_of> */
    char *tmp_dir;    /* <root>/<job>/.tmp-<as_of>-<run_id> */
    bool swapped;     /* final_dir existed and now sits at tmp_dir */
    bool committed;
};

/* Creates the temporary folder, first removing temporary folders that
 * interrupted runs of this job left behind (the caller holds the job lock). */
enum vr_status publish_begin(struct publish *p, const char *root, const char *job,
                             const char *as_of, long long run_id, struct vr_error *err);
/* Path of a file inside the temporary folder / its published path. Caller frees. */
char *publish_tmp_path(const struct publish *p, const char *file);
char *publish_final_path(const struct publish *p, const char *file);
/* Flushes the file to disk and returns its size and sha256 (hex). */
enum vr_status publish_seal_file(const char *path, long long *bytes, char sha256[65],
                                 struct vr_error *err);
/* Moves the temporary folder into place, replacing an earlier one atomically. */
enum vr_status publish_commit(struct publish *p, struct vr_error *err);
/* Puts the earlier folder back (the run could not be recorded). */
void publish_undo(struct publish *p);
/* Removes what is left at the temporary path (the replaced folder after a
 * commit, the unfinished files after a failure) and frees p. */
void publish_release(struct publish *p);

#endif
