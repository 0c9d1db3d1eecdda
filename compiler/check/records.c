/* records.c: record tables and the counts of their records (ck.h).
 *
 * `records 处罚 "行政处罚决定" { input 决定日期: date ... }` declares a table
 * with any number of rows per entity; `count(处罚 where COND)` is how many
 * of an entity's rows meet COND. Before names are resolved, each such count
 * becomes a tally: an input of the scheme (a count, named by the call's
 * text) that no data table gives and the runtime computes before scoring.
 * The call is rewritten into that input's name, so every later pass (types,
 * units, ranges, examples, code generation of the rules) reads a count of
 * records like any other input; only the condition is the tally's own, and
 * it reads the table's fields and nothing of the entity.
 */
#include <string.h>

#include "ck.h"

/* `records NAME "title" { input ... }` at scheme level: the table and its
   fields, declared once each. */
void records_declare(ck *c, ast_scheme *s, ast_stmt *st) {
  ast_records *first = names_records(s, st->name);
  if (first) {
    diag_error(c->diags, R0350, st->name_loc, "record table '%s' is already declared on line %d", st->name,
               first->name_loc.first_line);
    return;
  }
  ast_records *t = arena_alloc(c->arena, sizeof *t);
  t->name = st->name;
  t->name_loc = st->name_loc;
  t->title = st->name2;
  t->loc = st->loc;
  t->index = s->nrecords++;
  names_plain(c, t->name, t->name_loc);
  for (ast_stmt *f = st->body; f; f = f->next) {
    if (f->kind == ST_ERROR) continue; /* reported by the parser */
    if (f->kind != ST_INPUT) {
      diag_error(c->diags, R0350, f->loc, "a record table holds 'input' declarations only: the fields of each record");
      continue;
    }
    ast_input *in = f->input;
    /* each reported once, then left out so inputs.c says nothing more */
    if (in->per)
      diag_error(c->diags, R0350, in->per_loc, "a field of a record has one value per record: it has no period");
    if (in->from)
      diag_error(c->diags, R0350, in->from_loc, "a field of a record is the record's own: it cannot come from a parent");
    if (in->missing != MISS_ERROR || (in->missing_word && strcmp(in->missing_word, "error")))
      diag_error(c->diags, R0350, in->missing_loc,
                 "a field of a record takes no 'missing' rule: every record gives every field");
    in->per = in->from = NULL;
    in->from_parent = false;
    in->missing = MISS_ERROR;
    in->missing_word = in->missing_word2 = NULL;
    in->next = NULL;
    in->records = t;
    in->index = t->nfields++;
    AST_APPEND(ast_input, &t->fields, in);
  }
  if (!t->nfields)
    diag_error(c->diags, R0350, st->name_loc, "record table '%s' declares no fields: give an 'input' for each column",
               t->name);
  t->next = NULL;
  AST_APPEND(ast_records, &s->records, t);
}

/* Each field's declaration, checked as an input's is, among the table's
   names (a field's name is the table's, not the scheme's). */
static void check_fields(ck *c, ast_scheme *s, ast_records *t) {
  name_table *scheme_names = s->input_names;
  s->input_names = NULL;
  for (ast_input *in = t->fields; in; in = in->next) names_add_input(c, in);
  for (ast_input *in = t->fields; in; in = in->next) {
    inputs_check(c, in);
    if (in->tkind == IN_ASSESSED)
      diag_error(c->diags, R0350, in->type_loc, "a field of a record cannot be assessed: it gives no part's points");
  }
  t->field_names = s->input_names;
  s->input_names = scheme_names;
}

/* Whether NAME is an input of S, a table or a field of one (for messages). */
static bool scheme_input_named(ast_scheme *s, const char *name) {
  for (ast_input *in = s->inputs; in; in = in->next)
    if (!in->tally && !strcmp(in->name, name)) return true;
  return false;
}

typedef struct cond_walk {
  ck *c;
  ast_scheme *s;
  ast_records *t;
  bool bad;
} cond_walk;

/* What a condition may not read: the entity's inputs, peer statistics, a
   count inside a count. */
