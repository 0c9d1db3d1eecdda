/* fixed.h: a number as scoring computes it (spec/semantics.md#numbers): an
 * exact decimal with 18 digits after the point, held as the integer count
 * of 10^-18 it is, in 128 bits.
 *
 * Valid values lie in [-FIXED_MAX, FIXED_MAX], just under 10^20. Below
 * that range the generated code keeps what is not a number: an empty cell
 * (FIXED_EMPTY) and a failed score (FIXED_ERROR + the error site), so a
 * column of scores needs no second array. The arithmetic that can round
 * (products, quotients) is in runtime/arith.c; this module converts.
 */
#ifndef RUBRIC_FIXED_H
#define RUBRIC_FIXED_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decimal.h"

typedef __int128 rb_fixed;

#define FIXED_DECIMALS 18
#define FIXED_ONE ((rb_fixed)1000000000000000000LL)
/* 10^38 - 1: the largest coefficient, 99,999,999,999,999,999,999.999... */
#define FIXED_MAX ((rb_fixed)FIXED_ONE * FIXED_ONE * 100 - 1)
/* Not numbers: an empty cell of an input with `missing scores`, and a
   failed score, whose low 32 bits (above FIXED_ERROR) hold 1 + its error site. */
#define FIXED_EMPTY ((rb_fixed)(((unsigned __int128)1) << 127))
#define FIXED_ERROR (FIXED_EMPTY + 1)

static inline bool fixed_is_number(rb_fixed v) { return v >= -FIXED_MAX && v <= FIXED_MAX; }
static inline rb_fixed fixed_error(int site) { return FIXED_ERROR + (rb_fixed)site; }
/* The error site a failed score carries, or -1 when V is not one. */
static inline int fixed_error_site(rb_fixed v, int nsites) {
  if (v < FIXED_ERROR || v > FIXED_ERROR + nsites) return -1;
  return (int)(v - FIXED_ERROR) - 1;
}

/* Inside a rule, values carry 36 decimals (spec/semantics.md#numbers), so
   that a quotient rounded there still gives the document's number once the
   result is rounded to 18: a 256-bit two's complement integer counting
   10^-36, least significant word first (the memory layout of LLVM's i256
   on a little-endian machine). Numbers are under 10^20, so |v| < 10^56;
   anything else is not a number. */
#define WIDE_DECIMALS 36
typedef struct rb_wide {
  uint64_t w[4];
} rb_wide;
/* V (a number, or FIXED_EMPTY / an error, which stay out of range) as a wide value. */
rb_wide wide_from_fixed(rb_fixed v);

/* D exactly, or false when it has more than 18 decimals or is too large. */
bool fixed_from_decimal(rb_decimal d, rb_fixed *out);
rb_fixed fixed_from_int(long long v);
/* The exact decimal of V (a number). */
rb_decimal fixed_to_decimal(rb_fixed v);
/* The nearest double, for tests and approximate comparisons only. */
double fixed_to_double(rb_fixed v);

/* V (a number) rounded half up (away from zero on ties) to DECIMALS
   (0..18) decimals. Rounding a value next to 10^20 may give 10^20 itself,
   which is not a number: callers check with fixed_is_number. */
rb_fixed fixed_round(rb_fixed v, int decimals);

/* The text of V: its exact decimal without trailing zeros or exponent
   ("89.1", "-0.000001", "100"), or, with DECIMALS >= 0, rounded half up to
   that many decimals (then trailing zeros dropped too: "4.8", "16"). "-0"
   never appears; what is not a number has no text (""). BUF holds at least
   48 bytes; returns the length. */
size_t fixed_format(rb_fixed v, int decimals, char *buf, size_t len);

#endif
