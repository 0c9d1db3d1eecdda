/*
** cell.h — typed values of CSV cells.
**
** Both parsers are pure functions of the cell text: no allocation that
** outlives the call, no locale dependence, no errno side effects callers
** must care about.
*/
#ifndef RUBRIC_CELL_H
#define RUBRIC_CELL_H

typedef enum { CELL_OK, CELL_EMPTY, CELL_BAD } cell_status;

/* Parses a numeric cell. Accepts surrounding spaces, optional sign, digits with an
   optional fraction and exponent (as strtod in the C locale, but NOT hex, inf, nan),
   thousands groups like 1,000,000 (groups of exactly three digits), and a trailing '%'
   meaning /100 (so "0.3%" -> 0.003 with the same double as the literal 0.003:
   do it by building the decimal string with the exponent shifted, then strtod, so the
   result is correctly rounded, never x/100.0). Empty or all-space -> CELL_EMPTY.
   Anything else -> CELL_BAD. Result must be finite (1e999 -> CELL_BAD) and, unless
   every digit is 0, a normal double: a nonzero value that underflows to 0 or to a
   subnormal (|x| < DBL_MIN, e.g. 1e-400 or 1e-320) -> CELL_BAD, since no count,
   fraction or money is that small. Zero with any exponent (0e-400, 0.000) is 0.
   *out is written only on CELL_OK. A NULL s counts as empty. */
cell_status cell_number(const char *s, double *out);

/* yes/no cell: 1 0 true false yes no 是 否 (ASCII words case-insensitive, surrounding
   spaces ok) -> 1.0 / 0.0. Empty or all-space -> CELL_EMPTY; anything else -> CELL_BAD.
   *out is written only on CELL_OK. A NULL s counts as empty. */
cell_status cell_yesno(const char *s, double *out);

#endif /* RUBRIC_CELL_H */
