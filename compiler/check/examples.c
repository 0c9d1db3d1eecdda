/* examples.c: what each example block gives and expects: inputs of the
 * scheme with values that fit them, peer statistics its rules read, parts,
 * targets and grade bands that exist, and every input an expected result
 * reads (ck.h).
 */
#include <math.h>
#include <string.h>

#include "ck.h"

/* The value of a literal in an example: a number (with its unit suffix), -number, yes or no. */
static bool const_decimal(ck *c, ast_expr *e, rb_decimal *dec, double *out, bool *is_bool) {
  *is_bool = false;
  switch (e->kind) {
  case EX_NUMBER: *dec = e->num.value; break;
  case EX_NEG:
    if (e->operand->kind != EX_NUMBER) goto bad;
    *dec = dec_neg(e->operand->num.value);
    break;
  case EX_BOOL:
    *is_bool = true;
    *dec = dec_from_int(e->boolean ? 1 : 0);
    break;
  case EX_NAME: /* a label, resolved by label_given */
    if (e->name.ref != REF_LABEL) goto bad;
    *dec = dec_from_int(e->name.param);
    break;
  default: goto bad;
  }
  *out = dec_to_double(*dec);
  return true;
bad:
  diag_error(c->diags, R0802, e->loc, "an example value must be a number or yes/no, written out");
  return false;
}

static bool const_value(ck *c, ast_expr *e, double *out, bool *is_bool) {
  rb_decimal d;
  return const_decimal(c, e, &d, out, is_bool);
}

/* A value given to a `one of` input is one of its labels: resolved here
   (REF_LABEL), so it reads as the label's index. */
static bool label_given(ck *c, ast_input *in, ast_expr *e) {
  if (in->tkind != IN_LABEL) return true;
  int k = e->kind == EX_NAME ? names_label(in, e->name.id) : -1;
  if (k < 0) {
    suggestion sg = {e->kind == EX_NAME ? e->name.id : "", NULL, 99};
    for (const ast_arg *l = in->labels; l; l = l->next) names_suggest(&sg, l->name);
    diag_error(c->diags, R0802, e->loc, "'%s' takes one of its labels (%s)%s", in->name, names_labels_text(c, in),
               e->kind == EX_NAME ? names_did_you_mean(c, &sg) : "");
    return false;
  }
  e->name.ref = REF_LABEL;
  e->name.input = in;
  e->name.param = k;
  return true;
}

static bool given_value_ok(ck *c, ast_input *in, ast_expr *e, double v, bool is_bool) {
  if (in->tkind == IN_LABEL) return true; /* label_given said */
  rb_decimal d;
  double unused;
  bool b;
  if (!const_decimal(c, e, &d, &unused, &b)) return false;
  bool date = e->kind == EX_NUMBER && e->num.date;
  if ((in->tkind == IN_DATE) != date) {
    if (in->tkind == IN_DATE) diag_error(c->diags, R0330, e->loc, "'%s' is a date: give one such as 2024-03-15", in->name);
    else diag_error(c->diags, R0330, e->loc, "'%s' is not a date input: give it a number", in->name);
    return false;
  }
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
  const char *why = check_input_value(in, d, buf, sizeof buf);
  if (why) {
    diag_error(c->diags, R0802, e->loc, "'%s' %s", in->name, why);
    return false;
  }
  return true;
}

/* Whether P is WHOLE or stands inside it. */
static bool part_within(const ast_part *p, const ast_part *whole) {
  for (; p; p = p->parent)
    if (p == whole) return true;
  return false;
}

/* Whether GIVEN (an example's argument, names unresolved) is the rule's
   argument RULE, written as in the rule or with any of the rule's lets
   written out: `peers.max(xyd_firms / registered_firms)` for a rule's
   `peers.max(share)` with `let share = xyd_firms / registered_firms`. */
