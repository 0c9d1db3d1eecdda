/* check.c: the checker's driver: the order of its passes over a file and
 * over each scheme, and nothing else (the passes are listed in ck.h).
 */
#include <string.h>

#include "ck.h"
#include "fixed.h"
#include "lower.h"
#include "ranges.h"

int check_period_count(const ast_scheme *s) {
  return s->period ? s->period_last - s->period_first + 1 : 1;
}

static bool small_int(ck *c, ast_expr *e, int *out) {
  if (e->num.value.scale != 0 || e->num.value.coef < 0 || e->num.value.coef > 100000) {
    diag_error(c->diags, R0309, e->loc, "expected a whole number from 0 to 100000");
    return false;
  }
  *out = (int)e->num.value.coef;
  return true;
}

/* `period month 1 to 12` */
static void declare_period(ck *c, ast_scheme *s, ast_stmt *st) {
  if (s->period) {
    diag_error(c->diags, R0303, st->loc, "the period is already declared on line %d", s->period_loc.first_line);
    return;
  }
  if (small_int(c, st->value, &s->period_first) && small_int(c, st->value2, &s->period_last)) {
    if (s->period_last < s->period_first)
      diag_error(c->diags, R0309, st->value2->loc, "the period runs backwards: %d to %d", s->period_first, s->period_last);
    else {
      if (s->period_last - s->period_first >= CHECK_MAX_PERIODS) {
        diag_error(c->diags, R0204, st->loc, "%d periods: at most %d", s->period_last - s->period_first + 1,
                   CHECK_MAX_PERIODS);
        s->period_last = s->period_first + CHECK_MAX_PERIODS - 1; /* go on checking with the limit */
      }
      s->period = st->name;
    }
    names_plain(c, st->name, st->name_loc);
    if (s->period && names_reserved(st->name))
      diag_error(c->diags, R0304, st->name_loc, "'%s' names a key column; choose another period name", st->name);
  }
  s->period_loc = st->loc;
}

/* `peers all` | `peers by parent` */
static void declare_peers(ck *c, ast_scheme *s, ast_stmt *st, bool *seen) {
  if (*seen) {
    diag_error(c->diags, R0303, st->loc, "the peers are already declared on line %d", s->peers_loc.first_line);
    return;
  }
  *seen = true;
  s->peers_loc = st->loc;
  if (!strcmp(st->name, "all") && !st->name2) {
    s->peers_by_parent = false;
  } else if (!strcmp(st->name, "by") && st->name2 && !strcmp(st->name2, "parent")) {
    s->peers_by_parent = true;
    s->uses_parent = true;
  } else {
    diag_error(c->diags, R0312, st->loc, "write 'peers all' or 'peers by parent'");
  }
}

/* `round N` (every indicator's and item's score) or `round total N`. */
static void declare_round(ck *c, ast_scheme *s, ast_stmt *st) {
  bool total = st->name != NULL;
  if (total && strcmp(st->name, "total")) {
    diag_error(c->diags, R0315, st->name_loc, "write 'round N' (each indicator and item) or 'round total N'");
    return;
  }
  int *slot = total ? &s->round_total : &s->round_parts;
  if (*slot >= 0) {
    diag_error(c->diags, R0315, st->loc, "the rounding is already declared on line %d", s->round_loc.first_line);
    return;
  }
  rb_decimal n = st->value->num.value;
  if (st->value->num.bad) return;
  if (n.scale != 0 || n.coef < 0 || n.coef > FIXED_DECIMALS || st->value->num.percent) {
    diag_error(c->diags, R0315, st->value->loc, "round to a whole number of decimals from 0 to 18");
    return;
  }
  *slot = (int)n.coef;
  s->round_loc = st->loc;
}

/* Sorts the scheme's statements into its declarations (total, period,
   peers, inputs, forms, grades, examples) and its body of lets and parts. */
