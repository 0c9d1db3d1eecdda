/* codegen.c: LLVM IR for a checked scheme (see codegen.h for the ABI).
 *
 * One loop over rows; inside it each part is straight-line code: tiers and
 * clamps become selects, per-period values are unrolled (one SSA value per
 * period), and form calls are inlined: the body is evaluated with each
 * parameter standing for its argument expression (call by name; the
 * expressions are pure, and LLVM merges repeated ones). Every value is computed under a guard, the condition for
 * it to be used, so a division by zero or an `undefined` counts only on the
 * path a row really takes. The row body is emitted into an internal function
 * whose column pointers are all `noalias`; after inlining that lets the loop
 * vectoriser work without runtime alias checks.
 */
#include "codegen.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "check.h"

/* A value: one LLVM value, or one per period. */
typedef struct val {
  int n; /* 0: "always true" guard; 1: one value; nperiods: per period */
  LLVMValueRef *v;
} val;

typedef struct cg {
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  LLVMTypeRef f64, i1, i32, i64, ptr;
  const ast_scheme *scheme;
  rb_arena *arena;
  int nperiods;
  LLVMValueRef **in_ptr; /* [input][period]: column base pointers */
  LLVMValueRef row;
  LLVMValueRef status;   /* i32: 0, or 1 + the site that stopped the current part */
  const ast_part *part;
  cg_site *sites;
  int nsites, cap;
  LLVMValueRef *part_value, *part_status;
  LLVMValueRef *stat_ptr; /* [stat]: the statistics' columns (second pass) */
  LLVMTypeRef unary_ty;
  LLVMValueRef fn_ceil, fn_floor, fn_fabs, fn_round;
} cg;

