/* eval.c: one expression for one entity and one period, exactly
 * (spec/semantics.md#evaluation-and-guards, #built-in-functions, #forms,
 * #tiers, #numbers).
 *
 * A per-period expression is evaluated one period at a time: operators,
 * comparisons, tiers and the elementwise built-ins take period P of their
 * operands (a one-value operand is the same in every period); sum, mean,
 * count, min/max of one argument, latest, previous and growth walk the
 * periods of their argument that they read. Only what the row's path uses
 * is evaluated (guards), left to right, and the first error stops the
 * evaluation of that period. The spec computes a per-period value
 * operation by operation, each for every period: of the errors of the
 * periods, the one reported is the first operation's (its place in the
 * rule, as a path of child indexes), then the earliest period's. Every
 * result is an exact rational; products and quotients are rounded half up
 * to 36 decimals (a product only when it has more), and a result of 10^20
 * or more in magnitude is an error. */
#include <stdlib.h>

#include "ref.h"

static void grow(int **a, int *cap, int need) {
  if (need <= *cap) return;
  *cap = need * 2;
  *a = realloc(*a, (size_t)*cap * sizeof **a);
  if (!*a) abort();
}

bool ctx_fail(ctx *c, int code, rb_loc loc) {
  c->err.path = realloc(c->err.path, (size_t)(c->depth + 1) * sizeof(int));
  if (!c->err.path) abort();
  for (int i = 0; i < c->depth; i++) c->err.path[i] = c->path[i];
  c->err.depth = c->depth;
  c->err.code = code;
  c->err.loc = loc;
  return false;
}
#define fail ctx_fail
#define sub eval_sub

void ctx_done(ctx *c) {
  free(c->path);
  free(c->err.path);
  c->path = c->err.path = NULL;
  c->depth = c->cap = c->err.depth = 0;
}

bool eval_sub(ctx *c, int k, const sc_expr *e, const frame *f, int p, mpq_t out) {
  grow(&c->path, &c->cap, c->depth + 1);
  c->path[c->depth++] = k;
  bool ok = eval(c, e, f, p, out);
  c->depth--;
  return ok;
}

/* Whether error A (in period PA) comes before B (in PB): operation by
   operation, each for every period. An operation's operands come before
   it (a longer path under a common prefix), earlier children before later
   ones, and for one operation the earlier period first. */
static bool before(const ref_err *a, int pa, const ref_err *b, int pb) {
  int n = a->depth < b->depth ? a->depth : b->depth;
  for (int i = 0; i < n; i++)
    if (a->path[i] != b->path[i]) return a->path[i] < b->path[i];
  if (a->depth != b->depth) return a->depth > b->depth;
  return pa < pb;
}

/* Errors of several periods: the first in evaluation order is kept. */
typedef struct first_err {
  bool any;
  int period;
  ref_err err; /* a copy; its path owned here */
} first_err;

static void note(first_err *fe, const ctx *c, int period) {
  if (fe->any && !before(&c->err, period, &fe->err, fe->period)) return;
  fe->err.path = realloc(fe->err.path, (size_t)(c->err.depth + 1) * sizeof(int));
  if (!fe->err.path) abort();
  for (int i = 0; i < c->err.depth; i++) fe->err.path[i] = c->err.path[i];
  fe->err.depth = c->err.depth;
  fe->err.code = c->err.code;
  fe->err.loc = c->err.loc;
  fe->period = period;
  fe->any = true;
}

/* Puts the first error noted (if any) in C->err; frees FE. Returns
   whether there was none. */
static bool settle(ctx *c, first_err *fe) {
  bool none = !fe->any;
  if (fe->any) {
    free(c->err.path);
    c->err = fe->err;
  } else {
    free(fe->err.path);
  }
  return none;
}

/* The overflow rule, after every operation that computes a number. */
static bool checked(ctx *c, const sc_expr *e, const mpq_t v) {
  return num_overflows(v) ? fail(c, 1203, e->loc) : true;
}

