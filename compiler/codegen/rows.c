/* rows.c: the scoring function: one loop over rows, inside it every part,
 * target and grade of the row as straight-line code (abi.h for its columns).
 *
 * The row body is emitted into an internal function whose column pointers
 * are all `noalias` (cg_body, shared with the passes before scoring); after
 * inlining that lets the loop vectoriser work without runtime alias checks,
 * and lets the optimiser keep a value it loaded or computed across the
 * stores into other columns.
 */
#include <assert.h>
#include <string.h>

#include "cg.h"

void cg_loop_begin(cg *c, LLVMValueRef fn, LLVMValueRef n, cg_loop *L) {
  L->pre = LLVMGetInsertBlock(c->b);
  L->body = LLVMAppendBasicBlockInContext(c->ctx, fn, "loop");
  L->exit = LLVMAppendBasicBlockInContext(c->ctx, fn, "after");
  LLVMValueRef any = LLVMBuildICmp(c->b, LLVMIntSGT, n, LLVMConstInt(c->i64, 0, 0), "any");
  LLVMBuildCondBr(c->b, any, L->body, L->exit);
  LLVMPositionBuilderAtEnd(c->b, L->body);
  L->row = c->row = LLVMBuildPhi(c->b, c->i64, "r");
  memset(c->cells, 0, sizeof(LLVMValueRef) * ((size_t)c->scheme->ninputs * (size_t)c->nperiods + 1)); /* a new row */
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

/* The column of every input, from the table IN_TAB (a per-period input's
   periods follow one another in its column). */
void cg_unpack_inputs(cg *c, LLVMValueRef in_tab, LLVMValueRef *argv) {
  for (int i = 0; i < c->scheme->ninputs; i++) argv[i] = cg_column(c, in_tab, i, "col");
}

LLVMValueRef cg_load_at(cg *c, LLVMValueRef base, LLVMValueRef idx, const char *name) {
  return LLVMBuildLoad2(c->b, c->fx, LLVMBuildGEP2(c->b, c->fx, base, &idx, 1, ""), name);
}
void cg_store_at(cg *c, LLVMValueRef v, LLVMValueRef base, LLVMValueRef idx) {
  LLVMBuildStore(c->b, v, LLVMBuildGEP2(c->b, c->fx, base, &idx, 1, ""));
}
LLVMValueRef cg_column(cg *c, LLVMValueRef tab, int k, const char *name) {
  LLVMValueRef idx = LLVMConstInt(c->i64, (unsigned long long)k, 0);
  return LLVMBuildLoad2(c->b, c->ptr, LLVMBuildGEP2(c->b, c->ptr, tab, &idx, 1, ""), name);
}
LLVMValueRef cg_from(cg *c, LLVMValueRef column, LLVMValueRef lo) {
  return LLVMBuildGEP2(c->b, c->fx, column, &lo, 1, "from");
}

LLVMValueRef cg_body(cg *c, const char *name, int ncols, LLVMTypeRef *type) {
  LLVMTypeRef *ptys = arena_alloc(c->arena, sizeof(LLVMTypeRef) * (size_t)(ncols + 3));
  for (int i = 0; i < ncols; i++) ptys[i] = c->ptr;
  ptys[ncols] = ptys[ncols + 1] = ptys[ncols + 2] = c->i64;
  *type = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), ptys, (unsigned)ncols + 3, 0);
  LLVMValueRef fn = LLVMAddFunction(c->mod, name, *type);
  LLVMSetLinkage(fn, LLVMInternalLinkage);
  unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
  unsigned inl = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
  for (int i = 0; i < ncols; i++)
    LLVMAddAttributeAtIndex(fn, (unsigned)i + 1, LLVMCreateEnumAttribute(c->ctx, noalias, 0));
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(c->ctx, inl, 0));
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  return fn;
}

