/* cases.c: tier lists whose conditions test several inputs (ck.h), such as
 * `5 if a >= 90 and b >= 90, 3 if a >= 80 and b >= 80, 0 if a < 80 or b < 80`
 * or `3 if reported and on_time, 1 if reported, 0 if not reported`, and the
 * bands of a grade that test inputs beside its subject (一票否决:
 * `"优秀" if total >= 90 and not vetoed`).
 *
 * Each input's values fall into cells: its thresholds in these conditions
 * and the open intervals between them (a yes/no input: no, yes). A
 * condition made of comparisons of inputs with numbers, yes/no inputs,
 * `and`, `or` and `not` has one truth value in each combination of cells,
 * so trying every combination within the inputs' ranges finds exactly the
 * cases no tier takes and the tiers no case reaches.
 */
#include <math.h>
#include <string.h>

#include "ck.h"

enum { CASE_VARS = 8, CASE_LIMIT = 1 << 16 };

/* An input the conditions test (or a grade's subject), and its cells. */
typedef struct case_var {
  const ast_input *in;  /* NULL: the subject of the grade */
  bool yesno;
  int nt;               /* thresholds, sorted, distinct */
  rb_decimal *t;
  int ncells;           /* yes/no: 2 (no, yes); else 2 * nt + 1: below t0, t0, between t0 and t1, ... */
  unsigned char *valid; /* the cells holding some value of the input's range */
} case_var;

typedef struct case_space {
  ck *c;
  case_var v[CASE_VARS];
  int n;
  const ast_grade *grade; /* bands: their subject is a variable, valued in [bottom, top] */
  rb_decimal bottom, top;
} case_space;

static const char *var_name(const case_space *sp, const case_var *v) { return v->in ? v->in->name : sp->grade->subject; }

/* The grade's subject, a variable like an input's (only in bands). */
static case_var *subject_var(case_space *sp) {
  for (int i = 0; i < sp->n; i++)
    if (!sp->v[i].in) return &sp->v[i];
  if (sp->n == CASE_VARS) return NULL;
  case_var *v = &sp->v[sp->n++];
  *v = (case_var){0};
  return v;
}

/* The variable of input IN, added on first use; NULL past CASE_VARS. */
static case_var *var_of(case_space *sp, const ast_input *in) {
  for (int i = 0; i < sp->n; i++)
    if (sp->v[i].in == in) return &sp->v[i];
  if (sp->n == CASE_VARS) return NULL;
  case_var *v = &sp->v[sp->n++];
  *v = (case_var){.in = in, .yesno = in->tkind == IN_YESNO};
  return v;
}

static void add_threshold(case_space *sp, case_var *v, rb_decimal t) {
  for (int i = 0; i < v->nt; i++)
    if (dec_cmp(v->t[i], t) == 0) return;
  rb_decimal *grown = arena_alloc(sp->c->arena, sizeof *grown * (size_t)(v->nt + 1));
  int k = 0;
  for (; k < v->nt && dec_cmp(v->t[k], t) < 0; k++) grown[k] = v->t[k];
  grown[k] = t;
  for (; k < v->nt; k++) grown[k + 1] = v->t[k];
  v->t = grown;
  v->nt++;
}

/* An input the cells can stand for: one value per entity, not labels. */
static const ast_input *plain_input(const ast_expr *e) {
  if (e->kind != EX_NAME || e->name.ref != REF_INPUT) return NULL;
  const ast_input *in = e->name.input;
  return in->per || in->tkind == IN_LABEL ? NULL : in;
}

