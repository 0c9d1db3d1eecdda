/*
** test_fixed.c — numbers as scoring computes them (compiler/fixed.c,
** runtime/arith.c), against spec/semantics.md#numbers: exact decimals with 18
** digits after the point, under 10^20; products and quotients rounded half up
** (away from zero on ties) to 18 decimals; text without trailing zeros.
**
** The pinned cases are the document's (6.5, 89.1, 四舍五入); the random ones
** compare every routine with GMP's arbitrary-precision integers (mpz), which
** compute the exact result and round it by the spec's rule, independently of
** the 128-bit and mpn code paths under test.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gmp.h>

#include "arith.h"
#include "fixed.h"

/* ---------------------------------------------------------------- helpers */

/* TEXT as a literal reads it, with an optional '-'. */
static rb_fixed num(const char *text) {
  bool neg = text[0] == '-';
  const char *digits = text + neg;
  rb_decimal d;
  if (!dec_parse(digits, strlen(digits), &d)) fail_msg("'%s' does not parse", text);
  rb_fixed v;
  if (!fixed_from_decimal(d, &v)) fail_msg("'%s' is not a number", text);
  return neg ? -v : v;
}

static const char *text(rb_fixed v, int decimals) {
  static char buf[8][64];
  static int k;
  char *b = buf[k++ % 8];
  fixed_format(v, decimals, b, 64);
  return b;
}

static void assert_text(rb_fixed v, const char *want) {
  if (!fixed_is_number(v)) fail_msg("not a number, want %s", want);
  if (strcmp(text(v, -1), want)) fail_msg("got %s, want %s", text(v, -1), want);
}

/* V as an mpz (the count of 10^-18), and back. */
static void to_mpz(mpz_t z, rb_fixed v) {
  unsigned __int128 m = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
  mpz_set_ui(z, (unsigned long)(m >> 64));
  mpz_mul_2exp(z, z, 64);
  mpz_add_ui(z, z, (unsigned long)(uint64_t)m);
  if (v < 0) mpz_neg(z, z);
}

static bool from_mpz(const mpz_t z, rb_fixed *out) {
  mpz_t m, lo;
  mpz_inits(m, lo, NULL);
  mpz_abs(m, z);
  bool fits = mpz_sizeinbase(m, 2) <= 127;
  rb_fixed v = 0;
  if (fits) {
    mpz_tdiv_r_2exp(lo, m, 64);
    mpz_tdiv_q_2exp(m, m, 64);
    v = ((rb_fixed)mpz_get_ui(m) << 64) | (rb_fixed)mpz_get_ui(lo);
    if (mpz_sgn(z) < 0) v = -v;
    fits = fixed_is_number(v);
  }
  mpz_clears(m, lo, NULL);
  *out = v;
  return fits;
}

/* N / D rounded half away from zero: the spec's rule, said once. */
static void div_half_up(mpz_t q, const mpz_t n, const mpz_t d) {
  mpz_t r, twice;
  mpz_inits(r, twice, NULL);
  mpz_tdiv_qr(q, r, n, d); /* toward zero; r has n's sign */
  mpz_abs(r, r);
  mpz_mul_2exp(twice, r, 1);
  mpz_t ad;
  mpz_init(ad);
  mpz_abs(ad, d);
  if (mpz_cmp(twice, ad) >= 0) {
    if ((mpz_sgn(n) < 0) != (mpz_sgn(d) < 0)) mpz_sub_ui(q, q, 1);
    else mpz_add_ui(q, q, 1);
  }
  mpz_clears(r, twice, ad, NULL);
}

/* The spec's a * b and a / b, computed exactly and rounded once. */
static rb_fixed ref_mul(rb_fixed a, rb_fixed b) {
  mpz_t x, y, p, one, q;
  mpz_inits(x, y, p, one, q, NULL);
  to_mpz(x, a);
  to_mpz(y, b);
  mpz_mul(p, x, y);
  mpz_ui_pow_ui(one, 10, 18);
  div_half_up(q, p, one);
  rb_fixed r;
  if (!from_mpz(q, &r)) r = FIXED_ERROR;
  mpz_clears(x, y, p, one, q, NULL);
  return r;
}

