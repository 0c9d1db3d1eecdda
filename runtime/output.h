/*
** output.h — number formatting, atomic output files, CSV fields, ranks.
*/
#ifndef RUBRIC_OUTPUT_H
#define RUBRIC_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

/* Shortest decimal text that strtod reads back to exactly d (try %.1g..%.17g, or better);
   -0.0 prints as "0"; integers print without ".0" or exponent when |d| < 1e15 (e.g. "100", "4.8", "0.2"). buf >= 32 bytes.
   Other values print in fixed notation when 1e-4 <= |d| < 1e15 ("0.0001", "123.5") and
   in exponent notation otherwise ("1e-07", "1e+15", "1.5e+300"), the exponent written
   as C's %g does. NaN prints as "nan", infinities as "inf" / "-inf".
   The text does not depend on the locale. */
void out_format_double(double d, char *buf, size_t len);

/* Atomic output: out_open creates a temp file in the same directory as path
   (mkstemp, named ".<basename>.XXXXXX"), out_commit flushes, fsyncs, closes and renames it
   over path; out_abort closes and unlinks it. path NULL or "-" means stdout (commit just flushes).
   Both commit and abort free the handle. On failure return NULL / nonzero with a message.
   The committed file has mode 0644. */
typedef struct out_file out_file;

/* Caller owns the result; release it with exactly one of out_commit / out_abort. */
out_file *out_open(const char *path, char *err, size_t errlen);

/* The stream to write to; owned by F, valid until out_commit / out_abort. */
FILE *out_stream(out_file *f);

/* Returns 0 on success. On failure the temp file is removed, the target is
   left as it was, and err gets "PATH: what went wrong". Frees F either way. */
int out_commit(out_file *f, char *err, size_t errlen);

/* Discards everything written; the target is left as it was. NULL-safe. Frees F. */
void out_abort(out_file *f);

/* Writes one CSV field, quoting it (RFC 4180) only when it contains , " CR or LF or
   leading/trailing space (or tab). A NULL s writes an empty field. */
void out_csv_field(FILE *fp, const char *s);

/* Competition ranking ("1224"): rank[i] = 1 + number of j whose score[j] > score[i]; O(n log n) (sort indices).
   NaN scores (no score) rank after every number, tied with each other. */
void out_rank(const double *score, size_t n, int *rank);

#endif /* RUBRIC_OUTPUT_H */
