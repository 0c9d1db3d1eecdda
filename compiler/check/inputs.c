/* inputs.c: each input's declaration: its name, type, period, range,
 * where its value comes from and what an empty cell means (ck.h). The
 * range and value questions are asked again of the checked scheme
 * (scheme.h) by the runtime; here they check the declaration itself.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ck.h"

/* `one of { A级, B级 }`: the words, and labels that are there, once each. */
static void check_labels(ck *c, ast_input *in) {
  if (!in->labels_word) {
    diag_error(c->diags, R0317, in->type_loc, "'%s' takes one of a set of labels: write 'one of { A级, B级, C级 }'", in->name);
    return;
  }
  if (strcmp(in->type, "one") || strcmp(in->labels_word, "of"))
    diag_error(c->diags, R0317, in->type_loc, "write 'one of { ... }' for an input that takes one of a set of labels");
  if (!in->labels)
    diag_error(c->diags, R0317, in->labels_loc, "'%s' lists no labels: write them between the braces, e.g. 'one of { A级, B级 }'",
               in->name);
  name_table *seen = NULL;
  for (ast_arg *l = in->labels; l; l = l->next) {
    if (!l->name[strspn(l->name, " \t")]) {
      diag_error(c->diags, R0317, l->name_loc, "a label cannot be empty");
      continue;
    }
    ast_arg *first = names_table_put(c, &seen, l->name, l);
    if (first) diag_error(c->diags, R0303, l->name_loc, "label '%s' is listed twice (first on line %d)", l->name,
                          first->name_loc.first_line);
  }
  if (in->has_lo || in->has_hi)
    diag_error(c->diags, R0310, in->range_loc, "an input of labels takes no range: its values are its labels");
}

