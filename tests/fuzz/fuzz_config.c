/* Fuzz target: the input bytes as a configuration file, through
 * config_load and ownership_check against the shipped taxonomy: what
 * check-config runs before it opens the templates, font and model the file
 * names (they are not read here, so the fuzzer cannot point the program at
 * /dev/zero).  No database.
 *
 * A refusal must be a configuration error that starts with the file's
 * path, and a "path:N:" in it must name a line of the file.  An accepted
 * file must hold what the README promises check-config guarantees, checked
 * here on their own terms: at least one job, job names of letters, digits,
 * '_' and '-', time zones that are files under /usr/share/zoneinfo,
 * addresses that cannot inject a header, a mail url on smtp:// or
 * smtps://, known metrics for every target.  No message may show the
 * password of a conninfo or of a "password" key. */
#include "classify/taxonomy.h"
#include "fuzz_common.h"
#include "jobs/base/strbuf.h"
#include "jobs/compute/ownership.h"
#include "jobs/config/config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef VR_TAXONOMY_PATH
#define VR_TAXONOMY_PATH "config/taxonomy.ini"
#endif

static struct taxonomy *tax;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_config: %s: %s\n", what, detail ? detail : "");
    abort();
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 64 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

static void check_time_zone(const char *tz)
{
    char *p = xstrfmt("/usr/share/zoneinfo/%s", tz);
    struct stat st;
    if (strstr(tz, "..") || tz[0] == '/' || stat(p, &st) != 0 || !S_ISREG(st.st_mode))
        fail("accepted a time zone that is not a zoneinfo file", tz);
    free(p);
}

static void check_address(const char *a)
{
    const char *at = strchr(a, '@');
    if (!at || strchr(at + 1, '@'))
        fail("accepted an address without exactly one '@'", a);
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("<>,;\"", *p))
            fail("accepted an address with a control character, a space or one of <>,;\"", a);
}

static void check_addresses(char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        check_address(list[i]);
}

static void check_param(void *user, const char *name, const char *value)
{
    (void)user;
    if (!name || !value)
        fail("a job parameter without a name or value", name);
}

static void check_target(const struct target *t)
{
    static const char *const statuses[] = {"green", "amber", "red", "grey"};
    if (!t->metric)
        return;
    if (!config_target_metric(t->metric))
        fail("accepted an unknown metric", t->metric);
    for (int k = 0; k < 3; k++) {
        const char *s = target_status(t, k != 2, k == 0 ? t->value : t->value + 1e9);
        bool known = false;
        for (int i = 0; i < 4; i++)
            known |= !strcmp(s, statuses[i]);
        if (!known)
            fail("unknown status", s);
    }
}

static void check_accepted(const struct config *c, const char *path)
{
    if (!c || strcmp(c->path, path) != 0 || strlen(c->digest) != 64 || c->n_jobs == 0)
        fail("an accepted config without its path, digest or a job", path);
    for (size_t i = 0; i < c->n_jobs; i++) {
        const struct job_config *j = &c->jobs[i];
        if (!name_ok(j->name))
            fail("accepted a job name", j->name);
        check_time_zone(j->time_zone);
        if (strcmp(j->locale, "en_US") != 0 && strcmp(j->locale, "zh_CN") != 0)
            fail("accepted a locale", j->locale);
        check_addresses(j->executives);
        check_addresses(j->finance);
        check_addresses(j->service);
        check_addresses(j->owner);
        config_job_params(j, check_param, NULL);
    }
    for (size_t i = 0; i < c->n_depts; i++) {
        const struct department *d = &c->depts[i];
        if (!name_ok(d->code) || !d->head)
            fail("accepted a department without a code or head", d->code);
        check_addresses(d->head);
        check_addresses(d->recipients);
        for (size_t k = 0; k < d->n_kpis; k++)
            check_target(&d->kpis[k].t);
    }
    check_target(&c->journey.nps);
    check_target(&c->journey.csat);
    check_target(&c->journey.negative_share);
    if (*c->mail.from)
        check_address(c->mail.from);
    if (*c->mail.url && strncmp(c->mail.url, "smtp://", 7) && strncmp(c->mail.url, "smtps://", 8))
        fail("accepted a mail url", c->mail.url);
}