/* V (wide) held within [0, points]. */
static LLVMValueRef held_in(cg *c, LLVMValueRef v, rb_decimal points) {
  rb_fixed p;
  bool ok = fixed_from_decimal(points, &p);
  assert(ok && "points are numbers (the checker)");
  (void)ok;
  return cg_min(c, cg_max(c, v, cg_wide(c, 0)), cg_wide(c, p));
}

/* V (wide) rounded half up to DECIMALS (the scheme's `round`) at once, not
   to 18 decimals first: a result, whose overflow fails the part at LOC. */
static LLVMValueRef rounded(cg *c, LLVMValueRef v, int decimals, rb_loc loc) {
  LLVMValueRef args[2] = {v, LLVMConstInt(c->i32, (unsigned long long)decimals, 0)};
  LLVMValueRef x = cg_call(c, c->fn_round, c->round_ty, args, 2);
  cg_record(c, cg_always(), cg_one(c, cg_not_fixed(c, x)), cg_add_site(c, SITE_OVERFLOW, loc, NULL));
  return x;
}

/* Whether the row's kind (the scheme's kind input, never empty) is one of
   the labels P applies to. */
static LLVMValueRef cg_applies(cg *c, const sc_part *p) {
  const sc_input *kind = c->scheme->kind;
  LLVMValueRef cell = cg_input_at(c, kind, NULL, "kind");
  LLVMValueRef any = LLVMConstInt(c->i1, 0, 0);
  for (int k = 0; k < p->nkinds; k++) {
    rb_fixed label;
    bool ok = fixed_from_decimal(dec_from_int(p->kinds[k]), &label);
    assert(ok);
    (void)ok;
    any = LLVMBuildOr(c->b, any, LLVMBuildICmp(c->b, LLVMIntEQ, cell, cg_fixed(c, label), ""), "");
  }
  return any;
}

/* A part's score held within [0, points]; its status says whether it
   failed. The value its parent adds keeps 36 decimals (or the declared
   rounding); its column gets the result, rounded to 18. */
