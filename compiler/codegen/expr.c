/* expr.c: an expression of the checked scheme as straight-line IR over
 * values with 36 decimals in i256 (compiler/fixed.h, rb_wide; columns hold
 * numbers with 18, widened as they are read).
 *
 * Sums, differences and comparisons are plain i256 instructions, checked
 * for leaving the range; products, quotients and whole parts call the
 * runtime's exact routines (abi.h), which answer a value out of range when
 * the result is not a number. Tiers and clamps become selects, per-period
 * values are unrolled (one SSA value per period; a costly argument of a
 * reduction is a loop over the periods instead, periods.c), and form calls are
 * inlined: the body is evaluated with each parameter standing for its
 * argument expression (call by name; the expressions are pure). Every value
 * is computed under a guard, the condition for it to be used, so a division
 * by zero, an overflow or an `undefined` counts only on the path a row
 * really takes.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"

val cg_one(cg *c, LLVMValueRef v) {
  val x = {1, arena_alloc(c->arena, sizeof(LLVMValueRef))};
  x.v[0] = v;
  return x;
}

static val make(cg *c, int n) {
  val x = {n, arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(n ? n : 1))};
  return x;
}

static LLVMValueRef at(val x, int k) { return x.v[x.n == 1 ? 0 : k]; }
static int wider(val a, val b) { return a.n > b.n ? a.n : b.n; }
val cg_always(void) { return (val){0, NULL}; }

/* A wide routine (its function of values) of one or two values. */
static LLVMValueRef wide_call(cg *c, LLVMValueRef fn, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef args[2] = {a, b};
  return LLVMBuildCall2(c->b, b ? c->wide2_ty : c->wide1_ty, fn, args, b ? 2 : 1, "");
}

/* guard AND cond, elementwise; an absent guard is true. */
static val both(cg *c, val g, val cond) {
  if (g.n == 0) return cond;
  val r = make(c, wider(g, cond));
  for (int k = 0; k < r.n; k++) r.v[k] = LLVMBuildAnd(c->b, at(g, k), at(cond, k), "g");
  return r;
}

static val negate(cg *c, val x) {
  val r = make(c, x.n);
  for (int k = 0; k < x.n; k++) r.v[k] = LLVMBuildNot(c->b, x.v[k], "not");
  return r;
}

int cg_add_site(cg *c, cg_site_kind kind, rb_loc loc, const char *reason) {
  if (c->nsites == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 16;
    c->sites = realloc(c->sites, sizeof *c->sites * (size_t)c->cap);
    if (!c->sites) abort();
  }
  c->sites[c->nsites] = (cg_site){kind, c->part, c->target, loc, reason};
  return ++c->nsites; /* status value: 1 + index */
}

/* The part fails at SITE wherever guard (and FAIL, if given) holds, unless
   an earlier site already stopped it. */
void cg_record(cg *c, val g, val fail, int site) {
  val when = fail.n ? both(c, g, fail) : g;
  LLVMValueRef code = LLVMConstInt(c->i32, (unsigned long long)site, 0);
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  if (when.n == 0) {
    LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, c->status, zero, "clean");
    c->status = LLVMBuildSelect(c->b, clean, code, c->status, "status");
    return;
  }
  for (int k = 0; k < when.n; k++) {
    LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, c->status, zero, "clean");
    LLVMValueRef hit = LLVMBuildAnd(c->b, clean, when.v[k], "hit");
    c->status = LLVMBuildSelect(c->b, hit, code, c->status, "status");
  }
}

/* 2^255 - 1: not a number, as arith.c's WIDE_ERROR. */
static LLVMValueRef wide_not_a_number(cg *c) {
  const uint64_t words[4] = {~0ULL, ~0ULL, ~0ULL, ~0ULL >> 1};
  return LLVMConstIntOfArbitraryPrecision(c->wx, 4, words);
}

/* K (a constant, wide) as the integer M it is, when K = M * 10^36 * 10^-SCALE
   for an integer M under 2^64 in magnitude (SCALE 0: K is a whole number;
   SCALE 72: K is 1/M, read from 10^72 / K); NULL otherwise. */
