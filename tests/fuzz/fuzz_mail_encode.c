/* Fuzz target: report/mail.c from the outside (mail.h), without a server.
 *
 * The input, split at NUL bytes: a header value, then optionally a sender,
 * an attachment name and up to eight recipients.
 *
 * - The value goes through mail_encode_header, whose output is checked
 *   with a decoder written here: printable ASCII without "=?" comes back
 *   unchanged; anything else becomes RFC 2047 "B" encoded words of at most
 *   75 characters, folded with CRLF SP and nothing else (no bare CR or LF
 *   can split the header), that decode back to the input; when the input
 *   is valid UTF-8 each word holds whole characters (RFC 2047 section 5).
 * - With a sender, mail_send gets the value as subject and body, the
 *   sender and the recipients.  Addresses are checked before anything is
 *   sent: one that could inject a header or an SMTP command (control
 *   characters, spaces, <, >, a comma) must be refused as VR_ERR_CONFIG,
 *   and plain ones (letters, digits, "._-" around one '@') accepted.  With
 *   no attachment name the attachment does not exist, so mail_send stops
 *   before connecting; with one it attaches /dev/null under that name
 *   (the RFC 2231 filename code runs) and sends to a local port that
 *   refuses connections.  No outcome may show the SMTP password. */
#include "fuzz_common.h"
#include "jobs/base/strbuf.h"
#include "report/mail.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PASSWORD "fuzz-Pw-7s3cr3t"

static char url[64];

/* ---- checking mail_encode_header ---- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Appends the bytes of a base64 text to out; false when it is not
 * canonical base64 (length a multiple of 4, '=' only as padding). */
static bool b64_decode(const char *s, size_t n, unsigned char *out, size_t *len)
{
    if (n == 0 || n % 4 != 0)
        return false;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        size_t pad = 0;
        for (int k = 0; k < 4; k++) {
            v[k] = b64_value((unsigned char)s[i + k]);
            if (s[i + k] == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (v[k] < 0 || pad) {
                return false;
            }
        }
        uint32_t x =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        out[(*len)++] = (unsigned char)(x >> 16);
        if (pad < 2)
            out[(*len)++] = (unsigned char)(x >> 8);
        if (pad < 1)
            out[(*len)++] = (unsigned char)x;
    }
    return true;
}

/* Well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80                 ? 1
                   : c >= 0xC2 && c <= 0xDF ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        if (k == 0 || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += k;
    }
    return true;
}

static void fail_encoding(const char *why, const char *in, const char *out)
{
    fprintf(stderr, "fuzz_mail_encode: %s\n  input:  \"%s\"\n  output: \"%s\"\n", why, in, out);
    abort();
}

static void check_encoding(const char *in)
{
    char *out = mail_encode_header(in);
    if (!out)
        abort();
    size_t n = strlen(in);
    bool plain = strstr(in, "=?") == NULL;
    for (size_t i = 0; plain && i < n; i++)
        plain = in[i] >= 0x20 && in[i] <= 0x7e;
    if (plain) {
        if (strcmp(in, out) != 0)
            fail_encoding("printable ASCII changed", in, out);
        free(out);
        return;
    }
    static const char open[] = "=?UTF-8?B?";
    unsigned char *dec = xmalloc(n + 4), *word = xmalloc(n + 4);
    size_t dec_len = 0;
    bool utf8 = valid_utf8((const unsigned char *)in, n);
    const char *p = out;
    for (;;) {
        const char *end = strstr(p, "?=");
        if (strncmp(p, open, strlen(open)) != 0 || !end)
            fail_encoding("not an encoded word", in, out);
        size_t wlen = (size_t)(end + 2 - p), wn = 0;
        if (wlen > 75)
            fail_encoding("encoded word longer than 75 characters", in, out);
        if (!b64_decode(p + strlen(open), (size_t)(end - p) - strlen(open), word, &wn))
            fail_encoding("not base64", in, out);
        if (utf8 && !valid_utf8(word, wn))
            fail_encoding("a word splits a UTF-8 character", in, out);
        if (dec_len + wn > n)
            fail_encoding("decodes to more than the input", in, out);
        memcpy(dec + dec_len, word, wn);
        dec_len += wn;
        p = end + 2;
        if (!*p)
            break;
        if (strncmp(p, "\r\n ", 3) != 0)
            fail_encoding("words not folded with CRLF SP", in, out);
        p += 3;
    }
    if (dec_len != n || memcmp(dec, in, n) != 0)
        fail_encoding("does not decode to the input", in, out);
    free(dec);
    free(word);
    free(out);
}

/* ---- checking mail_send's address checks ---- */

