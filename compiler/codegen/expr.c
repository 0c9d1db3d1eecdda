/* expr.c: an expression of the checked scheme as straight-line IR.
 *
 * Tiers and clamps become selects, per-period values are unrolled (one SSA
 * value per period), and form calls are inlined: the body is evaluated
 * with each parameter standing for its argument expression (call by name;
 * the expressions are pure, and LLVM merges repeated ones). Every value is
 * computed under a guard, the condition for it to be used, so a division by
 * zero or an `undefined` counts only on the path a row really takes.
 */
#include <assert.h>
#include <stdlib.h>

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
LLVMValueRef cg_f64(cg *c, double d) { return LLVMConstReal(c->f64, d); }

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

/* min and max keep a NaN from either side, so a non-finite intermediate
   (an overflow, say) reaches the final finiteness check instead of being
   dropped: pick a when it wins or is NaN, else b. */
static LLVMValueRef pick(cg *c, LLVMRealPredicate wins, LLVMValueRef a, LLVMValueRef b, const char *name) {
  LLVMValueRef a_wins = LLVMBuildFCmp(c->b, wins, a, b, "");
  LLVMValueRef a_nan = LLVMBuildFCmp(c->b, LLVMRealUNO, a, a, "");
  return LLVMBuildSelect(c->b, LLVMBuildOr(c->b, a_wins, a_nan, ""), a, b, name);
}
LLVMValueRef cg_min(cg *c, LLVMValueRef a, LLVMValueRef b) { return pick(c, LLVMRealOLE, a, b, "min"); }
LLVMValueRef cg_max(cg *c, LLVMValueRef a, LLVMValueRef b) { return pick(c, LLVMRealOGE, a, b, "max"); }
LLVMValueRef cg_call1(cg *c, LLVMValueRef fn, LLVMValueRef x) {
  return LLVMBuildCall2(c->b, c->unary_ty, fn, &x, 1, "");
}

/* A failed score: a quiet NaN carrying the status in its low bits. */
LLVMValueRef cg_error_nan(cg *c, LLVMValueRef status) {
  LLVMValueRef bits = LLVMBuildOr(c->b, LLVMBuildZExt(c->b, status, c->i64, ""),
                                  LLVMConstInt(c->i64, 0x7FF8000000000000ULL, 0), "nanbits");
  return LLVMBuildBitCast(c->b, bits, c->f64, "errnan");
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
  val out = make(c, wider(l, r));
  bool is_bool = LLVMTypeOf(at(l, 0)) == c->i1;
  if (op == OP_DIV) {
    val zero = make(c, r.n);
    for (int k = 0; k < r.n; k++) zero.v[k] = LLVMBuildFCmp(c->b, LLVMRealOEQ, r.v[k], cg_f64(c, 0), "den0");
    cg_record(c, g, zero, cg_add_site(c, SITE_DIV_ZERO, e->loc, NULL));
  }
  for (int k = 0; k < out.n; k++) {
    LLVMValueRef a = at(l, k), b = at(r, k);
    switch (op) {
    case OP_ADD: out.v[k] = LLVMBuildFAdd(c->b, a, b, "add"); break;
    case OP_SUB: out.v[k] = LLVMBuildFSub(c->b, a, b, "sub"); break;
    case OP_MUL: out.v[k] = LLVMBuildFMul(c->b, a, b, "mul"); break;
    case OP_DIV: out.v[k] = LLVMBuildFDiv(c->b, a, b, "div"); break;
    case OP_LT: out.v[k] = LLVMBuildFCmp(c->b, LLVMRealOLT, a, b, "lt"); break;
    case OP_LE: out.v[k] = LLVMBuildFCmp(c->b, LLVMRealOLE, a, b, "le"); break;
    case OP_GT: out.v[k] = LLVMBuildFCmp(c->b, LLVMRealOGT, a, b, "gt"); break;
    case OP_GE: out.v[k] = LLVMBuildFCmp(c->b, LLVMRealOGE, a, b, "ge"); break;
    case OP_EQ:
      out.v[k] = is_bool ? LLVMBuildICmp(c->b, LLVMIntEQ, a, b, "eq") : LLVMBuildFCmp(c->b, LLVMRealOEQ, a, b, "eq");
      break;
    case OP_NE:
      out.v[k] = is_bool ? LLVMBuildICmp(c->b, LLVMIntNE, a, b, "ne") : LLVMBuildFCmp(c->b, LLVMRealUNE, a, b, "ne");
      break;
    default: assert(0);
    }
  }
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
  val result;
  if (e->tiers.otherwise) {
    result = cg_eval(c, e->tiers.otherwise, rest, en);
  } else {
    /* The checker proved the tiers cover every value; NaN marks the impossible. */
    result = cg_one(c, cg_f64(c, __builtin_nan("")));
  }
  for (int i = n - 1; i >= 0; i--) {
    int w = wider(conds[i], vals[i]);
    if (result.n > w) w = result.n;
    val r = make(c, w);
    for (int k = 0; k < w; k++) r.v[k] = LLVMBuildSelect(c->b, at(conds[i], k), at(vals[i], k), at(result, k), "tier");
    result = r;
  }
  return result;
}

