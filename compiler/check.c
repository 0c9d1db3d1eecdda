/* check.c: names, types and units, points, tiers and examples.
 *
 * One pass over each scheme in source order. Errors are reported and the
 * walk goes on with a type marked !ok, so one mistake gives one message.
 * The AST is annotated in place (ast.h "resolved" fields) for codegen.c.
 */
#include "check.h"
#include "ranges.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct scope {
  struct scope *next;
  ast_stmt *let;
} scope;

/* Parameters of the form whose body is being checked. */
typedef struct form_env {
  ast_form *form;
  rb_type *params;
} form_env;

typedef struct ck {
  rb_arena *arena;
  rb_diags *diags;
  const ast_file *file, *prelude;
  ast_scheme *scheme; /* NULL while checking top-level forms */
  int nperiods;
  int form_errors;   /* errors in the file's own form declarations */
} ck;

static const char *builtin_names[BI__COUNT] = {
    "min", "max", "clamp", "ceil", "floor", "abs", "sum", "mean", "count",
    "latest", "previous", "growth",
    "peers.max", "peers.min", "peers.mean", "peers.sum", "peers.count", "peers.rank",
    "peers.ratio_to_max", "peers.minmax", "peers.share", "peers.rank_ratio"};
static const char *input_type_names[] = {"count", "number", "fraction", "money", "rank", "yesno"};
static const char *unit_phrase[] = {N_("a plain number"), N_("a count"), N_("a fraction"), N_("money (yuan)"),
                                    N_("a rank")};
static const char *reserved_columns[] = {"id", "name", "total", "rank"};

static const char *points_text(ck *c, rb_decimal d);

static const char *a_an(const char *word) { return strchr("aeiou", word[0]) ? "an" : "a"; }

static rb_type bad_type(void) { return (rb_type){.ok = false}; }
static rb_type num_type(rb_unit u, bool periodic) {
  return (rb_type){.ok = true, .unit = u, .periodic = periodic};
}
static rb_type bool_type(bool periodic) {
  return (rb_type){.ok = true, .is_bool = true, .periodic = periodic};
}

/* ---- names ------------------------------------------------------------ */

static int edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 40 || m > 40) return 99;
  int d[41][41];
  for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  return d[n][m];
}

/* Keeps the closest of the candidate names offered so far. */
typedef struct suggestion {
  const char *want, *best;
  int dist;
} suggestion;

static void suggest(suggestion *s, const char *candidate) {
  int d = edit_distance(s->want, candidate);
  int limit = (int)strlen(s->want) / 3 + 1;
  if (d <= limit && d < s->dist) {
    s->dist = d;
    s->best = candidate;
  }
}

static const char *did_you_mean(ck *c, suggestion *s) {
  return s->best ? arena_printf(c->arena, diag_tr("; did you mean '%s'?"), s->best) : "";
}

static ast_input *find_input(ast_scheme *s, const char *name) {
  if (!s) return NULL;
  for (ast_input *in = s->inputs; in; in = in->next)
    if (!strcmp(in->name, name)) return in;
  return NULL;
}

static ast_stmt *find_let(scope *sc, const char *name) {
  for (; sc; sc = sc->next)
    if (!strcmp(sc->let->name, name)) return sc->let;
  return NULL;
}

static ast_form *find_form_in(ast_form *list, const char *name) {
  for (ast_form *f = list; f; f = f->next)
    if (!strcmp(f->name, name)) return f;
  return NULL;
}

static ast_form *find_form(ck *c, const char *name) {
  ast_form *f = c->scheme ? find_form_in(c->scheme->forms, name) : NULL;
  if (!f) f = find_form_in(c->file->forms, name);
  if (!f && c->prelude) f = find_form_in(c->prelude->forms, name);
  return f;
}

static int find_builtin(const char *name) {
  for (int i = 0; i < BI__COUNT; i++)
    if (!strcmp(builtin_names[i], name)) return i;
  return -1;
}

/* ---- units ------------------------------------------------------------- */

static bool is_plain_literal(const ast_expr *e, rb_decimal *value) {
  if (e->kind == EX_NEG && e->operand->kind == EX_NUMBER && !e->operand->num.percent) {
    *value = dec_neg(e->operand->num.value);
    return true;
  }
  if (e->kind == EX_NUMBER && !e->num.percent) {
    *value = e->num.value;
    return true;
  }
  return false;
}

/* The unit of a sum or choice of two values; plain numbers take any unit. */
static rb_unit unify(ck *c, rb_type a, rb_type b, rb_loc loc, const char *what) {
  if (a.unit == U_PLAIN || a.undefined) return b.unit;
  if (b.unit == U_PLAIN || b.undefined) return a.unit;
  if (a.unit != b.unit)
    diag_error(c->diags, R0401, loc, "%s %s and %s", what, diag_tr(unit_phrase[a.unit]), diag_tr(unit_phrase[b.unit]));
  return a.unit;
}

/* ---- expressions ------------------------------------------------------- */

static rb_type check_expr(ck *c, ast_expr *e, scope *sc, form_env *env);

static rb_type need_number(ck *c, rb_type t, ast_expr *e, const char *context) {
  if (t.ok && t.is_bool) {
    if (e->kind == EX_NAME && e->name.ref == REF_INPUT)
      diag_error(c->diags, R0402, e->loc, "'%s' is a yes/no input and %s needs a number: write e.g. '1 if %s, 0 otherwise'",
                 e->name.id, context, e->name.id);
    else
      diag_error(c->diags, R0402, e->loc, "%s needs a number, not a yes/no condition", context);
    return bad_type();
  }
  return t;
}

static rb_type need_bool(ck *c, rb_type t, ast_expr *e, const char *context) {
  if (t.ok && !t.is_bool) {
    diag_error(c->diags, R0403, e->loc, "%s needs a yes/no condition, not a number", context);
    return bad_type();
  }
  return t;
}

static void unknown_in_form(rb_diags *diags, const ast_form *f, const ast_expr *e) {
  suggestion s = {e->name.id, NULL, 99};
  for (int i = 0; i < f->nparams; i++) suggest(&s, f->params[i].name);
  char hint[200] = "";
  if (s.best) snprintf(hint, sizeof hint, diag_tr("; did you mean '%s'?"), s.best);
  diag_error(diags, R0703, e->loc, "unknown name '%s' in form '%s' (a form sees only its parameters)%s", e->name.id,
             f->name, hint);
}

/* Every name in a form's body must be a parameter, whether or not the form
   is ever called. */
static void form_names(rb_diags *diags, const ast_form *f, const ast_expr *e) {
  if (!e) return;
  switch (e->kind) {
  case EX_NAME: {
    bool found = false;
    for (int i = 0; i < f->nparams; i++) found |= !strcmp(f->params[i].name, e->name.id);
    if (!found) unknown_in_form(diags, f, e);
    break;
  }
  case EX_CALL:
    for (ast_arg *a = e->call.args; a; a = a->next) form_names(diags, f, a->value);
    break;
  case EX_NEG:
  case EX_NOT: form_names(diags, f, e->operand); break;
  case EX_BINARY:
    form_names(diags, f, e->bin.lhs);
    form_names(diags, f, e->bin.rhs);
    break;
  case EX_TIERS:
    for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
      form_names(diags, f, t->value);
      form_names(diags, f, t->cond);
    }
    form_names(diags, f, e->tiers.otherwise);
    break;
  case EX_LIST:
    for (ast_arg *a = e->list.items; a; a = a->next) form_names(diags, f, a->value);
    break;
  case EX_UNDEFINED:
    diag_error(diags, R0703, e->loc, "'undefined' belongs in a scheme's rules, not in a form");
    break;
  default: break;
  }
}

static rb_type check_name(ck *c, ast_expr *e, scope *sc, form_env *env) {
  const char *id = e->name.id;
  if (env) {
    for (int i = 0; i < env->form->nparams; i++)
      if (!strcmp(env->form->params[i].name, id)) {
        e->name.ref = REF_PARAM;
        e->name.param = i;
        return env->params[i];
      }
    if (!env->form->names_checked) unknown_in_form(c->diags, env->form, e);
    return bad_type(); /* else reported once, where the form is declared */
  }
  ast_stmt *let = find_let(sc, id);
  if (let) {
    e->name.ref = REF_LET;
    e->name.let = let;
    /* the let's type was computed when it was declared */
    return let->type ? *let->type : bad_type();
  }
  ast_input *in = find_input(c->scheme, id);
  if (in) {
    e->name.ref = REF_INPUT;
    e->name.input = in;
    bool periodic = in->per != NULL;
    switch (in->tkind) {
    case IN_YESNO: return bool_type(periodic);
    case IN_COUNT: return num_type(U_COUNT, periodic);
    case IN_FRACTION: return num_type(U_RATIO, periodic);
    case IN_MONEY: return num_type(U_MONEY, periodic);
    case IN_RANK: return num_type(U_RANK, periodic);
    case IN_NUMBER: return num_type(U_PLAIN, periodic);
    }
  }
  if (c->file->syntax_errors) return bad_type(); /* its declaration may be the line that did not parse */
  suggestion s = {id, NULL, 99};
  for (scope *x = sc; x; x = x->next) suggest(&s, x->let->name);
  if (c->scheme)
    for (ast_input *i = c->scheme->inputs; i; i = i->next) suggest(&s, i->name);
  diag_error(c->diags, R0301, e->loc, "unknown name '%s': not an input or a 'let' in scope%s", id, did_you_mean(c, &s));
  return bad_type();
}

/* Warns about a fraction compared with a bare number such as 0.3 (was 0.3% meant?). */
static void check_fraction_literal(ck *c, rb_type t, ast_expr *side, ast_expr *other, ast_expr *whole) {
  rb_decimal v;
  if (t.unit != U_RATIO || !is_plain_literal(other, &v)) return;
  if (dec_is_zero(v) || dec_cmp(v, dec_from_int(1)) == 0) return;
  /* A declared fraction input stops at 1; a computed share (a / b) may not. */
  bool input_fraction = side->kind == EX_NAME && side->name.ref == REF_INPUT && side->name.input->tkind == IN_FRACTION &&
                        !side->name.input->has_hi;
  bool above_one = input_fraction && dec_cmp(v, dec_from_int(1)) > 0;
  char text[64], pct[64];
  rb_decimal hundred = v;
  hundred.scale -= 2; /* v * 100, exactly */
  if (hundred.scale < 0) {
    for (; hundred.scale < 0; hundred.scale++) hundred.coef *= 10;
  }
  dec_format(v, text, sizeof text);
  dec_format(hundred, pct, sizeof pct);
  if (above_one)
    diag_error(c->diags, R0408, whole->loc,
               "a fraction is compared with the bare number %s, which is above 1 (100%%): write %s%% or %s%% to say which share is meant",
               text, pct, text);
  else
    diag_warning(c->diags, R0405, whole->loc,
                 "a fraction is compared with the bare number %s: write %s%% if a share of %s%% is meant, or %s%% for %s percent",
                 text, pct, pct, text, text);
}

