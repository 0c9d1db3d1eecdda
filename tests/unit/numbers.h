/* numbers.h: numbers as text in unit tests (compiler/fixed.h), for the
 * tests of the generated code: fx reads the number a test writes, show
 * prints a value in a failure message. Include after cmocka.h. */
#ifndef RUBRIC_TEST_NUMBERS_H
#define RUBRIC_TEST_NUMBERS_H
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "fixed.h"

/* The number TEXT ("6.5", "-0.000000001", "7000万", "99999999999999999999"),
   exactly; the test fails if it is not one. Plain digits too long for
   dec_parse (it refuses about 37 digits and more, compiler/decimal.c
   COEF_LIMIT, short of the widest numbers) are read as the whole part
   and the fraction apart. */
static inline rb_fixed fx(const char *text) {
  bool neg = text[0] == '-';
  const char *t = neg ? text + 1 : text;
  rb_decimal d;
  rb_fixed v, frac = 0;
  if (dec_parse(t, strlen(t), &d) && fixed_from_decimal(d, &v)) return neg ? -v : v;
  const char *dot = strchr(t, '.');
  size_t whole = dot ? (size_t)(dot - t) : strlen(t);
  if (strspn(t, "0123456789.") != strlen(t)) fail_msg("'%s' is not a number", text);
  if (!dec_parse(t, whole, &d) || !fixed_from_decimal(d, &v)) fail_msg("'%s' is not a number", text);
  if (dot) {
    char buf[64];
    snprintf(buf, sizeof buf, "0%s", dot);
    if (!dec_parse(buf, strlen(buf), &d) || !fixed_from_decimal(d, &frac)) fail_msg("'%s' is not a number", text);
  }
  v += frac;
  if (!fixed_is_number(v)) fail_msg("'%s' is not a number", text);
  return neg ? -v : v;
}

/* A value as text, for messages: its exact decimal, or what it is instead. */
static inline const char *show(rb_fixed v) {
  static char ring[8][64];
  static int next;
  char *buf = ring[next++ % 8];
  if (fixed_is_number(v)) fixed_format(v, -1, buf, 64);
  else if (v == FIXED_EMPTY) snprintf(buf, 64, "(empty)");
  else if (v >= FIXED_ERROR && v - FIXED_ERROR < 1000000) snprintf(buf, 64, "(error, status %d)", (int)(v - FIXED_ERROR));
  else snprintf(buf, 64, "(0x%016llx%016llx)", (unsigned long long)((unsigned __int128)v >> 64), (unsigned long long)v);
  return buf;
}

#define assert_fixed_equal(got, want) assert_fixed_equal_at((got), (want), __FILE__, __LINE__)
static inline void assert_fixed_equal_at(rb_fixed got, rb_fixed want, const char *file, int line) {
  if (got != want) fail_msg("%s:%d: got %s, expected %s", file, line, show(got), show(want));
}

#endif
