/* The config's fingerprint without its secrets (config_digest.h). */
#include "config_digest.h"

#include "jobs/base/strbuf.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const secret_keys[] = {"password", "sslpassword"};

static bool is_secret(const char *key, size_t n)
{
    for (size_t i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++)
        if (strlen(secret_keys[i]) == n && !strncmp(key, secret_keys[i], n))
            return true;
    return false;
}

/* key=value pairs as libpq's conninfo_parse reads them: white space
 * between pairs and around "=", a value either quoted ('a \' b') or up to
 * the next white space, backslash escaping one character in both. */
static void mask_pairs(struct strbuf *out, const char *s)
{
    const char *p = s;
    while (*p) {
        if (isspace((unsigned char)*p)) {
            strbuf_add(out, p++, 1);
            continue;
        }
        const char *key = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t key_len = (size_t)(p - key);
        const char *q = p;
        while (isspace((unsigned char)*q))
            q++;
        if (*q != '=') { /* not a pair: libpq refuses it, nothing to hide */
            strbuf_add(out, key, (size_t)(q - key));
            p = q;
            continue;
        }
        q++;
        while (isspace((unsigned char)*q))
            q++;
        strbuf_add(out, key, (size_t)(q - key)); /* key, "=", white space */
        const char *v = q;
        if (*q == '\'') {
            for (q++; *q && *q != '\''; q++)
                if (*q == '\\' && q[1])
                    q++;
            if (*q == '\'')
                q++;
        } else {
            for (; *q && !isspace((unsigned char)*q); q++)
                if (*q == '\\' && q[1])
                    q++;
        }
        if (is_secret(key, key_len))
            strbuf_adds(out, "***");
        else
            strbuf_add(out, v, (size_t)(q - v));
        p = q;
    }
}

/* postgresql://[user[:password]@]hosts[/dbname][?key=value&...] */
static void mask_uri(struct strbuf *out, const char *s, size_t scheme_len)
{
    const char *p = s + scheme_len;
    strbuf_add(out, s, scheme_len);
    /* libpq looks for the credentials up to the first '/' only */
    const char *at = p;
    while (*at && *at != '@' && *at != '/')
        at++;
    if (*at == '@') {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (colon) {
            strbuf_add(out, p, (size_t)(colon + 1 - p));
            strbuf_adds(out, "***");
            p = at;
        }
    }
    const char *query = strchr(p, '?');
    if (!query) {
        strbuf_adds(out, p);
        return;
    }
    strbuf_add(out, p, (size_t)(query + 1 - p));
    for (p = query + 1; *p;) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        if (eq && is_secret(p, (size_t)(eq - p))) {
            strbuf_add(out, p, (size_t)(eq + 1 - p));
            strbuf_adds(out, "***");
        } else {
            strbuf_add(out, p, n);
        }
        p += n;
        if (*p == '&')
            strbuf_add(out, p++, 1);
    }
}

char *conninfo_mask(const char *conninfo)
{
    struct strbuf out;
    strbuf_init(&out);
    const char *s = conninfo;
    while (isspace((unsigned char)*s))
        strbuf_add(&out, s++, 1);
    if (!strncmp(s, "postgresql://", 13))
        mask_uri(&out, s, 13);
    else if (!strncmp(s, "postgres://", 11))
        mask_uri(&out, s, 11);
    else
        mask_pairs(&out, s);
    return strbuf_detach(&out);
}

static void hash_line(EVP_MD_CTX *ctx, const char *line, size_t len, bool mask)
{
    size_t sep = strcspn(line, "=:");
    if (!mask || sep >= len) {
        EVP_DigestUpdate(ctx, line, len);
        return;
    }
    /* The value runs to the line end; the line end itself is hashed as is. */
    size_t end = len;
    while (end > sep + 1 && (line[end - 1] == '\n' || line[end - 1] == '\r'))
        end--;
    char *value = xstrfmt("%.*s", (int)(end - sep - 1), line + sep + 1);
    char *masked = conninfo_mask(value);
    EVP_DigestUpdate(ctx, line, sep + 1);
    EVP_DigestUpdate(ctx, masked, strlen(masked));
    EVP_DigestUpdate(ctx, line + end, len - end);
    free(masked);
    free(value);
}

char *config_digest(const char *path, int conninfo_line, int source_conninfo_line)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xstrdup("");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    for (int no = 1; (n = getline(&line, &cap, f)) > 0; no++)
        hash_line(ctx, line, (size_t)n, no == conninfo_line || no == source_conninfo_line);
    free(line);
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    fclose(f);
    struct strbuf sb;
    strbuf_init(&sb);
    for (unsigned int i = 0; i < mdlen; i++)
        strbuf_addf(&sb, "%02x", md[i]);
    return strbuf_detach(&sb);
}
