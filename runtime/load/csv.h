/*
** csv.h — RFC 4180 CSV reader for Rubric input tables.
**
** Two ways in. csv_open maps a file, checks all of it (encoding, quotes,
** field counts, header) in one pass and keeps only where each data row
** starts: a loader then splits the rows it wants into fields (csv_row) and
** parses them straight into typed columns, and the text itself is never
** copied. csv_read builds on it a table of strings, for small tables and
** tests, where every cell is a NUL-terminated string.
*/
#ifndef RUBRIC_CSV_H
#define RUBRIC_CSV_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding.h"

/* Limits: a field longer than this, or a row with more fields, is an
   error at its line (a table of scores has tens of short columns). */
#define CSV_MAX_FIELD (1 << 20)
#define CSV_MAX_COLUMNS 10000

/* What made csv_open or csv_read_ex fail: the file could not be read, it is
   not UTF-8 text, or it is not well-formed CSV (or a limit was passed). */
typedef enum { CSV_FAULT_IO, CSV_FAULT_ENCODING, CSV_FAULT_FORMAT } csv_fault;

/* Where each data row starts, as a line: a row's line is the line of the
   row before plus one, except after a blank line or a line break inside
   quotes, so only those breaks are kept (row, line), not a line per row. */
typedef struct csv_lines {
  size_t n;
  struct csv_break {
    size_t row; /* from this row on */
    long line;  /* row ROW starts on this line, the next ones on the lines after */
  } *at;
} csv_lines;

/* A checked CSV file: its bytes, its header and where each data row is. */
typedef struct csv_file {
  char *path;        /* owned copy of the path as given, used in messages */
  size_t ncols;
  char **header;     /* ncols NUL-terminated names, trimmed of surrounding spaces */
  size_t nrows;      /* data rows, header excluded */
  unsigned char *row_at; /* where data row r starts in text, and nrows+1: the end; 5 bytes each (csv_row_at) */
  csv_lines lines;   /* the line where each row starts: csv_line */
  const char *text;  /* the file's bytes as UTF-8 (read-only; a UTF-8 BOM included) */
  const char *encoding; /* what the file was: "UTF-8" or "GB18030" (converted) */
  size_t len;
  void *priv;        /* private: the mapping or buffer, the header's storage */
} csv_file;

/* How PATH is named in messages: "-" is "<stdin>". Not owned. */
const char *csv_shown_path(const char *path);

/* Maps or reads the file at PATH ("-": standard input) and checks it whole. Returns NULL on failure
   with a message in ERR "PATH:LINE: what went wrong" (or "PATH: ...") and its
   kind in *FAULT (may be NULL). Caller owns the result; free with csv_close. */
csv_file *csv_open(const char *path, char *err, size_t errlen, csv_fault *fault);
/* csv_open, reading the bytes in the encoding ENC. */
csv_file *csv_open_as(const char *path, csv_encoding enc, char *err, size_t errlen, csv_fault *fault);
void csv_close(csv_file *f);

/* Index of the column whose (trimmed) header is exactly NAME, or -1. */
long csv_file_column(const csv_file *f, const char *name);
/* The 1-based physical line where data row R (at most F->nrows) starts. */
long csv_line(const csv_file *f, size_t r);

/* One field of a row as it lies in the file: P..P+LEN is its text without
   the enclosing quotes; ESCAPED when that text still has "" pairs (each one
   quote), which csv_field_text decodes. */
typedef struct csv_field {
  const char *p;
  size_t len;
  bool escaped;
} csv_field;

/* Splits data row R of F into its F->ncols fields, into OUT. The row was
   checked by csv_open, so it has exactly that many. Thread-safe. */
void csv_row(const csv_file *f, size_t r, csv_field *out);
/* The first K (at most F->ncols) fields of data row R, into OUT: a loader
   that wants only the id and the name stops there. Thread-safe. */
void csv_row_first(const csv_file *f, size_t r, size_t k, csv_field *out);
/* The text of a field, quotes decoded, NUL-terminated. Caller frees. */
char *csv_field_text(const csv_field *fl);
/* The text of a field, quotes decoded, into OUT (room for FL->len bytes
   and a NUL), NUL-terminated; returns its length. */
size_t csv_field_copy(const csv_field *fl, char *out);
/* Tells the kernel rows FROM to TO-1 will not be read soon: their pages
   leave memory (a later csv_row reads them back). Thread-safe. */
void csv_forget(const csv_file *f, size_t from, size_t to);
/* Where data row R (at most F->nrows: the end) starts in F->text. Five
   bytes a row, least significant first: enough for a file under 1 TB
   (csv_open refuses a larger one), and 60 MB for 12,000,000 rows, not 96. */
#define CSV_ROW_AT_BYTES 5
static inline size_t csv_row_at(const csv_file *f, size_t r) {
  const unsigned char *p = f->row_at + CSV_ROW_AT_BYTES * r;
  return (size_t)((uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
                  (uint64_t)p[4] << 32);
}

/* Whether rows FROM to TO-1 hold text enough (4 MB) to be worth a
   csv_forget: each call costs a TLB flush on every core the process runs
   on, and a loader that forgot every 8,192 or 16,384 rows made hundreds.
   Inline: the loaders ask after every row. */
static inline bool csv_worth_forgetting(const csv_file *f, size_t from, size_t to) {
  return from < to && csv_row_at(f, to) - csv_row_at(f, from) >= (size_t)4 << 20;
}

/* ---- a table of strings ---------------------------------------------------- */

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
