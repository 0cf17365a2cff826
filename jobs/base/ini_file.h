/* Reading INI files with exact line numbers.  Debian's inih cuts lines at
 * 200 characters and does not pass line numbers to handlers; this wrapper
 * feeds inih one counted line at a time, so every error can say file:line. */
#ifndef VR_INI_FILE_H
#define VR_INI_FILE_H

#include "diag.h"
#include "error.h"

/* Return VR_OK to go on; any other status stops with err filled. */
typedef enum vr_status (*ini_file_handler)(void *user, const char *section, const char *key,
                                           const char *value, int line, struct vr_error *err);

/* Parses path; errors name "path:line".  A missing file is VR_ERR_CONFIG.
 * Stops at the first error. */
enum vr_status ini_file_parse(const char *path, ini_file_handler handler, void *user,
                              struct vr_error *err);

/* The same, but reports every error to d and goes on: each key the handler
 * refuses with VR_ERR_CONFIG, each line that is neither "[section]" nor
 * "key = value".  What makes the rest noise still stops the file: it cannot
 * be opened, a line is too long or holds bytes that are not text, or the
 * handler fails with another status.  Returns VR_OK when the whole file was
 * read (d may hold errors), else the status that stopped it (also in d). */
enum vr_status ini_file_parse_all(const char *path, ini_file_handler handler, void *user,
                                  struct diag *d);

#endif
