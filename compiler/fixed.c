/* fixed.c: numbers as scoring computes them; see fixed.h. */
#include "fixed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rb_fixed pow10_[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL, 1000000000LL,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL, 100000000000000LL, 1000000000000000LL,
    10000000000000000LL, 100000000000000000LL, 1000000000000000000LL};

bool fixed_from_decimal(rb_decimal d, rb_fixed *out) {
  __int128 c = d.coef;
  int scale = d.scale;
  while (scale > FIXED_DECIMALS) { /* trailing zeros beyond 18 decimals are harmless */
    if (c % 10) return false;
    c /= 10;
    scale--;
  }
  for (int k = scale; k < FIXED_DECIMALS; k++) {
    if (c > FIXED_MAX / 10 || c < -FIXED_MAX / 10) return false;
    c *= 10;
  }
  if (!fixed_is_number(c)) return false;
  *out = c;
  return true;
}

rb_fixed fixed_from_int(long long v) { return (rb_fixed)v * FIXED_ONE; }

rb_wide wide_from_fixed(rb_fixed v) {
  /* |v| * 10^18 in three words (|v| <= 2^127, 10^18 < 2^60), then the sign */
  unsigned __int128 m = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
  unsigned __int128 lo = (unsigned __int128)(uint64_t)m * (uint64_t)FIXED_ONE;
  unsigned __int128 hi = (unsigned __int128)(uint64_t)(m >> 64) * (uint64_t)FIXED_ONE + (lo >> 64);
  rb_wide r = {{(uint64_t)lo, (uint64_t)hi, (uint64_t)(hi >> 64), 0}};
  if (v < 0) { /* two's complement: invert, add one */
    unsigned carry = 1;
    for (int i = 0; i < 4; i++) {
      r.w[i] = ~r.w[i] + carry;
      carry = carry && r.w[i] == 0;
    }
  }
  return r;
}

rb_decimal fixed_to_decimal(rb_fixed v) {
  rb_decimal d = {v, FIXED_DECIMALS};
  while (d.scale > 0 && d.coef % 10 == 0) {
    d.coef /= 10;
    d.scale--;
  }
  return d;
}

double fixed_to_double(rb_fixed v) { return dec_to_double(fixed_to_decimal(v)); }

rb_fixed fixed_round(rb_fixed v, int decimals) {
  if (decimals >= FIXED_DECIMALS) return v;
  if (decimals < 0) decimals = 0;
  rb_fixed unit = pow10_[FIXED_DECIMALS - decimals];
  rb_fixed q = v / unit, r = v % unit; /* truncated toward zero */
  if (r >= unit - r) q++;              /* half up: 5 and above, away from zero */
  else if (-r >= unit + r) q--;
  return q * unit;
}

size_t fixed_format(rb_fixed v, int decimals, char *buf, size_t len) {
  if (!fixed_is_number(v)) { /* an empty cell or a failed score: no text */
    if (len) buf[0] = 0;
    return 0;
  }
  if (decimals >= 0) v = fixed_round(v, decimals);
  bool neg = v < 0;
  unsigned __int128 m = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
  char digits[48];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m);
  while (n <= FIXED_DECIMALS) digits[n++] = '0'; /* at least one digit before the point */
  int frac = FIXED_DECIMALS, skip = 0;
  while (frac > 0 && digits[skip] == '0') skip++, frac--; /* trailing zeros of the fraction */
  char text[64];
  size_t o = 0;
  bool zero = true;
  for (int i = n - 1; i >= skip; i--) zero &= digits[i] == '0';
  if (neg && !zero) text[o++] = '-';
  for (int i = n - 1; i >= FIXED_DECIMALS; i--) text[o++] = digits[i];
  if (frac > 0) {
    text[o++] = '.';
    for (int i = FIXED_DECIMALS - 1; i >= skip; i--) text[o++] = digits[i];
  }
  text[o] = 0;
  if (len) snprintf(buf, len, "%s", text);
  return o;
}