static rb_fixed ref_div(rb_fixed a, rb_fixed b) {
  if (b == 0) return FIXED_ERROR;
  mpz_t x, y, one, q;
  mpz_inits(x, y, one, q, NULL);
  to_mpz(x, a);
  to_mpz(y, b);
  mpz_ui_pow_ui(one, 10, 18);
  mpz_mul(x, x, one);
  div_half_up(q, x, y);
  rb_fixed r;
  if (!from_mpz(q, &r)) r = FIXED_ERROR;
  mpz_clears(x, y, one, q, NULL);
  return r;
}

/* Random numbers over every magnitude, half of them near the small values
   scores take, with ties and range ends mixed in. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static rb_fixed random_number(void) {
  static const char *special[] = {"0", "1", "-1", "0.5", "-0.5", "0.000000000000000001", "-0.000000000000000005",
                                  "99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999",
                                  "10000000000", "9999999999.999999999", "0.1", "3", "7", "0.3", "100"};
  uint64_t r = next();
  switch (r % 4) {
  case 0: return num(special[(r >> 8) % (sizeof special / sizeof *special)]);
  case 1: { /* a score-like value: a few decimals */
    rb_fixed v = (rb_fixed)(next() % 100000000) * (rb_fixed)1000000000000000LL;
    return r & 0x100 ? -v : v;
  }
  default: { /* any bit length up to the range */
    unsigned bits = (unsigned)((r >> 8) % 127) + 1;
    unsigned __int128 m = ((unsigned __int128)next() << 64) | next();
    if (bits < 128) m &= ((unsigned __int128)1 << bits) - 1;
    rb_fixed v = (rb_fixed)(m % ((unsigned __int128)FIXED_MAX + 1));
    return r & 0x200 ? -v : v;
  }
  }
}

static void assert_same(rb_fixed got, rb_fixed want, const char *op, rb_fixed a, rb_fixed b) {
  bool gn = fixed_is_number(got), wn = fixed_is_number(want);
  if (gn != wn || (gn && got != want))
    fail_msg("%s %s %s: got %s, want %s", text(a, -1), op, text(b, -1), gn ? text(got, -1) : "error",
             wn ? text(want, -1) : "error");
}

/* ---------------------------------------------------------------- the document's cases */

/* Rate 96.5% on "10 points at 100%, 0 below 90%, linear between":
   0 + (10 - 0) * (0.965 - 0.9) / (1 - 0.9) is 6.5 exactly. */
static void test_linear_is_exact(void **state) {
  (void)state;
  rb_fixed p = rubric_fixed_mul(num("10"), num("0.965") - num("0.9"));
  assert_text(p, "0.65");
  assert_text(rubric_fixed_div(p, num("1") - num("0.9")), "6.5");
  /* sums of the Chengwu example's parts */
  assert_text(num("27.9") + num("8.2") + num("23.9"), "60");
  assert_text(num("0.1") + num("0.2"), "0.3");
}

static void test_division_rounds_half_up(void **state) {
  (void)state;
  assert_text(rubric_fixed_div(num("1"), num("3")), "0.333333333333333333");
  assert_text(rubric_fixed_div(num("2"), num("3")), "0.666666666666666667");
  assert_text(rubric_fixed_div(num("-2"), num("3")), "-0.666666666666666667");
  assert_text(rubric_fixed_div(num("2"), num("-3")), "-0.666666666666666667");
  assert_text(rubric_fixed_div(num("1"), num("8")), "0.125");
  /* a tie on the 19th decimal goes away from zero */
  assert_text(rubric_fixed_div(num("0.000000000000000001"), num("2")), "0.000000000000000001");
  assert_text(rubric_fixed_div(num("-0.000000000000000001"), num("2")), "-0.000000000000000001");
  assert_text(rubric_fixed_div(num("0.000000000000000001"), num("3")), "0");
  /* a numerator beyond 128 bits once scaled */
  assert_text(rubric_fixed_div(num("90000000000000000000"), num("3")), "30000000000000000000");
  assert_text(rubric_fixed_div(num("5186000000"), num("3962000000")), "1.308934881373043917");
  assert_false(fixed_is_number(rubric_fixed_div(num("1"), 0)));
  assert_false(fixed_is_number(rubric_fixed_div(num("10000000000"), num("0.0000000001"))));
}

