/*
** xlsx.h — an Excel workbook read as a CSV table (its first sheet), so
** that every check and message of csv.c applies to it unchanged.
*/
#ifndef RUBRIC_LOAD_XLSX_H
#define RUBRIC_LOAD_XLSX_H

#include <stdbool.h>
#include <stddef.h>

/* Whether BYTES start like a zip, as every .xlsx does. */
bool xlsx_is_workbook(const char *bytes, size_t len);

/* The first sheet of the workbook BYTES[0..len) as CSV text (one line per
   sheet row, so lines are row numbers; a cell's text, number as Excel
   stores it, or yes/no for a TRUE/FALSE cell), NUL-terminated, in a new
   buffer the caller frees, of *OUTLEN bytes. NULL with a message "PATH:
   what" (or "PATH:ROW: what") in ERR when it cannot be read. */
char *xlsx_to_csv(const char *path, const char *bytes, size_t len, size_t *outlen, char *err, size_t errlen);

#endif