bool is_periodic(const sc_expr *e, const frame *f) {
  switch (e->kind) {
  case SX_NUMBER: case SX_BOOL: case SX_UNDEFINED: case SX_PEER: case SX_ITEMS: case SX_SUBJECT: return false;
  case SX_INPUT: return e->input->periodic;
  case SX_LET: return is_periodic(e->let->value, NULL);
  case SX_PARAM: return is_periodic(f->args[e->param], f->up);
  case SX_FORM: {
    frame inner = {e->form.args, f};
    return is_periodic(e->form.form->body, &inner);
  }
  case SX_NEG: case SX_NOT: return is_periodic(e->operand, f);
  case SX_BINARY: return is_periodic(e->bin.lhs, f) || is_periodic(e->bin.rhs, f);
  case SX_TIERS:
    for (int i = 0; i < e->tiers.n; i++)
      if (is_periodic(e->tiers.tier[i].cond, f) || is_periodic(e->tiers.tier[i].value, f)) return true;
    return e->tiers.otherwise && is_periodic(e->tiers.otherwise, f);
  case SX_BUILTIN:
    switch (e->call.fn) {
    case BI_SUM: case BI_MEAN: case BI_COUNT: case BI_BEST: case BI_LATEST: case BI_PREVIOUS: case BI_GROWTH: return false;
    case BI_MIN: case BI_MAX: if (e->call.nargs == 1) return false; /* fall through */
    default:
      for (int i = 0; i < e->call.nargs; i++)
        if (is_periodic(e->call.args[i], f)) return true;
      return false;
    }
  }
  return false;
}

bool reads_input(const sc_expr *e, const sc_input *in) {
  switch (e->kind) {
  case SX_INPUT: return e->input == in;
  case SX_LET: return reads_input(e->let->value, in);
  case SX_FORM:
    for (int i = 0; i < e->form.form->nparams; i++)
      if (reads_input(e->form.args[i], in)) return true;
    return e->form.form->reads_inputs && reads_input(e->form.form->body, in); /* a scheme's form */
  case SX_PEER: return e->peer.arg && reads_input(e->peer.arg, in);
  case SX_NEG: case SX_NOT: return reads_input(e->operand, in);
  case SX_BINARY: return reads_input(e->bin.lhs, in) || reads_input(e->bin.rhs, in);
  case SX_TIERS:
    for (int i = 0; i < e->tiers.n; i++)
      if (reads_input(e->tiers.tier[i].cond, in) || reads_input(e->tiers.tier[i].value, in)) return true;
    return e->tiers.otherwise && reads_input(e->tiers.otherwise, in);
  case SX_BUILTIN:
    for (int i = 0; i < e->call.nargs; i++)
      if (reads_input(e->call.args[i], in)) return true;
    return false;
  default: return false;
  }
}

/* A * B or A / B (B not 0), rounded half up to 36 decimals, into OUT. */
static void product(mpq_t out, const mpq_t a, const mpq_t b, bool divide) {
  if (divide) mpq_div(out, a, b);
  else mpq_mul(out, a, b);
  num_round(out, 36);
}

static bool binary(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out) {
  ex_op op = e->bin.op;
  if (!sub(c, 0, e->bin.lhs, f, p, out)) return false;
  if (op == OP_AND || op == OP_OR) { /* the right operand only where it decides */
    if ((op == OP_AND) != (mpq_sgn(out) != 0)) return true;
    return sub(c, 1, e->bin.rhs, f, p, out);
  }
  mpq_t r;
  mpq_init(r);
  bool ok = sub(c, 1, e->bin.rhs, f, p, r);
  int cmp = ok ? mpq_cmp(out, r) : 0;
  if (ok) switch (op) {
    case OP_ADD: mpq_add(out, out, r); ok = checked(c, e, out); break;
    case OP_SUB: mpq_sub(out, out, r); ok = checked(c, e, out); break;
    case OP_MUL: product(out, out, r, false); ok = checked(c, e, out); break;
    case OP_DIV:
      if (mpq_sgn(r) == 0) ok = fail(c, 1202, e->loc);
      else product(out, out, r, true), ok = checked(c, e, out);
      break;
    case OP_LT: mpq_set_ui(out, cmp < 0, 1); break;
    case OP_LE: mpq_set_ui(out, cmp <= 0, 1); break;
    case OP_GT: mpq_set_ui(out, cmp > 0, 1); break;
    case OP_GE: mpq_set_ui(out, cmp >= 0, 1); break;
    case OP_EQ: mpq_set_ui(out, cmp == 0, 1); break;
    case OP_NE: mpq_set_ui(out, cmp != 0, 1); break;
    default: break;
    }
  mpq_clear(r);
  return ok;
}

static bool tiers(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out) {
  for (int i = 0; i < e->tiers.n; i++) {
    if (!sub(c, 2 * i, e->tiers.tier[i].cond, f, p, out)) return false;
    if (mpq_sgn(out)) return sub(c, 2 * i + 1, e->tiers.tier[i].value, f, p, out);
  }
  if (!e->tiers.otherwise) {
    fprintf(stderr, "rubric-ref: internal error: no tier applies (line %d)\n", e->loc.first_line);
    abort();
  }
  return sub(c, 2 * e->tiers.n, e->tiers.otherwise, f, p, out);
}

