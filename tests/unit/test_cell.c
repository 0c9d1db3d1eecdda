/*
** test_cell.c — unit tests for runtime/cell.c.
*/
#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"

/* Bitwise equality: unlike ==, it tells 0.0 from -0.0. */
static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void expect_num(const char *s, double want) {
  double v = 12345.678; /* sentinel */
  cell_status st = cell_number(s, &v);
  if (st != CELL_OK) fail_msg("cell_number(\"%s\") = %d, want CELL_OK", s, (int)st);
  if (!same_bits(v, want))
    fail_msg("cell_number(\"%s\") = %.17g, want %.17g", s, v, want);
}

static void expect_status(const char *s, cell_status want) {
  double v = 12345.678;
  cell_status st = cell_number(s, &v);
  if (st != want) fail_msg("cell_number(\"%s\") = %d (value %.17g), want %d", s ? s : "(null)",
                           (int)st, v, (int)want);
  /* *out is only written on success */
  assert_true(same_bits(v, 12345.678));
}

static void test_plain_numbers(void **state) {
  (void)state;
  expect_num("42", 42.0);
  expect_num("-3.5", -3.5);
  expect_num("+2", 2.0);
  expect_num(" 7 ", 7.0);
  expect_num("\t7\t", 7.0);
  expect_num("1e3", 1000.0);
  expect_num("1E-2", 0.01);
  expect_num("2.5e+2", 250.0);
  expect_num(".5", 0.5);
  expect_num("5.", 5.0);
  expect_num("007", 7.0);
  expect_num("0", 0.0);
  expect_num("-0", -0.0);
  expect_num("0.1", 0.1);
  expect_num("123456789.123456789", 123456789.123456789);
  expect_num("2.4000000000000004", 2.4000000000000004);
  expect_num("1.7976931348623157e308", DBL_MAX);
  expect_num("2.2250738585072014e-308", DBL_MIN); /* smallest normal */
}

static void test_thousands_groups(void **state) {
  (void)state;
  expect_num("1,000,000", 1000000.0);
  expect_num("1,000", 1000.0);
  expect_num("12,345,678.25", 12345678.25);
  expect_num("-1,234.5", -1234.5);
  expect_num("+999,999", 999999.0);
  expect_num(" 1,000 ", 1000.0);
  expect_num("1,000%", 10.0);
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
  double v = 0;
  assert_int_equal(cell_number("0.3%", &v), CELL_OK);
  assert_true(same_bits(v, 0.003)); /* the same double as the literal */
  expect_num("50%", 0.5);
  expect_num("100%", 1.0);
  expect_num("-5%", -0.05);
  expect_num("12.5%", 0.125);
  expect_num("7%", 0.07);
  expect_num("0.1%", 0.001);
  expect_num("33.3%", 0.333);
  expect_num("1.1%", 0.011);
  expect_num("57%", 0.57);
  expect_num("1e2%", 1.0);
  expect_num(" 30% ", 0.3);
  expect_num("-0%", -0.0);
  expect_num(".7%", 0.007);
  expect_status("%", CELL_BAD);
  expect_status("5%%", CELL_BAD);
  expect_status("%5", CELL_BAD);
  expect_status("50 %", CELL_BAD);
  expect_status("5%0", CELL_BAD);
  /* x% must equal the literal x/100 even where dividing would round wrongly:
     check a sweep of short decimals against the literal built as text. */
  char pct[32], lit[32];
  int division_differs = 0;
  for (int i = 1; i < 20000; i += 7) {
    snprintf(pct, sizeof pct, "%d.%03d%%", i / 1000, i % 1000);
    snprintf(lit, sizeof lit, "0.0%d%03d", i / 1000, i % 1000); /* i<10000: one digit */
    if (i >= 10000) snprintf(lit, sizeof lit, "0.%d%03d", i / 1000, i % 1000);
    expect_num(pct, strtod(lit, NULL));
    division_differs += strtod(pct, NULL) / 100.0 != strtod(lit, NULL);
  }
  /* The sweep does cover cases where x/100.0 would have been wrong. */
  assert_true(division_differs > 0);
}