static bool same_argument(const ast_expr *rule, const ast_expr *given) {
  if (ast_same_expr(rule, given, false)) return true;
  if (rule->kind == EX_NAME && rule->name.ref == REF_LET) return same_argument(rule->name.let->value, given);
  if (rule->kind != given->kind) return false;
  switch (rule->kind) {
  case EX_NEG:
  case EX_NOT: return same_argument(rule->operand, given->operand);
  case EX_BINARY:
    return rule->bin.op == given->bin.op && same_argument(rule->bin.lhs, given->bin.lhs) &&
           same_argument(rule->bin.rhs, given->bin.rhs);
  case EX_CALL: {
    if (strcmp(rule->call.fn, given->call.fn) || rule->call.nargs != given->call.nargs) return false;
    for (const ast_arg *x = rule->call.args, *y = given->call.args; x; x = x->next, y = y->next)
      if ((x->name == NULL) != (y->name == NULL) || (x->name && strcmp(x->name, y->name)) ||
          !same_argument(x->value, y->value))
        return false;
    return true;
  }
  default: return false;
  }
}

/* `peers.max(share) = 3%` in an example: the statistic, given directly. It
   gives every statistic of that kind whose argument reads the same. */
static void check_stat_given(ck *c, ast_given *g, unsigned char *stat_given) {
  ast_scheme *s = c->scheme;
  const char *fn = g->stat->call.fn;
  int kind = -1;
  for (int k = 0; k < 6; k++)
    if (!strcmp(vocab_stat_name((stat_kind)k), fn)) kind = k;
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
    if ((int)st->kind != kind || (st->arg == NULL) != (arg == NULL) || (arg && !same_argument(st->arg, arg))) continue;
    if (stat_given[i]) {
      diag_error(c->diags, R0805, g->stat->loc, "example gives %s twice", peer_stat_text(c, st));
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
               arena_printf(c->arena, "'%s(%s)'", fn, arg ? names_expr_text(c, arg) : ""));
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

/* The inputs the parts of S read, all of them: what the total reads. */
static void all_parts_read(ck *c, ast_scheme *s, const int **ids, int *n) {
  int *all = NULL, nall = 0;
  for (int p = 0; p < s->nparts; p++)
    if (!s->part_at[p]->parent) names_union(c, &all, &nall, s->part_at[p]->uses, s->part_at[p]->nuses);
  *ids = all;
  *n = nall;
}

void examples_check(ck *c, ast_example *ex) {
  ast_scheme *s = c->scheme;
  unsigned char *given = arena_alloc(c->arena, (size_t)(s->ninputs ? s->ninputs : 1));
  unsigned char *stat_given = arena_alloc(c->arena, (size_t)(s->nstats ? s->nstats : 1));
  for (ast_given *g = ex->items; g; g = g->next) {
    if (g->expect) continue;
    if (g->stat) {
      check_stat_given(c, g, stat_given);
      continue;
    }
    ast_input *in = names_input(s, g->name);
    if (!in) {
      suggestion sg = {g->name, NULL, 99};
      for (ast_input *i = s->inputs; i; i = i->next) names_suggest(&sg, i->name);
      diag_error(c->diags, R0801, g->name_loc, "example gives '%s', which is not an input of scheme '%s'%s", g->name, s->id,
                 names_did_you_mean(c, &sg));
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
        if (label_given(c, in, a->value) && const_value(c, a->value, &g->vals[i], &b))
          given_value_ok(c, in, a->value, g->vals[i], b);
      }
    } else {
      bool b;
      double v;
      /* one value for a per-period input means that value in every period */
      if (label_given(c, in, g->value) && const_value(c, g->value, &v, &b) && given_value_ok(c, in, g->value, v, b))
        for (int i = 0; i < m; i++) g->vals[i] = v;
    }
  }
  for (ast_given *g = ex->items; g; g = g->next) {
    if (!g->expect) continue;
    const int *needs = NULL; /* the inputs the expected result reads */
    int nneeds = 0;
    if (!strcmp(g->name, "total")) {
      g->part = NULL;
      all_parts_read(c, s, &needs, &nneeds);
    } else if (g->band || names_grade(s, g->name)) {
      g->grade = names_grade(s, g->name);
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
        nneeds = g->grade->part->nuses;
      } else {
        all_parts_read(c, s, &needs, &nneeds);
      }
      if (g->grade->nreads) { /* and what its bands test (一票否决) */
        int *both = NULL, nboth = 0;
        names_union(c, &both, &nboth, needs, nneeds);
        names_union(c, &both, &nboth, g->grade->reads, g->grade->nreads);
        needs = both, nneeds = nboth;
      }
    } else if (names_target(s, g->name)) {
      g->part = names_target(s, g->name);
      needs = g->part->uses;
      nneeds = g->part->nuses;
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
      g->part = names_part(s, g->name);
      if (!g->part) {
        suggestion sg = {g->name, NULL, 99};
        for (int p = 0; p < s->nparts; p++) {
          const char *dot = strrchr(s->part_at[p]->path, '.');
          if (dot && !strcmp(dot + 1, g->name)) { /* an item named without its indicator */
            sg.best = s->part_at[p]->path;
            sg.dist = 0;
          }
          names_suggest(&sg, s->part_at[p]->path);
        }
        diag_error(c->diags, R0803, g->name_loc, "example expects '%s', which is not an indicator of scheme '%s'%s", g->name,
                   s->id, names_did_you_mean(c, &sg));
        continue;
      }
      needs = g->part->uses;
      nneeds = g->part->nuses;
    }
    for (ast_given *h = ex->items; h != g; h = h->next)
      if (h->expect && !strcmp(h->name, g->name)) {
        diag_error(c->diags, R0803, g->name_loc, "example expects '%s' twice", g->name);
        break;
      }
    bool is_target = g->part && g->part->kind == PART_TARGET;
    if (g->value && !is_target) {
      bool b;
      if (const_value(c, g->value, &g->expected, &b) && b) {
        diag_error(c->diags, R0802, g->value->loc, "an expected score is a number");
      } else if (!g->grade && const_value(c, g->value, &g->expected, &b)) {
        /* a part scores within [0, its points], the total within [0, total]
           widened by its bonus and deduction sections */
        bool whole = !g->part;
        bool stated = whole ? s->has_total && !s->total_bad : !g->part->points_bad;
        double points = dec_to_double(whole ? s->total : g->part->points), least = 0;
        for (ast_stmt *st = s->body; whole && st; st = st->next)
          if (st->kind == ST_PART && st->part->section == SECTION_BONUS) points += dec_to_double(st->part->points);
          else if (st->kind == ST_PART && st->part->section == SECTION_DEDUCTION) least -= dec_to_double(st->part->points);
        if (stated && (g->expected > points + 1e-9 || g->expected < least - 1e-9))
          diag_error(c->diags, R0802, g->value->loc,
                     "'%s' is worth %.10g points: no entity can score %.10g (is the expectation or the points wrong?)",
                     g->name, points, g->expected);
      }
    } else if (is_target) {
      g->expected = g->value->boolean ? 1 : 0;
    }
    /* an example of one kind needs nothing that only other kinds' parts read */
    unsigned char *of_kind = NULL;
    int kind = kinds_of_example(s, ex);
    if (kind >= 0 && !(g->part && g->part->kind == PART_TARGET)) {
      of_kind = arena_alloc(c->arena, (size_t)s->ninputs);
      kinds_reads_for(s, g->grade ? g->grade->part : g->part, kind, of_kind);
      for (int k = 0; g->grade && k < g->grade->nreads; k++) of_kind[g->grade->reads[k]] = 1;
    }
    for (int k = 0; k < nneeds; k++)
      if (!given[needs[k]] && (!of_kind || of_kind[needs[k]]))
        diag_error(c->diags, R0804, g->name_loc, "to check '%s' the example must give '%s'", g->name,
                   s->input_at[needs[k]]->name);
    if (g->part && g->part->kind != PART_TARGET && s->kind_input && given[s->kind_input->index])
      kinds_check_expect(c, ex, g);
    /* the peer statistics its rules read */
    unsigned char *stats = arena_alloc(c->arena, (size_t)(s->nstats ? s->nstats : 1));
    if (g->grade && !g->grade->part) {
      for (int p = 0; p < s->nparts; p++) peer_mark_stats(s->part_at[p]->score, stats);
    } else {
      const ast_part *whose = g->grade ? g->grade->part : g->part;
      for (int p = 0; p < s->nparts; p++)
        if (!whose || s->part_at[p] == whose || part_within(s->part_at[p], whose)) peer_mark_stats(s->part_at[p]->score, stats);
      if (whose && whose->kind == PART_TARGET) peer_mark_stats(whose->score, stats);
    }
    for (int i = 0; i < s->nstats; i++)
      if (stats[i] && !stat_given[i])
        diag_error(c->diags, R0805, g->name_loc, "to check '%s' the example must give %s", g->name,
                   peer_stat_text(c, s->stat_at[i]));
  }
}
