/*
** test_decimal.c — unit tests for compiler/decimal.c: exact decimals for
** points, thresholds and literals (parsing with 万 亿 千 % ‰ and thousands
** groups, exact sums and comparisons, correctly rounded doubles, text).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decimal.h"

/* Parses TEXT, failing the test if it is rejected. */
static rb_decimal parse_ok(const char *text) {
  rb_decimal d = {0, 0};
  if (!dec_parse(text, strlen(text), &d)) fail_msg("dec_parse rejected \"%s\"", text);
  return d;
}

static bool parses(const char *text) {
  rb_decimal d = {12345, 0};
  return dec_parse(text, strlen(text), &d);
}

/* Asserts D is exactly COEF * 10^-SCALE in normal form. */
#define assert_dec(d, want_coef, want_scale)                          \
  do {                                                                \
    rb_decimal d_ = (d);                                              \
    assert_true(d_.coef == (__int128)(want_coef));                    \
    assert_int_equal(d_.scale, (want_scale));                         \
  } while (0)

static void assert_same_bits(double a, double b) {
  uint64_t x, y;
  memcpy(&x, &a, sizeof x);
  memcpy(&y, &b, sizeof y);
  if (x != y) fail_msg("doubles differ: %.17g (0x%016llx) vs %.17g (0x%016llx)", a, (unsigned long long)x, b,
                       (unsigned long long)y);
}

static const char *fmt(rb_decimal d) {
  static char buf[256];
  dec_format(d, buf, sizeof buf);
  return buf;
}

