/* ranges.c: interval analysis of the rules; see ranges.h.
 *
 * Each value is an interval [lo, hi] (closed: a sound over-approximation of
 * < and >), each condition a pair "can be yes / can be no". Tier conditions
 * of the form `name op number` narrow that name's interval inside the tier,
 * so `0 if b == 0, a / b otherwise` proves b is not 0 in the division. A
 * per-period value's interval holds for every period. `undefined` has no
 * values (an empty interval): a branch that is undefined adds nothing.
 */
#include "ranges.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

typedef struct iv {
  double lo, hi;
  bool empty;
} iv;

/* An abstract value: a number's interval, or what a condition can be. */
typedef struct aval {
  bool is_bool;
  bool can_true, can_false;
  iv num;
  bool periodic;
} aval;

/* Names whose interval a tier condition narrowed, innermost first. */
typedef struct narrow {
  struct narrow *next;
  const void *key; /* an sc_input* or an sc_let* */
  iv range;
} narrow;

static narrow infeasible_marker;
#define INFEASIBLE (&infeasible_marker)

typedef struct fenv {
  sc_expr *const *args;
  struct fenv *caller;
  narrow *caller_narrow;
  aval *memo; /* a parameter's value depends only on the caller: analyse it once */
  bool *done;
} fenv;

typedef struct rg {
  rb_arena *arena;
  rb_diags *diags;
  const sc_scheme *scheme;
  int nperiods;
  const sc_expr *call; /* the outermost form call being analysed, for locations */
  const sc_expr **reported; /* divisions already reported */
  int nreported;
  iv items;                 /* `items` in the rule of a part with items: their sum */
} rg;

static iv point(double v) { return (iv){v, v, false}; }
static iv span(double lo, double hi) { return lo <= hi ? (iv){lo, hi, false} : (iv){0, 0, true}; }
static iv nothing(void) { return (iv){0, 0, true}; }
static aval num(iv x, bool periodic) { return (aval){.num = x, .periodic = periodic}; }
static aval cond(bool t, bool f, bool periodic) {
  return (aval){.is_bool = true, .can_true = t, .can_false = f, .periodic = periodic};
}

static iv join(iv a, iv b) {
  if (a.empty) return b;
  if (b.empty) return a;
  return (iv){fmin(a.lo, b.lo), fmax(a.hi, b.hi), false};
}
static iv meet(iv a, iv b) {
  if (a.empty || b.empty) return nothing();
  return span(fmax(a.lo, b.lo), fmin(a.hi, b.hi));
}

/* inf * 0 is taken as 0: an unbounded count times a zero weight is 0 */
static double mul0(double a, double b) { return (a == 0 || b == 0) ? 0 : a * b; }

static iv iv_add(iv a, iv b) { return a.empty || b.empty ? nothing() : (iv){a.lo + b.lo, a.hi + b.hi, false}; }
static iv iv_neg(iv a) { return a.empty ? a : (iv){-a.hi, -a.lo, false}; }
static iv iv_sub(iv a, iv b) { return iv_add(a, iv_neg(b)); }
static iv iv_mul(iv a, iv b) {
  if (a.empty || b.empty) return nothing();
  double p[4] = {mul0(a.lo, b.lo), mul0(a.lo, b.hi), mul0(a.hi, b.lo), mul0(a.hi, b.hi)};
  iv r = {p[0], p[0], false};
  for (int i = 1; i < 4; i++) {
    r.lo = fmin(r.lo, p[i]);
    r.hi = fmax(r.hi, p[i]);
  }
  return r;
}
static iv iv_scale(iv a, double k) { return iv_mul(a, point(k)); }
static bool contains_zero(iv a) { return !a.empty && a.lo <= 0 && a.hi >= 0; }
static iv iv_div(iv a, iv b) {
  if (a.empty || b.empty) return nothing();
  if (b.lo == 0 && b.hi == 0) return nothing(); /* always an error: no value */
  if (!contains_zero(b)) return iv_mul(a, span(fmin(1 / b.lo, 1 / b.hi), fmax(1 / b.lo, 1 / b.hi)));
  /* b reaches 0 (reported elsewhere); on the rows that score, anything of the right sign */
  if (b.lo >= 0 && a.lo >= 0) return span(0, INFINITY);
  return span(-INFINITY, INFINITY);
}

