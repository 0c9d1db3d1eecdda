/* peers.c: the first pass, for a scheme whose rules read peer statistics:
 * each statistic's argument for every row, folded into its group's
 * accumulator, then written back to every row of the group (abi.h).
 */
#include "cg.h"

/* The first pass: each statistic's argument for every row, rounded to 18
   decimals like a result, folded into its group's accumulator in WORK,
   then written back to every row of the group. Accumulators are 256 bits
   wide, so a sum is exact in any order and may pass 10^20 on the way to a
   mean; a failed argument spoils its group (marked in the group's count).
   A group's peers.sum of 10^20 or more is FIXED_EMPTY, which the second
   pass reports as an overflow; a spoiled group's statistic is FIXED_ERROR. */
void cg_gen_peers(cg *c, const char *name) {
  const sc_scheme *s = c->scheme;
  LLVMTypeRef params[6] = {c->ptr, c->i64, c->ptr, c->i64, c->ptr, c->ptr};
  LLVMTypeRef fn_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), params, 6, 0);
  LLVMValueRef fn = LLVMAddFunction(c->mod, name, fn_ty);
  LLVMTypeRef rank_params[3] = {c->ptr, c->ptr, c->i64};
  LLVMTypeRef rank_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), rank_params, 3, 0);
  LLVMValueRef rank_fn = LLVMAddFunction(c->mod, ABI_RANK_SYMBOL, rank_ty);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  cg_slots(c);
  LLVMValueRef in_tab = LLVMGetParam(fn, 0), n = LLVMGetParam(fn, 1), group = LLVMGetParam(fn, 2);
  LLVMValueRef ngroups = LLVMGetParam(fn, 3), stat_tab = LLVMGetParam(fn, 4), work = LLVMGetParam(fn, 5);
  int ncols = 0;
  for (int i = 0; i < s->ninputs; i++) ncols += s->inputs[i].periodic ? c->nperiods : 1;
  LLVMValueRef *cols = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(ncols ? ncols : 1));
  cg_unpack_inputs(c, in_tab, n, cols);
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++)
    for (int k = 0; k < (s->inputs[i].periodic ? c->nperiods : 1); k++) c->in_ptr[i][k] = cols[pi++];
  /* WORK: ngroups wide accumulators (two numbers' room each), then ngroups counts */
  LLVMValueRef two_g = LLVMBuildMul(c->b, ngroups, LLVMConstInt(c->i64, 2, 0), "");
  LLVMValueRef counts = LLVMBuildGEP2(c->b, c->fx, work, &two_g, 1, "counts");
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  for (int k = 0; k < s->nstats; k++) {
    const sc_stat *st = &s->stats[k];
    LLVMValueRef out = cg_column(c, stat_tab, k, "stat");
    /* 1. this row's value of the argument (a count counts 1 per row) */
    cg_loop L;
    cg_loop_begin(c, fn, n, &L);
    LLVMValueRef v = cg_fixed(c, FIXED_ONE);
    if (st->arg) {
      c->status = zero;
      c->part = NULL;
      c->target = NULL;
      v = cg_settle(c, cg_eval(c, st->arg, cg_always(), NULL).v[0], cg_always(), st->loc);
      LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "");
      v = LLVMBuildSelect(c->b, failed, cg_fixed(c, FIXED_ERROR), v, "arg");
    }
    cg_store_at(c, v, out, L.row);
    cg_loop_end(c, n, &L);
    if (st->kind == STAT_RANK) {
      LLVMValueRef args[3] = {out, group, n};
      LLVMBuildCall2(c->b, rank_ty, rank_fn, args, 3, "");
      continue;
    }
    /* 2. accumulators: the identity of the fold, and no rows yet */
    rb_fixed init = st->kind == STAT_MAX ? -FIXED_MAX : st->kind == STAT_MIN ? FIXED_MAX : 0;
    cg_loop G;
    cg_loop_begin(c, fn, ngroups, &G);
    LLVMBuildStore(c->b, LLVMBuildSExt(c->b, cg_fixed(c, init), c->wx, ""),
                   LLVMBuildGEP2(c->b, c->wx, work, &G.row, 1, ""));
    cg_store_at(c, cg_fixed(c, 0), counts, G.row);
    cg_loop_end(c, ngroups, &G);
    /* 3. fold each row into its group */
    cg_loop F;
    cg_loop_begin(c, fn, n, &F);
    LLVMValueRef gi = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, group, &F.row, 1, ""), "g");
    LLVMValueRef x = cg_load_at(c, out, F.row, "x");
    LLVMValueRef slot = LLVMBuildGEP2(c->b, c->wx, work, &gi, 1, "");
    LLVMValueRef acc = LLVMBuildLoad2(c->b, c->wx, slot, "acc");
    LLVMValueRef wx = LLVMBuildSExt(c->b, x, c->wx, "");
    LLVMValueRef next = st->kind == STAT_MAX   ? cg_max(c, acc, wx)
                        : st->kind == STAT_MIN ? cg_min(c, acc, wx)
                                               : LLVMBuildAdd(c->b, acc, wx, "sum"); /* n * 10^38 < 2^255 */
    LLVMBuildStore(c->b, next, slot);
    LLVMValueRef cnt = cg_load_at(c, counts, gi, "n");
    LLVMValueRef spoiled = LLVMBuildOr(c->b, cg_not_fixed(c, x),
                                       LLVMBuildICmp(c->b, LLVMIntEQ, cnt, cg_fixed(c, FIXED_EMPTY), ""), "");
    cnt = LLVMBuildSelect(c->b, spoiled, cg_fixed(c, FIXED_EMPTY), LLVMBuildAdd(c->b, cnt, cg_fixed(c, FIXED_ONE), ""), "");
    cg_store_at(c, cnt, counts, gi);
    cg_loop_end(c, n, &F);
    /* 4. each group's result, in place of its accumulator's low half */
    cg_loop R;
    cg_loop_begin(c, fn, ngroups, &R);
    slot = LLVMBuildGEP2(c->b, c->wx, work, &R.row, 1, "");
    acc = LLVMBuildLoad2(c->b, c->wx, slot, "acc");
    cnt = cg_load_at(c, counts, R.row, "n");
    LLVMValueRef r;
    if (st->kind == STAT_MEAN) { /* the exact sum over the count, rounded to 18 once */
      LLVMValueRef ten18 = LLVMConstInt(c->wx, (unsigned long long)FIXED_ONE, 0);
      LLVMBuildStore(c->b, LLVMBuildMul(c->b, acc, ten18, ""), c->slot[0]);
      LLVMBuildStore(c->b, cg_widen(c, cnt), c->slot[1]);
      LLVMValueRef args[3] = {c->slot[0], c->slot[1], c->slot[2]};
      LLVMBuildCall2(c->b, c->wide2_ty, c->fn_wdiv, args, 3, "");
      r = cg_settle_of(c, LLVMBuildLoad2(c->b, c->wx, c->slot[2], ""));
    } else {
      /* max, min and count are numbers; a sum may have left the range */
      LLVMValueRef over = LLVMBuildOr(c->b, LLVMBuildICmp(c->b, LLVMIntSGT, acc, LLVMBuildSExt(c->b, cg_fixed(c, FIXED_MAX), c->wx, ""), ""),
                                      LLVMBuildICmp(c->b, LLVMIntSLT, acc, LLVMBuildSExt(c->b, cg_fixed(c, -FIXED_MAX), c->wx, ""), ""), "");
      r = LLVMBuildSelect(c->b, over, cg_fixed(c, FIXED_EMPTY), LLVMBuildTrunc(c->b, acc, c->fx, ""), "");
    }
    LLVMValueRef bad = LLVMBuildICmp(c->b, LLVMIntEQ, cnt, cg_fixed(c, FIXED_EMPTY), "");
    r = LLVMBuildSelect(c->b, bad, cg_fixed(c, FIXED_ERROR), r, "");
    LLVMBuildStore(c->b, LLVMBuildSExt(c->b, r, c->wx, ""), slot);
    cg_loop_end(c, ngroups, &R);
    /* 5. the group's result, on every row of it */
    cg_loop B;
    cg_loop_begin(c, fn, n, &B);
    gi = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, group, &B.row, 1, ""), "g");
    r = LLVMBuildTrunc(c->b, LLVMBuildLoad2(c->b, c->wx, LLVMBuildGEP2(c->b, c->wx, work, &gi, 1, ""), ""), c->fx, "");
    cg_store_at(c, r, out, B.row);
    cg_loop_end(c, n, &B);
  }
  LLVMBuildRetVoid(c->b);
}
