/* kinds.c: parts per kind of entity (`category 个性 "..." points 60 for 类别
 * 执法部门 { ... }`): the kind input each such part names, its labels, where
 * `for` may stand, and the budget proved once per kind: for every label of
 * the kind input, the parts that apply to it add up exactly to the total,
 * and within a part to its points (spec/semantics.md, "Parts per kind of
 * entity"). points.c leaves those sums to this file.
 */
#include <stdlib.h>
#include <string.h>

#include "ck.h"

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Whether PART (through its own `for` and its parents') applies to an
   entity whose kind is label L. */
static bool applies(const ast_part *part, int l) {
  for (; part; part = part->parent) {
    if (!part->kind_input) continue;
    if (!bsearch(&l, part->kind_labels, (size_t)part->nkind_labels, sizeof l, cmp_int)) return false;
  }
  return true;
}

/* The nearest part above PART that names kinds, or NULL. */
static const ast_part *restricted_parent(const ast_part *part) {
  for (part = part->parent; part; part = part->parent)
    if (part->kind_input) return part;
  return NULL;
}

/* PART and its parts read IN, the kind: an example that expects one of
   them gives it, and the input counts as used. */
static void read_kind(ck *c, ast_part *part, ast_input *in) {
  names_union(c, &part->uses, &part->nuses, &in->index, 1);
  for (ast_stmt *st = part->body; st; st = st->next)
    if (st->kind == ST_PART) read_kind(c, st->part, in);
}

/* PART's `for KIND L1, L2`: the input, its labels, and where it stands.
   False when it is refused (reported). */
static bool resolve(ck *c, ast_scheme *s, ast_part *part) {
  if (strcmp(part->for_word, "for")) {
    diag_error(c->diags, R0340, part->kinds_loc, "write 'for KIND LABEL, ...' after the points, e.g. 'for 类别 执法部门'");
    return false;
  }
  const ast_part *top = part;
  while (top->parent) top = top->parent;
  if (part->kind == PART_ITEM || part->kind == PART_TARGET || top->section != SECTION_NONE) {
    diag_error(c->diags, R0345, part->kinds_loc,
               "only a category or indicator of the scored sections applies to some kinds of entity; %s '%s' cannot take 'for'",
               diag_tr(vocab_part_kind_name(part->kind)), part->id);
    return false;
  }
  if (part->points_word) {
    diag_error(c->diags, R0345, part->kinds_loc, "a part for some kinds of entity states its points ('points unknown' cannot take 'for')");
    return false;
  }
  ast_input *in = names_input(s, part->kind_name);
  if (!in) {
    diag_error(c->diags, R0340, part->kind_loc, "no input '%s': 'for' names a 'one of' input that gives each entity's kind",
               part->kind_name);
    return false;
  }
  if (in->tkind != IN_LABEL || in->per) {
    diag_error(c->diags, R0340, part->kind_loc,
               "'%s' is not a kind: 'for' names an input declared 'one of { ... }', one label per entity", in->name);
    return false;
  }
  if (s->kind_input && s->kind_input != in) {
    diag_error(c->diags, R0344, part->kind_loc,
               "the parts of a scheme apply by one kind input; '%s' is not '%s', which an earlier part names", in->name,
               s->kind_input->name);
    return false;
  }
  if (!s->kind_input && in->missing != MISS_ERROR)
    diag_error(c->diags, R0342, in->missing_word ? in->missing_loc : in->name_loc,
               "'%s' gives each entity's kind, which parts apply by: every entity must have one (remove its 'missing' clause)",
               in->name);
  s->kind_input = in;
  int n = 0;
  for (const ast_arg *l = part->kinds; l; l = l->next) n++;
  int *labels = arena_alloc(c->arena, sizeof *labels * (size_t)n);
  int k = 0;
  bool ok = true;
  const ast_part *above = restricted_parent(part);
  for (const ast_arg *l = part->kinds; l; l = l->next) {
    int found = -1, at = 0;
    for (const ast_arg *x = in->labels; x; x = x->next, at++)
      if (!strcmp(x->name, l->name)) found = at;
    if (found < 0) {
      diag_error(c->diags, R0341, l->name_loc, "'%s' is not one of the labels of '%s'", l->name, in->name);
      ok = false;
      continue;
    }
    for (int j = 0; j < k; j++)
      if (labels[j] == found) {
        diag_error(c->diags, R0341, l->name_loc, "'%s' is named twice", l->name);
        ok = false;
      }
    if (above && !applies(above, found)) {
      diag_error(c->diags, R0345, l->name_loc, "%s '%s' does not apply to %s, so its parts cannot",
                 diag_tr(vocab_part_kind_name(above->kind)), above->id, l->name);
      ok = false;
    }
    labels[k++] = found;
  }
  if (!ok) return false;
  qsort(labels, (size_t)k, sizeof *labels, cmp_int);
  part->kind_input = in;
  part->nkind_labels = k;
  part->kind_labels = labels;
  for (ast_part *p = part; p; p = p->parent) names_union(c, &p->uses, &p->nuses, &in->index, 1);
  read_kind(c, part, in);
  return true;
}

/* For label L: the points of what applies among the parts of BODY (the
   scheme's, or a part's) against WANT. */
static void budget(ck *c, const ast_stmt *body, const ast_part *parent, int l, rb_decimal want, rb_loc at,
                   const char *children, const char *whose) {
  ast_scheme *s = c->scheme;
  rb_decimal sum = dec_from_int(0);
  for (const ast_stmt *st = body; st; st = st->next) {
    if (st->kind != ST_PART) continue;
    const ast_part *p = st->part;
    if (p->kind == PART_TARGET || (!parent && (p->kind == PART_ITEM || p->section != SECTION_NONE))) continue;
    if (p->points_bad) return; /* reported: nothing to prove */
    if (applies(p, l) && !dec_add(sum, p->points, &sum)) return; /* an overflow is reported by points.c */
  }
  int k = dec_cmp(sum, want);
  if (k == 0) return;
  rb_decimal diff;
  dec_sub(k < 0 ? want : sum, k < 0 ? sum : want, &diff);
  const char *label = "";
  int at_label = 0;
  for (const ast_arg *x = s->kind_input->labels; x; x = x->next, at_label++)
    if (at_label == l) label = x->name;
  diag_error(c->diags, R0343, at, "for %s the points of %s add up to %s, not %s (%s by %s)", label, children,
             names_points(c, sum), whose, k < 0 ? diag_tr("short") : diag_tr("over"), names_points(c, diff));
}

/* Whether any part of BODY names kinds itself. */
static bool names_kinds(const ast_stmt *body) {
  for (const ast_stmt *st = body; st; st = st->next)
    if (st->kind == ST_PART && st->part->kind_name) return true;
  return false;
}

/* Every part whose parts name kinds: its points, once per kind it applies to. */
static void budget_parts(ck *c, const ast_stmt *body, int nlabels) {
  for (const ast_stmt *st = body; st; st = st->next) {
    if (st->kind != ST_PART) continue;
    const ast_part *p = st->part;
    budget_parts(c, p->body, nlabels);
    if (!names_kinds(p->body) || p->points_word || p->points_bad) continue;
    for (int l = 0; l < nlabels; l++)
      if (applies(p, l))
        budget(c, p->body, p, l, p->points, p->points_loc,
               arena_printf(c->arena, "the %s of %s '%s'", p->kind == PART_CATEGORY ? "indicators" : "items",
                            diag_tr(vocab_part_kind_name(p->kind)), p->id),
               arena_printf(c->arena, "its %s points", names_points(c, p->points)));
  }
}

/* Resolves every `for`, then proves the budget for each kind (after
   points.c, which skipped the sums that hold per kind). */
void kinds_check(ck *c, ast_scheme *s) {
  int errors = c->diags->errors;
  bool any = false;
  for (int p = 0; p < s->nparts; p++) /* an index: part_at is NULL in a scheme without parts */
    if (s->part_at[p]->kind_name) {
      any = true;
      resolve(c, s, s->part_at[p]);
    }
  if (!any || c->diags->errors != errors || s->broken || s->total_bad) return;
  int nlabels = s->kind_input->nlabels;
  if (s->total_derived) {
    diag_error(c->diags, R0345, s->total_loc, "a scheme whose parts apply by kind states its total ('total unknown' cannot hold for every kind)");
    return;
  }
  budget_parts(c, s->body, nlabels);
  if (s->has_total)
    for (int l = 0; l < nlabels; l++)
      budget(c, s->body, NULL, l, s->total, s->total_loc, "the scheme's categories and indicators",
             arena_printf(c->arena, "the declared total %s", names_points(c, s->total)));
}

/* The kind an example gives (the label's index), or -1 when it gives none. */
int kinds_of_example(const ast_scheme *s, const ast_example *ex) {
  for (const ast_given *g = ex->items; g; g = g->next)
    if (!g->expect && s->kind_input && g->input == s->kind_input && g->vals && g->nvals >= 1 && g->vals[0] == g->vals[0])
      return (int)g->vals[0];
  return -1;
}

static bool mark_input(const ast_expr *e, void *mark) {
  if (e->kind == EX_NAME && e->name.ref == REF_INPUT) ((unsigned char *)mark)[e->name.input->index] = 1;
  return false;
}

/* What an example of kind L must give to check WHOSE (a part; NULL: the
   total): the inputs read by the parts within it that apply to L (a part
   that does not apply is not evaluated, so what only it reads is not
   needed), and the kind itself. Marks MARK[i] for input i. */
void kinds_reads_for(const ast_scheme *s, const ast_part *whose, int l, unsigned char *mark) {
  mark[s->kind_input->index] = 1;
  for (int p = 0; p < s->nparts; p++) {
    const ast_part *part = s->part_at[p], *up = part;
    while (whose && up && up != whose) up = up->parent;
    if ((whose && !up) || !applies(part, l)) continue;
    bool leaf = true;
    for (const ast_stmt *st = part->body; st && leaf; st = st->next) leaf = st->kind != ST_PART;
    if (leaf) /* its rule's reads, through lets and forms */
      for (int k = 0; k < part->nuses; k++) mark[part->uses[k]] = 1;
    else if (part->score) /* a rule that adjusts its items' sum */
      ast_any(part->score, mark_input, mark);
  }
}

/* `expect P ...` in an example that gives the kind: P must apply to it (a
   part that does not apply has no score to expect; spec/semantics.md). */
void kinds_check_expect(ck *c, const ast_example *ex, const ast_given *expect) {
  ast_scheme *s = c->scheme;
  for (const ast_given *g = ex->items; g; g = g->next) {
    if (g->expect || g->input != s->kind_input || !g->vals || g->nvals < 1 || g->vals[0] != g->vals[0]) continue;
    int l = (int)g->vals[0];
    if (applies(expect->part, l)) return;
    const ast_arg *label = s->kind_input->labels;
    for (int k = 0; k < l && label; k++) label = label->next;
    diag_error(c->diags, R0347, expect->name_loc,
               "%s '%s' does not apply to %s, the kind this example gives: it has no score to expect (remove this 'expect')",
               diag_tr(vocab_part_kind_name(expect->part->kind)), expect->part->path, label ? label->name : "?");
    return;
  }
}
