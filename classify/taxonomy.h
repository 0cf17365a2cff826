/* The topic taxonomy a company edits (config/taxonomy.ini): each topic has a
 * code, labels per locale, keywords in Chinese and English, an optional
 * value-dimension flag (share of voice), the customer_events that map to
 * it and the upstream topic codes (aliases) it stands for.  Who owns a
 * topic is the config's word, not the taxonomy's (jobs/compute/ownership.h).
 * Matching finds every keyword of every topic in one pass over the text
 * (Aho-Corasick over UTF-8 bytes). */
#ifndef VR_TAXONOMY_H
#define VR_TAXONOMY_H

#include "jobs/base/error.h"

#include <stdbool.h>
#include <stddef.h>

struct topic {
    char *code;          /* [a-z0-9_]+, unique */
    char *label_en;
    char *label_zh;
    bool dimension;      /* a value dimension for share of voice */
    char **events;       /* customer_events.event values mapped to this topic */
    size_t n_events;
    char **keywords;     /* as written in the file, both languages */
    size_t n_keywords;
    char **aliases;      /* upstream feedback.topic codes this topic stands for */
    size_t n_aliases;
};

struct taxonomy {
    struct topic *topics;
    size_t n_topics;
    char version[13];    /* first 12 hex digits of the file's sha256 */
    void *matcher;       /* private */
};

/* Errors name "file:line"; the first stops the load. */
enum vr_status taxonomy_load(struct taxonomy **out, const char *path, struct vr_error *err);
/* The same, but every error goes to d and loading goes on where it can;
 * *out is NULL when d got any. */
struct diag;
enum vr_status taxonomy_load_all(struct taxonomy **out, const char *path, struct diag *d);
void taxonomy_free(struct taxonomy *t);

/* A topic's label in the locale (zh_CN: label_zh), else the English one,
 * else the code itself (a topic tagged upstream may not be in the taxonomy). */
const char *taxonomy_label(const struct taxonomy *tx, const char *locale, const char *code);

/* Topics whose keywords occur in text (UTF-8, len bytes), best first (most
 * keyword bytes matched, then taxonomy order); writes up to max topic
 * indices to out and returns how many.  ASCII letters match case-
 * insensitively and English keywords only at word boundaries; Chinese
 * keywords match anywhere.  Invalid UTF-8 never crashes: it matches less. */
size_t taxonomy_match(const struct taxonomy *t, const char *text, size_t len, size_t *out,
                      size_t max);

#endif
