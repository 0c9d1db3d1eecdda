/* points.c: the parts of a scheme in source order: where each may stand,
 * its rule (types.c) or its items, which inputs it reads, and points that
 * add up exactly, part by part and to the declared total (ck.h).
 */
#include <string.h>

#include "ck.h"

/* Records which inputs an expression reads, through lets and forms. */
static void mark_uses(ck *c, ast_part *part, const ast_expr *e) { names_add_reads(c, &part->uses, &part->nuses, e); }

/* Children's points must add up exactly to the parent's (or the total). */
static void points_sum(ck *c, rb_decimal sum, rb_decimal want, rb_loc at, const char *children,
                             const char *whose) {
  int k = dec_cmp(sum, want);
  if (k == 0) return;
  rb_decimal diff;
  dec_sub(k < 0 ? want : sum, k < 0 ? sum : want, &diff);
  diag_error(c->diags, R0501, at, "the points of %s add up to %s, not %s (%s by %s)", children, names_points(c, sum), whose,
             k < 0 ? diag_tr("short") : diag_tr("over"), names_points(c, diff));
}

static void register_part(ck *c, ast_part *part, ast_part *parent) {
  part->parent = parent;
  part->path = parent && part->kind == PART_ITEM
                   ? arena_printf(c->arena, "%s.%s", parent->path, part->id)
                   : part->id;
  ast_scheme *s = c->scheme;
  ast_part *o = names_part(s, part->path);
  if (o) {
    diag_error(c->diags, R0303, part->id_loc, "duplicate id '%s': %s %s on line %d has it already", part->id,
               names_a_an(vocab_part_kind_name(o->kind)), diag_tr(vocab_part_kind_name(o->kind)), o->id_loc.first_line);
    diag_note(c->diags, o->id_loc, "the first '%s' is here", part->id);
  }
  if (names_reserved(part->id))
    diag_error(c->diags, R0304, part->id_loc, "'%s' names an output column; choose another id", part->id);
  names_plain(c, part->id, part->id_loc);
  /* targets and parts share one name space: an example's `expect` names either */
  ast_part *t = names_target(s, part->path);
  if (t)
    diag_error(c->diags, R0303, part->id_loc, "duplicate id '%s': target on line %d has it already", part->id,
               t->id_loc.first_line);
  names_add_part(c, part);
  if (part->kind == PART_TARGET) {
    part->index = CK_GROW(c, s->target_at, s->ntargets, s->cap_targets);
    s->target_at[part->index] = part;
  } else {
    if (s->nparts == CHECK_MAX_PARTS)
      diag_error(c->diags, R0204, part->loc, "more than %d parts (categories, indicators and items) in one scheme",
                 CHECK_MAX_PARTS);
    part->index = CK_GROW(c, s->part_at, s->nparts, s->cap_parts);
    s->part_at[part->index] = part;
  }
}

/* A target's rule: one comparison `value OP goal`, OP one of >= > <= <,
   then possibly `and` conditions that must hold too (a veto: `shared / due
   >= 90% and not 否决`). */
static void check_target_rule(ck *c, ast_part *part, ast_expr *rule, scope *sc) {
  rb_type t = types_check(c, rule, sc, NULL);
  part->score = rule;
  mark_uses(c, part, rule);
  if (!t.ok) return;
  const ast_expr *first = rule; /* `a and b and c` is `(a and b) and c`: the comparison is leftmost */
  while (first->kind == EX_BINARY && first->bin.op == OP_AND) first = first->bin.lhs;
  bool cmp = first->kind == EX_BINARY && (first->bin.op == OP_GE || first->bin.op == OP_GT ||
                                          first->bin.op == OP_LE || first->bin.op == OP_LT);
  if (!cmp) {
    diag_error(c->diags, R0314, rule->loc,
               "a target's rule is one comparison of a value with its goal, e.g. 'scenarios >= 20' (with >=, >, <= or <), "
               "then possibly 'and' conditions that must hold too");
    return;
  }
  if (t.periodic)
    diag_error(c->diags, R0404, rule->loc,
               "this target has one result per period; compare one value, e.g. latest(...) or sum(...)");
  ast_input *in = peer_reads_missing_scores(rule);
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
  for (int k = 0; k < part->nuses; k++) {
    ast_input *in = c->scheme->input_at[part->uses[k]];
    if (in->missing != MISS_POINTS && in->missing != MISS_FULL) continue;
    if (in->missing == MISS_POINTS && dec_cmp(in->missing_value, part->points) > 0)
      diag_error(c->diags, R0502, in->missing_loc, "an empty '%s' scores %s, but %s '%s' that reads it is worth %s",
                 in->name, names_points(c, in->missing_value), diag_tr(vocab_part_kind_name(part->kind)), part->id,
                 names_points(c, part->points));
    if (!first) {
      first = in;
    } else if (dec_cmp(first->missing == MISS_FULL ? part->points : first->missing_value,
                       in->missing == MISS_FULL ? part->points : in->missing_value)) {
      diag_error(c->diags, R0313, in->missing_loc,
                 "%s '%s' reads '%s' and '%s', whose empty cells give different points; give them the same 'missing' rule",
                 diag_tr(vocab_part_kind_name(part->kind)), part->id, first->name, in->name);
    }
  }
}