static rb_type check_binary(ck *c, ast_expr *e, scope *sc, form_env *env) {
  rb_type l = check_expr(c, e->bin.lhs, sc, env);
  rb_type r;
  ex_op op = e->bin.op;
  if (op == OP_AND || op == OP_OR) {
    r = check_expr(c, e->bin.rhs, sc, env);
    l = need_bool(c, l, e->bin.lhs, op == OP_AND ? "'and'" : "'or'");
    r = need_bool(c, r, e->bin.rhs, op == OP_AND ? "'and'" : "'or'");
    if (!l.ok || !r.ok) return bad_type();
    return bool_type(l.periodic || r.periodic);
  }
  r = check_expr(c, e->bin.rhs, sc, env);
  if (op <= OP_DIV && (l.ok != r.ok)) { /* still say what is wrong with the other side */
    const char *opname = op == OP_ADD ? "'+'" : op == OP_SUB ? "'-'" : op == OP_MUL ? "'*'" : "'/'";
    if (l.ok) need_number(c, l, e->bin.lhs, opname);
    if (r.ok) need_number(c, r, e->bin.rhs, opname);
  }
  if (!l.ok || !r.ok) return bad_type();
  bool periodic = l.periodic || r.periodic;
  if (op >= OP_LT && op <= OP_NE) {
    if (l.is_bool || r.is_bool) {
      if (l.is_bool && r.is_bool && (op == OP_EQ || op == OP_NE)) return bool_type(periodic);
      diag_error(c->diags, R0402, e->loc, "'%s' compares numbers; a yes/no value is a condition by itself",
                 ast_op_text(op));
      return bad_type();
    }
    unify(c, l, r, e->loc, diag_tr("cannot compare"));
    check_fraction_literal(c, l, e->bin.lhs, e->bin.rhs, e);
    check_fraction_literal(c, r, e->bin.rhs, e->bin.lhs, e);
    return bool_type(periodic);
  }
  const char *opname = op == OP_ADD ? "'+'" : op == OP_SUB ? "'-'" : op == OP_MUL ? "'*'" : "'/'";
  l = need_number(c, l, e->bin.lhs, opname);
  r = need_number(c, r, e->bin.rhs, opname);
  if (!l.ok || !r.ok) return bad_type();
  switch (op) {
  case OP_ADD:
  case OP_SUB:
    return num_type(unify(c, l, r, e->loc, op == OP_ADD ? diag_tr("cannot add") : diag_tr("cannot subtract")), periodic);
  case OP_MUL:
    if (l.unit == U_PLAIN || l.unit == U_RATIO) return num_type(r.unit, periodic);
    if (r.unit == U_PLAIN || r.unit == U_RATIO) return num_type(l.unit, periodic);
    return num_type(U_PLAIN, periodic);
  case OP_DIV:
    if (l.unit == r.unit && l.unit != U_PLAIN) return num_type(U_RATIO, periodic); /* a share */
    if (r.unit == U_PLAIN || r.unit == U_RATIO) return num_type(l.unit, periodic);
    return num_type(U_PLAIN, periodic);
  default:
    assert(0);
    return bad_type();
  }
}

/* `f(10,200)` reads 10,200 as ten thousand two hundred: say so. */
static void warn_grouped(ck *c, const ast_expr *arg) {
  if (arg->kind == EX_NUMBER && arg->num.grouped)
    diag_warning(c->diags, R0902, arg->loc,
                 "this reads as one number with a thousands separator; put a space after ',' for two arguments");
}

static rb_type check_form_call(ck *c, ast_expr *e, ast_form *f, scope *sc, form_env *env) {
  ast_expr **bound = arena_alloc(c->arena, sizeof *bound * (size_t)(f->nparams ? f->nparams : 1));
  rb_type *types = arena_alloc(c->arena, sizeof *types * (size_t)(f->nparams ? f->nparams : 1));
  bool ok = true, named = false;
  int pos = 0;
  for (ast_arg *a = e->call.args; a; a = a->next) {
    warn_grouped(c, a->value);
    rb_type t = check_expr(c, a->value, sc, env);
    int slot = -1;
    if (a->name) {
      named = true;
      for (int i = 0; i < f->nparams; i++)
        if (!strcmp(f->params[i].name, a->name)) slot = i;
      if (slot < 0) {
        suggestion s = {a->name, NULL, 99};
        for (int i = 0; i < f->nparams; i++) suggest(&s, f->params[i].name);
        diag_error(c->diags, R0701, a->name_loc, "form '%s' has no parameter '%s'%s", f->name, a->name,
                   did_you_mean(c, &s));
        ok = false;
        continue;
      }
    } else {
      if (named) {
        diag_error(c->diags, R0701, a->value->loc, "a positional argument cannot follow named ones");
        ok = false;
        continue;
      }
      slot = pos++;
      if (slot >= f->nparams) {
        diag_error(c->diags, R0701, a->value->loc, "too many arguments: form '%s' takes %d", f->name, f->nparams);
        ok = false;
        continue;
      }
    }
    if (bound[slot]) {
      diag_error(c->diags, R0701, a->name_loc, "parameter '%s' of form '%s' is given twice", f->params[slot].name,
                 f->name);
      ok = false;
      continue;
    }
    bound[slot] = a->value;
    types[slot] = t;
    if (!t.ok) ok = false;
  }
  for (int i = 0; i < f->nparams; i++)
    if (!bound[i] && ok) {
      diag_error(c->diags, R0701, e->call.fn_loc, "form '%s' needs a value for '%s'", f->name, f->params[i].name);
      ok = false;
    }
  e->call.builtin = -1;
  e->call.form = f;
  e->call.bound = bound;
  if (!ok) return bad_type();
  if (f->checking) {
    diag_error(c->diags, R0702, e->call.fn_loc, "form '%s' calls itself; forms cannot be recursive", f->name);
    return bad_type();
  }
  f->checking = 1;
  int before = c->diags->errors;
  form_env inner = {f, types};
  ast_scheme *saved = c->scheme;
  rb_type t = check_expr(c, f->body, NULL, &inner);
  c->scheme = saved;
  f->checking = 0;
  if (c->diags->errors > before) diag_note(c->diags, e->loc, "in the form '%s' used here", f->name);
  return t;
}


/* ---- peers and periods -------------------------------------------------- */

static bool is_peer_call(const ast_expr *e, void *ctx) {
  (void)ctx;
  return e->kind == EX_CALL && e->call.builtin >= 0 && BI_IS_PEER(e->call.builtin);
}

/* Whether E (through its lets and form arguments) uses a peer aggregate. */
static bool reads_peers(const ast_expr *e) { return ast_any(e, is_peer_call, NULL); }

static bool is_missing_scores(const ast_expr *e, void *found) {
  if (e->kind != EX_NAME || e->name.ref != REF_INPUT) return false;
  ast_input *in = e->name.input;
  if (in->missing != MISS_POINTS && in->missing != MISS_FULL) return false;
  *(ast_input **)found = in;
  return true;
}

/* The first input with `missing scores` that E reads, or NULL. */
static ast_input *reads_missing_scores(const ast_expr *e) {
  ast_input *found = NULL;
  ast_any(e, is_missing_scores, &found);
  return found;
}

/* The scheme's statistic of KIND over ARG, added on first use. */
static int peer_stat(ck *c, stat_kind kind, ast_expr *arg, ast_expr *call) {
  ast_scheme *s = c->scheme;
  for (int i = 0; i < s->nstats; i++)
    if (s->stat_at[i]->kind == kind && ast_same_expr(s->stat_at[i]->arg, arg, true)) return i;
  ast_stat *st = arena_alloc(c->arena, sizeof *st);
  st->kind = kind;
  st->arg = arg;
  st->call = call;
  st->index = s->nstats;
  ast_stat **grown = arena_alloc(c->arena, sizeof *grown * (size_t)(s->nstats + 1));
  if (s->nstats) memcpy(grown, s->stat_at, sizeof *grown * (size_t)s->nstats);
  grown[s->nstats++] = st;
  s->stat_at = grown;
  return st->index;
}

/* peers.max(x) and friends: x is one value per entity, read from inputs and
   lets only, so a first pass can compute it for every peer. */
static rb_type check_peer_call(ck *c, ast_expr *e, scope *sc, form_env *env) {
  bi_kind bi = (bi_kind)e->call.builtin;
  const char *fn = e->call.fn;
  int want = bi == BI_PEER_COUNT ? 0 : 1;
  rb_type t = num_type(U_PLAIN, false);
  for (ast_arg *a = e->call.args; a; a = a->next) {
    if (a->name) diag_error(c->diags, R0406, a->name_loc, "'%s' takes no named arguments", fn);
    t = check_expr(c, a->value, sc, env);
  }
  if (e->call.nargs != want) {
    diag_error(c->diags, R0406, e->loc, want ? "'%s' takes 1 argument, not %d" : "'%s' takes no arguments, not %d", fn,
               e->call.nargs);
    return bad_type();
  }
  if (env) return bad_type(); /* reported where the form is declared (report_form_peers) */
  if (!c->scheme) return bad_type();
  ast_expr *arg = want ? e->call.args->value : NULL;
  if (arg) {
    if (!t.ok) return bad_type();
    t = need_number(c, t, arg, arena_printf(c->arena, "'%s'", fn));
    if (!t.ok) return bad_type();
    if (t.periodic) {
      diag_error(c->diags, R0312, arg->loc,
                 "'%s' compares one value per entity, and this has one per period: reduce it first, e.g. mean(...)", fn);
      return bad_type();
    }
    if (reads_peers(arg)) {
      diag_error(c->diags, R0312, arg->loc, "'%s' of a value that itself reads the peers: aggregates do not nest", fn);
      return bad_type();
    }
    ast_input *in = reads_missing_scores(arg);
    if (in) {
      diag_error(c->diags, R0312, arg->loc,
                 "'%s' reads '%s', whose empty cell means fixed points ('missing scores'): a peer's empty cell has no "
                 "value to compare; give the input 'missing error' or 'missing V'",
                 fn, in->name);
      return bad_type();
    }
  }
  switch (bi) {
  case BI_PEER_MAX: e->call.stat[0] = peer_stat(c, STAT_MAX, arg, e); return num_type(t.unit, false);
  case BI_PEER_MIN: e->call.stat[0] = peer_stat(c, STAT_MIN, arg, e); return num_type(t.unit, false);
  case BI_PEER_MEAN: e->call.stat[0] = peer_stat(c, STAT_MEAN, arg, e); return num_type(t.unit, false);
  case BI_PEER_SUM: e->call.stat[0] = peer_stat(c, STAT_SUM, arg, e); return num_type(t.unit, false);
  case BI_PEER_COUNT: e->call.stat[0] = peer_stat(c, STAT_COUNT, NULL, e); return num_type(U_COUNT, false);
  case BI_PEER_RANK: e->call.stat[0] = peer_stat(c, STAT_RANK, arg, e); return num_type(U_RANK, false);
  case BI_PEER_RATIO_TO_MAX: e->call.stat[0] = peer_stat(c, STAT_MAX, arg, e); return num_type(U_RATIO, false);
  case BI_PEER_SHARE: e->call.stat[0] = peer_stat(c, STAT_SUM, arg, e); return num_type(U_RATIO, false);
  case BI_PEER_MINMAX:
    e->call.stat[0] = peer_stat(c, STAT_MIN, arg, e);
    e->call.stat[1] = peer_stat(c, STAT_MAX, arg, e);
    return num_type(U_RATIO, false);
  case BI_PEER_RANK_RATIO:
    e->call.stat[0] = peer_stat(c, STAT_RANK, arg, e);
    e->call.stat[1] = peer_stat(c, STAT_COUNT, NULL, e);
    return num_type(U_RATIO, false);
  default: assert(0);
  }
  return bad_type();
}

/* latest(x), previous(x), growth(x): x has one value per period. */
static rb_type check_period_call(ck *c, ast_expr *e, scope *sc, form_env *env) {
  const char *fn = e->call.fn;
  rb_type t = bad_type();
  for (ast_arg *a = e->call.args; a; a = a->next) {
    if (a->name) diag_error(c->diags, R0406, a->name_loc, "'%s' takes no named arguments", fn);
    t = check_expr(c, a->value, sc, env);
  }
  if (e->call.nargs != 1) {
    diag_error(c->diags, R0406, e->loc, "'%s' takes 1 argument, not %d", fn, e->call.nargs);
    return bad_type();
  }
  ast_expr *arg = e->call.args->value;
  if (!t.ok) return bad_type();
  t = need_number(c, t, arg, arena_printf(c->arena, "'%s'", fn));
  if (!t.ok) return bad_type();
  if (!t.periodic) {
    diag_error(c->diags, R0406, e->loc, "'%s' needs one value per period, and this is a single value", fn);
    return bad_type();
  }
  if (e->call.builtin != BI_LATEST && c->nperiods < 2) {
    diag_error(c->diags, R0309, e->loc, "'%s' needs a previous period, and the scheme has one period", fn);
    return bad_type();
  }
  if (e->call.builtin == BI_GROWTH) return num_type(U_RATIO, false);
  return num_type(t.unit, false);
}

