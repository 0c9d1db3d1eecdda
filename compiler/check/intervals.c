/* intervals.c: sets of intervals of exact decimals: what a tier condition
 * or a grade band selects, and what a list of them covers (ck.h).
 */
#include <string.h>

#include "ck.h"

bool iv_lo_le(bound a, bound b) {
  if (a.inf) return true;
  if (b.inf) return false;
  int k = dec_cmp(a.v, b.v);
  return k < 0 || (k == 0 && (a.closed || !b.closed));
}

bool iv_hi_ge(bound a, bound b) {
  if (a.inf) return true;
  if (b.inf) return false;
  int k = dec_cmp(a.v, b.v);
  return k > 0 || (k == 0 && (a.closed || !b.closed));
}

/* Does an interval ending at hi touch or overlap one starting at lo? */
static bool iv_touches(bound hi, bound lo) {
  if (hi.inf || lo.inf) return true;
  int k = dec_cmp(lo.v, hi.v);
  return k < 0 || (k == 0 && (hi.closed || lo.closed));
}

void ivset_add(ivset *s, interval x) {
  /* insert keeping the list sorted by lower bound, then merge neighbours */
  if (s->n == MAX_IV) return;
  int at = 0;
  while (at < s->n && iv_lo_le(s->iv[at].lo, x.lo)) at++;
  memmove(&s->iv[at + 1], &s->iv[at], sizeof(interval) * (size_t)(s->n - at));
  s->iv[at] = x;
  s->n++;
  int w = 0;
  for (int r = 1; r < s->n; r++) {
    if (iv_touches(s->iv[w].hi, s->iv[r].lo)) {
      if (!iv_hi_ge(s->iv[w].hi, s->iv[r].hi)) s->iv[w].hi = s->iv[r].hi;
    } else {
      s->iv[++w] = s->iv[r];
    }
  }
  s->n = w + 1;
}

bool ivset_contains(const ivset *s, interval x) {
  for (int i = 0; i < s->n; i++)
    if (iv_lo_le(s->iv[i].lo, x.lo) && iv_hi_ge(s->iv[i].hi, x.hi)) return true;
  return false;
}

bool iv_literal(const ast_expr *e, rb_decimal *v) {
  if ((e->kind == EX_NUMBER && e->num.bad) || (e->kind == EX_NEG && e->operand->kind == EX_NUMBER && e->operand->num.bad))
    return false;
  if (e->kind == EX_NUMBER) {
    *v = e->num.value;
    return true;
  }
  if (e->kind == EX_NEG && e->operand->kind == EX_NUMBER) {
    *v = dec_neg(e->operand->num.value);
    return true;
  }
  return false;
}

bool iv_tier_cond(ast_expr *cond, tier_cond *out) {
  if (cond->kind != EX_BINARY || cond->bin.op < OP_LT || cond->bin.op > OP_NE) return false;
  rb_decimal v;
  if (iv_literal(cond->bin.rhs, &v) && !iv_literal(cond->bin.lhs, &(rb_decimal){0})) {
    *out = (tier_cond){cond->bin.lhs, cond->bin.op, v};
    return true;
  }
  if (iv_literal(cond->bin.lhs, &v) && !iv_literal(cond->bin.rhs, &(rb_decimal){0})) {
    static const ex_op flip[] = {[OP_LT] = OP_GT, [OP_LE] = OP_GE, [OP_GT] = OP_LT,
                                 [OP_GE] = OP_LE, [OP_EQ] = OP_EQ, [OP_NE] = OP_NE};
    *out = (tier_cond){cond->bin.rhs, flip[cond->bin.op], v};
    return true;
  }
  return false;
}

int iv_cond_intervals(tier_cond tc, interval out[2]) {
  bound ninf = {.inf = true}, pinf = {.inf = true};
  bound at_open = {false, tc.t, false}, at_closed = {false, tc.t, true};
  switch (tc.op) {
  case OP_LT: out[0] = (interval){ninf, at_open}; return 1;
  case OP_LE: out[0] = (interval){ninf, at_closed}; return 1;
  case OP_GT: out[0] = (interval){at_open, pinf}; return 1;
  case OP_GE: out[0] = (interval){at_closed, pinf}; return 1;
  case OP_EQ: out[0] = (interval){at_closed, at_closed}; return 1;
  case OP_NE:
    out[0] = (interval){ninf, at_open};
    out[1] = (interval){at_open, pinf};
    return 2;
  default: return 0;
  }
}

const char *iv_bound_text(rb_arena *a, bound b, bool lower) {
  if (b.inf) return lower ? "-inf" : "+inf";
  char t[64];
  dec_format(b.v, t, sizeof t);
  return arena_strdup(a, t);
}

const char *iv_first_gap(rb_arena *a, const ivset *s) {
  if (s->n == 0) return "every value";
  bound ninf = {.inf = true};
  if (!s->iv[0].lo.inf) {
    bound hi = s->iv[0].lo;
    hi.closed = !hi.closed;
    return arena_printf(a, "(%s, %s%c", iv_bound_text(a, ninf, true), iv_bound_text(a, hi, false),
                        hi.closed ? ']' : ')');
  }
  bound lo = s->iv[0].hi;
  lo.closed = !lo.closed;
  bound hi = s->n > 1 ? s->iv[1].lo : (bound){.inf = true};
  if (!hi.inf) hi.closed = !hi.closed;
  return arena_printf(a, "%c%s, %s%c", lo.closed ? '[' : '(', iv_bound_text(a, lo, true),
                      iv_bound_text(a, hi, false), hi.closed && !hi.inf ? ']' : ')');
}

bool iv_empty(interval x) {
  if (x.lo.inf || x.hi.inf) return false;
  int k = dec_cmp(x.lo.v, x.hi.v);
  return k > 0 || (k == 0 && !(x.lo.closed && x.hi.closed));
}
