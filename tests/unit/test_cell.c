/*
** test_cell.c — unit tests for runtime/load/cell.c: cells read as the exact
** decimals they are written as (spec/semantics.md#numbers).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"

static const rb_fixed SENTINEL = 12345;

/* S reads as the number whose exact text is WANT. */
static void expect_num(const char *s, const char *want) {
  rb_fixed v = SENTINEL;
  cell_status st = cell_number(s, &v);
  if (st != CELL_OK) fail_msg("cell_number(\"%s\") = %d, want CELL_OK", s, (int)st);
  char got[64];
  fixed_format(v, -1, got, sizeof got);
  if (strcmp(got, want)) fail_msg("cell_number(\"%s\") = %s, want %s", s, got, want);
}

static void expect_status(const char *s, cell_status want) {
  rb_fixed v = SENTINEL;
  cell_status st = cell_number(s, &v);
  if (st != want) fail_msg("cell_number(\"%s\") = %d, want %d", s ? s : "(null)", (int)st, (int)want);
  assert_true(v == SENTINEL); /* *out is only written on success */
}

static void test_plain_numbers(void **state) {
  (void)state;
  expect_num("42", "42");
  expect_num("-3.5", "-3.5");
  expect_num("+2", "2");
  expect_num(" 7 ", "7");
  expect_num("\t7\t", "7");
  expect_num("1e3", "1000");
  expect_num("1E-2", "0.01");
  expect_num("2.5e+2", "250");
  expect_num(".5", "0.5");
  expect_num("5.", "5");
  expect_num("007", "7");
  expect_num("0", "0");
  expect_num("-0", "0");
  expect_num("0.1", "0.1");
  expect_num("123456789.123456789", "123456789.123456789");
  expect_num("2.4000000000000004", "2.4000000000000004");
  expect_num("0.000000000000000001", "0.000000000000000001"); /* 18 decimals */
  expect_num("99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999");
  expect_num("-99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999");
  expect_num("1.5000000000000000000000", "1.5"); /* zeros past 18 decimals are harmless */
  expect_num("1e19", "10000000000000000000");
}

static void test_thousands_groups(void **state) {
  (void)state;
  expect_num("1,000,000", "1000000");
  expect_num("1,000", "1000");
  expect_num("12,345,678.25", "12345678.25");
  expect_num("-1,234.5", "-1234.5");
  expect_num("+999,999", "999999");
  expect_num(" 1,000 ", "1000");
  expect_num("1,000%", "10");
  expect_status("1,00", CELL_BAD);
  expect_status("1,0000", CELL_BAD);
  expect_status("1000,000", CELL_BAD);
  expect_status(",100", CELL_BAD);
  expect_status("1,,000", CELL_BAD);
  expect_status("1,000,", CELL_BAD);
  expect_status("0,100", CELL_BAD); /* a decimal comma, not a thousands group */
  expect_status("1,000.5,5", CELL_BAD);
  expect_status(".5,000", CELL_BAD);
  expect_status("1, 000", CELL_BAD);
}

static void test_percent(void **state) {
  (void)state;
  expect_num("0.3%", "0.003");
  expect_num("50%", "0.5");
  expect_num("100%", "1");
  expect_num("-5%", "-0.05");
  expect_num("12.5%", "0.125");
  expect_num("96.5%", "0.965");
  expect_num("33.3%", "0.333");
  expect_num("1e2%", "1");
  expect_num(" 30% ", "0.3");
  expect_num("-0%", "0");
  expect_num(".7%", "0.007");
  expect_status("%", CELL_BAD);
  expect_status("5%%", CELL_BAD);
  expect_status("%5", CELL_BAD);
  expect_status("50 %", CELL_BAD);
  expect_status("5%0", CELL_BAD);
  /* x% is exactly x/100, for a sweep of short decimals */
  char pct[32];
  for (int i = 1; i < 20000; i += 7) {
    snprintf(pct, sizeof pct, "%d.%03d%%", i / 1000, i % 1000);
    rb_fixed v;
    assert_int_equal(cell_number(pct, &v), CELL_OK);
    assert_true(v == (rb_fixed)i * 10000000000000LL); /* i / 100000, in units of 10^-18 */
  }
}