static rb_type check_call(ck *c, ast_expr *e, scope *sc, form_env *env) {
  int bi = find_builtin(e->call.fn);
  if (bi < 0) {
    ast_form *f = find_form(c, e->call.fn);
    if (f) return check_form_call(c, e, f, sc, env);
    suggestion s = {e->call.fn, NULL, 99};
    for (int i = 0; i < BI__COUNT; i++) suggest(&s, builtin_names[i]);
    if (c->scheme)
      for (ast_form *x = c->scheme->forms; x; x = x->next) suggest(&s, x->name);
    for (ast_form *x = c->file->forms; x; x = x->next) suggest(&s, x->name);
    if (c->prelude)
      for (ast_form *x = c->prelude->forms; x; x = x->next) suggest(&s, x->name);
    diag_error(c->diags, R0302, e->call.fn_loc, "unknown function or form '%s'%s", e->call.fn, did_you_mean(c, &s));
    for (ast_arg *a = e->call.args; a; a = a->next) check_expr(c, a->value, sc, env);
    return bad_type();
  }
  e->call.builtin = bi;
  e->call.stat[0] = e->call.stat[1] = -1;
  if (BI_IS_PEER(bi)) return check_peer_call(c, e, sc, env);
  if (bi == BI_LATEST || bi == BI_PREVIOUS || bi == BI_GROWTH) return check_period_call(c, e, sc, env);
  int n = e->call.nargs;
  rb_type args[64];
  bool ok = true, periodic = false;
  int i = 0;
  for (ast_arg *a = e->call.args; a; a = a->next, i++) {
    if (a->name) {
      diag_error(c->diags, R0406, a->name_loc, "'%s' takes no named arguments", e->call.fn);
      ok = false;
    }
    warn_grouped(c, a->value);
    rb_type t = check_expr(c, a->value, sc, env);
    if (i < 64) args[i] = t;
    if (!t.ok) ok = false;
    periodic |= t.periodic;
  }
  if (n > 64) {
    diag_error(c->diags, R0406, e->loc, "too many arguments");
    return bad_type();
  }
  const char *fn = e->call.fn;
  int want_min = 1, want_max = 64;
  if (bi == BI_CLAMP) want_min = want_max = 3;
  if (bi == BI_CEIL || bi == BI_FLOOR || bi == BI_ABS) want_min = want_max = 1;
  if (n < want_min || n > want_max) {
    if (want_min == want_max)
      diag_error(c->diags, R0406, e->loc, "'%s' takes %d argument%s, not %d", fn, want_min, want_min == 1 ? "" : "s", n);
    else
      diag_error(c->diags, R0406, e->loc, "'%s' needs at least one argument", fn);
    return bad_type();
  }
  if (!ok) return bad_type();
  i = 0;
  if (bi == BI_COUNT) {
    for (ast_arg *a = e->call.args; a; a = a->next, i++)
      if (!need_bool(c, args[i], a->value, "count(...)").ok) return bad_type();
    return num_type(U_COUNT, false);
  }
  rb_type acc = num_type(U_PLAIN, false);
  for (ast_arg *a = e->call.args; a; a = a->next, i++) {
    args[i] = need_number(c, args[i], a->value, arena_printf(c->arena, "'%s'", fn));
    if (!args[i].ok) return bad_type();
    acc.unit = unify(c, acc, args[i], a->value->loc, arena_printf(c->arena, diag_tr("'%s' mixes"), fn));
  }
  switch (bi) {
  case BI_SUM:
  case BI_MEAN:
    return num_type(acc.unit, false); /* over the periods and the arguments */
  case BI_MIN:
  case BI_MAX:
    if (n == 1) {
      if (!args[0].periodic) {
        diag_error(c->diags, R0406, e->loc, "'%s' of a single value: give two or more values, or one value per period", fn);
        return bad_type();
      }
      return num_type(acc.unit, false);
    }
    return num_type(acc.unit, periodic);
  case BI_CLAMP:
    if (args[1].periodic || args[2].periodic) {
      diag_error(c->diags, R0404, e->loc, "the bounds of 'clamp' must be one value, not one per period");
      return bad_type();
    }
    return num_type(args[0].unit, args[0].periodic);
  default: /* ceil, floor, abs */
    return num_type(args[0].unit, args[0].periodic);
  }
}

/* ---- tiers ------------------------------------------------------------- */

/* One end of an interval of values: -inf/+inf, or a decimal, open or closed. */
typedef struct bound {
  bool inf;
  rb_decimal v;
  bool closed;
} bound;
typedef struct interval {
  bound lo, hi;
} interval;
#define MAX_IV 64
typedef struct ivset {
  int n;
  interval iv[MAX_IV];
} ivset;

/* lo bound a starts no later than b */
static bool lo_le(bound a, bound b) {
  if (a.inf) return true;
  if (b.inf) return false;
  int k = dec_cmp(a.v, b.v);
  return k < 0 || (k == 0 && (a.closed || !b.closed));
}
/* hi bound a ends no earlier than b */
static bool hi_ge(bound a, bound b) {
  if (a.inf) return true;
  if (b.inf) return false;
  int k = dec_cmp(a.v, b.v);
  return k > 0 || (k == 0 && (a.closed || !b.closed));
}

/* Does an interval ending at hi touch or overlap one starting at lo? */
static bool touches(bound hi, bound lo) {
  if (hi.inf || lo.inf) return true;
  int k = dec_cmp(lo.v, hi.v);
  return k < 0 || (k == 0 && (hi.closed || lo.closed));
}

static void ivset_add(ivset *s, interval x) {
  /* insert keeping the list sorted by lower bound, then merge neighbours */
  if (s->n == MAX_IV) return;
  int at = 0;
  while (at < s->n && lo_le(s->iv[at].lo, x.lo)) at++;
  memmove(&s->iv[at + 1], &s->iv[at], sizeof(interval) * (size_t)(s->n - at));
  s->iv[at] = x;
  s->n++;
  int w = 0;
  for (int r = 1; r < s->n; r++) {
    if (touches(s->iv[w].hi, s->iv[r].lo)) {
      if (!hi_ge(s->iv[w].hi, s->iv[r].hi)) s->iv[w].hi = s->iv[r].hi;
    } else {
      s->iv[++w] = s->iv[r];
    }
  }
  s->n = w + 1;
}

static bool ivset_contains(const ivset *s, interval x) {
  for (int i = 0; i < s->n; i++)
    if (lo_le(s->iv[i].lo, x.lo) && hi_ge(s->iv[i].hi, x.hi)) return true;
  return false;
}

/* `subject op constant`: the subject and the set of values it matches. */
typedef struct tier_cond {
  ast_expr *subject;
  ex_op op;
  rb_decimal t;
} tier_cond;

