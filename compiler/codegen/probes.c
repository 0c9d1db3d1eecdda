/* probes.c: what `rubric explain` shows of a rule besides its score (the
 * values of its lets, which tier each tier list took), found in the checked
 * scheme and compiled as extra output columns of the scoring function
 * (codegen.h). The rule itself is compiled as always: a probe is evaluated
 * on its own, its failures kept out of the part's status, so an explained
 * score is the score. */
#include <stdlib.h>
#include <string.h>

#include "cg.h"

typedef struct probe_list {
  cg_probe *p;
  int n, cap;
  int first_of_part; /* where the current part's probes start */
} probe_list;

enum { PROBES_PER_PART = 48 };

static void add(probe_list *L, cg_probe pr) {
  if (L->n - L->first_of_part >= PROBES_PER_PART) return; /* enough to explain a rule */
  if (L->n == L->cap) {
    L->cap = L->cap ? 2 * L->cap : 64;
    L->p = realloc(L->p, (size_t)L->cap * sizeof *L->p);
    if (!L->p) abort();
  }
  L->p[L->n++] = pr;
}

static bool has_let(const probe_list *L, const sc_let *let) {
  for (int i = L->first_of_part; i < L->n; i++)
    if (L->p[i].kind == PROBE_LET && L->p[i].let == let) return true;
  return false;
}

/* Every let and tier list E reaches, lets first where they are used (a
   form's body reads its parameters: only its arguments are walked). */
static void walk(probe_list *L, const sc_part *part, const sc_expr *e) {
  if (!e) return;
  switch (e->kind) {
  case SX_LET:
    if (has_let(L, e->let)) return;
    walk(L, part, e->let->value);
    add(L, (cg_probe){.kind = PROBE_LET, .part = part, .expr = e->let->value, .let = e->let});
    return;
  case SX_BUILTIN:
    for (int i = 0; i < e->call.nargs; i++) walk(L, part, e->call.args[i]);
    return;
  case SX_FORM:
    for (int i = 0; i < e->form.form->nparams; i++) walk(L, part, e->form.args[i]);
    return;
  case SX_PEER:
    walk(L, part, e->peer.arg);
    if (e->peer.arg) add(L, (cg_probe){.kind = PROBE_PEER_OWN, .part = part, .expr = e->peer.arg, .peer = e});
    for (int k = 0; k < 2; k++)
      if (e->peer.stat[k] >= 0)
        add(L, (cg_probe){.kind = PROBE_STAT, .part = part, .expr = e, .peer = e, .stat = e->peer.stat[k]});
    return;
  case SX_NEG:
  case SX_NOT: walk(L, part, e->operand); return;
  case SX_BINARY:
    walk(L, part, e->bin.lhs);
    walk(L, part, e->bin.rhs);
    return;
  case SX_TIERS:
    for (int i = 0; i < e->tiers.n; i++) {
      walk(L, part, e->tiers.tier[i].cond);
      walk(L, part, e->tiers.tier[i].value);
    }
    walk(L, part, e->tiers.otherwise);
    if (L->n - L->first_of_part + e->tiers.n > PROBES_PER_PART) return; /* a list whole, or not at all */
    for (int i = 0; i < e->tiers.n; i++)
      add(L, (cg_probe){.kind = PROBE_TIER, .part = part, .expr = e->tiers.tier[i].cond, .tiers = e, .tier = i});
    return;
  default: return;
  }
}

int cg_probes(const sc_scheme *s, cg_probe **out) {
  probe_list L = {0};
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    L.first_of_part = L.n;
    if (p->score) walk(&L, p, p->score);
  }
  *out = L.p;
  return L.n;
}

/* Probe PR of the row being scored: its value (a condition as 1 or 0),
   FIXED_EMPTY when it has one value per period, or the error that
   computing it on its own met; the caller stores it in its column. */
LLVMValueRef cg_probe_value(cg *c, const cg_probe *pr) {
  if (pr->kind == PROBE_STAT) /* the group's statistic, as the passes before left it */
    return LLVMBuildLoad2(c->b, c->fx, LLVMBuildGEP2(c->b, c->fx, c->stat_ptr[pr->stat], &c->row, 1, ""), "stat");
  LLVMValueRef zero = LLVMConstInt(c->i32, 0, 0), kept = c->status;
  c->status = zero;
  val v = cg_eval(c, pr->expr, cg_always(), NULL);
  LLVMValueRef x;
  if (v.n != 1) {
    x = cg_fixed(c, FIXED_EMPTY);
  } else if (LLVMTypeOf(v.v[0]) == c->i1) {
    x = LLVMBuildSelect(c->b, v.v[0], cg_fixed(c, FIXED_ONE), cg_fixed(c, 0), "probe");
  } else {
    x = cg_settle(c, v.v[0], cg_always(), pr->expr->loc);
  }
  LLVMValueRef failed = LLVMBuildICmp(c->b, LLVMIntNE, c->status, zero, "failed");
  x = LLVMBuildSelect(c->b, failed, cg_error_value(c, c->status), x, "probe");
  c->status = kept;
  return x;
}
