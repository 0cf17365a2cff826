/* Workbook parts checked with a real parser (ooxml.h). */
#include "ooxml.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"

#include <expat.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK (64 * 1024)

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

/* A part name as a sentence may quote it: a damaged zip can hold any bytes,
 * and the sentence goes to the log and to runs.gate_failures. */
static char *printable(const char *name)
{
    char *clean = utf8_clean(name, strlen(name), NULL);
    return clean ? clean : xstrdup(name);
}

static char *part_problem(zip_t *z, zip_uint64_t i, const char *name, XML_Parser p, char *buf)
{
    char *why = NULL, *shown = printable(name);
    zip_file_t *f = zip_fopen_index(z, i, 0);
    if (!f) {
        why = xstrfmt("part \"%s\" could not be opened: %s", shown, zip_strerror(z));
        free(shown);
        return why;
    }
    XML_ParserReset(p, NULL);
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, CHUNK);
        if (got < 0) {
            why = xstrfmt("part \"%s\" could not be read: %s", shown, zip_file_strerror(f));
            break;
        }
        if (XML_Parse(p, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
            why = xstrfmt("part \"%s\" is not well-formed XML: line %lu, column %lu: %s", shown,
                          (unsigned long)XML_GetCurrentLineNumber(p),
                          (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                          XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (got == 0)
            break;
    }
    zip_fclose(f);
    free(shown);
    return why;
}

char *ooxml_problem(const char *path)
{
    int code = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        char *why = xstrfmt("is not a readable zip file: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return why;
    }
    XML_Parser p = xnonnull(XML_ParserCreate(NULL));
    char *buf = xmalloc(CHUNK);
    char *why = NULL;
    bool has_types = false;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n && !why; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name) {
            why = xstrfmt("entry %lld of the zip has no readable name: %s", (long long)i + 1,
                          zip_strerror(z));
            break;
        }
        has_types |= !strcmp(name, "[Content_Types].xml");
        if (ends_with(name, ".xml") || ends_with(name, ".rels"))
            why = part_problem(z, (zip_uint64_t)i, name, p, buf);
    }
    if (!why && !has_types)
        why = xstrdup("the zip holds no [Content_Types].xml");
    free(buf);
    XML_ParserFree(p);
    zip_discard(z);
    return why;
}
