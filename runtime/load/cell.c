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
#include <string.h>

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Trims spaces and tabs: sets [*b, *e) to the inner text of S. */
static void trim(const char *s, const char **b, const char **e) {
  const char *p = s, *q;
  while (is_space(*p)) p++;
  q = p + strlen(p);
  while (q > p && is_space(q[-1])) q--;
  *b = p;
  *e = q;
}

/* Exponents beyond this cannot give a number of the range; capping keeps
   the arithmetic below from overflowing on absurd inputs. */
#define EXP_CAP 1000000000LL

cell_status cell_number(const char *s, rb_fixed *out) {
  assert(out != NULL);
  if (s == NULL) return CELL_EMPTY;
  const char *p, *e;
  trim(s, &p, &e);
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
     D * 10^(ex - nfrac - 2 pct), so its count of 10^-18 is D * 10^shift. */
  long long shift = FIXED_DECIMALS + ex - (long long)nfrac - (pct ? 2 : 0);
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
      /* this digit's place is 10^(shift + digits still to come) */
      if (significant > 38) { /* more digits than any number holds: zeros, or too many */
        if (digit) return shift >= 0 ? CELL_RANGE : CELL_PRECISION;
        dropped++;
        continue;
      }
      c = c * 10 + digit;
    }
  }
  if (!significant) {
    *out = 0;
    return CELL_OK;
  }
  /* now c * 10^(shift + dropped) is the count of 10^-18 */
  long long k = shift + dropped;
  if (k >= 0) {
    if (k > 38) return CELL_RANGE;
    for (long long i = 0; i < k; i++) {
      if (c > FIXED_MAX / 10) return CELL_RANGE;
      c *= 10;
    }
  } else {
    for (long long i = 0; i < -k; i++) {
      if (c % 10) return CELL_PRECISION;
      c /= 10;
      if (c == 0) return CELL_PRECISION;
    }
  }
  if (c > FIXED_MAX) return CELL_RANGE;
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
  assert(out != NULL);
  if (s == NULL) return CELL_EMPTY;
  const char *b, *e;
  trim(s, &b, &e);
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
