/* Text as a workbook cell can hold it.  Excel refuses a cell over 32,767
 * characters (libxlsxwriter returns LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED),
 * and an XML part cannot carry invalid UTF-8 or most control characters;
 * one comment from the source must never stop a workbook.  Every string the
 * workbook renderers write into a cell goes through cell_text. */
#ifndef VR_CELL_TEXT_H
#define VR_CELL_TEXT_H

#include "texts.h"

/* Excel's limit, counted as Excel counts: UTF-16 units (a character
 * outside the Basic Multilingual Plane, an emoji, takes two). */
#define CELL_TEXT_MAX 32767

/* s cleaned by utf8_clean and, when longer than CELL_TEXT_MAX, cut at a
 * character boundary and ended with the locale's visible mark
 * (format.cut_mark: "… [cut from 40,012 characters]"), the whole at most
 * CELL_TEXT_MAX units.  Returns s itself when it can go as it is (*owned
 * NULL), else a malloc'd copy also stored in *owned for the caller to
 * free. */
const char *cell_text(const struct texts *t, const char *s, char **owned);

#endif