/* Whether E reads `items` (REF_ITEMS), through its lets. */
static bool reads_items_node(const ast_expr *e, void *ctx) {
  (void)ctx;
  return e->kind == EX_NAME && e->name.ref == REF_ITEMS;
}

static void points_part(ck *c, ast_part *part, ast_part *parent, scope *sc) {
  register_part(c, part, parent);
  bool has_items = false;
  for (ast_stmt *st = part->body; st; st = st->next) has_items |= st->kind == ST_PART;
  rb_decimal sum = dec_from_int(0);
  ast_stmt *score = NULL;
  bool broken = false; /* a syntax error inside: say nothing about what is missing */
  bool overflow = false; /* the sum of the items' points overflowed: reported once */
  for (ast_stmt *st = part->body; st; st = st->next) {
    switch (st->kind) {
    case ST_ERROR:
      broken = true;
      break;
    case ST_LET:
      if (part->kind == PART_CATEGORY)
        diag_error(c->diags, R0306, st->loc, "a 'let' in a category is not shared with its indicators; put it at scheme level");
      types_let(c, st, &sc, NULL);
      break;
    case ST_PART: {
      ast_part *child = st->part;
      bool fits = (part->kind == PART_CATEGORY && child->kind == PART_INDICATOR) ||
                  (part->kind == PART_CATEGORY && child->kind == PART_CATEGORY && child->section == SECTION_NONE &&
                   part->section == SECTION_NONE) ||
                  (part->kind != PART_CATEGORY && part->kind != PART_TARGET && child->kind == PART_ITEM);
      if (child->kind == PART_TARGET || part->kind == PART_TARGET) {
        diag_error(c->diags, R0314, child->loc, "%s '%s' cannot stand inside %s '%s'%s",
                   diag_tr(vocab_part_kind_name(child->kind)), child->id, diag_tr(vocab_part_kind_name(part->kind)), part->id,
                   child->kind == PART_TARGET ? " (targets stand at scheme level)" : " (a target holds one comparison)");
        break;
      }
      if (!fits) {
        diag_error(c->diags, R0306, child->loc, "%s '%s' cannot stand inside %s '%s'%s", diag_tr(vocab_part_kind_name(child->kind)),
                   child->id, diag_tr(vocab_part_kind_name(part->kind)), part->id,
                   part->kind == PART_CATEGORY ? " (a category holds indicators and categories)" : " (an indicator holds items)");
        break;
      }
      points_part(c, child, part, sc);
      part->nchildren++;
      if (!dec_add(sum, child->points, &sum) && !overflow) {
        overflow = true;
        diag_error(c->diags, R0501, part->points_loc, "the points of the %s of %s '%s' add up to more than can be held exactly",
                   part->kind == PART_CATEGORY ? "indicators" : "items", diag_tr(vocab_part_kind_name(part->kind)), part->id);
      }
      names_union(c, &part->uses, &part->nuses, child->uses, child->nuses);
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
        diag_error(c->diags, R0307, st->loc, "%s '%s' already has a score rule on line %d%s", diag_tr(vocab_part_kind_name(part->kind)),
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
        c->items_here = has_items && part->kind != PART_CATEGORY;
        rb_type t = types_check(c, st->value, sc, NULL);
        c->items_here = false;
        if (t.ok && t.is_bool)
          diag_error(c->diags, R0402, st->value->loc, "a score must be a number: write e.g. '%s if ..., 0 otherwise'",
                     names_points(c, part->points));
        else if (t.ok && t.labels)
          types_need_number(c, t, st->value, diag_tr("a score"));
        else if (t.ok && t.periodic)
          diag_error(c->diags, R0404, st->value->loc,
                     "this score has one value per period; reduce it to one with sum(...), mean(...), max(...) or count(...)");
        part->score = st->value;
        mark_uses(c, part, st->value);
        check_missing_points(c, part);
      }
      break;
    default:
      diag_error(c->diags, R0306, st->loc, "this declaration belongs at the top level of the scheme, not inside %s '%s'",
                 diag_tr(vocab_part_kind_name(part->kind)), part->id);
    }
  }
  if (part->points_word) { /* points unknown: its children's sum */
    if (strcmp(part->points_word, "unknown")) {
      diag_error(c->diags, R0307, part->points_loc,
                 part->kind == PART_CATEGORY ? N_("write 'points N', or 'points unknown' for the sum of its indicators")
                                             : N_("write 'points N', or 'points unknown' for the sum of its items"));
      part->points_bad = true;
    } else if (!part->nchildren) {
      if (!broken)
        diag_error(c->diags, R0307, part->points_loc,
                   part->kind == PART_CATEGORY
                       ? N_("%s '%s' has no indicators to add up: state its points ('points unknown' is for a part with indicators)")
                       : N_("%s '%s' has no items to add up: state its points ('points unknown' is for a part with items)"),
                   diag_tr(vocab_part_kind_name(part->kind)), part->id);
      part->points_bad = true;
    } else {
      part->points = sum;
    }
  }
  if (score && part->nchildren && !ast_any(score->value, reads_items_node, NULL))
    diag_error(c->diags, R0307, score->loc,
               "%s '%s' has items, so its score is their sum; move this rule into an item, or adjust their sum with 'items' (e.g. 'items - 2 * cases')",
               diag_tr(vocab_part_kind_name(part->kind)), part->id);
  if (!score && !part->nchildren && !broken)
    diag_error(c->diags, R0307, part->id_loc, "%s '%s' has no %s", diag_tr(vocab_part_kind_name(part->kind)), part->id,
               part->kind == PART_CATEGORY ? "indicators" : "score rule");
  bool bad = part->points_bad;
  for (ast_stmt *st = part->body; st; st = st->next)
    if (st->kind == ST_PART) bad |= st->part->points_bad;
  /* a section's points are its cap: its indicators may offer more (加分最高 10 分) */
  bool per_kind = false; /* its parts apply to some kinds: the budget holds per kind (kinds.c) */
  for (ast_stmt *st = part->body; st; st = st->next) per_kind |= st->kind == ST_PART && st->part->kind_name;
  if (part->nchildren && !overflow && !bad && part->section == SECTION_NONE && !part->points_word && !per_kind)
    points_sum(c, sum, part->points, part->points_loc,
                     arena_printf(c->arena, "the %s of %s '%s'", part->kind == PART_CATEGORY ? "indicators" : "items",
                                  diag_tr(vocab_part_kind_name(part->kind)), part->id),
                     arena_printf(c->arena, "its %s points", names_points(c, part->points)));
}

/* Whether E reads a peer statistic. */
static bool reads_peers(ck *c, const ast_scheme *s, const ast_expr *e) {
  unsigned char *stats = arena_alloc(c->arena, (size_t)(s->nstats ? s->nstats : 1));
  peer_mark_stats(e, stats);
  for (int i = 0; i < s->nstats; i++)
    if (stats[i]) return true;
  return false;
}

/* `require condition "message"`: one yes/no per entity, of its own data
   (no peer statistic: a constraint holds row by row, spec/semantics.md). */
static void check_requirement(ck *c, ast_scheme *s, ast_stmt *st, scope *sc) {
  int i = CK_GROW(c, s->require_at, s->nrequires, s->cap_requires);
  s->require_at[i] = st;
  int n = s->nrequires;
  int **uses = arena_alloc(c->arena, sizeof *uses * (size_t)n);
  int *nuses = arena_alloc(c->arena, sizeof *nuses * (size_t)n);
  if (i) {
    memcpy(uses, s->require_uses, sizeof *uses * (size_t)i);
    memcpy(nuses, s->nrequire_uses, sizeof *nuses * (size_t)i);
  }
  uses[i] = NULL;
  nuses[i] = 0;
  s->require_uses = uses;
  s->nrequire_uses = nuses;
  rb_type t = types_check(c, st->value, sc, NULL);
  names_add_reads(c, &uses[i], &nuses[i], st->value);
  if (!st->name || !st->name[0])
    diag_error(c->diags, R0316, st->loc, "say what the requirement means for the data: require ... \"message\"");
  if (!t.ok) return;
  if (!t.is_bool)
    diag_error(c->diags, R0316, st->value->loc,
               "a requirement is a condition the data must meet, e.g. 'require done <= assigned \"...\"'");
  else if (t.periodic)
    diag_error(c->diags, R0404, st->value->loc,
               "this requirement has one result per period; require one condition, e.g. with count(...) == 0 or sum(...)");
  else if (reads_peers(c, s, st->value))
    diag_error(c->diags, R0316, st->value->loc, "a requirement holds for each entity's own data: it cannot read its peers");
}

/* The statements at scheme level: lets in scope for what follows them, and
   the top-level parts (an item there is misplaced). */
void points_check_parts(ck *c, ast_scheme *s) {
  scope *sc = NULL;
  for (ast_stmt *st = s->body; st; st = st->next) {
    if (st->kind == ST_LET) {
      types_let(c, st, &sc, NULL);
      continue;
    }
    if (st->kind == ST_REQUIRE) {
      check_requirement(c, s, st, sc);
      continue;
    }
    ast_part *p = st->part;
    if (p->kind == PART_ITEM) {
      diag_error(c->diags, R0306, p->loc, "item '%s' belongs inside an indicator", p->id);
      continue;
    }
    points_part(c, p, NULL, sc);
  }
  if (s->total_derived) { /* total unknown: the base parts' points, for the grades, examples and proof after */
    rb_decimal sum = dec_from_int(0);
    for (ast_stmt *st = s->body; st; st = st->next)
      if (st->kind == ST_PART && st->part->kind != PART_ITEM && st->part->kind != PART_TARGET &&
          st->part->section == SECTION_NONE)
        (void)dec_add(sum, st->part->points, &sum); /* an overflow is reported with the budget (points_check_total) */
    s->total = sum;
  }
}

/* The top-level categories and indicators add up to the declared total. */
void points_check_total(ck *c, ast_scheme *s) {
  rb_decimal sum = dec_from_int(0);
  int top = 0;
  bool overflow = false, per_kind = false; /* parts for some kinds: the budget holds per kind (kinds.c) */
  for (ast_stmt *st = s->body; st; st = st->next) {
    if (st->kind != ST_PART || st->part->kind == PART_ITEM || st->part->kind == PART_TARGET) continue;
    if (st->part->section != SECTION_NONE) continue; /* beside the total, not in it */
    if (!dec_add(sum, st->part->points, &sum)) overflow = true;
    if (st->part->points_bad) s->broken = true; /* reported: the budget proves nothing */
    if (st->part->kind_name) per_kind = true;
    top++;
  }
  if (s->broken || s->total_bad) {
    /* after a syntax error the parts are incomplete: their sums prove nothing */
  } else if (top == 0 && s->ntargets > 0 && !s->has_total) {
    /* a checklist of targets: nothing to add up */
  } else if (!s->has_total)
    diag_error(c->diags, R0311, s->id_loc, "scheme '%s' declares no total (add e.g. 'total 100')", s->id);
  else if (top == 0)
    diag_error(c->diags, R0311, s->id_loc, "scheme '%s' has no indicators", s->id);
  else if (overflow)
    diag_error(c->diags, R0501, s->total_loc, "the points of the scheme's categories and indicators add up to more than can be held exactly");
  else if (!s->total_derived && !per_kind) /* a derived total is their sum: nothing to prove */
    points_sum(c, sum, s->total, s->total_loc, "the scheme's categories and indicators",
               arena_printf(c->arena, "the declared total %s", names_points(c, s->total)));
}
