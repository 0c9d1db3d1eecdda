/* peers.c: the passes before scoring, for a scheme whose rules read peer
 * statistics: each statistic's argument on every row, one loop per stage
 * (abi.h; a statistic over other statistics waits for their stage). The
 * statistics themselves (sums, extremes, means, ranks per group) are the
 * runtime's (runtime/peers.c): they are the same code for every scheme, so
 * compiling them again for each would make a scheme's machine code grow
 * with its statistics, not with its rules.
 */
#include "cg.h"

/* args(inputs, n, lo, hi, stats): for rows lo..hi-1 and each statistic k
   of STAGE, stats[k][row] = its argument, rounded to 18 decimals like a
   result, or FIXED_ERROR where it fails (which spoils the statistic of the
   row's group). A count has no argument: its column is left alone. From
   stage 2 on, an argument reads the statistics of earlier stages, which
   the runtime has folded into their columns by then; stage 1 reads none,
   so its code is what a scheme without nested statistics has always had. */
LLVMValueRef cg_begin_pass(cg *c, const char *name) {
  LLVMTypeRef params[5] = {c->ptr, c->i64, c->i64, c->i64, c->ptr};
  LLVMTypeRef fn_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), params, 5, 0);
  LLVMValueRef fn = LLVMAddFunction(c->mod, name, fn_ty);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  return fn;
}

void cg_gen_peers(cg *c, const char *name, int stage) {
  const sc_scheme *s = c->scheme;
  LLVMValueRef fn = cg_begin_pass(c, name);
  LLVMValueRef in_tab = LLVMGetParam(fn, 0), n = LLVMGetParam(fn, 1), lo = LLVMGetParam(fn, 2);
  LLVMValueRef hi = LLVMGetParam(fn, 3), stat_tab = LLVMGetParam(fn, 4);
  int ncols = s->ninputs;
  int ncal = s->uses_calendar ? 1 : 0;
  int nargs = ncols + s->nstats + ncal + 3;
  LLVMValueRef *argv = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)nargs);
  cg_unpack_inputs(c, in_tab, argv);
  for (int k = 0; k < s->nstats; k++) argv[ncols + k] = cg_column(c, stat_tab, k, "stat");
  /* every column moved to row LO (the loop counts from 0 to HI - LO), but
     the inputs' cells, read at LO + r */
  for (int k = ncols; k < ncols + s->nstats; k++) argv[k] = cg_from(c, argv[k], lo);
  if (ncal) argv[ncols + s->nstats] = cg_column(c, in_tab, s->ninputs, "calendar"); /* not by row */
  argv[nargs - 3] = lo;
  argv[nargs - 2] = n;
  argv[nargs - 1] = LLVMBuildSub(c->b, hi, lo, "rows");
  LLVMBasicBlockRef entry = LLVMGetInsertBlock(c->b);

  /* the loop, in a function of noalias columns (rows.c) */
  LLVMTypeRef body_ty;
  LLVMValueRef body = cg_body(c, "args", nargs - 3, &body_ty);
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++) c->in_col[i] = LLVMGetParam(body, (unsigned)pi++);
  LLVMValueRef *out = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nstats ? s->nstats : 1));
  for (int k = 0; k < s->nstats; k++) out[k] = LLVMGetParam(body, (unsigned)pi++);
  if (stage > 1) { /* the earlier stages' statistics, read as the scoring pass reads them */
    c->stat_ptr = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)s->nstats);
    for (int k = 0; k < s->nstats; k++) c->stat_ptr[k] = out[k];
  }
  c->calendar = ncal ? LLVMGetParam(body, (unsigned)pi++) : NULL;
  c->lo = LLVMGetParam(body, (unsigned)pi++);
  c->stride = LLVMGetParam(body, (unsigned)pi++);
  LLVMValueRef rows = LLVMGetParam(body, (unsigned)pi);
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  cg_loop L;
  cg_loop_begin(c, body, rows, &L);
  for (int k = 0; k < s->nstats; k++) {
    const sc_stat *st = &s->stats[k];
    if (!st->arg || st->stage != stage) continue;
    c->status = zero;
    c->part = NULL;
    c->target = NULL;
    LLVMValueRef v = cg_settle(c, cg_eval(c, st->arg, cg_always(), NULL).v[0], cg_always(), st->loc);
    LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "");
    cg_store_at(c, LLVMBuildSelect(c->b, failed, cg_fixed(c, FIXED_ERROR), v, "arg"), out[k], L.row);
  }
  cg_loop_end(c, rows, &L);
  LLVMBuildRetVoid(c->b);

  LLVMPositionBuilderAtEnd(c->b, entry);
  LLVMBuildCall2(c->b, body_ty, body, argv, (unsigned)nargs, "");
  LLVMBuildRetVoid(c->b);
}
