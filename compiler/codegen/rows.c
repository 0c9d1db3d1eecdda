/* rows.c: the scoring function: one loop over rows, inside it every part,
 * target and grade of the row as straight-line code (abi.h for its columns).
 *
 * The row body is emitted into an internal function whose column pointers
 * are all `noalias`; after inlining that lets the loop vectoriser work
 * without runtime alias checks.
 */
#include <assert.h>

#include "cg.h"

void cg_loop_begin(cg *c, LLVMValueRef fn, LLVMValueRef n, cg_loop *L) {
  L->pre = LLVMGetInsertBlock(c->b);
  L->body = LLVMAppendBasicBlockInContext(c->ctx, fn, "loop");
  L->exit = LLVMAppendBasicBlockInContext(c->ctx, fn, "after");
  LLVMValueRef any = LLVMBuildICmp(c->b, LLVMIntSGT, n, LLVMConstInt(c->i64, 0, 0), "any");
  LLVMBuildCondBr(c->b, any, L->body, L->exit);
  LLVMPositionBuilderAtEnd(c->b, L->body);
  L->row = c->row = LLVMBuildPhi(c->b, c->i64, "r");
}

void cg_loop_end(cg *c, LLVMValueRef n, cg_loop *L) {
  LLVMValueRef next = LLVMBuildAdd(c->b, L->row, LLVMConstInt(c->i64, 1, 0), "next");
  LLVMValueRef more = LLVMBuildICmp(c->b, LLVMIntSLT, next, n, "more");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(c->b);
  LLVMBuildCondBr(c->b, more, L->body, L->exit);
  LLVMValueRef inc_vals[2] = {LLVMConstInt(c->i64, 0, 0), next};
  LLVMBasicBlockRef inc_blocks[2] = {L->pre, latch};
  LLVMAddIncoming(L->row, inc_vals, inc_blocks, 2);
  LLVMPositionBuilderAtEnd(c->b, L->exit);
}

/* Column pointers of every input period block, from the table IN_TAB. */
void cg_unpack_inputs(cg *c, LLVMValueRef in_tab, LLVMValueRef n, LLVMValueRef *argv) {
  const sc_scheme *s = c->scheme;
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++) {
    LLVMValueRef idx = LLVMConstInt(c->i64, (unsigned long long)i, 0);
    LLVMValueRef base = LLVMBuildLoad2(c->b, c->ptr, LLVMBuildGEP2(c->b, c->ptr, in_tab, &idx, 1, ""), "col");
    int m = s->inputs[i].periodic ? c->nperiods : 1;
    for (int k = 0; k < m; k++) {
      LLVMValueRef off = LLVMBuildMul(c->b, n, LLVMConstInt(c->i64, (unsigned long long)k, 0), "");
      argv[pi++] = k ? LLVMBuildGEP2(c->b, c->f64, base, &off, 1, "period") : base;
    }
  }
}

LLVMValueRef cg_load_at(cg *c, LLVMValueRef base, LLVMValueRef idx, const char *name) {
  return LLVMBuildLoad2(c->b, c->f64, LLVMBuildGEP2(c->b, c->f64, base, &idx, 1, ""), name);
}
void cg_store_at(cg *c, LLVMValueRef v, LLVMValueRef base, LLVMValueRef idx) {
  LLVMBuildStore(c->b, v, LLVMBuildGEP2(c->b, c->f64, base, &idx, 1, ""));
}
LLVMValueRef cg_column(cg *c, LLVMValueRef tab, int k, const char *name) {
  LLVMValueRef idx = LLVMConstInt(c->i64, (unsigned long long)k, 0);
  return LLVMBuildLoad2(c->b, c->ptr, LLVMBuildGEP2(c->b, c->ptr, tab, &idx, 1, ""), name);
}

static LLVMValueRef held_in(cg *c, LLVMValueRef v, rb_decimal points) {
  return cg_min(c, cg_max(c, v, cg_f64(c, 0)), cg_f64(c, dec_to_double(points)));
}

