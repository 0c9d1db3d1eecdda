/* types.c: the walk over a rule's expression: names resolved (ast.h
 * "resolved" fields), units and yes/no inferred and checked, calls of
 * built-ins, forms, periods and peers checked (ck.h). Errors are reported
 * and the walk goes on with a type marked !ok, so one mistake gives one
 * message.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ck.h"

static rb_type types_form_call(ck *c, ast_expr *e, ast_form *f, scope *sc, form_env *env);

static const char *unit_phrase[] = {N_("a plain number"), N_("a count"), N_("a fraction"), N_("money (yuan)"),
                                    N_("a rank"), N_("a date")};

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

/* A label where a number or a condition is needed: say how labels are used. */
static rb_type label_misused(ck *c, rb_type t, ast_expr *e, const char *context) {
  const char *name = t.labels->name, *first = t.labels->labels ? t.labels->labels->name : "A";
  diag_error(c->diags, R0410, e->loc,
             "%s needs a number or a condition, and '%s' holds one of its labels (%s): compare it with one ('%s == %s') or look up their points ('by %s { %s: …, … }')",
             context, name, names_labels_text(c, t.labels), name, first, name, first);
  return types_bad();
}

rb_type types_need_number(ck *c, rb_type t, ast_expr *e, const char *context) {
  if (t.ok && t.labels) return label_misused(c, t, e, context);
  if (t.ok && !t.is_bool && t.unit == U_DATE) {
    diag_error(c->diags, R0330, e->loc,
               "%s needs a number, and a date is none: days_between(a, b) or workdays(a, b) count the days from one date to another",
               context);
    return types_bad();
  }
  if (t.ok && t.is_bool) {
    if (e->kind == EX_NAME && e->name.ref == REF_INPUT)
      diag_error(c->diags, R0402, e->loc, "'%s' is a yes/no input and %s needs a number: write e.g. '1 if %s, 0 otherwise'",
                 e->name.id, context, e->name.id);
    else
      diag_error(c->diags, R0402, e->loc, "%s needs a number, not a yes/no condition", context);
    return types_bad();
  }
  return t;
}

rb_type types_need_bool(ck *c, rb_type t, ast_expr *e, const char *context) {
  if (t.ok && t.labels) return label_misused(c, t, e, context);
  if (t.ok && !t.is_bool) {
    diag_error(c->diags, R0403, e->loc, "%s needs a yes/no condition, not a number", context);
    return types_bad();
  }
  return t;
}

/* The type of input IN where a rule reads it. */
static rb_type input_rb_type(const ast_input *in) {
  bool periodic = in->per != NULL;
  switch (in->tkind) {
  case IN_YESNO: return types_bool(periodic);
  case IN_COUNT: return types_num(U_COUNT, periodic);
  case IN_FRACTION: return types_num(U_RATIO, periodic);
  case IN_MONEY: return types_num(U_MONEY, periodic);
  case IN_RANK: return types_num(U_RANK, periodic);
  case IN_NUMBER: case IN_ASSESSED: return types_num(U_PLAIN, periodic);
  case IN_LABEL: return (rb_type){.ok = true, .periodic = periodic, .labels = in};
  case IN_DATE: return types_num(U_DATE, periodic);
  }
  return types_bad();
}