static bool foreign(const ast_expr *e, void *ctx) {
  cond_walk *w = ctx;
  if (e->kind == EX_NAME && !names_table_get(w->t->field_names, e->name.id) && scheme_input_named(w->s, e->name.id)) {
    diag_error(w->c->diags, R0351, e->loc,
               "the condition reads each record of '%s': '%s' is an input of the entity, not a field of the record",
               w->t->name, e->name.id);
    w->bad = true;
  }
  if (e->kind == EX_CALL && !strncmp(e->call.fn, "peers.", 6)) {
    diag_error(w->c->diags, R0351, e->loc, "the condition reads each record of '%s': it cannot read peer statistics",
               w->t->name);
    w->bad = true;
  }
  if (e->kind == EX_CALL && e->call.where) {
    diag_error(w->c->diags, R0351, e->loc, "a count of records cannot stand inside the condition of another");
    w->bad = true;
  }
  return false;
}

/* COND of a count of T's records: a yes/no over the fields, one value
   (reported when not). */
static void check_cond(ck *c, ast_scheme *s, ast_records *t, ast_expr *cond) {
  cond_walk w = {c, s, t, false};
  ast_any(cond, foreign, &w);
  if (w.bad) return;
  name_table *scheme_names = s->input_names;
  ast_input *scheme_inputs = s->inputs;
  s->input_names = t->field_names; /* the fields are the only names in scope */
  s->inputs = t->fields;
  rb_type ty = types_check(c, cond, NULL, NULL);
  s->input_names = scheme_names;
  s->inputs = scheme_inputs;
  if (ty.ok && !ty.is_bool)
    diag_error(c->diags, R0351, cond->loc, "the condition after 'where' must be yes or no for each record of '%s'",
               t->name);
}

/* "count(处罚 where 公示日期 > 决定日期)": the call as written, each run of
   spaces and line breaks one space (in the arena). */
static const char *tally_text(ck *c, const ast_expr *e) {
  const char *p = e->loc.src->text + e->loc.start, *end = e->loc.src->text + e->loc.end;
  char *out = arena_alloc(c->arena, (size_t)(end - p) + 1), *o = out;
  bool space = false;
  for (; p < end; p++) {
    bool blank = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
    if (blank) {
      space = true;
      continue;
    }
    if (space && o > out) *o++ = ' ';
    space = false;
    *o++ = *p;
  }
  *o = '\0';
  return out;
}

/* The tally of T's records meeting COND, added on first use (with its input). */
static ast_tally *tally_of(ck *c, ast_scheme *s, ast_records *t, ast_expr *cond, ast_expr *call) {
  for (ast_tally *y = s->tallies; y; y = y->next)
    if (y->records == t && ast_same_expr(y->cond, cond, false)) return y;
  ast_tally *y = arena_alloc(c->arena, sizeof *y);
  y->records = t;
  y->cond = cond;
  y->text = tally_text(c, call);
  y->loc = call->loc;
  y->index = s->ntallies++;
  ast_input *in = y->input = arena_alloc(c->arena, sizeof *in);
  in->name = y->text;
  in->name_loc = in->loc = in->type_loc = call->loc;
  in->type = "count";
  in->tkind = IN_COUNT;
  in->tally = y;
  AST_APPEND(ast_input, &s->inputs, in);
  AST_APPEND(ast_tally, &s->tallies, y);
  t->counted = true;
  return y;
}

/* E is a call `fn(NAME where COND)` or `count(NAME)`: the record table it
   counts, or NULL when it is no count of records (reported when it cannot
   be one). */
static ast_records *counted_table(ck *c, ast_scheme *s, ast_expr *e) {
  if (e->kind != EX_CALL) return NULL;
  const ast_expr *arg = e->call.nargs == 1 && !e->call.args->name ? e->call.args->value : NULL;
  ast_records *t = arg && arg->kind == EX_NAME ? names_records(s, arg->name.id) : NULL;
  if (!e->call.where) return t && !strcmp(e->call.fn, "count") ? t : NULL;
  if (strcmp(e->call.where_word, "where"))
    diag_error(c->diags, R0351, e->call.where_loc, "write '%s(%s where condition)'", e->call.fn,
               arg ? arg->name.id : "TABLE");
  else if (strcmp(e->call.fn, "count"))
    diag_error(c->diags, R0351, e->call.fn_loc, "'where' picks records to count: write 'count(%s where condition)'",
               arg ? arg->name.id : "TABLE");
  else if (!t) {
    suggestion sg = {arg->name.id, NULL, 99};
    for (ast_records *x = s->records; x; x = x->next) names_suggest(&sg, x->name);
    diag_error(c->diags, R0351, arg->loc, "'%s' is not a record table of scheme '%s'%s", arg->name.id, s->id,
               names_did_you_mean(c, &sg));
  } else {
    return t;
  }
  e->kind = EX_NUMBER; /* reported: checked no further */
  e->num = (typeof(e->num)){.bad = true};
  return NULL;
}

