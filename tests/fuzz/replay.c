/* Runs a fuzz target over every file of one or more corpus folders (or
 * single files) without libFuzzer, so the corpus is part of the normal test
 * suite under gcc and the sanitizers.  The harness aborts on a finding.
 *
 *   replay_taxonomy tests/fuzz/corpus_taxonomy
 *   replay_match tests/fuzz/corpus_match */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    if (!buf) {
        fputs("replay: out of memory\n", stderr);
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int files = 0, errors = 0;
    for (int a = 1; a < argc; a++) {
        struct stat st;
        if (stat(argv[a], &st) != 0) {
            perror(argv[a]);
            errors++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            errors += run_file(argv[a]) != 0;
            files++;
            continue;
        }
        DIR *d = opendir(argv[a]);
        if (!d) {
            perror(argv[a]);
            errors++;
            continue;
        }
        /* In name order, so a report names the same file every time. */
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char **more = realloc(names, (n + 1) * sizeof(*names));
            size_t plen = strlen(argv[a]) + strlen(e->d_name) + 2;
            char *p = malloc(plen);
            if (!more || !p) {
                fputs("replay: out of memory\n", stderr);
                return 1;
            }
            names = more;
            snprintf(p, plen, "%s/%s", argv[a], e->d_name);
            names[n++] = p;
        }
        closedir(d);
        if (n)
            qsort(names, n, sizeof(*names), cmp_str);
        for (size_t i = 0; i < n; i++) {
            errors += run_file(names[i]) != 0;
            files++;
            free(names[i]);
        }
        free(names);
    }
    if (files == 0)
        errors++;
    printf("replay: %d passed, %d failed\n", files - errors, errors);
    return errors ? 1 : 0;
}