/* sum, mean, count: every value of every argument, left to right, a
   per-period argument period by period. The sum is exact (the terms may
   pass 10^20 on the way); only the result is checked. */
static bool reduce(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out) {
  mpq_t v;
  mpq_init(v);
  mpq_set_ui(out, 0, 1);
  long n = 0;
  first_err fe = {0};
  for (int i = 0; i < e->call.nargs; i++) {
    bool per = is_periodic(e->call.args[i], f);
    for (int q = per ? 0 : p; q < (per ? c->j->s->nperiods : p + 1); q++, n++) {
      if (!sub(c, i, e->call.args[i], f, q, v)) {
        note(&fe, c, q);
        continue;
      }
      if (e->call.fn == BI_COUNT) mpq_set_ui(v, mpq_sgn(v) != 0, 1);
      mpq_add(out, out, v);
    }
  }
  bool ok = settle(c, &fe);
  if (ok && e->call.fn == BI_MEAN) {
    mpq_set_si(v, n, 1);
    product(out, out, v, true);
  }
  mpq_clear(v);
  return ok && checked(c, e, out);
}

static int by_descending(const void *a, const void *b) { return mpq_cmp(*(const mpq_t *)b, *(const mpq_t *)a); }

/* best(k, ...): every value of the arguments after the first, as sum
   takes them, the k largest added. */
static bool best(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out) {
  int m = 0, nper = c->j->s->nperiods;
  for (int i = 1; i < e->call.nargs; i++) m += is_periodic(e->call.args[i], f) ? nper : 1;
  mpq_t *v = malloc(sizeof *v * (size_t)(m ? m : 1));
  if (!v) abort();
  first_err fe = {0};
  int n = 0;
  for (int i = 1; i < e->call.nargs; i++) {
    bool per = is_periodic(e->call.args[i], f);
    for (int q = per ? 0 : p; q < (per ? nper : p + 1); q++) {
      mpq_init(v[n]);
      if (!sub(c, i, e->call.args[i], f, q, v[n])) note(&fe, c, q);
      n++;
    }
  }
  bool ok = settle(c, &fe);
  qsort(v, (size_t)n, sizeof *v, by_descending);
  mpq_t kq;
  mpq_init(kq);
  num_from_decimal(e->call.args[0]->number, kq); /* a whole number, written out (checked) */
  long k = (long)mpq_get_d(kq);
  mpq_clear(kq);
  mpq_set_ui(out, 0, 1);
  for (int i = 0; i < n; i++) {
    if (i < k) mpq_add(out, out, v[i]);
    mpq_clear(v[i]);
  }
  free(v);
  return ok && checked(c, e, out);
}

/* Argument 0 of E in periods FROM to TO (inclusive) into V[0..]: every
   period evaluated, the first error in evaluation order kept. */
static bool periods(ctx *c, const sc_expr *e, const frame *f, int from, int to, mpq_t *v) {
  first_err fe = {0};
  for (int q = from; q <= to; q++)
    if (!sub(c, 0, e->call.args[0], f, q, v[q - from])) note(&fe, c, q);
  return settle(c, &fe);
}