void inputs_check(ck *c, ast_input *in) {
  ast_scheme *s = c->scheme;
  ast_input *first = names_input(s, in->name); /* registered in declaration order by the driver */
  if (first != in) {
    diag_error(c->diags, R0303, in->name_loc, "input '%s' is already declared on line %d", in->name,
               first->name_loc.first_line);
    diag_note(c->diags, first->name_loc, "the first '%s' is here", in->name);
  }
  names_plain(c, in->name, in->name_loc);
  if (names_reserved(in->name) || (s->period && !strcmp(in->name, s->period)))
    diag_error(c->diags, R0304, in->name_loc, "'%s' names a key column of the data; choose another input name", in->name);
  int t = -1;
  for (int i = 0; i < IN_NAMED_TYPES; i++)
    if (!strcmp(in->type, vocab_input_type_name((input_type)i))) t = i;
  if (!strcmp(in->type, vocab_input_type_name(IN_DATE))) t = IN_DATE;
  if (in->labels_word || !strcmp(in->type, "one")) {
    check_labels(c, in);
    t = IN_LABEL;
  } else if (t < 0) {
    suggestion sg = {in->type, NULL, 99};
    for (int i = 0; i < IN_NAMED_TYPES; i++) names_suggest(&sg, vocab_input_type_name((input_type)i));
    names_suggest(&sg, vocab_input_type_name(IN_DATE));
    diag_error(c->diags, R0308, in->type_loc,
               "unknown input type '%s' (use count, number, fraction, money, rank, yesno, assessed or one of { ... })%s",
               in->type, names_did_you_mean(c, &sg));
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
  if (in->for_word && (in->tkind != IN_ASSESSED || strcmp(in->for_word, "for")))
    diag_error(c->diags, R0313, in->for_loc, in->tkind == IN_ASSESSED
                   ? N_("write 'assessed for PART' to name the part whose points an assessed input gives")
                   : N_("only an assessed input names its part ('assessed for PART')"));
  if (in->tkind == IN_ASSESSED && in->per)
    diag_error(c->diags, R0309, in->per_loc, "an assessed input is one score per entity, given to one part: it has no period");
  if (in->tkind == IN_DATE && (in->has_lo || in->has_hi)) {
    diag_error(c->diags, R0330, in->range_loc, "a date input takes no range: compare it with another date in a rule");
    in->has_lo = in->has_hi = false;
  }
  if (in->tkind == IN_DATE && in->missing == MISS_VALUE) {
    diag_error(c->diags, R0330, in->missing_loc,
               "a date input has no default value: an empty cell is an error, or fixed points ('missing scores N')");
    return;
  }
  if (in->has_lo || in->has_hi) {
    if (in->tkind == IN_YESNO) diag_error(c->diags, R0310, in->range_loc, "a yes/no input takes no range");
    if (in->tkind == IN_ASSESSED)
      diag_error(c->diags, R0310, in->range_loc, "an assessed input's range is 0 to the points of the part that reads it: it takes none of its own");
    double lo, hi; /* one declared end against the type's other end, too */
    check_input_bounds(in, &lo, &hi);
    if (lo > hi)
      diag_error(c->diags, R0310, in->range_loc, "the range is empty: its low end is above its high end");
  }
  if (in->from && strcmp(in->from, "parent"))
    diag_error(c->diags, R0313, in->from_loc, "'from %s': an input can only come 'from parent'", in->from);
  if (in->from_parent) s->uses_parent = true;
  if (in->column_word && strcmp(in->column_word, "column"))
    diag_error(c->diags, R0313, in->column_loc, "'%s \"%s\"': write 'column \"...\"' to name the input's column in the data",
               in->column_word, in->column);
  else if (in->column && !in->column[strspn(in->column, " \t")])
    diag_error(c->diags, R0313, in->column_loc, "the column's name is empty");
  if (in->tkind == IN_LABEL && in->missing == MISS_ERROR && in->missing_word && strcmp(in->missing_word, "error")) {
    int k = names_label(in, in->missing_word); /* `missing C级`: an empty cell is that label */
    if (k >= 0) {
      in->missing = MISS_VALUE;
      in->missing_value = dec_from_int(k);
      return;
    }
    diag_error(c->diags, R0317, in->missing_loc, "'missing %s': '%s' is not one of the labels of '%s'", in->missing_word,
               in->missing_word, in->name);
    return;
  }
  if (in->tkind == IN_LABEL && in->missing == MISS_VALUE) {
    diag_error(c->diags, R0313, in->missing_loc, "'%s' takes labels: an empty cell is one of them ('missing %s'), an error or fixed points",
               in->name, in->labels ? in->labels->name : "A");
    return;
  }
  switch (in->missing) {
  case MISS_ERROR:
    if (in->missing_word && strcmp(in->missing_word, "error"))
      diag_error(c->diags, R0313, in->missing_loc,
                 "'missing %s': write 'missing error', 'missing' and a value, 'missing scores N' or 'missing scores full'",
                 in->missing_word);
    break;
  case MISS_VALUE: {
    if (in->missing_word && in->tkind != IN_YESNO) { /* `missing yes` on a number */
      diag_error(c->diags, R0313, in->missing_loc, "'missing %s' is for a yes/no input; '%s' is %s %s: give a number",
                 in->missing_word, in->name, names_a_an(in->type), in->type);
      break;
    }
    char buf[160];
    double v = dec_to_double(in->missing_value);
    const char *why = in->tkind == IN_YESNO ? (v == 0 || v == 1 ? NULL : "must be 0 or 1")
                                            : check_input_value(in, in->missing_value, buf, sizeof buf);
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

void inputs_bind_assessed(ck *c, ast_scheme *s) {
  for (ast_input *in = s->inputs; in; in = in->next) {
    if (in->tkind != IN_ASSESSED || in->has_lo || in->has_hi) continue;
    ast_part *reader = NULL, *named = NULL;
    if (in->for_part) {
      named = names_part(s, in->for_part);
      if (!named || named->kind == PART_TARGET || named->nchildren) {
        suggestion sg = {in->for_part, NULL, 99};
        for (int p = 0; p < s->nparts; p++)
          if (!s->part_at[p]->nchildren && s->part_at[p]->kind != PART_TARGET) names_suggest(&sg, s->part_at[p]->path);
        diag_error(c->diags, R0313, in->for_loc, "'assessed for %s': %s%s", in->for_part,
                   named ? diag_tr("an assessed input gives the points of an indicator or item with its own rule")
                         : diag_tr("no indicator or item has that id"),
                   names_did_you_mean(c, &sg));
        continue;
      }
    }
    for (int p = 0; p < s->nparts; p++) {
      ast_part *part = s->part_at[p];
      if (part->nchildren || part->kind == PART_TARGET) continue;
      bool reads = false;
      for (int k = 0; k < part->nuses && !reads; k++) reads = part->uses[k] == in->index;
      if (!reads) continue;
      if (reader) {
        diag_error(c->diags, R0313, in->name_loc,
                   "assessed input '%s' gives the points of one part, and %s '%s' and %s '%s' both read it: give each its own",
                   in->name, diag_tr(vocab_part_kind_name(reader->kind)), reader->path,
                   diag_tr(vocab_part_kind_name(part->kind)), part->path);
        break;
      }
      reader = part;
    }
    if (named && reader && reader != named) {
      diag_error(c->diags, R0313, in->name_loc, "assessed input '%s' is for %s '%s', but %s '%s' reads it",
                 in->name, diag_tr(vocab_part_kind_name(named->kind)), named->path, diag_tr(vocab_part_kind_name(reader->kind)),
                 reader->path);
      continue;
    }
    if (named) reader = named;
    if (!reader) continue; /* unused: hygiene says so */
    in->has_lo = in->has_hi = true;
    in->lo = dec_from_int(0);
    in->hi = reader->points;
    in->assessed_part = reader;
  }
}