static void test_rejects(void **state) {
  (void)state;
  const char *bad[] = {"abc", "nan", "NaN", "-nan", "inf", "-inf", "+inf", "infinity",
                       "0x10", "0X1p3", "1e999", "-1e999", "1e", "1e+", "e5", ".",
                       "-", "+", "--1", "+-1", "1 000", "1.2.3", "12abc", "- 5",
                       "1e5.5", "1e5e5", "١٢", "1_000", "１", "1\n", "\"1\"", "1.0.",
                       "1e99999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_status(bad[i], CELL_BAD);
}

static void test_empty(void **state) {
  (void)state;
  expect_status("", CELL_EMPTY);
  expect_status("   ", CELL_EMPTY);
  expect_status("\t \t", CELL_EMPTY);
  expect_status(NULL, CELL_EMPTY);
}

static void test_extremes(void **state) {
  (void)state;
  /* Zero written any way is zero, however large or small its exponent. */
  expect_num("0e999999", 0.0);
  expect_num("0e-400", 0.0);
  expect_num("-0e-400", -0.0);
  expect_num("0.000", 0.0);
  expect_num("0e-99999999999999999999", 0.0);
  expect_num("0.000e-400%", 0.0);

  /* Cells longer than the internal stack buffer take the heap path. */
  char big[700];
  strcpy(big, "0.");
  memset(big + 2, '0', 300);
  strcpy(big + 302, "1");
  expect_num(big, 1e-301);
  strcat(big, "%");
  expect_num(big, 1e-303);
  big[0] = '1';
  big[1] = '\0';
  memset(big + 1, '0', 400);
  big[401] = '\0';
  expect_status(big, CELL_BAD); /* 1e400 overflows */
  memset(big + 1, '0', 300);
  big[301] = '\0';
  expect_num(big, 1e300);

  /* errno is left as the caller had it. */
  errno = 0;
  double v;
  assert_int_equal(cell_number("1e-400", &v), CELL_BAD);
  assert_int_equal(cell_number("1e999", &v), CELL_BAD);
  assert_int_equal(cell_number("1e-300", &v), CELL_OK);
  assert_int_equal(errno, 0);
}

/* A nonzero value too small for a normal double is refused, like one too
   large: read as 0 (or as a subnormal with few true digits) it would be a
   silently wrong number. */
static void test_underflow(void **state) {
  (void)state;
  const char *bad[] = {"1e-400", "-1e-400", "1e-99999999999999999999", "0.0001e-320",
                       "1e-320", "-1e-320", "4.9406564584124654e-324", "2e-308",
                       "1e-306%", "1,000e-400"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_status(bad[i], CELL_BAD);
  /* Over 256 characters (the heap path): 0.<400 zeros>1 is 1e-401. */
  char big[700] = "0.";
  memset(big + 2, '0', 400);
  strcpy(big + 402, "1");
  expect_status(big, CELL_BAD);
  /* The normal range still reads to its very end. */
  expect_num("2.2250738585072014e-308", DBL_MIN);
  expect_num("-2.2250738585072014e-308", -DBL_MIN);
  expect_num("2.2250738585072014e-306%", DBL_MIN);
  expect_num("1e-307", 1e-307);
}

static void expect_yesno(const char *s, cell_status want, double want_v) {
  double v = -7.0;
  cell_status st = cell_yesno(s, &v);
  if (st != want) fail_msg("cell_yesno(\"%s\") = %d, want %d", s ? s : "(null)", (int)st,
                           (int)want);
  assert_true(same_bits(v, want == CELL_OK ? want_v : -7.0));
}

static void test_yesno(void **state) {
  (void)state;
  const char *yes[] = {"1", "true", "TRUE", "True", "yes", "YES", "Yes", "yEs", " yes ",
                       "\ttrue", "是", " 是 "};
  const char *no[] = {"0", "false", "FALSE", "False", "no", "NO", "No", "nO", " no\t",
                      "否", "\t否 "};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) expect_yesno(yes[i], CELL_OK, 1.0);
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) expect_yesno(no[i], CELL_OK, 0.0);
  const char *bad[] = {"y", "n", "2", "1.0", "00", "-1", "truee", "yess", "ye", "t", "f",
                       "是的", "是否", "不", "yes no", "\"yes\"", "ｙｅｓ", "on", "off"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_yesno(bad[i], CELL_BAD, 0);
  expect_yesno("", CELL_EMPTY, 0);
  expect_yesno("  ", CELL_EMPTY, 0);
  expect_yesno(NULL, CELL_EMPTY, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_numbers), cmocka_unit_test(test_thousands_groups),
      cmocka_unit_test(test_percent),       cmocka_unit_test(test_rejects),
      cmocka_unit_test(test_empty),         cmocka_unit_test(test_extremes),
      cmocka_unit_test(test_underflow),
      cmocka_unit_test(test_yesno),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
