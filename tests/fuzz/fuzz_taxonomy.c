/* Fuzz target: the input bytes as a taxonomy file (written to a temporary
 * file, since the loader reads a path), then the input again as a text for
 * the automaton just built from it.  Traps on anything but a clean load or
 * a configuration error that names the file.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined ... (see README.md) */
#include "classify/taxonomy.h"
#include "fuzz_common.h"
#include "jobs/base/diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = fuzz_write_temp(0, "taxonomy", data, size);

    /* check-config's pass over every error first: each a configuration
     * error naming the file, nothing returned, and the same verdict as the
     * load that stops at the first. */
    struct diag d;
    diag_init(&d);
    struct taxonomy *all = NULL;
    enum vr_status st_all = taxonomy_load_all(&all, p, &d);
    for (size_t i = 0; i < d.n; i++)
        if (d.entries[i].status != VR_ERR_CONFIG || strncmp(d.entries[i].msg, p, strlen(p)) != 0) {
            fprintf(stderr, "unexpected error %d: %s\n", (int)d.entries[i].status,
                    d.entries[i].msg);
            abort();
        }
    if ((st_all == VR_OK) != (d.n == 0) || (st_all == VR_OK) != (all != NULL))
        abort();
    taxonomy_free(all);

    struct vr_error err = {0};
    struct taxonomy *t = NULL;
    enum vr_status st = taxonomy_load(&t, p, &err);
    if ((st == VR_OK) != (st_all == VR_OK) ||
        (st != VR_OK && strcmp(err.msg, d.entries[0].msg) != 0))
        abort();
    diag_release(&d);
    if (st != VR_OK) {
        /* Only configuration errors, each naming the file; nothing returned. */
        fuzz_expect_refusal("fuzz_taxonomy", st, &err, p);
        if (t != NULL)
            abort();
        return 0;
    }
    if (!t || t->n_topics == 0 || strlen(t->version) != 12)
        abort();
    for (size_t i = 0; i < t->n_topics; i++) {
        const struct topic *tp = &t->topics[i];
        if (!tp->code || !tp->label_en || !tp->label_zh || tp->n_keywords == 0)
            abort();
        for (size_t k = 0; k < tp->n_keywords; k++)
            if (!tp->keywords[k] || !tp->keywords[k][0])
                abort();
    }
    /* The file's own bytes as a text: every keyword in it is there. */
    size_t out[64];
    size_t n = taxonomy_match(t, (const char *)data, size, out, 64);
    for (size_t i = 0; i < n; i++)
        if (out[i] >= t->n_topics)
            abort();
    taxonomy_free(t);
    return 0;
}