/* Whether E is such a condition; its inputs and thresholds added to SP. */
static bool collect(case_space *sp, const ast_expr *e) {
  switch (e->kind) {
  case EX_BOOL: return true;
  case EX_NAME: {
    const ast_input *in = plain_input(e);
    return in && in->tkind == IN_YESNO && var_of(sp, in);
  }
  case EX_NOT: return collect(sp, e->operand);
  case EX_BINARY: {
    ex_op op = e->bin.op;
    if (op == OP_AND || op == OP_OR) return collect(sp, e->bin.lhs) && collect(sp, e->bin.rhs);
    tier_cond tc;
    if (op >= OP_LT && op <= OP_NE && iv_tier_cond((ast_expr *)e, &tc)) {
      if (sp->grade && tc.subject->kind == EX_NAME && tc.subject->name.ref == REF_SUBJECT) {
        case_var *v = subject_var(sp);
        if (!v) return false;
        add_threshold(sp, v, tc.t);
        return true;
      }
      const ast_input *in = plain_input(tc.subject);
      if (!in || in->tkind == IN_YESNO) return false;
      case_var *v = var_of(sp, in);
      if (!v) return false;
      add_threshold(sp, v, tc.t);
      return true;
    }
    if (op == OP_EQ || op == OP_NE) /* two yes/no values */
      return (e->bin.lhs->kind == EX_BOOL || e->bin.lhs->kind == EX_NAME) &&
             (e->bin.rhs->kind == EX_BOOL || e->bin.rhs->kind == EX_NAME) && collect(sp, e->bin.lhs) &&
             collect(sp, e->bin.rhs);
    return false;
  }
  default: return false;
  }
}

/* Which cells of V hold a value of its input's range (a count or rank: a
   whole value). */
static void mark_valid(case_space *sp, case_var *v) {
  v->ncells = v->yesno ? 2 : 2 * v->nt + 1;
  v->valid = arena_alloc(sp->c->arena, (size_t)v->ncells);
  if (v->yesno) {
    v->valid[0] = v->valid[1] = 1;
    return;
  }
  double lo, hi;
  if (v->in) check_input_bounds(v->in, &lo, &hi);
  else lo = dec_to_double(sp->bottom), hi = dec_to_double(sp->top);
  bool whole = v->in && (v->in->tkind == IN_COUNT || v->in->tkind == IN_RANK);
  for (int k = 0; k < v->ncells; k++) {
    if (k % 2) { /* the threshold itself */
      double t = dec_to_double(v->t[k / 2]);
      v->valid[k] = t >= lo && t <= hi && (!whole || t == floor(t));
      continue;
    }
    double a = k == 0 ? -INFINITY : dec_to_double(v->t[k / 2 - 1]);
    double b = k == 2 * v->nt ? INFINITY : dec_to_double(v->t[k / 2]);
    if (whole) { /* some whole n with a < n < b and lo <= n <= hi */
      double first = fmax(floor(a) + 1, ceil(lo)), last = fmin(ceil(b) - 1, floor(hi));
      v->valid[k] = first <= last;
    } else {
      double from = fmax(a, lo), to = fmin(b, hi);
      v->valid[k] = from < to || (from == to && lo > a && hi < b);
    }
  }
}

/* E's truth in the combination CELL (a cell per variable of SP). */
static bool truth(const case_space *sp, const ast_expr *e, const int *cell) {
  switch (e->kind) {
  case EX_BOOL: return e->boolean;
  case EX_NAME:
    for (int i = 0; i < sp->n; i++)
      if (sp->v[i].in && sp->v[i].in == e->name.input) return cell[i] == 1;
    return false;
  case EX_NOT: return !truth(sp, e->operand, cell);
  case EX_BINARY: {
    ex_op op = e->bin.op;
    if (op == OP_AND) return truth(sp, e->bin.lhs, cell) && truth(sp, e->bin.rhs, cell);
    if (op == OP_OR) return truth(sp, e->bin.lhs, cell) || truth(sp, e->bin.rhs, cell);
    tier_cond tc;
    if (iv_tier_cond((ast_expr *)e, &tc) && tc.subject->kind == EX_NAME &&
        (tc.subject->name.ref == REF_SUBJECT || tc.subject->name.input->tkind != IN_YESNO)) {
      const ast_input *in = tc.subject->name.ref == REF_SUBJECT ? NULL : tc.subject->name.input;
      int i = 0, j = 0;
      while (sp->v[i].in != in) i++;
      while (dec_cmp(sp->v[i].t[j], tc.t)) j++;
      int k = cell[i], at = 2 * j + 1;
      switch (tc.op) {
      case OP_LT: return k < at;
      case OP_LE: return k <= at;
      case OP_GT: return k > at;
      case OP_GE: return k >= at;
      case OP_EQ: return k == at;
      default: return k != at;
      }
    }
    bool l = truth(sp, e->bin.lhs, cell), r = truth(sp, e->bin.rhs, cell);
    return op == OP_EQ ? l == r : l != r;
  }
  default: return false;
  }
}

