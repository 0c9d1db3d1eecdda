/*
** cell.h — typed values of CSV cells.
**
** Both parsers are pure functions of the cell text: no allocation, no
** locale dependence, no floating point: a number is read as the exact
** decimal it is written as (spec/semantics.md#numbers).
*/
#ifndef RUBRIC_CELL_H
#define RUBRIC_CELL_H

#include <stdbool.h>
#include <stddef.h>

#include "fixed.h"

typedef enum {
  CELL_OK,
  CELL_EMPTY,     /* empty or only spaces */
  CELL_BAD,       /* not a number (or not yes/no) */
  CELL_PRECISION, /* a number with more than 18 decimals */
  CELL_RANGE,     /* a number of 10^20 or more */
} cell_status;

/* Parses a numeric cell. Accepts surrounding spaces, an optional sign, digits with an
   optional fraction and exponent (1.5e3, 2E-2; not hex, inf or nan), thousands groups
   of exactly three digits after a first group of 1 to 3 without a leading 0
   (1,000,000), and a trailing '%' meaning /100 (30% is 0.3). The value is exact:
   digits, point, exponent and '%' only move the decimal point. Zero with any exponent
   (0e-400, 0.000) is 0. *out is written only on CELL_OK. A NULL s counts as empty. */
cell_status cell_number(const char *s, rb_fixed *out);
/* cell_number on the LEN bytes at S (a field in a file: no NUL needed).
   When WHOLE is not NULL it is set, on CELL_OK, to whether the value is a
   whole number (known here from the digits, cheaper than a 128-bit %). */
cell_status cell_number_n(const char *s, size_t len, rb_fixed *out, bool *whole);
/* The usual cell ("475159", "0.97", "98.5%", "1.128e-3": no sign, no
   spaces, no thousands) as whole units of 10^-9 (abi.h, rb_narrow: fewer
   than 2^63 - 2 of them) into *UNITS, and *WHOLE as cell_number_n sets
   it; false, nothing written, for any other cell, which cell_number_n
   reads. Its loader's fast way in. */
bool cell_number_units(const char *s, size_t len, int64_t *units, bool *whole);

/* yes/no cell: 1 0 true false yes no 是 否 (ASCII words case-insensitive, surrounding
   spaces ok) -> 1 / 0. Empty or all-space -> CELL_EMPTY; anything else -> CELL_BAD.
   *out is written only on CELL_OK. A NULL s counts as empty. */
cell_status cell_yesno(const char *s, rb_fixed *out);
cell_status cell_yesno_n(const char *s, size_t len, rb_fixed *out);

/* A cell of a `one of` input: one of the N LABELS, byte for byte after
   surrounding spaces are trimmed (A级 is not a级) -> its index. Empty or
   all-space -> CELL_EMPTY; anything else -> CELL_BAD. */
cell_status cell_label(const char *s, const char **labels, int n, rb_fixed *out);
cell_status cell_label_n(const char *s, size_t len, const char **labels, int n, rb_fixed *out);

/* A date cell: 2024-03-15, 2024-3-15, 2024/3/15 or 2024年3月15日 (dates.h)
   -> its day number (days since 1970-01-01) as a whole number. Empty or
   all-space -> CELL_EMPTY; not a date -> CELL_BAD; a date with no such day
   (2024-02-30) -> CELL_RANGE. *out is written only on CELL_OK. */
cell_status cell_date(const char *s, rb_fixed *out);
cell_status cell_date_n(const char *s, size_t len, rb_fixed *out);

#endif /* RUBRIC_CELL_H */
