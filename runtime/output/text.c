/*
** text.c — numbers and CSV fields as text, the same on every machine.
*/
#include "text.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- numbers */

/* Splits the %e text of A (> 0) at precision P into its significant digits
   and decimal exponent. Only digits and the exponent are read, so a locale
   whose decimal point is not '.' does not matter. Returns the digit count. */
static int e_digits(double a, int p, char *digits, int *e10) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%.*e", p - 1, a);
  int nd = 0;
  const char *q = tmp;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q;
  digits[nd] = '\0';
  assert(*q == 'e' && nd == p);
  *e10 = (int)strtol(q + 1, NULL, 10);
  return nd;
}

void out_format_double(double d, char *buf, size_t len) {
  assert(buf != NULL && len >= 32);
  char text[40];
  char *w = text;

  if (isnan(d)) {
    snprintf(buf, len, "nan");
    return;
  }
  if (isinf(d)) {
    snprintf(buf, len, "%s", d < 0 ? "-inf" : "inf");
    return;
  }
  if (d == 0) { /* covers -0.0: a sign on zero only confuses readers */
    snprintf(buf, len, "0");
    return;
  }
  if (signbit(d)) *w++ = '-';
  double a = fabs(d);

  if (a < 1e15 && a == floor(a)) { /* exact integer: at most 15 digits */
    snprintf(w, sizeof text - 1, "%.0f", a);
    snprintf(buf, len, "%s", text);
    return;
  }

  /* Shortest round trip: the first precision whose correctly rounded %e
     text reads back as A. 17 digits always suffice for a double. The check
     string "DIGITSe<exp>" has no decimal point, so it is locale-proof. */
  char digits[24];
  int nd = 0, e10 = 0;
  for (int p = 1; p <= 17; p++) {
    nd = e_digits(a, p, digits, &e10);
    char check[48];
    snprintf(check, sizeof check, "%se%d", digits, e10 - (nd - 1));
    if (strtod(check, NULL) == a) break;
  }
  while (nd > 1 && digits[nd - 1] == '0') digits[--nd] = '\0';

  if (e10 >= -4 && e10 < 15) {
    if (e10 >= 0) { /* ddd.ddd */
      for (int i = 0; i <= e10; i++) *w++ = i < nd ? digits[i] : '0';
      if (nd > e10 + 1) {
        *w++ = '.';
        for (int i = e10 + 1; i < nd; i++) *w++ = digits[i];
      }
    } else { /* 0.000ddd */
      *w++ = '0';
      *w++ = '.';
      for (int i = 0; i < -e10 - 1; i++) *w++ = '0';
      for (int i = 0; i < nd; i++) *w++ = digits[i];
    }
    *w = '\0';
  } else { /* d.ddde+XX, exponent as %g writes it */
    *w++ = digits[0];
    if (nd > 1) {
      *w++ = '.';
      for (int i = 1; i < nd; i++) *w++ = digits[i];
    }
    snprintf(w, sizeof text - (size_t)(w - text), "e%c%02d", e10 < 0 ? '-' : '+',
             e10 < 0 ? -e10 : e10);
  }
  assert(strlen(text) < 32);
  snprintf(buf, len, "%s", text);
}

/* ------------------------------------------------------------ CSV fields */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

void out_csv_field(FILE *fp, const char *s) {
  assert(fp != NULL);
  if (s == NULL) return;
  size_t n = strlen(s);
  /* Edge blanks are quoted because many readers trim unquoted fields. */
  int quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (is_blank(s[0]) || is_blank(s[n - 1])));
  if (!quote) {
    fwrite(s, 1, n, fp);
    return;
  }
  putc('"', fp);
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    fwrite(s, 1, (size_t)(q - s) + 1, fp); /* the segment and its quote ... */
    putc('"', fp);                         /* ... doubled */
  }
  fputs(s, fp);
  putc('"', fp);
}