static void gen_part(cg *c, const sc_part *p, LLVMValueRef *outs) {
  const sc_scheme *s = c->scheme;
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  LLVMValueRef value, status, out;
  if (p->nchildren) {
    value = NULL;
    status = zero;
    for (int i = 0; i < p->nchildren; i++) {
      const sc_part *child = p->children[i];
      gen_part(c, child, outs);
      LLVMValueRef cv = c->part_value[child->index], cs = c->part_status[child->index];
      /* children are held within their points, which add up: no overflow */
      value = value ? LLVMBuildAdd(c->b, value, cv, "parts") : cv;
      LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, status, zero, "");
      status = LLVMBuildSelect(c->b, clean, cs, status, "status");
    }
    if (p->score) { /* a rule adjusts the items' sum: items - 2 * cases */
      c->items_value = value;
      c->part = p;
      c->target = NULL;
      c->status = zero;
      val v = cg_eval(c, p->score, cg_always(), NULL);
      assert(v.n == 1);
      value = v.v[0];
      LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, status, zero, "");
      status = LLVMBuildSelect(c->b, clean, c->status, status, "status"); /* an item's failure first */
    }
    value = held_in(c, value, p->points);
    out = cg_settle_of(c, value); /* held within points: cannot overflow */
  } else {
    c->part = p;
    c->target = NULL;
    c->status = zero;
    val v = cg_eval(c, p->score, cg_always(), NULL);
    assert(v.n == 1);
    value = held_in(c, v.v[0], p->points);
    if (s->round_parts >= 0) {
      out = rounded(c, value, s->round_parts, p->loc);
      value = cg_widen(c, out);
    } else {
      out = cg_settle_of(c, value);
    }
    status = c->status;
    /* An empty cell of an input with `missing scores`: the stated points. */
    if (p->fixed_when_empty) {
      LLVMValueRef empty = NULL;
      for (int r = 0; r < p->nreads; r++) {
        const sc_input *in = &s->inputs[p->reads[r]];
        if (in->missing != MISS_POINTS && in->missing != MISS_FULL) continue;
        for (int k = 0; k < (in->periodic ? c->nperiods : 1); k++) {
          LLVMValueRef x = cg_input_at(c, in, LLVMConstInt(c->i64, (unsigned long long)k, 0), "");
          LLVMValueRef e = LLVMBuildICmp(c->b, LLVMIntEQ, x, cg_fixed(c, FIXED_EMPTY), "empty");
          empty = empty ? LLVMBuildOr(c->b, empty, e, "") : e;
        }
      }
      rb_fixed fixed;
      bool ok = fixed_from_decimal(p->empty_points, &fixed);
      assert(ok);
      (void)ok;
      if (s->round_parts >= 0) fixed = fixed_round(fixed, s->round_parts);
      value = LLVMBuildSelect(c->b, empty, cg_wide(c, fixed), value, "missing");
      out = LLVMBuildSelect(c->b, empty, cg_fixed(c, fixed), out, "missing");
      status = LLVMBuildSelect(c->b, empty, zero, status, "");
    }
  }
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, status, zero, "failed");
  out = LLVMBuildSelect(c->b, failed, cg_error_value(c, status), out, "score");
  for (int k = 0; k < c->nprobes; k++) /* `rubric explain`: what the rule computed on the way */
    if (c->probes[k].part == p) {
      c->part = p;
      cg_store_at(c, cg_probe_value(c, &c->probes[k]), outs[abi_out_count(s) + k], c->row);
    }
  if (p->nkinds) { /* `for KIND ...`: an entity of another kind has nothing here, not even a failure */
    LLVMValueRef applies = cg_applies(c, p);
    value = LLVMBuildSelect(c->b, applies, value, cg_wide(c, 0), "applies");
    status = LLVMBuildSelect(c->b, applies, status, zero, "");
    out = LLVMBuildSelect(c->b, applies, out, cg_fixed(c, FIXED_EMPTY), "");
  }
  c->part_value[p->index] = value;
  c->part_out[p->index] = out;
  c->part_status[p->index] = status;
  cg_store_at(c, out, outs[p->index], c->row);
}

/* A target: its value, its goal, and whether the value meets the goal,
   decided on the two results as the table prints them (18 decimals), and
   what must hold too. */
static void gen_target(cg *c, const sc_target *t, LLVMValueRef *outs) {
  const sc_scheme *s = c->scheme;
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  c->part = NULL;
  c->target = t;
  c->status = zero;
  LLVMValueRef value = cg_settle(c, cg_eval(c, t->value, cg_always(), NULL).v[0], cg_always(), t->value->loc);
  LLVMValueRef goal = cg_settle(c, cg_eval(c, t->goal, cg_always(), NULL).v[0], cg_always(), t->goal->loc);
  LLVMIntPredicate pred = t->op == OP_GE ? LLVMIntSGE : t->op == OP_GT ? LLVMIntSGT : t->op == OP_LE ? LLVMIntSLE
                                                                                                   : LLVMIntSLT;
  LLVMValueRef holds = LLVMBuildICmp(c->b, pred, value, goal, "met");
  if (t->also) holds = LLVMBuildAnd(c->b, holds, cg_eval(c, t->also, cg_always(), NULL).v[0], "also");
  LLVMValueRef met = LLVMBuildSelect(c->b, holds, cg_fixed(c, FIXED_ONE), cg_fixed(c, 0), "");
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "failed");
  LLVMValueRef err = cg_error_value(c, c->status);
  LLVMValueRef vals[3] = {value, goal, met};
  for (int k = 0; k < 3; k++)
    cg_store_at(c, LLVMBuildSelect(c->b, failed, err, vals[k], ""), outs[abi_out_target(s, t->index) + k], c->row);
}

/* A grade: the index of the band the subject (its column, i128) falls in,
   on the value the table prints. A failed subject stays its error. A band
   that tests inputs too is its condition, over the subject and inputs only,
   which cannot fail (grades.c). */
