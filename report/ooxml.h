/* Is a workbook one a spreadsheet program opens?  An xlsx is a zip of XML
 * parts; a single byte XML 1.0 does not allow (an invalid UTF-8 sequence,
 * a control character) makes Excel and openpyxl refuse the whole file.
 * ooxml_problem reads every XML part (names ending .xml or .rels) with
 * libzip and checks it with expat, streaming: memory stays flat however
 * large a sheet is. */
#ifndef VR_OOXML_H
#define VR_OOXML_H

/* NULL when path is a zip whose entries all read back (CRC included),
 * which holds [Content_Types].xml, and whose XML parts are all well-formed;
 * else a malloc'd sentence saying why, naming the part and, for XML, the
 * parser's line, column and message:
 *   part "xl/worksheets/sheet1.xml" is not well-formed XML: line 2,
 *   column 345: not well-formed (invalid token) */
char *ooxml_problem(const char *path);

#endif
