/* num.c: exact decimals as rationals: half-up rounding, the overflow rule,
 * the text of a number and the cells of a table (spec/semantics.md#numbers,
 * spec/data.md#cell-values). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ref.h"

static mpz_t limit; /* 10^20 */

void num_init(void) { mpz_init(limit); mpz_ui_pow_ui(limit, 10, 20); }
void num_done(void) { mpz_clear(limit); }

void num_round(mpq_t q, int decimals) {
  mpz_t scale, n, r;
  mpz_inits(scale, n, r, NULL);
  mpz_ui_pow_ui(scale, 10, (unsigned long)decimals);
  mpz_mul(n, mpq_numref(q), scale);            /* |q| * 10^d = n / den */
  int neg = mpz_sgn(n) < 0;
  mpz_abs(n, n);
  mpz_fdiv_qr(n, r, n, mpq_denref(q));
  mpz_mul_2exp(r, r, 1);
  if (mpz_cmp(r, mpq_denref(q)) >= 0) mpz_add_ui(n, n, 1); /* half up, away from zero */
  if (neg) mpz_neg(n, n);
  mpq_set_num(q, n);
  mpq_set_den(q, scale);
  mpq_canonicalize(q);
  mpz_clears(scale, n, r, NULL);
}

bool num_overflows(const mpq_t q) {
  mpz_t a;
  mpz_init(a);
  mpz_abs(a, mpq_numref(q));
  mpz_fdiv_q(a, a, mpq_denref(q)); /* floor(|q|) >= 10^20 iff |q| >= 10^20 */
  bool over = mpz_cmp(a, limit) >= 0;
  mpz_clear(a);
  return over;
}

char *num_text(const mpq_t value) {
  mpq_t q;
  mpq_init(q);
  mpq_set(q, value);
  mpz_t z;
  mpz_init(z);
  mpz_ui_pow_ui(z, 10, 18);
  mpz_mul(z, z, mpq_numref(q));
  if (!mpz_divisible_p(z, mpq_denref(q))) {
    fprintf(stderr, "rubric-ref: internal error: a value with more than 18 decimals\n");
    abort();
  }
  mpz_divexact(z, z, mpq_denref(q));
  mpq_clear(q);
  int neg = mpz_sgn(z) < 0;
  mpz_abs(z, z);
  char *digits = mpz_get_str(NULL, 10, z);
  mpz_clear(z);
  size_t n = strlen(digits);
  char *out = malloc(n + 24);
  if (!out) abort();
  char *o = out;
  if (neg) *o++ = '-';
  if (n <= 18) {
    *o++ = '0';
  } else {
    memcpy(o, digits, n - 18);
    o += n - 18;
  }
  char frac[19];
  size_t lead = n < 18 ? 18 - n : 0; /* zeros after the point */
  memset(frac, '0', lead);
  memcpy(frac + lead, digits + (n > 18 ? n - 18 : 0), 18 - lead);
  int len = 18;
  while (len > 0 && frac[len - 1] == '0') len--;
  if (len) {
    *o++ = '.';
    memcpy(o, frac, (size_t)len);
    o += len;
  }
  *o = 0;
  free(digits);
  return out;
}

/* Digits of S from *I into Z (appended), with thousands groups allowed in an
   integer part; returns how many digits, -1 if the groups are malformed. */
static int digits(const char *s, size_t *i, mpz_t z, bool grouped_ok) {
  int n = 0, group = -1; /* digits since the last ',' (-1: none yet) */
  for (;; (*i)++) {
    char ch = s[*i];
    if (isdigit((unsigned char)ch)) {
      mpz_mul_ui(z, z, 10);
      mpz_add_ui(z, z, (unsigned long)(ch - '0'));
      n++;
      if (group >= 0) group++;
    } else if (ch == ',' && grouped_ok) {
      if (group < 0 ? (n < 1 || n > 3 || s[*i - n] == '0') : group != 3) return -1;
      group = 0;
    } else {
      break;
    }
  }
  if (group >= 0 && group != 3) return -1;
  return n;
}

bool num_parse_cell(const char *s, mpq_t out) {
  size_t i = strspn(s, " \t");
  int neg = 0;
  if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
  mpz_t z;
  mpz_init(z);
  int whole = digits(s, &i, z, true), frac = 0;
  if (s[i] == '.') {
    i++;
    frac = digits(s, &i, z, false);
  }
  long exp = 0;
  bool ok = whole >= 0 && frac >= 0 && whole + frac > 0;
  if (ok && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = 0;
    if (s[i] == '+' || s[i] == '-') eneg = s[i++] == '-';
    if (!isdigit((unsigned char)s[i])) ok = false;
    while (isdigit((unsigned char)s[i]) && exp < 100000) exp = exp * 10 + (s[i++] - '0');
    if (eneg) exp = -exp;
  }
  bool percent = ok && s[i] == '%';
  if (percent) i++;
  i += strspn(s + i, " \t");
  if (s[i] || exp >= 100000 || exp <= -100000) ok = false;
  if (ok) {
    long e10 = exp - frac - (percent ? 2 : 0);
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)labs(e10));
    if (e10 >= 0) {
      mpz_mul(z, z, p);
      mpz_set_ui(p, 1);
    }
    if (neg) mpz_neg(z, z);
    mpq_set_num(out, z);
    mpq_set_den(out, p);
    mpq_canonicalize(out);
    mpz_clear(p);
  }
  mpz_clear(z);
  return ok;
}

int num_parse_yesno(const char *s) {
  char *t = trim_dup(s);
  int v = -1;
  if (!strcmp(t, "1") || !strcasecmp(t, "yes") || !strcasecmp(t, "true") || !strcmp(t, "是")) v = 1;
  if (!strcmp(t, "0") || !strcasecmp(t, "no") || !strcasecmp(t, "false") || !strcmp(t, "否")) v = 0;
  free(t);
  return v;
}

void num_from_decimal(rb_decimal d, mpq_t out) {
  unsigned __int128 m = d.coef < 0 ? -(unsigned __int128)d.coef : (unsigned __int128)d.coef;
  mpz_t z, p;
  mpz_inits(z, p, NULL);
  mpz_set_ui(z, (unsigned long)(m >> 64));
  mpz_mul_2exp(z, z, 64);
  mpz_add_ui(z, z, (unsigned long)(uint64_t)m);
  if (d.coef < 0) mpz_neg(z, z);
  mpz_ui_pow_ui(p, 10, (unsigned long)d.scale);
  mpq_set_num(out, z);
  mpq_set_den(out, p);
  mpq_canonicalize(out);
  mpz_clears(z, p, NULL);
}
