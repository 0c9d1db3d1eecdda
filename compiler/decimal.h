/* decimal.h: exact decimal numbers for points, thresholds and literals.
 *
 * Points must add up exactly (2.4 + 4.8 + ... == 100), so they are never
 * doubles at check time. A decimal is coef * 10^-scale with a 128-bit coef;
 * the scales that occur in schemes (万, 亿, %, a few decimals) stay far from
 * overflow, and every operation reports overflow instead of wrapping.
 */
#ifndef RUBRIC_DECIMAL_H
#define RUBRIC_DECIMAL_H
#include <stdbool.h>
#include <stddef.h>

typedef struct rb_decimal {
  __int128 coef;
  int scale; /* >= 0: value = coef / 10^scale */
} rb_decimal;

rb_decimal dec_from_int(long long v);
/* Parses digits with optional '.' fraction, ',' thousands groups and one
   suffix: 万 (1e4), 亿 (1e8), 千 (1e3), % (1e-2), ‰ (1e-3). false if malformed. */
bool dec_parse(const char *text, size_t len, rb_decimal *out);
bool dec_add(rb_decimal a, rb_decimal b, rb_decimal *out); /* false on overflow */
bool dec_sub(rb_decimal a, rb_decimal b, rb_decimal *out);
int dec_cmp(rb_decimal a, rb_decimal b);                   /* -1, 0, 1 */
bool dec_is_zero(rb_decimal a);
rb_decimal dec_neg(rb_decimal a);
/* A * 10^K exactly, for a small K (a percentage's 100 either way); the
   caller keeps the coefficient in range (values under 10^20 and |K| <= 2). */
rb_decimal dec_scale10(rb_decimal a, int k);
/* The double nearest to the exact value (correctly rounded via strtod). */
double dec_to_double(rb_decimal a);
/* Plain text with no exponent and no trailing zeros: "99.8", "0.003", "100". */
void dec_format(rb_decimal a, char *buf, size_t len);

#endif