/* A percentage's hundred, both ways, exactly (dec_scale10). */
static void test_scale10(void **state) {
  (void)state;
  assert_string_equal(fmt(dec_scale10(dec_from_int(85), -2)), "0.85");
  rb_decimal p;
  assert_true(dec_parse("0.008", 5, &p));
  assert_string_equal(fmt(dec_scale10(p, 2)), "0.8");
  assert_true(dec_parse("0.3", 3, &p));
  assert_string_equal(fmt(dec_scale10(p, 2)), "30");
  assert_string_equal(fmt(dec_scale10(dec_from_int(-7), 2)), "-700");
  assert_int_equal(dec_cmp(dec_scale10(dec_scale10(p, 2), -2), p), 0);
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_plain(void **state) {
  (void)state;
  assert_dec(parse_ok("0"), 0, 0);
  assert_dec(parse_ok("100"), 100, 0);
  assert_dec(parse_ok("2.4"), 24, 1);
  assert_dec(parse_ok("0.7"), 7, 1);
  /* trailing zeros are normalised away */
  assert_dec(parse_ok("2.50"), 25, 1);
  assert_dec(parse_ok("100.000"), 100, 0);
  assert_dec(parse_ok("0.000"), 0, 0);
  assert_dec(parse_ok("007"), 7, 0);
}

static void test_parse_suffixes(void **state) {
  (void)state;
  assert_dec(parse_ok("7000万"), 70000000, 0);
  assert_dec(parse_ok("4000万"), 40000000, 0);
  assert_dec(parse_ok("20万"), 200000, 0);
  assert_dec(parse_ok("10亿"), 1000000000, 0);
  assert_dec(parse_ok("3亿"), 300000000, 0);
  assert_dec(parse_ok("6.5亿"), 650000000, 0);
  assert_dec(parse_ok("1.5万"), 15000, 0);
  assert_dec(parse_ok("0.00005万"), 5, 1); /* 0.5 */
  assert_dec(parse_ok("3千"), 3000, 0);
  assert_dec(parse_ok("2.5千"), 2500, 0);
  /* 0.3% is the fraction 0.003 */
  assert_dec(parse_ok("0.3%"), 3, 3);
  assert_dec(parse_ok("0.5%"), 5, 3);
  assert_dec(parse_ok("100%"), 1, 0);
  assert_dec(parse_ok("80%"), 8, 1);
  assert_dec(parse_ok("99.9%"), 999, 3);
  assert_dec(parse_ok("0.01%"), 1, 4);
  assert_dec(parse_ok("1‰"), 1, 3);
  assert_dec(parse_ok("2.5‰"), 25, 4);
  assert_dec(parse_ok("1000‰"), 1, 0);
}

static void test_parse_equalities(void **state) {
  (void)state;
  assert_int_equal(dec_cmp(parse_ok("7000万"), dec_from_int(70000000)), 0);
  assert_int_equal(dec_cmp(parse_ok("10亿"), dec_from_int(1000000000)), 0);
  assert_int_equal(dec_cmp(parse_ok("0.3%"), parse_ok("0.003")), 0);
  assert_int_equal(dec_cmp(parse_ok("3‰"), parse_ok("0.3%")), 0);
  assert_int_equal(dec_cmp(parse_ok("100万"), parse_ok("1,000,000")), 0);
  assert_int_equal(dec_cmp(parse_ok("0.1万"), parse_ok("1千")), 0);
}

static void test_percent_to_double_bitwise(void **state) {
  (void)state;
  assert_same_bits(dec_to_double(parse_ok("0.3%")), 0.003);
  assert_same_bits(dec_to_double(parse_ok("0.5%")), 0.005);
  assert_same_bits(dec_to_double(parse_ok("3%")), 0.03);
  assert_same_bits(dec_to_double(parse_ok("99.9%")), 0.999);
  assert_same_bits(dec_to_double(parse_ok("0.01%")), 0.0001);
  assert_same_bits(dec_to_double(parse_ok("2.5‰")), 0.0025);
}

static void test_parse_grouped(void **state) {
  (void)state;
  assert_dec(parse_ok("1,000,000"), 1000000, 0);
  assert_dec(parse_ok("1,000"), 1000, 0);
  assert_dec(parse_ok("12,345"), 12345, 0);
  assert_dec(parse_ok("999,999,999"), 999999999, 0);
  assert_dec(parse_ok("12,345.67"), 1234567, 2);
  assert_dec(parse_ok("1,000.5"), 10005, 1);
  assert_dec(parse_ok("1,000万"), 10000000, 0);
}

static void test_parse_grouped_percent_exact(void **state) {
  (void)state;
  /* 1,234.5% = 12.345 */
  rb_decimal d = parse_ok("1,234.5%");
  assert_int_equal(dec_cmp(d, parse_ok("12.345")), 0);
  assert_dec(d, 12345, 3);
}

static void test_parse_rejects(void **state) {
  (void)state;
  const char *bad[] = {
      "",        /* empty */
      "万",      /* a lone suffix */
      "亿",   "千",     "%",       "‰",
      "1,00",    /* a group of two */
      "1,0000",  /* a group of four */
      "12,34.5", /* a short group before the fraction */
      "1,000,00",
      ",100",    /* no digits before the first ',' */
      "1,",      /* an empty group */
      "1,.5",
      "1.2.3",   /* two points */
      "1万万",   /* two suffixes */
      "1%%",     "1 万",    "1e3",     "abc",  "-1", "1.5,000", "1万5",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (parses(bad[i])) fail_msg("dec_parse accepted \"%s\"", bad[i]);
}

static void test_parse_respects_length(void **state) {
  (void)state;
  rb_decimal d;
  /* only the first LEN bytes count */
  assert_true(dec_parse("12345", 2, &d));
  assert_dec(d, 12, 0);
  assert_true(dec_parse("7000万xyz", strlen("7000万"), &d));
  assert_dec(d, 70000000, 0);
  /* a suffix cut in the middle of its UTF-8 bytes is malformed */
  assert_false(dec_parse("7000万", 5, &d));
}

static void test_parse_rejects_overflow(void **state) {
  (void)state;
  /* 10^40 does not fit the 120-bit coefficient limit */
  assert_false(parses("10000000000000000000000000000000000000000"));
  assert_false(parses("100000000000000000000000000000000亿"));
  /* 10^30 does */
  assert_dec(parse_ok("1000000000000000000000000000000"), (__int128)1000000000000000LL * 1000000000000000LL, 0);
}

/* ---- arithmetic --------------------------------------------------------- */

static void test_chengwu_points_add_to_100(void **state) {
  (void)state;
  const char *points[] = {"2.4", "4.8", "20", "10", "4", "10", "4", "4", "4", "6", "6", "4", "6", "2.8", "2", "10"};
  rb_decimal sum = dec_from_int(0);
  for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
    assert_true(dec_add(sum, parse_ok(points[i]), &sum));
  }
  assert_int_equal(dec_cmp(sum, dec_from_int(100)), 0);
  assert_dec(sum, 100, 0);
  assert_string_equal(fmt(sum), "100");
}

static void test_point_one_plus_point_two(void **state) {
  (void)state;
  rb_decimal s;
  assert_true(dec_add(parse_ok("0.1"), parse_ok("0.2"), &s));
  assert_int_equal(dec_cmp(s, parse_ok("0.3")), 0);
  assert_dec(s, 3, 1);
  /* the same sum in doubles is not 0.3: exactness is the point of rb_decimal */
  volatile double a = 0.1, b = 0.2;
  assert_true(a + b != 0.3);
  assert_same_bits(dec_to_double(s), 0.3);
}

static void test_add_sub_mixed_scales(void **state) {
  (void)state;
  rb_decimal s;
  assert_true(dec_add(parse_ok("0.7"), parse_ok("0.35"), &s));
  assert_dec(s, 105, 2);
  assert_true(dec_sub(dec_from_int(100), parse_ok("99.8"), &s));
  assert_dec(s, 2, 1);
  assert_string_equal(fmt(s), "0.2");
  assert_true(dec_sub(parse_ok("99.8"), dec_from_int(100), &s));
  assert_dec(s, -2, 1);
  assert_string_equal(fmt(s), "-0.2");
  /* results are normalised: 0.25 + 0.75 = 1 */
  assert_true(dec_add(parse_ok("0.25"), parse_ok("0.75"), &s));
  assert_dec(s, 1, 0);
  assert_true(dec_sub(parse_ok("2.4"), parse_ok("2.4"), &s));
  assert_true(dec_is_zero(s));
  assert_dec(s, 0, 0);
  /* 7000万 - 4000万 */
  assert_true(dec_sub(parse_ok("7000万"), parse_ok("4000万"), &s));
  assert_int_equal(dec_cmp(s, dec_from_int(30000000)), 0);
}

static void test_add_overflow_reported(void **state) {
  (void)state;
  /* coefficients stay under 10^38, so a value converts to rb_fixed's range */
  rb_decimal big = parse_ok("60000000000000000000000000000000000000"); /* 6e37 */
  rb_decimal s = {7, 0};
  assert_false(dec_add(big, big, &s));
  /* *out is left alone on failure */
  assert_dec(s, 7, 0);
  assert_false(dec_sub(dec_neg(big), big, &s));
  /* aligning 6e37 to scale 1 overflows too */
  assert_false(dec_add(big, parse_ok("0.1"), &s));
  assert_true(dec_add(big, dec_from_int(1), &s));
}

static void test_compare(void **state) {
  (void)state;
  rb_decimal a = parse_ok("99.8"), b = dec_from_int(100);
  assert_int_equal(dec_cmp(a, b), -1);
  assert_int_equal(dec_cmp(b, a), 1);
  assert_int_equal(dec_cmp(a, a), 0);
  /* same value at different scales */
  assert_int_equal(dec_cmp((rb_decimal){9980, 2}, a), 0);
  assert_int_equal(dec_cmp((rb_decimal){100000, 3}, b), 0);
  assert_int_equal(dec_cmp(parse_ok("0.3%"), parse_ok("0.5%")), -1);
  assert_int_equal(dec_cmp(parse_ok("0.003"), parse_ok("0.0030000001")), -1);
  assert_int_equal(dec_cmp(dec_neg(a), dec_neg(b)), 1);
  assert_int_equal(dec_cmp(dec_neg(parse_ok("0.2")), dec_from_int(0)), -1);
  /* values whose alignment overflows still compare (through doubles) */
  rb_decimal huge = parse_ok("100000000000000000000000000000000000"); /* 1e35 */
  rb_decimal tiny = parse_ok("0.000001");
  assert_int_equal(dec_cmp(huge, tiny), 1);
  assert_int_equal(dec_cmp(tiny, huge), -1);
}

static void test_neg_zero(void **state) {
  (void)state;
  assert_true(dec_is_zero(dec_from_int(0)));
  assert_true(dec_is_zero((rb_decimal){0, 5}));
  assert_false(dec_is_zero(parse_ok("0.001")));
  assert_dec(dec_neg(parse_ok("2.4")), -24, 1);
  assert_dec(dec_neg(dec_neg(parse_ok("2.4"))), 24, 1);
  assert_dec(dec_from_int(-12), -12, 0);
}

/* ---- conversion and text ------------------------------------------------ */

static void test_to_double_correctly_rounded(void **state) {
  (void)state;
  assert_same_bits(dec_to_double(parse_ok("0.1")), 0.1);
  assert_same_bits(dec_to_double(parse_ok("2.4")), 2.4);
  assert_same_bits(dec_to_double(parse_ok("4.8")), 4.8);
  assert_same_bits(dec_to_double(parse_ok("99.8")), 99.8);
  assert_same_bits(dec_to_double(parse_ok("0.7")), 0.7);
  assert_same_bits(dec_to_double(parse_ok("1.7142857142857142")), 1.7142857142857142);
  assert_same_bits(dec_to_double(parse_ok("5.99999999142857")), 5.99999999142857);
  assert_same_bits(dec_to_double(parse_ok("77.9142857142857")), 77.9142857142857);
  assert_same_bits(dec_to_double(parse_ok("10亿")), 1e9);
  assert_same_bits(dec_to_double(dec_neg(parse_ok("0.2"))), -0.2);
  assert_same_bits(dec_to_double(dec_from_int(0)), 0.0);
  /* 2^53 + 1 is a tie between two doubles: round half to even gives 2^53 */
  assert_same_bits(dec_to_double(parse_ok("9007199254740993")), 9007199254740992.0);
  /* 33 significant digits: a naive coef / 10^scale would round twice */
  assert_same_bits(dec_to_double(parse_ok("123456789012345678901234567890.123")),
                   123456789012345678901234567890.123);
  assert_same_bits(dec_to_double(parse_ok("0.1000000000000000055511151231257827")),
                   0.1000000000000000055511151231257827);
}

static void test_format(void **state) {
  (void)state;
  assert_string_equal(fmt(parse_ok("99.8")), "99.8");
  assert_string_equal(fmt(parse_ok("0.3%")), "0.003");
  assert_string_equal(fmt(parse_ok("100")), "100");
  assert_string_equal(fmt(parse_ok("7000万")), "70000000");
  assert_string_equal(fmt(parse_ok("10亿")), "1000000000");
  assert_string_equal(fmt(parse_ok("1,000,000")), "1000000");
  assert_string_equal(fmt(parse_ok("0")), "0");
  assert_string_equal(fmt(parse_ok("12,345.67")), "12345.67");
  assert_string_equal(fmt(dec_neg(parse_ok("0.003"))), "-0.003");
  /* not normalised on input: trailing zeros still go */
  assert_string_equal(fmt((rb_decimal){2500, 3}), "2.5");
  assert_string_equal(fmt((rb_decimal){0, 4}), "0");
  assert_string_equal(fmt((rb_decimal){-1000, 1}), "-100");
  /* a short buffer truncates and stays terminated */
  char small[4];
  memset(small, 'x', sizeof small);
  dec_format(parse_ok("12345.6"), small, sizeof small);
  assert_string_equal(small, "123");
}

/* Regression (was a bug): dec_parse accepts a leading group of more than three digits and a
   leading 0 group ("1234,567", "0,100"), which are not thousands groups
   (decimal.c only checks the groups after the first ','). The lexer's GROUPED
   pattern never hands it such text, so schemes are not affected today. */
static void test_parse_rejects_long_leading_group(void **state) {
  (void)state;
  assert_false(parses("1234,567"));
  assert_false(parses("0,100"));
}

/* Regression (was a bug): dec_format builds the text in a fixed 160-byte stack buffer, so a
   decimal with a large scale (dec_parse accepts "0.000…0001" with any number
   of zeros) overflows it: a stack buffer overflow (AddressSanitizer reports
   it). The checker formats literals in warnings (check_fraction_literal,
   tier bounds), so a long literal in a scheme reaches this. */
static void test_format_long_fraction(void **state) {
  (void)state;
  char text[260] = "0.";
  for (int i = 0; i < 200; i++) strcat(text, "0");
  strcat(text, "1");
  rb_decimal d = parse_ok(text);
  assert_int_equal(d.scale, 201);
  char buf[512];
  dec_format(d, buf, sizeof buf);
  assert_string_equal(buf, text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_format_long_fraction),
      cmocka_unit_test(test_parse_rejects_long_leading_group),
      cmocka_unit_test(test_parse_plain),
      cmocka_unit_test(test_scale10),
      cmocka_unit_test(test_parse_suffixes),
      cmocka_unit_test(test_parse_equalities),
      cmocka_unit_test(test_percent_to_double_bitwise),
      cmocka_unit_test(test_parse_grouped),
      cmocka_unit_test(test_parse_grouped_percent_exact),
      cmocka_unit_test(test_parse_rejects),
      cmocka_unit_test(test_parse_respects_length),
      cmocka_unit_test(test_parse_rejects_overflow),
      cmocka_unit_test(test_chengwu_points_add_to_100),
      cmocka_unit_test(test_point_one_plus_point_two),
      cmocka_unit_test(test_add_sub_mixed_scales),
      cmocka_unit_test(test_add_overflow_reported),
      cmocka_unit_test(test_compare),
      cmocka_unit_test(test_neg_zero),
      cmocka_unit_test(test_to_double_correctly_rounded),
      cmocka_unit_test(test_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
