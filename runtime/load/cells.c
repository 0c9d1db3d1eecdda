/* cells.c: one cell to its input's value, and the per-entity columns of a
 * batch: an entity's own cells, or its parent's (loader.h).
 */
#include <stdlib.h>

#include "cell.h"
#include "loader.h"

bool load_cell(loader *L, const csv_table *t, size_t r, const char *entity, const sc_input *in, rb_fixed *out) {
  const char *text = csv_cell(t, r, (size_t)csv_column(t, in->name));
  cell_status st = in->type == IN_YESNO ? cell_yesno(text, out) : cell_number(text, out);
  if (st == CELL_EMPTY) {
    if (in->missing != MISS_ERROR) {
      *out = scheme_empty_value(in);
      return true;
    }
    load_problem(L, R1106, t->path, t->line[r], entity, in->name,
                 "entity '%s', column '%s': missing value (the scheme gives no default for '%s')", entity, in->name,
                 in->name);
    return false;
  }
  if (st == CELL_PRECISION || st == CELL_RANGE) {
    load_problem(L, R1104, t->path, t->line[r], entity, in->name, "entity '%s', column '%s': '%s' %s", entity, in->name,
                 text, st == CELL_PRECISION ? diag_tr("has more than 18 decimals") : diag_tr("is too large: numbers are under 10^20"));
    return false;
  }
  if (st == CELL_BAD) {
    load_problem(L, R1104, t->path, t->line[r], entity, in->name, "entity '%s', column '%s': '%s' is not %s", entity,
                 in->name, text, in->type == IN_YESNO ? diag_tr("yes/no (1, 0, yes, no, true, false, 是, 否)")
                                                       : diag_tr("a number"));
    return false;
  }
  char buf[160];
  const char *why = scheme_input_value(in, *out, buf, sizeof buf);
  if (why) {
    load_problem(L, R1105, t->path, t->line[r], entity, in->name, "entity '%s', column '%s': '%s' %s", entity,
                 in->name, text, why);
    return false;
  }
  return true;
}

/* A `from parent` input's value for every parent someone reads: a parent's
   cell is read (and reported) once, however many entities it has. Returns
   a malloc'd array by parent holder - n. */
static rb_fixed *parent_values(loader *L, const holders *H, const sc_input *in) {
  size_t np = H->nh - H->n + 1;
  rb_fixed *val = malloc(np * sizeof *val);
  unsigned char *read = calloc(np, 1);
  if (!val || !read) abort();
  for (size_t r = 0; r < H->n; r++) {
    size_t h = H->parent_holder[r];
    if (h == (size_t)-1 || read[h - H->n]) continue;
    read[h - H->n] = 1;
    val[h - H->n] = FIXED_ERROR;
    load_cell(L, H->tab[h], H->row[h], H->id[h], in, &val[h - H->n]);
  }
  free(read);
  return val;
}

void load_entity_columns(loader *L, const holders *H, const csv_table *t, rb_batch *b) {
  const sc_scheme *s = L->s;
  size_t n = b->n;
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    size_t len = n * (size_t)(in->periodic ? s->nperiods : 1);
    b->column[i] = malloc((len ? len : 1) * sizeof(rb_fixed));
    if (!b->column[i]) abort();
    for (size_t k = 0; k < len; k++) b->column[i][k] = FIXED_ERROR; /* overwritten or reported */
    if (in->periodic) continue; /* periods.c */
    rb_fixed *parent_val = in->from_parent ? parent_values(L, H, in) : NULL;
    for (size_t r = 0; r < n; r++) {
      if (map_get(&H->ids, b->id[r]) != (long)r) continue; /* a duplicate id, reported already */
      if (!in->from_parent) load_cell(L, t, H->row[r], b->id[r], in, &b->column[i][r]);
      else if (H->parent_holder[r] != (size_t)-1) b->column[i][r] = parent_val[H->parent_holder[r] - H->n];
    }
    free(parent_val);
  }
}
