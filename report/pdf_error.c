/* libharu's error codes in words (pdf_error.h). */
#include "pdf_error.h"

#include "jobs/base/strbuf.h"

#include <hpdf.h>
#include <stdbool.h>
#include <string.h>

/* The codes our drawing can meet: files, fonts, memory, compression, and
 * the drawing calls (a bug of ours, but the words still help). */
static const struct {
    unsigned long code;
    const char *words;
} errors[] = {
    {HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
    {HPDF_FILE_OPEN_ERROR, "could not open the file"},
    {HPDF_FILE_IO_ERROR, "could not read or write the file"},
    {HPDF_ZLIB_ERROR, "compressing a stream failed"},
    {HPDF_INVALID_TTC_FILE, "the font file is not a TrueType collection"},
    {HPDF_INVALID_TTC_INDEX, "the font collection has no font at that index"},
    {HPDF_TTF_INVALID_FOMAT, "the font file is not a TrueType font"},
    {HPDF_TTF_INVALID_CMAP, "the font has no Unicode character map"},
    {HPDF_TTF_MISSING_TABLE, "the font file lacks a required table"},
    {HPDF_TTF_CANNOT_EMBEDDING_FONT, "the font's licence does not allow embedding it"},
    {HPDF_INVALID_FONTDEF_DATA, "the font data is invalid"},
    {HPDF_INVALID_FONTDEF_TYPE, "the font type is invalid"},
    {HPDF_UNSUPPORTED_FONT_TYPE, "the font type is not supported"},
    {HPDF_INVALID_FONT_NAME, "unknown font name"},
    {HPDF_INVALID_FONT, "invalid font"},
    {HPDF_FONT_EXISTS, "the font is loaded twice"},
    {HPDF_FONT_INVALID_WIDTHS_TABLE, "the font's widths table is invalid"},
    {HPDF_INVALID_ENCODER, "unknown text encoder"},
    {HPDF_INVALID_ENCODING_NAME, "unknown text encoding"},
    {HPDF_DUPLICATE_REGISTRATION, "a font or encoder is registered twice"},
    {HPDF_PAGE_FONT_NOT_FOUND, "text drawn before a font was set"},
    {HPDF_PAGE_INVALID_FONT, "invalid font on the page"},
    {HPDF_PAGE_INVALID_FONT_SIZE, "invalid font size"},
    {HPDF_PAGE_INVALID_GMODE, "a drawing call out of order (graphics mode)"},
    {HPDF_PAGE_INVALID_SIZE, "invalid page size"},
    {HPDF_PAGE_OUT_OF_RANGE, "a position or size outside what a PDF page allows"},
    {HPDF_REAL_OUT_OF_RANGE, "a number outside what PDF allows"},
    {HPDF_STRING_OUT_OF_RANGE, "a text longer than one PDF string may be"},
    {HPDF_EXCEED_GSTATE_LIMIT, "too many nested graphics states"},
    {HPDF_INVALID_DOCUMENT, "invalid document"},
    {HPDF_INVALID_OBJECT, "invalid object"},
    {HPDF_INVALID_PARAMETER, "invalid parameter"},
    {HPDF_INVALID_OPERATION, "invalid operation"},
    {HPDF_INVALID_STREAM, "invalid stream"},
    {HPDF_INVALID_PNG_IMAGE, "invalid PNG image"},
    {HPDF_LIBPNG_ERROR, "reading a PNG image failed"},
};

const char *pdf_error_words(unsigned long code)
{
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
        if (errors[i].code == code)
            return errors[i].words;
    return NULL;
}

/* libharu's own codes are 0x1001..0x10FF. */
static bool is_hpdf_code(unsigned long v)
{
    return v > 0x1000 && v < 0x1100;
}

char *pdf_error_describe(unsigned long code, unsigned long detail)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *words = pdf_error_words(code);
    strbuf_adds(&sb, words ? words : "libharu error");
    /* HPDF_FILE_OPEN_ERROR carries errno; HPDF_FILE_IO_ERROR only ferror's
     * flag, which means nothing to a reader. */
    if (code == HPDF_FILE_OPEN_ERROR && detail)
        strbuf_addf(&sb, ": %s", strerror((int)detail));
    else if (is_hpdf_code(detail) && pdf_error_words(detail))
        strbuf_addf(&sb, ": %s", pdf_error_words(detail));
    strbuf_addf(&sb, " (libharu error 0x%04lX)", code);
    return strbuf_detach(&sb);
}