static void test_product_rounds_half_up(void **state) {
  (void)state;
  assert_text(rubric_fixed_mul(num("0.2"), num("12")), "2.4");
  assert_text(rubric_fixed_mul(num("0.000000000000000005"), num("0.1")), "0.000000000000000001");
  assert_text(rubric_fixed_mul(num("-0.000000000000000005"), num("0.1")), "-0.000000000000000001");
  assert_text(rubric_fixed_mul(num("0.000000000000000004"), num("0.1")), "0");
  assert_text(rubric_fixed_mul(num("9999999999"), num("9999999999")), "99999999980000000001");
  assert_false(fixed_is_number(rubric_fixed_mul(num("10000000000"), num("10000000000"))));
  assert_false(fixed_is_number(rubric_fixed_mul(num("-10000000000"), num("10000000000"))));
}

/* 四舍五入 as Excel's ROUND: 2.5 → 3, −2.5 → −3, 0.125 → 0.13 */
static void test_round_half_up(void **state) {
  (void)state;
  assert_string_equal(text(num("2.5"), 0), "3");
  assert_string_equal(text(num("-2.5"), 0), "-3");
  assert_string_equal(text(num("0.125"), 2), "0.13");
  assert_string_equal(text(num("0.124999999999999999"), 2), "0.12");
  assert_string_equal(text(num("6.5"), 0), "7");
  assert_string_equal(text(num("57.635"), 2), "57.64");
  assert_string_equal(text(num("-0.004"), 2), "0");
  assert_string_equal(text(num("4.80"), 2), "4.8");
  rb_wide w = wide_from_fixed(num("1.45"));
  assert_text(rubric_wide_round_to(&w, 1), "1.5");
  w = wide_from_fixed(num("99999999999999999999.5"));
  assert_false(fixed_is_number(rubric_wide_round_to(&w, 0)));
  assert_text(rubric_fixed_floor(num("-1.5")), "-2");
  assert_text(rubric_fixed_ceil(num("-1.5")), "-1");
  assert_text(rubric_fixed_ceil(num("1.775")), "2");
  assert_text(rubric_fixed_floor(num("3")), "3");
}

static void test_text(void **state) {
  (void)state;
  assert_text(num("89.1"), "89.1");
  assert_text(num("88.40"), "88.4");
  assert_text(num("0.000001"), "0.000001");
  assert_text(num("-0"), "0");
  assert_text(num("100"), "100");
  assert_text(num("100万"), "1000000");
  assert_text(num("0.3%"), "0.003");
  assert_text(num("99999999999999999999.999999999999999999"), "99999999999999999999.999999999999999999");
  assert_text(num("-0.000000000000000001"), "-0.000000000000000001");
  rb_decimal d;
  rb_fixed v;
  assert_true(dec_parse("0.0000000000000000001", 21, &d));
  assert_false(fixed_from_decimal(d, &v));
  assert_true(dec_parse("100000000000000000000", 21, &d));
  assert_false(fixed_from_decimal(d, &v));
  assert_true(dec_parse("1.5000000000000000000000", 24, &d)); /* zeros beyond 18 decimals are harmless */
  assert_true(fixed_from_decimal(d, &v));
  assert_text(v, "1.5");
}

/* ---------------------------------------------------------------- against exact integers */

static void test_mul_div_against_gmp(void **state) {
  (void)state;
  for (int i = 0; i < 300000; i++) {
    rb_fixed a = random_number(), b = random_number();
    assert_same(rubric_fixed_mul(a, b), ref_mul(a, b), "*", a, b);
    assert_same(rubric_fixed_div(a, b), ref_div(a, b), "/", a, b);
  }
}