/* Could break a header line, an SMTP command or the To list. */
static bool dangerous(const char *addr)
{
    if (!*addr || !strchr(addr, '@'))
        return true;
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == ',')
            return true;
    return false;
}

static bool plain_address(const char *addr)
{
    const char *at = strchr(addr, '@');
    if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const char *p = addr; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-@", *p)))
            return false;
    return true;
}

/* The sender: "addr" or "Name <addr>"; its address and, for the header,
 * the whole text must be safe. */
static bool sender_dangerous(const char *from)
{
    for (const unsigned char *p = (const unsigned char *)from; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    const char *lt = strrchr(from, '<');
    if (!lt)
        return dangerous(from);
    size_t n = strlen(lt);
    if (lt[n - 1] != '>')
        return true;
    char *addr = xstrfmt("%.*s", (int)(n - 2), lt + 1);
    bool bad = dangerous(addr);
    free(addr);
    return bad;
}

static void check_send(const char *subject, const char *from, const char *filename,
                       const char *const *to, size_t n_to)
{
    struct mail_server s = {
        .url = url,
        .username = "fuzz",
        .password = PASSWORD,
        .from = from,
        .max_attempts = 1,
        .retry_base_ms = 0,
        .timeout_s = 5,
    };
    struct mail_attachment a = {
        .path = filename ? "/dev/null" : "/nonexistent/vocreport-fuzz.pdf",
        .filename = filename,
        .mime_type = "application/pdf",
    };
    struct mail_message m = {
        .to = to, .n_to = n_to, .subject = subject, .body_text = subject, .attachments = &a,
        .n_attachments = 1};
    struct vr_error err = {0};
    struct mail_result res = {.attempts = -1};
    enum vr_status st = mail_send(&s, &m, &res, &err);

    bool any_dangerous = sender_dangerous(from), all_plain = plain_address(from);
    for (size_t i = 0; i < n_to; i++) {
        any_dangerous |= dangerous(to[i]);
        all_plain &= plain_address(to[i]);
    }
    /* the fuzzer learns the password from the comparison below and may
     * write it into an address, which a message may then quote */
    bool pw_given = strstr(subject, PASSWORD) || strstr(from, PASSWORD) ||
                    (filename && strstr(filename, PASSWORD));
    for (size_t i = 0; i < n_to; i++)
        pw_given |= strstr(to[i], PASSWORD) != NULL;
    const char *why = NULL;
    if (!pw_given && strstr(err.msg, PASSWORD))
        why = "the password in the message";
    else if (st == VR_ERR_CONFIG)
        why = res.attempts != 0       ? "refused after an attempt"
              : all_plain && n_to ? "plain addresses refused"
              : err.status != st  ? "status and error disagree"
                                  : NULL;
    else if (any_dangerous || n_to == 0)
        why = "an address that can inject a header or command accepted";
    else if (st != VR_ERR_DELIVERY || err.status != st)
        why = "neither refused nor failed to deliver";
    else if (!filename && (res.attempts != 0 || !strstr(err.msg, "could not read attachment")))
        why = "a missing attachment not refused before connecting";
    else if (filename && (res.attempts != 1 || strncmp(err.msg, "could not send mail", 19) != 0))
        why = "a refused connection not reported as one failed attempt";
    if (why) {
        fprintf(stderr, "fuzz_mail_encode: %s (status %d, %d attempts): %s\n  from \"%s\"\n", why,
                (int)st, res.attempts, err.msg, from);
        for (size_t i = 0; i < n_to; i++)
            fprintf(stderr, "  to \"%s\"\n", to[i]);
        abort();
    }
}

/* ---- the target ---- */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* A port bound but never listened on refuses every connection at once,
     * and no other process can take it while this one lives. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t len = sizeof(sa);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        perror("fuzz_mail_encode: socket");
        exit(1);
    }
    snprintf(url, sizeof(url), "smtps://127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
    char *empty = mail_encode_header(NULL);
    if (!empty || *empty)
        abort();
    free(empty);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* NUL-separated fields, each NUL-terminated in a copy */
    char *copy = xmalloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *field[11];
    size_t n = 0;
    for (size_t i = 0, start = 0; i <= size && n < 11; i++)
        if (copy[i] == '\0') {
            field[n++] = copy + start;
            start = i + 1;
        }
    check_encoding(field[0]);
    if (n >= 2)
        check_send(field[0], field[1], n >= 3 ? field[2] : NULL, field + 3, n > 3 ? n - 3 : 0);
    free(copy);
    return 0;
}
