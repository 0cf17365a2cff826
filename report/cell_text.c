/* Text fit for a workbook cell (cell_text.h). */
#include "cell_text.h"

#include "jobs/base/strbuf.h"
#include "jobs/base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* UTF-16 units of one character (an invalid byte, already replaced by
 * utf8_clean, cannot occur). */
static size_t units(uint32_t cp)
{
    return cp >= 0x10000 ? 2 : 1;
}

static size_t text_units(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        n += units(cp);
    }
    return n;
}

const char *cell_text(const struct texts *t, const char *s, char **owned)
{
    size_t len = strlen(s);
    char *clean = utf8_clean(s, len, &len);
    const char *txt = clean ? clean : s;
    *owned = clean;
    /* A character takes at least one byte: a short text needs no count. */
    if (len <= CELL_TEXT_MAX || text_units(txt, len) <= CELL_TEXT_MAX)
        return txt;

    char *count = fmt_count(t, (long long)utf8_length(txt, len));
    char *mark = texts_format(t, "format.cut_mark", "n", count, (char *)NULL);
    size_t mark_len = strlen(mark), mark_units = text_units(mark, mark_len);
    if (mark_units > CELL_TEXT_MAX / 2) { /* a broken template must not eat the text */
        free(mark);
        mark = xstrdup("\xE2\x80\xA6"); /* … */
        mark_len = strlen(mark);
        mark_units = 1;
    }
    size_t budget = CELL_TEXT_MAX - mark_units, used = 0, cut = 0;
    while (cut < len) {
        uint32_t cp;
        size_t n = utf8_decode(txt + cut, len - cut, &cp);
        if (used + units(cp) > budget)
            break;
        used += units(cp);
        cut += n;
    }
    char *out = xmalloc(cut + mark_len + 1);
    memcpy(out, txt, cut);
    memcpy(out + cut, mark, mark_len + 1);
    free(count);
    free(mark);
    free(clean);
    *owned = out;
    return out;
}
