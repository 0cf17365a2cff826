#include "ini_file.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <string.h>

/* Longer lines are refused with their line number rather than cut. */
#define MAX_LINE 4096

struct reader {
    FILE *f;
    const char *path;
    int line;
    int too_long_line;
    int nul_line;
    ini_file_handler handler;
    void *user;
    struct vr_error *err;
};

static char *read_line(char *str, int num, void *stream)
{
    struct reader *r = stream;
    /* fgets reads on past a NUL byte, strlen stops at it: the rest of the
     * value would vanish, and so would an over-long line and the count of
     * lines after it.  With the buffer filled first, a NUL before fgets's
     * own terminator shows. */
    memset(str, '\n', (size_t)num);
    if (r->err->status != VR_OK || !fgets(str, num, r->f))
        return NULL;
    r->line++;
    size_t len = strlen(str);
    if (len + 1 < (size_t)num && memchr(str + len + 1, '\0', (size_t)num - len - 1)) {
        r->nul_line = r->line;
        return NULL;
    }
    if (len == (size_t)num - 1 && str[len - 1] != '\n' && !feof(r->f)) {
        r->too_long_line = r->line;
        return NULL;
    }
    return str;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    struct reader *r = user;
    if (r->err->status != VR_OK)
        return 0;
    return r->handler(r->user, section, name, value, r->line, r->err) == VR_OK;
}

enum vr_status ini_file_parse(const char *path, ini_file_handler handler, void *user,
                              struct vr_error *err)
{
    struct reader r = {.path = path, .handler = handler, .user = user, .err = err};
    r.f = fopen(path, "r");
    if (!r.f)
        return vr_fail(err, VR_ERR_CONFIG, "could not open \"%s\": %s", path, strerror(errno));

    /* Indented continuation lines would silently glue a mistyped key onto
     * the previous value; a config should say exactly what it means. */
    ini_allow_multiline = false;
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_max_line = MAX_LINE;
    ini_initial_alloc = MAX_LINE;
    ini_stop_on_first_error = true;

    int rc = ini_parse_stream(read_line, &r, on_pair, &r);
    fclose(r.f);
    if (r.too_long_line)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: line longer than %d characters", path,
                       r.too_long_line, MAX_LINE - 2);
    if (r.nul_line)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: NUL byte in the file", path, r.nul_line);
    if (err->status != VR_OK)
        return err->status;
    if (rc > 0)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: syntax error (expected \"[section]\" or \"key = value\")", path, rc);
    if (rc < 0)
        return vr_fail(err, VR_ERR_CONFIG, "could not read \"%s\"", path);
    return VR_OK;
}