/* The combination CELL in words: "a = 90 and b < 80" (yes/no: "x = no"). */
static const char *describe(const case_space *sp, const int *cell) {
  ck *c = sp->c;
  const char *text = "";
  for (int i = 0; i < sp->n; i++) {
    const case_var *v = &sp->v[i];
    int k = cell[i];
    const char *part, *name = var_name(sp, v);
    if (v->yesno) part = arena_printf(c->arena, "%s = %s", name, k ? "yes" : "no");
    else if (!v->nt) part = arena_printf(c->arena, "any %s", name);
    else if (k % 2) part = arena_printf(c->arena, "%s = %s", name, names_points(c, v->t[k / 2]));
    else if (k == 0) part = arena_printf(c->arena, "%s < %s", name, names_points(c, v->t[0]));
    else if (k == 2 * v->nt) part = arena_printf(c->arena, "%s > %s", name, names_points(c, v->t[v->nt - 1]));
    else
      part = arena_printf(c->arena, "%s between %s and %s", name, names_points(c, v->t[k / 2 - 1]),
                          names_points(c, v->t[k / 2]));
    text = arena_printf(c->arena, "%s%s%s", text, i ? " and " : "", part);
  }
  return text;
}

/* Steps CELL to the next combination of valid cells; false after the last. */
static bool next_case(const case_space *sp, int *cell) {
  for (int i = 0; i < sp->n; i++) {
    const case_var *v = &sp->v[i];
    do cell[i]++;
    while (cell[i] < v->ncells && !v->valid[cell[i]]);
    if (cell[i] < v->ncells) return true;
    cell[i] = 0;
    while (!v->valid[cell[i]]) cell[i]++;
  }
  return false;
}

/* Marks each variable's valid cells once its thresholds are collected.
   False when there is nothing to try, a range is empty (R0310 says so) or
   the combinations are too many. */
static bool cells_ready(case_space *sp) {
  if (!sp->n) return false;
  long combos = 1;
  for (int i = 0; i < sp->n; i++) {
    mark_valid(sp, &sp->v[i]);
    int valid = 0;
    for (int k = 0; k < sp->v[i].ncells; k++) valid += sp->v[i].valid[k];
    if (!valid) return false;
    combos *= valid;
    if (combos > CASE_LIMIT) return false;
  }
  return true;
}

