/* SMTP delivery through libcurl; the contract is in mail.h. */
#include "mail.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAIL_DEFAULT_ATTEMPTS 3
#define MAIL_DEFAULT_TIMEOUT_S 120L
#define MAIL_MAX_DELAY_MS (5 * 60 * 1000)
/* RFC 5321 4.5.3.2.6: a client waits 10 minutes for the reply to the
 * message's final dot; the server may be scanning it. */
#define MAIL_DATA_REPLY_S 600L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_OK;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- encoding helpers ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void add_base64(struct strbuf *sb, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        strbuf_add(sb, q, 4);
    }
}

static bool is_plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return false;
    return strstr(s, "=?") == NULL;
}

char *mail_encode_header(const char *utf8)
{
    struct strbuf sb;
    strbuf_init(&sb);
    if (!utf8)
        utf8 = "";
    if (is_plain_ascii(utf8)) {
        strbuf_adds(&sb, utf8);
        return strbuf_detach(&sb);
    }
    /* 45 bytes -> 60 base64 characters + 12 of "=?UTF-8?B?" "?=" = 72 <= 75;
     * a word never splits a UTF-8 sequence. Control characters (CR, LF)
     * survive only inside base64, so the header cannot be split. */
    const unsigned char *p = (const unsigned char *)utf8;
    size_t left = strlen(utf8);
    bool first = true;
    while (left > 0) {
        size_t n = left < 45 ? left : 45;
        while (n < left && n > 1 && (p[n] & 0xc0) == 0x80)
            n--;
        if (!first)
            strbuf_adds(&sb, "\r\n ");
        strbuf_adds(&sb, "=?UTF-8?B?");
        add_base64(&sb, p, n);
        strbuf_adds(&sb, "?=");
        first = false;
        p += n;
        left -= n;
    }
    return strbuf_detach(&sb);
}

/* RFC 2231 / 5987 ext-value: attr-char stays, the rest is %XX. */
static void add_ext_value(struct strbuf *sb, const char *s)
{
    static const char keep[] = "!#$&+-.^_`|~";
    strbuf_adds(sb, "UTF-8''");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            strbuf_add(sb, (const char *)p, 1);
        else
            strbuf_addf(sb, "%%%02X", *p);
    }
}

/* The Content-Disposition header of an attachment: an ASCII quoted
 * fallback (each non-ASCII character becomes '_') and, when the name is not
 * plain ASCII, the exact name as filename*= (libcurl would write it raw). */
static char *disposition_header(const char *name)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "Content-Disposition: attachment; ");
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p >= 0x80 || *p < 0x20 || *p == 0x7f)
            ascii = false;
    /* filename*= first: readers that see both prefer it (RFC 6266), and
     * Python's email package takes the first of the two */
    if (!ascii) {
        strbuf_adds(&sb, "filename*=");
        add_ext_value(&sb, name);
        strbuf_adds(&sb, "; ");
    }
    strbuf_adds(&sb, "filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p >= 0x80 || *p < 0x20 || *p == 0x7f) {
            if ((*p & 0xc0) != 0x80)
                strbuf_adds(&sb, "_"); /* one per character */
        } else {
            if (*p == '"' || *p == '\\')
                strbuf_adds(&sb, "\\");
            strbuf_add(&sb, (const char *)p, 1);
        }
    }
    strbuf_adds(&sb, "\"");
    return strbuf_detach(&sb);
}

/* A bare address: no controls, spaces, brackets or commas (header injection). */
static bool address_ok(const char *a)
{
    if (!a || !*a || !strchr(a, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("<>,;\"()", *p))
            return false;
    return true;
}

/* "Name <addr>" or "addr" -> addr (allocated), NULL when unusable. */
static char *envelope_from(const char *from)
{
    if (!from)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)from; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return NULL;
    const char *lt = strrchr(from, '<');
    char *addr;
    if (lt) {
        const char *gt = strchr(lt, '>');
        if (!gt || gt[1] != '\0')
            return NULL;
        addr = xstrfmt("%.*s", (int)(gt - lt - 1), lt + 1);
    } else {
        addr = xstrdup(from);
    }
    if (!address_ok(addr)) {
        free(addr);
        return NULL;
    }
    return addr;
}