static int by_descending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

/* ---- names ----------------------------------------------------------------- */

static aval analyse(rg *r, const sc_expr *e, narrow *nw, fenv *fe);

static const iv *narrowed(narrow *nw, const void *key) {
  for (; nw && nw != INFEASIBLE; nw = nw->next)
    if (nw->key == key) return &nw->range;
  return NULL;
}

static aval input_value(const sc_input *in, narrow *nw) {
  double lo, hi;
  scheme_input_bounds(in, &lo, &hi);
  iv x = span(lo, hi);
  const iv *n = narrowed(nw, in);
  if (n) x = *n;
  if (in->type == IN_YESNO) return cond(!x.empty && x.hi >= 1, !x.empty && x.lo <= 0, in->periodic);
  return num(x, in->periodic);
}

/* ---- conditions narrow names ------------------------------------------------ */

static bool literal(const sc_expr *e, double *v) {
  if (e->kind == SX_NUMBER) {
    *v = dec_to_double(e->number);
    return true;
  }
  if (e->kind == SX_NEG && e->operand->kind == SX_NUMBER) {
    *v = -dec_to_double(e->operand->number);
    return true;
  }
  return false;
}

static const void *name_key(const sc_expr *e) {
  if (e->kind == SX_INPUT) return e->input;
  if (e->kind == SX_LET) return e->let;
  return NULL;
}

static narrow *push(rg *r, narrow *nw, const void *key, iv range) {
  if (range.empty) return INFEASIBLE;
  narrow *n = arena_alloc(r->arena, sizeof *n);
  n->next = nw;
  n->key = key;
  n->range = range;
  return n;
}

static ex_op negate_op(ex_op op) {
  switch (op) {
  case OP_LT: return OP_GE;
  case OP_LE: return OP_GT;
  case OP_GT: return OP_LE;
  case OP_GE: return OP_LT;
  case OP_EQ: return OP_NE;
  default: return OP_EQ;
  }
}

/* NW where COND is TRUTH; INFEASIBLE when no value makes it so. */
static narrow *assume(rg *r, const sc_expr *c, bool truth, narrow *nw, fenv *fe) {
  if (nw == INFEASIBLE) return nw;
  if (c->kind == SX_NOT) return assume(r, c->operand, !truth, nw, fe);
  if (c->kind == SX_BINARY && (c->bin.op == OP_AND || c->bin.op == OP_OR)) {
    if ((c->bin.op == OP_AND) == truth) /* both sides hold (or both fail) */
      return assume(r, c->bin.rhs, truth, assume(r, c->bin.lhs, truth, nw, fe), fe);
  } else if (c->kind == SX_BINARY && c->bin.op >= OP_LT && c->bin.op <= OP_NE) {
    const sc_expr *side = c->bin.lhs;
    double v;
    ex_op op = c->bin.op;
    bool ok = literal(c->bin.rhs, &v);
    if (!ok && literal(c->bin.lhs, &v)) {
      static const ex_op flip[] = {[OP_LT] = OP_GT, [OP_LE] = OP_GE, [OP_GT] = OP_LT,
                                   [OP_GE] = OP_LE, [OP_EQ] = OP_EQ, [OP_NE] = OP_NE};
      side = c->bin.rhs;
      op = flip[op];
      ok = true;
    }
    const void *key = ok ? name_key(side) : NULL;
    aval cur = key ? analyse(r, side, nw, fe) : (aval){0};
    if (key && !cur.is_bool && !cur.periodic) {
      if (!truth) op = negate_op(op);
      iv x = cur.num;
      /* Strict bounds step to the next value: the next whole number for
         counts and ranks, the next double otherwise. */
      bool whole = side->kind == SX_INPUT && (side->input->type == IN_COUNT || side->input->type == IN_RANK);
      double below = whole ? ceil(v) - 1 : nextafter(v, -INFINITY);
      double above = whole ? floor(v) + 1 : nextafter(v, INFINITY);
      switch (op) {
      case OP_LT: return push(r, nw, key, meet(x, span(-INFINITY, below)));
      case OP_LE: return push(r, nw, key, meet(x, span(-INFINITY, whole ? floor(v) : v)));
      case OP_GT: return push(r, nw, key, meet(x, span(above, INFINITY)));
      case OP_GE: return push(r, nw, key, meet(x, span(whole ? ceil(v) : v, INFINITY)));
      case OP_EQ: return push(r, nw, key, meet(x, point(v)));
      case OP_NE:
        if (x.lo == v && x.hi == v) return INFEASIBLE;
        if (x.lo == v) return push(r, nw, key, span(above, x.hi));
        if (x.hi == v) return push(r, nw, key, span(x.lo, below));
        return nw;
      default: break;
      }
    }
  } else if (c->kind == SX_INPUT && c->input->type == IN_YESNO && !c->input->periodic) {
    aval cur = input_value(c->input, nw);
    if (truth ? !cur.can_true : !cur.can_false) return INFEASIBLE;
    return push(r, nw, c->input, point(truth ? 1 : 0));
  }
  aval a = analyse(r, c, nw, fe);
  if (truth ? !a.can_true : !a.can_false) return INFEASIBLE;
  return nw;
}

