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
    for (int i = 0; i < e->tiers.n; i++) {
      const sc_tier *t = &e->tiers.tier[i];
      if (!by_period(t->cond, periodic, costly) || !by_period(t->value, periodic, costly)) return false;
    }
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

void cg_periods_begin(cg *c, bi_kind fn, cg_period_loop *L) {
  LLVMValueRef fn_of = LLVMGetBasicBlockParent(LLVMGetInsertBlock(c->b));
  L->pre = LLVMGetInsertBlock(c->b);
  L->body = LLVMAppendBasicBlockInContext(c->ctx, fn_of, "period");
  L->done = LLVMAppendBasicBlockInContext(c->ctx, fn_of, "periods_done");
  L->before = c->status;
  L->acc128 = L->next128 = NULL;
  L->init = fn == BI_MIN ? extreme(c, true) : fn == BI_MAX ? extreme(c, false) : LLVMConstInt(c->wx, 0, 0);
  LLVMBuildBr(c->b, L->body);
  LLVMPositionBuilderAtEnd(c->b, L->body);
  L->period = LLVMBuildPhi(c->b, c->i64, "p");
  L->acc = LLVMBuildPhi(c->b, c->wx, "acc");
  L->lowest = LLVMBuildPhi(c->b, c->i32, "site");
  c->period = L->period;
  c->status = LLVMConstInt(c->i32, 0, 0); /* this period's first failure, on its own */
}

LLVMValueRef cg_periods_acc128(cg *c, cg_period_loop *L) {
  LLVMBuilderRef b = LLVMCreateBuilderInContext(c->ctx);
  LLVMPositionBuilderBefore(b, L->period); /* among the loop's phis, at its top */
  L->acc128 = LLVMBuildPhi(b, c->fx, "acc128");
  LLVMDisposeBuilder(b);
  return L->acc128;
}

LLVMValueRef cg_periods_end(cg *c, cg_period_loop *L, LLVMValueRef next_acc) {
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0), one = LLVMConstInt(c->i32, 1, 0);
  c->period = NULL;
  /* the lowest site of all periods: 0 (none) wraps to the largest */
  LLVMValueRef a = LLVMBuildSub(c->b, L->lowest, one, ""), b = LLVMBuildSub(c->b, c->status, one, "");
  LLVMValueRef next_lowest =
      LLVMBuildAdd(c->b, LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntULT, a, b, ""), a, b, ""), one, "site");
  LLVMValueRef next = LLVMBuildAdd(c->b, L->period, LLVMConstInt(c->i64, 1, 0), "");
  LLVMValueRef more = LLVMBuildICmp(c->b, LLVMIntULT, next, LLVMConstInt(c->i64, (unsigned long long)c->nperiods, 0), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(c->b);
  LLVMBuildCondBr(c->b, more, L->body, L->done);
  LLVMValueRef k_in[2] = {LLVMConstInt(c->i64, 0, 0), next}, acc_in[2] = {L->init, next_acc};
  LLVMValueRef site_in[2] = {zero, next_lowest};
  LLVMBasicBlockRef from[2] = {L->pre, latch};
  LLVMAddIncoming(L->period, k_in, from, 2);
  LLVMAddIncoming(L->acc, acc_in, from, 2);
  LLVMAddIncoming(L->lowest, site_in, from, 2);
  if (L->acc128) {
    LLVMValueRef acc128_in[2] = {LLVMConstInt(c->fx, 0, 0), L->next128};
    LLVMAddIncoming(L->acc128, acc128_in, from, 2);
  }

  LLVMPositionBuilderAtEnd(c->b, L->done);
  /* a failure before the reduction comes first, as it did */
  c->status = LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntEQ, L->before, zero, ""), next_lowest, L->before, "status");
  return next_acc;
}