static val one(cg *c, LLVMValueRef v) {
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
static val always(void) { return (val){0, NULL}; }
static LLVMValueRef f64c(cg *c, double d) { return LLVMConstReal(c->f64, d); }

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

static int add_site(cg *c, cg_site_kind kind, rb_loc loc, const char *reason) {
  if (c->nsites == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 16;
    c->sites = realloc(c->sites, sizeof *c->sites * (size_t)c->cap);
    if (!c->sites) abort();
  }
  c->sites[c->nsites] = (cg_site){kind, c->part, loc, reason, NULL};
  return ++c->nsites; /* status value: 1 + index */
}

/* The part fails at SITE wherever guard (and FAIL, if given) holds, unless
   an earlier site already stopped it. */
static void record(cg *c, val g, val fail, int site) {
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
static LLVMValueRef fmin2(cg *c, LLVMValueRef a, LLVMValueRef b) { return pick(c, LLVMRealOLE, a, b, "min"); }
static LLVMValueRef fmax2(cg *c, LLVMValueRef a, LLVMValueRef b) { return pick(c, LLVMRealOGE, a, b, "max"); }
static LLVMValueRef call1(cg *c, LLVMValueRef fn, LLVMValueRef x) {
  return LLVMBuildCall2(c->b, c->unary_ty, fn, &x, 1, "");
}

/* A form call: its arguments are evaluated where the body uses them, under
   the guard at that point and in the caller's environment, so an argument
   the body does not take on a row cannot fail that row. */
typedef struct env {
  ast_expr **args;
  struct env *caller;
  /* Uses of a parameter under the same guard share one evaluation, so a
     body that reads x three times, nested n deep, costs n, not 3^n. */
  val *memo, *memo_guard;
} env;

static val eval(cg *c, const ast_expr *e, val g, env *en);

static val eval_binary(cg *c, const ast_expr *e, val g, env *en) {
  ex_op op = e->bin.op;
  val l = eval(c, e->bin.lhs, g, en);
  if (op == OP_AND || op == OP_OR) {
    /* the right side only counts where the left does not decide */
    val r = eval(c, e->bin.rhs, both(c, g, op == OP_AND ? l : negate(c, l)), en);
    val out = make(c, wider(l, r));
    for (int k = 0; k < out.n; k++)
      out.v[k] = op == OP_AND ? LLVMBuildAnd(c->b, at(l, k), at(r, k), "and")
                              : LLVMBuildOr(c->b, at(l, k), at(r, k), "or");
    return out;
  }
  val r = eval(c, e->bin.rhs, g, en);
  val out = make(c, wider(l, r));
  bool is_bool = LLVMTypeOf(at(l, 0)) == c->i1;
  if (op == OP_DIV) {
    val zero = make(c, r.n);
    for (int k = 0; k < r.n; k++) zero.v[k] = LLVMBuildFCmp(c->b, LLVMRealOEQ, r.v[k], f64c(c, 0), "den0");
    record(c, g, zero, add_site(c, SITE_DIV_ZERO, e->loc, NULL));
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
static val eval_tiers(cg *c, const ast_expr *e, val g, env *en) {
  int n = 0;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) n++;
  val *conds = arena_alloc(c->arena, sizeof(val) * (size_t)n);
  val *vals = arena_alloc(c->arena, sizeof(val) * (size_t)n);
  val rest = g; /* no earlier tier matched */
  int i = 0;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next, i++) {
    conds[i] = eval(c, t->cond, rest, en);
    vals[i] = eval(c, t->value, both(c, rest, conds[i]), en);
    rest = both(c, rest, negate(c, conds[i]));
  }
  val result;
  if (e->tiers.otherwise) {
    result = eval(c, e->tiers.otherwise, rest, en);
  } else if (e->tiers.between) {
    result = eval(c, e->tiers.between, rest, en);
  } else {
    /* The checker proved the tiers cover every value; NaN marks the impossible. */
    result = one(c, f64c(c, __builtin_nan("")));
  }
  for (i = n - 1; i >= 0; i--) {
    int w = wider(conds[i], vals[i]);
    if (result.n > w) w = result.n;
    val r = make(c, w);
    for (int k = 0; k < w; k++) r.v[k] = LLVMBuildSelect(c->b, at(conds[i], k), at(vals[i], k), at(result, k), "tier");
    result = r;
  }
  return result;
}

static val eval_peer(cg *c, const ast_expr *e, val g, env *en);

static val eval_call(cg *c, const ast_expr *e, val g, env *en) {
  int n = e->call.nargs;
  if (e->call.builtin >= 0 && BI_IS_PEER(e->call.builtin)) return eval_peer(c, e, g, en);
  if (e->call.builtin < 0) {
    int np = e->call.form->nparams ? e->call.form->nparams : 1;
    env inner = {e->call.bound, en, arena_alloc(c->arena, sizeof(val) * (size_t)np),
                 arena_alloc(c->arena, sizeof(val) * (size_t)np)};
    return eval(c, e->call.form->body, g, &inner);
  }
  val *args = arena_alloc(c->arena, sizeof(val) * (size_t)n);
  int i = 0, w = 1;
  for (ast_arg *a = e->call.args; a; a = a->next, i++) {
    args[i] = eval(c, a->value, g, en);
    if (args[i].n > w) w = args[i].n;
  }
  switch ((bi_kind)e->call.builtin) {
  case BI_SUM:
  case BI_MEAN:
  case BI_COUNT: {
    /* over every argument and every period, left to right */
    LLVMValueRef acc = NULL;
    int terms = 0;
    for (i = 0; i < n; i++)
      for (int k = 0; k < args[i].n; k++, terms++) {
        LLVMValueRef x = args[i].v[k];
        if (e->call.builtin == BI_COUNT) x = LLVMBuildUIToFP(c->b, x, c->f64, "one");
        acc = acc ? LLVMBuildFAdd(c->b, acc, x, "sum") : x;
      }
    if (e->call.builtin == BI_MEAN) acc = LLVMBuildFDiv(c->b, acc, f64c(c, terms), "mean");
    return one(c, acc);
  }
  case BI_MIN:
  case BI_MAX: {
    bool is_min = e->call.builtin == BI_MIN;
    if (n == 1) { /* over the periods */
      LLVMValueRef acc = args[0].v[0];
      for (int k = 1; k < args[0].n; k++)
        acc = is_min ? fmin2(c, acc, args[0].v[k]) : fmax2(c, acc, args[0].v[k]);
      return one(c, acc);
    }
    val r = make(c, w);
    for (int k = 0; k < w; k++) {
      LLVMValueRef acc = at(args[0], k);
      for (i = 1; i < n; i++) acc = is_min ? fmin2(c, acc, at(args[i], k)) : fmax2(c, acc, at(args[i], k));
      r.v[k] = acc;
    }
    return r;
  }
  case BI_CLAMP: {
    val r = make(c, args[0].n);
    for (int k = 0; k < r.n; k++) r.v[k] = fmin2(c, fmax2(c, args[0].v[k], at(args[1], 0)), at(args[2], 0));
    return r;
  }
  case BI_CEIL:
  case BI_FLOOR:
  case BI_ABS: {
    LLVMValueRef fn = e->call.builtin == BI_CEIL ? c->fn_ceil : e->call.builtin == BI_FLOOR ? c->fn_floor : c->fn_fabs;
    val r = make(c, args[0].n);
    for (int k = 0; k < r.n; k++) r.v[k] = call1(c, fn, args[0].v[k]);
    return r;
  }
  case BI_LATEST: return one(c, args[0].v[args[0].n - 1]);
  case BI_PREVIOUS: return one(c, args[0].v[args[0].n - 2]);
  case BI_GROWTH: {
    LLVMValueRef last = args[0].v[args[0].n - 1], prev = args[0].v[args[0].n - 2];
    val zero = one(c, LLVMBuildFCmp(c->b, LLVMRealOEQ, prev, f64c(c, 0), "prev0"));
    record(c, g, zero, add_site(c, SITE_DIV_ZERO, e->loc, NULL));
    return one(c, LLVMBuildFSub(c->b, LLVMBuildFDiv(c->b, last, prev, ""), f64c(c, 1), "growth"));
  }
  default: assert(0);
  }
  return one(c, f64c(c, 0));
}

/* A peer statistic of this row (written by the first pass). A NaN there
   means some peer's value failed: the row fails too, where it reads it. */
static LLVMValueRef stat_value(cg *c, const ast_expr *e, int k, val g) {
  LLVMValueRef p = LLVMBuildGEP2(c->b, c->f64, c->stat_ptr[k], &c->row, 1, "");
  LLVMValueRef x = LLVMBuildLoad2(c->b, c->f64, p, "stat");
  val failed = one(c, LLVMBuildFCmp(c->b, LLVMRealUNO, x, x, "peerfail"));
  int site = add_site(c, SITE_PEER, e->loc, NULL);
  c->sites[site - 1].call = e;
  record(c, g, failed, site);
  return x;
}

/* peers.*(x): the statistics come from the first pass; x is this row's own
   value. The tie rules are in spec/semantics.md#peers. */
static val eval_peer(cg *c, const ast_expr *e, val g, env *en) {
  bi_kind bi = (bi_kind)e->call.builtin;
  /* the row's own value first: if it fails, that is the error to report */
  bool own = bi == BI_PEER_RATIO_TO_MAX || bi == BI_PEER_SHARE || bi == BI_PEER_MINMAX;
  LLVMValueRef x = own ? eval(c, e->call.args->value, g, en).v[0] : NULL;
  LLVMValueRef a = stat_value(c, e, e->call.stat[0], g);
  LLVMValueRef b = e->call.stat[1] >= 0 ? stat_value(c, e, e->call.stat[1], g) : NULL;
  LLVMValueRef zero = f64c(c, 0), one_ = f64c(c, 1);
  switch (bi) {
  case BI_PEER_RATIO_TO_MAX:
  case BI_PEER_SHARE: { /* x / max or x / sum; 0 when that is 0 or less */
    LLVMValueRef pos = LLVMBuildFCmp(c->b, LLVMRealOGT, a, zero, "");
    LLVMValueRef safe = LLVMBuildSelect(c->b, pos, a, one_, "");
    return one(c, LLVMBuildSelect(c->b, pos, LLVMBuildFDiv(c->b, x, safe, ""), zero, "ratio"));
  }
  case BI_PEER_MINMAX: { /* (x - min) / (max - min); 1 when every peer ties */
    LLVMValueRef width = LLVMBuildFSub(c->b, b, a, "");
    LLVMValueRef spread = LLVMBuildFCmp(c->b, LLVMRealOGT, width, zero, "");
    LLVMValueRef safe = LLVMBuildSelect(c->b, spread, width, one_, "");
    LLVMValueRef r = LLVMBuildFDiv(c->b, LLVMBuildFSub(c->b, x, a, ""), safe, "");
    return one(c, LLVMBuildSelect(c->b, spread, r, one_, "minmax"));
  }
  case BI_PEER_RANK_RATIO: /* (count - rank + 1) / count */
    return one(c, LLVMBuildFDiv(c->b, LLVMBuildFAdd(c->b, LLVMBuildFSub(c->b, b, a, ""), one_, ""), b, "rankratio"));
  default: return one(c, a); /* max, min, mean, sum, count, rank */
  }
}

static val eval(cg *c, const ast_expr *e, val g, env *en) {
  switch (e->kind) {
  case EX_NUMBER: return one(c, f64c(c, dec_to_double(e->num.value)));
  case EX_BOOL: return one(c, LLVMConstInt(c->i1, e->boolean, 0));
  case EX_NAME:
    switch (e->name.ref) {
    case REF_PARAM: {
      int i = e->name.param;
      if (en->memo[i].v && en->memo_guard[i].n == g.n && en->memo_guard[i].v == g.v) return en->memo[i];
      en->memo[i] = eval(c, en->args[i], g, en->caller);
      en->memo_guard[i] = g;
      return en->memo[i];
    }
    case REF_LET: return eval(c, e->name.let->value, g, NULL); /* a let names its expression */
    case REF_INPUT: {
      const ast_input *in = e->name.input;
      int m = in->per ? c->nperiods : 1;
      val r = make(c, m);
      for (int k = 0; k < m; k++) {
        LLVMValueRef p = LLVMBuildGEP2(c->b, c->f64, c->in_ptr[in->index][k], &c->row, 1, "");
        LLVMValueRef x = LLVMBuildLoad2(c->b, c->f64, p, in->name);
        r.v[k] = in->tkind == IN_YESNO ? LLVMBuildFCmp(c->b, LLVMRealUNE, x, f64c(c, 0), "yes") : x;
      }
      return r;
    }
    default: assert(0);
    }
    break;
  case EX_CALL: return eval_call(c, e, g, en);
  case EX_NEG: {
    val x = eval(c, e->operand, g, en);
    val r = make(c, x.n);
    for (int k = 0; k < x.n; k++) r.v[k] = LLVMBuildFNeg(c->b, x.v[k], "neg");
    return r;
  }
  case EX_NOT: return negate(c, eval(c, e->operand, g, en));
  case EX_BINARY: return eval_binary(c, e, g, en);
  case EX_TIERS: return eval_tiers(c, e, g, en);
  case EX_UNDEFINED:
    record(c, g, always(), add_site(c, SITE_UNDEFINED, e->loc, e->undef.reason));
    return one(c, f64c(c, 0));
  case EX_LIST: assert(0);
  }
  return one(c, f64c(c, 0));
}

/* A failed score: a quiet NaN carrying the status in its low bits. */
static LLVMValueRef error_nan(cg *c, LLVMValueRef status) {
  LLVMValueRef bits = LLVMBuildOr(c->b, LLVMBuildZExt(c->b, status, c->i64, ""),
                                  LLVMConstInt(c->i64, 0x7FF8000000000000ULL, 0), "nanbits");
  return LLVMBuildBitCast(c->b, bits, c->f64, "errnan");
}

static LLVMValueRef held_in(cg *c, LLVMValueRef v, rb_decimal points) {
  return fmin2(c, fmax2(c, v, f64c(c, 0)), f64c(c, dec_to_double(points)));
}

/* A part's score held within [0, points]; its status says whether it failed. */
static void gen_part(cg *c, const ast_part *p, LLVMValueRef *outs) {
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  LLVMValueRef value, status;
  if (p->nchildren) {
    value = NULL;
    status = zero;
    for (ast_stmt *st = p->body; st; st = st->next) {
      if (st->kind != ST_PART) continue;
      const ast_part *child = st->part;
      gen_part(c, child, outs);
      LLVMValueRef cv = c->part_value[child->index], cs = c->part_status[child->index];
      value = value ? LLVMBuildFAdd(c->b, value, cv, "parts") : cv;
      LLVMValueRef clean = LLVMBuildICmp(c->b, LLVMIntEQ, status, zero, "");
      status = LLVMBuildSelect(c->b, clean, cs, status, "status");
    }
    value = held_in(c, value, p->points);
  } else {
    c->part = p;
    c->status = zero;
    val v = eval(c, p->score, always(), NULL);
    assert(v.n == 1);
    /* An inf or NaN no rule produced (overflow, say) is still an error. */
    LLVMValueRef mag = call1(c, c->fn_fabs, v.v[0]);
    LLVMValueRef finite = LLVMBuildFCmp(c->b, LLVMRealOLT, mag, f64c(c, __builtin_inf()), "finite");
    val bad = one(c, LLVMBuildNot(c->b, finite, "nonfinite"));
    record(c, always(), bad, add_site(c, SITE_NONFINITE, p->loc, NULL));
    value = held_in(c, v.v[0], p->points);
    status = c->status;
    /* An empty cell of an input with `missing scores`: the stated points
       (the checker made every such input of this part agree). */
    LLVMValueRef empty = NULL;
    const ast_input *rule = NULL;
    for (int i = 0; i < c->scheme->ninputs; i++) {
      const ast_input *in = c->scheme->input_at[i];
      if (!p->uses[i] || (in->missing != MISS_POINTS && in->missing != MISS_FULL)) continue;
      rule = in;
      for (int k = 0; k < (in->per ? c->nperiods : 1); k++) {
        LLVMValueRef x = LLVMBuildLoad2(c->b, c->f64, LLVMBuildGEP2(c->b, c->f64, c->in_ptr[i][k], &c->row, 1, ""), "");
        LLVMValueRef nan = LLVMBuildFCmp(c->b, LLVMRealUNO, x, x, "empty");
        empty = empty ? LLVMBuildOr(c->b, empty, nan, "") : nan;
      }
    }
    if (empty) {
      double fixed = dec_to_double(rule->missing == MISS_FULL ? p->points : rule->missing_value);
      value = LLVMBuildSelect(c->b, empty, f64c(c, fixed), value, "missing");
      status = LLVMBuildSelect(c->b, empty, zero, status, "");
    }
  }
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, status, zero, "failed");
  value = LLVMBuildSelect(c->b, failed, error_nan(c, status), value, "score");
  c->part_value[p->index] = value;
  c->part_status[p->index] = status;
  LLVMValueRef slot = LLVMBuildGEP2(c->b, c->f64, outs[p->index], &c->row, 1, "");
  LLVMBuildStore(c->b, value, slot);
}

static LLVMValueRef intrinsic(cg *c, const char *name) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMTypeRef t = c->f64;
  return LLVMGetIntrinsicDeclaration(c->mod, id, &t, 1);
}