/* Text reads back as the same number; rounding for the text is the spec's. */
static void test_text_against_gmp(void **state) {
  (void)state;
  mpz_t z, unit, q;
  mpz_inits(z, unit, q, NULL);
  for (int i = 0; i < 100000; i++) {
    rb_fixed v = random_number();
    const char *t = text(v, -1);
    assert_true(strlen(t) <= 41);
    assert_int_equal(num(t) == v, 1);
    assert_null(strchr(t, 'e'));
    if (strchr(t, '.')) assert_true(t[strlen(t) - 1] != '0');
    int n = (int)(next() % 19);
    to_mpz(z, v);
    mpz_ui_pow_ui(unit, 10, (unsigned long)(18 - n));
    div_half_up(q, z, unit);
    mpz_mul(q, q, unit);
    rb_fixed want;
    if (from_mpz(q, &want)) {
      if (strcmp(text(v, n), text(want, -1))) fail_msg("%s to %d decimals: %s, want %s", t, n, text(v, n), text(want, -1));
      rb_wide w = wide_from_fixed(v);
      assert_same(rubric_wide_round_to(&w, n), want, "round", v, fixed_from_int(n));
    } else {
      rb_wide w = wide_from_fixed(v);
      assert_false(fixed_is_number(rubric_wide_round_to(&w, n)));
    }
  }
  mpz_clears(z, unit, q, NULL);
}

/* ---------------------------------------------------------------- inside a rule: 36 decimals */

static void wide_to_mpz(mpz_t z, const rb_wide *v) {
  mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, v->w);
  if (v->w[3] >> 63) { /* two's complement: subtract 2^256 */
    mpz_t t;
    mpz_init(t);
    mpz_setbit(t, 256);
    mpz_sub(z, z, t);
    mpz_clear(t);
  }
}

/* Z as a wide value when |Z| < 10^56, else false. */
static bool wide_from_mpz(const mpz_t z, rb_wide *out) {
  mpz_t lim, m;
  mpz_inits(lim, m, NULL);
  mpz_ui_pow_ui(lim, 10, 56);
  mpz_abs(m, z);
  bool ok = mpz_cmp(m, lim) < 0;
  if (ok) {
    if (mpz_sgn(z) < 0) { /* 2^256 - |z| */
      mpz_set_ui(m, 0);
      mpz_setbit(m, 256);
      mpz_add(m, m, z);
    }
    memset(out->w, 0, sizeof out->w);
    mpz_export(out->w, NULL, -1, sizeof(uint64_t), 0, 0, m);
  }
  mpz_clears(lim, m, NULL);
  return ok;
}

static rb_wide random_wide(void) {
  mpz_t z, lim;
  mpz_inits(z, lim, NULL);
  uint64_t r = next();
  rb_wide w;
  if (r % 3 == 0) {
    w = wide_from_fixed(random_number()); /* a number from a column */
  } else {
    /* any magnitude under 10^56, any number of its 36 decimals */
    mpz_set_ui(z, 0);
    for (int i = 0; i < 3; i++) {
      mpz_mul_2exp(z, z, 64);
      mpz_add_ui(z, z, (unsigned long)next());
    }
    mpz_ui_pow_ui(lim, 10, (unsigned long)(next() % 57));
    if (mpz_sgn(lim)) mpz_mod(z, z, lim);
    if (r & 0x100) mpz_neg(z, z);
    if (!wide_from_mpz(z, &w)) fail_msg("random wide value out of range");
  }
  mpz_clears(z, lim, NULL);
  return w;
}

static const char *wide_text(const rb_wide *v) {
  static char buf[4][100];
  static int k;
  char *b = buf[k++ % 4];
  mpz_t z;
  mpz_init(z);
  wide_to_mpz(z, v);
  gmp_snprintf(b, 100, "%Zd", z);
  mpz_clear(z);
  return b;
}

static void assert_same_wide(bool ok, const rb_wide *got, const mpz_t want, const char *what, const rb_wide *a,
                             const rb_wide *b) {
  rb_wide w;
  bool in = wide_from_mpz(want, &w);
  bool number = wide_is_number(got);
  if (in != number || (in && memcmp(w.w, got->w, sizeof w.w)))
    fail_msg("%s(%s, %s): got %s, want %s%s", what, wide_text(a), b ? wide_text(b) : "-", number ? wide_text(got) : "error",
             in ? wide_text(&w) : "error", ok ? "" : " (no number expected)");
}

