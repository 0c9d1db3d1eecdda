/* hygiene.c: what a reviewer would ask of a scheme that checked clean:
 * is every input read, and exercised by an example; is every indicator
 * checked by one; is every title distinct among its siblings (ck.h)?
 */
#include <string.h>

#include "ck.h"

void hygiene_unused_inputs(ck *c, ast_scheme *s) {
  unsigned char *used = names_inputs_read(c, s);
  for (ast_input *in = s->inputs; in; in = in->next)
    if (!used[in->index] && !in->assessed_part) /* an assessor's points beside the ones that count are shown */
      diag_warning(c->diags, R0901, in->name_loc, "input '%s' is never used", in->name);
}

void hygiene_check(ck *c, ast_scheme *s) {
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
    unsigned char *used = names_inputs_read(c, s);
    for (int i = 0; i < s->ninputs; i++) {
      if (used[i] && !given[i])
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
  /* the first part with each title under each parent */
  name_table *titles = NULL;
  for (int p = 0; p < s->nparts; p++) {
    ast_part *part = s->part_at[p];
    if (!part->title) continue;
    const char *key = arena_printf(c->arena, "%p\x1f%s", (void *)part->parent, part->title);
    ast_part *q = names_table_put(c, &titles, key, part);
    if (q)
      diag_warning(c->diags, R0905, part->id_loc, "%s '%s' has the same title as '%s' (line %d)",
                   diag_tr(vocab_part_kind_name(part->kind)), part->id, q->id, q->id_loc.first_line);
  }
}
