/* lower.c: a scheme's syntax tree, as the checker resolved it, into the
 * checked scheme (scheme.h).
 *
 * Runs only on a scheme that checked without errors, so every name is
 * resolved and every shape is one the checker accepted: what is asserted
 * here the checker proved. Everything is copied into the scheme's arena
 * (strings included), so the syntax tree can be freed afterwards; source
 * locations keep pointing into the rb_source, which the sc_file owns.
 */
#include "lower.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct lw {
  rb_arena *arena; /* the scheme's */
  const ast_scheme *ast;
  sc_scheme *s;
  /* what has been lowered already, so each is lowered once and shared */
  const ast_stmt **let_key;
  sc_let **let_val;
  int nlets, caplets;
  const ast_form **form_key;
  sc_form **form_val;
  int nforms, capforms;
  /* expressions lowered once: `linear between` passes its tiers' subject
     and values to interpolate, and they stay one node each */
  const ast_expr **expr_key;
  sc_expr **expr_val;
  size_t nexprs, capexprs; /* open addressing, capexprs a power of two */
  bool in_condition;       /* lowering a tally's condition (lowered last, after every rule) */
} lw;

static const char *copy(lw *w, const char *s) { return s ? arena_strdup(w->arena, s) : NULL; }

/* The comment lines written just above LINE, '#' and one space removed,
   joined by '\n'; NULL if there are none. They quote the document. */