static bool literal_value(const ast_expr *e, rb_decimal *v) {
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

static bool as_tier_cond(ast_expr *cond, tier_cond *out) {
  if (cond->kind != EX_BINARY || cond->bin.op < OP_LT || cond->bin.op > OP_NE) return false;
  rb_decimal v;
  if (literal_value(cond->bin.rhs, &v) && !literal_value(cond->bin.lhs, &(rb_decimal){0})) {
    *out = (tier_cond){cond->bin.lhs, cond->bin.op, v};
    return true;
  }
  if (literal_value(cond->bin.lhs, &v) && !literal_value(cond->bin.rhs, &(rb_decimal){0})) {
    static const ex_op flip[] = {[OP_LT] = OP_GT, [OP_LE] = OP_GE, [OP_GT] = OP_LT,
                                 [OP_GE] = OP_LE, [OP_EQ] = OP_EQ, [OP_NE] = OP_NE};
    *out = (tier_cond){cond->bin.rhs, flip[cond->bin.op], v};
    return true;
  }
  return false;
}

static int cond_intervals(tier_cond tc, interval out[2]) {
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

static const char *bound_text(ck *c, bound b, bool lower) {
  if (b.inf) return lower ? "-inf" : "+inf";
  char t[64];
  dec_format(b.v, t, sizeof t);
  return arena_strdup(c->arena, t);
}

/* Text of the first range of values the set leaves out, e.g. "[0.003, 0.005]". */
static const char *first_gap(ck *c, const ivset *s) {
  if (s->n == 0) return "every value";
  bound ninf = {.inf = true};
  if (!s->iv[0].lo.inf) {
    bound hi = s->iv[0].lo;
    hi.closed = !hi.closed;
    return arena_printf(c->arena, "(%s, %s%c", bound_text(c, ninf, true), bound_text(c, hi, false),
                        hi.closed ? ']' : ')');
  }
  bound lo = s->iv[0].hi;
  lo.closed = !lo.closed;
  bound hi = s->n > 1 ? s->iv[1].lo : (bound){.inf = true};
  if (!hi.inf) hi.closed = !hi.closed;
  return arena_printf(c->arena, "%c%s, %s%c", lo.closed ? '[' : '(', bound_text(c, lo, true),
                      bound_text(c, hi, false), hi.closed && !hi.inf ? ']' : ')');
}

static char *expr_text(ck *c, const ast_expr *e) {
  return arena_strndup(c->arena, e->loc.src->text + e->loc.start, e->loc.end - e->loc.start);
}

static ast_expr *number_node(ck *c, rb_decimal v, rb_loc loc) {
  ast_expr *n = arena_alloc(c->arena, sizeof *n);
  n->kind = EX_NUMBER;
  n->loc = loc;
  n->num.value = v;
  return n;
}

/* `a if x < t1, b if x > t2, linear between` becomes
   interpolate(x, t1, a, t2, b) from the prelude for x between t1 and t2. */
static void lower_linear(ck *c, ast_expr *e, scope *sc, form_env *env) {
  ast_tier *t1 = e->tiers.tiers, *t2 = t1 ? t1->next : NULL;
  if (!t2 || t2->next) {
    int n = 0;
    for (ast_tier *t = t1; t; t = t->next) n++;
    diag_error(c->diags, R0604, e->tiers.tail_loc, "'linear between' joins exactly two tiers; this list has %d", n);
    return;
  }
  tier_cond a, b;
  if (!as_tier_cond(t1->cond, &a) || !as_tier_cond(t2->cond, &b) || a.op == OP_EQ || a.op == OP_NE ||
      b.op == OP_EQ || b.op == OP_NE) {
    diag_error(c->diags, R0604, e->tiers.tail_loc,
               "'linear between' needs both tiers to compare the same value with a number using <, <=, > or >=");
    return;
  }
  if (!ast_same_expr(a.subject, b.subject, false)) {
    diag_error(c->diags, R0604, t2->cond->loc, "'linear between' needs both tiers to test the same value: '%s' and '%s' differ",
               expr_text(c, a.subject), expr_text(c, b.subject));
    return;
  }
  bool a_below = a.op == OP_LT || a.op == OP_LE, b_below = b.op == OP_LT || b.op == OP_LE;
  if (a_below == b_below) {
    diag_error(c->diags, R0604, t2->cond->loc,
               "'linear between' needs one tier below a threshold and one above it; both tiers here are %s",
               a_below ? "below" : "above");
    return;
  }
  tier_cond lo = a_below ? a : b, hi = a_below ? b : a;
  ast_tier *lo_t = a_below ? t1 : t2, *hi_t = a_below ? t2 : t1;
  if (dec_cmp(lo.t, hi.t) >= 0) {
    char x[64], y[64];
    dec_format(lo.t, x, sizeof x);
    dec_format(hi.t, y, sizeof y);
    diag_error(c->diags, R0605, t2->cond->loc,
               "tiers out of order: the lower tier ends at %s and the upper one starts at %s, so nothing lies between",
               x, y);
    return;
  }
  /* always the prelude's: a scheme's own form of that name must not change
     what `linear between` means */
  ast_form *f = c->prelude ? find_form_in(c->prelude->forms, "interpolate") : NULL;
  if (!f || f->nparams != 5) {
    diag_error(c->diags, R0606, e->tiers.tail_loc, "'linear between' needs the prelude form interpolate(x, x0, y0, x1, y1)");
    return;
  }
  ast_expr *call = arena_alloc(c->arena, sizeof *call);
  call->kind = EX_CALL;
  call->loc = e->tiers.tail_loc;
  call->call.fn = "interpolate";
  call->call.fn_loc = e->tiers.tail_loc;
  ast_expr *argv[5] = {lo.subject, number_node(c, lo.t, lo_t->cond->loc), lo_t->value,
                       number_node(c, hi.t, hi_t->cond->loc), hi_t->value};
  ast_arg **tail = &call->call.args;
  for (int i = 0; i < 5; i++) {
    ast_arg *arg = arena_alloc(c->arena, sizeof *arg);
    arg->value = argv[i];
    arg->name_loc = argv[i]->loc;
    *tail = arg;
    tail = &arg->next;
  }
  call->call.nargs = 5;
  e->tiers.between = call;
  /* The arguments were checked and reported as tiers already; this only
     resolves the call. */
  c->diags->muted++;
  check_form_call(c, call, f, sc, env);
  c->diags->muted--;
}

/* Values outside an input's range (a count below 0) need no tier. */
static void add_outside_range(ivset *covered, const ast_expr *subject) {
  if (subject->kind != EX_NAME || subject->name.ref != REF_INPUT) return;
  const ast_input *in = subject->name.input;
  bool has_lo = in->has_lo, has_hi = in->has_hi;
  rb_decimal lo = in->lo, hi = in->hi;
  if (!has_lo && (in->tkind == IN_COUNT || in->tkind == IN_MONEY || in->tkind == IN_FRACTION)) lo = dec_from_int(0), has_lo = true;
  if (!has_lo && in->tkind == IN_RANK) lo = dec_from_int(1), has_lo = true;
  if (!has_hi && in->tkind == IN_FRACTION) hi = dec_from_int(1), has_hi = true;
  bound ninf = {.inf = true}, pinf = {.inf = true};
  if (has_lo) ivset_add(covered, (interval){ninf, (bound){false, lo, false}});
  if (has_hi) ivset_add(covered, (interval){(bound){false, hi, false}, pinf});
}

/* Whether X meets the set in exactly one value (*AT), as `x <= 10` and a
   later `x >= 10` do: a threshold both tiers include. */
static bool meet_at_point(const ivset *s, interval x, rb_decimal *at) {
  int points = 0;
  for (int i = 0; i < s->n; i++) {
    /* a single-value tier (x == 5) shares its value on purpose */
    const interval *m = &s->iv[i];
    if (!m->lo.inf && !m->hi.inf && dec_cmp(m->lo.v, m->hi.v) == 0) continue;
    bound lo = lo_le(s->iv[i].lo, x.lo) ? x.lo : s->iv[i].lo; /* the later start */
    bound hi = hi_ge(s->iv[i].hi, x.hi) ? x.hi : s->iv[i].hi; /* the earlier end */
    if (lo.inf || hi.inf) return false; /* unbounded overlap: more than a point */
    int k = dec_cmp(lo.v, hi.v);
    if (k > 0 || (k == 0 && !(lo.closed && hi.closed))) continue; /* they do not meet */
    if (k < 0) return false;
    *at = lo.v;
    points++;
  }
  return points == 1;
}

/* A count or rank takes whole values only: `<= 2` then `>= 3` leaves no gap. */
static bool whole_subject(const ast_expr *e) {
  return e->kind == EX_NAME && e->name.ref == REF_INPUT &&
         (e->name.input->tkind == IN_COUNT || e->name.input->tkind == IN_RANK);
}

/* Whether some whole number lies outside the covered set. */
static bool gap_has_whole(const ivset *s) {
  for (int i = 0; i <= s->n; i++) {
    /* the gap before member i (or after the last one) */
    bound lo = i == 0 ? (bound){.inf = true} : s->iv[i - 1].hi;
    bound hi = i == s->n ? (bound){.inf = true} : s->iv[i].lo;
    if (lo.inf || hi.inf) {
      if (i == 0 && s->n && s->iv[0].lo.inf) continue; /* no gap before an unbounded start */
      if (i == s->n && s->n && s->iv[s->n - 1].hi.inf) continue;
      return true;
    }
    /* the gap is (lo, hi) with lo/hi excluded where the members include them */
    double a = dec_to_double(lo.v), b = dec_to_double(hi.v);
    double first = lo.closed ? floor(a) + 1 : ceil(a);
    if (first == a && lo.closed) first = a + 1;
    if (first < b || (first == b && !hi.closed)) return true;
  }
  return false;
}

/* Tiers whose conditions all test one value against numbers: find tiers no
   value can reach, thresholds two tiers both include, and values no tier
   takes when there is no `otherwise`. Values outside an input's range count
   as taken. */
static void check_tier_coverage(ck *c, ast_expr *e) {
  ivset covered = {0}, by_tiers = {0};
  ast_expr *subject = NULL;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
    tier_cond tc;
    if (!as_tier_cond(t->cond, &tc) || (subject && !ast_same_expr(subject, tc.subject, false))) {
      if (!e->tiers.otherwise && !e->tiers.linear)
        diag_error(c->diags, R0601, e->loc,
                   "these tiers have no 'otherwise': say what scores when no tier applies (e.g. '0 otherwise', or 'undefined otherwise')");
      return;
    }
    if (!subject) add_outside_range(&covered, tc.subject);
    subject = tc.subject;
    interval iv[2];
    int n = cond_intervals(tc, iv);
    bool reachable = false;
    for (int i = 0; i < n; i++) reachable |= !ivset_contains(&covered, iv[i]);
    rb_decimal at;
    if (!reachable)
      diag_error(c->diags, R0602, t->cond->loc,
                 "this tier can never apply: every value of '%s' it matches is taken by an earlier tier or outside its range (are the tiers out of order?)",
                 expr_text(c, subject));
    else if (n == 1 && meet_at_point(&by_tiers, iv[0], &at))
      diag_warning(c->diags, R0607, t->cond->loc,
                   "this tier and an earlier one both include %s, and the earlier one wins there: write < or > on one side to say which tier %s belongs to",
                   points_text(c, at), points_text(c, at));
    for (int i = 0; i < n; i++) {
      ivset_add(&covered, iv[i]);
      ivset_add(&by_tiers, iv[i]);
    }
  }
  bool all = (covered.n == 1 && covered.iv[0].lo.inf && covered.iv[0].hi.inf) ||
             (whole_subject(subject) && !gap_has_whole(&covered));
  if (e->tiers.otherwise && all)
    diag_warning(c->diags, R0603, e->tiers.tail_loc, "'otherwise' can never apply: the tiers above cover every value of '%s'",
                 expr_text(c, subject));
  if (!e->tiers.otherwise && !e->tiers.linear && !all)
    diag_error(c->diags, R0601, e->loc,
               "these tiers leave values of '%s' in %s without a score: add an 'otherwise' (e.g. '0 otherwise' or 'undefined otherwise')",
               expr_text(c, subject), first_gap(c, &covered));
}


/* ---- grades ------------------------------------------------------------ */

static ast_part *find_part(ast_scheme *s, const char *id);
static ast_part *find_target(ast_scheme *s, const char *id);
static void plain_name(ck *c, const char *name, rb_loc loc);
static bool reserved_id(const char *id);

/* The interval a band condition selects: comparisons of the subject with
   numbers, joined by `and`. False (after an error) for anything else. */
static bool band_interval(ck *c, const ast_grade *g, ast_expr *cond, interval *out) {
  if (cond->kind == EX_BINARY && cond->bin.op == OP_AND) {
    interval a, b;
    if (!band_interval(c, g, cond->bin.lhs, &a) || !band_interval(c, g, cond->bin.rhs, &b)) return false;
    out->lo = lo_le(a.lo, b.lo) ? b.lo : a.lo; /* the later start */
    out->hi = hi_ge(a.hi, b.hi) ? b.hi : a.hi; /* the earlier end */
    return true;
  }
  tier_cond tc;
  interval iv[2];
  if (!as_tier_cond(cond, &tc) || tc.subject->kind != EX_NAME || strcmp(tc.subject->name.id, g->subject) ||
      cond_intervals(tc, iv) != 1) {
    diag_error(c->diags, R0610, cond->loc,
               "a band's condition compares '%s' with numbers, joined by 'and' (e.g. '%s >= 75 and %s < 90')", g->subject,
               g->subject, g->subject);
    return false;
  }
  *out = iv[0];
  return true;
}

static bool empty_interval(interval x) {
  if (x.lo.inf || x.hi.inf) return false;
  int k = dec_cmp(x.lo.v, x.hi.v);
  return k > 0 || (k == 0 && !(x.lo.closed && x.hi.closed));
}

/* Bands name ranges of the total (or of one part's score): they must cover
   everything it can score, [0, total], once. */
static void check_grade(ck *c, ast_grade *g) {
  ast_scheme *s = c->scheme;
  plain_name(c, g->id, g->id_loc);
  for (ast_grade *o = s->grades; o != g; o = o->next)
    if (!strcmp(o->id, g->id)) {
      diag_error(c->diags, R0303, g->id_loc, "grade '%s' is already declared on line %d", g->id, o->id_loc.first_line);
      break;
    }
  if (find_part(s, g->id) || find_target(s, g->id) || reserved_id(g->id))
    diag_error(c->diags, R0304, g->id_loc, "'%s' already names an output column; choose another grade id", g->id);
  ast_grade **grown = arena_alloc(c->arena, sizeof *grown * (size_t)(s->ngrades + 1));
  if (s->ngrades) memcpy(grown, s->grade_at, sizeof *grown * (size_t)s->ngrades);
  grown[s->ngrades] = g;
  g->index = s->ngrades++;
  s->grade_at = grown;
  rb_decimal top;
  if (!strcmp(g->subject, "total")) {
    if (!s->has_total) {
      diag_error(c->diags, R0610, g->subject_loc, "grade '%s' is on the total, and the scheme declares none", g->id);
      return;
    }
    top = s->total;
  } else {
    g->part = find_part(s, g->subject);
    if (!g->part) {
      suggestion sg = {g->subject, NULL, 99};
      for (int i = 0; i < s->nparts; i++) suggest(&sg, s->part_at[i]->path);
      diag_error(c->diags, R0301, g->subject_loc, "grade '%s' is on '%s', which is neither 'total' nor a part of the scheme%s",
                 g->id, g->subject, did_you_mean(c, &sg));
      return;
    }
    top = g->part->points;
  }
  ivset covered = {0};
  bool ok = true;
  for (ast_band *b = g->bands; b; b = b->next) {
    g->nbands++;
    if (b->treatment) g->has_treatment = true;
    for (ast_band *o = g->bands; o != b; o = o->next)
      if (!strcmp(o->name, b->name))
        diag_error(c->diags, R0303, b->loc, "band \"%s\" is already declared on line %d", b->name, o->loc.first_line);
    interval iv;
    if (!band_interval(c, g, b->cond, &iv)) {
      ok = false;
      continue;
    }
    b->has_lo = !iv.lo.inf;
    b->has_hi = !iv.hi.inf;
    b->lo = iv.lo.v;
    b->hi = iv.hi.v;
    b->lo_open = !iv.lo.closed;
    b->hi_open = !iv.hi.closed;
    if (empty_interval(iv)) {
      diag_error(c->diags, R0610, b->cond->loc, "band \"%s\" can never apply: no score meets its condition", b->name);
      ok = false;
      continue;
    }
    for (ast_band *o = g->bands; o != b; o = o->next) {
      if (!o->resolved) continue;
      interval x = {{!o->has_lo, o->lo, !o->lo_open}, {!o->has_hi, o->hi, !o->hi_open}};
      interval meet = {lo_le(x.lo, iv.lo) ? iv.lo : x.lo, hi_ge(x.hi, iv.hi) ? iv.hi : x.hi};
      if (!empty_interval(meet)) {
        diag_error(c->diags, R0609, b->cond->loc, "bands \"%s\" and \"%s\" overlap in %s%s, %s%c: a score there has two grades",
                   o->name, b->name, meet.lo.closed ? "[" : "(", bound_text(c, meet.lo, true), bound_text(c, meet.hi, false),
                   meet.hi.closed ? ']' : ')');
        diag_note(c->diags, o->loc, "band \"%s\" is here", o->name);
      }
    }
    b->resolved = true;
    ivset_add(&covered, iv);
  }
  if (!ok || c->file->syntax_errors) return; /* a band that did not parse would be reported as a gap */
  interval range = {{false, dec_from_int(0), true}, {false, top, true}};
  if (!ivset_contains(&covered, range)) {
    /* the first value of [0, top] no band takes */
    ivset gaps = covered;
    ivset_add(&gaps, (interval){{.inf = true}, {false, dec_from_int(0), false}});
    ivset_add(&gaps, (interval){{false, top, false}, {.inf = true}});
    diag_error(c->diags, R0608, g->id_loc, "the bands of grade '%s' leave scores in %s without a grade (%s runs from 0 to %s)",
               g->id, first_gap(c, &gaps), g->subject, points_text(c, top));
  }
}

static rb_type check_tiers(ck *c, ast_expr *e, scope *sc, form_env *env) {
  rb_type result = {.ok = true, .undefined = true, .unit = U_PLAIN};
  bool ok = true, periodic = false;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
    rb_type ct = need_bool(c, check_expr(c, t->cond, sc, env), t->cond, diag_tr("a tier's 'if'"));
    rb_type vt = need_number(c, check_expr(c, t->value, sc, env), t->value, diag_tr("a tier's score"));
    ok &= ct.ok && vt.ok;
    periodic |= ct.periodic || vt.periodic;
    if (vt.ok && !vt.undefined) {
      result.unit = result.undefined ? vt.unit : unify(c, result, vt, t->value->loc, diag_tr("tiers mix"));
      result.undefined = false;
    }
  }
  if (e->tiers.otherwise) {
    rb_type vt = need_number(c, check_expr(c, e->tiers.otherwise, sc, env), e->tiers.otherwise, "'otherwise'");
    ok &= vt.ok;
    periodic |= vt.periodic;
    if (vt.ok && !vt.undefined) {
      result.unit = result.undefined ? vt.unit : unify(c, result, vt, e->tiers.otherwise->loc, diag_tr("tiers mix"));
      result.undefined = false;
    }
  }
  if (!ok) return bad_type();
  if (e->tiers.linear) lower_linear(c, e, sc, env);
  check_tier_coverage(c, e);
  result.periodic = periodic;
  return result;
}

