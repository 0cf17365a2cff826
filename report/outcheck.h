/* Is a rendered report file what its kind promises?  Run on every file
 * before publication (jobs/run/runner.c): a file that fails is a bug of ours,
 * and publishing it would mail finance a workbook Excel refuses. */
#ifndef VR_OUTCHECK_H
#define VR_OUTCHECK_H

/* Checks one report file: non-empty, readable, and shaped like its kind
 * (xlsx: a zip holding [Content_Types].xml whose every XML part is
 * well-formed, report/ooxml.h; pdf: %PDF- header and %%EOF trailer; csv: a
 * header line).  NULL when fine, else why (caller frees). */
char *outcheck_problem(const char *path, const char *kind);

#endif
