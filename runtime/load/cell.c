/*
** cell.c — typed values of CSV cells.
**
** cell_number validates the text with its own small grammar (so hex, inf,
** nan and locale quirks never get in) and reads it as the exact decimal it
** is: the digits as an integer, the point, the exponent and '%' folded into
** one power of ten, applied exactly (a number that needs more than 18
** decimals, or reaches 10^20, is refused rather than rounded).
*/
#include "cell.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "dates.h"

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Trims spaces and tabs: narrows [*b, *e). */
static void trim(const char **b, const char **e) {
  const char *p = *b, *q = *e;
  while (p < q && is_space(*p)) p++;
  while (q > p && is_space(q[-1])) q--;
  *b = p;
  *e = q;
}

/* Exponents beyond this cannot give a number of the range; capping keeps
   the arithmetic below from overflowing on absurd inputs. */
#define EXP_CAP 1000000000LL

static const uint64_t pow10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

/* 10^K for K from 0 to 38 (FIXED_MAX is 10^38 - 1). */
static rb_fixed pow10_fixed(int k) {
  return k <= 19 ? (rb_fixed)pow10_64[k] : (rb_fixed)pow10_64[19] * (rb_fixed)pow10_64[k - 19];
}

/* Whether 10^K divides C (C > 0): on 64 bits when C fits, the usual case. */
static bool divisible_pow10(rb_fixed c, int k) {
  if (k <= 0) return true;
  if (k > 38) return false;
  if (c <= (rb_fixed)UINT64_MAX) return k <= 19 && (uint64_t)c % pow10_64[k] == 0;
  return c % pow10_fixed(k) == 0;
}

cell_status cell_number(const char *s, rb_fixed *out) {
  if (s == NULL) return CELL_EMPTY;
  return cell_number_n(s, strlen(s), out, NULL);
}

/* The usual cell, "475159", "0.97", "98.5%" or "1.128e-3": up to 19
   digits with at most 18 after an optional point, then an exponent of up
   to three digits and a '%', each optional, nothing around them, and a
   value that needs no digit dropped and stays within the range: *C times
   10^*SHIFT counts of 10^-18. Read on 64 bits; returns false (nothing
   written) for anything else, which the full grammar reads. */
static bool plain_digits(const char *s, size_t len, uint64_t *cp, int *shiftp, bool *whole) {
  const char *p = s, *e = s + len;
  uint64_t c = 0;
  size_t ndig = 0, nfrac = 0;
  unsigned fraction = 0; /* some digit after the point is not 0 (not a division: one costs more than the rest) */
  while (p < e && is_digit(*p)) c = c * 10 + (uint64_t)(*p++ - '0'), ndig++;
  if (p < e && *p == '.') {
    const char *f = ++p;
    for (; p < e && is_digit(*p); p++) {
      c = c * 10 + (uint64_t)(*p - '0');
      fraction |= (unsigned)(*p - '0');
    }
    nfrac = (size_t)(p - f);
    ndig += nfrac;
  }
  if (ndig == 0 || ndig > 19 || nfrac > FIXED_DECIMALS) return false;
  int shift = FIXED_DECIMALS - (int)nfrac; /* the value is c * 10^shift counts of 10^-18 */
  bool scaled = false;
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    bool neg = p < e && *p == '-';
    if (p < e && (*p == '+' || *p == '-')) p++;
    int ex = 0, nex = 0;
    for (; p < e && is_digit(*p) && nex < 3; p++, nex++) ex = ex * 10 + (*p - '0');
    if (!nex) return false;
    shift += neg ? -ex : ex;
    scaled = true;
  }
  if (p < e && *p == '%') {
    p++;
    shift -= 2;
    scaled = true;
  }
  /* c < 10^ndig: within 10^38 - 1 when ndig + shift <= 38; a negative
     shift would drop digits, which the full grammar checks */
  if (p != e || shift < 0 || (int)ndig + shift > 38) return false;
  if (whole) *whole = scaled ? shift >= FIXED_DECIMALS || c % pow10_64[FIXED_DECIMALS - shift] == 0 : fraction == 0;
  *cp = c;
  *shiftp = shift;
  return true;
}

