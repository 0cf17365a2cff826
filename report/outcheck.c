/* The contract is in outcheck.h. */
#include "outcheck.h"

#include "jobs/base/strbuf.h"
#include "ooxml.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool has_bytes(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return true;
    return false;
}

static char *pdf_problem(FILE *f, long size)
{
    unsigned char buf[1024];
    if (fread(buf, 1, 5, f) != 5 || memcmp(buf, "%PDF-", 5))
        return xstrdup("no %PDF- header");
    long tail = size < (long)sizeof(buf) ? size : (long)sizeof(buf);
    if (fseek(f, size - tail, SEEK_SET) || fread(buf, 1, (size_t)tail, f) != (size_t)tail)
        return xstrdup("could not read the end of the file");
    if (!has_bytes(buf, (size_t)tail, "%%EOF"))
        return xstrdup("no %%EOF trailer (truncated?)");
    return NULL;
}

static char *csv_problem(FILE *f)
{
    char line[4096];
    if (!fgets(line, sizeof(line), f) || !strchr(line, '\n') || line[0] == '\n' || line[0] == '\r')
        return xstrdup("no header line");
    return NULL;
}

char *outcheck_problem(const char *path, const char *kind)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xstrfmt("cannot be read: %s", strerror(errno));
    char *why = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
        why = xstrdup("is not a regular file");
    else if (st.st_size == 0)
        why = xstrdup("is empty");
    else if (!strcmp(kind, "xlsx"))
        why = ooxml_problem(path);
    else if (!strcmp(kind, "pdf"))
        why = pdf_problem(f, (long)st.st_size);
    else if (!strcmp(kind, "csv"))
        why = csv_problem(f);
    fclose(f);
    return why;
}