static bool builtin(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out) {
  sc_expr *const *a = e->call.args;
  int n = e->call.nargs, last = c->j->s->nperiods - 1;
  mpq_t v;
  bool ok = true;
  switch (e->call.fn) {
  case BI_SUM: case BI_MEAN: case BI_COUNT: return reduce(c, e, f, p, out);
  case BI_BEST: return best(c, e, f, p, out);
  default: break;
  }
  switch (e->call.fn) {
  case BI_LATEST: return sub(c, 0, a[0], f, last, out);
  case BI_PREVIOUS: return sub(c, 0, a[0], f, last - 1, out);
  case BI_GROWTH: { /* latest / previous - 1: the two periods, then the division */
    mpq_t two[2];
    mpq_inits(two[0], two[1], NULL);
    ok = periods(c, e, f, last - 1, last, two);
    if (ok && mpq_sgn(two[0]) == 0) ok = fail(c, 1202, e->loc);
    if (ok) {
      product(out, two[1], two[0], true);
      mpq_init(v);
      mpq_set_ui(v, 1, 1);
      mpq_sub(out, out, v);
      mpq_clear(v);
      ok = checked(c, e, out);
    }
    mpq_clears(two[0], two[1], NULL);
    return ok;
  }
  case BI_MIN: case BI_MAX: case BI_CLAMP: {
    /* min/max of one argument: over its periods; else over the arguments.
       clamp(x, lo, hi) = min(max(x, lo), hi) */
    bool over = n == 1;
    int count = over ? c->j->s->nperiods : n;
    mpq_t *vals = malloc((size_t)count * sizeof *vals);
    if (!vals) abort();
    for (int i = 0; i < count; i++) mpq_init(vals[i]);
    if (over) {
      ok = periods(c, e, f, 0, count - 1, vals);
    } else {
      for (int i = 0; ok && i < count; i++) ok = sub(c, i, a[i], f, p, vals[i]);
    }
    for (int i = 0; ok && i < count; i++) {
      if (!i) {
        mpq_set(out, vals[0]);
        continue;
      }
      int cmp = mpq_cmp(vals[i], out);
      bool take = e->call.fn == BI_MIN ? cmp < 0 : e->call.fn == BI_MAX ? cmp > 0 : i == 1 ? cmp > 0 : cmp < 0;
      if (take) mpq_set(out, vals[i]);
    }
    for (int i = 0; i < count; i++) mpq_clear(vals[i]);
    free(vals);
    return ok;
  }
  case BI_DAYS_BETWEEN: case BI_WORKDAYS: { /* day numbers: b - a, or the working days in (a, b] */
    mpq_init(v);
    ok = sub(c, 0, a[0], f, p, v) && sub(c, 1, a[1], f, p, out);
    if (ok && e->call.fn == BI_DAYS_BETWEEN) mpq_sub(out, out, v);
    else if (ok) {
      long n;
      if (ref_workdays(&c->j->cal, mpz_get_si(mpq_numref(v)), mpz_get_si(mpq_numref(out)), &n)) mpq_set_si(out, n, 1);
      else ok = fail(c, 1181, e->loc);
    }
    mpq_clear(v);
    return ok;
  }
  case BI_CEIL: case BI_FLOOR: case BI_ABS:
    if (!sub(c, 0, a[0], f, p, out)) return false;
    if (e->call.fn == BI_ABS) {
      mpq_abs(out, out);
      return true;
    }
    mpz_t z;
    mpz_init(z);
    if (e->call.fn == BI_CEIL) mpz_cdiv_q(z, mpq_numref(out), mpq_denref(out));
    else mpz_fdiv_q(z, mpq_numref(out), mpq_denref(out));
    mpq_set_z(out, z);
    mpz_clear(z);
    return checked(c, e, out);
  default:
    fprintf(stderr, "rubric-ref: internal error: built-in %d\n", (int)e->call.fn);
    abort();
  }
}

bool reads_failed_count(ctx *c, const sc_expr *e) {
  const sc_scheme *s = c->j->s;
  for (int i = 0; e && i < s->ninputs; i++) {
    const cell *cl = &c->j->ents[c->ent].cells[i * s->nperiods];
    if (s->inputs[i].tally && cl->fail_code && reads_input(e, &s->inputs[i])) return fail(c, cl->fail_code, cl->fail_loc), true;
  }
  return false;
}

bool eval(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out) {
  switch (e->kind) {
  case SX_NUMBER: num_from_decimal(e->number, out); return true;
  case SX_BOOL: mpq_set_ui(out, e->boolean, 1); return true;
  case SX_INPUT: {
    if (e->input->records) { /* a field of the record a tally tests */
      mpq_set(out, c->record[e->input->index].v);
      return true;
    }
    const cell *cl = &c->j->ents[c->ent].cells[e->input->index * c->j->s->nperiods + (e->input->periodic ? p : 0)];
    if (cl->fail_code) return fail(c, cl->fail_code, cl->fail_loc);
    if (cl->empty) {
      fprintf(stderr, "rubric-ref: internal error: an empty cell of '%s' is read\n", e->input->name);
      abort();
    }
    mpq_set(out, cl->v);
    return true;
  }
  case SX_LET: return sub(c, 0, e->let->value, NULL, p, out);
  case SX_PARAM: return sub(c, 0, f->args[e->param], f->up, p, out);
  case SX_FORM: {
    frame inner = {e->form.args, f};
    return sub(c, 0, e->form.form->body, &inner, p, out);
  }
  case SX_BUILTIN: return builtin(c, e, f, p, out);
  case SX_PEER: return peer_value(c, e, p, out);
  case SX_NEG:
    if (!sub(c, 0, e->operand, f, p, out)) return false;
    mpq_neg(out, out);
    return true;
  case SX_NOT:
    if (!sub(c, 0, e->operand, f, p, out)) return false;
    mpq_set_ui(out, mpq_sgn(out) == 0, 1);
    return true;
  case SX_BINARY: return binary(c, e, f, p, out);
  case SX_TIERS: return tiers(c, e, f, p, out);
  case SX_UNDEFINED: return fail(c, 1201, e->loc);
  case SX_ITEMS: mpq_set(out, *c->items); return true;
  case SX_SUBJECT: mpq_set(out, *c->subject); return true;
  }
  return false;
}