/* ---- target ------------------------------------------------------------ */

static LLVMTargetMachineRef host_tm;

LLVMTargetMachineRef cg_host_target(char *err, size_t errlen) {
  if (host_tm) return host_tm;
  if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()) {
    snprintf(err, errlen, "LLVM has no native target for this machine");
    return NULL;
  }
  char *triple = LLVMGetDefaultTargetTriple();
  char *msg = NULL;
  LLVMTargetRef target;
  if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
    snprintf(err, errlen, "LLVM target %s: %s", triple, msg ? msg : "unknown");
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    return NULL;
  }
  char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
  host_tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                    LLVMCodeModelJITDefault);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(features);
  LLVMDisposeMessage(triple);
  if (!host_tm) snprintf(err, errlen, "cannot create an LLVM target machine for this host");
  return host_tm;
}

void cg_target_shutdown(void) {
  if (host_tm) LLVMDisposeTargetMachine(host_tm);
  host_tm = NULL;
}

int cg_error_site(double score, int nsites) {
  uint64_t bits;
  memcpy(&bits, &score, sizeof bits);
  uint64_t code = bits & 0xFFFFFFFFu;
  if ((bits & 0x7FF8000000000000ULL) != 0x7FF8000000000000ULL || code == 0 || code > (uint64_t)nsites) return -1;
  return (int)code - 1;
}