static void test_rejects(void **state) {
  (void)state;
  const char *bad[] = {"abc", "nan", "NaN", "-nan", "inf", "-inf", "+inf", "infinity",
                       "0x10", "0X1p3", "1e", "1e+", "e5", ".",
                       "-", "+", "--1", "+-1", "1 000", "1.2.3", "12abc", "- 5",
                       "1e5.5", "1e5e5", "١٢", "1_000", "１", "1\n", "\"1\"", "1.0."};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_status(bad[i], CELL_BAD);
}

static void test_empty(void **state) {
  (void)state;
  expect_status("", CELL_EMPTY);
  expect_status("   ", CELL_EMPTY);
  expect_status("\t \t", CELL_EMPTY);
  expect_status(NULL, CELL_EMPTY);
}

/* Zero is zero written any way; a number needing more than 18 decimals, or
   of 10^20 or more, is refused, never rounded. */
static void test_extremes(void **state) {
  (void)state;
  expect_num("0e999999", "0");
  expect_num("0e-400", "0");
  expect_num("-0e-400", "0");
  expect_num("0.000", "0");
  expect_num("0e-99999999999999999999", "0");
  expect_num("0.000e-400%", "0");
  const char *precision[] = {"0.0000000000000000001", "1e-19", "1e-400", "-1e-400", "1e-99999999999999999999",
                             "0.0001e-320", "0.1e-17%", "1,000e-400", "3.1415926535897932384626"};
  for (size_t i = 0; i < sizeof precision / sizeof *precision; i++) expect_status(precision[i], CELL_PRECISION);
  const char *range[] = {"1e20", "-1e20", "100000000000000000000", "1e999", "-1e999", "1e99999999999999999999",
                         "123456789012345678901234567890", "1e22%"};
  for (size_t i = 0; i < sizeof range / sizeof *range; i++) expect_status(range[i], CELL_RANGE);
  /* a long cell of zeros and one digit */
  char big[700] = "0.";
  memset(big + 2, '0', 17);
  strcpy(big + 19, "1");
  expect_num(big, "0.000000000000000001");
  memset(big + 2, '0', 400);
  strcpy(big + 402, "1");
  expect_status(big, CELL_PRECISION);
  strcpy(big, "1");
  memset(big + 1, '0', 20);
  big[21] = 0;
  expect_status(big, CELL_RANGE); /* 10^20 */
  big[20] = 0;
  expect_num(big, "10000000000000000000"); /* 10^19 */
}

static void expect_yesno(const char *s, cell_status want, rb_fixed want_v) {
  rb_fixed v = SENTINEL;
  cell_status st = cell_yesno(s, &v);
  if (st != want) fail_msg("cell_yesno(\"%s\") = %d, want %d", s ? s : "(null)", (int)st, (int)want);
  assert_true(v == (want == CELL_OK ? want_v : SENTINEL));
}

static void test_yesno(void **state) {
  (void)state;
  const char *yes[] = {"1", "true", "TRUE", "True", "yes", "YES", "Yes", "yEs", " yes ",
                       "\ttrue", "是", " 是 "};
  const char *no[] = {"0", "false", "FALSE", "False", "no", "NO", "No", "nO", " no\t",
                      "否", "\t否 "};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) expect_yesno(yes[i], CELL_OK, FIXED_ONE);
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) expect_yesno(no[i], CELL_OK, 0);
  const char *bad[] = {"y", "n", "2", "1.0", "00", "-1", "truee", "yess", "ye", "t", "f",
                       "是的", "是否", "不", "yes no", "\"yes\"", "ｙｅｓ", "on", "off"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_yesno(bad[i], CELL_BAD, 0);
  expect_yesno("", CELL_EMPTY, 0);
  expect_yesno("  ", CELL_EMPTY, 0);
  expect_yesno(NULL, CELL_EMPTY, 0);
}