static rb_type check_expr(ck *c, ast_expr *e, scope *sc, form_env *env) {
  switch (e->kind) {
  case EX_NUMBER:
    if (e->num.bad) return bad_type(); /* reported already; say nothing more about it */
    return num_type(e->num.percent ? U_RATIO : U_PLAIN, false);
  case EX_BOOL:
    return bool_type(false);
  case EX_NAME:
    return check_name(c, e, sc, env);
  case EX_CALL:
    return check_call(c, e, sc, env);
  case EX_NEG: {
    rb_type t = need_number(c, check_expr(c, e->operand, sc, env), e->operand, "'-'");
    return t;
  }
  case EX_NOT:
    return need_bool(c, check_expr(c, e->operand, sc, env), e->operand, "'not'");
  case EX_BINARY:
    return check_binary(c, e, sc, env);
  case EX_TIERS:
    return check_tiers(c, e, sc, env);
  case EX_UNDEFINED:
    if (env && !env->form->names_checked)
      diag_error(c->diags, R0703, e->loc, "'undefined' belongs in a scheme's rules, not in a form");
    return (rb_type){.ok = true, .undefined = true, .unit = U_PLAIN};
  case EX_LIST:
    diag_error(c->diags, R0407, e->loc, "a list [...] can only give per-period values in an example");
    return bad_type();
  }
  return bad_type();
}

/* Dotted names only address items in examples (expect finance_risk.cultivation). */
static void dotted(rb_diags *diags, const char *name, rb_loc loc) {
  diag_error(diags, R0305, loc, "'%s': a name cannot contain '.' (dotted names address items in examples)", name);
}

static void plain_name(ck *c, const char *name, rb_loc loc) {
  if (strchr(name, '.')) dotted(c->diags, name, loc);
}

/* ---- parts and points -------------------------------------------------- */

static void add_let(ck *c, ast_stmt *st, scope **sc, form_env *env) {
  plain_name(c, st->name, st->name_loc);
  ast_stmt *prev = find_let(*sc, st->name);
  ast_input *in = find_input(c->scheme, st->name);
  if (prev)
    diag_error(c->diags, R0303, st->name_loc, "'%s' is already defined on line %d", st->name, prev->name_loc.first_line);
  else if (in)
    diag_error(c->diags, R0303, st->name_loc, "'%s' is already an input (line %d); choose another name", st->name,
               in->name_loc.first_line);
  rb_type t = check_expr(c, st->value, *sc, env);
  st->type = arena_alloc(c->arena, sizeof *st->type);
  *st->type = t;
  scope *s = arena_alloc(c->arena, sizeof *s);
  s->let = st;
  s->next = *sc;
  *sc = s;
}

/* Records which inputs an expression reads, through lets and forms. */
static bool mark_input(const ast_expr *e, void *part) {
  if (e->kind == EX_NAME && e->name.ref == REF_INPUT) ((ast_part *)part)->uses[e->name.input->index] = 1;
  return false;
}

static void mark_uses(ast_part *part, const ast_expr *e) { ast_any(e, mark_input, part); }

static const char *points_text(ck *c, rb_decimal d) {
  char t[64];
  dec_format(d, t, sizeof t);
  return arena_strdup(c->arena, t);
}

/* Children's points must add up exactly to the parent's (or the total). */
static void check_points_sum(ck *c, rb_decimal sum, rb_decimal want, rb_loc at, const char *children,
                             const char *whose) {
  int k = dec_cmp(sum, want);
  if (k == 0) return;
  rb_decimal diff;
  dec_sub(k < 0 ? want : sum, k < 0 ? sum : want, &diff);
  diag_error(c->diags, R0501, at, "the points of %s add up to %s, not %s (%s by %s)", children, points_text(c, sum), whose,
             k < 0 ? diag_tr("short") : diag_tr("over"), points_text(c, diff));
}

static void check_part(ck *c, ast_part *part, ast_part *parent, scope *sc);
static void check_form_decl(rb_diags *diags, ast_form *f);

static bool reserved_id(const char *id) {
  for (size_t i = 0; i < sizeof reserved_columns / sizeof *reserved_columns; i++)
    if (!strcmp(reserved_columns[i], id)) return true;
  return false;
}

static void register_part(ck *c, ast_part *part, ast_part *parent) {
  part->parent = parent;
  part->path = parent && part->kind == PART_ITEM
                   ? arena_printf(c->arena, "%s.%s", parent->path, part->id)
                   : part->id;
  ast_scheme *s = c->scheme;
  for (int i = 0; i < s->nparts; i++) {
    ast_part *o = s->part_at[i];
    if (!strcmp(o->path, part->path)) {
      diag_error(c->diags, R0303, part->id_loc, "duplicate id '%s': %s %s on line %d has it already", part->id,
                 a_an(ast_part_kind_name(o->kind)), diag_tr(ast_part_kind_name(o->kind)), o->id_loc.first_line);
      diag_note(c->diags, o->id_loc, "the first '%s' is here", part->id);
      break;
    }
  }
  if (reserved_id(part->id))
    diag_error(c->diags, R0304, part->id_loc, "'%s' names an output column; choose another id", part->id);
  plain_name(c, part->id, part->id_loc);
  /* targets and parts share one name space: an example's `expect` names either */
  for (int i = 0; i < s->ntargets; i++)
    if (!strcmp(s->target_at[i]->id, part->path)) {
      diag_error(c->diags, R0303, part->id_loc, "duplicate id '%s': target on line %d has it already", part->id,
                 s->target_at[i]->id_loc.first_line);
      break;
    }
  if (part->kind == PART_TARGET) {
    ast_part **grown = arena_alloc(c->arena, sizeof *grown * (size_t)(s->ntargets + 1));
    if (s->ntargets) memcpy(grown, s->target_at, sizeof *grown * (size_t)s->ntargets);
    grown[s->ntargets] = part;
    part->index = s->ntargets++;
    s->target_at = grown;
    part->uses = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
    return;
  }
  /* part_at grows in the arena; schemes have tens of parts */
  ast_part **grown = arena_alloc(c->arena, sizeof *grown * (size_t)(s->nparts + 1));
  if (s->nparts) memcpy(grown, s->part_at, sizeof *grown * (size_t)s->nparts);
  grown[s->nparts] = part;
  part->index = s->nparts++;
  s->part_at = grown;
  part->uses = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
}


/* A target's rule: one comparison `value OP goal`, OP one of >= > <= <. */
static void check_target_rule(ck *c, ast_part *part, ast_expr *rule, scope *sc) {
  rb_type t = check_expr(c, rule, sc, NULL);
  part->score = rule;
  mark_uses(part, rule);
  if (!t.ok) return;
  bool cmp = rule->kind == EX_BINARY && (rule->bin.op == OP_GE || rule->bin.op == OP_GT || rule->bin.op == OP_LE ||
                                         rule->bin.op == OP_LT);
  if (!cmp) {
    diag_error(c->diags, R0314, rule->loc,
               "a target's rule is one comparison of a value with its goal, e.g. 'scenarios >= 20' (with >=, >, <= or <)");
    return;
  }
  if (t.periodic)
    diag_error(c->diags, R0404, rule->loc,
               "this target has one result per period; compare one value, e.g. latest(...) or sum(...)");
  ast_input *in = reads_missing_scores(rule);
  if (in)
    diag_error(c->diags, R0314, rule->loc,
               "target '%s' reads '%s', whose empty cell means fixed points ('missing scores'); a target has no points",
               part->id, in->name);
}

/* An indicator or item reading an input with `missing scores N` scores N
   when the cell is empty: N must fit its points, and two such inputs must
   agree on what an empty cell gives. */