/* ---- expressions ----------------------------------------------------------- */

static aval compare(ex_op op, iv a, iv b, bool periodic) {
  if (a.empty || b.empty) return cond(false, false, periodic);
  bool t, f;
  switch (op) {
  case OP_LT: t = a.lo < b.hi; f = a.hi >= b.lo; break;
  case OP_LE: t = a.lo <= b.hi; f = a.hi > b.lo; break;
  case OP_GT: t = a.hi > b.lo; f = a.lo <= b.hi; break;
  case OP_GE: t = a.hi >= b.lo; f = a.lo < b.hi; break;
  case OP_EQ: t = a.lo <= b.hi && b.lo <= a.hi; f = !(a.lo == a.hi && b.lo == b.hi && a.lo == b.lo); break;
  default: t = !(a.lo == a.hi && b.lo == b.hi && a.lo == b.lo); f = a.lo <= b.hi && b.lo <= a.hi; break;
  }
  return cond(t, f, periodic);
}

static void report_division(rg *r, const sc_expr *e, const sc_expr *den) {
  for (int i = 0; i < r->nreported; i++)
    if (r->reported[i] == e) return;
  const sc_expr **grown = arena_alloc(r->arena, sizeof *grown * (size_t)(r->nreported + 1));
  if (r->nreported) memcpy(grown, r->reported, sizeof *grown * (size_t)r->nreported);
  grown[r->nreported++] = e;
  r->reported = grown;
  const rb_loc *l = &den->loc;
  int n = (int)(l->end - l->start);
  if (r->call) {
    diag_warning(r->diags, R1004, r->call->loc,
                 "'%s' divides by '%.*s', which can be 0 here: say what scores then (e.g. 'undefined \"...\" if ... == 0'), "
                 "or declare the input 'at least 1'",
                 r->call->form.form->name, n, l->src->text + l->start);
  } else {
    diag_warning(r->diags, R1004, den->loc,
                 "'%.*s' can be 0 here: say what scores then (e.g. '0 if %.*s == 0, ... otherwise' or 'undefined \"...\" if "
                 "%.*s == 0, ...'), or declare the input 'at least 1'",
                 n, l->src->text + l->start, n, l->src->text + l->start, n, l->src->text + l->start);
  }
}

