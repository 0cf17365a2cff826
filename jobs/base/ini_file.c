#include "ini_file.h"

#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdbool.h>
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
    struct diag *diag; /* NULL: stop at the first error */
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

/* False for a line inih refuses, by inih's own rule (ini_parse_stream with
 * our settings): after leading white space, a comment or nothing is fine,
 * "[" needs a "]" and anything else an "=" or ":", either before an inline
 * comment (";" after white space).  Checked here so that every such line
 * is reported at its place, not only inih's first. */
static bool line_parses(const char *s, int line)
{
    if (line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
        s += 3; /* inih skips a byte order mark */
    while (*s && isspace((unsigned char)*s))
        s++;
    if (!*s || *s == ';' || *s == '#')
        return true;
    const char *want = *s == '[' ? "]" : "=:";
    bool was_space = false;
    for (const char *p = *s == '[' ? s + 1 : s; *p; p++) {
        if (strchr(want, *p))
            return true;
        if (was_space && *p == ';')
            return false;
        was_space = isspace((unsigned char)*p);
    }
    return false;
}

static const char syntax_msg[] = "%s:%d: syntax error (expected \"[section]\" or \"key = value\")";

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
    if (!line_parses(str, r->line)) {
        vr_fail(r->err, VR_ERR_CONFIG, syntax_msg, r->path, r->line);
        if (!r->diag)
            return NULL;
        diag_take(r->diag, r->err);
        str[0] = '\n'; /* inih skips it; its line still counts */
        str[1] = '\0';
    }
    return str;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    struct reader *r = user;
    if (r->err->status != VR_OK)
        return 0;
    enum vr_status st = r->handler(r->user, section, name, value, r->line, r->err);
    if (st == VR_OK)
        return 1;
    if (r->diag && st == VR_ERR_CONFIG) {
        diag_take(r->diag, r->err);
        return 1;
    }
    if (r->err->status == VR_OK)
        vr_fail(r->err, st, "%s:%d: refused without a reason (a vocreport bug)", r->path, r->line);
    return 0;
}

static enum vr_status parse(const char *path, ini_file_handler handler, void *user, struct diag *d,
                            struct vr_error *err)
{
    struct reader r = {.path = path, .handler = handler, .user = user, .err = err, .diag = d};
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
    ini_stop_on_first_error = !d;

    int rc = ini_parse_stream(read_line, &r, on_pair, &r);
    fclose(r.f);
    if (r.too_long_line)
        return vr_fail(err, VR_ERR_CONFIG, "%s:%d: line longer than %d characters", path,
                       r.too_long_line, MAX_LINE - 2);
    if (err->status != VR_OK)
        return err->status;
    if (rc > 0) /* a line line_parses let through: inih's word stands */
        return vr_fail(err, VR_ERR_CONFIG, syntax_msg, path, rc);
    if (rc < 0)
        return vr_fail(err, VR_ERR_CONFIG, "could not read \"%s\"", path);
    return VR_OK;
}

enum vr_status ini_file_parse(const char *path, ini_file_handler handler, void *user,
                              struct vr_error *err)
{
    return parse(path, handler, user, NULL, err);
}

enum vr_status ini_file_parse_all(const char *path, ini_file_handler handler, void *user,
                                  struct diag *d)
{
    struct vr_error err = {0};
    enum vr_status st = parse(path, handler, user, d, &err);
    diag_take(d, &err);
    return st;
}
