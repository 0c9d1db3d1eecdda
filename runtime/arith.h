/* arith.h: the arithmetic of numbers that can round (spec/semantics.md#numbers),
 * called by the generated code and by the runtime: products and quotients
 * rounded half up, to 36 decimals inside a rule and to 18 for a result.
 * Exact in every case, through GMP's natural-number routines where 128 bits
 * are not enough.
 */
#ifndef RUBRIC_ARITH_H
#define RUBRIC_ARITH_H
#include "fixed.h"

/* A * B, rounded half up to 18 decimals when it has more; FIXED_ERROR when
   the result is not a number (10^20 or more). A and B are numbers. The
   generated code calls it by the name ABI_MUL_SYMBOL (codegen/abi.h). */
rb_fixed rubric_fixed_mul(rb_fixed a, rb_fixed b);
/* A / B rounded half up to 18 decimals; FIXED_ERROR when B is 0 or the
   result is not a number. ABI_DIV_SYMBOL. */
rb_fixed rubric_fixed_div(rb_fixed a, rb_fixed b);

/* Inside a rule (fixed.h, rb_wide: 36 decimals). Each takes and gives
   values through pointers, as LLVM's i256 has no C type; a result that is
   not a number (10^20 or more; a zero divisor) is WIDE_ERROR's value, out
   of range like every other non-number. */
/* *OUT = A * B, rounded half up to 36 decimals when it has more. ABI_WIDE_MUL_SYMBOL. */
void rubric_wide_mul(const rb_wide *a, const rb_wide *b, rb_wide *out);
/* *OUT = A / B, rounded half up to 36 decimals; A may be any 256-bit value
   (a sum on its way to a mean). ABI_WIDE_DIV_SYMBOL. */
void rubric_wide_div(const rb_wide *a, const rb_wide *b, rb_wide *out);
/* *OUT = the largest whole number not above V, the smallest not below it.
   ABI_WIDE_FLOOR_SYMBOL, ABI_WIDE_CEIL_SYMBOL. */
void rubric_wide_floor(const rb_wide *v, rb_wide *out);
void rubric_wide_ceil(const rb_wide *v, rb_wide *out);
/* V rounded half up to 18 decimals: a result, as a number; FIXED_ERROR when
   V is not a number or the rounding reaches 10^20. ABI_WIDE_RESULT_SYMBOL. */
rb_fixed rubric_wide_result(const rb_wide *v);
/* The same for a V that fits 128 bits (a part's score held within its
   points, most results), passed by value: always a number.
   ABI_WIDE_RESULT_SMALL_SYMBOL. */
rb_fixed rubric_wide_result_small(rb_fixed v);
/* Whether V is a number (|V| < 10^56), and the value not-a-number results take. */
bool wide_is_number(const rb_wide *v);
extern const rb_wide WIDE_ERROR;

/* V (36 decimals) rounded half up to DECIMALS (0..18) decimals at once, a
   part's or the total's `round N`: 0.6474564999999999995 to 6 decimals is
   0.647456, where rounding to 18 first would give 0.6474565, then 0.647457.
   FIXED_ERROR when V is not a number. ABI_WIDE_ROUND_SYMBOL. */
rb_fixed rubric_wide_round_to(const rb_wide *v, int32_t decimals);
/* The largest whole number not above V, the smallest not below it.
   ABI_FLOOR_SYMBOL, ABI_CEIL_SYMBOL. */
rb_fixed rubric_fixed_floor(rb_fixed v);
rb_fixed rubric_fixed_ceil(rb_fixed v);

#endif