/* The first LEN bytes of S read as the number WANT, whole or not. */
static void expect_n(const char *s, size_t len, const char *want, bool want_whole) {
  rb_fixed v = SENTINEL;
  bool whole = !want_whole;
  cell_status st = cell_number_n(s, len, &v, &whole);
  if (st != CELL_OK) fail_msg("cell_number_n(\"%.*s\") = %d, want CELL_OK", (int)len, s, (int)st);
  char got[64];
  fixed_format(v, -1, got, sizeof got);
  if (strcmp(got, want)) fail_msg("cell_number_n(\"%.*s\") = %s, want %s", (int)len, s, got, want);
  if (whole != want_whole) fail_msg("cell_number_n(\"%.*s\"): whole = %d", (int)len, s, (int)whole);
  /* the same as cell_number of the same text */
  char text[128];
  snprintf(text, sizeof text, "%.*s", (int)len, s);
  rb_fixed w = SENTINEL;
  assert_int_equal(cell_number(text, &w), CELL_OK);
  assert_true(v == w);
}

/* Cells as they lie in a file: a length and no NUL; and whether the value
   is whole (counts and ranks need it), on the short path for plain digits
   and on the full grammar alike. */
static void test_length_and_whole(void **state) {
  (void)state;
  expect_n("475159,0.97", 6, "475159", true);
  expect_n("0.97,1", 4, "0.97", false);
  expect_n("2.000", 5, "2", true);
  expect_n("5.", 2, "5", true);
  expect_n("3.0010", 6, "3.001", false); /* a fraction digit not 0 amid zeros */
  expect_n("10.900", 6, "10.9", false);
  expect_n("7.000000000000000000", 20, "7", true);
  expect_n(".5", 2, "0.5", false);
  expect_n("0", 1, "0", true);
  expect_n("0.000000000000000001", 20, "0.000000000000000001", false);
  expect_n("0000000000000000000001", 22, "1", true);             /* over 19 digits: the full grammar */
  expect_n("12345678901234567890", 20, "12345678901234567890", true);
  expect_n("9999999999999999999.5", 21, "9999999999999999999.5", false);
  expect_n("1.50e1", 6, "15", true);
  expect_n("1e-18", 5, "0.000000000000000001", false);
  expect_n("-3", 2, "-3", true);
  expect_n(" 7 ", 3, "7", true);
  expect_n("100%", 4, "1", true);
  expect_n("0.5%", 4, "0.005", false);
  expect_n("1,000", 5, "1000", true);
  rb_fixed v = SENTINEL;
  assert_int_equal(cell_number_n("1e20", 4, &v, NULL), CELL_RANGE);
  assert_int_equal(cell_number_n("0.0000000000000000001", 21, &v, NULL), CELL_PRECISION);
  assert_int_equal(cell_number_n("12x", 2, &v, NULL), CELL_OK); /* only the first 2 bytes */
  assert_int_equal(cell_yesno_n("yes,no", 3, &v), CELL_OK);
  assert_true(v == FIXED_ONE);
  assert_int_equal(cell_yesno_n("  ,", 2, &v), CELL_EMPTY);
}

/* The short path for plain cells (digits, a point, an exponent, a '%')
   against the full grammar, which a leading space sends a cell to: the
   same status, value and wholeness for every shape, including those the
   short path gives back (20 digits, 19 decimals, a long exponent, a
   value past the range or with digits to drop). */
