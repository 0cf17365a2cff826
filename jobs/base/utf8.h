/* UTF-8 helpers shared by the classifiers and the job: validation (the job
 * skips bodies that are not UTF-8), decoding one code point at a time, and
 * cleaning a text for the outputs (an XML part or a CSV cannot carry every
 * byte a source column may hold).
 * Strict RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  Never reads past len; NUL is an ordinary (valid) byte. */
#ifndef VR_UTF8_H
#define VR_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returned by utf8_decode for a byte that does not start a valid sequence. */
#define UTF8_INVALID 0xFFFFFFFFu

/* True when s[0..len) is entirely valid UTF-8 (len 0 is valid). */
bool utf8_valid(const char *s, size_t len);

/* Length of the longest valid prefix of s[0..len): the offset of the first
 * bad byte, or len when all is valid. */
size_t utf8_valid_prefix(const char *s, size_t len);

/* Decodes the code point at s[0..len), len > 0.  Returns the bytes it takes
 * (1..4) and stores the code point in *cp; on an invalid or truncated
 * sequence returns 1 and stores UTF8_INVALID, so a caller stepping through
 * a text always advances and resynchronises on the next byte. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Number of code points in s[0..len), each invalid byte counting as one. */
size_t utf8_length(const char *s, size_t len);

/* CJK unified ideographs (with extension A and the compatibility block),
 * the characters a Chinese text is made of, punctuation excluded. */
bool utf8_is_cjk(uint32_t cp);

/* The classifiers' one reading of a character: full-width ASCII
 * (U+FF01..U+FF5E) as ASCII, the ideographic and the no-break space as a
 * space, typographic apostrophes (U+2018, U+2019, U+02BC) as '.  Anything
 * else as it is.  Inline: the sentiment model calls it for every
 * character. */
static inline uint32_t utf8_fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0;
    if (cp == 0x3000 || cp == 0x00A0)
        return ' ';
    if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC)
        return '\'';
    return cp;
}

/* True when cp is in set[0..n), sorted ascending. */
bool utf8_in_set(uint32_t cp, const uint32_t *set, size_t n);

/* True for a character XML 1.0 allows in a document: tab, LF, CR,
 * U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF. */
bool utf8_is_xml_char(uint32_t cp);

/* Makes s[0..len) safe to write into a workbook part or the figures CSV
 * whatever the source held: each byte that does not start a valid sequence,
 * and each character XML 1.0 does not allow (C0 controls but tab, LF and
 * CR; U+FFFE, U+FFFF), becomes U+FFFD, so the reader sees that something
 * was there.  Returns NULL when s is already safe (the common case: no
 * copy), else a malloc'd NUL-terminated copy, its length in *out_len when
 * out_len is not NULL. */
char *utf8_clean(const char *s, size_t len, size_t *out_len);

#endif