/* The URL as shown in messages: without any user:password@ part. */
static char *display_url(const char *url)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return xstrdup(url);
    const char *host = sep + 3;
    const char *end = host + strcspn(host, "/?#");
    const char *at = NULL;
    for (const char *p = host; p < end; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return xstrdup(url);
    return xstrfmt("%.*s%s", (int)(host - url), url, at + 1);
}

static void add_date_header(struct strbuf *sb)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    strbuf_addf(sb, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday % 7],
                tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec, sign, off / 60, off % 60);
}

static void add_message_id(struct strbuf *sb, const char *from_addr)
{
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    const char *domain = strchr(from_addr, '@');
    domain = domain && domain[1] ? domain + 1 : "vocreport.invalid";
    strbuf_addf(sb, "Message-ID: <%lld.%09ld.%ld.%u.vocreport@%s>", (long long)ts.tv_sec,
                ts.tv_nsec, (long)getpid(), __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED),
                domain);
}

/* ---- one attempt ---- */

struct prepared {
    char *from_addr;            /* envelope sender */
    char *mail_from;            /* "<addr>" */
    struct curl_slist *headers; /* From, To, Subject, Date, Message-ID */
    struct curl_slist *rcpt;    /* "<addr>" each */
    char *body;                 /* CRLF line endings */
    char *html;                 /* the same, or NULL: text only */
    char **dispositions;        /* one per attachment */
    const char *to_list;        /* for messages */
};

struct reply {
    struct strbuf last; /* the server's last error reply line */
    bool data_started;  /* the server said 354: the message itself is going out */
};

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
    (void)h;
    if (type != CURLINFO_HEADER_IN)
        return 0; /* never look at what we sent (AUTH) */
    struct reply *r = userp;
    /* keep the last error reply line (4xx/5xx; a QUIT's "221 Bye" follows
     * the failure), printable characters only */
    size_t end = size;
    while (end > 0 && (data[end - 1] == '\r' || data[end - 1] == '\n'))
        end--;
    if (end == 0)
        return 0;
    size_t start = end;
    while (start > 0 && data[start - 1] != '\n')
        start--;
    if (end - start >= 3 && !memcmp(data + start, "354", 3))
        r->data_started = true;
    if (data[start] != '4' && data[start] != '5')
        return 0;
    strbuf_reset(&r->last);
    for (size_t i = start; i < end && r->last.len < 400; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 0x20 && c != 0x7f)
            strbuf_add(&r->last, &data[i], 1);
    }
    return 0;
}

static double mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Watches one attempt: the server's silences and the stop flag.  libcurl
 * calls it about once a second, also while it waits for a reply.  libcurl
 * does not know the size of a MIME upload beforehand, so "the message is
 * going out" is the server's 354: from then on the only reply left is the
 * one to the message itself. */
struct watch {
    const struct mail_server *s;
    const struct reply *r;
    double last_change;
    curl_off_t last_ul;
    long silence_s;
    bool stopped, timed_out;
};

static int on_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    struct watch *w = userp;
    double now = mono_seconds();
    if (w->s->stop && *w->s->stop) {
        w->stopped = true;
        return 1;
    }
    if (ulnow != w->last_ul) {
        w->last_ul = ulnow;
        w->last_change = now;
    }
    long limit = w->r->data_started && MAIL_DATA_REPLY_S > w->silence_s ? MAIL_DATA_REPLY_S
                                                                        : w->silence_s;
    if (now - w->last_change > (double)limit) {
        w->timed_out = true;
        return 1;
    }
    return 0;
}

static bool is_transient(CURLcode rc, long code)
{
    if (code >= 400 && code < 500)
        return true;
    if (code >= 500)
        return false;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

/* A text part (plain or HTML) of the body, quoted-printable, shown inline. */
static bool add_text_part(curl_mime *mime, const char *text, const char *type)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    struct curl_slist *ph = curl_slist_append(NULL, "Content-Disposition: inline");
    if (!part || !ph || curl_mime_data(part, text, CURL_ZERO_TERMINATED) ||
        curl_mime_type(part, type) || curl_mime_encoder(part, "quoted-printable") ||
        curl_mime_headers(part, ph, 1)) {
        curl_slist_free_all(ph); /* NULL-safe; owned by part only on success */
        return false;
    }
    return true;
}

