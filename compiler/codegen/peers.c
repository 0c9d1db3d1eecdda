/* peers.c: the first pass, for a scheme whose rules read peer statistics:
 * each statistic's argument for every row, folded into its group's
 * accumulator, then written back to every row of the group (abi.h).
 */
#include "cg.h"

/* The first pass: each statistic's argument for every row, folded into its
   group's accumulator in WORK, then written back to every row of the group.
   A failed argument is NaN, and a NaN stays in its group's result. */
void cg_gen_peers(cg *c, const char *name) {
  const sc_scheme *s = c->scheme;
  LLVMTypeRef params[6] = {c->ptr, c->i64, c->ptr, c->i64, c->ptr, c->ptr};
  LLVMTypeRef fn_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), params, 6, 0);
  LLVMValueRef fn = LLVMAddFunction(c->mod, name, fn_ty);
  LLVMTypeRef rank_params[3] = {c->ptr, c->ptr, c->i64};
  LLVMTypeRef rank_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), rank_params, 3, 0);
  LLVMValueRef rank_fn = LLVMAddFunction(c->mod, ABI_RANK_SYMBOL, rank_ty);
  LLVMTypeRef order_params[4] = {c->ptr, c->ptr, c->i64, c->ptr};
  LLVMTypeRef order_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), order_params, 4, 0);
  LLVMValueRef order_fn = LLVMAddFunction(c->mod, ABI_ORDER_SYMBOL, order_ty);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  LLVMValueRef in_tab = LLVMGetParam(fn, 0), n = LLVMGetParam(fn, 1), group = LLVMGetParam(fn, 2);
  LLVMValueRef ngroups = LLVMGetParam(fn, 3), stat_tab = LLVMGetParam(fn, 4), work = LLVMGetParam(fn, 5);
  int ncols = 0;
  for (int i = 0; i < s->ninputs; i++) ncols += s->inputs[i].periodic ? c->nperiods : 1;
  LLVMValueRef *cols = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(ncols ? ncols : 1));
  cg_unpack_inputs(c, in_tab, n, cols);
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++)
    for (int k = 0; k < (s->inputs[i].periodic ? c->nperiods : 1); k++) c->in_ptr[i][k] = cols[pi++];
  LLVMValueRef counts = LLVMBuildGEP2(c->b, c->f64, work, &ngroups, 1, "counts");
  LLVMValueRef two_g = LLVMBuildMul(c->b, ngroups, LLVMConstInt(c->i64, 2, 0), "");
  LLVMValueRef order = LLVMBuildGEP2(c->b, c->f64, work, &two_g, 1, "order"); /* n row numbers */
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  for (int k = 0; k < s->nstats; k++) {
    const sc_stat *st = &s->stats[k];
    LLVMValueRef out = cg_column(c, stat_tab, k, "stat");
    /* 1. this row's value of the argument (a count counts 1 per row) */
    cg_loop L;
    cg_loop_begin(c, fn, n, &L);
    LLVMValueRef v = cg_f64(c, 1);
    if (st->arg) {
      c->status = zero;
      c->part = NULL;
      c->target = NULL;
      v = cg_eval(c, st->arg, cg_always(), NULL).v[0];
      LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "");
      v = LLVMBuildSelect(c->b, failed, cg_f64(c, __builtin_nan("")), v, "arg");
    }
    cg_store_at(c, v, out, L.row);
    cg_loop_end(c, n, &L);
    if (st->kind == STAT_RANK) {
      LLVMValueRef args[3] = {out, group, n};
      LLVMBuildCall2(c->b, rank_ty, rank_fn, args, 3, "");
      continue;
    }
    /* 2. accumulators: the identity of the fold, and no rows yet */
    double init = st->kind == STAT_MAX ? -__builtin_inf() : st->kind == STAT_MIN ? __builtin_inf() : 0;
    cg_loop G;
    cg_loop_begin(c, fn, ngroups, &G);
    cg_store_at(c, cg_f64(c, init), work, G.row);
    cg_store_at(c, cg_f64(c, 0), counts, G.row);
    cg_loop_end(c, ngroups, &G);
    /* 3. fold each row into its group; a sum adds in sorted order (floating
       addition is not associative, and row order must not change the bits) */
    bool sorted = st->kind == STAT_SUM || st->kind == STAT_MEAN;
    if (sorted) {
      LLVMValueRef args[4] = {out, group, n, order};
      LLVMBuildCall2(c->b, order_ty, order_fn, args, 4, "");
    }
    cg_loop F;
    cg_loop_begin(c, fn, n, &F);
    LLVMValueRef row = F.row;
    if (sorted) row = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, order, &F.row, 1, ""), "row");
    LLVMValueRef gi = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, group, &row, 1, ""), "g");
    LLVMValueRef x = cg_load_at(c, out, row, "x");
    LLVMValueRef acc = cg_load_at(c, work, gi, "acc");
    LLVMValueRef next;
    switch (st->kind) {
    case STAT_MAX: next = cg_max(c, acc, x); break;
    case STAT_MIN: next = cg_min(c, acc, x); break;
    default: next = LLVMBuildFAdd(c->b, acc, x, "sum"); break; /* sum, mean, count: NaN stays NaN */
    }
    /* a NaN accumulator stays; cg_max/cg_min keep a NaN from their first operand only */
    LLVMValueRef x_nan = LLVMBuildFCmp(c->b, LLVMRealUNO, x, x, "");
    next = LLVMBuildSelect(c->b, x_nan, x, next, "");
    LLVMValueRef acc_nan = LLVMBuildFCmp(c->b, LLVMRealUNO, acc, acc, "");
    next = LLVMBuildSelect(c->b, acc_nan, acc, next, "");
    cg_store_at(c, next, work, gi);
    LLVMValueRef cnt = cg_load_at(c, counts, gi, "n");
    cg_store_at(c, LLVMBuildFAdd(c->b, cnt, cg_f64(c, 1), ""), counts, gi);
    cg_loop_end(c, n, &F);
    /* 4. the group's result, on every row of it */
    cg_loop B;
    cg_loop_begin(c, fn, n, &B);
    gi = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, group, &B.row, 1, ""), "g");
    LLVMValueRef r = cg_load_at(c, work, gi, "acc");
    if (st->kind == STAT_MEAN) r = LLVMBuildFDiv(c->b, r, cg_load_at(c, counts, gi, "n"), "mean");
    cg_store_at(c, r, out, B.row);
    cg_loop_end(c, n, &B);
  }
  LLVMBuildRetVoid(c->b);
}