/* The lines of the file, as a line number in a message counts them. */
static unsigned long count_lines(const uint8_t *d, size_t n)
{
    unsigned long lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += d[i] == '\n';
    return lines + (n == 0 || d[n - 1] != '\n');
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* After "name" and blanks, the '=' (or ':' for a key) and blanks; NULL if
 * p does not start so. */
static const char *after_name(const char *p, const char *name, const char *seps)
{
    if (strncmp(p, name, strlen(name)) != 0)
        return NULL;
    p = skip_blanks(p + strlen(name));
    return *p && strchr(seps, *p) ? skip_blanks(p + 1) : NULL;
}

/* The secret of a line, as an offset and length: the password of
 * "conninfo = ... password=X ..." or the value of "password = X". */
static bool line_secret(const char *line, size_t *off, size_t *len)
{
    const char *l = skip_blanks(line);
    const char *v = after_name(l, "password", "=:");
    if (!v && (v = after_name(l, "conninfo", "=:")) != NULL) {
        const char *start = v, *p = v;
        for (v = NULL; !v && (p = strstr(p, "password")) != NULL; p++)
            if (p == start || p[-1] == ' ' || p[-1] == '\t')
                v = after_name(p, "password", "=");
    }
    if (!v)
        return false;
    *off = (size_t)(v - line);
    *len = strcspn(v, " \t\r\n'\";");
    return *len >= 6;
}

static size_t occurrences(const char *text, const char *s)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, s)) != NULL; p++)
        n++;
    return n;
}

/* What check-config says about the file: config_load, then ownership_check. */
static enum vr_status load_message(const uint8_t *d, size_t n, struct vr_error *err)
{
    const char *path = fuzz_write_temp(0, "config", d, n);
    struct config *c = NULL;
    enum vr_status st = config_load(&c, path, err);
    if (st == VR_OK)
        st = ownership_check(c, tax, err);
    config_free(c);
    return st;
}

/* A secret of the file reaches the message if the message quotes it more
 * often than when the secret is replaced by other bytes of its length
 * (it may be part of a word the message has anyway, such as a choice). */
static void check_no_secret(const uint8_t *d, size_t n, const char *msg)
{
    for (size_t start = 0; start < n;) {
        const uint8_t *nl = memchr(d + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - d) : n, off, len;
        char *line = xstrfmt("%.*s", (int)(end - start), (const char *)d + start);
        if (line_secret(line, &off, &len)) {
            char *secret = xstrfmt("%.*s", (int)len, line + off);
            size_t seen = occurrences(msg, secret);
            if (seen) {
                uint8_t *other = xmalloc(n);
                memcpy(other, d, n);
                memset(other + start + off, 'Q', len);
                struct vr_error e2 = {0};
                load_message(other, n, &e2);
                if (seen > occurrences(e2.msg, secret))
                    fail("a password in the message", msg);
                free(other);
            }
            free(secret);
        }
        free(line);
        start = end + 1;
    }
}

static void check_refused(enum vr_status st, const struct vr_error *err, const char *path,
                          const uint8_t *d, size_t n)
{
    if (st == VR_ERR_USAGE && err->status == st && !strncmp(err->msg, path, strlen(path)))
        return;
    fuzz_expect_refusal("fuzz_config", st, err, path);
    const char *rest = err->msg + strlen(path);
    unsigned long line;
    char colon;
    if (sscanf(rest, ":%lu%c", &line, &colon) == 2 && colon == ':' &&
        (line < 1 || line > count_lines(d, n)))
        fail("a line number outside the file", err->msg);
    check_no_secret(d, n, err->msg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    unsetenv("VOCREPORT_OUTPUT_DIR");
    struct vr_error err = {0};
    if (taxonomy_load(&tax, VR_TAXONOMY_PATH, &err) != VR_OK) {
        fprintf(stderr, "fuzz_config: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_temp(0, "config", data, size);
    struct config *c = NULL;
    struct vr_error err = {0};
    enum vr_status st = config_load(&c, path, &err);
    if (st != VR_OK) {
        if (c)
            fail("a refused config returned", err.msg);
        check_refused(st, &err, path, data, size);
        return 0;
    }
    check_accepted(c, path);
    st = ownership_check(c, tax, &err);
    if (st != VR_OK)
        check_refused(st, &err, path, data, size);
    config_free(c);
    return 0;
}
