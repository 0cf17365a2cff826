/* What the fuzz targets share: the loaders under fuzzing read a path, not
 * a buffer, so the input goes to a temporary file first; and every loader
 * refuses a bad file the same way. */
#ifndef VR_FUZZ_COMMON_H
#define VR_FUZZ_COMMON_H

#include "jobs/base/error.h"

#include <stddef.h>
#include <stdint.h>

/* Writes data to this process's temporary file number slot (0..3; each
 * slot one file, rewritten on every call, removed at exit) and returns its
 * path, "/tmp/fuzz_TAG.XXXXXX".  Aborts when the file cannot be written. */
const char *fuzz_write_temp(int slot, const char *tag, const uint8_t *data, size_t size);

/* A refusal as the loaders promise it: st and err->status are VR_ERR_CONFIG
 * and the message starts with the file's path (usually "path:line: ...").
 * Aborts, printing what came instead, otherwise. */
void fuzz_expect_refusal(const char *what, enum vr_status st, const struct vr_error *err,
                         const char *path);

#endif
