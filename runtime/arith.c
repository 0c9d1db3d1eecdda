/* arith.c: products and quotients of numbers; see arith.h.
 *
 * Both work on magnitudes, in 64-bit limbs: the exact product or the scaled
 * numerator takes up to four limbs, which GMP's mpn layer divides exactly;
 * the remainder decides the rounding (half up: twice the remainder at least
 * the divisor), and the sign is put back last, so ties go away from zero.
 * The common small cases stay in 128 bits.
 *
 * Dividing by the scale (10^18, and 10^36 as 10^18 twice), which every
 * product and every result does, and by a count (12 months, a row's
 * number of firms), uses the divisor's inverse instead of a division
 * instruction or GMP's division (which computes the inverse again on each
 * call): two multiplications a limb. The scale's inverse is a constant,
 * a count's is remembered by each thread for the next division by it.
 */
#include "arith.h"

#include <assert.h>

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

/* ---- dividing by one limb with a precomputed inverse -------------------
   Möller and Granlund, "Improved division by invariant integers" (IEEE
   Trans. Computers, 2011), algorithm 4: a two-limb by one-limb division
   for a normalised divisor (top bit set) and its inverse
   v = floor((2^128 - 1) / d) - 2^64. A divisor is normalised by shifting
   it (and the dividend) left until its top bit is set. */
typedef struct divisor {
  uint64_t d;     /* the divisor itself (0: an unused slot) */
  uint64_t norm;  /* d << shift */
  uint64_t inv;   /* norm's inverse */
  unsigned shift; /* leading zero bits of d */
} divisor;

/* 10^18, shifted left by 4 bits. */
static const divisor D18 = {1000000000000000000ULL, 1000000000000000000ULL << 4,
                            (uint64_t)(~(u128)0 / (1000000000000000000ULL << 4) - ((u128)1 << 64)), 4};

/* <U1, U0> / V->norm where U1 < V->norm: the quotient limb, the remainder in *R. */
static inline __attribute__((always_inline)) uint64_t div_step(uint64_t u1, uint64_t u0, uint64_t *r, const divisor *v) {
  u128 q = (u128)v->inv * u1 + (((u128)u1 << 64) | u0);
  uint64_t q1 = (uint64_t)(q >> 64) + 1, q0 = (uint64_t)q;
  uint64_t rem = u0 - q1 * v->norm;
  if (rem > q0) { /* the estimate was one too high */
    q1--;
    rem += v->norm;
  }
  if (rem >= v->norm) { /* rarely, one too low */
    q1++;
    rem -= v->norm;
  }
  *r = rem;
  return q1;
}

/* Q (N limbs) = floor(M (N limbs) / V->d); returns the remainder. Q may be M. */
static inline __attribute__((always_inline)) uint64_t div_limbs(const uint64_t *m, int n, uint64_t *q, const divisor *v) {
  unsigned s = v->shift;
  if (!s) {
    uint64_t r = 0;
    for (int i = n - 1; i >= 0; i--) q[i] = div_step(r, m[i], &r, v);
    return r;
  }
  uint64_t r = n ? m[n - 1] >> (64 - s) : 0; /* the bits shifted out of the top limb */
  for (int i = n - 1; i >= 0; i--) {
    uint64_t lo = m[i] << s | (i ? m[i - 1] >> (64 - s) : 0);
    q[i] = div_step(r, lo, &r, v);
  }
  return r >> s;
}

static uint64_t div_1e18(const uint64_t *m, int n, uint64_t *q) { return div_limbs(m, n, q, &D18); }

/* D (not 0) as a divisor with its inverse. A rule divides by few counts
   (12 months, a scheme's constants, a row's count read twice), so each
   thread remembers the last ones seen: the inverse costs a division, the
   step that uses it two multiplications. */
static const divisor *divisor_of(uint64_t d) {
  static _Thread_local divisor recent[16];
  divisor *e = &recent[(d * 0x9E3779B97F4A7C15ULL) >> 60];
  if (e->d != d) {
    unsigned s = (unsigned)__builtin_clzll(d);
    uint64_t norm = d << s;
    *e = (divisor){d, norm, (uint64_t)(~(u128)0 / norm - ((u128)1 << 64)), s};
  }
  return e;
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
  uint64_t r = div_1e18(p, 4, q);
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
  uint64_t s = 0 - (v->w[3] >> 63); /* all ones when negative: ~w + 1 */
  uint64_t carry = s & 1;
  for (int i = 0; i < 4; i++) {
    u128 t = (u128)(v->w[i] ^ s) + carry;
    m[i] = (uint64_t)t;
    carry = (uint64_t)(t >> 64);
  }
  return s != 0;
}

static mp_size_t used(const mp_limb_t *m, mp_size_t n) {
  while (n > 0 && m[n - 1] == 0) n--;
  return n;
}

/* M (N limbs) within 10^56 - 1? */
static bool within(const mp_limb_t *m, mp_size_t n) {
  for (mp_size_t i = n - 1; i >= 3; i--)
    if (m[i]) return false;
  if (n < 3 || m[2] < limit56[2]) return true; /* the usual number: under 2^128 */
  if (m[2] > limit56[2]) return false;
  return m[1] < limit56[1] || (m[1] == limit56[1] && m[0] <= limit56[0]);
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
  mp_limb_t x[4], y[4], p[8] = {0};
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
  /* the exact product (schoolbook: at most 3 x 3 limbs within the range) */
  for (mp_size_t i = 0; i < xn; i++) {
    uint64_t carry = 0;
    for (mp_size_t j = 0; j < yn; j++) {
      u128 t = (u128)x[i] * y[j] + p[i + j] + carry;
      p[i + j] = (uint64_t)t;
      carry = (uint64_t)(t >> 64);
    }
    p[i + yn] = carry;
  }
  /* / 10^36 as / 10^18 twice: floor(floor(p / a) / b) = floor(p / ab), and
     p = q * 10^36 + (r2 * 10^18 + r1) */
  int pn = (int)(xn + yn);
  uint64_t r1 = div_1e18(p, pn, p);
  uint64_t r2 = div_1e18(p, pn, p);
  u128 rem = (u128)r2 * (uint64_t)FIXED_ONE + r1;
  static const u128 half36 = (u128)500000000000000000ULL * 1000000000000000000ULL; /* 10^36 / 2 */
  if (rem >= half36) { /* half up */
    for (int i = 0; i < 8 && ++p[i] == 0; i++) {
    }
  }
  wide_store(p, 8, neg, out);
}