static LLVMValueRef constant_integer(cg *c, LLVMValueRef k, bool reciprocal) {
  if (!LLVMIsAConstantInt(k)) return NULL;
  uint64_t w36[4] = {0xb34b9f1000000000ULL, 0xc097ce7bc90715ULL, 0, 0}; /* 10^36 */
  LLVMValueRef ten36 = LLVMConstIntOfArbitraryPrecision(c->wx, 4, w36);
  LLVMValueRef neg = LLVMBuildICmp(c->b, LLVMIntSLT, k, cg_wide(c, 0), "");
  if (!LLVMIsAConstantInt(neg)) return NULL;
  if (LLVMConstIntGetZExtValue(neg)) { /* a falling line's slope, -4: M of its magnitude, negated */
    LLVMValueRef m = constant_integer(c, LLVMBuildNeg(c->b, k, ""), reciprocal);
    return m ? LLVMBuildNeg(c->b, m, "") : NULL;
  }
  if (LLVMIsNull(k)) return NULL;
  LLVMValueRef num = reciprocal ? ten36 : k, den = reciprocal ? k : ten36;
  LLVMValueRef rem = LLVMBuildURem(c->b, num, den, ""), m = LLVMBuildUDiv(c->b, num, den, "");
  LLVMValueRef small = LLVMBuildICmp(c->b, LLVMIntULT, m, LLVMConstInt(c->wx, 1ULL << 62, 0), "");
  if (!LLVMIsAConstantInt(rem) || !LLVMIsAConstantInt(m) || !LLVMIsAConstantInt(small)) return NULL;
  if (LLVMConstIntGetZExtValue(rem) != 0 || !LLVMConstIntGetZExtValue(small)) return NULL;
  return m;
}

/* X * M for a small integer M, exact; not a number when X is not. */
static LLVMValueRef times_integer(cg *c, LLVMValueRef x, LLVMValueRef m) {
  /* |X| < 10^56 and |M| < 2^62: the product stays under 2^249 */
  return LLVMBuildSelect(c->b, cg_not_number(c, x), wide_not_a_number(c), LLVMBuildMul(c->b, x, m, "times"), "");
}

/* A * B or A / B with no routine where the result is exact without one:
   two values of 18 decimals multiply exactly (at most 36 decimals), a
   value times a whole number, or divided by 1/M (0.002 = 1/500), is a
   multiplication by an integer. NULL otherwise. Not a number (WIDE_ERROR's
   value) when an operand is not, as the routines answer. */
static LLVMValueRef exact_arith(cg *c, bool divide, LLVMValueRef a, LLVMValueRef b) {
  LLVMValueRef m;
  if (divide) return (m = constant_integer(c, b, true)) ? times_integer(c, a, m) : NULL;
  if ((m = constant_integer(c, b, false))) return times_integer(c, a, m);
  if ((m = constant_integer(c, a, false))) return times_integer(c, b, m);
  int ba, bb;
  LLVMValueRef na = cg_narrow_of(c, a, &ba);
  LLVMValueRef nb = na ? cg_narrow_of(c, b, &bb) : NULL;
  if (!nb || ba + bb > 256) return NULL; /* |product| < 2^(ba-1) * 2^(bb-1) <= 2^254 */
  LLVMValueRef ok = LLVMBuildAnd(c->b, cg_narrow_is_number(c, na), cg_narrow_is_number(c, nb), "");
  return LLVMBuildSelect(c->b, ok, LLVMBuildMul(c->b, na, nb, "product"), wide_not_a_number(c), "");
}

LLVMValueRef cg_settle(cg *c, LLVMValueRef x, val g, rb_loc loc) {
  LLVMValueRef r = cg_settle_of(c, x);
  cg_record(c, g, cg_one(c, cg_not_fixed(c, r)), cg_add_site(c, SITE_OVERFLOW, loc, NULL));
  return r;
}

/* A failed score: fixed_error(status). */
LLVMValueRef cg_error_value(cg *c, LLVMValueRef status) {
  return LLVMBuildAdd(c->b, cg_fixed(c, FIXED_ERROR), LLVMBuildZExt(c->b, status, c->fx, ""), "err");
}

LLVMValueRef cg_call(cg *c, LLVMValueRef fn, LLVMTypeRef ty, LLVMValueRef *args, unsigned n) {
  return LLVMBuildCall2(c->b, ty, fn, args, n, "");
}

/* A runtime routine of two values: product or quotient. Where its result
   is not a number and G holds, the part fails at an overflow site at LOC. */
static val arith2(cg *c, LLVMValueRef fn, val a, val b, val g, rb_loc loc) {
  val out = make(c, wider(a, b)), bad = make(c, out.n);
  for (int k = 0; k < out.n; k++) {
    out.v[k] = fn == c->fn_wmul || fn == c->fn_wdiv ? exact_arith(c, fn == c->fn_wdiv, at(a, k), at(b, k)) : NULL;
    if (!out.v[k]) out.v[k] = wide_call(c, fn, at(a, k), at(b, k));
    bad.v[k] = cg_not_number(c, out.v[k]);
  }
  cg_record(c, g, bad, cg_add_site(c, SITE_OVERFLOW, loc, NULL));
  return out;
}

