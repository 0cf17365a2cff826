#include "error.h"

#include <stdarg.h>
#include <stdio.h>

enum vr_status vr_fail(struct vr_error *e, enum vr_status s, const char *fmt, ...)
{
    if (e && e->status == VR_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
        va_end(ap);
        e->status = s;
    }
    return s;
}

const char *vr_strerror(enum vr_status s)
{
    switch (s) {
    case VR_OK: return "success";
    case VR_ERR_USAGE: return "usage error";
    case VR_ERR_CONFIG: return "configuration error";
    case VR_ERR_DATA: return "source data error";
    case VR_ERR_DB: return "database unavailable";
    case VR_ERR_OUTPUT: return "could not write reports";
    case VR_ERR_DELIVERY: return "delivery failed";
    case VR_ERR_BUSY: return "job already running";
    case VR_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

/* Documented in README.md ("Exit statuses"); cron wrappers rely on them. */
int vr_exit_status(enum vr_status s)
{
    switch (s) {
    case VR_OK: return 0;
    case VR_ERR_USAGE:
    case VR_ERR_CONFIG: return 2;
    case VR_ERR_DATA: return 3;
    case VR_ERR_DB: return 4;
    case VR_ERR_DELIVERY: return 5;
    case VR_ERR_OUTPUT: return 6;
    case VR_ERR_BUSY: return 7;
    case VR_ERR_INTERNAL: return 1;
    }
    return 1;
}