/* A part's score held within [0, points]; its status says whether it failed. */
static void gen_part(cg *c, const sc_part *p, LLVMValueRef *outs) {
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  LLVMValueRef value, status;
  if (p->nchildren) {
    value = NULL;
    status = zero;
    for (int i = 0; i < p->nchildren; i++) {
      const sc_part *child = p->children[i];
      gen_part(c, child, outs);
      LLVMValueRef cv = c->part_value[child->index], cs = c->part_status[child->index];
      value = value ? LLVMBuildFAdd(c->b, value, cv, "parts") : cv;
      LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, status, zero, "");
      status = LLVMBuildSelect(c->b, clean, cs, status, "status");
    }
    value = held_in(c, value, p->points);
  } else {
    c->part = p;
    c->target = NULL;
    c->status = zero;
    val v = cg_eval(c, p->score, cg_always(), NULL);
    assert(v.n == 1);
    /* An inf or NaN no rule produced (overflow, say) is still an error. */
    LLVMValueRef mag = cg_call1(c, c->fn_fabs, v.v[0]);
    LLVMValueRef finite = LLVMBuildFCmp(c->b, LLVMRealOLT, mag, cg_f64(c, __builtin_inf()), "finite");
    val bad = cg_one(c, LLVMBuildNot(c->b, finite, "nonfinite"));
    cg_record(c, cg_always(), bad, cg_add_site(c, SITE_NONFINITE, p->loc, NULL));
    value = held_in(c, v.v[0], p->points);
    status = c->status;
    /* An empty cell of an input with `missing scores`: the stated points. */
    if (p->fixed_when_empty) {
      LLVMValueRef empty = NULL;
      for (int r = 0; r < p->nreads; r++) {
        const sc_input *in = &c->scheme->inputs[p->reads[r]];
        if (in->missing != MISS_POINTS && in->missing != MISS_FULL) continue;
        for (int k = 0; k < (in->periodic ? c->nperiods : 1); k++) {
          LLVMValueRef x = LLVMBuildLoad2(c->b, c->f64, LLVMBuildGEP2(c->b, c->f64, c->in_ptr[in->index][k], &c->row, 1, ""), "");
          LLVMValueRef nan = LLVMBuildFCmp(c->b, LLVMRealUNO, x, x, "empty");
          empty = empty ? LLVMBuildOr(c->b, empty, nan, "") : nan;
        }
      }
      value = LLVMBuildSelect(c->b, empty, cg_f64(c, dec_to_double(p->empty_points)), value, "missing");
      status = LLVMBuildSelect(c->b, empty, zero, status, "");
    }
  }
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, status, zero, "failed");
  value = LLVMBuildSelect(c->b, failed, cg_error_nan(c, status), value, "score");
  c->part_value[p->index] = value;
  c->part_status[p->index] = status;
  LLVMValueRef slot = LLVMBuildGEP2(c->b, c->f64, outs[p->index], &c->row, 1, "");
  LLVMBuildStore(c->b, value, slot);
}

/* A target: its value, its goal, and whether the value meets the goal. */
static void gen_target(cg *c, const sc_target *t, LLVMValueRef *outs) {
  const sc_scheme *s = c->scheme;
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  c->part = NULL;
  c->target = t;
  c->status = zero;
  LLVMValueRef value = cg_eval(c, t->value, cg_always(), NULL).v[0];
  LLVMValueRef goal = cg_eval(c, t->goal, cg_always(), NULL).v[0];
  LLVMRealPredicate pred = t->op == OP_GE ? LLVMRealOGE : t->op == OP_GT ? LLVMRealOGT
                         : t->op == OP_LE ? LLVMRealOLE : LLVMRealOLT;
  LLVMValueRef met = LLVMBuildUIToFP(c->b, LLVMBuildFCmp(c->b, pred, value, goal, "met"), c->f64, "");
  LLVMValueRef mag = LLVMBuildFAdd(c->b, cg_call1(c, c->fn_fabs, value), cg_call1(c, c->fn_fabs, goal), "");
  val bad = cg_one(c, LLVMBuildNot(c->b, LLVMBuildFCmp(c->b, LLVMRealOLT, mag, cg_f64(c, __builtin_inf()), ""), ""));
  cg_record(c, cg_always(), bad, cg_add_site(c, SITE_NONFINITE, t->loc, NULL));
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "failed");
  LLVMValueRef err = cg_error_nan(c, c->status);
  LLVMValueRef vals[3] = {value, goal, met};
  for (int k = 0; k < 3; k++)
    cg_store_at(c, LLVMBuildSelect(c->b, failed, err, vals[k], ""), outs[abi_out_target(s, t->index) + k], c->row);
}

/* A grade: the index of the band the subject falls in, comparing the
   subject rounded to 9 decimals so float noise in a sum never moves it
   across an edge. A failed subject stays its error. */
static void gen_grade(cg *c, const sc_grade *g, LLVMValueRef subject, LLVMValueRef *outs) {
  LLVMValueRef scaled = LLVMBuildFMul(c->b, subject, cg_f64(c, 1e9), "");
  LLVMValueRef v = LLVMBuildFDiv(c->b, cg_call1(c, c->fn_round, scaled), cg_f64(c, 1e9), "graded");
  LLVMValueRef band = cg_f64(c, __builtin_nan("")); /* unreachable: the checker proved the bands cover */
  for (int k = g->nbands - 1; k >= 0; k--) {
    const sc_band *b = &g->bands[k];
    LLVMValueRef in = LLVMConstInt(c->i1, 1, 0);
    if (b->has_lo)
      in = LLVMBuildAnd(c->b, in, LLVMBuildFCmp(c->b, b->lo_open ? LLVMRealOGT : LLVMRealOGE, v,
                                                cg_f64(c, dec_to_double(b->lo)), ""), "");
    if (b->has_hi)
      in = LLVMBuildAnd(c->b, in, LLVMBuildFCmp(c->b, b->hi_open ? LLVMRealOLT : LLVMRealOLE, v,
                                                cg_f64(c, dec_to_double(b->hi)), ""), "");
    band = LLVMBuildSelect(c->b, in, cg_f64(c, k), band, "band");
  }
  LLVMValueRef failed = LLVMBuildFCmp(c->b, LLVMRealUNO, subject, subject, "");
  cg_store_at(c, LLVMBuildSelect(c->b, failed, subject, band, ""), outs[abi_out_grade(c->scheme, g->index)], c->row);
}