static rb_type check_name(ck *c, ast_expr *e, scope *sc, form_env *env) {
  const char *id = e->name.id;
  if (e->name.ref == REF_SUBJECT) return types_num(U_PLAIN, false); /* a grade's subject, in its band (grades.c) */
  if (env) {
    for (int i = 0; i < env->form->nparams; i++)
      if (!strcmp(env->form->params[i].name, id)) {
        e->name.ref = REF_PARAM;
        e->name.param = i;
        return env->params[i];
      }
    /* a scheme's form sees the scheme's inputs (never its lets) */
    ast_input *in = env->form->in_scheme ? names_input(c->scheme, id) : NULL;
    if (in) {
      e->name.ref = REF_INPUT;
      e->name.input = in;
      return input_rb_type(in);
    }
    if (!env->form->names_checked) forms_unknown(c->diags, env->form, env->form->in_scheme ? c->scheme : NULL, e);
    return types_bad(); /* else reported once, where the form is declared */
  }
  ast_stmt *let = names_let(sc, id);
  if (!let && c->items_here && !strcmp(id, "items") && !names_input(c->scheme, id)) {
    e->name.ref = REF_ITEMS; /* the sum of the part's items, as computed */
    return types_num(U_PLAIN, false);
  }
  if (let) {
    e->name.ref = REF_LET;
    e->name.let = let;
    /* the let's type was computed when it was declared */
    return let->type ? *let->type : types_bad();
  }
  ast_input *in = names_input(c->scheme, id);
  if (in) {
    e->name.ref = REF_INPUT;
    e->name.input = in;
    return input_rb_type(in);
  }
  if (c->file->syntax_errors) return types_bad(); /* its declaration may be the line that did not parse */
  ast_input *field = names_field(c->scheme, id);
  if (names_records(c->scheme, id) || field) {
    if (field)
      diag_error(c->diags, R0351, e->loc, "'%s' is a field of each record of '%s': read it in count(%s where ...)", id,
                 field->records->name, field->records->name);
    else
      diag_error(c->diags, R0351, e->loc, "'%s' is a table of records: count them with count(%s where ...)", id, id);
    return types_bad();
  }
  suggestion s = {id, NULL, 99};
  for (scope *x = sc; x; x = x->next) names_suggest(&s, x->let->name);
  if (c->scheme)
    for (ast_input *i = c->scheme->inputs; i; i = i->next) names_suggest(&s, i->name);
  diag_error(c->diags, R0301, e->loc, "unknown name '%s': not an input or a 'let' in scope%s", id, names_did_you_mean(c, &s));
  return types_bad();
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
  rb_decimal hundred = dec_scale10(v, 2);
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

/* Whether ID names a parameter, a let or an input where E stands. */
static bool name_known(ck *c, const char *id, scope *sc, form_env *env) {
  if (env)
    for (int i = 0; i < env->form->nparams; i++)
      if (!strcmp(env->form->params[i].name, id)) return true;
  return names_let(sc, id) || names_input(c->scheme, id);
}

/* E, the other side of a comparison with a label of IN, as a label: `A级`
   in `level == A级`. A name that is a label means it there, even if a let
   or input has that name too; an unknown name is an unknown label. Returns
   false when E is some other value (compared by types). */
static bool resolve_label(ck *c, const ast_input *in, ast_expr *e, scope *sc, form_env *env, bool *ok) {
  *ok = true;
  if (e->kind != EX_NAME) return false;
  int k = names_label(in, e->name.id);
  if (k >= 0) {
    e->name.ref = REF_LABEL;
    e->name.input = (ast_input *)in;
    e->name.param = k;
    return true;
  }
  if (name_known(c, e->name.id, sc, env)) return false;
  suggestion s = {e->name.id, NULL, 99};
  for (const ast_arg *l = in->labels; l; l = l->next) names_suggest(&s, l->name);
  diag_error(c->diags, R0317, e->loc, "'%s' is not one of the labels of '%s' (%s)%s", e->name.id, in->name,
             names_labels_text(c, in), names_did_you_mean(c, &s));
  *ok = false;
  return true;
}

/* `LABELS OP other`: SIDE holds a label of an input (type T), OTHER is a
   label of it (`level == A级`, `A级 != level`) or another value holding
   one of its labels. */
static rb_type check_label_compare(ck *c, ast_expr *e, rb_type t, ast_expr *side, ast_expr *other, scope *sc,
                                   form_env *env) {
  ex_op op = e->bin.op;
  const char *opname = arena_printf(c->arena, "'%s'", vocab_op_text(op));
  if (op != OP_EQ && op != OP_NE) {
    const char *name = t.labels->name, *first = t.labels->labels ? t.labels->labels->name : "A";
    diag_error(c->diags, R0410, e->loc,
               "labels have no order, so '%s' cannot compare '%s' (%s): name the labels meant ('%s == %s or …') or look up their points ('by %s { %s: …, … }')",
               vocab_op_text(op), name, names_labels_text(c, t.labels), name, first, name, first);
    return types_bad();
  }
  bool ok;
  if (resolve_label(c, t.labels, other, sc, env, &ok)) return ok ? types_bool(t.periodic) : types_bad();
  rb_type o = types_check(c, other, sc, env);
  if (!o.ok) return types_bad();
  if (o.labels == t.labels) return types_bool(t.periodic || o.periodic);
  return label_misused(c, t, side, opname);
}

static rb_type check_binary(ck *c, ast_expr *e, scope *sc, form_env *env) {
  ex_op op = e->bin.op;
  bool compare = op >= OP_LT && op <= OP_NE;
  if (compare && !env && e->bin.lhs->kind == EX_NAME && e->bin.lhs->name.ref != REF_SUBJECT &&
      !name_known(c, e->bin.lhs->name.id, sc, env)) {
    /* `A级 == level`: a label's name is no value, so the right side first */
    rb_type r = types_check(c, e->bin.rhs, sc, env);
    if (r.ok && r.labels) return check_label_compare(c, e, r, e->bin.rhs, e->bin.lhs, sc, env);
    types_check(c, e->bin.lhs, sc, env); /* an unknown name, reported as such */
    return types_bad();
  }
  rb_type l = types_check(c, e->bin.lhs, sc, env);
  if (compare && l.ok && l.labels) return check_label_compare(c, e, l, e->bin.lhs, e->bin.rhs, sc, env);
  rb_type r;
  if (op == OP_AND || op == OP_OR) {
    r = types_check(c, e->bin.rhs, sc, env);
    l = types_need_bool(c, l, e->bin.lhs, op == OP_AND ? "'and'" : "'or'");
    r = types_need_bool(c, r, e->bin.rhs, op == OP_AND ? "'and'" : "'or'");
    if (!l.ok || !r.ok) return types_bad();
    return types_bool(l.periodic || r.periodic);
  }
  r = types_check(c, e->bin.rhs, sc, env);
  if (op <= OP_DIV && (l.ok != r.ok)) { /* still say what is wrong with the other side */
    const char *opname = op == OP_ADD ? "'+'" : op == OP_SUB ? "'-'" : op == OP_MUL ? "'*'" : "'/'";
    if (l.ok) types_need_number(c, l, e->bin.lhs, opname);
    if (r.ok) types_need_number(c, r, e->bin.rhs, opname);
  }
  if (!l.ok || !r.ok) return types_bad();
  bool periodic = l.periodic || r.periodic;
  if (compare && r.labels) return label_misused(c, r, e->bin.rhs, arena_printf(c->arena, "'%s'", vocab_op_text(op)));
  if (compare) {
    if (l.is_bool || r.is_bool) {
      if (l.is_bool && r.is_bool && (op == OP_EQ || op == OP_NE)) return types_bool(periodic);
      diag_error(c->diags, R0402, e->loc, "'%s' compares numbers; a yes/no value is a condition by itself",
                 vocab_op_text(op));
      return types_bad();
    }
    if ((l.unit == U_DATE) != (r.unit == U_DATE)) {
      diag_error(c->diags, R0330, e->loc,
                 "'%s' compares a date only with another date: count the days between two dates with days_between(a, b) or workdays(a, b)",
                 vocab_op_text(op));
      return types_bad();
    }
    unify(c, l, r, e->loc, diag_tr("cannot compare"));
    check_fraction_literal(c, l, e->bin.lhs, e->bin.rhs, e);
    check_fraction_literal(c, r, e->bin.rhs, e->bin.lhs, e);
    return types_bool(periodic);
  }
  const char *opname = op == OP_ADD ? "'+'" : op == OP_SUB ? "'-'" : op == OP_MUL ? "'*'" : "'/'";
  l = types_need_number(c, l, e->bin.lhs, opname);
  r = types_need_number(c, r, e->bin.rhs, opname);
  if (!l.ok || !r.ok) return types_bad();
  switch (op) {
  case OP_ADD:
  case OP_SUB:
    return types_num(unify(c, l, r, e->loc, op == OP_ADD ? diag_tr("cannot add") : diag_tr("cannot subtract")), periodic);
  case OP_MUL:
    if (l.unit == U_PLAIN || l.unit == U_RATIO) return types_num(r.unit, periodic);
    if (r.unit == U_PLAIN || r.unit == U_RATIO) return types_num(l.unit, periodic);
    return types_num(U_PLAIN, periodic);
  case OP_DIV:
    if (l.unit == r.unit && l.unit != U_PLAIN) return types_num(U_RATIO, periodic); /* a share */
    if (r.unit == U_PLAIN || r.unit == U_RATIO) return types_num(l.unit, periodic);
    return types_num(U_PLAIN, periodic);
  default:
    assert(0);
    return types_bad();
  }
}

/* `f(10,200)` reads 10,200 as ten thousand two hundred: say so. */
static void warn_grouped(ck *c, const ast_expr *arg) {
  if (arg->kind == EX_NUMBER && arg->num.grouped)
    diag_warning(c->diags, R0902, arg->loc,
                 "this reads as one number with a thousands separator; put a space after ',' for two arguments");
}

static rb_type types_form_call(ck *c, ast_expr *e, ast_form *f, scope *sc, form_env *env) {
  ast_expr **bound = arena_alloc(c->arena, sizeof *bound * (size_t)(f->nparams ? f->nparams : 1));
  rb_type *types = arena_alloc(c->arena, sizeof *types * (size_t)(f->nparams ? f->nparams : 1));
  bool ok = true, named = false;
  int pos = 0;
  for (ast_arg *a = e->call.args; a; a = a->next) {
    warn_grouped(c, a->value);
    rb_type t = types_check(c, a->value, sc, env);
    int slot = -1;
    if (a->name) {
      named = true;
      for (int i = 0; i < f->nparams; i++)
        if (!strcmp(f->params[i].name, a->name)) slot = i;
      if (slot < 0) {
        suggestion s = {a->name, NULL, 99};
        for (int i = 0; i < f->nparams; i++) names_suggest(&s, f->params[i].name);
        diag_error(c->diags, R0701, a->name_loc, "form '%s' has no parameter '%s'%s", f->name, a->name,
                   names_did_you_mean(c, &s));
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
    if (t.ok && t.labels) t = label_misused(c, t, a->value, arena_printf(c->arena, diag_tr("form '%s'"), f->name));
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
  if (!ok) return types_bad();
  if (f->checking) {
    diag_error(c->diags, R0702, e->call.fn_loc, "form '%s' calls itself; forms cannot be recursive", f->name);
    return types_bad();
  }
  f->checking = 1;
  int before = c->diags->errors;
  form_env inner = {f, types};
  ast_scheme *saved = c->scheme;
  rb_type t = types_check(c, f->body, NULL, &inner);
  c->scheme = saved;
  f->checking = 0;
  if (env && f->reads_inputs) env->form->reads_inputs = true; /* through the form it calls */
  if (c->diags->errors > before) diag_note(c->diags, e->loc, "in the form '%s' used here", f->name);
  return t;
}

/* peers.max(x) and friends: x is one value per entity, read from inputs,
   lets and other statistics (computed in an earlier pass: stages, in
   check/lower.c), so a pass can compute it for every peer. */
static rb_type check_peer_call(ck *c, ast_expr *e, scope *sc, form_env *env) {
  bi_kind bi = (bi_kind)e->call.builtin;
  const char *fn = e->call.fn;
  int want = bi == BI_PEER_COUNT ? 0 : 1;
  rb_type t = types_num(U_PLAIN, false);
  for (ast_arg *a = e->call.args; a; a = a->next) {
    if (a->name) diag_error(c->diags, R0406, a->name_loc, "'%s' takes no named arguments", fn);
    t = types_check(c, a->value, sc, env);
  }
  if (e->call.nargs != want) {
    diag_error(c->diags, R0406, e->loc, want ? "'%s' takes 1 argument, not %d" : "'%s' takes no arguments, not %d", fn,
               e->call.nargs);
    return types_bad();
  }
  if (env) return types_bad(); /* reported where the form is declared (report_form_peers) */
  if (!c->scheme) return types_bad();
  ast_expr *arg = want ? e->call.args->value : NULL;
  if (arg) {
    if (!t.ok) return types_bad();
    t = types_need_number(c, t, arg, arena_printf(c->arena, "'%s'", fn));
    if (!t.ok) return types_bad();
    if (t.periodic) {
      diag_error(c->diags, R0312, arg->loc,
                 "'%s' compares one value per entity, and this has one per period: reduce it first, e.g. mean(...)", fn);
      return types_bad();
    }
    ast_input *in = peer_reads_missing_scores(arg);
    if (in) {
      diag_error(c->diags, R0312, arg->loc,
                 "'%s' reads '%s', whose empty cell means fixed points ('missing scores'): a peer's empty cell has no "
                 "value to compare; give the input 'missing error' or 'missing V'",
                 fn, in->name);
      return types_bad();
    }
  }
  switch (bi) {
  case BI_PEER_MAX: e->call.stat[0] = peer_stat(c, STAT_MAX, arg, e); return types_num(t.unit, false);
  case BI_PEER_MIN: e->call.stat[0] = peer_stat(c, STAT_MIN, arg, e); return types_num(t.unit, false);
  case BI_PEER_MEAN: e->call.stat[0] = peer_stat(c, STAT_MEAN, arg, e); return types_num(t.unit, false);
  case BI_PEER_SUM: e->call.stat[0] = peer_stat(c, STAT_SUM, arg, e); return types_num(t.unit, false);
  case BI_PEER_COUNT: e->call.stat[0] = peer_stat(c, STAT_COUNT, NULL, e); return types_num(U_COUNT, false);
  case BI_PEER_RANK: e->call.stat[0] = peer_stat(c, STAT_RANK, arg, e); return types_num(U_RANK, false);
  case BI_PEER_RATIO_TO_MAX: e->call.stat[0] = peer_stat(c, STAT_MAX, arg, e); return types_num(U_RATIO, false);
  case BI_PEER_SHARE: e->call.stat[0] = peer_stat(c, STAT_SUM, arg, e); return types_num(U_RATIO, false);
  case BI_PEER_MINMAX:
    e->call.stat[0] = peer_stat(c, STAT_MIN, arg, e);
    e->call.stat[1] = peer_stat(c, STAT_MAX, arg, e);
    return types_num(U_RATIO, false);
  case BI_PEER_RANK_RATIO:
    e->call.stat[0] = peer_stat(c, STAT_RANK, arg, e);
    e->call.stat[1] = peer_stat(c, STAT_COUNT, NULL, e);
    return types_num(U_RATIO, false);
  default: assert(0);
  }
  return types_bad();
}

/* latest(x), previous(x), growth(x): x has one value per period. */
static rb_type check_period_call(ck *c, ast_expr *e, scope *sc, form_env *env) {
  const char *fn = e->call.fn;
  rb_type t = types_bad();
  for (ast_arg *a = e->call.args; a; a = a->next) {
    if (a->name) diag_error(c->diags, R0406, a->name_loc, "'%s' takes no named arguments", fn);
    t = types_check(c, a->value, sc, env);
  }
  if (e->call.nargs != 1) {
    diag_error(c->diags, R0406, e->loc, "'%s' takes 1 argument, not %d", fn, e->call.nargs);
    return types_bad();
  }
  ast_expr *arg = e->call.args->value;
  if (!t.ok) return types_bad();
  t = types_need_number(c, t, arg, arena_printf(c->arena, "'%s'", fn));
  if (!t.ok) return types_bad();
  if (!t.periodic) {
    diag_error(c->diags, R0406, e->loc, "'%s' needs one value per period, and this is a single value", fn);
    return types_bad();
  }
  if (e->call.builtin != BI_LATEST && c->nperiods < 2) {
    diag_error(c->diags, R0309, e->loc, "'%s' needs a previous period, and the scheme has one period", fn);
    return types_bad();
  }
  if (e->call.builtin == BI_GROWTH) return types_num(U_RATIO, false);
  return types_num(t.unit, false);
}

/* days_between(a, b), workdays(a, b): two dates to a number of days (a
   count, negative when b is before a); the only use of a date but a
   comparison with another. */
static rb_type check_date_call(ck *c, ast_expr *e, const rb_type *args, bool periodic) {
  int i = 0;
  for (ast_arg *a = e->call.args; a; a = a->next, i++)
    if (args[i].is_bool || args[i].labels || args[i].unit != U_DATE) {
      diag_error(c->diags, R0330, a->value->loc, "'%s' counts the days from one date to another: this argument is not a date",
                 e->call.fn);
      return types_bad();
    }
  return types_num(U_COUNT, periodic);
}

/* best(n, x, ...): N a whole number of 1 or more, written out, and no more
   than the values it chooses from (every argument, once per period). */
static bool check_best(ck *c, ast_expr *e, const rb_type *args) {
  rb_decimal n;
  ast_arg *first = e->call.args;
  if (!first || !first->next || !iv_literal(first->value, &n)) {
    diag_error(c->diags, R0406, e->loc, "'best' takes how many values count, written out, then the values: best(3, a, b, c, d)");
    return false;
  }
  double k = dec_to_double(n);
  int values = 0;
  for (int i = 1; i < e->call.nargs; i++) values += args[i].periodic ? c->nperiods : 1;
  if (k < 1 || k != floor(k) || args[0].unit != U_PLAIN) {
    diag_error(c->diags, R0406, first->value->loc, "'best' counts a whole number of values, 1 or more");
    return false;
  }
  if (k > values) {
    diag_error(c->diags, R0406, first->value->loc, "best(%s, ...) chooses from %d value%s: it would add them all (write sum(...))",
               names_points(c, n), values, values == 1 ? "" : "s");
    return false;
  }
  return true;
}

static rb_type check_call(ck *c, ast_expr *e, scope *sc, form_env *env) {
  int bi = names_builtin(e->call.fn);
  if (bi == BI_BEST && names_form(c, e->call.fn)) bi = -1; /* a form named best, declared before the built-in */
  if (bi < 0) {
    ast_form *f = names_form(c, e->call.fn);
    if (f) return types_form_call(c, e, f, sc, env);
    suggestion s = {e->call.fn, NULL, 99};
    for (int i = 0; i < BI__COUNT; i++) names_suggest(&s, vocab_builtin_name((bi_kind)i));
    if (c->scheme)
      for (ast_form *x = c->scheme->forms; x; x = x->next) names_suggest(&s, x->name);
    for (ast_form *x = c->file->forms; x; x = x->next) names_suggest(&s, x->name);
    if (c->prelude)
      for (ast_form *x = c->prelude->forms; x; x = x->next) names_suggest(&s, x->name);
    diag_error(c->diags, R0302, e->call.fn_loc, "unknown function or form '%s'%s", e->call.fn, names_did_you_mean(c, &s));
    for (ast_arg *a = e->call.args; a; a = a->next) types_check(c, a->value, sc, env);
    return types_bad();
  }
  if (e->call.where) { /* records.c turned every count of a scheme's records into its tally's name */
    diag_error(c->diags, R0351, e->call.where_loc,
               "'where' counts the records of a record table of the scheme: it cannot stand in a file-level form");
    return types_bad();
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
    rb_type t = types_check(c, a->value, sc, env);
    if (i < 64) args[i] = t;
    if (!t.ok) ok = false;
    periodic |= t.periodic;
  }
  if (n > 64) {
    diag_error(c->diags, R0406, e->loc, "too many arguments");
    return types_bad();
  }
  const char *fn = e->call.fn;
  int want_min = 1, want_max = 64;
  if (bi == BI_CLAMP) want_min = want_max = 3;
  if (bi == BI_CEIL || bi == BI_FLOOR || bi == BI_ABS) want_min = want_max = 1;
  if (bi == BI_DAYS_BETWEEN || bi == BI_WORKDAYS) want_min = want_max = 2;
  if (n < want_min || n > want_max) {
    if (want_min == want_max)
      diag_error(c->diags, R0406, e->loc, "'%s' takes %d argument%s, not %d", fn, want_min, want_min == 1 ? "" : "s", n);
    else
      diag_error(c->diags, R0406, e->loc, "'%s' needs at least one argument", fn);
    return types_bad();
  }
  if (!ok) return types_bad();
  if (bi == BI_DAYS_BETWEEN || bi == BI_WORKDAYS) return check_date_call(c, e, args, periodic);
  i = 0;
  if (bi == BI_BEST && !check_best(c, e, args)) return types_bad();
  if (bi == BI_COUNT) {
    for (ast_arg *a = e->call.args; a; a = a->next, i++)
      if (!types_need_bool(c, args[i], a->value, "count(...)").ok) return types_bad();
    return types_num(U_COUNT, false);
  }
  rb_type acc = types_num(U_PLAIN, false);
  for (ast_arg *a = e->call.args; a; a = a->next, i++) {
    args[i] = types_need_number(c, args[i], a->value, arena_printf(c->arena, "'%s'", fn));
    if (!args[i].ok) return types_bad();
    if (bi == BI_BEST && i == 0) continue; /* how many: a plain number, checked above */
    acc.unit = unify(c, acc, args[i], a->value->loc, arena_printf(c->arena, diag_tr("'%s' mixes"), fn));
  }
  switch (bi) {
  case BI_SUM:
  case BI_MEAN:
  case BI_BEST:
    return types_num(acc.unit, false); /* over the periods and the arguments */
  case BI_MIN:
  case BI_MAX:
    if (n == 1) {
      if (!args[0].periodic) {
        diag_error(c->diags, R0406, e->loc, "'%s' of a single value: give two or more values, or one value per period", fn);
        return types_bad();
      }
      return types_num(acc.unit, false);
    }
    return types_num(acc.unit, periodic);
  case BI_CLAMP:
    if (args[1].periodic || args[2].periodic) {
      diag_error(c->diags, R0404, e->loc, "the bounds of 'clamp' must be one value, not one per period");
      return types_bad();
    }
    return types_num(args[0].unit, args[0].periodic);
  default: /* ceil, floor, abs */
    return types_num(args[0].unit, args[0].periodic);
  }
}

/* `by level { A级: 5, B级: 3 }`: the word, a `one of` input, and keys
   that are its labels (coverage is tiers.c's, as for any tiers). */
static bool check_lookup(ck *c, ast_expr *e, scope *sc, form_env *env) {
  if (strcmp(e->tiers.lookup, "by")) {
    diag_error(c->diags, R0317, e->tiers.lookup_loc, "write 'by NAME { label: points, … }' to look up the points of a label");
    return false;
  }
  if (!e->tiers.tiers) {
    diag_error(c->diags, R0317, e->loc, "this lookup gives no label its points: write 'label: points' for each");
    return false;
  }
  ast_expr *subject = e->tiers.tiers->cond->bin.lhs;
  rb_type t = types_check(c, subject, sc, env);
  if (!t.ok) return false;
  if (!t.labels) {
    diag_error(c->diags, R0317, subject->loc, "'by' looks up the labels of a 'one of' input; '%s' is %s", subject->name.id,
               t.is_bool ? diag_tr("a yes/no value: write e.g. '1 if x, 0 otherwise'") : diag_tr("a number: write tiers such as '4 if x >= 10, 0 otherwise'"));
    return false;
  }
  bool ok = true;
  for (ast_tier *x = e->tiers.tiers; x; x = x->next) {
    bool label_ok;
    if (!resolve_label(c, t.labels, x->cond->bin.rhs, sc, env, &label_ok) || !label_ok) {
      if (label_ok) /* a let or input of that name, but no label */
        diag_error(c->diags, R0317, x->cond->bin.rhs->loc, "'%s' is not one of the labels of '%s' (%s)",
                   x->cond->bin.rhs->name.id, t.labels->name, names_labels_text(c, t.labels));
      ok = false;
    }
  }
  return ok;
}

static rb_type check_tiers(ck *c, ast_expr *e, scope *sc, form_env *env) {
  if (e->tiers.lookup && !check_lookup(c, e, sc, env)) return types_bad();
  rb_type result = {.ok = true, .undefined = true, .unit = U_PLAIN};
  bool ok = true, periodic = false;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
    rb_type ct = types_need_bool(c, types_check(c, t->cond, sc, env), t->cond, diag_tr("a tier's 'if'"));
    rb_type vt = types_need_number(c, types_check(c, t->value, sc, env), t->value, diag_tr("a tier's score"));
    ok &= ct.ok && vt.ok;
    periodic |= ct.periodic || vt.periodic;
    if (vt.ok && !vt.undefined) {
      result.unit = result.undefined ? vt.unit : unify(c, result, vt, t->value->loc, diag_tr("tiers mix"));
      result.undefined = false;
    }
  }
  if (e->tiers.otherwise) {
    rb_type vt = types_need_number(c, types_check(c, e->tiers.otherwise, sc, env), e->tiers.otherwise, "'otherwise'");
    ok &= vt.ok;
    periodic |= vt.periodic;
    if (vt.ok && !vt.undefined) {
      result.unit = result.undefined ? vt.unit : unify(c, result, vt, e->tiers.otherwise->loc, diag_tr("tiers mix"));
      result.undefined = false;
    }
  }
  if (!ok) return types_bad();
  if (e->tiers.linear) {
    ast_expr *call = tiers_linear(c, e);
    if (call) {
      e->tiers.between = call;
      /* The arguments were checked and reported as tiers already; this
         only resolves the call. */
      c->diags->muted++;
      types_form_call(c, call, call->call.form, sc, env);
      c->diags->muted--;
    }
  }
  tiers_coverage(c, e);
  result.periodic = periodic;
  return result;
}

rb_type types_check(ck *c, ast_expr *e, scope *sc, form_env *env) {
  switch (e->kind) {
  case EX_NUMBER:
    if (e->num.bad) return types_bad(); /* reported already; say nothing more about it */
    if (e->num.date) return types_num(U_DATE, false);
    return types_num(e->num.percent ? U_RATIO : U_PLAIN, false);
  case EX_BOOL:
    return types_bool(false);
  case EX_NAME:
    return check_name(c, e, sc, env);
  case EX_CALL:
    return check_call(c, e, sc, env);
  case EX_NEG: {
    rb_type t = types_need_number(c, types_check(c, e->operand, sc, env), e->operand, "'-'");
    return t;
  }
  case EX_NOT:
    return types_need_bool(c, types_check(c, e->operand, sc, env), e->operand, "'not'");
  case EX_BINARY:
    return check_binary(c, e, sc, env);
  case EX_TIERS:
    return check_tiers(c, e, sc, env);
  case EX_UNDEFINED:
    if (env && !env->form->names_checked && !env->form->in_scheme)
      diag_error(c->diags, R0703, e->loc, "'undefined' belongs in a scheme's rules, not in a file-level form");
    return (rb_type){.ok = true, .undefined = true, .unit = U_PLAIN};
  case EX_LIST:
    diag_error(c->diags, R0407, e->loc, "a list [...] can only give per-period values in an example");
    return types_bad();
  }
  return types_bad();
}

void types_let(ck *c, ast_stmt *st, scope **sc, form_env *env) {
  names_plain(c, st->name, st->name_loc);
  ast_stmt *prev = names_let(*sc, st->name);
  ast_input *in = names_input(c->scheme, st->name);
  if (prev)
    diag_error(c->diags, R0303, st->name_loc, "'%s' is already defined on line %d", st->name, prev->name_loc.first_line);
  else if (in)
    diag_error(c->diags, R0303, st->name_loc, "'%s' is already an input (line %d); choose another name", st->name,
               in->name_loc.first_line);
  rb_type t = types_check(c, st->value, *sc, env);
  st->type = arena_alloc(c->arena, sizeof *st->type);
  *st->type = t;
  scope *s = arena_alloc(c->arena, sizeof *s);
  s->let = st;
  s->next = *sc;
  *sc = s;
}