static aval analyse_tiers(rg *r, const sc_expr *e, narrow *nw, fenv *fe) {
  iv result = nothing();
  bool periodic = false;
  narrow *rest = nw;
  for (int i = 0; i < e->tiers.n; i++) {
    const sc_tier *t = &e->tiers.tier[i];
    periodic |= analyse(r, t->cond, rest, fe).periodic; /* a per-period test makes a per-period choice */
    narrow *here = assume(r, t->cond, true, rest, fe);
    if (here != INFEASIBLE) {
      aval v = analyse(r, t->value, here, fe);
      result = join(result, v.num);
      periodic |= v.periodic;
    }
    rest = assume(r, t->cond, false, rest, fe);
  }
  if (rest != INFEASIBLE) {
    const sc_expr *last = e->tiers.otherwise;
    if (last) {
      aval v = analyse(r, last, rest, fe);
      result = join(result, v.num);
      periodic |= v.periodic;
    }
  }
  return num(result, periodic);
}

static aval analyse_form(rg *r, const sc_expr *e, narrow *nw, fenv *fe) {
  int np = e->form.form->nparams ? e->form.form->nparams : 1;
  fenv inner = {e->form.args, fe, nw, arena_alloc(r->arena, sizeof(aval) * (size_t)np),
                arena_alloc(r->arena, sizeof(bool) * (size_t)np)};
  const sc_expr *saved = r->call;
  if (!r->call) r->call = e;
  aval v = analyse(r, e->form.form->body, NULL, &inner);
  r->call = saved;
  return v;
}

static aval analyse_call(rg *r, const sc_expr *e, narrow *nw, fenv *fe) {
  aval args[64] = {0}; /* the checker proved every call has its arguments */
  int n = 0;
  bool periodic = false;
  bi_kind fn;
  if (e->kind == SX_PEER) {
    /* A peer aggregate's argument is computed for every peer, under none of
       this entity's conditions: nothing narrows it. */
    fn = e->peer.fn;
    if (e->peer.arg) {
      args[n] = analyse(r, e->peer.arg, NULL, fe);
      periodic |= args[n++].periodic;
    }
  } else {
    fn = e->call.fn;
    for (; n < e->call.nargs && n < 64; n++) {
      args[n] = analyse(r, e->call.args[n], nw, fe);
      periodic |= args[n].periodic;
    }
  }
  int m = r->nperiods;
  switch (fn) {
  case BI_SUM:
  case BI_MEAN: {
    iv total = point(0);
    int terms = 0;
    for (int i = 0; i < n; i++) {
      int k = args[i].periodic ? m : 1;
      total = iv_add(total, iv_scale(args[i].num, k));
      terms += k;
    }
    return num(fn == BI_SUM ? total : iv_scale(total, 1.0 / terms), false);
  }
  case BI_BEST: { /* the n largest values: at least the n largest lows, at most the n largest highs */
    int k = (int)args[0].num.lo, values = 0;
    for (int i = 1; i < n; i++) values += args[i].periodic ? m : 1;
    double *lo = arena_alloc(r->arena, sizeof *lo * (size_t)(values ? values : 1));
    double *hi = arena_alloc(r->arena, sizeof *hi * (size_t)(values ? values : 1));
    int v = 0;
    for (int i = 1; i < n; i++) {
      if (args[i].num.empty) return num(nothing(), false);
      for (int p = 0; p < (args[i].periodic ? m : 1); p++, v++) lo[v] = args[i].num.lo, hi[v] = args[i].num.hi;
    }
    qsort(lo, (size_t)values, sizeof *lo, by_descending);
    qsort(hi, (size_t)values, sizeof *hi, by_descending);
    iv total = point(0);
    for (int i = 0; i < k && i < values; i++) total = iv_add(total, span(lo[i], hi[i]));
    return num(total, false);
  }
  case BI_COUNT: {
    iv total = point(0);
    for (int i = 0; i < n; i++) {
      int k = args[i].periodic ? m : 1;
      total = iv_add(total, span(args[i].can_false ? 0 : k, args[i].can_true ? k : 0));
    }
    return num(total, false);
  }
  case BI_MIN:
  case BI_MAX: {
    bool is_min = fn == BI_MIN;
    iv x = args[0].num;
    for (int i = 1; i < n; i++) {
      iv y = args[i].num;
      if (x.empty || y.empty) x = nothing();
      else x = is_min ? (iv){fmin(x.lo, y.lo), fmin(x.hi, y.hi), false} : (iv){fmax(x.lo, y.lo), fmax(x.hi, y.hi), false};
    }
    return num(x, n == 1 ? false : periodic);
  }
  case BI_CLAMP: {
    iv x = args[0].num, lo = args[1].num, hi = args[2].num;
    if (x.empty || lo.empty || hi.empty) return num(nothing(), args[0].periodic);
    iv a = {fmax(x.lo, lo.lo), fmax(x.hi, lo.hi), false};
    return num((iv){fmin(a.lo, hi.lo), fmin(a.hi, hi.hi), false}, args[0].periodic);
  }
  case BI_CEIL: return num(args[0].num.empty ? nothing() : (iv){ceil(args[0].num.lo), ceil(args[0].num.hi), false}, args[0].periodic);
  case BI_FLOOR: return num(args[0].num.empty ? nothing() : (iv){floor(args[0].num.lo), floor(args[0].num.hi), false}, args[0].periodic);
  case BI_ABS: {
    iv x = args[0].num;
    if (x.empty) return num(x, args[0].periodic);
    if (x.lo >= 0) return num(x, args[0].periodic);
    if (x.hi <= 0) return num(iv_neg(x), args[0].periodic);
    return num(span(0, fmax(-x.lo, x.hi)), args[0].periodic);
  }
  case BI_LATEST:
  case BI_PREVIOUS: return num(args[0].num, false);
  case BI_GROWTH: /* latest / previous - 1 */
    if (args[0].num.empty) return num(nothing(), false);
    if (contains_zero(args[0].num)) report_division(r, e, e->call.args[0]);
    return num(span(args[0].num.lo >= 0 ? -1 : -INFINITY, INFINITY), false);
  case BI_PEER_MAX:
  case BI_PEER_MIN:
  case BI_PEER_MEAN: return num(args[0].num, false); /* some peer's value, or between them */
  case BI_PEER_SUM: { /* the entity's own value plus the others' */
    iv x = args[0].num;
    if (x.empty) return num(x, false);
    return num(span(x.lo >= 0 ? x.lo : -INFINITY, x.hi <= 0 ? x.hi : INFINITY), false);
  }
  case BI_PEER_COUNT:
  case BI_PEER_RANK: return num(span(1, INFINITY), false);
  case BI_PEER_MINMAX:
  case BI_PEER_RANK_RATIO: return num(span(0, 1), false);
  case BI_PEER_RATIO_TO_MAX:
  case BI_PEER_SHARE: /* a fraction of the peers' best or total, when no value is negative */
    if (args[0].num.empty) return num(nothing(), false);
    return num(args[0].num.lo >= 0 ? span(0, 1) : span(-INFINITY, INFINITY), false);
  default: return num(span(-INFINITY, INFINITY), periodic);
  }
}

