#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_buf[1];

void *xnonnull(void *p)
{
    if (!p) {
        fputs("vocreport: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xmalloc(size_t n)
{
    return xnonnull(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
    return xnonnull(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
    return xnonnull(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

void strbuf_init(struct strbuf *sb)
{
    sb->buf = empty_buf;
    sb->len = sb->cap = 0;
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->cap)
        free(sb->buf);
    strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->cap)
        sb->buf[0] = '\0';
}

static void grow(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    if (sb->cap) {
        sb->buf = xrealloc(sb->buf, cap);
    } else {
        sb->buf = xmalloc(cap);
        sb->buf[0] = '\0';
    }
    sb->cap = cap;
}

void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
    grow(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

static void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0)
        return;
    grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_add_json(struct strbuf *sb, const char *s)
{
    strbuf_adds(sb, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_addf(sb, "\\%c", *p);
        else if (*p < 0x20)
            strbuf_addf(sb, "\\u%04x", *p);
        else
            strbuf_add(sb, (const char *)p, 1);
    }
    strbuf_adds(sb, "\"");
}

char *strbuf_detach(struct strbuf *sb)
{
    char *p = sb->cap ? sb->buf : xstrdup("");
    strbuf_init(sb);
    return p;
}

char *xstrfmt(const char *fmt, ...)
{
    struct strbuf sb;
    va_list ap;
    strbuf_init(&sb);
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    return strbuf_detach(&sb);
}