/* The range's ends: the words of 10^56 - 1 in arith.c, checked here. */
static void test_wide_range(void **state) {
  (void)state;
  mpz_t z;
  mpz_init(z);
  rb_wide w;
  mpz_ui_pow_ui(z, 10, 56);
  mpz_sub_ui(z, z, 1);
  assert_true(wide_from_mpz(z, &w));
  assert_true(wide_is_number(&w));
  mpz_neg(z, z);
  assert_true(wide_from_mpz(z, &w));
  assert_true(wide_is_number(&w));
  /* 10^56 itself, by adding one to the largest */
  mpz_neg(z, z);
  rb_wide one = {{1, 0, 0, 0}}, sum;
  wide_from_mpz(z, &w);
  unsigned carry = 0;
  for (int i = 0; i < 4; i++) {
    unsigned __int128 t = (unsigned __int128)w.w[i] + one.w[i] + carry;
    sum.w[i] = (uint64_t)t;
    carry = (unsigned)(t >> 64);
  }
  assert_false(wide_is_number(&sum));
  assert_false(wide_is_number(&WIDE_ERROR));
  /* the largest number as a column holds it, widened, and back */
  rb_wide max = wide_from_fixed(FIXED_MAX), min = wide_from_fixed(-FIXED_MAX);
  assert_true(wide_is_number(&max) && wide_is_number(&min));
  assert_true(rubric_wide_result(&max) == FIXED_MAX && rubric_wide_result(&min) == -FIXED_MAX);
  rb_wide empty = wide_from_fixed(FIXED_EMPTY);
  assert_false(wide_is_number(&empty));
  assert_true(rubric_wide_result(&empty) == FIXED_ERROR);
  mpz_clear(z);
}

/* 1/3 keeps 36 decimals, so three of them give 1 once rounded to 18; 1.01
   from 101/1200 * 12 (Linyi's rel) is the document's 1.01. */
static void test_wide_keeps_the_documents_numbers(void **state) {
  (void)state;
  rb_wide one = wide_from_fixed(num("1")), three = wide_from_fixed(num("3")), third, sum = {{0}};
  rubric_wide_div(&one, &three, &third);
  assert_string_equal(wide_text(&third), "333333333333333333333333333333333333");
  mpz_t a, b;
  mpz_inits(a, b, NULL);
  wide_to_mpz(a, &third);
  mpz_mul_ui(a, a, 3);
  wide_from_mpz(a, &sum);
  assert_text(rubric_wide_result(&sum), "1");
  rb_wide x = wide_from_fixed(num("101")), y = wide_from_fixed(num("1200")), n12 = wide_from_fixed(num("12")), q, rel;
  rubric_wide_div(&x, &y, &q);
  rubric_wide_mul(&q, &n12, &rel);
  assert_text(rubric_wide_result(&rel), "1.01");
  rb_wide r;
  x = wide_from_fixed(num("-1"));
  y = wide_from_fixed(num("2000000000000000000"));
  rubric_wide_div(&x, &y, &r); /* -5 * 10^-19: half, away from zero */
  assert_text(rubric_wide_result(&r), "-0.000000000000000001");
  rubric_wide_floor(&third, &r);
  assert_text(rubric_wide_result(&r), "0");
  rubric_wide_ceil(&third, &r);
  assert_text(rubric_wide_result(&r), "1");
  x = wide_from_fixed(num("-2.5"));
  rubric_wide_floor(&x, &r);
  assert_text(rubric_wide_result(&r), "-3");
  rubric_wide_ceil(&x, &r);
  assert_text(rubric_wide_result(&r), "-2");
  y = wide_from_fixed(0);
  rubric_wide_div(&one, &y, &r);
  assert_false(wide_is_number(&r));
  /* a mean's sum may pass 10^20: 2 * (6 * 10^19) / 2 is a number */
  rb_wide six = wide_from_fixed(num("60000000000000000000")), two = wide_from_fixed(num("2")), twelve = {{0}};
  mpz_t z;
  mpz_init(z);
  wide_to_mpz(z, &six);
  mpz_mul_ui(z, z, 2);
  mpz_export(twelve.w, NULL, -1, sizeof(uint64_t), 0, 0, z); /* 1.2 * 10^56: positive, under 2^255 */
  assert_false(wide_is_number(&twelve));
  rubric_wide_div(&twelve, &two, &r);
  assert_text(rubric_wide_result(&r), "60000000000000000000");
  rubric_wide_div(&twelve, &one, &r);
  assert_false(wide_is_number(&r));
  mpz_clear(z);
  mpz_clears(a, b, NULL);
}