static void test_short_path_against_full_grammar(void **state) {
  (void)state;
  uint64_t seed = 0x9E3779B97F4A7C15ULL;
  int fast_shapes = 0;
  for (int n = 0; n < 200000; n++) {
    char text[80], *w = text + 1;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t r = seed >> 11;
    int nint = (int)(r % 21), nfrac = (int)((r >> 5) % 21);
    bool point = (r >> 10) & 1, ex = (r >> 11) & 1, pct = (r >> 12) & 1;
    for (int k = 0; k < nint; k++) *w++ = (char)('0' + (r >> (13 + k % 40)) % (k ? 10 : 3));
    if (point) {
      *w++ = '.';
      for (int k = 0; k < nfrac; k++) *w++ = (char)('0' + ((r >> (k % 45)) ^ (uint64_t)k) % 10);
    }
    if (ex) {
      *w++ = (r >> 50) & 1 ? 'e' : 'E';
      int sign = (int)((r >> 51) % 3);
      if (sign) *w++ = sign == 1 ? '-' : '+';
      int e = (int)((r >> 40) % 45), digits = (int)((r >> 53) % 4) + 1;
      w += snprintf(w, 8, "%0*d", digits, e);
    }
    if (pct) *w++ = '%';
    *w = '\0';
    text[0] = ' ';
    const char *cell = text + 1;
    size_t len = strlen(cell);
    rb_fixed fast = SENTINEL, full = SENTINEL;
    bool fast_whole = false, full_whole = true;
    cell_status a = cell_number_n(cell, len, &fast, &fast_whole);
    cell_status b = cell_number_n(text, len + 1, &full, &full_whole);
    if (a != b || (a == CELL_OK && (fast != full || fast_whole != full_whole))) {
      char x[64] = "-", y[64] = "-";
      if (a == CELL_OK) fixed_format(fast, -1, x, sizeof x);
      if (b == CELL_OK) fixed_format(full, -1, y, sizeof y);
      fail_msg("\"%s\": %d %s whole %d on the short path, %d %s whole %d on the full grammar", cell, (int)a, x,
               fast_whole, (int)b, y, full_whole);
    }
    fast_shapes += a == CELL_OK && (ex || pct);
  }
  assert_true(fast_shapes > 20000); /* exponents and percents were read, not only refused */
}

/* The loader's fast way in (cell_number_units) against cell_number_n on
   the same random shapes: where it reads a cell, the value is the same,
   in whole units of 10^-9, and so is its wholeness; it reads most plain
   cells of 9 decimals or fewer. */
static void test_units_against_numbers(void **state) {
  (void)state;
  uint64_t seed = 0x2545F4914F6CDD1DULL;
  int read = 0, plain = 0;
  for (int n = 0; n < 200000; n++) {
    char text[80], *w = text;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t r = seed >> 11;
    int nint = (int)(r % 21), nfrac = (int)((r >> 5) % 13);
    bool point = (r >> 10) & 1, ex = (r >> 11) % 4 == 0, pct = (r >> 13) % 4 == 0;
    if ((r >> 15) % 16 == 0) *w++ = (r >> 19) & 1 ? '-' : ' '; /* not plain: refused */
    for (int k = 0; k < nint; k++) *w++ = (char)('0' + (r >> (13 + k % 40)) % (k ? 10 : 3));
    if (point) {
      *w++ = '.';
      for (int k = 0; k < nfrac; k++) *w++ = (char)('0' + ((r >> (k % 45)) ^ (uint64_t)k) % 10);
    }
    if (ex) w += snprintf(w, 8, "e%s%d", (r >> 51) & 1 ? "-" : "", (int)((r >> 40) % 25));
    if (pct) *w++ = '%';
    *w = '\0';
    size_t len = strlen(text);
    int64_t units = -1;
    bool uwhole = false, whole = true;
    rb_fixed v = SENTINEL;
    bool got = cell_number_units(text, len, &units, &uwhole);
    cell_status st = cell_number_n(text, len, &v, &whole);
    plain += st == CELL_OK && text[0] != ' ' && text[0] != '-' && v % 1000000000 == 0 && v / 1000000000 < INT64_MAX - 2;
    if (!got) continue;
    read++;
    if (st != CELL_OK || units < 0 || (rb_fixed)units * 1000000000 != v || uwhole != whole)
      fail_msg("\"%s\": %lld units, whole %d; cell_number_n: status %d, whole %d", text, (long long)units, uwhole,
               (int)st, whole);
  }
  assert_true(read > 50000 && read * 10 > plain * 9); /* most plain cells take the fast way */
}

/* A label is matched byte for byte once spaces around it are trimmed; its
   index is the value. */