/* ---- the function ------------------------------------------------------ */

static char *symbol_name(const char *prefix, const char *scheme_id) {
  size_t n = strlen(prefix) + strlen(scheme_id) + 1;
  char *s = malloc(n);
  if (!s) abort();
  snprintf(s, n, "%s%s", prefix, scheme_id);
  return s;
}

/* A counted loop over rows: loop_begin leaves the builder in the body with
   the row index in c->row; loop_end closes it and moves to the exit. */
typedef struct loop {
  LLVMBasicBlockRef pre, body, exit;
  LLVMValueRef row;
} loop;

static void loop_begin(cg *c, LLVMValueRef fn, LLVMValueRef n, loop *L) {
  L->pre = LLVMGetInsertBlock(c->b);
  L->body = LLVMAppendBasicBlockInContext(c->ctx, fn, "loop");
  L->exit = LLVMAppendBasicBlockInContext(c->ctx, fn, "after");
  LLVMValueRef any = LLVMBuildICmp(c->b, LLVMIntSGT, n, LLVMConstInt(c->i64, 0, 0), "any");
  LLVMBuildCondBr(c->b, any, L->body, L->exit);
  LLVMPositionBuilderAtEnd(c->b, L->body);
  L->row = c->row = LLVMBuildPhi(c->b, c->i64, "r");
}