/* Ties at the 36th and the 18th decimal, both signs, and one unit short of
   them: the products and results divide by 10^36 and 10^18 with a
   precomputed inverse (arith.c), so the remainders are checked here where
   a tie is certain, not left to random values. */
static void test_wide_ties(void **state) {
  (void)state;
  mpz_t z;
  mpz_init(z);
  rb_wide x, y, r;
  /* 1.5 * 10^-36: a tie at the 36th decimal, up to 2 * 10^-36 */
  mpz_set_str(z, "1500000000000000000000000000000000000", 10); /* 1.5 */
  wide_from_mpz(z, &x);
  mpz_set_ui(z, 1); /* 10^-36 */
  wide_from_mpz(z, &y);
  rubric_wide_mul(&x, &y, &r);
  assert_string_equal(wide_text(&r), "2");
  mpz_set_si(z, -1);
  wide_from_mpz(z, &y);
  rubric_wide_mul(&x, &y, &r);
  assert_string_equal(wide_text(&r), "-2");
  mpz_set_str(z, "1499999999999999999999999999999999999", 10); /* just under 1.5 */
  wide_from_mpz(z, &x);
  rubric_wide_mul(&x, &y, &r);
  assert_string_equal(wide_text(&r), "-1");
  /* products over four limbs: (10^19)^2 overflows; 9999999999^2 is just under 10^20 */
  mpz_ui_pow_ui(z, 10, 55);
  wide_from_mpz(z, &x);
  rubric_wide_mul(&x, &x, &r);
  assert_false(wide_is_number(&r));
  mpz_set_str(z, "9999999999000000000000000000000000000000000000", 10); /* 9999999999 */
  wide_from_mpz(z, &x);
  rubric_wide_mul(&x, &x, &r);
  assert_text(rubric_wide_result(&r), "99999999980000000001");
  mpz_set_str(z, "10000000000000000000000000000000000000000000000", 10); /* 10^10 */
  wide_from_mpz(z, &x);
  rubric_wide_mul(&x, &x, &r); /* 10^20 */
  assert_false(wide_is_number(&r));
  mpz_set_str(z, "9999999999500000000000000000000000000000000000", 10); /* 9999999999.5 */
  wide_from_mpz(z, &x);
  mpz_set_str(z, "1000000000000000000000000000000000000", 10); /* 1 */
  wide_from_mpz(z, &y);
  rubric_wide_mul(&x, &y, &r);
  assert_text(rubric_wide_result(&r), "9999999999.5");
  /* results: 0.5 * 10^-18 goes up to 10^-18, away from zero below 0 */
  mpz_set_str(z, "500000000000000000", 10);
  wide_from_mpz(z, &x);
  assert_text(rubric_wide_result(&x), "0.000000000000000001");
  mpz_set_str(z, "-500000000000000000", 10);
  wide_from_mpz(z, &x);
  assert_text(rubric_wide_result(&x), "-0.000000000000000001");
  mpz_set_str(z, "499999999999999999", 10);
  wide_from_mpz(z, &x);
  assert_text(rubric_wide_result(&x), "0");
  /* the largest result, and one rounding past it */
  mpz_set_str(z, "99999999999999999999999999999999999999499999999999999999", 10);
  wide_from_mpz(z, &x);
  assert_text(rubric_wide_result(&x), "99999999999999999999.999999999999999999");
  mpz_set_str(z, "99999999999999999999999999999999999999500000000000000000", 10);
  wide_from_mpz(z, &x);
  assert_true(rubric_wide_result(&x) == FIXED_ERROR);
  mpz_clear(z);
}