static void gen_grade(cg *c, const sc_grade *g, LLVMValueRef subject, LLVMValueRef *outs) {
  LLVMValueRef band = LLVMConstInt(c->fx, 0, 0); /* unreachable: the checker proved the bands cover */
  c->subject_value = g->conditional ? cg_widen(c, subject) : NULL;
  for (int k = g->nbands - 1; k >= 0; k--) {
    const sc_band *b = &g->bands[k];
    LLVMValueRef in = LLVMConstInt(c->i1, 1, 0);
    if (b->when) {
      band = LLVMBuildSelect(c->b, cg_eval(c, b->when, cg_always(), NULL).v[0], LLVMConstInt(c->fx, (unsigned long long)k, 0),
                             band, "band");
      continue;
    }
    rb_fixed edge;
    if (b->has_lo && fixed_from_decimal(b->lo, &edge))
      in = LLVMBuildAnd(c->b, in, LLVMBuildICmp(c->b, b->lo_open ? LLVMIntSGT : LLVMIntSGE, subject, cg_fixed(c, edge), ""), "");
    if (b->has_hi && fixed_from_decimal(b->hi, &edge))
      in = LLVMBuildAnd(c->b, in, LLVMBuildICmp(c->b, b->hi_open ? LLVMIntSLT : LLVMIntSLE, subject, cg_fixed(c, edge), ""), "");
    band = LLVMBuildSelect(c->b, in, LLVMConstInt(c->fx, (unsigned long long)k, 0), band, "band");
  }
  LLVMValueRef failed = cg_not_fixed(c, subject);
  cg_store_at(c, LLVMBuildSelect(c->b, failed, subject, band, ""), outs[abi_out_grade(c->scheme, g->index)], c->row);
}

/* rows(): for (row = 0; row < n; row++) { every part, target and grade },
   and the exported NAME that unpacks the column tables and calls it. */
