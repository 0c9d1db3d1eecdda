/* decimal.c: exact decimals; see decimal.h. */
#include "decimal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 10^38: every number of the range (fixed.h) and a little more; sums and
   differences of two such still fit 128 bits, and are checked. */
#define COEF_LIMIT ((__int128)100000000000000000LL * 100000000000000000LL * 10000)

rb_decimal dec_from_int(long long v) { return (rb_decimal){.coef = v, .scale = 0}; }

static bool mul10(__int128 *c, int times) {
  for (int i = 0; i < times; i++) {
    if (*c > COEF_LIMIT / 10 || *c < -COEF_LIMIT / 10) return false;
    *c *= 10;
  }
  return true;
}

/* Brings a and b to the same scale. */
static bool align(rb_decimal *a, rb_decimal *b) {
  if (a->scale < b->scale) {
    if (!mul10(&a->coef, b->scale - a->scale)) return false;
    a->scale = b->scale;
  } else if (b->scale < a->scale) {
    if (!mul10(&b->coef, a->scale - b->scale)) return false;
    b->scale = a->scale;
  }
  return true;
}

static rb_decimal normalise(rb_decimal a) {
  while (a.scale > 0 && a.coef % 10 == 0) {
    a.coef /= 10;
    a.scale--;
  }
  return a;
}

bool dec_parse(const char *s, size_t len, rb_decimal *out) {
  rb_decimal d = {0, 0};
  size_t i = 0;
  bool digits = false, frac = false;
  int group = -1; /* digits since the last ',' (-1: no ',' seen) */
  int lead = 0;   /* digits before the first ',' */
  for (; i < len; i++) {
    char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      if (!mul10(&d.coef, 1)) return false;
      d.coef += ch - '0';
      digits = true;
      if (frac) d.scale++;
      if (group >= 0 && !frac) group++;
      if (group < 0 && !frac) lead++;
    } else if (ch == ',' && !frac) {
      if (!digits || (group >= 0 && group != 3)) return false;
      /* a thousands group leads with 1 to 3 digits, not a 0: 1,000 not 0,100 */
      if (group < 0 && (lead > 3 || s[0] == '0')) return false;
      group = 0;
    } else if (ch == '.' && !frac) {
      if (group >= 0 && group != 3) return false;
      frac = true;
    } else {
      break;
    }
  }
  if (!digits || (group >= 0 && !frac && group != 3)) return false;
  const char *suf = s + i;
  size_t slen = len - i;
  int shift = 0; /* power of ten */
  if (slen == 0) shift = 0;
  else if (slen == 3 && !memcmp(suf, "万", 3)) shift = 4;
  else if (slen == 3 && !memcmp(suf, "亿", 3)) shift = 8;
  else if (slen == 3 && !memcmp(suf, "千", 3)) shift = 3;
  else if (slen == 1 && *suf == '%') shift = -2;
  else if (slen == 3 && !memcmp(suf, "‰", 3)) shift = -3;
  else return false;
  if (shift >= 0) {
    int drop = shift < d.scale ? shift : d.scale;
    d.scale -= drop;
    if (!mul10(&d.coef, shift - drop)) return false;
  } else {
    d.scale += -shift;
  }
  *out = normalise(d);
  return true;
}

bool dec_add(rb_decimal a, rb_decimal b, rb_decimal *out) {
  if (!align(&a, &b)) return false;
  __int128 c;
  if (__builtin_add_overflow(a.coef, b.coef, &c) || c > COEF_LIMIT || c < -COEF_LIMIT) return false;
  *out = normalise((rb_decimal){c, a.scale});
  return true;
}

rb_decimal dec_neg(rb_decimal a) { return (rb_decimal){-a.coef, a.scale}; }

bool dec_sub(rb_decimal a, rb_decimal b, rb_decimal *out) { return dec_add(a, dec_neg(b), out); }

rb_decimal dec_scale10(rb_decimal a, int k) {
  a.scale -= k;
  for (; a.scale < 0; a.scale++) a.coef *= 10;
  return a;
}

int dec_cmp(rb_decimal a, rb_decimal b) {
  if (!align(&a, &b)) {
    /* Cannot overflow for values a scheme can hold; fall back to doubles. */
    double x = dec_to_double(a), y = dec_to_double(b);
    return (x > y) - (x < y);
  }
  return (a.coef > b.coef) - (a.coef < b.coef);
}

bool dec_is_zero(rb_decimal a) { return a.coef == 0; }

static void coef_digits(__int128 c, char *buf) {
  /* c >= 0; writes decimal digits */
  char tmp[64];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + (int)(c % 10));
    c /= 10;
  } while (c);
  for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = 0;
}

/* Appends C to buf[*o] while it fits, always leaving room for the NUL. */
static void put(char *buf, size_t len, size_t *o, char c) {
  if (*o + 1 < len) buf[*o] = c;
  (*o)++;
}

void dec_format(rb_decimal a, char *buf, size_t len) {
  if (len == 0) return;
  a = normalise(a);
  char digits[64];
  bool neg = a.coef < 0;
  coef_digits(neg ? -a.coef : a.coef, digits);
  size_t nd = strlen(digits), scale = (size_t)a.scale, o = 0;
  if (neg) put(buf, len, &o, '-');
  if (scale >= nd) { /* 0.00ddd */
    put(buf, len, &o, '0');
    put(buf, len, &o, '.');
    for (size_t i = nd; i < scale; i++) put(buf, len, &o, '0');
    for (size_t i = 0; i < nd; i++) put(buf, len, &o, digits[i]);
  } else {
    for (size_t i = 0; i < nd; i++) {
      if (i == nd - scale && scale) put(buf, len, &o, '.');
      put(buf, len, &o, digits[i]);
    }
  }
  buf[o < len ? o : len - 1] = 0;
}

double dec_to_double(rb_decimal a) {
  char digits[64], text[96];
  bool neg = a.coef < 0;
  coef_digits(neg ? -a.coef : a.coef, digits);
  snprintf(text, sizeof text, "%s%se-%d", neg ? "-" : "", digits, a.scale);
  return strtod(text, NULL);
}
