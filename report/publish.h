/* Atomic publication of a run's folder: files are written into a hidden
 * temporary folder beside the final one and swapped into place in one
 * rename, so a reader or the mailer sees the old complete folder or the new
 * complete folder, never a half-written one. */
#ifndef VR_PUBLISH_H
#define VR_PUBLISH_H

#include "jobs/base/error.h"

#include <stdbool.h>

struct publish {
    char *job_dir;    /* <root>/<job> */
    char *final_dir;  /* <root>/<job>/<as_of> */
    char *tmp_dir;    /* <root>/<job>/.tmp-<as_of>-<run_id> */
    bool committed;   /* swapped in: tmp_dir now holds the replaced folder, if any */
};

/* Creates the temporary folder, first removing the temporary folders of
 * this job's runs that is_stale says are over (a run that lost its job lock
 * may still be writing into its own). */
enum vr_status publish_begin(struct publish *p, const char *root, const char *job,
                             const char *as_of, long long run_id,
                             bool (*is_stale)(long long run_id, void *ctx), void *ctx,
                             struct vr_error *err);
/* The temporary folder of run_id for a final folder <root>/<job>/<as_of>.
 * Caller frees. */
char *publish_tmp_dir_of(const char *final_dir, long long run_id);
/* Removes a folder and everything in it, if it exists. */
void publish_remove_tree(const char *path);
/* Path of a file inside the temporary folder / its published path. Caller frees. */
char *publish_tmp_path(const struct publish *p, const char *file);
char *publish_final_path(const struct publish *p, const char *file);
/* A folder inside the temporary folder that only the owner and group may
 * open (mode 0750), for one department's files. */
enum vr_status publish_private_dir(const struct publish *p, const char *name,
                                   struct vr_error *err);
/* Flushes the file to disk and returns its size and sha256 (hex). */
enum vr_status publish_seal_file(const char *path, long long *bytes, char sha256[65],
                                 struct vr_error *err);
/* Flushes the temporary folder, then moves it into place, replacing an
 * earlier one atomically (the earlier one then sits at tmp_dir).  There is
 * no undo: the caller records the run first, so a failure after the swap
 * is finished forwards (jobs/run/recover.h), never rolled back. */
enum vr_status publish_commit(struct publish *p, struct vr_error *err);
/* Removes what is left at the temporary path (the replaced folder after a
 * commit, the unfinished files after a failure) and frees p. */
void publish_release(struct publish *p);

#endif
