/* UTF-8 helpers shared by the classifiers and the job: validation (the job
 * skips bodies that are not UTF-8) and decoding one code point at a time.
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

#endif