void cg_gen_rows(cg *c, const char *name) {
  const sc_scheme *s = c->scheme;
  LLVMContextRef ctx = c->ctx;
  /* Column pointers: one per input, one per statistic, one per output. */
  int ncols_in = s->ninputs;
  int nout = abi_out_count(s) + c->nprobes;
  int ncal = s->uses_calendar ? 1 : 0; /* the calendar's column, after the outputs */
  int nparams = ncols_in + s->nstats + nout + ncal + 3;
  LLVMTypeRef rows_ty;
  LLVMValueRef rows = cg_body(c, "rows", nparams - 3, &rows_ty);
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++) c->in_col[i] = LLVMGetParam(rows, (unsigned)pi++);
  c->stat_ptr = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nstats ? s->nstats : 1));
  for (int k = 0; k < s->nstats; k++) c->stat_ptr[k] = LLVMGetParam(rows, (unsigned)pi++);
  LLVMValueRef *outs = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)nout);
  for (int k = 0; k < nout; k++) outs[k] = LLVMGetParam(rows, (unsigned)pi++);
  c->calendar = ncal ? LLVMGetParam(rows, (unsigned)pi++) : NULL;
  c->lo = LLVMGetParam(rows, (unsigned)pi++);
  c->stride = LLVMGetParam(rows, (unsigned)pi++);
  LLVMValueRef n = LLVMGetParam(rows, (unsigned)pi);
  cg_loop L;
  cg_loop_begin(c, rows, n, &L);
  c->part_value = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  c->part_status = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  c->part_out = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  LLVMValueRef total = cg_wide(c, 0), tstatus = zero;
  for (int i = 0; i < s->ntop; i++) {
    const sc_part *p = s->top[i];
    gen_part(c, p, outs);
    /* parts are held within their points, which add up to the total (and
       the sections' caps beside it): no overflow */
    total = p->section == SECTION_DEDUCTION ? LLVMBuildSub(c->b, total, c->part_value[p->index], "total")
                                            : LLVMBuildAdd(c->b, total, c->part_value[p->index], "total");
    LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, tstatus, zero, "");
    tstatus = LLVMBuildSelect(c->b, clean, c->part_status[p->index], tstatus, "status");
  }
  total = cg_settle_of(c, total); /* parts add up to at most the total's points */
  if (s->round_total >= 0) { /* the total as given without it (18 decimals), rounded (spec/semantics.md) */
    c->status = tstatus;
    c->part = NULL;
    c->target = NULL;
    total = rounded(c, cg_widen(c, total), s->round_total, s->round_loc);
    tstatus = c->status;
  }
  /* a requirement the row's data does not meet fails the total there, before
     any part's failure: the data is wrong, whatever the rules made of it */
  for (int i = 0; i < s->nrequires; i++) {
    const sc_require *rq = &s->requires[i];
    c->status = zero;
    c->part = NULL;
    c->target = NULL;
    val ok = cg_eval(c, rq->cond, cg_always(), NULL);
    assert(ok.n == 1);
    LLVMValueRef site = LLVMConstInt(c->i32, (unsigned long long)cg_add_site(c, SITE_REQUIRE, rq->loc, rq->message), 0);
    LLVMValueRef unmet = LLVMBuildSelect(c->b, ok.v[0], zero, site, "unmet");
    /* a condition that cannot be computed (a division by zero) fails there */
    LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "");
    unmet = LLVMBuildSelect(c->b, failed, c->status, unmet, "");
    LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, unmet, zero, "");
    tstatus = LLVMBuildSelect(c->b, clean, tstatus, unmet, "status");
  }
  LLVMValueRef tfailed = LLVMBuildICmp(c->b, LLVMIntNE, tstatus, zero, "failed");
  total = LLVMBuildSelect(c->b, tfailed, cg_error_value(c, tstatus), total, "total");
  cg_store_at(c, total, outs[abi_out_total(s)], c->row);
  for (int t = 0; t < s->ntargets; t++) gen_target(c, &s->targets[t], outs);
  for (int g = 0; g < s->ngrades; g++) {
    const sc_grade *gr = &s->grades[g];
    gen_grade(c, gr, gr->subject ? c->part_out[gr->subject->index] : total, outs);
  }
  cg_loop_end(c, n, &L);
  LLVMBuildRetVoid(c->b);

  /* The exported function (abi.h): unpack the column tables of N rows,
     move every column to row LO, and call rows() for HI - LO rows, so that
     row ranges can be scored apart (in parallel) and land in place. */
  LLVMTypeRef api_params[6] = {c->ptr, c->i64, c->i64, c->i64, c->ptr, c->ptr};
  LLVMTypeRef api_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), api_params, 6, 0);
  LLVMValueRef api = LLVMAddFunction(c->mod, name, api_ty);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(ctx, api, "entry"));
  LLVMValueRef *argv = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)nparams);
  LLVMValueRef api_n = LLVMGetParam(api, 1), lo = LLVMGetParam(api, 2), hi = LLVMGetParam(api, 3);
  cg_unpack_inputs(c, LLVMGetParam(api, 0), argv);
  pi = ncols_in;
  for (int k = 0; k < s->nstats; k++) argv[pi++] = cg_column(c, LLVMGetParam(api, 4), k, "stat");
  for (int k = 0; k < nout; k++) argv[pi++] = cg_column(c, LLVMGetParam(api, 5), k, "out");
  for (int k = ncols_in; k < pi; k++) argv[k] = cg_from(c, argv[k], lo); /* the inputs' cells are read at LO + r */
  if (ncal) argv[pi++] = cg_column(c, LLVMGetParam(api, 0), s->ninputs, "calendar"); /* not by row */
  argv[pi++] = lo;
  argv[pi++] = api_n;
  argv[pi] = LLVMBuildSub(c->b, hi, lo, "rows");
  LLVMBuildCall2(c->b, rows_ty, rows, argv, (unsigned)nparams, "");
  LLVMBuildRetVoid(c->b);
}