static bool add_inline(curl_mime *mime, const struct mail_inline *in)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    char *cid = xstrfmt("Content-ID: <%s>", in->content_id);
    char *disp = xstrfmt("Content-Disposition: inline; filename=\"%s\"", in->filename);
    struct curl_slist *ph = curl_slist_append(NULL, cid);
    struct curl_slist *ph2 = ph ? curl_slist_append(ph, disp) : NULL;
    free(cid);
    free(disp);
    if (!part || !ph2 || curl_mime_data(part, (const char *)in->data, in->len) ||
        curl_mime_type(part, in->mime_type) || curl_mime_encoder(part, "base64") ||
        curl_mime_headers(part, ph, 1)) {
        curl_slist_free_all(ph);
        return false;
    }
    return true;
}

/* Adds to a parent MIME a part holding sub as "type" (multipart/...);
 * sub belongs to the part from then on, also when this fails. */
static bool add_subparts(curl_mime *parent, curl_mime *sub, const char *type)
{
    curl_mimepart *part = curl_mime_addpart(parent);
    if (!part || curl_mime_subparts(part, sub)) {
        curl_mime_free(sub);
        return false;
    }
    return curl_mime_type(part, type) == CURLE_OK;
}

/* The body: the text alone, or multipart/alternative of the text and the
 * HTML (last: the richest form a client can show is the one it picks),
 * the HTML inside a multipart/related with its inline images. */
static bool add_body(CURL *h, curl_mime *mime, const struct mail_message *m,
                     const struct prepared *p)
{
    if (!p->html)
        return add_text_part(mime, p->body, "text/plain; charset=UTF-8");
    curl_mime *alt = curl_mime_init(h);
    if (!alt)
        return false;
    if (!add_text_part(alt, p->body, "text/plain; charset=UTF-8")) {
        curl_mime_free(alt);
        return false;
    }
    bool ok = true;
    if (m->n_inlines == 0) {
        ok = add_text_part(alt, p->html, "text/html; charset=UTF-8");
    } else {
        curl_mime *rel = curl_mime_init(h);
        ok = rel && add_text_part(rel, p->html, "text/html; charset=UTF-8");
        for (size_t i = 0; ok && i < m->n_inlines; i++)
            ok = add_inline(rel, &m->inlines[i]);
        if (!ok)
            curl_mime_free(rel);
        else
            ok = add_subparts(alt, rel, "multipart/related; type=\"text/html\"");
    }
    if (!ok) {
        curl_mime_free(alt);
        return false;
    }
    return add_subparts(mime, alt, "multipart/alternative");
}

/* Returns true when sent; otherwise why says what failed, *transient whether
 * another attempt may help, *unconfirmed whether the message went out
 * without an answer, *stopped whether the stop flag ended it. */