static void loop_end(cg *c, LLVMValueRef n, loop *L) {
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
static void unpack_inputs(cg *c, LLVMValueRef in_tab, LLVMValueRef n, LLVMValueRef *argv) {
  const ast_scheme *s = c->scheme;
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++) {
    LLVMValueRef idx = LLVMConstInt(c->i64, (unsigned long long)i, 0);
    LLVMValueRef base = LLVMBuildLoad2(c->b, c->ptr, LLVMBuildGEP2(c->b, c->ptr, in_tab, &idx, 1, ""), "col");
    int m = s->input_at[i]->per ? c->nperiods : 1;
    for (int k = 0; k < m; k++) {
      LLVMValueRef off = LLVMBuildMul(c->b, n, LLVMConstInt(c->i64, (unsigned long long)k, 0), "");
      argv[pi++] = k ? LLVMBuildGEP2(c->b, c->f64, base, &off, 1, "period") : base;
    }
  }
}

static LLVMValueRef load_at(cg *c, LLVMValueRef base, LLVMValueRef idx, const char *name) {
  return LLVMBuildLoad2(c->b, c->f64, LLVMBuildGEP2(c->b, c->f64, base, &idx, 1, ""), name);
}
static void store_at(cg *c, LLVMValueRef v, LLVMValueRef base, LLVMValueRef idx) {
  LLVMBuildStore(c->b, v, LLVMBuildGEP2(c->b, c->f64, base, &idx, 1, ""));
}
static LLVMValueRef column(cg *c, LLVMValueRef tab, int k, const char *name) {
  LLVMValueRef idx = LLVMConstInt(c->i64, (unsigned long long)k, 0);
  return LLVMBuildLoad2(c->b, c->ptr, LLVMBuildGEP2(c->b, c->ptr, tab, &idx, 1, ""), name);
}

/* The first pass: each statistic's argument for every row, folded into its
   group's accumulator in WORK, then written back to every row of the group.
   A failed argument is NaN, and a NaN stays in its group's result. */
