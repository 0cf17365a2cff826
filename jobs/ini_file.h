/* Reading INI files with exact line numbers.  Debian's inih cuts lines at
 * 200 characters and does not pass line numbers to handlers; this wrapper
 * feeds inih one counted line at a time, so every error can say file:line. */
#ifndef VR_INI_FILE_H
#define VR_INI_FILE_H

#include "error.h"

/* Return VR_OK to go on; any other status stops with err filled. */
typedef enum vr_status (*ini_file_handler)(void *user, const char *section, const char *key,
                                           const char *value, int line, struct vr_error *err);

/* Parses path; errors name "path:line".  A missing file is VR_ERR_CONFIG. */
enum vr_status ini_file_parse(const char *path, ini_file_handler handler, void *user,
                              struct vr_error *err);

#endif