static bool attempt(const struct mail_server *s, const struct mail_message *m,
                    const struct prepared *p, struct strbuf *why, bool *transient,
                    bool *unconfirmed, bool *stopped)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct reply r = {.data_started = false};
    strbuf_init(&r.last);
    curl_mime *mime = NULL;
    bool sent = false;
    *transient = *unconfirmed = *stopped = false;
    long timeout = s->timeout_s > 0 ? s->timeout_s : MAIL_DEFAULT_TIMEOUT_S;
    struct watch w = {.s = s, .r = &r, .last_change = mono_seconds(), .silence_s = timeout};

    CURL *h = curl_easy_init();
    if (!h) {
        strbuf_adds(why, "could not initialise libcurl");
        goto cleanup;
    }
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
    /* No overall limit: on_progress bounds each silence instead, so a big
     * attachment on a slow link is not cut, and the reply to the message
     * gets its 10 minutes (a shorter wait made a second copy). */
    long reply_s = MAIL_DATA_REPLY_S > timeout ? MAIL_DATA_REPLY_S : timeout;
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, reply_s + 5);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &w);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* only feeds on_debug */
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &r);
    if (s->starttls)
        curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (s->ca_file && *s->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_file);
    if (s->username && *s->username) {
        curl_easy_setopt(h, CURLOPT_USERNAME, s->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, s->password ? s->password : "");
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, p->mail_from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, p->rcpt);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, p->headers);

    mime = curl_mime_init(h);
    if (!mime || !add_body(h, mime, m, p)) {
        strbuf_adds(why, "could not build the message body");
        goto cleanup;
    }
    curl_mimepart *part;
    struct curl_slist *ph;
    for (size_t i = 0; i < m->n_attachments; i++) {
        const struct mail_attachment *a = &m->attachments[i];
        part = curl_mime_addpart(mime);
        ph = curl_slist_append(NULL, p->dispositions[i]);
        CURLcode rc = part && ph ? curl_mime_filedata(part, a->path) : CURLE_OUT_OF_MEMORY;
        if (rc == CURLE_OK)
            rc = curl_mime_type(part, a->mime_type ? a->mime_type : "application/octet-stream");
        if (rc == CURLE_OK)
            rc = curl_mime_encoder(part, "base64");
        if (rc == CURLE_OK)
            rc = curl_mime_headers(part, ph, 1);
        if (rc != CURLE_OK) {
            curl_slist_free_all(ph);
            strbuf_addf(why, "could not attach \"%s\": %s", a->path, curl_easy_strerror(rc));
            goto cleanup;
        }
    }
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);

    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
        sent = true;
        goto cleanup;
    }
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    *transient = is_transient(rc, code);
    *stopped = w.stopped;
    /* After 354 anything but a refusal leaves the message's fate unknown. */
    *unconfirmed = r.data_started && code < 400;
    if (w.stopped)
        strbuf_adds(why, "stopped by a signal");
    else if (w.timed_out)
        strbuf_addf(why, "the server was silent for more than %ld s",
                    r.data_started ? reply_s : timeout);
    else
        strbuf_adds(why, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    if (code >= 400 && r.last.len > 0)
        strbuf_addf(why, " (server replied \"%s\")", r.last.buf);

cleanup:
    curl_mime_free(mime);
    if (h)
        curl_easy_cleanup(h);
    strbuf_release(&r.last);
    return sent;
}

/* ---- preparation, retries ---- */

static char *crlf_lines(const char *text)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *c = text ? text : ""; *c; c++) {
        if (*c == '\n' && (c == text || c[-1] != '\r'))
            strbuf_adds(&sb, "\r\n");
        else
            strbuf_add(&sb, c, 1);
    }
    return strbuf_detach(&sb);
}

/* A Content-ID or an inline file name: plain ASCII without spaces,
 * quotes or brackets, so it cannot break its header. */
static bool token_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c <= 0x20 || *c >= 0x7f || strchr("<>\"\\()", *c))
            return false;
    return true;
}

static void prepared_release(struct prepared *p, size_t n_attachments)
{
    free(p->from_addr);
    free(p->mail_from);
    curl_slist_free_all(p->headers);
    curl_slist_free_all(p->rcpt);
    free(p->body);
    free(p->html);
    if (p->dispositions)
        for (size_t i = 0; i < n_attachments; i++)
            free(p->dispositions[i]);
    free(p->dispositions);
}

/* Appends to a curl_slist, aborting on allocation failure like xmalloc. */
static struct curl_slist *slist_add(struct curl_slist *l, const char *s)
{
    struct curl_slist *n = curl_slist_append(l, s);
    if (!n) {
        fputs("out of memory\n", stderr);
        abort();
    }
    return n;
}

static char *base64_of(const char *p, size_t n)
{
    struct strbuf sb;
    strbuf_init(&sb);
    add_base64(&sb, (const unsigned char *)p, n);
    return strbuf_detach(&sb);
}

/* Does text hold the password, as typed or as AUTH PLAIN / LOGIN sent it?
 * A relay may echo what it got. */
static bool holds_secret(const char *text, const struct mail_server *s)
{
    const char *pw = s->password;
    if (!pw || !*pw)
        return false;
    if (strstr(text, pw))
        return true;
    const char *user = s->username ? s->username : "";
    size_t nu = strlen(user), np = strlen(pw);
    char *plain = xmalloc(nu + np + 2); /* "\0user\0password" */
    plain[0] = '\0';
    memcpy(plain + 1, user, nu);
    plain[1 + nu] = '\0';
    memcpy(plain + 2 + nu, pw, np);
    char *forms[] = {base64_of(pw, np), base64_of(plain, nu + np + 2)};
    bool found = false;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        found = found || strstr(text, forms[i]) != NULL;
        free(forms[i]);
    }
    free(plain);
    return found;
}

