/* The one assertion of the C unit tests that count checks: check(ok, fmt,
 * ...) prints "FAIL <message>" when ok is false; unit_check_done(name)
 * prints the tally and gives main's exit status. */
#ifndef VR_UNIT_CHECK_H
#define VR_UNIT_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int failures, checks;

__attribute__((format(printf, 2, 3))) static void check(int ok, const char *fmt, ...)
{
    checks++;
    if (ok)
        return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
}

static inline int unit_check_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, checks - failures, failures);
    return failures ? 1 : 0;
}

#endif