static void test_wide_against_gmp(void **state) {
  (void)state;
  mpz_t x, y, t, unit, q, lim;
  mpz_inits(x, y, t, unit, q, lim, NULL);
  mpz_ui_pow_ui(unit, 10, 36);
  for (int i = 0; i < 200000; i++) {
    rb_wide a = random_wide(), b = random_wide(), r;
    wide_to_mpz(x, &a);
    wide_to_mpz(y, &b);
    mpz_mul(t, x, y);
    div_half_up(q, t, unit);
    rubric_wide_mul(&a, &b, &r);
    assert_same_wide(true, &r, q, "mul", &a, &b);
    rubric_wide_div(&a, &b, &r);
    if (mpz_sgn(y) == 0) {
      assert_false(wide_is_number(&r));
    } else {
      mpz_mul(t, x, unit);
      div_half_up(q, t, y);
      assert_same_wide(true, &r, q, "div", &a, &b);
    }
    rubric_wide_floor(&a, &r);
    mpz_fdiv_q(q, x, unit);
    mpz_mul(q, q, unit);
    assert_same_wide(true, &r, q, "floor", &a, NULL);
    rubric_wide_ceil(&a, &r);
    mpz_cdiv_q(q, x, unit);
    mpz_mul(q, q, unit);
    assert_same_wide(true, &r, q, "ceil", &a, NULL);
    /* the result: half up to 18 decimals, a number or FIXED_ERROR */
    mpz_ui_pow_ui(t, 10, 18);
    div_half_up(q, x, t);
    rb_fixed want, got = rubric_wide_result(&a);
    if (from_mpz(q, &want)) {
      if (got != want) fail_msg("result(%s): got %s, want %s", wide_text(&a), text(got, -1), text(want, -1));
    } else {
      assert_true(got == FIXED_ERROR);
    }
  }
  mpz_clears(x, y, t, unit, q, lim, NULL);
}

/* Whole divisors (counts, the common case, which the division takes
   without GMP): 1, small, near 2^64 and past it, by any dividend, with
   exact halves; every quotient against GMP's. */
static void test_wide_div_by_whole_numbers(void **state) {
  (void)state;
  mpz_t x, y, t, unit, q;
  mpz_inits(x, y, t, unit, q, NULL);
  mpz_ui_pow_ui(unit, 10, 36);
  const unsigned long long fixed[] = {1, 2, 3, 7, 10, 1000, 999999999999ULL, 18446744073709551615ULL};
  for (int i = 0; i < 100000; i++) {
    rb_wide a = random_wide(), b, r;
    unsigned long long d = i < 8 ? fixed[i] : next() >> (next() % 64);
    if (!d) d = 1;
    mpz_set_ui(y, d);
    if (i % 5 == 4) mpz_mul_2exp(y, y, 1 + next() % 8); /* past 2^64: the general path */
    if (i & 1) mpz_neg(y, y);
    mpz_mul(y, y, unit);
    if (!wide_from_mpz(y, &b)) continue;
    if (i % 7 == 3) { /* an exact half: K * D + D / 2 (10^-36) over an even D (10^-36 * 10^36) */
      unsigned long long e = ((d >> 2) | 1) * 2;
      mpz_set_ui(x, e);
      mpz_mul_ui(x, x, next() % 100000);
      mpz_add_ui(x, x, e / 2);
      if (i & 2) mpz_neg(x, x);
      mpz_set_ui(y, e);
      mpz_mul(y, y, unit);
      if (!wide_from_mpz(x, &a) || !wide_from_mpz(y, &b)) continue;
    }
    wide_to_mpz(x, &a);
    wide_to_mpz(y, &b);
    rubric_wide_div(&a, &b, &r);
    mpz_mul(t, x, unit);
    div_half_up(q, t, y);
    assert_same_wide(true, &r, q, "div", &a, &b);
  }
  mpz_clears(x, y, t, unit, q, NULL);
}

/* A wide value within 128 bits, by value, rounds as through its slot: the
   ends of 128 bits, ties either side of zero, and 200,000 random values of
   every magnitude. */