static bool plain_number(const char *s, size_t len, rb_fixed *out, bool *whole) {
  uint64_t c;
  int shift;
  if (!plain_digits(s, len, &c, &shift, whole)) return false;
  *out = (rb_fixed)c * pow10_fixed(shift);
  return true;
}

bool cell_number_units(const char *s, size_t len, int64_t *units, bool *whole) {
  uint64_t c, u;
  int shift;
  /* 10^-9 is 10^9 counts of 10^-18: a shift under 9 has more decimals */
  if (!plain_digits(s, len, &c, &shift, whole) || shift < 9 || shift - 9 > 19) return false;
  if (__builtin_mul_overflow(c, pow10_64[shift - 9], &u) || u > (uint64_t)INT64_MAX - 2) return false;
  *units = (int64_t)u;
  return true;
}

cell_status cell_number_n(const char *s, size_t len, rb_fixed *out, bool *whole) {
  assert(out != NULL);
  if (s == NULL) return CELL_EMPTY;
  if (plain_number(s, len, out, whole)) return CELL_OK;
  const char *p = s, *e = s + len;
  trim(&p, &e);
  if (p == e) return CELL_EMPTY;

  int neg = 0;
  if (*p == '+' || *p == '-') {
    neg = *p == '-';
    p++;
  }

  /* Integer part, possibly with thousands groups. */
  const char *int_b = p;
  while (p < e && is_digit(*p)) p++;
  size_t lead = (size_t)(p - int_b);
  size_t ndigits = lead;
  if (p < e && *p == ',') {
    /* "1,000,000": a first group of 1-3 digits without a leading zero
       (so "0,5" is never taken for a grouped number), then groups of
       exactly three. Anything else ("1,00", "1000,000") is rejected. */
    if (lead < 1 || lead > 3 || *int_b == '0') return CELL_BAD;
    while (p < e && *p == ',') {
      p++;
      for (int k = 0; k < 3; k++, p++)
        if (p >= e || !is_digit(*p)) return CELL_BAD;
      if (p < e && is_digit(*p)) return CELL_BAD;
      ndigits += 3;
    }
  }
  const char *int_e = p;

  /* Fraction. */
  const char *frac_b = p, *frac_e = p;
  if (p < e && *p == '.') {
    frac_b = ++p;
    while (p < e && is_digit(*p)) p++;
    frac_e = p;
  }
  size_t nfrac = (size_t)(frac_e - frac_b);
  if (ndigits + nfrac == 0) return CELL_BAD; /* ".", "-", "e5", "%" ... */

  /* Exponent. */
  long long ex = 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    int eneg = 0;
    if (p < e && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    if (p >= e || !is_digit(*p)) return CELL_BAD;
    while (p < e && is_digit(*p)) {
      if (ex < EXP_CAP) ex = ex * 10 + (*p - '0');
      p++;
    }
    if (eneg) ex = -ex;
  }

  int pct = 0;
  if (p < e && *p == '%') {
    pct = 1;
    p++;
  }
  if (p != e) return CELL_BAD;
  if (nfrac > (size_t)EXP_CAP) return CELL_PRECISION;

  /* The digits D, read from the first nonzero one; the value is
     D * 10^(ex - nfrac - 2 pct), so its count of 10^-18 is D * 10^shift.
     The first 19 digits gather on 64 bits, the rest (rare) on 128. */
  long long shift = FIXED_DECIMALS + ex - (long long)nfrac - (pct ? 2 : 0);
  uint64_t c64 = 0;
  rb_fixed c = 0;
  int significant = 0;   /* digits of D taken so far, from the first nonzero one */
  long long dropped = 0; /* digits of D past the 10^-18 place: they must be 0 */
  for (int part = 0; part < 2; part++) {
    const char *q = part ? frac_b : int_b, *end = part ? frac_e : int_e;
    for (; q < end; q++) {
      if (*q == ',') continue;
      int digit = *q - '0';
      if (!significant && !digit) continue;
      significant++;
      if (significant <= 19) {
        c64 = c64 * 10 + (uint64_t)digit;
        continue;
      }
      /* this digit's place is 10^(shift + digits still to come) */
      if (significant > 38) { /* more digits than any number holds: zeros, or too many */
        if (digit) return shift >= 0 ? CELL_RANGE : CELL_PRECISION;
        dropped++;
        continue;
      }
      if (significant == 20) c = (rb_fixed)c64;
      c = c * 10 + digit;
    }
  }
  if (!significant) {
    *out = 0;
    if (whole) *whole = true;
    return CELL_OK;
  }
  if (significant <= 19) c = (rb_fixed)c64;
  int d = significant > 38 ? 38 : significant; /* C has D digits, the first nonzero */
  /* now c * 10^(shift + dropped) is the count of 10^-18 */
  long long k = shift + dropped;
  if (k >= 0) {
    /* c * 10^k <= FIXED_MAX = 10^38 - 1 exactly when it has at most 38 digits */
    if (d + k > 38) return CELL_RANGE;
    if (whole) *whole = k >= FIXED_DECIMALS || divisible_pow10(c, FIXED_DECIMALS - (int)k);
    c *= pow10_fixed((int)k);
  } else {
    /* the digits dropped past the 10^-18 place must be zeros, and not all of C */
    if (-k >= d || !divisible_pow10(c, (int)-k)) return CELL_PRECISION;
    c /= pow10_fixed((int)-k);
    if (whole) *whole = divisible_pow10(c, FIXED_DECIMALS);
  }
  *out = neg ? -c : c;
  return CELL_OK;
}

