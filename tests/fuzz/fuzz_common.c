#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 4

static char paths[SLOTS][64];

static void remove_files(void)
{
    for (int i = 0; i < SLOTS; i++)
        if (paths[i][0])
            unlink(paths[i]);
}

const char *fuzz_write_temp(int slot, const char *tag, const uint8_t *data, size_t size)
{
    if (slot < 0 || slot >= SLOTS)
        abort();
    char *path = paths[slot];
    if (!path[0]) {
        snprintf(path, sizeof(paths[slot]), "/tmp/fuzz_%.20s.XXXXXX", tag);
        int fd = mkstemp(path);
        if (fd < 0) {
            perror("mkstemp");
            abort();
        }
        close(fd);
        static int registered;
        if (!registered++)
            atexit(remove_files);
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

void fuzz_expect_refusal(const char *what, enum vr_status st, const struct vr_error *err,
                         const char *path)
{
    if (st == VR_ERR_CONFIG && err->status == VR_ERR_CONFIG &&
        strncmp(err->msg, path, strlen(path)) == 0)
        return;
    fprintf(stderr, "%s: unexpected result %d (%s): %s\n", what, (int)st, vr_strerror(st),
            err->msg);
    abort();
}
