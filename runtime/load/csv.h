/*
** csv.h — RFC 4180 CSV reader for Rubric input tables.
**
** The whole file is read into one buffer and decoded in place, so a table
** costs one arena plus one pointer per cell; strings in the table point
** into that arena and live exactly as long as the table.
*/
#ifndef RUBRIC_CSV_H
#define RUBRIC_CSV_H

#include <assert.h>
#include <stddef.h>

/* Limits: a field longer than this, or a row with more fields, is an
   error at its line (a table of scores has tens of short columns). */
#define CSV_MAX_FIELD (1 << 20)
#define CSV_MAX_COLUMNS 10000

typedef struct csv_table {
  char *path;        /* owned copy of the path as given, used in messages */
  size_t ncols;
  char **header;     /* ncols NUL-terminated strings, owned (trimmed of surrounding spaces) */
  size_t nrows;      /* data rows, header excluded */
  char **cells;      /* nrows*ncols strings, row-major, owned; cell(r,c) = cells[r*ncols+c] */
  long *line;        /* 1-based physical line where data row r starts */
  char *arena;       /* private: backing store that header[] and cells[] point into */
} csv_table;

/* Reads the whole file at PATH. Returns NULL on failure with a message in err
   of the form "PATH:LINE: what went wrong" (or "PATH: ..." when no line applies).
   err may be NULL or errlen 0 when the caller does not want the message.
   Caller owns the result; free with csv_free. */
csv_table *csv_read(const char *path, char *err, size_t errlen);

/* What made csv_read_ex fail: the file could not be read, it is not UTF-8
   text, or it is not well-formed CSV (or a limit was passed). */
typedef enum { CSV_FAULT_IO, CSV_FAULT_ENCODING, CSV_FAULT_FORMAT } csv_fault;
/* csv_read, also saying what kind of failure it was (FAULT may be NULL). */
csv_table *csv_read_ex(const char *path, char *err, size_t errlen, csv_fault *fault);

/* Frees T and every string in it. NULL-safe. */
void csv_free(csv_table *t);

/* Index of the column whose (trimmed) header is exactly NAME, or -1. */
long csv_column(const csv_table *t, const char *name);

/* Cell at data row R, column C. The string is owned by T. */
static inline const char *csv_cell(const csv_table *t, size_t r, size_t c) {
  assert(t != NULL && r < t->nrows && c < t->ncols);
  return t->cells[r * t->ncols + c];
}

#endif /* RUBRIC_CSV_H */