static void test_labels(void **state) {
  (void)state;
  const char *labels[] = {"A级", "B级", "C级", "A+"};
  rb_fixed v = SENTINEL;
  assert_int_equal(cell_label("A级", labels, 4, &v), CELL_OK);
  assert_true(v == 0);
  assert_int_equal(cell_label(" \tC级  ", labels, 4, &v), CELL_OK);
  assert_true(v == 2 * FIXED_ONE);
  assert_int_equal(cell_label("A+", labels, 4, &v), CELL_OK);
  assert_true(v == 3 * FIXED_ONE);
  v = SENTINEL;
  const char *bad[] = {"a级", "A 级", "A", "A级级", "0", "级", "A级,"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (cell_label(bad[i], labels, 4, &v) != CELL_BAD) fail_msg("cell_label(\"%s\") is not CELL_BAD", bad[i]);
    assert_true(v == SENTINEL); /* written only on CELL_OK */
  }
  assert_int_equal(cell_label("", labels, 4, &v), CELL_EMPTY);
  assert_int_equal(cell_label("   ", labels, 4, &v), CELL_EMPTY);
  assert_int_equal(cell_label(NULL, labels, 4, &v), CELL_EMPTY);
  assert_int_equal(cell_label_n("B级,C级", strlen("B级"), labels, 4, &v), CELL_OK); /* only the first bytes */
  assert_true(v == FIXED_ONE);
}

/* Date cells: the three ways a date is written, to its day number (days
   since 1970-01-01); no such day and no date at all told apart. */
static void test_dates(void **state) {
  (void)state;
  rb_fixed v = SENTINEL;
  assert_int_equal(cell_date("1970-01-01", &v), CELL_OK);
  assert_true(v == 0);
  assert_int_equal(cell_date("2024-03-15", &v), CELL_OK);
  assert_true(v == (rb_fixed)19797 * FIXED_ONE);
  assert_int_equal(cell_date(" 2024/3/15\t", &v), CELL_OK);
  assert_true(v == (rb_fixed)19797 * FIXED_ONE);
  assert_int_equal(cell_date("2024年3月15日", &v), CELL_OK);
  assert_true(v == (rb_fixed)19797 * FIXED_ONE);
  assert_int_equal(cell_date("1969-12-31", &v), CELL_OK);
  assert_true(v == -FIXED_ONE);
  assert_int_equal(cell_date("2024-02-29", &v), CELL_OK); /* a leap year */
  assert_true(v == (rb_fixed)19782 * FIXED_ONE);
  assert_int_equal(cell_date("2000-02-29", &v), CELL_OK); /* divisible by 400 */
  v = SENTINEL;
  assert_int_equal(cell_date("2024-02-30", &v), CELL_RANGE);
  assert_int_equal(cell_date("2023-02-29", &v), CELL_RANGE);
  assert_int_equal(cell_date("1900-02-29", &v), CELL_RANGE); /* divisible by 100, not 400 */
  assert_int_equal(cell_date("2024-13-01", &v), CELL_RANGE);
  assert_int_equal(cell_date("2024-00-10", &v), CELL_RANGE);
  assert_int_equal(cell_date("2024年2月30日", &v), CELL_RANGE);
  assert_int_equal(cell_date("2024-3/15", &v), CELL_BAD); /* one separator */
  assert_int_equal(cell_date("2024.3.15", &v), CELL_BAD);
  assert_int_equal(cell_date("24-3-15", &v), CELL_BAD);
  assert_int_equal(cell_date("2024-3-15x", &v), CELL_BAD);
  assert_int_equal(cell_date("2024-003-15", &v), CELL_BAD);
  assert_int_equal(cell_date("2024年3月15", &v), CELL_BAD);
  assert_int_equal(cell_date("20240315", &v), CELL_BAD);
  assert_int_equal(cell_date("45366", &v), CELL_BAD); /* an Excel serial is no date */
  assert_true(v == SENTINEL);
  assert_int_equal(cell_date("  ", &v), CELL_EMPTY);
  assert_int_equal(cell_date(NULL, &v), CELL_EMPTY);
  assert_int_equal(cell_date_n("2024-03-15,x", 10, &v), CELL_OK); /* only the first bytes */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_labels),              cmocka_unit_test(test_dates),
      cmocka_unit_test(test_plain_numbers), cmocka_unit_test(test_thousands_groups),
      cmocka_unit_test(test_percent),       cmocka_unit_test(test_rejects),
      cmocka_unit_test(test_empty),         cmocka_unit_test(test_extremes),
      cmocka_unit_test(test_yesno),         cmocka_unit_test(test_length_and_whole),
      cmocka_unit_test(test_short_path_against_full_grammar),
      cmocka_unit_test(test_units_against_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