static void sort_statements(ck *c, ast_scheme *s) {
  ast_stmt *parts = NULL, **tail = &parts;
  bool peers_seen = false;
  for (ast_stmt *st = s->body, *next; st; st = next) {
    next = st->next;
    switch (st->kind) {
    case ST_TOTAL:
      if (s->has_total)
        diag_error(c->diags, R0303, st->loc, "the total is already declared on line %d", s->total_loc.first_line);
      s->has_total = true;
      if (!st->value) { /* total unknown "...": the document states none */
        s->total_loc = st->name_loc;
        if (strcmp(st->name, "unknown")) {
          diag_error(c->diags, R0311, st->name_loc, "write 'total N', or 'total unknown \"why\"' when the document states none");
          s->total_bad = true;
        } else {
          s->total_derived = true;
        }
        break;
      }
      s->total = st->value->num.value;
      s->total_bad = st->value->num.bad;
      s->total_loc = st->value->loc;
      break;
    case ST_PERIOD: declare_period(c, s, st); break;
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
    case ST_FORM: {
      ast_form *first = names_form_in(s->forms, st->form->name);
      if (first)
        diag_error(c->diags, R0303, st->form->name_loc, "form '%s' is declared twice (first on line %d)", st->form->name,
                   first->name_loc.first_line);
      st->form->next = NULL; /* its body is checked once the inputs are known (check_scheme) */
      AST_APPEND(ast_form, &s->forms, st->form);
      break;
    }
    case ST_PART:
    case ST_LET:
    case ST_REQUIRE: /* in order with the lets, which it may read */
      st->next = NULL;
      *tail = st;
      tail = &st->next;
      break;
    case ST_SCORE: diag_error(c->diags, R0306, st->loc, "a score rule belongs inside an indicator"); break;
    case ST_ERROR: s->broken = true; break;
    case ST_RECORDS: records_declare(c, s, st); break;
    case ST_DROP: /* an extending scheme's were taken by the merge (extends.c) */
      diag_error(c->diags, R0321, st->loc, "'drop' belongs in a scheme that extends another");
      break;
    case ST_PEERS: declare_peers(c, s, st, &peers_seen); break;
    case ST_ROUND: declare_round(c, s, st); break;
    case ST_GRADE:
      st->grade->next = NULL;
      AST_APPEND(ast_grade, &s->grades, st->grade);
      break;
    }
  }
  s->body = parts;
}

/* Numbers the inputs in declaration order and registers their names. */
static void index_inputs(ck *c, ast_scheme *s) {
  int n = 0;
  for (ast_input *in = s->inputs; in; in = in->next) {
    if (n == CHECK_MAX_INPUTS)
      diag_error(c->diags, R0204, in->loc, "more than %d inputs in one scheme", CHECK_MAX_INPUTS);
    in->index = n++;
    names_add_input(c, in);
  }
  s->ninputs = n;
  s->input_at = arena_alloc(c->arena, sizeof *s->input_at * (size_t)(n ? n : 1));
  for (ast_input *in = s->inputs; in; in = in->next) s->input_at[in->index] = in;
}

/* Adds the checked scheme of S, which checked clean, to the output, and
   proves what each of its parts can score. */
static void lower(ck *c, ast_scheme *s) {
  check_out *o = c->out;
  sc_scheme *lowered = lower_scheme(s, o->arena);
  ranges_prove(lowered, c->diags);
  sc_scheme **grown = arena_alloc(o->arena, sizeof *grown * (size_t)(o->nschemes + 1));
  if (o->nschemes) memcpy(grown, o->schemes, sizeof *grown * (size_t)o->nschemes);
  grown[o->nschemes++] = lowered;
  o->schemes = grown;
}

static void check_scheme(ck *c, ast_scheme *s) {
  if (s->base_failed) return; /* its base is missing or broken (reported): there is no scheme to check */
  c->scheme = s;
  names_plain(c, s->id, s->id_loc);
  int errors_before = c->diags->errors;
  s->round_parts = s->round_total = -1;
  sort_statements(c, s);
  c->nperiods = check_period_count(s);
  records_check(c, s);
  index_inputs(c, s);
  for (ast_form *f = s->forms; f; f = f->next) forms_check_decl(c->diags, f, s);
  for (ast_input *in = s->inputs; in; in = in->next)
    if (!in->tally) inputs_check(c, in); /* a count of records: declared by its call */
  points_check_parts(c, s);
  inputs_bind_assessed(c, s);
  for (ast_grade *g = s->grades; g; g = g->next) grades_check(c, g);
  points_check_total(c, s);
  kinds_check(c, s);
  /* The later reviews assume every name and type resolved: they run only on a
     scheme (and the file's forms) that checked without errors so far. */
  bool clean = c->diags->errors == errors_before && c->file->syntax_errors == 0 && c->form_errors == 0;
  if (clean) hygiene_unused_inputs(c, s);
  for (ast_example *ex = s->examples; ex; ex = ex->next) examples_check(c, ex);
  clean = c->diags->errors == errors_before && c->file->syntax_errors == 0 && c->form_errors == 0;
  if (clean) hygiene_check(c, s);
  if (clean) lower(c, s);
  c->scheme = NULL;
}

int check_file(ast_file *file, const ast_file *prelude, rb_arena *arena, rb_diags *diags, check_out *out) {
  int before = diags->errors;
  ck c = {.arena = arena, .out = out, .diags = diags, .file = file, .prelude = prelude};
  for (ast_form *f = file->forms; f; f = f->next)
    for (ast_form *g = f->next; g; g = g->next)
      if (!strcmp(f->name, g->name))
        diag_error(diags, R0303, g->name_loc, "form '%s' is declared twice (first on line %d)", g->name,
                   f->name_loc.first_line);
  for (ast_form *f = file->forms; f; f = f->next) forms_check_decl(diags, f, NULL);
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