/* Whether a `require` of the scheme says A <= B (or A < B) of inputs A and
   B, as the whole condition or one side of an `and`. */
static bool required_le(const sc_expr *c, const sc_input *a, const sc_input *b) {
  if (c->kind != SX_BINARY) return false;
  if (c->bin.op == OP_AND) return required_le(c->bin.lhs, a, b) || required_le(c->bin.rhs, a, b);
  const sc_expr *l = c->bin.lhs, *g = c->bin.rhs; /* the lesser side, the greater */
  if (c->bin.op == OP_GE || c->bin.op == OP_GT) l = c->bin.rhs, g = c->bin.lhs;
  else if (c->bin.op != OP_LE && c->bin.op != OP_LT) return false;
  return l->kind == SX_INPUT && g->kind == SX_INPUT && l->input == a && g->input == b;
}

/* A / B of inputs the data must keep in A <= B (a `require`), both 0 or
   more: a share, at most 1 where it is defined (合规数据量 / 报送数据量). */
static bool share_of_required(const rg *r, const sc_expr *e, iv a, iv b) {
  const sc_expr *x = e->bin.lhs, *y = e->bin.rhs;
  if (x->kind != SX_INPUT || y->kind != SX_INPUT || x->input->periodic || y->input->periodic) return false;
  if (a.empty || b.empty || a.lo < 0 || b.lo < 0) return false;
  for (int i = 0; i < r->scheme->nrequires; i++)
    if (required_le(r->scheme->requires[i].cond, x->input, y->input)) return true;
  return false;
}

