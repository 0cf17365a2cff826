#include "utf8.h"

#include "strbuf.h"

#include <string.h>

size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    *cp = UTF8_INVALID;
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 1; /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (len < need)
        return 1;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 1;
    *cp = v;
    return need;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII runs are the common case: skip them byte by byte cheaply. */
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == UTF8_INVALID)
            return i;
        i += n;
    }
    return len;
}

bool utf8_valid(const char *s, size_t len)
{
    return utf8_valid_prefix(s, len) == len;
}

size_t utf8_length(const char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        n++;
    }
    return n;
}

bool utf8_is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

bool utf8_in_set(uint32_t cp, const uint32_t *set, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == cp;
}

bool utf8_is_xml_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* The bytes of s[0..len) that can go out as they are. */
static size_t clean_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == UTF8_INVALID || !utf8_is_xml_char(cp))
            return i;
        i += n;
    }
    return len;
}

char *utf8_clean(const char *s, size_t len, size_t *out_len)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    size_t i = clean_prefix(s, len);
    if (i == len)
        return NULL;
    /* Worst case: every remaining byte becomes a 3-byte U+FFFD. */
    char *out = xmalloc(i + 3 * (len - i) + 1);
    memcpy(out, s, i);
    size_t o = i;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == UTF8_INVALID || !utf8_is_xml_char(cp)) {
            memcpy(out + o, replacement, 3);
            o += 3;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}