/* rows(): for (row = 0; row < n; row++) { every part, target and grade },
   and the exported NAME that unpacks the column tables and calls it. */
void cg_gen_rows(cg *c, const char *name) {
  const sc_scheme *s = c->scheme;
  LLVMContextRef ctx = c->ctx;
  /* Column pointers: one per input period block, one per statistic, one per output. */
  int ncols_in = 0;
  for (int i = 0; i < s->ninputs; i++) ncols_in += s->inputs[i].periodic ? c->nperiods : 1;
  int nout = abi_out_count(s);
  int nparams = ncols_in + s->nstats + nout + 1;
  LLVMTypeRef *ptys = arena_alloc(c->arena, sizeof(LLVMTypeRef) * (size_t)nparams);
  for (int i = 0; i < nparams - 1; i++) ptys[i] = c->ptr;
  ptys[nparams - 1] = c->i64;
  LLVMTypeRef rows_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), ptys, (unsigned)nparams, 0);
  LLVMValueRef rows = LLVMAddFunction(c->mod, "rows", rows_ty);
  LLVMSetLinkage(rows, LLVMInternalLinkage);
  unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
  unsigned inl = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
  for (int i = 0; i < nparams - 1; i++)
    LLVMAddAttributeAtIndex(rows, (unsigned)i + 1, LLVMCreateEnumAttribute(ctx, noalias, 0));
  LLVMAddAttributeAtIndex(rows, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(ctx, inl, 0));

  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(ctx, rows, "entry"));
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++) {
    int m = s->inputs[i].periodic ? c->nperiods : 1;
    for (int k = 0; k < m; k++) c->in_ptr[i][k] = LLVMGetParam(rows, (unsigned)pi++);
  }
  c->stat_ptr = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nstats ? s->nstats : 1));
  for (int k = 0; k < s->nstats; k++) c->stat_ptr[k] = LLVMGetParam(rows, (unsigned)pi++);
  LLVMValueRef *outs = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)nout);
  for (int k = 0; k < nout; k++) outs[k] = LLVMGetParam(rows, (unsigned)pi++);
  LLVMValueRef n = LLVMGetParam(rows, (unsigned)pi);
  cg_loop L;
  cg_loop_begin(c, rows, n, &L);
  c->part_value = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  c->part_status = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  LLVMValueRef total = cg_f64(c, 0), tstatus = zero;
  for (int i = 0; i < s->ntop; i++) {
    const sc_part *p = s->top[i];
    gen_part(c, p, outs);
    total = LLVMBuildFAdd(c->b, total, c->part_value[p->index], "total");
    LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, tstatus, zero, "");
    tstatus = LLVMBuildSelect(c->b, clean, c->part_status[p->index], tstatus, "status");
  }
  LLVMValueRef tfailed = LLVMBuildICmp(c->b, LLVMIntNE, tstatus, zero, "failed");
  total = LLVMBuildSelect(c->b, tfailed, cg_error_nan(c, tstatus), total, "total");
  cg_store_at(c, total, outs[abi_out_total(s)], c->row);
  for (int t = 0; t < s->ntargets; t++) gen_target(c, &s->targets[t], outs);
  for (int g = 0; g < s->ngrades; g++) {
    const sc_grade *gr = &s->grades[g];
    gen_grade(c, gr, gr->subject ? c->part_value[gr->subject->index] : total, outs);
  }
  cg_loop_end(c, n, &L);
  LLVMBuildRetVoid(c->b);

  /* The exported function: unpack the column tables, call rows(). */
  LLVMTypeRef api_params[4] = {c->ptr, c->i64, c->ptr, c->ptr};
  LLVMTypeRef api_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), api_params, 4, 0);
  LLVMValueRef api = LLVMAddFunction(c->mod, name, api_ty);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(ctx, api, "entry"));
  LLVMValueRef *argv = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)nparams);
  LLVMValueRef api_n = LLVMGetParam(api, 1);
  cg_unpack_inputs(c, LLVMGetParam(api, 0), api_n, argv);
  pi = ncols_in;
  for (int k = 0; k < s->nstats; k++) argv[pi++] = cg_column(c, LLVMGetParam(api, 2), k, "stat");
  for (int k = 0; k < nout; k++) argv[pi++] = cg_column(c, LLVMGetParam(api, 3), k, "out");
  argv[pi] = api_n;
  LLVMBuildCall2(c->b, rows_ty, rows, argv, (unsigned)nparams, "");
  LLVMBuildRetVoid(c->b);
}
