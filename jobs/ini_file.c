#include "ini_file.h"

#include "../classify/utf8.h"

#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Longer lines are refused with their line number rather than cut. */
#define MAX_LINE 4096

struct reader {
    FILE *f;
    const char *path;
    int line;
    int too_long_line;
    ini_file_handler handler;
    void *user;
    struct vr_error *err;
};

/* Refuses what a report cannot show or inih would misread: a NUL byte
 * (inih would cut the line there), bytes that are not UTF-8, and control
 * characters other than tab (a CR only as part of a CRLF line end).  Every
 * value then reaches the reports as written. */
static enum vr_status check_line(struct reader *r, const char *s, size_t len)
{
    size_t end = len;
    if (end && s[end - 1] == '\n')
        end--;
    if (end && s[end - 1] == '\r')
        end--;
    size_t column = 1;
    for (size_t i = 0; i < end; column++) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, end - i, &cp);
        if (cp == 0)
            return vr_fail(r->err, VR_ERR_CONFIG,
                           "%s:%d: NUL byte at column %zu: the file must be plain UTF-8 text",
                           r->path, r->line, column);
        if (cp == UTF8_INVALID)
            return vr_fail(r->err, VR_ERR_CONFIG,
                           "%s:%d: invalid UTF-8 (byte 0x%02X) at column %zu: save the file as "
                           "UTF-8",
                           r->path, r->line, (unsigned char)s[i], column);
        if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
            return vr_fail(r->err, VR_ERR_CONFIG,
                           "%s:%d: control character U+%04X at column %zu: remove it (only tab "
                           "may appear in a line)",
                           r->path, r->line, (unsigned)cp, column);
        i += n;
    }
    return VR_OK;
}

/* fgets for inih, but counting the bytes read: a NUL inside a line must
 * not pass for its end. */
static char *read_line(char *str, int num, void *stream)
{
    struct reader *r = stream;
    if (r->err->status != VR_OK)
        return NULL;
    size_t len = 0;
    int c = EOF;
    while (len + 1 < (size_t)num && (c = getc(r->f)) != EOF) {
        str[len++] = (char)c;
        if (c == '\n')
            break;
    }
    if (len == 0)
        return NULL;
    str[len] = '\0';
    r->line++;
    if (str[len - 1] != '\n' && c != EOF) {
        int next = getc(r->f);
        if (next != EOF) {
            r->too_long_line = r->line;
            return NULL;
        }
    }
    if (check_line(r, str, len) != VR_OK)
        return NULL;
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
    if (err->status != VR_OK)
        return err->status;
    if (rc > 0)
        return vr_fail(err, VR_ERR_CONFIG,
                       "%s:%d: syntax error (expected \"[section]\" or \"key = value\")", path, rc);
    if (rc < 0)
        return vr_fail(err, VR_ERR_CONFIG, "could not read \"%s\"", path);
    return VR_OK;
}