bool cases_tiers(ck *c, ast_expr *e) {
  case_space sp = {.c = c};
  int ntiers = 0;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next, ntiers++)
    if (!collect(&sp, t->cond)) return false;
  if (!cells_ready(&sp)) return false;
  ast_tier **tier = arena_alloc(c->arena, sizeof *tier * (size_t)ntiers);
  bool *reached = arena_alloc(c->arena, sizeof *reached * (size_t)ntiers);
  int k = 0;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) tier[k++] = t;
  int cell[CASE_VARS] = {0}, gap[CASE_VARS];
  for (int i = 0; i < sp.n; i++)
    while (!sp.v[i].valid[cell[i]]) cell[i]++;
  bool gapped = false;
  do {
    int first = 0;
    while (first < ntiers && !truth(&sp, tier[first]->cond, cell)) first++;
    if (first < ntiers) reached[first] = true;
    else if (!gapped) gapped = true, memcpy(gap, cell, sizeof cell);
  } while (next_case(&sp, cell));
  /* Tiers over yes/no inputs alone checked clean before this analysis
     whatever their order: a shadowed one stays unreported there. */
  bool numeric = false;
  for (int i = 0; i < sp.n; i++) numeric |= !sp.v[i].yesno;
  for (int u = 0; u < ntiers && numeric; u++) {
    if (reached[u]) continue;
    /* the earlier tier that takes every case this one matches, if one does */
    int by = -1;
    for (int i = 0; i < u && by < 0; i++) {
      bool all = true, any = false;
      memset(cell, 0, sizeof cell);
      for (int v = 0; v < sp.n; v++)
        while (!sp.v[v].valid[cell[v]]) cell[v]++;
      do
        if (truth(&sp, tier[u]->cond, cell)) any = true, all &= truth(&sp, tier[i]->cond, cell);
      while (all && next_case(&sp, cell));
      if (all && any) by = i;
    }
    if (by >= 0)
      diag_error(c->diags, R0602, tier[u]->cond->loc,
                 "this tier can never apply: every case it matches is taken by the earlier tier 'if %s' (line %d); are the tiers out of order?",
                 names_expr_text(c, tier[by]->cond), tier[by]->cond->loc.first_line);
    else
      diag_error(c->diags, R0602, tier[u]->cond->loc,
                 "this tier can never apply: the tiers above take every case it matches, or it matches none");
  }
  if (gapped)
    diag_error(c->diags, R0601, e->loc,
               "these tiers leave the case %s without a score: add an 'otherwise' (e.g. '0 otherwise' or 'undefined otherwise')",
               describe(&sp, gap));
  return true;
}

/* Steps CELL to the first combination of valid cells. */
static void first_case(const case_space *sp, int *cell) {
  for (int i = 0; i < sp->n; i++)
    for (cell[i] = 0; !sp->v[i].valid[cell[i]];) cell[i]++;
}

bool cases_band_testable(ck *c, const ast_grade *g, const ast_expr *cond) {
  case_space sp = {.c = c, .grade = g};
  return collect(&sp, cond);
}

bool cases_bands(ck *c, ast_grade *g, rb_decimal bottom, rb_decimal top) {
  case_space sp = {.c = c, .grade = g, .bottom = bottom, .top = top};
  int nbands = 0;
  for (ast_band *b = g->bands; b; b = b->next, nbands++)
    if (!collect(&sp, b->cond)) return false;
  if (!cells_ready(&sp)) return false;
  ast_band **band = arena_alloc(c->arena, sizeof *band * (size_t)nbands);
  bool *reached = arena_alloc(c->arena, sizeof *reached * (size_t)nbands);
  bool overlapped = false;
  int k = 0;
  for (ast_band *b = g->bands; b; b = b->next) band[k++] = b;
  int cell[CASE_VARS] = {0}, gap[CASE_VARS];
  bool gapped = false;
  first_case(&sp, cell);
  do {
    int holder = -1;
    for (int b = 0; b < nbands; b++) {
      if (!truth(&sp, band[b]->cond, cell)) continue;
      reached[b] = true;
      if (holder < 0) {
        holder = b;
        continue;
      }
      if (overlapped) continue;
      overlapped = true; /* the first case two bands share: one mistake is often behind them all */
      diag_error(c->diags, R0609, band[b]->cond->loc, "bands \"%s\" and \"%s\" both apply when %s: an entity there has two grades",
                 band[holder]->name, band[b]->name, describe(&sp, cell));
      diag_note(c->diags, band[holder]->loc, "band \"%s\" is here", band[holder]->name);
    }
    if (holder < 0 && !gapped) gapped = true, memcpy(gap, cell, sizeof cell);
  } while (next_case(&sp, cell));
  for (int b = 0; b < nbands; b++)
    if (!reached[b])
      diag_error(c->diags, R0610, band[b]->cond->loc, "band \"%s\" can never apply: no case meets its condition", band[b]->name);
  if (gapped)
    diag_error(c->diags, R0608, g->id_loc, "the bands of grade '%s' leave the case %s without a grade (%s runs from %s to %s)",
               g->id, describe(&sp, gap), g->subject, names_points(c, bottom), names_points(c, top));
  return true;
}