static void gen_peers(cg *c, const char *name) {
  const ast_scheme *s = c->scheme;
  LLVMTypeRef params[6] = {c->ptr, c->i64, c->ptr, c->i64, c->ptr, c->ptr};
  LLVMTypeRef fn_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), params, 6, 0);
  LLVMValueRef fn = LLVMAddFunction(c->mod, name, fn_ty);
  LLVMTypeRef rank_params[3] = {c->ptr, c->ptr, c->i64};
  LLVMTypeRef rank_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), rank_params, 3, 0);
  LLVMValueRef rank_fn = LLVMAddFunction(c->mod, CG_RANK_SYMBOL, rank_ty);
  LLVMTypeRef order_params[4] = {c->ptr, c->ptr, c->i64, c->ptr};
  LLVMTypeRef order_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), order_params, 4, 0);
  LLVMValueRef order_fn = LLVMAddFunction(c->mod, CG_ORDER_SYMBOL, order_ty);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  LLVMValueRef in_tab = LLVMGetParam(fn, 0), n = LLVMGetParam(fn, 1), group = LLVMGetParam(fn, 2);
  LLVMValueRef ngroups = LLVMGetParam(fn, 3), stat_tab = LLVMGetParam(fn, 4), work = LLVMGetParam(fn, 5);
  int ncols = 0;
  for (int i = 0; i < s->ninputs; i++) ncols += s->input_at[i]->per ? c->nperiods : 1;
  LLVMValueRef *cols = arena_alloc(c->arena, sizeof(LLVMValueRef) * (size_t)(ncols ? ncols : 1));
  unpack_inputs(c, in_tab, n, cols);
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++)
    for (int k = 0; k < (s->input_at[i]->per ? c->nperiods : 1); k++) c->in_ptr[i][k] = cols[pi++];
  LLVMValueRef counts = LLVMBuildGEP2(c->b, c->f64, work, &ngroups, 1, "counts");
  LLVMValueRef two_g = LLVMBuildMul(c->b, ngroups, LLVMConstInt(c->i64, 2, 0), "");
  LLVMValueRef order = LLVMBuildGEP2(c->b, c->f64, work, &two_g, 1, "order"); /* n row numbers */
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  for (int k = 0; k < s->nstats; k++) {
    const ast_stat *st = s->stat_at[k];
    LLVMValueRef out = column(c, stat_tab, k, "stat");
    /* 1. this row's value of the argument (a count counts 1 per row) */
    loop L;
    loop_begin(c, fn, n, &L);
    LLVMValueRef v = f64c(c, 1);
    if (st->arg) {
      c->status = zero;
      c->part = NULL;
      v = eval(c, st->arg, always(), NULL).v[0];
      LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "");
      v = LLVMBuildSelect(c->b, failed, f64c(c, __builtin_nan("")), v, "arg");
    }
    store_at(c, v, out, L.row);
    loop_end(c, n, &L);
    if (st->kind == STAT_RANK) {
      LLVMValueRef args[3] = {out, group, n};
      LLVMBuildCall2(c->b, rank_ty, rank_fn, args, 3, "");
      continue;
    }
    /* 2. accumulators: the identity of the fold, and no rows yet */
    double init = st->kind == STAT_MAX ? -__builtin_inf() : st->kind == STAT_MIN ? __builtin_inf() : 0;
    loop G;
    loop_begin(c, fn, ngroups, &G);
    store_at(c, f64c(c, init), work, G.row);
    store_at(c, f64c(c, 0), counts, G.row);
    loop_end(c, ngroups, &G);
    /* 3. fold each row into its group; a sum adds in sorted order (floating
       addition is not associative, and row order must not change the bits) */
    bool sorted = st->kind == STAT_SUM || st->kind == STAT_MEAN;
    if (sorted) {
      LLVMValueRef args[4] = {out, group, n, order};
      LLVMBuildCall2(c->b, order_ty, order_fn, args, 4, "");
    }
    loop F;
    loop_begin(c, fn, n, &F);
    LLVMValueRef row = F.row;
    if (sorted) row = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, order, &F.row, 1, ""), "row");
    LLVMValueRef gi = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, group, &row, 1, ""), "g");
    LLVMValueRef x = load_at(c, out, row, "x");
    LLVMValueRef acc = load_at(c, work, gi, "acc");
    LLVMValueRef next;
    switch (st->kind) {
    case STAT_MAX: next = fmax2(c, acc, x); break;
    case STAT_MIN: next = fmin2(c, acc, x); break;
    default: next = LLVMBuildFAdd(c->b, acc, x, "sum"); break; /* sum, mean, count: NaN stays NaN */
    }
    /* a NaN accumulator stays; fmax2/fmin2 keep a NaN from their first operand only */
    LLVMValueRef x_nan = LLVMBuildFCmp(c->b, LLVMRealUNO, x, x, "");
    next = LLVMBuildSelect(c->b, x_nan, x, next, "");
    LLVMValueRef acc_nan = LLVMBuildFCmp(c->b, LLVMRealUNO, acc, acc, "");
    next = LLVMBuildSelect(c->b, acc_nan, acc, next, "");
    store_at(c, next, work, gi);
    LLVMValueRef cnt = load_at(c, counts, gi, "n");
    store_at(c, LLVMBuildFAdd(c->b, cnt, f64c(c, 1), ""), counts, gi);
    loop_end(c, n, &F);
    /* 4. the group's result, on every row of it */
    loop B;
    loop_begin(c, fn, n, &B);
    gi = LLVMBuildLoad2(c->b, c->i64, LLVMBuildGEP2(c->b, c->i64, group, &B.row, 1, ""), "g");
    LLVMValueRef r = load_at(c, work, gi, "acc");
    if (st->kind == STAT_MEAN) r = LLVMBuildFDiv(c->b, r, load_at(c, counts, gi, "n"), "mean");
    store_at(c, r, out, B.row);
    loop_end(c, n, &B);
  }
  LLVMBuildRetVoid(c->b);
}

/* A target: its value, its goal, and whether the value meets the goal. */
static void gen_target(cg *c, const ast_part *t, LLVMValueRef *outs) {
  const ast_scheme *s = c->scheme;
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0);
  c->part = t;
  c->status = zero;
  const ast_expr *rule = t->score;
  LLVMValueRef value = eval(c, rule->bin.lhs, always(), NULL).v[0];
  LLVMValueRef goal = eval(c, rule->bin.rhs, always(), NULL).v[0];
  LLVMRealPredicate pred = rule->bin.op == OP_GE ? LLVMRealOGE : rule->bin.op == OP_GT ? LLVMRealOGT
                         : rule->bin.op == OP_LE ? LLVMRealOLE : LLVMRealOLT;
  LLVMValueRef met = LLVMBuildUIToFP(c->b, LLVMBuildFCmp(c->b, pred, value, goal, "met"), c->f64, "");
  LLVMValueRef mag = LLVMBuildFAdd(c->b, call1(c, c->fn_fabs, value), call1(c, c->fn_fabs, goal), "");
  val bad = one(c, LLVMBuildNot(c->b, LLVMBuildFCmp(c->b, LLVMRealOLT, mag, f64c(c, __builtin_inf()), ""), ""));
  record(c, always(), bad, add_site(c, SITE_NONFINITE, t->loc, NULL));
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "failed");
  LLVMValueRef err = error_nan(c, c->status);
  LLVMValueRef vals[3] = {value, goal, met};
  for (int k = 0; k < 3; k++)
    store_at(c, LLVMBuildSelect(c->b, failed, err, vals[k], ""), outs[cg_out_target(s, t->index) + k], c->row);
}