/* Every count of records in E becomes the name of its tally's input. */
static void rewrite(ck *c, ast_scheme *s, ast_expr *e) {
  if (!e) return;
  switch (e->kind) {
  case EX_CALL: {
    ast_records *t = counted_table(c, s, e);
    if (!t) {
      if (e->kind != EX_CALL) return;
      for (ast_arg *a = e->call.args; a; a = a->next) rewrite(c, s, a->value);
      return;
    }
    ast_expr *cond = e->call.where;
    if (cond) check_cond(c, s, t, cond); /* a tally all the same: its uses and examples say nothing more */
    ast_tally *y = tally_of(c, s, t, cond, e);
    e->kind = EX_NAME;
    e->name = (typeof(e->name)){.id = y->text};
    return;
  }
  case EX_NEG:
  case EX_NOT: rewrite(c, s, e->operand); return;
  case EX_BINARY:
    rewrite(c, s, e->bin.lhs);
    rewrite(c, s, e->bin.rhs);
    return;
  case EX_TIERS:
    for (ast_tier *t = e->tiers.tiers; t; t = t->next) rewrite(c, s, t->value), rewrite(c, s, t->cond);
    rewrite(c, s, e->tiers.otherwise);
    return;
  default: return;
  }
}

static void rewrite_body(ck *c, ast_scheme *s, ast_stmt *body) {
  for (ast_stmt *st = body; st; st = st->next) {
    if (st->kind == ST_PART) rewrite_body(c, s, st->part->body);
    else if (st->kind == ST_SCORE || st->kind == ST_LET || st->kind == ST_REQUIRE) rewrite(c, s, st->value);
  }
}

/* `count(处罚 where ...) = 3` in an example gives the tally's input: the
   given is named by the tally's text, so a count no rule reads is an input
   the scheme does not have (examples.c says so, with the nearest). */
static void rewrite_given(ck *c, ast_scheme *s, ast_given *g) {
  if (!g->stat) return;
  ast_expr *call = g->stat;
  ast_records *t = counted_table(c, s, call);
  if (!t && call->kind == EX_CALL) return; /* a peer statistic */
  g->stat = NULL;
  g->name = tally_text(c, call);
  g->name_loc = call->loc;
  if (!t) return;
  for (ast_tally *y = s->tallies; y; y = y->next)
    if (y->records == t && ast_same_expr(y->cond, call->call.where, false)) g->name = y->text;
}

void records_check(ck *c, ast_scheme *s) {
  for (ast_records *t = s->records; t; t = t->next) {
    if (scheme_input_named(s, t->name)) /* count(处罚) would mean two things */
      diag_error(c->diags, R0350, t->name_loc, "'%s' is already an input of scheme '%s': name the record table otherwise",
                 t->name, s->id);
    check_fields(c, s, t);
  }
  rewrite_body(c, s, s->body);
  for (ast_form *f = s->forms; f; f = f->next) rewrite(c, s, f->body);
  for (ast_grade *g = s->grades; g; g = g->next)
    for (ast_band *b = g->bands; b; b = b->next) rewrite(c, s, b->cond);
  for (ast_example *ex = s->examples; ex; ex = ex->next)
    for (ast_given *g = ex->items; g; g = g->next) rewrite_given(c, s, g);
  for (ast_records *t = s->records; t; t = t->next)
    if (!t->counted)
      diag_warning(c->diags, R0352, t->name_loc, "no rule counts the records of '%s': count them with count(%s where ...)",
                   t->name, t->name);
}
