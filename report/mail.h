/* Sending one report mail over SMTP with libcurl: a multipart message (a
 * UTF-8 text body, optionally with an HTML alternative and the images it
 * shows inline, and the report files as attachments) to a list of
 * recipients, retried with exponential backoff on transient failures.
 *
 * Standalone: no database and no config. The caller decides the server,
 * reads the password from a file or the environment (never from the config,
 * never into a log) and passes it here; this module never logs it and never
 * puts it into an error message.
 *
 * libcurl's global state is initialised once per process on first use
 * (pthread_once around curl_global_init); a process that already called
 * curl_global_init itself is fine too. */
#ifndef VR_MAIL_H
#define VR_MAIL_H

#include "jobs/base/error.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct mail_server {
    const char *url;      /* smtp://host:port (STARTTLS below) or smtps://host:port */
    bool starttls;        /* require STARTTLS on smtp:// (CURLUSESSL_ALL) */
    const char *username; /* NULL or "" = no authentication */
    const char *password; /* read by the caller from a file or env; never logged */
    const char *from;     /* "addr@host" or "ASCII Name <addr@host>" */
    const char *ca_file;  /* NULL or "": the system's CA store; else a PEM file
                           * (a company's private CA); peers are always verified */
    int max_attempts;     /* <= 0: 3 */
    int retry_base_ms;    /* delay before attempt 2; doubles each time, capped
                           * at 5 minutes; < 0: 0 */
    long timeout_s;       /* bounds connecting, and each silence of the server
                           * until the whole message is out; <= 0: 120.  The
                           * reply to the message itself may take the 10
                           * minutes RFC 5321 allows (or timeout_s if longer). */
    const volatile sig_atomic_t *stop; /* NULL, or set non-zero by a signal
                           * handler: no new attempt starts, a wait between
                           * attempts ends, a transfer in progress is dropped */
};

struct mail_attachment {
    const char *path;      /* file read at send time */
    const char *filename;  /* name shown to the reader (UTF-8); NULL = basename */
    const char *mime_type; /* NULL = application/octet-stream */
};

/* An image the HTML body shows by "cid:<content_id>", sent inside a
 * multipart/related beside the HTML (RFC 2387). */
struct mail_inline {
    const char *content_id; /* without the angle brackets; ASCII, no spaces */
    const char *filename;   /* ASCII name a client shows when saving it */
    const char *mime_type;  /* e.g. "image/png" */
    const unsigned char *data;
    size_t len;
};

struct mail_message {
    const char *const *to; /* bare addresses */
    size_t n_to;
    const char *subject;   /* UTF-8; encoded per RFC 2047 when not plain ASCII */
    const char *body_text; /* UTF-8, sent as text/plain; charset=UTF-8 */
    /* NULL: the text is the whole body.  Else the body is
     * multipart/alternative: the text, then this UTF-8 HTML (the part a
     * client prefers), inside a multipart/related with the inline images
     * when there are any. */
    const char *body_html;
    const struct mail_inline *inlines;
    size_t n_inlines;
    const struct mail_attachment *attachments;
    size_t n_attachments;
};

/* What became of a mail_send call beyond its status. */
struct mail_result {
    int attempts;     /* made; 0 when refused before connecting or stopped first */
    bool unconfirmed; /* the whole message went out but the server never
                       * answered it (dropped, silent, or stopped while
                       * waiting): it may have arrived, so it is not retried */
    bool interrupted; /* s->stop was set before the message went out */
};

/* Sends m through s. Transient failures (connection refused or dropped,
 * timeouts, 4xx replies) are retried up to s->max_attempts times with
 * exponential backoff from s->retry_base_ms; a permanent failure (5xx reply,
 * such as a rejected recipient or refused login, a TLS verification failure,
 * an unreadable attachment) stops at once, and so does an unconfirmed one
 * (a retry could deliver it twice).  res may be NULL.
 *
 * Returns VR_OK; VR_ERR_CONFIG for an unusable server or address (checked
 * before connecting: credentials without TLS, CR/LF or <> in an address);
 * VR_ERR_DELIVERY when the mail was not accepted, was unconfirmed or was
 * interrupted, with err saying what failed: the server's reply code and
 * text, or curl's reason.  A server reply that contains the credential (or
 * its base64 forms) is withheld from err, whole. */
enum vr_status mail_send(const struct mail_server *s, const struct mail_message *m,
                         struct mail_result *res, struct vr_error *err);

/* Exposed for tests and for other renderers: RFC 2047 "B" encoding of a
 * UTF-8 header value, folded into encoded words of at most 75 characters
 * (returned unchanged when it is printable ASCII). Caller frees. */
char *mail_encode_header(const char *utf8);

#endif
