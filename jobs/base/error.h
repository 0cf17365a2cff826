/* One error vocabulary for the whole program: every fallible function
 * returns a vr_status and fills a vr_error with words a person can act on.
 * Exit statuses are derived from the status alone (see README). */
#ifndef VR_ERROR_H
#define VR_ERROR_H

enum vr_status {
    VR_OK = 0,
    VR_ERR_USAGE,     /* bad command line */
    VR_ERR_CONFIG,    /* bad config file or template */
    VR_ERR_DATA,      /* source data unusable (rejected share over the limit) */
    VR_ERR_DB,        /* database unavailable or schema unusable */
    VR_ERR_OUTPUT,    /* could not write or publish a report */
    VR_ERR_DELIVERY,  /* reports published, some mail not sent */
    VR_ERR_BUSY,      /* the same job is already running */
    VR_ERR_INTERNAL,  /* a bug or an interrupted run */
};

struct vr_error {
    enum vr_status status;
    char msg[2048];
    int logged; /* already a log line: the command's exit does not repeat it */
};

/* Records the first error only: later calls keep the original cause. */
enum vr_status vr_fail(struct vr_error *e, enum vr_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *vr_strerror(enum vr_status s);
int vr_exit_status(enum vr_status s);

#endif