/* A peer statistic of this row (written by the first pass). A NaN there
   means some peer's value failed: the row fails too, where it reads it. */
static LLVMValueRef stat_value(cg *c, const sc_expr *e, int k, val g) {
  LLVMValueRef p = LLVMBuildGEP2(c->b, c->f64, c->stat_ptr[k], &c->row, 1, "");
  LLVMValueRef x = LLVMBuildLoad2(c->b, c->f64, p, "stat");
  val failed = cg_one(c, LLVMBuildFCmp(c->b, LLVMRealUNO, x, x, "peerfail"));
  cg_record(c, g, failed, cg_add_site(c, SITE_PEER, e->loc, NULL));
  return x;
}

/* peers.*(x): the statistics come from the first pass; x is this row's own
   value. The tie rules are in spec/semantics.md#peers. */
static val eval_peer(cg *c, const sc_expr *e, val g, env *en) {
  bi_kind bi = e->peer.fn;
  /* the row's own value first: if it fails, that is the error to report */
  bool own = bi == BI_PEER_RATIO_TO_MAX || bi == BI_PEER_SHARE || bi == BI_PEER_MINMAX;
  LLVMValueRef x = own ? cg_eval(c, e->peer.arg, g, en).v[0] : NULL;
  LLVMValueRef a = stat_value(c, e, e->peer.stat[0], g);
  LLVMValueRef b = e->peer.stat[1] >= 0 ? stat_value(c, e, e->peer.stat[1], g) : NULL;
  LLVMValueRef zero = cg_f64(c, 0), one_ = cg_f64(c, 1);
  switch (bi) {
  case BI_PEER_RATIO_TO_MAX:
  case BI_PEER_SHARE: { /* x / max or x / sum; 0 when that is 0 or less */
    LLVMValueRef pos = LLVMBuildFCmp(c->b, LLVMRealOGT, a, zero, "");
    LLVMValueRef safe = LLVMBuildSelect(c->b, pos, a, one_, "");
    return cg_one(c, LLVMBuildSelect(c->b, pos, LLVMBuildFDiv(c->b, x, safe, ""), zero, "ratio"));
  }
  case BI_PEER_MINMAX: { /* (x - min) / (max - min); 1 when every peer ties */
    LLVMValueRef width = LLVMBuildFSub(c->b, b, a, "");
    LLVMValueRef spread = LLVMBuildFCmp(c->b, LLVMRealOGT, width, zero, "");
    LLVMValueRef safe = LLVMBuildSelect(c->b, spread, width, one_, "");
    LLVMValueRef r = LLVMBuildFDiv(c->b, LLVMBuildFSub(c->b, x, a, ""), safe, "");
    return cg_one(c, LLVMBuildSelect(c->b, spread, r, one_, "minmax"));
  }
  case BI_PEER_RANK_RATIO: /* (count - rank + 1) / count */
    return cg_one(c, LLVMBuildFDiv(c->b, LLVMBuildFAdd(c->b, LLVMBuildFSub(c->b, b, a, ""), one_, ""), b, "rankratio"));
  default: return cg_one(c, a); /* max, min, mean, sum, count, rank */
  }
}