/* A sum or difference, checked for leaving the range. */
static LLVMValueRef add_checked(cg *c, LLVMValueRef a, LLVMValueRef b, bool sub, LLVMValueRef *bad) {
  LLVMValueRef r = cg_on_128_bits(c, sub ? LLVMBuildSub(c->b, a, b, "sub") : LLVMBuildAdd(c->b, a, b, "add"));
  /* both operands are numbers, so the exact result is below 2*10^56 < 2^255:
     the i256 result itself never wraps; only the range can be left */
  *bad = *bad ? LLVMBuildOr(c->b, *bad, cg_not_number(c, r), "") : cg_not_number(c, r);
  return r;
}

static val eval_binary(cg *c, const sc_expr *e, val g, env *en) {
  ex_op op = e->bin.op;
  val l = cg_eval(c, e->bin.lhs, g, en);
  if (op == OP_AND || op == OP_OR) {
    /* the right side only counts where the left does not decide */
    val r = cg_eval(c, e->bin.rhs, both(c, g, op == OP_AND ? l : negate(c, l)), en);
    val out = make(c, wider(l, r));
    for (int k = 0; k < out.n; k++)
      out.v[k] = op == OP_AND ? LLVMBuildAnd(c->b, at(l, k), at(r, k), "and")
                              : LLVMBuildOr(c->b, at(l, k), at(r, k), "or");
    return out;
  }
  val r = cg_eval(c, e->bin.rhs, g, en);
  if (op == OP_MUL) return arith2(c, c->fn_wmul, l, r, g, e->loc);
  if (op == OP_DIV) {
    val zero = make(c, r.n);
    for (int k = 0; k < r.n; k++) zero.v[k] = LLVMBuildICmp(c->b, LLVMIntEQ, r.v[k], cg_wide(c, 0), "den0");
    cg_record(c, g, zero, cg_add_site(c, SITE_DIV_ZERO, e->loc, NULL));
    return arith2(c, c->fn_wdiv, l, r, g, e->loc);
  }
  val out = make(c, wider(l, r));
  if (op == OP_ADD || op == OP_SUB) {
    val bad = make(c, out.n);
    for (int k = 0; k < out.n; k++) {
      bad.v[k] = NULL;
      out.v[k] = add_checked(c, at(l, k), at(r, k), op == OP_SUB, &bad.v[k]);
    }
    cg_record(c, g, bad, cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
    return out;
  }
  static const LLVMIntPredicate pred[] = {[OP_LT] = LLVMIntSLT, [OP_LE] = LLVMIntSLE, [OP_GT] = LLVMIntSGT,
                                          [OP_GE] = LLVMIntSGE, [OP_EQ] = LLVMIntEQ, [OP_NE] = LLVMIntNE};
  assert(op >= OP_LT && op <= OP_NE);
  for (int k = 0; k < out.n; k++) out.v[k] = LLVMBuildICmp(c->b, pred[op], at(l, k), at(r, k), "cmp");
  return out;
}

/* First matching tier wins: conditions are tested in order, each value counts
   only where its tier is the one taken. */
static val eval_tiers(cg *c, const sc_expr *e, val g, env *en) {
  int n = e->tiers.n;
  val *conds = arena_alloc(c->arena, sizeof(val) * (size_t)(n ? n : 1));
  val *vals = arena_alloc(c->arena, sizeof(val) * (size_t)(n ? n : 1));
  val rest = g; /* no earlier tier matched */
  for (int i = 0; i < n; i++) {
    const sc_tier *t = &e->tiers.tier[i];
    conds[i] = cg_eval(c, t->cond, rest, en);
    vals[i] = cg_eval(c, t->value, both(c, rest, conds[i]), en);
    rest = both(c, rest, negate(c, conds[i]));
  }
  /* The checker proved the tiers cover every value: without `otherwise` the
     last select's other side is never taken. */
  val result = e->tiers.otherwise ? cg_eval(c, e->tiers.otherwise, rest, en) : cg_one(c, cg_wide(c, 0));
  for (int i = n - 1; i >= 0; i--) {
    int w = wider(conds[i], vals[i]);
    if (result.n > w) w = result.n;
    val r = make(c, w);
    for (int k = 0; k < w; k++) r.v[k] = LLVMBuildSelect(c->b, at(conds[i], k), at(vals[i], k), at(result, k), "tier");
    result = r;
  }
  for (int k = 0; k < result.n; k++) result.v[k] = cg_on_128_bits(c, result.v[k]);
  return result;
}

/* A peer statistic of this row (written by its stage's pass). A statistic
   that is not a number means some peer's value failed: the row fails too,
   where it reads it. */
static LLVMValueRef stat_value(cg *c, const sc_expr *e, int k, val g) {
  LLVMValueRef p = LLVMBuildGEP2(c->b, c->fx, c->stat_ptr[k], &c->row, 1, "");
  LLVMValueRef x = LLVMBuildLoad2(c->b, c->fx, p, "stat");
  /* FIXED_EMPTY: the group's sum reached 10^20 (peers.c); any other
     non-number: some peer's value failed */
  LLVMValueRef over = LLVMBuildICmp(c->b, LLVMIntEQ, x, cg_fixed(c, FIXED_EMPTY), "over");
  cg_record(c, g, cg_one(c, over), cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
  cg_record(c, g, cg_one(c, cg_not_fixed(c, x)), cg_add_site(c, SITE_PEER, e->loc, NULL));
  return cg_widen(c, x);
}

/* The quotient A / B where B > 0, else OTHER; its overflow recorded. */
static LLVMValueRef ratio_or(cg *c, LLVMValueRef a, LLVMValueRef b, LLVMValueRef other, val g, rb_loc loc) {
  LLVMValueRef pos = LLVMBuildICmp(c->b, LLVMIntSGT, b, cg_wide(c, 0), "");
  LLVMValueRef safe = LLVMBuildSelect(c->b, pos, b, cg_int(c, 1), "");
  LLVMValueRef q = arith2(c, c->fn_wdiv, cg_one(c, a), cg_one(c, safe), both(c, g, cg_one(c, pos)), loc).v[0];
  return LLVMBuildSelect(c->b, pos, q, other, "ratio");
}

/* peers.*(x): the statistics come from the passes before; x is this row's own
   value. The tie rules are in spec/semantics.md#peers. */
static val eval_peer(cg *c, const sc_expr *e, val g, env *en) {
  bi_kind bi = e->peer.fn;
  /* the row's own value first, whatever the aggregate: if it fails, that is
     the error to report; taken as its stage's pass took it, rounded to 18
     decimals, so the largest ratio is exactly 1 */
  LLVMValueRef x = NULL;
  if (e->peer.arg) x = cg_widen(c, cg_settle(c, cg_eval(c, e->peer.arg, g, en).v[0], g, e->loc));
  LLVMValueRef a = stat_value(c, e, e->peer.stat[0], g);
  LLVMValueRef b = e->peer.stat[1] >= 0 ? stat_value(c, e, e->peer.stat[1], g) : NULL;
  switch (bi) {
  case BI_PEER_RATIO_TO_MAX:
  case BI_PEER_SHARE: /* x / max or x / sum; 0 when that is 0 or less */
    return cg_one(c, ratio_or(c, x, a, cg_wide(c, 0), g, e->loc));
  case BI_PEER_MINMAX: { /* (x - min) / (max - min); 1 when every peer ties */
    LLVMValueRef bad = NULL;
    LLVMValueRef width = add_checked(c, b, a, true, &bad);
    LLVMValueRef above = add_checked(c, x, a, true, &bad);
    cg_record(c, g, cg_one(c, bad), cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
    return cg_one(c, ratio_or(c, above, width, cg_int(c, 1), g, e->loc));
  }
  case BI_PEER_RANK_RATIO: { /* (count - rank + 1) / count */
    LLVMValueRef top = LLVMBuildAdd(c->b, LLVMBuildSub(c->b, b, a, ""), cg_int(c, 1), "");
    return cg_one(c, ratio_or(c, top, b, cg_wide(c, 0), g, e->loc));
  }
  default: return cg_one(c, a); /* max, min, mean, sum, count, rank */
  }
}

/* The guard under which a per-period argument of latest, previous or growth
   is computed: G in the periods FN reads, false in the others, so that a
   period it does not read cannot fail the row. */
static val periods_read(cg *c, bi_kind fn, val g) {
  int m = c->nperiods;
  val r = make(c, m);
  for (int k = 0; k < m; k++) {
    bool read = (k == m - 1 && fn != BI_PREVIOUS) || (k == m - 2 && fn != BI_LATEST);
    r.v[k] = !read ? LLVMConstInt(c->i1, 0, 0) : g.n ? at(g, k) : LLVMConstInt(c->i1, 1, 0);
  }
  return r;
}

/* The calendar column's number at index IDX (i64). */
static LLVMValueRef calendar_cell(cg *c, LLVMValueRef idx, const char *name) {
  return LLVMBuildLoad2(c->b, c->fx, LLVMBuildGEP2(c->b, c->fx, c->calendar, &idx, 1, ""), name);
}

/* The calendar's W at day X (a wide day number): *inside says whether the
   calendar covers it; where it does not, W of its first day is read, so the
   load stays within the column (the row fails there anyway). */
static LLVMValueRef calendar_at(cg *c, LLVMValueRef x, LLVMValueRef *inside) {
  LLVMTypeRef i256 = c->wx;
  LLVMValueRef day = LLVMBuildSDiv(c->b, x, cg_int(c, 1), "day"); /* wide: 10^36 per day */
  LLVMValueRef first = LLVMBuildSExt(c->b, calendar_cell(c, LLVMConstInt(c->i64, ABI_CALENDAR_FIRST, 0), "first"), i256, "");
  LLVMValueRef days = LLVMBuildSExt(c->b, calendar_cell(c, LLVMConstInt(c->i64, ABI_CALENDAR_DAYS, 0), "days"), i256, "");
  LLVMValueRef idx = LLVMBuildSub(c->b, day, first, "idx");
  LLVMValueRef ge = LLVMBuildICmp(c->b, LLVMIntSGE, idx, LLVMConstInt(i256, 0, 0), "");
  LLVMValueRef lt = LLVMBuildICmp(c->b, LLVMIntSLT, idx, days, "");
  *inside = LLVMBuildAnd(c->b, ge, lt, "inside");
  idx = LLVMBuildSelect(c->b, *inside, idx, LLVMConstInt(i256, 0, 0), "");
  idx = LLVMBuildAdd(c->b, LLVMBuildTrunc(c->b, idx, c->i64, ""), LLVMConstInt(c->i64, ABI_CALENDAR_W, 0), "");
  return cg_widen(c, calendar_cell(c, idx, "w"));
}

/* workdays(a, b): W[b] - W[a], the working days after a up to and
   including b; a date the calendar does not cover fails the row. */
static val workdays(cg *c, const sc_expr *e, const val *args, int w, val g) {
  val r = make(c, w), bad = make(c, w);
  for (int k = 0; k < w; k++) {
    LLVMValueRef in_a, in_b;
    LLVMValueRef wa = calendar_at(c, at(args[0], k), &in_a), wb = calendar_at(c, at(args[1], k), &in_b);
    r.v[k] = LLVMBuildSub(c->b, wb, wa, "workdays");
    bad.v[k] = LLVMBuildNot(c->b, LLVMBuildAnd(c->b, in_a, in_b, ""), "outside");
  }
  cg_record(c, g, bad, cg_add_site(c, SITE_CALENDAR, e->loc, NULL));
  return r;
}

/* The guard of the arguments of a call that reduces the periods to one
   value (sum, mean, count, best, min or max of one argument): it reads every
   period whenever its one value is needed in some period of G, so under a
   per-period G (inside latest, previous or growth) its arguments are
   computed, and fail, in every period where any period of G holds. */
static val any_period(cg *c, val g) {
  if (g.n <= 1) return g;
  LLVMValueRef any = g.v[0];
  for (int k = 1; k < g.n; k++) any = LLVMBuildOr(c->b, any, g.v[k], "any");
  return cg_one(c, any);
}

/* The running sum of a loop over the periods, with V this period's term:
   on 128 bits when V has 18 decimals and the sum of every period's fits
   them (bits of a term, and of the count of periods), else on 256. */
static LLVMValueRef period_sum(cg *c, cg_period_loop *L, LLVMValueRef v) {
  int bits;
  LLVMValueRef n = cg_narrow_of(c, v, &bits);
  if (!n || bits + (64 - __builtin_clzll((unsigned long long)c->nperiods)) > 128)
    return LLVMBuildAdd(c->b, L->acc, v, "sum");
  L->next128 = LLVMBuildNSWAdd(c->b, cg_periods_acc128(c, L), cg_narrow_128(c, n), "sum");
  return cg_widen(c, L->next128);
}

/* The end of sum, mean and count: ACC, the exact sum of TERMS terms (or
   of the ones counted); the mean divides it, the sum must be a number. */
static val summed(cg *c, const sc_expr *e, LLVMValueRef acc, int terms, val g) {
  acc = cg_on_128_bits(c, acc);
  if (e->call.fn == BI_MEAN) return arith2(c, c->fn_wdiv, cg_one(c, acc), cg_one(c, cg_int(c, terms)), g, e->loc);
  if (e->call.fn == BI_SUM)
    cg_record(c, g, cg_one(c, cg_not_number(c, acc)), cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
  return cg_one(c, acc);
}

static val eval_builtin(cg *c, const sc_expr *e, val g, env *en) {
  int n = e->call.nargs;
  bool picks = e->call.fn == BI_LATEST || e->call.fn == BI_PREVIOUS || e->call.fn == BI_GROWTH;
  bool reduces = e->call.fn == BI_SUM || e->call.fn == BI_MEAN || e->call.fn == BI_COUNT || e->call.fn == BI_BEST ||
                 ((e->call.fn == BI_MIN || e->call.fn == BI_MAX) && n == 1);
  val *args = arena_alloc(c->arena, sizeof(val) * (size_t)(n ? n : 1));
  int w = 1;
  if (reduces) g = any_period(c, g);
  if (reduces && e->call.fn != BI_BEST && n == 1 && cg_loops_over_periods(c, e->call.args[0])) {
    bi_kind fn = e->call.fn;
    cg_period_loop L;
    cg_periods_begin(c, fn, &L);
    LLVMValueRef v = cg_eval(c, e->call.args[0], g, en).v[0];
    if (fn == BI_COUNT) v = LLVMBuildSelect(c->b, v, cg_int(c, 1), cg_wide(c, 0), "one");
    LLVMValueRef acc = cg_periods_end(c, &L, fn == BI_MIN   ? cg_min(c, L.acc, v)
                                             : fn == BI_MAX ? cg_max(c, L.acc, v)
                                                            : period_sum(c, &L, v));
    return fn == BI_MIN || fn == BI_MAX ? cg_one(c, acc) : summed(c, e, acc, c->nperiods, g);
  }
  for (int i = 0; i < n; i++) {
    args[i] = cg_eval(c, e->call.args[i], picks ? periods_read(c, e->call.fn, g) : g, en);
    if (args[i].n > w) w = args[i].n;
  }
  switch (e->call.fn) {
  case BI_SUM:
  case BI_MEAN:
  case BI_COUNT: {
    /* over every argument and every period, left to right; exact: the terms
       are under 10^56 and at most the limits' 10^5 of them, far from 2^255,
       so a running total may pass 10^20 on the way; only the sum, or the
       mean after its division, must be a number */
    LLVMValueRef acc = NULL;
    int terms = 0;
    for (int i = 0; i < n; i++)
      for (int k = 0; k < args[i].n; k++, terms++) {
        LLVMValueRef x = args[i].v[k];
        if (e->call.fn == BI_COUNT) x = LLVMBuildSelect(c->b, x, cg_int(c, 1), cg_wide(c, 0), "one");
        acc = acc ? LLVMBuildAdd(c->b, acc, x, "sum") : x;
      }
    return summed(c, e, acc, terms, g);
  }
  case BI_BEST: {
    /* the k largest of every value of every argument after the first (a
       whole number, checked): k passes of a bubble, each carrying the
       largest value left to the front, then their sum, exact as sum's */
    int k = (int)dec_to_double(e->call.args[0]->number), nv = 0;
    for (int i = 1; i < n; i++) nv += args[i].n;
    LLVMValueRef *xs = arena_alloc(c->arena, sizeof *xs * (size_t)nv);
    nv = 0;
    for (int i = 1; i < n; i++)
      for (int p = 0; p < args[i].n; p++) xs[nv++] = args[i].v[p];
    for (int i = 0; i < k; i++)
      for (int j = nv - 1; j > i; j--) {
        LLVMValueRef a = xs[j - 1], b = xs[j];
        xs[j - 1] = cg_max(c, a, b);
        xs[j] = cg_min(c, a, b);
      }
    LLVMValueRef acc = xs[0];
    for (int i = 1; i < k; i++) acc = LLVMBuildAdd(c->b, acc, xs[i], "best");
    cg_record(c, g, cg_one(c, cg_not_number(c, acc)), cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
    return cg_one(c, acc);
  }
  case BI_MIN:
  case BI_MAX: {
    bool is_min = e->call.fn == BI_MIN;
    if (n == 1) { /* over the periods */
      LLVMValueRef acc = args[0].v[0];
      for (int k = 1; k < args[0].n; k++) acc = is_min ? cg_min(c, acc, args[0].v[k]) : cg_max(c, acc, args[0].v[k]);
      return cg_one(c, acc);
    }
    val r = make(c, w);
    for (int k = 0; k < w; k++) {
      LLVMValueRef acc = at(args[0], k);
      for (int i = 1; i < n; i++) acc = is_min ? cg_min(c, acc, at(args[i], k)) : cg_max(c, acc, at(args[i], k));
      r.v[k] = acc;
    }
    return r;
  }
  case BI_CLAMP: {
    val r = make(c, args[0].n);
    for (int k = 0; k < r.n; k++) r.v[k] = cg_min(c, cg_max(c, args[0].v[k], at(args[1], 0)), at(args[2], 0));
    return r;
  }
  case BI_ABS: {
    val r = make(c, args[0].n);
    for (int k = 0; k < r.n; k++) {
      LLVMValueRef x = args[0].v[k];
      LLVMValueRef neg = LLVMBuildICmp(c->b, LLVMIntSLT, x, cg_wide(c, 0), "");
      r.v[k] = LLVMBuildSelect(c->b, neg, LLVMBuildNeg(c->b, x, ""), x, "abs");
    }
    return r;
  }
  case BI_CEIL:
  case BI_FLOOR: {
    LLVMValueRef fn = e->call.fn == BI_CEIL ? c->fn_wceil : c->fn_wfloor;
    val r = make(c, args[0].n), bad = make(c, args[0].n);
    for (int k = 0; k < r.n; k++) {
      r.v[k] = wide_call(c, fn, args[0].v[k], NULL);
      bad.v[k] = cg_not_number(c, r.v[k]);
    }
    cg_record(c, g, bad, cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
    return r;
  }
  case BI_DAYS_BETWEEN: { /* day numbers: b - a, a whole number of days */
    val r = make(c, w);
    for (int k = 0; k < w; k++) r.v[k] = LLVMBuildSub(c->b, at(args[1], k), at(args[0], k), "days");
    return r;
  }
  case BI_WORKDAYS: return workdays(c, e, args, w, g);
  case BI_LATEST: return cg_one(c, args[0].v[args[0].n - 1]);
  case BI_PREVIOUS: return cg_one(c, args[0].v[args[0].n - 2]);
  case BI_GROWTH: {
    LLVMValueRef last = args[0].v[args[0].n - 1], prev = args[0].v[args[0].n - 2];
    val zero = cg_one(c, LLVMBuildICmp(c->b, LLVMIntEQ, prev, cg_wide(c, 0), "prev0"));
    cg_record(c, g, zero, cg_add_site(c, SITE_DIV_ZERO, e->loc, NULL));
    LLVMValueRef q = arith2(c, c->fn_wdiv, cg_one(c, last), cg_one(c, prev), g, e->loc).v[0];
    LLVMValueRef bad = NULL;
    LLVMValueRef r = add_checked(c, q, cg_int(c, 1), true, &bad);
    cg_record(c, g, cg_one(c, bad), cg_add_site(c, SITE_OVERFLOW, e->loc, NULL));
    return cg_one(c, r);
  }
  default: assert(0);
  }
  return cg_one(c, cg_wide(c, 0));
}

LLVMValueRef cg_input_at(cg *c, const sc_input *in, LLVMValueRef period, const char *name) {
  int input = in->index; /* a record table's field in its pass (records.c): never per period */
  LLVMValueRef idx = c->row;
  if (period && !(LLVMIsAConstantInt(period) && LLVMConstIntGetZExtValue(period) == 0))
    idx = LLVMBuildAdd(c->b, LLVMBuildMul(c->b, period, c->stride, ""), c->row, "");
  if (c->fields) return LLVMBuildLoad2(c->b, c->fx, LLVMBuildGEP2(c->b, c->fx, c->in_col[input], &idx, 1, ""), name);
  /* a cell read before in this row, outside a loop over the months: its
     value, which dominates the rest of the row (the code of a row is
     straight but for these reads and those loops) */
  LLVMValueRef *seen = NULL;
  if (!c->period && (!period || LLVMIsAConstantInt(period)))
    seen = &c->cells[input * c->nperiods + (period ? (int)LLVMConstIntGetZExtValue(period) : 0)];
  if (seen && *seen) return *seen;
  /* a cell (abi.h, abi_cell_of: 4 or 8 bytes of whole units or of
     10^-9), or below them one the runtime reads (empty, bad, kept aside),
     on a branch never taken in the usual table */
  abi_cell form = abi_cell_of(in->type);
  LLVMTypeRef cell_ty = form == ABI_CELL_UNITS8 ? c->i64 : c->i32;
  LLVMValueRef at = LLVMBuildAdd(c->b, idx, c->lo, "at"); /* the column is not moved to row LO (abi.h) */
  LLVMValueRef cell = LLVMBuildGEP2(c->b, cell_ty, c->in_col[input], &at, 1, "cell");
  LLVMValueRef x = LLVMBuildLoad2(c->b, cell_ty, cell, name);
  LLVMValueRef units = LLVMBuildNSWMul(c->b, LLVMBuildSExt(c->b, x, c->fx, ""), cg_fixed(c, abi_cell_unit(form)), "units");
  LLVMValueRef plain = LLVMBuildICmp(c->b, LLVMIntSGE, x, LLVMConstInt(cell_ty, (unsigned long long)abi_cell_least(form), 1), "");
  LLVMBasicBlockRef from = LLVMGetInsertBlock(c->b);
  LLVMValueRef fn = LLVMGetBasicBlockParent(from);
  LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(c->ctx, fn, "cell_aside");
  LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(c->ctx, fn, "cell_read");
  LLVMValueRef br = LLVMBuildCondBr(c->b, plain, join, slow);
  LLVMMetadataRef weights[3] = {LLVMMDStringInContext2(c->ctx, "branch_weights", 14),
                                LLVMValueAsMetadata(LLVMConstInt(c->i32, 1 << 20, 0)),
                                LLVMValueAsMetadata(LLVMConstInt(c->i32, 1, 0))};
  LLVMSetMetadata(br, LLVMGetMDKindIDInContext(c->ctx, "prof", 4),
                  LLVMMetadataAsValue(c->ctx, LLVMMDNodeInContext2(c->ctx, weights, 3)));
  LLVMPositionBuilderAtEnd(c->b, slow);
  LLVMValueRef args[2] = {c->in_col[input], at};
  LLVMValueRef kept = cg_call(c, c->fn_narrow, c->narrow_ty, args, 2);
  LLVMBuildBr(c->b, join);
  LLVMPositionBuilderAtEnd(c->b, join);
  LLVMValueRef v = LLVMBuildPhi(c->b, c->fx, name);
  LLVMValueRef vals[2] = {units, kept};
  LLVMBasicBlockRef blocks[2] = {from, slow};
  LLVMAddIncoming(v, vals, blocks, 2);
  if (seen) *seen = v;
  return v;
}

static val eval_input(cg *c, const sc_input *in) {
  int m = in->periodic ? c->nperiods : 1;
  if (c->period && in->periodic) m = 1; /* inside a loop over the periods: the period it reads */
  val r = make(c, m);
  for (int k = 0; k < m; k++) {
    LLVMValueRef p = c->period && in->periodic ? c->period : LLVMConstInt(c->i64, (unsigned long long)k, 0);
    LLVMValueRef x = cg_input_at(c, in, p, in->name);
    r.v[k] = in->type == IN_YESNO ? LLVMBuildICmp(c->b, LLVMIntNE, x, cg_fixed(c, 0), "yes") : cg_widen(c, x);
  }
  return r;
}

val cg_eval(cg *c, const sc_expr *e, val g, env *en) {
  switch (e->kind) {
  case SX_NUMBER: {
    rb_fixed v;
    bool ok = fixed_from_decimal(e->number, &v);
    assert(ok && "the checker refuses literals that are not numbers");
    (void)ok;
    return cg_one(c, cg_wide(c, v));
  }
  case SX_BOOL: return cg_one(c, LLVMConstInt(c->i1, e->boolean, 0));
  case SX_PARAM: {
    int i = e->param;
    if (en->memo[i].v && en->memo_guard[i].n == g.n && en->memo_guard[i].v == g.v) return en->memo[i];
    en->memo[i] = cg_eval(c, en->args[i], g, en->caller);
    en->memo_guard[i] = g;
    return en->memo[i];
  }
  case SX_LET: return cg_eval(c, e->let->value, g, NULL); /* a let names its expression */
  case SX_INPUT: return eval_input(c, e->input);
  case SX_FORM: {
    int np = e->form.form->nparams ? e->form.form->nparams : 1;
    env inner = {e->form.args, en, arena_alloc(c->arena, sizeof(val) * (size_t)np),
                 arena_alloc(c->arena, sizeof(val) * (size_t)np)};
    return cg_eval(c, e->form.form->body, g, &inner);
  }
  case SX_BUILTIN: return eval_builtin(c, e, g, en);
  case SX_PEER: return eval_peer(c, e, g, en);
  case SX_NEG: {
    val x = cg_eval(c, e->operand, g, en);
    val r = make(c, x.n);
    for (int k = 0; k < x.n; k++) r.v[k] = LLVMBuildNeg(c->b, x.v[k], "neg"); /* the range is symmetric */
    return r;
  }
  case SX_NOT: return negate(c, cg_eval(c, e->operand, g, en));
  case SX_BINARY: return eval_binary(c, e, g, en);
  case SX_TIERS: return eval_tiers(c, e, g, en);
  case SX_ITEMS: return cg_one(c, c->items_value);
  case SX_SUBJECT: return cg_one(c, c->subject_value);
  case SX_UNDEFINED:
    cg_record(c, g, cg_always(), cg_add_site(c, SITE_UNDEFINED, e->loc, e->reason));
    return cg_one(c, cg_wide(c, 0));
  }
  assert(0);
  return cg_one(c, cg_wide(c, 0));
}