/* ASCII case-insensitive comparison of [b, e) with the lowercase WORD. */
static int word_is(const char *b, const char *e, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(e - b) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = b[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != word[i]) return 0;
  }
  return 1;
}

cell_status cell_yesno(const char *s, rb_fixed *out) {
  if (s == NULL) return CELL_EMPTY;
  return cell_yesno_n(s, strlen(s), out);
}

cell_status cell_yesno_n(const char *s, size_t len, rb_fixed *out) {
  assert(out != NULL);
  if (s == NULL) return CELL_EMPTY;
  const char *b = s, *e = s + len;
  trim(&b, &e);
  if (b == e) return CELL_EMPTY;
  /* 是 and 否 are matched as their exact UTF-8 bytes; the ASCII folding in
     word_is leaves bytes >= 0x80 alone. */
  static const char *const yes[] = {"1", "true", "yes", "\xE6\x98\xAF"};
  static const char *const no[] = {"0", "false", "no", "\xE5\x90\xA6"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    if (word_is(b, e, yes[i])) {
      *out = FIXED_ONE;
      return CELL_OK;
    }
    if (word_is(b, e, no[i])) {
      *out = 0;
      return CELL_OK;
    }
  }
  return CELL_BAD;
}

cell_status cell_label(const char *s, const char **labels, int n, rb_fixed *out) {
  if (s == NULL) return CELL_EMPTY;
  return cell_label_n(s, strlen(s), labels, n, out);
}

cell_status cell_label_n(const char *s, size_t len, const char **labels, int n, rb_fixed *out) {
  assert(out != NULL);
  if (s == NULL) return CELL_EMPTY;
  const char *b = s, *e = s + len;
  trim(&b, &e);
  if (b == e) return CELL_EMPTY;
  for (int k = 0; k < n; k++)
    if (strlen(labels[k]) == (size_t)(e - b) && !memcmp(labels[k], b, (size_t)(e - b))) {
      *out = (rb_fixed)k * FIXED_ONE;
      return CELL_OK;
    }
  return CELL_BAD;
}

/* A date is held as its day number, a whole number, so that the generated
   code and the reference interpreter compute with it as with any number. */
cell_status cell_date_n(const char *s, size_t len, rb_fixed *out) {
  int64_t day;
  switch (date_parse(s, len, &day)) {
  case DATE_OK: *out = (rb_fixed)day * FIXED_ONE; return CELL_OK;
  case DATE_EMPTY: return CELL_EMPTY;
  case DATE_NO_DAY: return CELL_RANGE;
  default: return CELL_BAD;
  }
}

cell_status cell_date(const char *s, rb_fixed *out) {
  if (s == NULL) return CELL_EMPTY;
  return cell_date_n(s, strlen(s), out);
}