static void check_missing_points(ck *c, ast_part *part) {
  ast_input *first = NULL;
  for (int i = 0; i < c->scheme->ninputs; i++) {
    ast_input *in = c->scheme->input_at[i];
    if (!part->uses[i] || (in->missing != MISS_POINTS && in->missing != MISS_FULL)) continue;
    if (in->missing == MISS_POINTS && dec_cmp(in->missing_value, part->points) > 0)
      diag_error(c->diags, R0502, in->missing_loc, "an empty '%s' scores %s, but %s '%s' that reads it is worth %s",
                 in->name, points_text(c, in->missing_value), diag_tr(ast_part_kind_name(part->kind)), part->id,
                 points_text(c, part->points));
    if (!first) {
      first = in;
    } else if (dec_cmp(first->missing == MISS_FULL ? part->points : first->missing_value,
                       in->missing == MISS_FULL ? part->points : in->missing_value)) {
      diag_error(c->diags, R0313, in->missing_loc,
                 "%s '%s' reads '%s' and '%s', whose empty cells give different points; give them the same 'missing' rule",
                 diag_tr(ast_part_kind_name(part->kind)), part->id, first->name, in->name);
    }
  }
}

static void check_part(ck *c, ast_part *part, ast_part *parent, scope *sc) {
  register_part(c, part, parent);
  rb_decimal sum = dec_from_int(0);
  ast_stmt *score = NULL;
  bool broken = false; /* a syntax error inside: say nothing about what is missing */
  for (ast_stmt *st = part->body; st; st = st->next) {
    switch (st->kind) {
    case ST_ERROR:
      broken = true;
      break;
    case ST_LET:
      if (part->kind == PART_CATEGORY)
        diag_error(c->diags, R0306, st->loc, "a 'let' in a category is not shared with its indicators; put it at scheme level");
      add_let(c, st, &sc, NULL);
      break;
    case ST_PART: {
      ast_part *child = st->part;
      bool fits = (part->kind == PART_CATEGORY && child->kind == PART_INDICATOR) ||
                  (part->kind != PART_CATEGORY && part->kind != PART_TARGET && child->kind == PART_ITEM);
      if (child->kind == PART_TARGET || part->kind == PART_TARGET) {
        diag_error(c->diags, R0314, child->loc, "%s '%s' cannot stand inside %s '%s'%s",
                   diag_tr(ast_part_kind_name(child->kind)), child->id, diag_tr(ast_part_kind_name(part->kind)), part->id,
                   child->kind == PART_TARGET ? " (targets stand at scheme level)" : " (a target holds one comparison)");
        break;
      }
      if (!fits) {
        diag_error(c->diags, R0306, child->loc, "%s '%s' cannot stand inside %s '%s'%s", diag_tr(ast_part_kind_name(child->kind)),
                   child->id, diag_tr(ast_part_kind_name(part->kind)), part->id,
                   part->kind == PART_CATEGORY ? " (a category holds indicators)" : " (an indicator holds items)");
        break;
      }
      check_part(c, child, part, sc);
      part->nchildren++;
      dec_add(sum, child->points, &sum);
      for (int i = 0; i < c->scheme->ninputs; i++) part->uses[i] |= child->uses[i];
      break;
    }
    case ST_SCORE:
      if (part->kind == PART_CATEGORY) {
        diag_error(c->diags, R0307, st->loc, "a category's score is the sum of its indicators; put this rule in an indicator");
        break;
      }
      if (score) {
        /* Usually a tier list whose line lost its trailing ',' */
        bool split = score->value->kind == EX_TIERS && !score->value->tiers.otherwise && !score->value->tiers.linear;
        diag_error(c->diags, R0307, st->loc, "%s '%s' already has a score rule on line %d%s", diag_tr(ast_part_kind_name(part->kind)),
                   part->id, score->loc.first_line,
                   split ? arena_printf(c->arena, "; if this line continues its tiers, end line %d with ','",
                                        st->loc.first_line - 1)
                         : "");
        break;
      }
      score = st;
      if (part->kind == PART_TARGET) {
        check_target_rule(c, part, st->value, sc);
        break;
      }
      {
        rb_type t = check_expr(c, st->value, sc, NULL);
        if (t.ok && t.is_bool)
          diag_error(c->diags, R0402, st->value->loc, "a score must be a number: write e.g. '%s if ..., 0 otherwise'",
                     points_text(c, part->points));
        else if (t.ok && t.periodic)
          diag_error(c->diags, R0404, st->value->loc,
                     "this score has one value per period; reduce it to one with sum(...), mean(...), max(...) or count(...)");
        part->score = st->value;
        mark_uses(part, st->value);
        check_missing_points(c, part);
      }
      break;
    default:
      diag_error(c->diags, R0306, st->loc, "this declaration belongs at the top level of the scheme, not inside %s '%s'",
                 diag_tr(ast_part_kind_name(part->kind)), part->id);
    }
  }
  if (score && part->nchildren)
    diag_error(c->diags, R0307, score->loc, "%s '%s' has items, so its score is their sum; move this rule into an item",
               diag_tr(ast_part_kind_name(part->kind)), part->id);
  if (!score && !part->nchildren && !broken)
    diag_error(c->diags, R0307, part->id_loc, "%s '%s' has no %s", diag_tr(ast_part_kind_name(part->kind)), part->id,
               part->kind == PART_CATEGORY ? "indicators" : "score rule");
  if (part->nchildren)
    check_points_sum(c, sum, part->points, part->points_loc,
                     arena_printf(c->arena, "the %s of %s '%s'", part->kind == PART_CATEGORY ? "indicators" : "items",
                                  diag_tr(ast_part_kind_name(part->kind)), part->id),
                     arena_printf(c->arena, "its %s points", points_text(c, part->points)));
}

/* ---- inputs ------------------------------------------------------------ */

static void check_input(ck *c, ast_input *in) {
  ast_scheme *s = c->scheme;
  for (ast_input *o = s->inputs; o != in; o = o->next)
    if (!strcmp(o->name, in->name)) {
      diag_error(c->diags, R0303, in->name_loc, "input '%s' is already declared on line %d", in->name,
                 o->name_loc.first_line);
      diag_note(c->diags, o->name_loc, "the first '%s' is here", in->name);
      break;
    }
  plain_name(c, in->name, in->name_loc);
  if (reserved_id(in->name) || (s->period && !strcmp(in->name, s->period)))
    diag_error(c->diags, R0304, in->name_loc, "'%s' names a key column of the data; choose another input name", in->name);
  int t = -1;
  for (int i = 0; i < 6; i++)
    if (!strcmp(in->type, input_type_names[i])) t = i;
  if (t < 0) {
    suggestion sg = {in->type, NULL, 99};
    for (int i = 0; i < 6; i++) suggest(&sg, input_type_names[i]);
    diag_error(c->diags, R0308, in->type_loc, "unknown input type '%s' (use count, number, fraction, money, rank or yesno)%s",
               in->type, did_you_mean(c, &sg));
    t = IN_NUMBER;
  }
  in->tkind = (input_type)t;
  if (in->per) {
    if (!s->period)
      diag_error(c->diags, R0309, in->per_loc, "'per %s': the scheme declares no period (add e.g. 'period %s 1 to 12')",
                 in->per, in->per);
    else if (strcmp(in->per, s->period))
      diag_error(c->diags, R0309, in->per_loc, "'per %s': the scheme's period is '%s'", in->per, s->period);
  }
  if (in->has_lo || in->has_hi) {
    if (in->tkind == IN_YESNO) diag_error(c->diags, R0310, in->range_loc, "a yes/no input takes no range");
    double lo, hi; /* one declared end against the type's other end, too */
    check_input_bounds(in, &lo, &hi);
    if (lo > hi)
      diag_error(c->diags, R0310, in->range_loc, "the range is empty: its low end is above its high end");
  }
  if (in->from && strcmp(in->from, "parent"))
    diag_error(c->diags, R0313, in->from_loc, "'from %s': an input can only come 'from parent'", in->from);
  if (in->from_parent) s->uses_parent = true;
  switch (in->missing) {
  case MISS_ERROR:
    if (in->missing_word && strcmp(in->missing_word, "error"))
      diag_error(c->diags, R0313, in->missing_loc,
                 "'missing %s': write 'missing error', 'missing' and a value, 'missing scores N' or 'missing scores full'",
                 in->missing_word);
    break;
  case MISS_VALUE: {
    char buf[160];
    double v = dec_to_double(in->missing_value);
    const char *why = in->tkind == IN_YESNO ? (v == 0 || v == 1 ? NULL : "must be 0 or 1")
                                            : check_input_value(in, v, buf, sizeof buf);
    if (why) diag_error(c->diags, R0313, in->missing_loc, "the value for an empty cell %s", why);
    break;
  }
  case MISS_POINTS:
  case MISS_FULL:
    if (strcmp(in->missing_word, "scores") ||
        (in->missing == MISS_FULL && strcmp(in->missing_word2, "full")))
      diag_error(c->diags, R0313, in->missing_loc, "write 'missing scores N' or 'missing scores full'");
    else if (in->missing == MISS_POINTS && dec_cmp(in->missing_value, dec_from_int(0)) < 0)
      diag_error(c->diags, R0313, in->missing_loc, "fixed points for an empty cell cannot be negative");
    break;
  }
}

void check_input_bounds(const ast_input *in, double *lo, double *hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  switch (in->tkind) {
  case IN_COUNT: case IN_MONEY: *lo = 0; break;
  case IN_RANK: *lo = 1; break;
  case IN_FRACTION: case IN_YESNO: *lo = 0; *hi = 1; break;
  case IN_NUMBER: break;
  }
  if (in->has_lo) *lo = dec_to_double(in->lo);
  if (in->has_hi) *hi = dec_to_double(in->hi);
}

const char *check_input_value(const ast_input *in, double v, char *buf, size_t len) {
  bool whole = in->tkind == IN_COUNT || in->tkind == IN_RANK;
  if (whole && v != floor(v))
    return in->tkind == IN_COUNT ? diag_tr("is not a count (a whole number, 0 or more)") : diag_tr("is not a rank (a whole number, 1 or more)");
  double lo, hi;
  check_input_bounds(in, &lo, &hi);
  if (v >= lo && v <= hi) return NULL;
  if (!in->has_lo && !in->has_hi) {
    switch (in->tkind) {
    case IN_COUNT: return diag_tr("is not a count (a whole number, 0 or more)");
    case IN_RANK: return diag_tr("is not a rank (a whole number, 1 or more)");
    /* xgettext:no-c-format */
    case IN_FRACTION: return diag_tr("is not a fraction from 0 to 1 (write 30% or 0.3)");
    case IN_MONEY: return diag_tr("is negative: money is 0 or more unless the input says 'at least'");
    default: break;
    }
  }
  char a[64], b[64];
  snprintf(a, sizeof a, "%.15g", lo);
  snprintf(b, sizeof b, "%.15g", hi);
  if (isinf(hi)) snprintf(buf, len, diag_tr("must be at least %s"), a);
  else if (isinf(lo)) snprintf(buf, len, diag_tr("must be at most %s"), b);
  else snprintf(buf, len, diag_tr("must lie in [%s, %s]"), a, b);
  return buf;
}

/* ---- examples ---------------------------------------------------------- */

/* The value of a literal in an example: a number (with its unit suffix), -number, yes or no. */
static bool const_value(ck *c, ast_expr *e, double *out, bool *is_bool) {
  *is_bool = false;
  switch (e->kind) {
  case EX_NUMBER: *out = dec_to_double(e->num.value); return true;
  case EX_NEG:
    if (e->operand->kind == EX_NUMBER) {
      *out = -dec_to_double(e->operand->num.value);
      return true;
    }
    break;
  case EX_BOOL:
    *is_bool = true;
    *out = e->boolean ? 1.0 : 0.0;
    return true;
  default: break;
  }
  diag_error(c->diags, R0802, e->loc, "an example value must be a number or yes/no, written out");
  return false;
}