/* Masking the secret inside a reply would still show where it stood (a
 * password that is an ordinary word turns "example.com" into "***.com"):
 * such a reply is withheld whole. */
static void withhold_secrets(struct strbuf *sb, const struct mail_server *s)
{
    if (!holds_secret(sb->buf, s))
        return;
    strbuf_reset(sb);
    strbuf_adds(sb, "the server's reply is withheld because it contains the SMTP credential");
}

static bool stopped(const struct mail_server *s)
{
    return s->stop && *s->stop;
}

/* Sleeps ms, in short steps so that a stop ends the wait at once. */
static void sleep_ms(const struct mail_server *s, long ms)
{
    while (ms > 0 && !stopped(s)) {
        long step = ms < 200 ? ms : 200;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = step * 1000000L};
        nanosleep(&ts, NULL); /* EINTR: the loop looks at the flag */
        ms -= step;
    }
}

enum vr_status mail_send(const struct mail_server *s, const struct mail_message *m,
                         struct mail_result *res, struct vr_error *err)
{
    enum vr_status ret = VR_OK;
    struct prepared p = {0};
    struct strbuf sb, why, to;
    strbuf_init(&sb);
    strbuf_init(&why);
    strbuf_init(&to);
    char *shown = NULL;
    int made = 0;
    bool unconfirmed = false, interrupted = false;

    if (!s || !m || !s->url || !*s->url) {
        ret = vr_fail(err, VR_ERR_INTERNAL, "mail_send: no server or message");
        goto cleanup;
    }
    shown = display_url(s->url);
    bool tls = s->starttls || strncasecmp(s->url, "smtps://", 8) == 0;
    if (s->password && *s->password && !tls) {
        ret = vr_fail(err, VR_ERR_CONFIG,
                      "refusing to send SMTP credentials without TLS to %s (use smtps:// or "
                      "STARTTLS)",
                      shown);
        goto cleanup;
    }
    p.from_addr = envelope_from(s->from);
    if (!p.from_addr) {
        ret = vr_fail(err, VR_ERR_CONFIG, "unusable sender address \"%s\"", s->from ? s->from : "");
        goto cleanup;
    }
    if (m->n_to == 0) {
        ret = vr_fail(err, VR_ERR_CONFIG, "no recipient for the mail");
        goto cleanup;
    }
    for (size_t i = 0; i < m->n_to; i++) {
        if (!address_ok(m->to[i])) {
            ret = vr_fail(err, VR_ERR_CONFIG, "unusable recipient address \"%s\"",
                          m->to[i] ? m->to[i] : "");
            goto cleanup;
        }
        strbuf_addf(&sb, "<%s>", m->to[i]);
        p.rcpt = slist_add(p.rcpt, sb.buf);
        strbuf_reset(&sb);
        strbuf_addf(&to, "%s%s", i ? ", " : "", m->to[i]);
    }
    p.to_list = to.buf;
    for (size_t i = 0; i < m->n_inlines; i++) {
        const struct mail_inline *in = &m->inlines[i];
        if (!m->body_html || !token_ok(in->content_id) || !token_ok(in->filename) ||
            !token_ok(in->mime_type) || !in->data) {
            ret = vr_fail(err, VR_ERR_INTERNAL, "mail_send: unusable inline image %zu", i);
            goto cleanup;
        }
    }
    /* fail early, and permanently, on an unreadable attachment */
    for (size_t i = 0; i < m->n_attachments; i++) {
        int fd = m->attachments[i].path ? open(m->attachments[i].path, O_RDONLY) : -1;
        if (fd < 0) {
            ret = vr_fail(err, VR_ERR_DELIVERY, "could not read attachment \"%s\": %s",
                          m->attachments[i].path ? m->attachments[i].path : "(null)",
                          strerror(errno));
            goto cleanup;
        }
        close(fd);
    }