static aval analyse(rg *r, const sc_expr *e, narrow *nw, fenv *fe) {
  switch (e->kind) {
  case SX_NUMBER: return num(point(dec_to_double(e->number)), false);
  case SX_BOOL: return cond(e->boolean, !e->boolean, false);
  case SX_INPUT: return input_value(e->input, nw);
  case SX_LET: {
    aval v = analyse(r, e->let->value, nw, NULL);
    const iv *n = narrowed(nw, e->let);
    if (n && !v.is_bool) v.num = meet(v.num, *n);
    return v;
  }
  case SX_PARAM: {
      int i = e->param;
      if (!fe->done[i]) {
        fe->memo[i] = analyse(r, fe->args[i], fe->caller_narrow, fe->caller);
        fe->done[i] = true;
      }
      return fe->memo[i];
  }
  case SX_FORM: return analyse_form(r, e, nw, fe);
  case SX_BUILTIN:
  case SX_PEER: return analyse_call(r, e, nw, fe);
  case SX_NEG: {
    aval v = analyse(r, e->operand, nw, fe);
    v.num = iv_neg(v.num);
    return v;
  }
  case SX_NOT: {
    aval v = analyse(r, e->operand, nw, fe);
    return cond(v.can_false, v.can_true, v.periodic);
  }
  case SX_BINARY: {
    ex_op op = e->bin.op;
    aval a = analyse(r, e->bin.lhs, nw, fe);
    if (op == OP_AND || op == OP_OR) {
      narrow *rnw = assume(r, e->bin.lhs, op == OP_AND, nw, fe);
      aval b = rnw == INFEASIBLE ? cond(false, false, false) : analyse(r, e->bin.rhs, rnw, fe);
      bool p = a.periodic || b.periodic;
      if (op == OP_AND) return cond(a.can_true && b.can_true, a.can_false || b.can_false, p);
      return cond(a.can_true || b.can_true, a.can_false && b.can_false, p);
    }
    aval b = analyse(r, e->bin.rhs, nw, fe);
    bool p = a.periodic || b.periodic;
    if (a.is_bool || b.is_bool) return cond(true, true, p);
    switch (op) {
    case OP_ADD: return num(iv_add(a.num, b.num), p);
    case OP_SUB: return num(iv_sub(a.num, b.num), p);
    case OP_MUL: return num(iv_mul(a.num, b.num), p);
    case OP_DIV:
      if (contains_zero(b.num)) report_division(r, e, e->bin.rhs);
      if (share_of_required(r, e, a.num, b.num)) return num(meet(iv_div(a.num, b.num), span(0, 1)), p);
      return num(iv_div(a.num, b.num), p);
    default: return compare(op, a.num, b.num, p);
    }
  }
  case SX_TIERS: return analyse_tiers(r, e, nw, fe);
  case SX_UNDEFINED: return num(nothing(), false);
  case SX_ITEMS: return num(r->items, false);
  case SX_SUBJECT: break; /* only in a band's condition, which scores nothing */
  }
  return num(span(-INFINITY, INFINITY), false);
}

/* ---- parts ----------------------------------------------------------------- */

static const double SLACK = 1e-9; /* interval ends are doubles; points are exact */

static const char *number(rg *r, double v) {
  return isinf(v) ? (v > 0 ? "+inf" : "-inf") : arena_printf(r->arena, "%.10g", v);
}

/* The largest number a tier of E (or of tiers nested in its values) states
   outright above POINTS, or NULL: the rule says plainly that it gives more
   than the part is worth, so the header and the rule disagree (rather than
   a computed value that needs holding). */
