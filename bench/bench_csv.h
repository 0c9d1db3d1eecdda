/* bench_csv.h: the hand-written baseline's CSV reader (RFC 4180 as
 * spec/data.md reads it: quotes, "" inside quotes, line breaks inside
 * quotes, LF or CRLF, a byte order mark, empty lines skipped), one record at
 * a time over a file held in memory. Fields point into the buffer, which it
 * unescapes in place; nothing is allocated per record.
 */
#ifndef RUBRIC_BENCH_CSV_H
#define RUBRIC_BENCH_CSV_H

#include <stddef.h>

typedef struct bench_field {
  char *text; /* not NUL-terminated */
  size_t len;
} bench_field;

typedef struct bench_csv {
  const char *path;
  char *buf; /* the whole file, owned: bench_csv_close frees it */
  char *p, *end;
  long line; /* physical line of p, from 1 */
  char error[512];
} bench_csv;

/* Reads PATH into memory. Returns 0, or -1 with R->error set (R->buf is
   then NULL). Free with bench_csv_close. */
int bench_csv_open(bench_csv *r, const char *path);
void bench_csv_close(bench_csv *r);

/* The next record: up to MAX fields into FIELDS, its first line into
   *LINE. Returns the number of fields, 0 at the end of the file, or -1
   with R->error set (a malformed quote, more than MAX fields). */
int bench_csv_record(bench_csv *r, bench_field *fields, int max, long *line);

/* Lines in the rest of the file: a bound on the records left. */
long bench_csv_line_bound(const bench_csv *r);

#endif