    p.mail_from = xstrfmt("<%s>", p.from_addr);
    strbuf_addf(&sb, "From: %s", s->from);
    p.headers = slist_add(p.headers, sb.buf);
    strbuf_reset(&sb);
    /* To: folded after a comma when the line grows past 78 characters */
    strbuf_adds(&sb, "To: ");
    size_t line = sb.len;
    for (size_t i = 0; i < m->n_to; i++) {
        size_t n = strlen(m->to[i]);
        if (i > 0) {
            if (line + n + 2 > 78) {
                strbuf_adds(&sb, ",\r\n ");
                line = 1;
            } else {
                strbuf_adds(&sb, ", ");
                line += 2;
            }
        }
        strbuf_adds(&sb, m->to[i]);
        line += n;
    }
    p.headers = slist_add(p.headers, sb.buf);
    strbuf_reset(&sb);
    char *subject = mail_encode_header(m->subject);
    strbuf_addf(&sb, "Subject: %s", subject);
    free(subject);
    p.headers = slist_add(p.headers, sb.buf);
    strbuf_reset(&sb);
    add_date_header(&sb);
    p.headers = slist_add(p.headers, sb.buf);
    strbuf_reset(&sb);
    add_message_id(&sb, p.from_addr);
    p.headers = slist_add(p.headers, sb.buf);
    strbuf_reset(&sb);

    /* bodies with CRLF line ends, so quoted-printable keeps the lines */
    p.body = crlf_lines(m->body_text);
    p.html = m->body_html ? crlf_lines(m->body_html) : NULL;
    p.dispositions = xcalloc(m->n_attachments ? m->n_attachments : 1, sizeof(char *));
    for (size_t i = 0; i < m->n_attachments; i++) {
        const struct mail_attachment *a = &m->attachments[i];
        const char *name = a->filename;
        if (!name || !*name) {
            const char *slash = strrchr(a->path, '/');
            name = slash ? slash + 1 : a->path;
        }
        p.dispositions[i] = disposition_header(name);
    }

    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK) {
        ret = vr_fail(err, VR_ERR_DELIVERY, "could not initialise libcurl: %s",
                      curl_easy_strerror(curl_init_rc));
        goto cleanup;
    }

    int max = s->max_attempts > 0 ? s->max_attempts : MAIL_DEFAULT_ATTEMPTS;
    long delay = s->retry_base_ms > 0 ? s->retry_base_ms : 0;
    bool transient = false, lost = false, halted = false;
    const char *outcome = "permanent failure";
    for (;;) {
        if (stopped(s)) {
            interrupted = true;
            if (made == 0)
                strbuf_adds(&why, "stopped by a signal before the first attempt");
            outcome = "stopped";
            break;
        }
        strbuf_reset(&why);
        made++;
        if (attempt(s, m, &p, &why, &transient, &lost, &halted)) {
            if (made > 1)
                log_info("mail to %s sent via %s on attempt %d", p.to_list, shown, made);
            goto cleanup;
        }
        withhold_secrets(&why, s);
        if (lost) {
            unconfirmed = true;
            outcome = "unconfirmed: the whole message went out but the server did not confirm it, "
                      "so it may have arrived";
            break;
        }
        if (halted) {
            interrupted = true;
            outcome = "stopped";
            break;
        }
        if (!transient || made >= max) {
            outcome = transient ? "giving up" : "permanent failure";
            break;
        }
        log_warn("mail to %s via %s failed (attempt %d of %d), retrying in %ld ms: %s", p.to_list,
                 shown, made, max, delay, why.buf);
        sleep_ms(s, delay);
        delay = delay * 2 > MAIL_MAX_DELAY_MS ? MAIL_MAX_DELAY_MS : delay * 2;
    }
    strbuf_reset(&sb);
    strbuf_addf(&sb, "could not send mail to %s via %s (%d attempt%s, %s): %s", p.to_list, shown,
                made, made == 1 ? "" : "s", outcome, why.buf);
    /* Only the server's words can carry the credential (withheld above);
     * ours are the addresses and the url without its userinfo. */
    ret = vr_fail(err, VR_ERR_DELIVERY, "%s", sb.buf);

cleanup:
    if (res)
        *res = (struct mail_result){
            .attempts = made, .unconfirmed = unconfirmed, .interrupted = interrupted};
    prepared_release(&p, m ? m->n_attachments : 0);
    free(shown);
    strbuf_release(&sb);
    strbuf_release(&why);
    strbuf_release(&to);
    return ret;
}