static const sc_expr *stated_above(const sc_expr *e, rb_decimal points) {
  if (!e) return NULL;
  if (e->kind == SX_NUMBER) return dec_cmp(e->number, points) > 0 ? e : NULL;
  if (e->kind != SX_TIERS) return NULL;
  const sc_expr *best = NULL;
  for (int i = 0; i <= e->tiers.n; i++) {
    const sc_expr *v = stated_above(i < e->tiers.n ? e->tiers.tier[i].value : e->tiers.linear ? NULL : e->tiers.otherwise,
                                    points);
    if (v && (!best || dec_cmp(v->number, best->number) > 0)) best = v;
  }
  return best;
}

/* E's values, case by case over the yes/no inputs (and inputs of labels) it
   reads, one value per entity, when their cases number CASES_MAX or fewer:
   intervals forget how values move together, and a rule such as `10 * got
   / (5 + (5 if b_applies, 0 otherwise))`, whose parts rise and fall with
   one yes/no input, is proved only when each case is analysed alone. */
enum { CASES_MAX = 64 };
static aval analyse_cases(rg *r, const sc_expr *e) {
  const sc_scheme *s = r->scheme;
  unsigned char *reads = arena_alloc(r->arena, (size_t)s->ninputs + 1);
  scheme_expr_reads(e, reads, NULL);
  const sc_input *split[8];
  int nsplit = 0, cases = 1;
  for (int i = 0; i < s->ninputs && nsplit < 8; i++) {
    const sc_input *in = &s->inputs[i];
    int values = in->type == IN_YESNO ? 2 : in->type == IN_LABEL ? in->nlabels : 0;
    if (!reads[i] || in->periodic || !values || cases * values > CASES_MAX) continue;
    split[nsplit++] = in;
    cases *= values;
  }
  if (!nsplit) return analyse(r, e, NULL, NULL);
  aval all = num(nothing(), false);
  for (int k = 0; k < cases; k++) {
    narrow *nw = NULL;
    int rest = k;
    for (int i = 0; i < nsplit; i++) {
      int values = split[i]->type == IN_YESNO ? 2 : split[i]->nlabels;
      nw = push(r, nw, split[i], point(rest % values));
      rest /= values;
    }
    aval v = analyse(r, e, nw, NULL);
    all.num = join(all.num, v.num);
    all.periodic |= v.periodic;
  }
  return all;
}

/* The least and most the N PARTS that apply to one kind (among those
   WHOSE applies to; every kind when NULL) add up to, over the kinds: an
   entity of a kind scores only its kind's parts. */
static void kinds_span(const sc_scheme *s, sc_part *const *parts, int n, const sc_part *whose, double *lo, double *hi) {
  bool first = true;
  for (int l = 0; l < s->kind->nlabels; l++) {
    if (whose && !scheme_part_applies(whose, l)) continue;
    double a = 0, b = 0;
    for (int i = 0; i < n; i++)
      if (parts[i]->section == SECTION_NONE && scheme_part_applies(parts[i], l)) a += parts[i]->lo, b += parts[i]->hi;
    *lo = first || a < *lo ? a : *lo;
    *hi = first || b > *hi ? b : *hi;
    first = false;
  }
}