static bool given_value_ok(ck *c, ast_input *in, ast_expr *e, double v, bool is_bool) {
  if (in->tkind == IN_YESNO) {
    if (!is_bool && v != 0 && v != 1) {
      diag_error(c->diags, R0802, e->loc, "'%s' is yes/no: give yes, no, 1 or 0", in->name);
      return false;
    }
    return true;
  }
  if (is_bool) {
    diag_error(c->diags, R0802, e->loc, "'%s' is a number, not yes/no", in->name);
    return false;
  }
  char buf[160];
  const char *why = check_input_value(in, v, buf, sizeof buf);
  if (why) {
    diag_error(c->diags, R0802, e->loc, "'%s' %s", in->name, why);
    return false;
  }
  return true;
}

static ast_part *find_part(ast_scheme *s, const char *id) {
  for (int i = 0; i < s->nparts; i++)
    if (!strcmp(s->part_at[i]->path, id)) return s->part_at[i];
  return NULL;
}


static ast_grade *find_grade(ast_scheme *s, const char *id) {
  for (ast_grade *g = s->grades; g; g = g->next)
    if (!strcmp(g->id, id)) return g;
  return NULL;
}

static ast_part *find_target(ast_scheme *s, const char *id) {
  for (int i = 0; i < s->ntargets; i++)
    if (!strcmp(s->target_at[i]->id, id)) return s->target_at[i];
  return NULL;
}

/* Whether P is WHOLE or stands inside it. */
static bool part_within(const ast_part *p, const ast_part *whole) {
  for (; p; p = p->parent)
    if (p == whole) return true;
  return false;
}

/* Marks the peer statistics E reads, through lets and form arguments. */
static bool mark_stat(const ast_expr *e, void *mark) {
  if (is_peer_call(e, NULL))
    for (int k = 0; k < 2; k++)
      if (e->call.stat[k] >= 0) ((unsigned char *)mark)[e->call.stat[k]] = 1;
  return false;
}

static void mark_stats(const ast_expr *e, unsigned char *mark) { ast_any(e, mark_stat, mark); }

static const char *stat_names[] = {"peers.max", "peers.min", "peers.sum", "peers.mean", "peers.count", "peers.rank"};

/* How an example gives statistic ST: "peers.max(share)". */
static const char *stat_text(ck *c, const ast_stat *st) {
  if (!st->arg) return arena_printf(c->arena, "'%s()'", stat_names[st->kind]);
  return arena_printf(c->arena, "'%s(%s)'", stat_names[st->kind], expr_text(c, st->arg));
}

/* `peers.max(share) = 3%` in an example: the statistic, given directly. It
   gives every statistic of that kind whose argument reads the same. */
static void check_stat_given(ck *c, ast_given *g, unsigned char *stat_given) {
  ast_scheme *s = c->scheme;
  const char *fn = g->stat->call.fn;
  int kind = -1;
  for (int k = 0; k < (int)(sizeof stat_names / sizeof *stat_names); k++)
    if (!strcmp(stat_names[k], fn)) kind = k;
  if (kind < 0) {
    diag_error(c->diags, R0805, g->stat->loc,
               "an example gives a peer statistic: peers.max, peers.min, peers.sum, peers.mean, peers.count or peers.rank, "
               "not '%s'", fn);
    return;
  }
  ast_expr *arg = g->stat->call.args ? g->stat->call.args->value : NULL;
  bool matched = false;
  for (int i = 0; i < s->nstats; i++) {
    ast_stat *st = s->stat_at[i];
    if ((int)st->kind != kind || (st->arg == NULL) != (arg == NULL) || (arg && !ast_same_expr(st->arg, arg, false))) continue;
    if (stat_given[i]) {
      diag_error(c->diags, R0805, g->stat->loc, "example gives %s twice", stat_text(c, st));
      return;
    }
    stat_given[i] = 1;
    matched = true;
    int *grown = arena_alloc(c->arena, sizeof(int) * (size_t)(g->nstats + 1));
    if (g->nstats) memcpy(grown, g->stats, sizeof(int) * (size_t)g->nstats);
    grown[g->nstats++] = i;
    g->stats = grown;
  }
  if (!matched) {
    diag_error(c->diags, R0805, g->stat->loc, "no rule of scheme '%s' reads %s", s->id,
               arena_printf(c->arena, "'%s(%s)'", fn, arg ? expr_text(c, arg) : ""));
    return;
  }
  bool b;
  double v;
  if (!const_value(c, g->value, &v, &b)) return;
  if (b) {
    diag_error(c->diags, R0802, g->value->loc, "a peer statistic is a number");
    return;
  }
  if ((kind == STAT_COUNT || kind == STAT_RANK) && (v < 1 || v != floor(v))) {
    diag_error(c->diags, R0802, g->value->loc, "'%s' is a whole number of 1 or more", fn);
    return;
  }
  g->nvals = 1;
  g->vals = arena_alloc(c->arena, sizeof(double));
  g->vals[0] = v;
}

static void check_example(ck *c, ast_example *ex) {
  ast_scheme *s = c->scheme;
  unsigned char *given = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
  unsigned char *stat_given = arena_alloc(c->arena, (size_t)(s->nstats ? s->nstats : 1));
  for (ast_given *g = ex->items; g; g = g->next) {
    if (g->expect) continue;
    if (g->stat) {
      check_stat_given(c, g, stat_given);
      continue;
    }
    ast_input *in = find_input(s, g->name);
    if (!in) {
      suggestion sg = {g->name, NULL, 99};
      for (ast_input *i = s->inputs; i; i = i->next) suggest(&sg, i->name);
      diag_error(c->diags, R0801, g->name_loc, "example gives '%s', which is not an input of scheme '%s'%s", g->name, s->id,
                 did_you_mean(c, &sg));
      continue;
    }
    if (given[in->index]) {
      diag_error(c->diags, R0801, g->name_loc, "example gives '%s' twice", g->name);
      continue;
    }
    given[in->index] = 1;
    g->input = in;
    int m = in->per ? c->nperiods : 1;
    g->vals = arena_alloc(c->arena, sizeof(double) * (size_t)m);
    g->nvals = m;
    if (g->missing) {
      /* an empty cell: its stated value, or NaN for the parts that score fixed points */
      if (in->missing == MISS_ERROR) {
        diag_error(c->diags, R0802, g->loc, "'%s' has no 'missing' rule, so an empty cell is a data error, not a case to score",
                   in->name);
        continue;
      }
      for (int i = 0; i < m; i++) g->vals[i] = in->missing == MISS_VALUE ? dec_to_double(in->missing_value) : NAN;
      continue;
    }
    if (g->value->kind == EX_LIST) {
      if (!in->per) {
        diag_error(c->diags, R0802, g->value->loc, "'%s' has one value per entity, not a list", g->name);
        continue;
      }
      if (g->value->list.n != m) {
        diag_error(c->diags, R0802, g->value->loc, "'%s' needs %d values, one per %s; this list has %d", g->name, m, in->per,
                   g->value->list.n);
        continue;
      }
      int i = 0;
      for (ast_arg *a = g->value->list.items; a; a = a->next, i++) {
        bool b;
        if (const_value(c, a->value, &g->vals[i], &b)) given_value_ok(c, in, a->value, g->vals[i], b);
      }
    } else {
      bool b;
      double v;
      /* one value for a per-period input means that value in every period */
      if (const_value(c, g->value, &v, &b) && given_value_ok(c, in, g->value, v, b))
        for (int i = 0; i < m; i++) g->vals[i] = v;
    }
  }
  for (ast_given *g = ex->items; g; g = g->next) {
    if (!g->expect) continue;
    const unsigned char *needs = NULL;
    unsigned char *all = NULL;
    if (!strcmp(g->name, "total")) {
      g->part = NULL;
      all = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
      for (int p = 0; p < s->nparts; p++)
        for (int i = 0; i < s->ninputs; i++) all[i] |= s->part_at[p]->uses[i];
      needs = all;
    } else if (g->band || find_grade(s, g->name)) {
      g->grade = find_grade(s, g->name);
      if (!g->grade) {
        diag_error(c->diags, R0803, g->name_loc, "example expects a band of '%s', which is not a grade of scheme '%s'",
                   g->name, s->id);
        continue;
      }
      if (!g->band) {
        diag_error(c->diags, R0802, g->loc, "a grade is expected by its band's name: expect %s = \"...\"", g->name);
        continue;
      }
      g->band_index = -1;
      int k = 0;
      for (ast_band *b = g->grade->bands; b; b = b->next, k++)
        if (!strcmp(b->name, g->band)) g->band_index = k;
      if (g->band_index < 0) {
        diag_error(c->diags, R0802, g->loc, "grade '%s' has no band \"%s\"", g->name, g->band);
        continue;
      }
      if (g->grade->part) {
        needs = g->grade->part->uses;
      } else {
        all = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
        for (int p = 0; p < s->nparts; p++)
          for (int i = 0; i < s->ninputs; i++) all[i] |= s->part_at[p]->uses[i];
        needs = all;
      }
    } else if (find_target(s, g->name)) {
      g->part = find_target(s, g->name);
      needs = g->part->uses;
      if (!g->value || g->value->kind != EX_BOOL) {
        diag_error(c->diags, R0802, g->loc, "a target is expected met or not: expect %s = yes (or no)", g->name);
        continue;
      }
    } else {
      if (g->band) {
        diag_error(c->diags, R0803, g->name_loc, "example expects a band of '%s', which is not a grade of scheme '%s'",
                   g->name, s->id);
        continue;
      }
      g->part = find_part(s, g->name);
      if (!g->part) {
        suggestion sg = {g->name, NULL, 99};
        for (int p = 0; p < s->nparts; p++) {
          const char *dot = strrchr(s->part_at[p]->path, '.');
          if (dot && !strcmp(dot + 1, g->name)) { /* an item named without its indicator */
            sg.best = s->part_at[p]->path;
            sg.dist = 0;
          }
          suggest(&sg, s->part_at[p]->path);
        }
        diag_error(c->diags, R0803, g->name_loc, "example expects '%s', which is not an indicator of scheme '%s'%s", g->name,
                   s->id, did_you_mean(c, &sg));
        continue;
      }
      needs = g->part->uses;
    }
    for (ast_given *h = ex->items; h != g; h = h->next)
      if (h->expect && !strcmp(h->name, g->name)) {
        diag_error(c->diags, R0803, g->name_loc, "example expects '%s' twice", g->name);
        break;
      }
    bool is_target = g->part && g->part->kind == PART_TARGET;
    if (g->value && !is_target) {
      bool b;
      if (const_value(c, g->value, &g->expected, &b) && b)
        diag_error(c->diags, R0802, g->value->loc, "an expected score is a number");
    } else if (is_target) {
      g->expected = g->value->boolean ? 1 : 0;
    }
    for (int i = 0; i < s->ninputs; i++)
      if (needs[i] && !given[i])
        diag_error(c->diags, R0804, g->name_loc, "to check '%s' the example must give '%s'", g->name, s->input_at[i]->name);
    /* the peer statistics its rules read */
    unsigned char *stats = arena_alloc(c->arena, (size_t)(s->nstats ? s->nstats : 1));
    if (g->grade && !g->grade->part) {
      for (int p = 0; p < s->nparts; p++) mark_stats(s->part_at[p]->score, stats);
    } else {
      const ast_part *whose = g->grade ? g->grade->part : g->part;
      for (int p = 0; p < s->nparts; p++)
        if (!whose || s->part_at[p] == whose || part_within(s->part_at[p], whose)) mark_stats(s->part_at[p]->score, stats);
      if (whose && whose->kind == PART_TARGET) mark_stats(whose->score, stats);
    }
    for (int i = 0; i < s->nstats; i++)
      if (stats[i] && !stat_given[i])
        diag_error(c->diags, R0805, g->name_loc, "to check '%s' the example must give %s", g->name,
                   stat_text(c, s->stat_at[i]));
  }
}

/* ---- schemes ----------------------------------------------------------- */

