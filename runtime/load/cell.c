/*
** cell.c — typed values of CSV cells.
**
** cell_number validates the text with its own small grammar (so hex, inf,
** nan and locale quirks of strtod never get in), then hands strtod one
** canonical string "[-]DIGITSe<exp>" with the commas removed, the decimal
** point folded into the exponent and '%' folded in as exponent - 2.  strtod
** rounds that correctly, so "0.3%" and "0.003" give the same double.  The
** canonical string has no decimal point, so the LC_NUMERIC locale cannot
** change the result either.
*/
#include "cell.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
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

/* Exponents beyond this already overflow or underflow any double; capping
   keeps the arithmetic below from overflowing on absurd inputs. */
#define EXP_CAP 1000000000LL

cell_status cell_number(const char *s, double *out) {
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

  /* Canonical text: sign, all digits, 'e', shifted exponent. */
  if (nfrac > (size_t)EXP_CAP) return CELL_BAD; /* keeps the shift in range */
  long long shift = ex - (long long)nfrac - (pct ? 2 : 0);
  char small[256];
  size_t need = 1 + ndigits + nfrac + 1 + 24 + 1;
  char *buf = need <= sizeof small ? small : malloc(need);
  if (buf == NULL) return CELL_BAD; /* out of memory on a huge cell */
  char *w = buf;
  if (neg) *w++ = '-';
  int nonzero = 0; /* some digit is not 0: the value is not zero */
  for (const char *q = int_b; q < int_e; q++) {
    if (*q == ',') continue;
    nonzero |= *q != '0';
    *w++ = *q;
  }
  for (const char *q = frac_b; q < frac_e; q++) {
    nonzero |= *q != '0';
    *w++ = *q;
  }
  /* "e<shift>" by hand: snprintf here cost as much as the strtod. */
  *w++ = 'e';
  if (shift < 0) *w++ = '-';
  unsigned long long mag = shift < 0 ? 0ULL - (unsigned long long)shift : (unsigned long long)shift;
  char rev[24];
  int nr = 0;
  do rev[nr++] = (char)('0' + mag % 10); while ((mag /= 10) != 0);
  while (nr > 0) *w++ = rev[--nr];
  *w = '\0';
  assert((size_t)(w - buf) < need);

  int saved = errno; /* strtod may set ERANGE; callers should not see it */
  char *endp;
  double v = strtod(buf, &endp);
  assert(*endp == '\0');
  errno = saved;
  if (buf != small) free(buf);

  /* Overflow gives inf: reject. Underflow gives 0 or a subnormal, whose
     few true digits are no longer the number written: reject too, as no
     count, fraction or sum of money is ever that small. */
  if (!isfinite(v) || fpclassify(v) == FP_SUBNORMAL || (v == 0 && nonzero)) return CELL_BAD;
  *out = v;
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

cell_status cell_yesno(const char *s, double *out) {
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
      *out = 1.0;
      return CELL_OK;
    }
    if (word_is(b, e, no[i])) {
      *out = 0.0;
      return CELL_OK;
    }
  }
  return CELL_BAD;
}