static val eval_builtin(cg *c, const sc_expr *e, val g, env *en) {
  int n = e->call.nargs;
  val *args = arena_alloc(c->arena, sizeof(val) * (size_t)(n ? n : 1));
  int w = 1;
  for (int i = 0; i < n; i++) {
    args[i] = cg_eval(c, e->call.args[i], g, en);
    if (args[i].n > w) w = args[i].n;
  }
  switch (e->call.fn) {
  case BI_SUM:
  case BI_MEAN:
  case BI_COUNT: {
    /* over every argument and every period, left to right */
    LLVMValueRef acc = NULL;
    int terms = 0;
    for (int i = 0; i < n; i++)
      for (int k = 0; k < args[i].n; k++, terms++) {
        LLVMValueRef x = args[i].v[k];
        if (e->call.fn == BI_COUNT) x = LLVMBuildUIToFP(c->b, x, c->f64, "one");
        acc = acc ? LLVMBuildFAdd(c->b, acc, x, "sum") : x;
      }
    if (e->call.fn == BI_MEAN) acc = LLVMBuildFDiv(c->b, acc, cg_f64(c, terms), "mean");
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
  case BI_CEIL:
  case BI_FLOOR:
  case BI_ABS: {
    LLVMValueRef fn = e->call.fn == BI_CEIL ? c->fn_ceil : e->call.fn == BI_FLOOR ? c->fn_floor : c->fn_fabs;
    val r = make(c, args[0].n);
    for (int k = 0; k < r.n; k++) r.v[k] = cg_call1(c, fn, args[0].v[k]);
    return r;
  }
  case BI_LATEST: return cg_one(c, args[0].v[args[0].n - 1]);
  case BI_PREVIOUS: return cg_one(c, args[0].v[args[0].n - 2]);
  case BI_GROWTH: {
    LLVMValueRef last = args[0].v[args[0].n - 1], prev = args[0].v[args[0].n - 2];
    val zero = cg_one(c, LLVMBuildFCmp(c->b, LLVMRealOEQ, prev, cg_f64(c, 0), "prev0"));
    cg_record(c, g, zero, cg_add_site(c, SITE_DIV_ZERO, e->loc, NULL));
    return cg_one(c, LLVMBuildFSub(c->b, LLVMBuildFDiv(c->b, last, prev, ""), cg_f64(c, 1), "growth"));
  }
  default: assert(0);
  }
  return cg_one(c, cg_f64(c, 0));
}

static val eval_input(cg *c, const sc_input *in) {
  int m = in->periodic ? c->nperiods : 1;
  val r = make(c, m);
  for (int k = 0; k < m; k++) {
    LLVMValueRef p = LLVMBuildGEP2(c->b, c->f64, c->in_ptr[in->index][k], &c->row, 1, "");
    LLVMValueRef x = LLVMBuildLoad2(c->b, c->f64, p, in->name);
    r.v[k] = in->type == IN_YESNO ? LLVMBuildFCmp(c->b, LLVMRealUNE, x, cg_f64(c, 0), "yes") : x;
  }
  return r;
}

val cg_eval(cg *c, const sc_expr *e, val g, env *en) {
  switch (e->kind) {
  case SX_NUMBER: return cg_one(c, cg_f64(c, dec_to_double(e->number)));
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
    for (int k = 0; k < x.n; k++) r.v[k] = LLVMBuildFNeg(c->b, x.v[k], "neg");
    return r;
  }
  case SX_NOT: return negate(c, cg_eval(c, e->operand, g, en));
  case SX_BINARY: return eval_binary(c, e, g, en);
  case SX_TIERS: return eval_tiers(c, e, g, en);
  case SX_UNDEFINED:
    cg_record(c, g, cg_always(), cg_add_site(c, SITE_UNDEFINED, e->loc, e->reason));
    return cg_one(c, cg_f64(c, 0));
  }
  assert(0);
  return cg_one(c, cg_f64(c, 0));
}