/* A grade: the index of the band the subject falls in, comparing the
   subject rounded to 9 decimals so float noise in a sum never moves it
   across an edge. A failed subject stays its error. */
static void gen_grade(cg *c, const ast_grade *g, LLVMValueRef subject, LLVMValueRef *outs) {
  LLVMValueRef scaled = LLVMBuildFMul(c->b, subject, f64c(c, 1e9), "");
  LLVMValueRef v = LLVMBuildFDiv(c->b, call1(c, c->fn_round, scaled), f64c(c, 1e9), "graded");
  LLVMValueRef band = f64c(c, __builtin_nan("")); /* unreachable: the checker proved the bands cover */
  int k = g->nbands - 1;
  const ast_band **order = arena_alloc(c->arena, sizeof *order * (size_t)(g->nbands ? g->nbands : 1));
  int i = 0;
  for (const ast_band *b = g->bands; b; b = b->next) order[i++] = b;
  for (; k >= 0; k--) {
    const ast_band *b = order[k];
    LLVMValueRef in = LLVMConstInt(c->i1, 1, 0);
    if (b->has_lo)
      in = LLVMBuildAnd(c->b, in, LLVMBuildFCmp(c->b, b->lo_open ? LLVMRealOGT : LLVMRealOGE, v,
                                                f64c(c, dec_to_double(b->lo)), ""), "");
    if (b->has_hi)
      in = LLVMBuildAnd(c->b, in, LLVMBuildFCmp(c->b, b->hi_open ? LLVMRealOLT : LLVMRealOLE, v,
                                                f64c(c, dec_to_double(b->hi)), ""), "");
    band = LLVMBuildSelect(c->b, in, f64c(c, k), band, "band");
  }
  LLVMValueRef failed = LLVMBuildFCmp(c->b, LLVMRealUNO, subject, subject, "");
  store_at(c, LLVMBuildSelect(c->b, failed, subject, band, ""), outs[cg_out_grade(c->scheme, g->index)], c->row);
}