static void analyse_part(rg *r, sc_part *p) {
  double points = dec_to_double(p->points);
  const char *kind = diag_tr(vocab_part_kind_name(p->kind));
  if (p->nchildren) {
    double lo = 0, hi = 0;
    bool all = true;
    for (int i = 0; i < p->nchildren; i++) {
      sc_part *child = p->children[i];
      analyse_part(r, child);
      all &= child->proved;
      lo += child->lo;
      hi += child->hi;
    }
    if (!all) return;
    if (r->scheme->kind) kinds_span(r->scheme, p->children, p->nchildren, p, &lo, &hi);
    p->raw_lo = lo;
    p->raw_hi = hi;
    if (p->score) { /* a rule adjusts the items' sum (items - 2 * cases) */
      r->items = span(lo, hi);
      aval v = analyse_cases(r, p->score);
      if (v.num.empty) return;
      p->raw_lo = v.num.lo;
      p->raw_hi = v.num.hi;
    }
  } else {
    aval v = analyse_cases(r, p->score);
    /* an empty cell of an input with `missing scores` gives fixed points */
    if (p->fixed_when_empty) v.num = join(v.num, point(dec_to_double(p->empty_points)));
    if (v.num.empty) { /* every branch undefined: nothing to prove, and nothing to score */
      diag_warning(r->diags, R1007, p->score->loc,
                   "%s '%s' is undefined whatever its inputs: no entity can be scored (is a tier's condition the wrong way "
                   "round?)",
                   kind, p->path);
      return;
    }
    p->raw_lo = v.num.lo;
    p->raw_hi = v.num.hi;
    const sc_expr *stated = v.num.hi > points + SLACK ? stated_above(p->score, p->points) : NULL;
    if (stated) { /* worth 5, a tier gives 8: name the disagreement, no clamp */
      diag_warning(r->diags, R1001, stated->loc,
                   "%s '%s' is worth %s points, but its rule gives %s here: the points and the rule disagree (which does "
                   "the document say?)",
                   kind, p->path, number(r, points), number(r, dec_to_double(stated->number)));
      diag_note(r->diags, p->points_loc, "the points are stated here");
    } else if (v.num.hi > points + SLACK) {
      diag_warning(r->diags, R1001, p->score->loc,
                   "%s '%s' can give up to %s but is worth %s points: hold it with min(%s, ...) or clamp(...), or check the rule",
                   kind, p->path, number(r, v.num.hi), number(r, points), number(r, points));
    }
    if (v.num.lo < -SLACK)
      diag_warning(r->diags, R1002, p->score->loc,
                   "%s '%s' can give as little as %s: hold it with max(0, ...) (扣完为止) or check the rule", kind,
                   p->path, number(r, v.num.lo));
    if (v.num.hi <= SLACK && points > 0)
      diag_warning(r->diags, R1005, p->score->loc, "%s '%s' can never give more than 0 points", kind, p->path);
    else if (v.num.hi < points - SLACK && v.num.hi > SLACK)
      diag_warning(r->diags, R1003, p->points_loc,
                   "dead points: %s '%s' is worth %s but no entity can score more than %s", kind, p->path,
                   number(r, points), number(r, v.num.hi));
  }
  p->lo = fmin(fmax(p->raw_lo, 0), points);
  p->hi = fmin(fmax(p->raw_hi, 0), points);
  p->proved = true;
}

void ranges_prove(sc_scheme *s, rb_diags *diags) {
  rb_arena *arena = arena_new(); /* the proof's own working memory */
  rg r = {.arena = arena, .diags = diags, .scheme = s, .nperiods = s->nperiods};
  s->proved = true;
  double hi = 0;
  bool all = true;
  for (int i = 0; i < s->ntop; i++) {
    analyse_part(&r, s->top[i]);
    all &= s->top[i]->proved;
    if (s->top[i]->section == SECTION_NONE) hi += s->top[i]->hi; /* sections stand beside the total */
  }
  double total = dec_to_double(s->total);
  for (int l = 0; s->kind && all && s->has_total && l < s->kind->nlabels; l++) {
    double kind_hi = 0; /* parts for some kinds: the maxima of each kind's parts */
    for (int i = 0; i < s->ntop; i++)
      if (s->top[i]->section == SECTION_NONE && scheme_part_applies(s->top[i], l)) kind_hi += s->top[i]->hi;
    if (fabs(kind_hi - total) > SLACK) {
      diag_warning(diags, R1006, s->total_loc,
                   "for %s the proved maxima of the scheme's parts add up to %.10g, not the declared total %.10g (short by %.10g)",
                   s->kind->labels[l], kind_hi, total, total - kind_hi);
      break;
    }
  }
  if (s->kind) all = false; /* proved per kind above */
  if (all && s->has_total && fabs(hi - total) > SLACK)
    diag_warning(diags, R1006, s->total_loc,
                 "the proved maxima of the scheme's parts add up to %.10g, not the declared total %.10g (short by %.10g)",
                 hi, total, total - hi);
  arena_free(arena);
}
