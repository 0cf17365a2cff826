/* libharu's error codes (hpdf_error.h) in words, for the messages of the
 * PDF renderers: "could not write briefing "x.pdf" while loading the font
 * "f.ttf": the font file is not a TrueType collection (libharu error
 * 0x103F)".
 * Only the PDF renderers include libharu; this header does not. */
#ifndef VR_PDF_ERROR_H
#define VR_PDF_ERROR_H

/* What the code means, in words; NULL for a code the table does not know
 * (the caller then shows the number alone). */
const char *pdf_error_words(unsigned long code);

/* The words for a libharu error and its detail, then the code: the detail
 * is an errno for a file that could not be opened, another libharu code
 * for a compressed stream whose write failed, and is otherwise left out
 * (it means nothing to a reader).  Caller frees. */
char *pdf_error_describe(unsigned long code, unsigned long detail);

#endif
