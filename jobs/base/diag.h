/* Every error one check finds, in the order found, for a command that
 * reports them all at once (check-config: seven typos, seven lines, one
 * run).  A loader that can go on after an error moves it here and goes on;
 * one whose later errors would only be noise (a file that cannot be
 * opened, bytes that are not text) stops, as before. */
#ifndef VR_DIAG_H
#define VR_DIAG_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag_entry {
    enum vr_status status;
    char *msg; /* "file:line: what is wrong" */
};

struct diag {
    struct diag_entry *entries;
    size_t n, cap;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* Moves a failed err into the list and clears err, so the caller can go
 * on; false (and nothing added) when err holds no error. */
bool diag_take(struct diag *d, struct vr_error *err);
/* Adds a message (printf format) with its status. */
void diag_add(struct diag *d, enum vr_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first entry's status and message into err (for a caller that stops
 * at one); VR_OK when the list is empty. */
enum vr_status diag_first(const struct diag *d, struct vr_error *err);
/* The most severe status in the list by exit status order: the first
 * entry's when all are configuration errors. */
enum vr_status diag_status(const struct diag *d);
/* One line per entry: "<prefix>msg". */
void diag_print(const struct diag *d, FILE *out, const char *prefix);

#endif