/* 5^36 (two limbs) and its inverse modulo 2^64: 10^36 = 2^36 * 5^36. */
static const u128 FIVE36 = (u128)0xc097cULL << 64 | 0xe7bc90715b34b9f1ULL;
static const uint64_t FIVE36_INV = 0x44d93b01be7b1711ULL; /* FIVE36 * FIVE36_INV = 1 (mod 2^64) */

/* D when Y (the magnitude of a divisor) is D * 10^36 for a whole D under
   2^64 (a count, as most divisors are); 0 otherwise. Exact division by
   the inverse of 5^36, checked by multiplying back. */
static uint64_t whole_divisor(const mp_limb_t y[4]) {
  if (y[3] || (y[0] & ((1ULL << 36) - 1))) return 0; /* 2^36 divides 10^36; D * 10^36 < 2^184 */
  uint64_t s0 = y[0] >> 36 | y[1] << 28, s1 = y[1] >> 36 | y[2] << 28, s2 = y[2] >> 36; /* Y / 2^36 */
  uint64_t d = s0 * FIVE36_INV;
  u128 lo = (u128)d * (uint64_t)FIVE36, hi = (u128)d * (uint64_t)(FIVE36 >> 64) + (uint64_t)(lo >> 64);
  return (uint64_t)lo == s0 && (uint64_t)hi == s1 && (uint64_t)(hi >> 64) == s2 ? d : 0;
}

/* The quotient of |A| (X, XN limbs) by a whole divisor D * 10^36: |A| / D,
   rounded half up, is the general path's |A| * 10^36 / (D * 10^36) with
   its remainder scaled alike. */
static void whole_divide(const mp_limb_t x[4], mp_size_t xn, uint64_t d, bool neg, rb_wide *out) {
  mp_limb_t q[5] = {0};
  uint64_t rem = div_limbs(x, (int)xn, q, divisor_of(d));
  if (rem >= d - rem) /* twice the remainder reaches the divisor: half up */
    for (int i = 0; i < 5 && ++q[i] == 0; i++) {
    }
  wide_store(q, 5, neg, out);
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
  uint64_t d = whole_divisor(y);
  if (d) {
    whole_divide(x, xn, d, neg, out);
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

rb_fixed rubric_wide_round_to(const rb_wide *v, int32_t decimals) {
  assert(decimals >= 0 && decimals <= FIXED_DECIMALS);
  mp_limb_t m[4], q[4] = {0, 0, 0, 0};
  bool neg = wide_magnitude(v, m);
  if (!within(m, 4)) return FIXED_ERROR;
  uint64_t r18 = div_1e18(m, (int)used(m, 4), q); /* |V| = q * 10^18 + r18: q has 18 decimals, under 10^38 */
  u128 qq = ((u128)q[1] << 64) | q[0];
  int drop = FIXED_DECIMALS - decimals; /* of q's 18 decimals */
  if (drop == 0) {
    if (r18 >= (uint64_t)FIXED_ONE / 2) qq++;
    return signed_result(qq, neg);
  }
  /* q = q2 * 10^drop + r2; the whole remainder r2 * 10^18 + r18 is at least
     half of 10^(drop + 18) exactly when r2 is at least half of 10^drop */
  uint64_t b = 1;
  for (int i = 0; i < drop; i++) b *= 10;
  uint64_t q2[2], r2 = div_limbs(q, 2, q2, divisor_of(b));
  u128 kept = ((u128)q2[1] << 64) | q2[0];
  if (r2 >= b / 2) kept++;
  return signed_result(kept * b, neg); /* kept * b <= q + b: no wrap */
}

rb_fixed rubric_wide_result_small(rb_fixed v) {
  /* |V| <= 2^127 at 36 decimals: a number, and so is its rounding (under 341) */
  bool neg = v < 0;
  u128 m = neg ? (u128)0 - (u128)v : (u128)v;
  uint64_t limb[2] = {(uint64_t)m, (uint64_t)(m >> 64)}, q[2];
  uint64_t r = div_limbs(limb, 2, q, &D18);
  u128 qq = ((u128)q[1] << 64) | q[0];
  if (r >= (uint64_t)FIXED_ONE / 2) qq++; /* half up */
  return neg ? -(rb_fixed)qq : (rb_fixed)qq;
}

rb_fixed rubric_wide_result(const rb_wide *v) {
  mp_limb_t m[4], q[4];
  bool neg = wide_magnitude(v, m);
  if (!within(m, 4)) return FIXED_ERROR;
  q[0] = q[1] = q[2] = q[3] = 0;
  uint64_t r = div_1e18(m, (int)used(m, 4), q); /* the limbs in use: a result is mostly two or three */
  if (q[2] || q[3]) return FIXED_ERROR;
  u128 qq = ((u128)q[1] << 64) | q[0];
  if (r >= (uint64_t)FIXED_ONE / 2) qq++; /* half up */
  return signed_result(qq, neg);
}
