/* A growable string whose buffer is never NULL (after strbuf_init). */
#ifndef VR_STRBUF_H
#define VR_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
void strbuf_add_json(struct strbuf *sb, const char *s);
/* Hands the buffer to the caller and leaves sb empty and initialised. */
char *strbuf_detach(struct strbuf *sb);

/* Allocation failure is not recoverable in a batch job: these abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* p, or abort as the above do: for a library's constructor that returns
 * NULL only when an allocation failed (workbook_add_format). */
void *xnonnull(void *p);

#endif