static void test_wide_result_small(void **state) {
  (void)state;
  const rb_fixed top = (rb_fixed)(~(unsigned __int128)0 >> 1), half = FIXED_ONE / 2;
  rb_fixed pinned[] = {0, 1, -1, half, -half, half - 1, -(half - 1), 7 * FIXED_ONE + half, -(7 * FIXED_ONE + half),
                       top, -top, -top - 1, top - half, FIXED_ONE * FIXED_ONE * 3 + half};
  for (size_t i = 0; i < sizeof pinned / sizeof *pinned; i++) {
    rb_wide w = {{(uint64_t)pinned[i], (uint64_t)((unsigned __int128)pinned[i] >> 64), 0, 0}};
    if (pinned[i] < 0) w.w[2] = w.w[3] = ~0ULL;
    rb_fixed want = rubric_wide_result(&w), got = rubric_wide_result_small(pinned[i]);
    if (got != want) fail_msg("pinned %zu: %s against %s", i, text(got, -1), text(want, -1));
  }
  assert_text(rubric_wide_result_small(7 * FIXED_ONE + half), "0.000000000000000008"); /* half up */
  assert_text(rubric_wide_result_small(-(7 * FIXED_ONE + half)), "-0.000000000000000008");
  for (int i = 0; i < 200000; i++) {
    unsigned __int128 bits = (unsigned __int128)next() << 64 | next();
    rb_fixed v = (rb_fixed)(bits >> (next() % 127));
    if (next() & 1) v = -v;
    rb_wide w = {{(uint64_t)v, (uint64_t)((unsigned __int128)v >> 64), 0, 0}};
    if (v < 0) w.w[2] = w.w[3] = ~0ULL;
    rb_fixed want = rubric_wide_result(&w), got = rubric_wide_result_small(v);
    if (got != want) fail_msg("%d: %s against %s", i, text(got, -1), text(want, -1));
  }
}

/* `round N` rounds a rule's value (36 decimals) once: against GMP on
   200,000 random values and every N, and the case that rounding to 18
   decimals first gets wrong: the mean of 0.999999999999999999 and 0.294913,
   0.6474564999999999995, is 0.647456 to 6 decimals, not 0.647457. */
static void test_wide_round_once(void **state) {
  (void)state;
  mpz_t z, unit, q, k;
  mpz_inits(z, unit, q, k, NULL);
  rb_wide a = wide_from_fixed(num("0.999999999999999999")), b = wide_from_fixed(num("0.294913")), sum, two, mean;
  mpz_t x, y;
  mpz_inits(x, y, NULL);
  wide_to_mpz(x, &a);
  wide_to_mpz(y, &b);
  mpz_add(x, x, y);
  assert_true(wide_from_mpz(x, &sum));
  two = wide_from_fixed(num("2"));
  rubric_wide_div(&sum, &two, &mean);
  assert_text(rubric_wide_round_to(&mean, 6), "0.647456");
  assert_text(rubric_wide_result(&mean), "0.6474565"); /* to 18 decimals, then to 6, would be 0.647457 */
  assert_text(rubric_wide_round_to(&mean, 18), "0.6474565");
  mpz_clears(x, y, NULL);
  for (int i = 0; i < 200000; i++) {
    rb_wide v = random_wide();
    int n = (int)(next() % 19);
    wide_to_mpz(z, &v);
    mpz_ui_pow_ui(unit, 10, (unsigned long)(36 - n));
    div_half_up(q, z, unit);
    mpz_ui_pow_ui(k, 10, (unsigned long)(18 - n));
    mpz_mul(q, q, k); /* counts of 10^-18 */
    rb_fixed want, got = rubric_wide_round_to(&v, n);
    if (!from_mpz(q, &want) || !fixed_is_number(want)) want = FIXED_ERROR;
    if (got != want)
      fail_msg("%s to %d decimals: %s, want %s", wide_text(&v), n, fixed_is_number(got) ? text(got, -1) : "error",
               fixed_is_number(want) ? text(want, -1) : "error");
  }
  mpz_clears(z, unit, q, k, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_linear_is_exact),  cmocka_unit_test(test_division_rounds_half_up),
      cmocka_unit_test(test_product_rounds_half_up), cmocka_unit_test(test_round_half_up),
      cmocka_unit_test(test_text),             cmocka_unit_test(test_mul_div_against_gmp),
      cmocka_unit_test(test_text_against_gmp),  cmocka_unit_test(test_wide_range),
      cmocka_unit_test(test_wide_keeps_the_documents_numbers), cmocka_unit_test(test_wide_ties), cmocka_unit_test(test_wide_against_gmp),
      cmocka_unit_test(test_wide_div_by_whole_numbers), cmocka_unit_test(test_wide_result_small),
      cmocka_unit_test(test_wide_round_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
