/* arith.c: products and quotients of numbers; see arith.h.
 *
 * Both work on magnitudes, in 64-bit limbs: the exact product or the scaled
 * numerator takes up to four limbs, which GMP's mpn layer divides exactly;
 * the remainder decides the rounding (half up: twice the remainder at least
 * the divisor), and the sign is put back last, so ties go away from zero.
 * The common small cases stay in 128 bits.
 */
#include "arith.h"

#include <gmp.h>

typedef unsigned __int128 u128;

static const u128 ONE = (u128)FIXED_ONE;

static u128 magnitude(rb_fixed v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

/* Q (a magnitude) with the sign, or FIXED_ERROR past the range. */
static rb_fixed signed_result(u128 q, bool neg) {
  if (q > (u128)FIXED_MAX) return FIXED_ERROR;
  return neg ? -(rb_fixed)q : (rb_fixed)q;
}

static void limbs(u128 v, mp_limb_t out[2]) {
  out[0] = (mp_limb_t)v;
  out[1] = (mp_limb_t)(v >> 64);
}

rb_fixed rubric_fixed_mul(rb_fixed a, rb_fixed b) {
  bool neg = (a < 0) != (b < 0);
  u128 x = magnitude(a), y = magnitude(b);
  if (x == 0 || y == 0) return 0;
  if ((x >> 64) == 0 && (y >> 64) == 0) { /* the product fits 128 bits */
    u128 p = x * y, q = p / ONE, r = p % ONE;
    if (r >= ONE - r) q++;
    return signed_result(q, neg);
  }
  mp_limb_t xl[2], yl[2], p[4], q[4];
  limbs(x, xl);
  limbs(y, yl);
  mpn_mul_n(p, xl, yl, 2);
  mp_limb_t r = mpn_divrem_1(q, 0, p, 4, (mp_limb_t)FIXED_ONE);
  if (q[3] || q[2]) return FIXED_ERROR;
  u128 qq = ((u128)q[1] << 64) | q[0];
  if ((u128)r >= ONE - r) qq++;
  return signed_result(qq, neg);
}

rb_fixed rubric_fixed_div(rb_fixed a, rb_fixed b) {
  if (b == 0) return FIXED_ERROR;
  bool neg = (a < 0) != (b < 0);
  u128 x = magnitude(a), y = magnitude(b);
  if (x == 0) return 0;
  /* q = x * 10^18 / y */
  if (x <= ~(u128)0 / ONE) { /* the numerator fits 128 bits */
    u128 n = x * ONE, q = n / y, r = n % y;
    if (r >= y - r) q++;
    return signed_result(q, neg);
  }
  mp_limb_t xl[2], n[4], d[2], q[4], r[2];
  limbs(x, xl);
  n[2] = mpn_mul_1(n, xl, 2, (mp_limb_t)FIXED_ONE);
  n[3] = 0;
  mp_size_t nn = n[2] ? 3 : 2;
  limbs(y, d);
  mp_size_t dn = d[1] ? 2 : 1;
  if (nn < dn) return 0; /* cannot happen: x * 10^18 >= 2^128 > y */
  mpn_tdiv_qr(q, r, 0, n, nn, d, dn);
  mp_size_t qn = nn - dn + 1;
  for (mp_size_t i = 2; i < qn; i++)
    if (q[i]) return FIXED_ERROR;
  u128 qq = q[0] | (qn > 1 ? (u128)q[1] << 64 : 0);
  u128 rr = r[0] | (dn > 1 ? (u128)r[1] << 64 : 0);
  if (rr >= y - rr) qq++;
  return signed_result(qq, neg);
}

rb_fixed rubric_fixed_round_to(rb_fixed v, int32_t decimals) {
  rb_fixed r = fixed_round(v, decimals);
  return fixed_is_number(r) ? r : FIXED_ERROR;
}

rb_fixed rubric_fixed_floor(rb_fixed v) {
  rb_fixed q = v / FIXED_ONE; /* toward zero */
  if (v < 0 && v % FIXED_ONE) q--;
  rb_fixed r = q * FIXED_ONE;
  return fixed_is_number(r) ? r : FIXED_ERROR;
}

rb_fixed rubric_fixed_ceil(rb_fixed v) {
  rb_fixed q = v / FIXED_ONE;
  if (v > 0 && v % FIXED_ONE) q++;
  rb_fixed r = q * FIXED_ONE;
  return fixed_is_number(r) ? r : FIXED_ERROR;
}

/* ---------------------------------------------------------------- inside a rule: 36 decimals */

_Static_assert(GMP_LIMB_BITS == 64, "rb_wide words are GMP limbs");

/* 10^36 in two limbs, and 10^56 - 1 (three limbs): numbers are within it
   (tests/unit/test_fixed.c checks the words against GMP's powers). */
static const mp_limb_t scale36[2] = {0xb34b9f1000000000ULL, 0xc097ce7bc90715ULL};
static const mp_limb_t limit56[3] = {0x20ffffffffffffffULL, 0xfdffc78873d4490dULL, 0x4140c78940f6a24ULL};

const rb_wide WIDE_ERROR = {{~0ULL, ~0ULL, ~0ULL, 0x7fffffffffffffffULL}};

/* |V| into M (4 limbs); its sign. */
static bool wide_magnitude(const rb_wide *v, mp_limb_t m[4]) {
  bool neg = v->w[3] >> 63;
  unsigned carry = 1;
  for (int i = 0; i < 4; i++) {
    m[i] = neg ? ~v->w[i] + carry : v->w[i];
    if (neg) carry = carry && m[i] == 0;
  }
  return neg;
}

static mp_size_t used(const mp_limb_t *m, mp_size_t n) {
  while (n > 0 && m[n - 1] == 0) n--;
  return n;
}

/* M (N limbs) within 10^56 - 1? */
static bool within(const mp_limb_t *m, mp_size_t n) {
  n = used(m, n);
  if (n < 3) return true;
  if (n > 3) return false;
  return mpn_cmp(m, limit56, 3) <= 0;
}

/* *OUT = ±M (N limbs), or WIDE_ERROR beyond the range. */
static void wide_store(const mp_limb_t *m, mp_size_t n, bool neg, rb_wide *out) {
  if (!within(m, n)) {
    *out = WIDE_ERROR;
    return;
  }
  rb_wide r = {{0, 0, 0, 0}};
  for (mp_size_t i = 0; i < n && i < 4; i++) r.w[i] = m[i];
  if (neg) {
    unsigned carry = 1;
    for (int i = 0; i < 4; i++) {
      r.w[i] = ~r.w[i] + carry;
      carry = carry && r.w[i] == 0;
    }
  }
  *out = r;
}

bool wide_is_number(const rb_wide *v) {
  mp_limb_t m[4];
  wide_magnitude(v, m);
  return within(m, 4);
}

/* Q (QN limbs) + 1 when twice the remainder R (RN limbs) is at least the
   divisor D (DN limbs): half up, on magnitudes. Q has room for a carry. */
static mp_size_t round_up(mp_limb_t *q, mp_size_t qn, const mp_limb_t *r, const mp_limb_t *d, mp_size_t dn) {
  mp_limb_t twice[5] = {0};
  mp_size_t rn = used(r, dn);
  if (rn == 0) return qn;
  mp_limb_t top = mpn_lshift(twice, r, rn, 1);
  twice[rn] = top;
  mp_size_t tn = used(twice, rn + 1);
  dn = used(d, dn);
  bool up = tn > dn || (tn == dn && mpn_cmp(twice, d, dn) >= 0);
  if (up) {
    mp_limb_t carry = mpn_add_1(q, q, qn, 1);
    if (carry) q[qn++] = carry;
  }
  return qn;
}

void rubric_wide_mul(const rb_wide *a, const rb_wide *b, rb_wide *out) {
  mp_limb_t x[4], y[4], p[8], q[8] = {0}, r[2];
  bool neg = wide_magnitude(a, x) != wide_magnitude(b, y);
  if (!within(x, 4) || !within(y, 4)) {
    *out = WIDE_ERROR;
    return;
  }
  mp_size_t xn = used(x, 4), yn = used(y, 4);
  if (!xn || !yn) {
    *out = (rb_wide){{0, 0, 0, 0}};
    return;
  }
  mp_size_t pn = xn + yn;
  if (xn >= yn) mpn_mul(p, x, xn, y, yn);
  else mpn_mul(p, y, yn, x, xn);
  if (pn < 2) p[pn++] = 0; /* tdiv_qr wants the numerator at least as long as 10^36 */
  mpn_tdiv_qr(q, r, 0, p, pn, scale36, 2);
  mp_size_t qn = round_up(q, pn - 1, r, scale36, 2);
  wide_store(q, qn, neg, out);
}

void rubric_wide_div(const rb_wide *a, const rb_wide *b, rb_wide *out) {
  mp_limb_t x[4], y[4], n[7] = {0}, q[7] = {0}, r[4]; /* |a| * 10^36 < 2^376: six limbs */
  bool neg = wide_magnitude(a, x) != wide_magnitude(b, y);
  mp_size_t xn = used(x, 4), yn = used(y, 4);
  /* the dividend may be any 256-bit value: a mean divides a sum that can
     pass 10^20 on the way; only the quotient must be a number */
  if (!yn || !within(y, 4)) {
    *out = WIDE_ERROR;
    return;
  }
  if (!xn) {
    *out = (rb_wide){{0, 0, 0, 0}};
    return;
  }
  mp_size_t nn = xn + 2; /* |a| * 10^36 */
  if (xn >= 2) mpn_mul(n, x, xn, scale36, 2);
  else mpn_mul(n, scale36, 2, x, xn);
  nn = used(n, nn);
  if (nn < yn) { /* below half of one unit: 0 */
    *out = (rb_wide){{0, 0, 0, 0}};
    if (nn) { /* twice the numerator may still reach the divisor: round */
      mp_limb_t zero[7] = {0};
      mp_size_t qn = round_up(zero, 1, n, y, yn);
      wide_store(zero, qn, neg, out);
    }
    return;
  }
  mpn_tdiv_qr(q, r, 0, n, nn, y, yn);
  mp_size_t qn = round_up(q, nn - yn + 1, r, y, yn);
  wide_store(q, qn, neg, out);
}

/* *OUT = ±(whole part of |V|, rounded toward zero, or away when AWAY and
   there is a fraction), times 10^36. */
static void whole(const rb_wide *v, bool floor, rb_wide *out) {
  mp_limb_t m[4], q[4] = {0}, r[2];
  bool neg = wide_magnitude(v, m);
  if (!within(m, 4)) {
    *out = WIDE_ERROR;
    return;
  }
  mp_size_t mn = used(m, 4);
  if (mn < 2) mn = 2;
  mpn_tdiv_qr(q, r, 0, m, mn, scale36, 2);
  bool away = (r[0] || r[1]) && (floor ? neg : !neg);
  if (away) mpn_add_1(q, q, 4, 1);
  mp_limb_t p[6] = {0};
  mp_size_t qn = used(q, 4);
  if (!qn) {
    *out = (rb_wide){{0, 0, 0, 0}};
    return;
  }
  if (qn >= 2) mpn_mul(p, q, qn, scale36, 2);
  else mpn_mul(p, scale36, 2, q, qn);
  wide_store(p, qn + 2, neg, out);
}

void rubric_wide_floor(const rb_wide *v, rb_wide *out) { whole(v, true, out); }
void rubric_wide_ceil(const rb_wide *v, rb_wide *out) { whole(v, false, out); }

rb_fixed rubric_wide_result(const rb_wide *v) {
  mp_limb_t m[4], q[4] = {0};
  bool neg = wide_magnitude(v, m);
  if (!within(m, 4)) return FIXED_ERROR;
  mp_limb_t r = mpn_divrem_1(q, 0, m, 4, (mp_limb_t)FIXED_ONE);
  u128 qq = ((u128)q[1] << 64) | q[0];
  if ((u128)r >= ONE - r) qq++;
  if (q[2] || q[3]) return FIXED_ERROR;
  return signed_result(qq, neg);
}