static const char *doc_above(lw *w, const rb_source *src, int line) {
  int first = line;
  for (int l = line - 1; l >= 1; l--) {
    size_t n;
    const char *t = source_line(src, l, &n);
    size_t i = 0;
    while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
    if (i == n || t[i] != '#') break;
    first = l;
  }
  if (first == line) return NULL;
  size_t total = 0;
  for (int l = first; l < line; l++) {
    size_t n;
    source_line(src, l, &n);
    total += n + 1;
  }
  char *out = arena_alloc(w->arena, total + 1), *p = out;
  for (int l = first; l < line; l++) {
    size_t n;
    const char *t = source_line(src, l, &n);
    size_t i = 0;
    while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
    i++; /* the '#' */
    if (i < n && t[i] == ' ') i++;
    while (n > i && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r')) n--;
    if (p != out) *p++ = '\n';
    memcpy(p, t + i, n - i);
    p += n - i;
  }
  *p = 0;
  return out;
}

/* ---- expressions --------------------------------------------------------- */

static sc_expr *lower_expr(lw *w, const ast_expr *e);

static sc_expr *node(lw *w, sx_kind kind, rb_loc loc) {
  sc_expr *x = arena_alloc(w->arena, sizeof *x);
  x->kind = kind;
  x->loc = loc;
  return x;
}

static bool literal(const sc_expr *e, rb_decimal *v) {
  if (e->kind == SX_NUMBER) {
    *v = e->number;
    return true;
  }
  if (e->kind == SX_NEG && e->operand->kind == SX_NUMBER) {
    *v = dec_neg(e->operand->number);
    return true;
  }
  return false;
}

/* `subject op number` (or `number op subject`, flipped): see sc_test. */
static sc_test tier_test(const sc_expr *cond) {
  sc_test t = {0};
  if (cond->kind != SX_BINARY || cond->bin.op < OP_LT || cond->bin.op > OP_NE) return t;
  rb_decimal v, unused;
  if (literal(cond->bin.rhs, &v) && !literal(cond->bin.lhs, &unused))
    return (sc_test){true, cond->bin.lhs, cond->bin.op, v};
  if (literal(cond->bin.lhs, &v) && !literal(cond->bin.rhs, &unused)) {
    static const ex_op flip[] = {[OP_LT] = OP_GT, [OP_LE] = OP_GE, [OP_GT] = OP_LT,
                                 [OP_GE] = OP_LE, [OP_EQ] = OP_EQ, [OP_NE] = OP_NE};
    return (sc_test){true, cond->bin.rhs, flip[cond->bin.op], v};
  }
  return t;
}

static sc_let *lower_let(lw *w, const ast_stmt *st) {
  for (int i = 0; i < w->nlets; i++)
    if (w->let_key[i] == st) return w->let_val[i];
  sc_let *l = arena_alloc(w->arena, sizeof *l);
  l->name = copy(w, st->name);
  l->loc = st->name_loc;
  if (w->nlets == w->caplets) {
    w->caplets = w->caplets ? 2 * w->caplets : 16;
    w->let_key = realloc(w->let_key, sizeof *w->let_key * (size_t)w->caplets);
    w->let_val = realloc(w->let_val, sizeof *w->let_val * (size_t)w->caplets);
    if (!w->let_key || !w->let_val) abort();
  }
  w->let_key[w->nlets] = st;
  w->let_val[w->nlets++] = l;
  l->value = lower_expr(w, st->value); /* after recording it: a let never names itself */
  return l;
}

static sc_form *lower_form(lw *w, const ast_form *f) {
  for (int i = 0; i < w->nforms; i++)
    if (w->form_key[i] == f) return w->form_val[i];
  sc_form *x = arena_alloc(w->arena, sizeof *x);
  x->name = copy(w, f->name);
  x->loc = f->name_loc;
  x->nparams = f->nparams;
  x->params = arena_alloc(w->arena, sizeof *x->params * (size_t)(f->nparams ? f->nparams : 1));
  for (int i = 0; i < f->nparams; i++) x->params[i] = copy(w, f->params[i].name);
  if (w->nforms == w->capforms) {
    w->capforms = w->capforms ? 2 * w->capforms : 8;
    w->form_key = realloc(w->form_key, sizeof *w->form_key * (size_t)w->capforms);
    w->form_val = realloc(w->form_val, sizeof *w->form_val * (size_t)w->capforms);
    if (!w->form_key || !w->form_val) abort();
  }
  w->form_key[w->nforms] = f;
  w->form_val[w->nforms++] = x;
  x->body = lower_expr(w, f->body); /* forms are not recursive (R0702) */
  x->reads_inputs = f->reads_inputs;
  return x;
}

static sc_expr *lower_call(lw *w, const ast_expr *e) {
  if (e->call.builtin < 0) {
    sc_expr *x = node(w, SX_FORM, e->loc);
    x->form.form = lower_form(w, e->call.form);
    int n = e->call.form->nparams;
    x->form.args = arena_alloc(w->arena, sizeof *x->form.args * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) x->form.args[i] = lower_expr(w, e->call.bound[i]);
    return x;
  }
  bi_kind fn = (bi_kind)e->call.builtin;
  if (BI_IS_PEER(fn)) {
    sc_expr *x = node(w, SX_PEER, e->loc);
    x->peer.fn = fn;
    x->peer.arg = e->call.args ? lower_expr(w, e->call.args->value) : NULL;
    x->peer.stat[0] = e->call.stat[0];
    x->peer.stat[1] = e->call.stat[1];
    return x;
  }
  sc_expr *x = node(w, SX_BUILTIN, e->loc);
  x->call.fn = fn;
  if (fn == BI_WORKDAYS && !w->s->uses_calendar) w->s->uses_calendar = true, w->s->calendar_loc = e->loc;
  if (fn == BI_WORKDAYS && !w->in_condition) w->s->rules_use_calendar = true;
  x->call.nargs = e->call.nargs;
  x->call.args = arena_alloc(w->arena, sizeof *x->call.args * (size_t)(e->call.nargs ? e->call.nargs : 1));
  int i = 0;
  for (const ast_arg *a = e->call.args; a; a = a->next) x->call.args[i++] = lower_expr(w, a->value);
  return x;
}

static sc_expr *lower_tiers(lw *w, const ast_expr *e) {
  sc_expr *x = node(w, SX_TIERS, e->loc);
  int n = 0;
  for (const ast_tier *t = e->tiers.tiers; t; t = t->next) n++;
  x->tiers.n = n;
  x->tiers.tier = arena_alloc(w->arena, sizeof *x->tiers.tier * (size_t)(n ? n : 1));
  int i = 0;
  for (const ast_tier *t = e->tiers.tiers; t; t = t->next, i++) {
    sc_tier *st = &x->tiers.tier[i];
    st->cond = lower_expr(w, t->cond);
    st->value = lower_expr(w, t->value);
    st->test = tier_test(st->cond);
    st->loc = t->loc;
  }
  x->tiers.linear = e->tiers.linear;
  x->tiers.tail_loc = e->tiers.tail_loc;
  if (e->tiers.otherwise) x->tiers.otherwise = lower_expr(w, e->tiers.otherwise);
  else if (e->tiers.between) x->tiers.otherwise = lower_expr(w, e->tiers.between);
  return x;
}

static size_t expr_slot(const lw *w, const ast_expr *e) {
  size_t h = ((size_t)(uintptr_t)e >> 4) * 0x9E3779B97F4A7C15ull;
  size_t i = h & (w->capexprs - 1);
  while (w->expr_key[i] && w->expr_key[i] != e) i = (i + 1) & (w->capexprs - 1);
  return i;
}

static void remember(lw *w, const ast_expr *e, sc_expr *x) {
  if (2 * (w->nexprs + 1) > w->capexprs) {
    const ast_expr **keys = w->expr_key;
    sc_expr **vals = w->expr_val;
    size_t cap = w->capexprs;
    w->capexprs = cap ? 2 * cap : 256;
    w->expr_key = calloc(w->capexprs, sizeof *w->expr_key);
    w->expr_val = calloc(w->capexprs, sizeof *w->expr_val);
    if (!w->expr_key || !w->expr_val) abort();
    for (size_t i = 0; i < cap; i++)
      if (keys[i]) {
        size_t j = expr_slot(w, keys[i]);
        w->expr_key[j] = keys[i];
        w->expr_val[j] = vals[i];
      }
    free(keys);
    free(vals);
  }
  size_t i = expr_slot(w, e);
  w->expr_key[i] = e;
  w->expr_val[i] = x;
  w->nexprs++;
}

static sc_expr *lower_node(lw *w, const ast_expr *e);

static sc_expr *lower_expr(lw *w, const ast_expr *e) {
  if (w->capexprs) {
    size_t i = expr_slot(w, e);
    if (w->expr_key[i]) return w->expr_val[i];
  }
  sc_expr *x = lower_node(w, e);
  remember(w, e, x);
  return x;
}

static sc_expr *lower_node(lw *w, const ast_expr *e) {
  switch (e->kind) {
  case EX_NUMBER: {
    sc_expr *x = node(w, SX_NUMBER, e->loc);
    x->number = e->num.value;
    return x;
  }
  case EX_BOOL: {
    sc_expr *x = node(w, SX_BOOL, e->loc);
    x->boolean = e->boolean;
    return x;
  }
  case EX_NAME:
    switch (e->name.ref) {
    case REF_INPUT: {
      sc_expr *x = node(w, SX_INPUT, e->loc);
      const ast_input *in = e->name.input;
      /* in a tally's condition, a field of the record */
      x->input = in->records ? &w->s->records[in->records->index].fields[in->index] : &w->s->inputs[in->index];
      return x;
    }
    case REF_LET: {
      sc_expr *x = node(w, SX_LET, e->loc);
      x->let = lower_let(w, e->name.let);
      return x;
    }
    case REF_PARAM: {
      sc_expr *x = node(w, SX_PARAM, e->loc);
      x->param = e->name.param;
      return x;
    }
    case REF_ITEMS: return node(w, SX_ITEMS, e->loc);
    case REF_SUBJECT: return node(w, SX_SUBJECT, e->loc);
    case REF_LABEL: { /* a label is its index: the column holds indices */
      sc_expr *x = node(w, SX_NUMBER, e->loc);
      x->number = dec_from_int(e->name.param);
      return x;
    }
    case REF_NONE: break;
    }
    break;
  case EX_CALL: return lower_call(w, e);
  case EX_NEG:
  case EX_NOT: {
    sc_expr *x = node(w, e->kind == EX_NEG ? SX_NEG : SX_NOT, e->loc);
    x->operand = lower_expr(w, e->operand);
    return x;
  }
  case EX_BINARY: {
    sc_expr *x = node(w, SX_BINARY, e->loc);
    x->bin.op = e->bin.op;
    x->bin.lhs = lower_expr(w, e->bin.lhs);
    x->bin.rhs = lower_expr(w, e->bin.rhs);
    return x;
  }
  case EX_TIERS: return lower_tiers(w, e);
  case EX_UNDEFINED: {
    sc_expr *x = node(w, SX_UNDEFINED, e->loc);
    x->reason = copy(w, e->undef.reason);
    return x;
  }
  case EX_LIST: break;
  }
  assert(!"the checker lets no unresolved or misplaced expression through");
  abort();
}

/* ---- what a rule reads ---------------------------------------------------- */

/* The inputs a part or target reads, as the checker found them (sorted). */
static int copy_reads(lw *w, const int *uses, int n, int **out) {
  *out = arena_alloc(w->arena, sizeof **out * (size_t)(n ? n : 1));
  if (n) memcpy(*out, uses, sizeof **out * (size_t)n);
  return n;
}

/* ---- parts ----------------------------------------------------------------- */

/* Each statistic's stage: 1 + the highest stage of the statistics its
   argument reads. The checker registers a call's inner statistics before
   the call's own (check/types.c checks the argument first), so those have
   lower indexes and their stages are known by then. */
static void stage_stats(sc_scheme *s) {
  unsigned char *reads = calloc((size_t)s->nstats + 1, 1);
  if (!reads) abort();
  for (int i = 0; i < s->nstats; i++) {
    sc_stat *x = &s->stats[i];
    memset(reads, 0, (size_t)s->nstats + 1);
    if (x->arg) scheme_expr_reads(x->arg, NULL, reads);
    x->stage = 1;
    for (int k = 0; k < i; k++)
      if (reads[k] && s->stats[k].stage + 1 > x->stage) x->stage = s->stats[k].stage + 1;
    assert(!memchr(reads + i, 1, (size_t)(s->nstats - i)));
    if (x->stage > s->nstages) s->nstages = x->stage;
  }
  free(reads);
}

static sc_part *lower_part(lw *w, const ast_part *p, sc_part *parent) {
  sc_part *x = w->s->parts[p->index];
  x->kind = p->kind;
  x->section = p->section;
  x->id = copy(w, p->id);
  x->path = copy(w, p->path);
  x->title = copy(w, p->title);
  x->doc = doc_above(w, p->loc.src, p->loc.first_line);
  x->points = p->points;
  x->loc = p->loc;
  x->id_loc = p->id_loc;
  x->points_loc = p->points_loc;
  x->index = p->index;
  x->parent = parent;
  if (p->kind_input) { /* its own `for` (within its parent's kinds: kinds.c) */
    x->nkinds = p->nkind_labels;
    int *kinds = arena_alloc(w->arena, sizeof *kinds * (size_t)p->nkind_labels);
    memcpy(kinds, p->kind_labels, sizeof *kinds * (size_t)p->nkind_labels);
    x->kinds = kinds;
  } else if (parent) { /* its parent's */
    x->nkinds = parent->nkinds;
    x->kinds = parent->kinds;
  }
  x->nchildren = p->nchildren;
  x->children = arena_alloc(w->arena, sizeof *x->children * (size_t)(p->nchildren ? p->nchildren : 1));
  int k = 0;
  for (const ast_stmt *st = p->body; st; st = st->next)
    if (st->kind == ST_PART) x->children[k++] = lower_part(w, st->part, x);
  assert(k == p->nchildren);
  x->nreads = copy_reads(w, p->uses, p->nuses, &x->reads);
  if (p->nchildren && p->score) x->score = lower_expr(w, p->score); /* adjusts `items`, their sum */
  if (!p->nchildren) {
    x->score = lower_expr(w, p->score);
    for (int r = 0; r < x->nreads; r++) {
      const sc_input *in = &w->s->inputs[x->reads[r]];
      if (in->missing != MISS_POINTS && in->missing != MISS_FULL) continue;
      x->fixed_when_empty = true;
      x->empty_points = in->missing == MISS_FULL ? p->points : in->missing_value;
    }
  }
  return x;
}

static void lower_target(lw *w, const ast_part *p) {
  sc_target *t = &w->s->targets[p->index];
  t->id = copy(w, p->id);
  t->title = copy(w, p->title);
  t->doc = doc_above(w, p->loc.src, p->loc.first_line);
  t->loc = p->loc;
  t->id_loc = p->id_loc;
  t->index = p->index;
  t->rule = lower_expr(w, p->score);
  /* `comparison and c1 and c2`: the comparison leftmost, the conditions
     joined again without it */
  const sc_expr *cmp = t->rule;
  while (cmp->kind == SX_BINARY && cmp->bin.op == OP_AND) cmp = cmp->bin.lhs;
  assert(cmp->kind == SX_BINARY);
  t->op = cmp->bin.op;
  t->value = cmp->bin.lhs;
  t->goal = cmp->bin.rhs;
  for (sc_expr *e = t->rule; e != cmp; e = e->bin.lhs) {
    if (!t->also) {
      t->also = e->bin.rhs;
      continue;
    }
    sc_expr *both = node(w, SX_BINARY, e->loc);
    both->bin.op = OP_AND;
    both->bin.lhs = e->bin.rhs;
    both->bin.rhs = t->also;
    t->also = both;
  }
  t->nreads = copy_reads(w, p->uses, p->nuses, &t->reads);
}

static void lower_grade(lw *w, const ast_grade *g) {
  sc_grade *x = &w->s->grades[g->index];
  x->id = copy(w, g->id);
  x->title = copy(w, g->title);
  x->doc = doc_above(w, g->loc.src, g->loc.first_line);
  x->loc = g->loc;
  x->id_loc = g->id_loc;
  x->index = g->index;
  x->subject = g->part ? w->s->parts[g->part->index] : NULL;
  x->nbands = g->nbands;
  x->has_treatment = g->has_treatment;
  x->conditional = g->conditional;
  x->nreads = copy_reads(w, g->reads, g->nreads, &x->reads);
  x->bands = arena_alloc(w->arena, sizeof *x->bands * (size_t)(g->nbands ? g->nbands : 1));
  int i = 0;
  for (const ast_band *b = g->bands; b; b = b->next, i++) {
    assert(b->resolved);
    x->bands[i] = (sc_band){copy(w, b->name), copy(w, b->treatment), b->loc, b->has_lo, b->has_hi,
                            b->lo_open, b->hi_open, b->lo, b->hi, g->conditional ? lower_expr(w, b->cond) : NULL};
  }
}

/* ---- examples -------------------------------------------------------------- */

/* The decimal an example writes: 4.5, -1, yes (1) or no (0). */
static rb_decimal given_decimal(const ast_expr *e) {
  switch (e->kind) {
  case EX_NUMBER: return e->num.value;
  case EX_NEG: return dec_neg(e->operand->num.value);
  case EX_BOOL: return dec_from_int(e->boolean ? 1 : 0);
  case EX_NAME: return dec_from_int(e->name.param); /* a label (examples.c) */
  default: assert(!"checked: example values are written out"); abort();
  }
}

static void lower_example(lw *w, const ast_example *ex, sc_example *x) {
  x->title = copy(w, ex->title);
  x->loc = ex->loc;
  for (const ast_given *g = ex->items; g; g = g->next) {
    if (g->expect) x->nexpects++;
    else x->ngivens++;
  }
  x->givens = arena_alloc(w->arena, sizeof *x->givens * (size_t)(x->ngivens ? x->ngivens : 1));
  x->expects = arena_alloc(w->arena, sizeof *x->expects * (size_t)(x->nexpects ? x->nexpects : 1));
  int ng = 0, ne = 0;
  for (const ast_given *g = ex->items; g; g = g->next) {
    if (!g->expect) {
      sc_given *y = &x->givens[ng++];
      y->loc = g->loc;
      if (g->stat) {
        y->nstats = g->nstats;
        y->stats = arena_alloc(w->arena, sizeof *y->stats * (size_t)(g->nstats ? g->nstats : 1));
        memcpy(y->stats, g->stats, sizeof *y->stats * (size_t)g->nstats);
        y->nvalues = 1;
        y->values = arena_alloc(w->arena, sizeof *y->values);
        y->values[0] = given_decimal(g->value);
        continue;
      }
      y->input = &w->s->inputs[g->input->index];
      y->nvalues = g->nvals;
      y->values = arena_alloc(w->arena, sizeof *y->values * (size_t)(g->nvals ? g->nvals : 1));
      if (g->missing) {
        y->empty = true;
      } else if (g->value->kind == EX_LIST) {
        int i = 0;
        for (const ast_arg *a = g->value->list.items; a; a = a->next) y->values[i++] = given_decimal(a->value);
      } else {
        for (int i = 0; i < g->nvals; i++) y->values[i] = given_decimal(g->value); /* one value for every period */
      }
      continue;
    }
    sc_expect *y = &x->expects[ne++];
    y->name = copy(w, g->name);
    y->loc = g->loc;
    if (g->grade) {
      y->kind = EXPECT_GRADE;
      y->grade = &w->s->grades[g->grade->index];
      y->band = g->band_index;
      y->band_name = copy(w, g->band);
    } else if (g->part && g->part->kind == PART_TARGET) {
      y->kind = EXPECT_TARGET;
      y->target = &w->s->targets[g->part->index];
      y->met = g->value->boolean;
    } else {
      y->kind = g->part ? EXPECT_PART : EXPECT_TOTAL;
      y->part = g->part ? w->s->parts[g->part->index] : NULL;
      y->undefined = g->value == NULL;
      if (g->value) y->value = given_decimal(g->value);
    }
  }
}

/* ---- the scheme ------------------------------------------------------------ */

static void lower_input(lw *w, const ast_input *in, sc_input *x) {
  *x = (sc_input){copy(w, in->name), copy(w, in->title), in->name_loc, in->index, in->tkind, in->per != NULL,
                  in->from_parent, in->has_lo, in->has_hi, in->lo, in->hi, in->missing,
                  in->missing_value, copy(w, in->column), in->nlabels, NULL, NULL, NULL};
  if (in->nlabels) {
    const char **labels = arena_alloc(w->arena, sizeof *labels * (size_t)in->nlabels);
    int k = 0;
    for (const ast_arg *l = in->labels; l; l = l->next) labels[k++] = copy(w, l->name);
    x->labels = labels;
  }
}

/* The record tables and their fields, then the tallies, whose inputs are
   the scheme's last (check/records.c added them after the declared ones). */
static void lower_records(lw *w) {
  const ast_scheme *a = w->ast;
  sc_scheme *s = w->s;
  s->nrecords = a->nrecords;
  s->records = arena_alloc(w->arena, sizeof *s->records * (size_t)(a->nrecords ? a->nrecords : 1));
  for (const ast_records *t = a->records; t; t = t->next) {
    sc_records *x = &s->records[t->index];
    *x = (sc_records){copy(w, t->name), copy(w, t->title), t->loc, t->name_loc, t->index, t->nfields, NULL};
    x->fields = arena_alloc(w->arena, sizeof *x->fields * (size_t)(t->nfields ? t->nfields : 1));
    for (const ast_input *in = t->fields; in; in = in->next) {
      lower_input(w, in, &x->fields[in->index]);
      x->fields[in->index].records = x;
    }
  }
  s->ntallies = a->ntallies;
  s->tallies = arena_alloc(w->arena, sizeof *s->tallies * (size_t)(a->ntallies ? a->ntallies : 1));
  for (const ast_tally *y = a->tallies; y; y = y->next) {
    sc_tally *x = &s->tallies[y->index];
    sc_input *in = &s->inputs[y->input->index];
    assert(y->input->index == s->ninputs - s->ntallies + y->index); /* the inputs' last, in order */
    *x = (sc_tally){&s->records[y->records->index], NULL, copy(w, y->text), y->loc, y->index, in};
    in->tally = x;
  }
}

/* The tallies' conditions, after every rule: a form they share with a rule
   is lowered (once) from the rule, so what the rules call is known apart
   from what only the records passes call (rules_use_calendar). */
static void lower_conditions(lw *w) {
  w->in_condition = true;
  for (const ast_tally *y = w->ast->tallies; y; y = y->next)
    if (y->cond) w->s->tallies[y->index].cond = lower_expr(w, y->cond);
  w->in_condition = false;
}

sc_scheme *lower_scheme(const ast_scheme *a, rb_arena *arena) {
  lw w = {.arena = arena, .ast = a};
  sc_scheme *s = w.s = arena_alloc(arena, sizeof *s);
  s->id = copy(&w, a->id);
  s->title = copy(&w, a->title);
  s->loc = a->loc;
  s->id_loc = a->id_loc;
  s->has_total = a->has_total;
  s->total = a->total;
  s->total_loc = a->total_loc;
  s->period = copy(&w, a->period);
  s->period_first = a->period_first;
  s->period_last = a->period_last;
  s->nperiods = a->period ? a->period_last - a->period_first + 1 : 1;
  s->round_parts = a->round_parts;
  s->round_total = a->round_total;
  s->round_loc = a->round_loc;
  s->peers_by_parent = a->peers_by_parent;
  s->uses_parent = a->uses_parent;

  s->ninputs = a->ninputs;
  s->inputs = arena_alloc(arena, sizeof *s->inputs * (size_t)(a->ninputs ? a->ninputs : 1));
  for (int i = 0; i < a->ninputs; i++) lower_input(&w, a->input_at[i], &s->inputs[i]);
  lower_records(&w);

  s->kind = a->kind_input ? &s->inputs[a->kind_input->index] : NULL;
  s->nstats = a->nstats;
  s->stats = arena_alloc(arena, sizeof *s->stats * (size_t)(a->nstats ? a->nstats : 1));

  s->nparts = a->nparts;
  s->parts = arena_alloc(arena, sizeof *s->parts * (size_t)(a->nparts ? a->nparts : 1));
  for (int i = 0; i < a->nparts; i++) s->parts[i] = arena_alloc(arena, sizeof **s->parts);
  s->ntargets = a->ntargets;
  s->targets = arena_alloc(arena, sizeof *s->targets * (size_t)(a->ntargets ? a->ntargets : 1));
  for (const ast_stmt *st = a->body; st; st = st->next)
    if (st->kind == ST_PART && st->part->kind != PART_TARGET) s->ntop++;
  s->top = arena_alloc(arena, sizeof *s->top * (size_t)(s->ntop ? s->ntop : 1));
  int k = 0;
  for (const ast_stmt *st = a->body; st; st = st->next) {
    if (st->kind != ST_PART) continue;
    if (st->part->kind == PART_TARGET) lower_target(&w, st->part);
    else s->top[k++] = lower_part(&w, st->part, NULL);
  }

  s->nrequires = a->nrequires;
  s->requires = arena_alloc(arena, sizeof *s->requires * (size_t)(a->nrequires ? a->nrequires : 1));
  for (int i = 0; i < a->nrequires; i++) {
    const ast_stmt *st = a->require_at[i];
    s->requires[i] = (sc_require){lower_expr(&w, st->value), copy(&w, st->name), st->loc};
  }

  /* statistics after the rules: their arguments are lowered like rules */
  for (int i = 0; i < a->nstats; i++) {
    const ast_stat *st = a->stat_at[i];
    sc_stat *x = &s->stats[i];
    x->kind = st->kind;
    x->index = i;
    x->arg = st->arg ? lower_expr(&w, st->arg) : NULL;
    x->loc = st->call->loc;
    const rb_loc *l = st->arg ? &st->arg->loc : NULL;
    x->text = l ? arena_printf(arena, "%s(%.*s)", vocab_stat_name(st->kind), (int)(l->end - l->start), l->src->text + l->start)
                : arena_printf(arena, "%s()", vocab_stat_name(st->kind));
  }
  stage_stats(s);

  s->ngrades = a->ngrades;
  s->grades = arena_alloc(arena, sizeof *s->grades * (size_t)(a->ngrades ? a->ngrades : 1));
  for (const ast_grade *g = a->grades; g; g = g->next) lower_grade(&w, g);

  for (const ast_example *ex = a->examples; ex; ex = ex->next) s->nexamples++;
  s->examples = arena_alloc(arena, sizeof *s->examples * (size_t)(s->nexamples ? s->nexamples : 1));
  int e = 0;
  for (const ast_example *ex = a->examples; ex; ex = ex->next) lower_example(&w, ex, &s->examples[e++]);
  lower_conditions(&w);

  free(w.let_key);
  free(w.let_val);
  free(w.form_key);
  free(w.form_val);
  free(w.expr_key);
  free(w.expr_val);
  return s;
}