int check_period_count(const ast_scheme *s) {
  return s->period ? s->period_last - s->period_first + 1 : 1;
}

/* What a reviewer would ask of a clean scheme: is every input exercised by
   an example, every indicator checked by one, every title distinct? */
static void check_hygiene(ck *c, ast_scheme *s) {
  unsigned char *given = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
  unsigned char *expected = arena_alloc(c->arena, (size_t)(s->nparts ? s->nparts : 1));
  unsigned char *texpected = arena_alloc(c->arena, (size_t)(s->ntargets ? s->ntargets : 1));
  for (ast_example *ex = s->examples; ex; ex = ex->next)
    for (ast_given *g = ex->items; g; g = g->next) {
      if (!g->expect && g->input) given[g->input->index] = 1;
      if (g->expect && g->part && g->part->kind == PART_TARGET) {
        texpected[g->part->index] = 1;
        continue;
      }
      /* an expected item or indicator counts for it and the parts above it */
      for (ast_part *p = g->expect ? g->part : NULL; p; p = p->parent) expected[p->index] = 1;
    }
  if (s->examples) { /* a scheme with none has not started on them: nothing to hold it to */
    for (int i = 0; i < s->ninputs; i++) {
      bool used = false;
      for (int p = 0; p < s->nparts && !used; p++) used = s->part_at[p]->uses[i];
      for (int t = 0; t < s->ntargets && !used; t++) used = s->target_at[t]->uses[i];
      if (used && !given[i])
        diag_warning(c->diags, R0903, s->input_at[i]->name_loc,
                     "input '%s' is given by no example, so no example checks the rules that read it",
                     s->input_at[i]->name);
    }
    for (int p = 0; p < s->nparts; p++) {
      ast_part *part = s->part_at[p];
      if (part->kind == PART_INDICATOR && !expected[p])
        diag_warning(c->diags, R0904, part->id_loc, "no example expects a score for indicator '%s'", part->id);
    }
    for (int t = 0; t < s->ntargets; t++)
      if (!texpected[t])
        diag_warning(c->diags, R0904, s->target_at[t]->id_loc, "no example expects target '%s' met or not",
                     s->target_at[t]->id);
  }
  for (int p = 0; p < s->nparts; p++)
    for (int q = 0; q < p; q++)
      if (s->part_at[p]->title && s->part_at[q]->title && !strcmp(s->part_at[p]->title, s->part_at[q]->title) &&
          s->part_at[p]->parent == s->part_at[q]->parent) {
        diag_warning(c->diags, R0905, s->part_at[p]->id_loc, "%s '%s' has the same title as '%s' (line %d)",
                     diag_tr(ast_part_kind_name(s->part_at[p]->kind)), s->part_at[p]->id, s->part_at[q]->id,
                     s->part_at[q]->id_loc.first_line);
        break;
      }
}

static bool small_int(ck *c, ast_expr *e, int *out) {
  if (e->num.value.scale != 0 || e->num.value.coef < 0 || e->num.value.coef > 100000) {
    diag_error(c->diags, R0309, e->loc, "expected a whole number from 0 to 100000");
    return false;
  }
  *out = (int)e->num.value.coef;
  return true;
}

static void check_scheme(ck *c, ast_scheme *s) {
  c->scheme = s;
  plain_name(c, s->id, s->id_loc);
  int errors_before = c->diags->errors; /* unused-input warnings only for a clean scheme */
  /* Sort the scheme's statements into declarations and parts. */
  ast_stmt *parts = NULL, **tail = &parts;
  bool peers_seen = false;
  for (ast_stmt *st = s->body, *next; st; st = next) {
    next = st->next;
    switch (st->kind) {
    case ST_TOTAL:
      if (s->has_total)
        diag_error(c->diags, R0303, st->loc, "the total is already declared on line %d", s->total_loc.first_line);
      s->has_total = true;
      s->total = st->value->num.value;
      s->total_loc = st->value->loc;
      break;
    case ST_PERIOD:
      if (s->period) {
        diag_error(c->diags, R0303, st->loc, "the period is already declared on line %d", s->period_loc.first_line);
        break;
      }
      if (small_int(c, st->value, &s->period_first) && small_int(c, st->value2, &s->period_last)) {
        if (s->period_last < s->period_first)
          diag_error(c->diags, R0309, st->value2->loc, "the period runs backwards: %d to %d", s->period_first, s->period_last);
        else
          s->period = st->name;
        plain_name(c, st->name, st->name_loc);
        if (s->period && (reserved_id(st->name)))
          diag_error(c->diags, R0304, st->name_loc, "'%s' names a key column; choose another period name", st->name);
      }
      s->period_loc = st->loc;
      break;
    case ST_INPUT: {
      ast_input *in = st->input;
      in->next = NULL;
      AST_APPEND(ast_input, &s->inputs, in);
      break;
    }
    case ST_EXAMPLE:
      st->example->next = NULL;
      AST_APPEND(struct ast_example, &s->examples, st->example);
      break;
    case ST_FORM:
      if (find_form_in(s->forms, st->form->name))
        diag_error(c->diags, R0303, st->form->name_loc, "form '%s' is declared twice (first on line %d)", st->form->name,
                   find_form_in(s->forms, st->form->name)->name_loc.first_line);
      check_form_decl(c->diags, st->form);
      st->form->next = NULL;
      AST_APPEND(ast_form, &s->forms, st->form);
      break;
    case ST_PART:
    case ST_LET:
      st->next = NULL;
      *tail = st;
      tail = &st->next;
      break;
    case ST_SCORE:
      diag_error(c->diags, R0306, st->loc, "a score rule belongs inside an indicator");
      break;
    case ST_ERROR:
      s->broken = true;
      break;
    case ST_PEERS:
      if (peers_seen) {
        diag_error(c->diags, R0303, st->loc, "the peers are already declared on line %d", s->peers_loc.first_line);
        break;
      }
      peers_seen = true;
      s->peers_loc = st->loc;
      if (!strcmp(st->name, "all") && !st->name2) {
        s->peers_by_parent = false;
      } else if (!strcmp(st->name, "by") && st->name2 && !strcmp(st->name2, "parent")) {
        s->peers_by_parent = true;
        s->uses_parent = true;
      } else {
        diag_error(c->diags, R0312, st->loc, "write 'peers all' or 'peers by parent'");
      }
      break;
    case ST_GRADE:
      st->grade->next = NULL;
      AST_APPEND(ast_grade, &s->grades, st->grade);
      break;
    }
  }
  s->body = parts;
  c->nperiods = check_period_count(s);
  int n = 0;
  for (ast_input *in = s->inputs; in; in = in->next) in->index = n++;
  s->ninputs = n;
  s->input_at = arena_alloc(c->arena, sizeof *s->input_at * (size_t)(n ? n : 1));
  for (ast_input *in = s->inputs; in; in = in->next) {
    s->input_at[in->index] = in;
    check_input(c, in);
  }
  scope *sc = NULL;
  rb_decimal sum = dec_from_int(0);
  int top = 0;
  for (ast_stmt *st = s->body; st; st = st->next) {
    if (st->kind == ST_LET) {
      add_let(c, st, &sc, NULL);
      continue;
    }
    ast_part *p = st->part;
    if (p->kind == PART_ITEM) {
      diag_error(c->diags, R0306, p->loc, "item '%s' belongs inside an indicator", p->id);
      continue;
    }
    check_part(c, p, NULL, sc);
    if (p->kind == PART_TARGET) continue;
    dec_add(sum, p->points, &sum);
    top++;
  }
  for (ast_grade *g = s->grades; g; g = g->next) check_grade(c, g);
  if (s->broken) {
    /* after a syntax error the parts are incomplete: their sums prove nothing */
  } else if (top == 0 && s->ntargets > 0 && !s->has_total) {
    /* a checklist of targets: nothing to add up */
  } else if (!s->has_total)
    diag_error(c->diags, R0311, s->id_loc, "scheme '%s' declares no total (add e.g. 'total 100')", s->id);
  else if (top == 0)
    diag_error(c->diags, R0311, s->id_loc, "scheme '%s' has no indicators", s->id);
  else
    check_points_sum(c, sum, s->total, s->total_loc, "the scheme's categories and indicators",
                     arena_printf(c->arena, "the declared total %s", points_text(c, s->total)));
  /* The later reviews assume every name and type resolved: they run only on a
     scheme (and the file's forms) that checked without errors so far. */
#define CLEAN (c->diags->errors == errors_before && c->file->syntax_errors == 0 && c->form_errors == 0)
  for (ast_input *in = s->inputs; in && CLEAN; in = in->next) {
    bool used = false;
    for (int p = 0; p < s->nparts && !used; p++) used = s->part_at[p]->uses[in->index];
    for (int t = 0; t < s->ntargets && !used; t++) used = s->target_at[t]->uses[in->index];
    if (!used) diag_warning(c->diags, R0901, in->name_loc, "input '%s' is never used", in->name);
  }
  for (ast_example *ex = s->examples; ex; ex = ex->next) check_example(c, ex);
  if (CLEAN) check_hygiene(c, s);
  if (CLEAN) ranges_check(s, c->arena, c->diags);
#undef CLEAN
  c->scheme = NULL;
}

/* What can be said of a form without a call: its name, its parameters, and
   that its body names only them. */
/* A peer aggregate reads other entities: it has no place in a form's body,
   where its argument would stand for whatever a caller passes. */
static bool report_form_peers(const ast_expr *e, void *diags) {
  if (e->kind == EX_CALL && !strncmp(e->call.fn, "peers.", 6))
    diag_error(diags, R0312, e->loc,
               "'%s' cannot stand in a form's body: a peer aggregate reads other entities; pass it to the form as an "
               "argument",
               e->call.fn);
  return false;
}

static void check_form_decl(rb_diags *diags, ast_form *f) {
  if (strchr(f->name, '.')) dotted(diags, f->name, f->name_loc);
  for (int i = 0; i < f->nparams; i++)
    if (strchr(f->params[i].name, '.')) dotted(diags, f->params[i].name, f->params[i].loc);
  if (find_builtin(f->name) >= 0)
    diag_error(diags, R0304, f->name_loc, "'%s' is a built-in function; choose another form name", f->name);
  for (int i = 0; i < f->nparams; i++)
    for (int j = 0; j < i; j++)
      if (!strcmp(f->params[i].name, f->params[j].name))
        diag_error(diags, R0303, f->params[i].loc, "parameter '%s' appears twice", f->params[i].name);
  form_names(diags, f, f->body);
  ast_any(f->body, report_form_peers, diags);
  f->names_checked = true;
}

int check_file(ast_file *file, const ast_file *prelude, rb_arena *arena, rb_diags *diags) {
  int before = diags->errors;
  ck c = {.arena = arena, .diags = diags, .file = file, .prelude = prelude};
  for (ast_form *f = file->forms; f; f = f->next)
    for (ast_form *g = f->next; g; g = g->next)
      if (!strcmp(f->name, g->name))
        diag_error(diags, R0303, g->name_loc, "form '%s' is declared twice (first on line %d)", g->name,
                   f->name_loc.first_line);
  for (ast_form *f = file->forms; f; f = f->next) check_form_decl(diags, f);
  c.form_errors = diags->errors - before;
  if (!file->schemes && !file->forms && file->src != NULL && file->syntax_errors == 0)
    diag_plain(diags, DIAG_ERROR, R0002, file->src->path, "no scheme in this file");
  for (ast_scheme *s = file->schemes; s; s = s->next) {
    for (ast_scheme *o = file->schemes; o != s; o = o->next)
      if (!strcmp(o->id, s->id))
        diag_error(diags, R0303, s->id_loc, "scheme '%s' is already defined on line %d", s->id, o->id_loc.first_line);
    check_scheme(&c, s);
  }
  return diags->errors - before;
}