int cg_scheme(const ast_scheme *s, LLVMContextRef ctx, cg_result *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  LLVMTargetMachineRef tm = cg_host_target(err, errlen);
  if (!tm) return -1;
  cg c = {0};
  c.arena = arena_new();
  c.ctx = ctx;
  c.scheme = s;
  c.nperiods = check_period_count(s);
  c.f64 = LLVMDoubleTypeInContext(ctx);
  c.i1 = LLVMInt1TypeInContext(ctx);
  c.i32 = LLVMInt32TypeInContext(ctx);
  c.i64 = LLVMInt64TypeInContext(ctx);
  c.ptr = LLVMPointerTypeInContext(ctx, 0);
  out->fn_name = symbol_name("rubric_score_", s->id);
  c.mod = LLVMModuleCreateWithNameInContext(s->id, ctx);
  char *triple = LLVMGetTargetMachineTriple(tm);
  LLVMSetTarget(c.mod, triple);
  LLVMDisposeMessage(triple);
  LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
  LLVMSetModuleDataLayout(c.mod, layout);
  LLVMDisposeTargetData(layout);
  c.b = LLVMCreateBuilderInContext(ctx);
  c.unary_ty = LLVMFunctionType(c.f64, &c.f64, 1, 0);
  c.fn_ceil = intrinsic(&c, "llvm.ceil");
  c.fn_floor = intrinsic(&c, "llvm.floor");
  c.fn_fabs = intrinsic(&c, "llvm.fabs");
  c.fn_round = intrinsic(&c, "llvm.round");
  c.in_ptr = arena_alloc(c.arena, sizeof(LLVMValueRef *) * (size_t)(s->ninputs ? s->ninputs : 1));
  for (int i = 0; i < s->ninputs; i++)
    c.in_ptr[i] = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)(s->input_at[i]->per ? c.nperiods : 1));

  if (s->nstats) {
    out->peers_name = symbol_name("rubric_peers_", s->id);
    gen_peers(&c, out->peers_name);
  }

  /* Column pointers: one per input period block, one per statistic, one per output. */
  int ncols_in = 0;
  for (int i = 0; i < s->ninputs; i++) ncols_in += s->input_at[i]->per ? c.nperiods : 1;
  int nout = cg_out_count(s);
  int nparams = ncols_in + s->nstats + nout + 1;
  LLVMTypeRef *ptys = arena_alloc(c.arena, sizeof(LLVMTypeRef) * (size_t)nparams);
  for (int i = 0; i < nparams - 1; i++) ptys[i] = c.ptr;
  ptys[nparams - 1] = c.i64;
  LLVMTypeRef rows_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), ptys, (unsigned)nparams, 0);
  LLVMValueRef rows = LLVMAddFunction(c.mod, "rows", rows_ty);
  LLVMSetLinkage(rows, LLVMInternalLinkage);
  unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
  unsigned inl = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
  for (int i = 0; i < nparams - 1; i++)
    LLVMAddAttributeAtIndex(rows, (unsigned)i + 1, LLVMCreateEnumAttribute(ctx, noalias, 0));
  LLVMAddAttributeAtIndex(rows, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(ctx, inl, 0));

  /* rows(): for (row = 0; row < n; row++) { score every part, target and grade } */
  LLVMPositionBuilderAtEnd(c.b, LLVMAppendBasicBlockInContext(ctx, rows, "entry"));
  int pi = 0;
  for (int i = 0; i < s->ninputs; i++) {
    int m = s->input_at[i]->per ? c.nperiods : 1;
    for (int k = 0; k < m; k++) c.in_ptr[i][k] = LLVMGetParam(rows, (unsigned)pi++);
  }
  c.stat_ptr = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)(s->nstats ? s->nstats : 1));
  for (int k = 0; k < s->nstats; k++) c.stat_ptr[k] = LLVMGetParam(rows, (unsigned)pi++);
  LLVMValueRef *outs = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)nout);
  for (int k = 0; k < nout; k++) outs[k] = LLVMGetParam(rows, (unsigned)pi++);
  LLVMValueRef n = LLVMGetParam(rows, (unsigned)pi);
  loop L;
  loop_begin(&c, rows, n, &L);
  c.part_value = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  c.part_status = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)(s->nparts ? s->nparts : 1));
  LLVMValueRef zero = LLVMConstInt(c.i32, 0, 0);
  LLVMValueRef total = f64c(&c, 0), tstatus = zero;
  for (ast_stmt *st = s->body; st; st = st->next) {
    if (st->kind != ST_PART || st->part->kind == PART_TARGET) continue;
    gen_part(&c, st->part, outs);
    total = LLVMBuildFAdd(c.b, total, c.part_value[st->part->index], "total");
    LLVMValueRef clean = LLVMBuildICmp(c.b, LLVMIntEQ, tstatus, zero, "");
    tstatus = LLVMBuildSelect(c.b, clean, c.part_status[st->part->index], tstatus, "status");
  }
  LLVMValueRef tfailed = LLVMBuildICmp(c.b, LLVMIntNE, tstatus, zero, "failed");
  total = LLVMBuildSelect(c.b, tfailed, error_nan(&c, tstatus), total, "total");
  store_at(&c, total, outs[cg_out_total(s)], c.row);
  for (int t = 0; t < s->ntargets; t++) gen_target(&c, s->target_at[t], outs);
  for (int g = 0; g < s->ngrades; g++) {
    const ast_grade *gr = s->grade_at[g];
    gen_grade(&c, gr, gr->part ? c.part_value[gr->part->index] : total, outs);
  }
  loop_end(&c, n, &L);
  LLVMBuildRetVoid(c.b);

  /* The exported function: unpack the column tables, call rows(). */
  LLVMTypeRef api_params[4] = {c.ptr, c.i64, c.ptr, c.ptr};
  LLVMTypeRef api_ty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), api_params, 4, 0);
  LLVMValueRef api = LLVMAddFunction(c.mod, out->fn_name, api_ty);
  LLVMPositionBuilderAtEnd(c.b, LLVMAppendBasicBlockInContext(ctx, api, "entry"));
  LLVMValueRef *argv = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)nparams);
  LLVMValueRef api_n = LLVMGetParam(api, 1);
  unpack_inputs(&c, LLVMGetParam(api, 0), api_n, argv);
  pi = ncols_in;
  for (int k = 0; k < s->nstats; k++) argv[pi++] = column(&c, LLVMGetParam(api, 2), k, "stat");
  for (int k = 0; k < nout; k++) argv[pi++] = column(&c, LLVMGetParam(api, 3), k, "out");
  argv[pi] = api_n;
  LLVMBuildCall2(c.b, rows_ty, rows, argv, (unsigned)nparams, "");
  LLVMBuildRetVoid(c.b);
  LLVMDisposeBuilder(c.b);

  out->module = c.mod;
  out->sites = c.sites;
  out->nsites = c.nsites;
  arena_free(c.arena);

  char *verr = NULL;
  if (LLVMVerifyModule(c.mod, LLVMReturnStatusAction, &verr)) {
    snprintf(err, errlen, "internal error: invalid LLVM IR for scheme %s: %s", s->id, verr ? verr : "");
    LLVMDisposeMessage(verr);
    return -1;
  }
  LLVMDisposeMessage(verr);
  LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
  LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
  LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
  LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
  LLVMErrorRef perr = LLVMRunPasses(c.mod, "default<O2>", tm, opts);
  LLVMDisposePassBuilderOptions(opts);
  if (perr) {
    char *m = LLVMGetErrorMessage(perr); /* consumes perr */
    snprintf(err, errlen, "LLVM optimisation failed: %s", m);
    LLVMDisposeErrorMessage(m);
    return -1;
  }
  return 0;
}

void cg_result_free(cg_result *r) {
  if (r->module) LLVMDisposeModule(r->module);
  free(r->fn_name);
  free(r->peers_name);
  free(r->sites);
  memset(r, 0, sizeof *r);
}
