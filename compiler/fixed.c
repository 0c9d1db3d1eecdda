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

/* "00".."99": digits are produced two at a time, halving the divisions. */
static const char digit_pairs[200] = "0001020304050607080910111213141516171819"
                                     "2021222324252627282930313233343536373839"
                                     "4041424344454647484950515253545556575859"
                                     "6061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

/* The last WIDTH digits of X, zero-padded, written to END - WIDTH .. END.
   64-bit divisions by constants compile to multiplications. */
static void put_digits(char *end, uint64_t x, int width) {
  for (; width >= 2; width -= 2) {
    end -= 2;
    memcpy(end, &digit_pairs[2 * (x % 100)], 2);
    x /= 100;
  }
  if (width) end[-1] = (char)('0' + x % 10);
}

/* The decimal digits of X (no leading zeros; "0" for 0) at P; returns the end. */
static char *put_u64(char *p, uint64_t x) {
  int width = 1;
  for (uint64_t t = x; t >= 10 && width < 20; t /= 10) width++;
  put_digits(p + width, x, width);
  return p + width;
}

/* M / 10^18 and M % 10^18 for any 128-bit M, without a 128-bit division
   (a libgcc call, the slowest step of formatting): the quotient estimated
   by multiplying with floor(2^128 / 10^18), which falls short of the true
   one by at most 2, then corrected. */
static unsigned __int128 div_one(unsigned __int128 m, uint64_t *rem) {
  const uint64_t one = (uint64_t)FIXED_ONE;
  const unsigned __int128 inv = ~(unsigned __int128)0 / one; /* 2^128 / 10^18 is no integer */
  uint64_t h = (uint64_t)(m >> 64), l = (uint64_t)m;
  uint64_t i1 = (uint64_t)(inv >> 64), i0 = (uint64_t)inv;
  /* the top 128 bits of the 256-bit product m * inv, from four 64-bit products */
  unsigned __int128 low = (unsigned __int128)l * i0;
  unsigned __int128 mid1 = (unsigned __int128)h * i0, mid2 = (unsigned __int128)l * i1;
  unsigned __int128 mid = (low >> 64) + (uint64_t)mid1 + (uint64_t)mid2;
  unsigned __int128 q = (unsigned __int128)h * i1 + (mid1 >> 64) + (mid2 >> 64) + (mid >> 64);
  unsigned __int128 r = m - q * one;
  while (r >= one) {
    r -= one;
    q++;
  }
  *rem = (uint64_t)r;
  return q;
}

/* Why not printf: it has no 128-bit integers, and a digit at a time by
   128-bit division (the old way) cost about a microsecond per number. Here
   multiplication by a reciprocal splits |V| into the whole part and the
   18 fraction digits, and everything after that is 64-bit arithmetic: the output
   writers format millions of numbers. */
size_t fixed_format(rb_fixed v, int decimals, char *buf, size_t len) {
  if (!fixed_is_number(v)) { /* an empty cell or a failed score: no text */
    if (len) buf[0] = 0;
    return 0;
  }
  const uint64_t one = (uint64_t)FIXED_ONE;
  bool neg = v < 0;
  unsigned __int128 m = neg ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
  unsigned __int128 whole;
  uint64_t frac; /* the 18 digits after the point, as an integer */
  if ((m >> 64) == 0) { /* |v| < 18.44...: no 128-bit division at all */
    whole = (uint64_t)m / one;
    frac = (uint64_t)m % one;
  } else {
    whole = div_one(m, &frac);
  }
  if (decimals >= 0 && decimals < FIXED_DECIMALS) {
    /* Half up on the magnitude is fixed_round's away from zero on ties. */
    uint64_t unit = (uint64_t)pow10_[FIXED_DECIMALS - decimals];
    uint64_t r = frac % unit;
    frac -= r;
    if (r >= unit - r) frac += unit;
    if (frac == one) { /* carried into the whole part; 10^20 itself may result */
      frac = 0;
      whole++;
    }
  }
  char text[48];
  char *out = len >= sizeof text ? buf : text; /* room enough: no copy */
  char *p = out;
  if (neg && (whole | frac) != 0) *p++ = '-'; /* never "-0" */
  if ((whole >> 64) == 0) {
    p = put_u64(p, (uint64_t)whole);
  } else { /* 2^64 and above (under 10^20 + 1): a leading part and 19 digits */
    const uint64_t e19 = 10000000000000000000ULL;
    p = put_u64(p, (uint64_t)(whole / e19));
    put_digits(p + 19, (uint64_t)(whole % e19), 19);
    p += 19;
  }
  if (frac != 0) {
    int width = FIXED_DECIMALS; /* trailing zeros dropped */
    if (frac % 1000000000u == 0) {
      frac /= 1000000000u;
      width -= 9;
    }
    while (frac % 10000 == 0) { /* up to 8 zeros left: twice at most */
      frac /= 10000;
      width -= 4;
    }
    if (frac % 100 == 0) {
      frac /= 100;
      width -= 2;
    }
    if (frac % 10 == 0) {
      frac /= 10;
      width--;
    }
    *p++ = '.';
    put_digits(p + width, frac, width);
    p += width;
  }
  size_t o = (size_t)(p - out);
  *p = 0;
  if (out == text && len) { /* truncated as snprintf would */
    size_t k = o < len - 1 ? o : len - 1;
    memcpy(buf, text, k);
    buf[k] = 0;
  }
  return o;
}
