/* Test driver for report/mail.c:
 *   mail_send [--attempts N] [--retry-ms N] [--timeout S]
 *             URL FROM SUBJECT BODYFILE TO[,TO...] [ATTACHMENT...]
 * Attachments are shown under their base name; the MIME type follows the
 * extension. Prints "attempts: N" and, on failure, "error: ..." on stderr.
 * Exit 0 when sent, otherwise the status's exit code (5 = not delivered). */
#include "jobs/base/error.h"
#include "jobs/base/strbuf.h"
#include "report/mail.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *mime_for(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {".pdf", "application/pdf"},
        {".csv", "text/csv; charset=UTF-8"},
        {".txt", "text/plain; charset=UTF-8"},
    };
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(path + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return "application/octet-stream";
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(f);
    return strbuf_detach(&sb);
}

static int usage(void)
{
    fputs("usage: mail_send [--attempts N] [--retry-ms N] [--timeout S] URL FROM SUBJECT "
          "BODYFILE TO[,TO...] [ATTACHMENT...]\n",
          stderr);
    return vr_exit_status(VR_ERR_USAGE);
}

int main(int argc, char **argv)
{
    struct mail_server s = {.max_attempts = 3, .retry_base_ms = 1000, .timeout_s = 30};
    static const struct option opts[] = {
        {"attempts", required_argument, NULL, 'a'},
        {"retry-ms", required_argument, NULL, 'r'},
        {"timeout", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        char *end;
        long v = optarg ? strtol(optarg, &end, 10) : 0;
        if (c == '?' || !optarg || *end || v < 0 || v > 1000000)
            return usage();
        if (c == 'a')
            s.max_attempts = (int)v;
        else if (c == 'r')
            s.retry_base_ms = (int)v;
        else
            s.timeout_s = v;
    }
    if (argc - optind < 5)
        return usage();
    s.url = argv[optind];
    s.from = argv[optind + 1];

    char *body = read_file(argv[optind + 3]);
    if (!body) {
        perror(argv[optind + 3]);
        return vr_exit_status(VR_ERR_USAGE);
    }
    char *tolist = xstrdup(argv[optind + 4]);
    size_t n_to = 1;
    for (char *p = tolist; *p; p++)
        n_to += *p == ',';
    const char **to = xcalloc(n_to, sizeof *to);
    size_t k = 0;
    for (char *p = tolist; p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        to[k++] = p;
        p = comma ? comma + 1 : NULL;
    }
    int n_att = argc - optind - 5;
    struct mail_attachment *att = xcalloc(n_att > 0 ? (size_t)n_att : 1, sizeof *att);
    for (int i = 0; i < n_att; i++) {
        att[i].path = argv[optind + 5 + i];
        att[i].mime_type = mime_for(att[i].path);
    }
    struct mail_message m = {.to = to,
                             .n_to = n_to,
                             .subject = argv[optind + 2],
                             .body_text = body,
                             .attachments = att,
                             .n_attachments = (size_t)n_att};
    struct vr_error err = {0};
    struct mail_result res = {0};
    enum vr_status st = mail_send(&s, &m, &res, &err);
    printf("attempts: %d\n", res.attempts);
    if (res.unconfirmed)
        printf("unconfirmed\n");
    if (st != VR_OK)
        fprintf(stderr, "error: %s\n", err.msg);
    free(att);
    free(to);
    free(tolist);
    free(body);
    return vr_exit_status(st);
}
