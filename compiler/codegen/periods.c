/* periods.c: a reduction over the periods (sum, mean, count, min or max of
 * one per-period argument) as a loop over the periods, so that a scheme's
 * code grows with its rules, not with its periods: `mean(new / firms)` over
 * twelve months is one division in a loop, not twelve (issue 12). A sum of
 * plain values (`mean(city_rank)`) stays unrolled: it is a few adds per
 * period, and as straight-line values the optimiser computes a let that
 * reads it in three places once, where it would keep three loops.
 *
 * The loop computes what the unrolled values computed, in the same order,
 * and reports the same failure: the sites of the argument are numbered in
 * the order the unrolled code recorded them, all periods of one site before
 * the next, so the first failure there is the lowest site that fails in
 * any period; the loop keeps that lowest one.
 */
#include <assert.h>

#include "cg.h"

/* Whether E can be computed one period at a time: made of numbers, inputs,
   lets, arithmetic, comparisons, tiers and the builtins that work period by
   period. Picks (latest, previous, growth), reductions, forms, peers and
   `undefined` keep the unrolled values. *PERIODIC: E reads a per-period
   input; *COSTLY: E multiplies, divides or picks a tier, work that a loop
   saves repeating. */
static bool by_period(const sc_expr *e, bool *periodic, bool *costly) {
  switch (e->kind) {
  case SX_NUMBER:
  case SX_BOOL: return true;
  case SX_INPUT:
    if (e->input->periodic) *periodic = true;
    return true;
  case SX_LET: return by_period(e->let->value, periodic, costly);
  case SX_NEG:
  case SX_NOT: return by_period(e->operand, periodic, costly);
  case SX_BINARY:
    if (e->bin.op == OP_MUL || e->bin.op == OP_DIV) *costly = true;
    return by_period(e->bin.lhs, periodic, costly) && by_period(e->bin.rhs, periodic, costly);
  case SX_TIERS:
    *costly = true;
    for (int i = 0; i < e->tiers.n; i++)
      if (!by_period(e->tiers.tier[i].cond, periodic, costly) || !by_period(e->tiers.tier[i].value, periodic, costly)) return false;
    return !e->tiers.otherwise || by_period(e->tiers.otherwise, periodic, costly);
  case SX_BUILTIN:
    switch (e->call.fn) {
    case BI_MIN:
    case BI_MAX:
      if (e->call.nargs < 2) return false; /* over the periods: a reduction */
      /* fall through */
    case BI_CEIL:
    case BI_FLOOR: *costly = true; /* fall through */
    case BI_ABS:
    case BI_DAYS_BETWEEN:
      for (int i = 0; i < e->call.nargs; i++)
        if (!by_period(e->call.args[i], periodic, costly)) return false;
      return true;
    case BI_CLAMP: { /* its bounds are read in period 0 when unrolled: one value each */
      bool bound_periodic = false;
      return by_period(e->call.args[0], periodic, costly) && by_period(e->call.args[1], &bound_periodic, costly) &&
             by_period(e->call.args[2], &bound_periodic, costly) && !bound_periodic;
    }
    default: return false;
    }
  default: return false;
  }
}

bool cg_loops_over_periods(const cg *c, const sc_expr *arg) {
  bool periodic = false, costly = false;
  return c->nperiods > 1 && by_period(arg, &periodic, &costly) && periodic && costly;
}

/* The i256 value with only bit 255 set (MIN) or every bit but it (MAX). */
static LLVMValueRef extreme(cg *c, bool max) {
  uint64_t w[4] = {0, 0, 0, 1ULL << 63};
  if (max) w[0] = w[1] = w[2] = ~0ULL, w[3] = ~0ULL >> 1;
  return LLVMConstIntOfArbitraryPrecision(c->wx, 4, w);
}

LLVMValueRef cg_reduce_periods(cg *c, bi_kind fn, const sc_expr *arg, val g, env *en) {
  assert(cg_loops_over_periods(c, arg));
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0), one = LLVMConstInt(c->i32, 1, 0);
  LLVMValueRef fn_of = LLVMGetBasicBlockParent(LLVMGetInsertBlock(c->b));
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(c->b);
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(c->ctx, fn_of, "period");
  LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(c->ctx, fn_of, "periods_done");
  LLVMValueRef before = c->status;
  LLVMBuildBr(c->b, body);

  LLVMPositionBuilderAtEnd(c->b, body);
  LLVMValueRef k = LLVMBuildPhi(c->b, c->i64, "p");
  LLVMValueRef acc = LLVMBuildPhi(c->b, c->wx, "acc");
  LLVMValueRef lowest = LLVMBuildPhi(c->b, c->i32, "site");
  c->period = k;
  c->status = zero; /* this period's first failure, on its own */
  LLVMValueRef v = cg_eval(c, arg, g, en).v[0];
  c->period = NULL;
  LLVMValueRef next_acc;
  switch (fn) {
  case BI_MIN: next_acc = cg_min(c, acc, v); break;
  case BI_MAX: next_acc = cg_max(c, acc, v); break;
  case BI_COUNT: v = LLVMBuildSelect(c->b, v, cg_int(c, 1), cg_wide(c, 0), "one"); /* fall through */
  default: next_acc = LLVMBuildAdd(c->b, acc, v, "sum"); break;
  }
  /* the lowest site of all periods: 0 (none) wraps to the largest */
  LLVMValueRef a = LLVMBuildSub(c->b, lowest, one, ""), b = LLVMBuildSub(c->b, c->status, one, "");
  LLVMValueRef next_lowest =
      LLVMBuildAdd(c->b, LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntULT, a, b, ""), a, b, ""), one, "site");
  LLVMValueRef next_k = LLVMBuildAdd(c->b, k, LLVMConstInt(c->i64, 1, 0), "");
  LLVMValueRef more = LLVMBuildICmp(c->b, LLVMIntULT, next_k, LLVMConstInt(c->i64, (unsigned long long)c->nperiods, 0), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(c->b);
  LLVMBuildCondBr(c->b, more, body, done);
  LLVMValueRef init = fn == BI_MIN ? extreme(c, true) : fn == BI_MAX ? extreme(c, false) : cg_wide(c, 0);
  LLVMValueRef k_in[2] = {LLVMConstInt(c->i64, 0, 0), next_k}, acc_in[2] = {init, next_acc};
  LLVMValueRef site_in[2] = {zero, next_lowest};
  LLVMBasicBlockRef from[2] = {pre, latch};
  LLVMAddIncoming(k, k_in, from, 2);
  LLVMAddIncoming(acc, acc_in, from, 2);
  LLVMAddIncoming(lowest, site_in, from, 2);

  LLVMPositionBuilderAtEnd(c->b, done);
  /* a failure before the reduction comes first, as it did */
  c->status = LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntEQ, before, zero, ""), next_lowest, before, "status");
  return next_acc;
}
