/* periods.c: the periods table: each row's cells joined to its entity or
 * parent, and what a period with no row means (loader.h).
 */
#include <stdlib.h>

#include "cell.h"
#include "loader.h"

/* One period row: which holder, which period, and its per-period cells
   into vals[i][p*nh + h]. SEEN[h*m + p] is the line that gave holder h's
   period p, 0 if none yet. */
static void period_row(loader *L, const holders *H, const csv_table *t, size_t r, const char *id, long *seen,
                       rb_fixed **vals, const char *entities_path) {
  const sc_scheme *s = L->s;
  int m = s->nperiods;
  size_t cper = (size_t)csv_column(t, s->period);
  long h = map_get(&H->ids, id);
  if (h < 0) {
    load_problem(L, R1108, t->path, t->line[r], id, "id", "id '%s' has no row in %s", id, entities_path);
    return;
  }
  rb_fixed pf;
  const char *ptext = csv_cell(t, r, cper);
  bool whole = cell_number(ptext, &pf) == CELL_OK && pf % FIXED_ONE == 0;
  long long pv = whole ? (long long)(pf / FIXED_ONE) : 0;
  if (!whole || pv < s->period_first || pv > s->period_last) {
    load_problem(L, R1104, t->path, t->line[r], id, s->period, "column '%s': '%s' is not a %s from %d to %d", s->period,
                 ptext, s->period, s->period_first, s->period_last);
    return;
  }
  size_t p = (size_t)(pv - s->period_first);
  long *slot = &seen[(size_t)h * (size_t)m + p];
  if (*slot) {
    load_problem(L, R1109, t->path, t->line[r], id, s->period,
                 "entity '%s' has a second row for %s %d (the first is on line %ld)", id, s->period, (int)pv, *slot);
    return;
  }
  *slot = t->line[r];
  bool parent = (size_t)h >= H->n;
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    /* an entity's own per-period inputs, and a parent's `from parent` ones */
    if (in->periodic && in->from_parent == parent && csv_column(t, in->name) >= 0)
      load_cell(L, t, r, id, in, &vals[i][p * H->nh + (size_t)h]);
  }
}

/* A period with no row: each per-period input's `missing` rule decides. */
static void absent_periods(loader *L, const holders *H, const csv_table *t, const long *seen, rb_fixed **vals,
                           const rb_batch *b) {
  const sc_scheme *s = L->s;
  int m = s->nperiods;
  bool per_parent = false;
  for (int i = 0; i < s->ninputs; i++) per_parent |= s->inputs[i].periodic && s->inputs[i].from_parent;
  unsigned char *needed = NULL; /* parent holders whose period rows are read */
  if (per_parent && H->parent_holder) {
    needed = calloc(H->nh - H->n + 1, 1);
    if (!needed) abort();
    for (size_t r = 0; r < b->n; r++)
      if (H->parent_holder[r] != (size_t)-1) needed[H->parent_holder[r] - H->n] = 1;
  }
  for (size_t h = 0; h < H->nh; h++) {
    bool parent = h >= H->n;
    if (!parent && map_get(&H->ids, b->id[h]) != (long)h) continue; /* a duplicate id, reported already */
    if (parent && !(needed && needed[h - H->n])) continue; /* only parents someone reads per period need rows */
    int missing = 0, first = -1;
    for (int p = 0; p < m; p++) {
      if (seen[h * (size_t)m + (size_t)p]) continue;
      bool fails = false;
      for (int i = 0; i < s->ninputs; i++) {
        const sc_input *in = &s->inputs[i];
        if (!in->periodic || in->from_parent != parent) continue;
        if (in->missing == MISS_ERROR) fails = true;
        else vals[i][(size_t)p * H->nh + h] = scheme_empty_value(in);
      }
      if (fails) {
        if (first < 0) first = p;
        missing++;
      }
    }
    if (missing) {
      const char *id = H->id[h];
      const char *more = missing > 1 ? diag_tr(" and other periods") : "";
      if (parent)
        load_problem(L, R1109, t->path, 0, id, NULL, "parent '%s' (%s line %ld) has no row for %s %d%s", id,
                     H->tab[h]->path, H->tab[h]->line[H->row[h]], s->period, first + s->period_first, more);
      else
        load_problem(L, R1109, t->path, 0, id, NULL, "entity '%s' (%s line %ld) has no row for %s %d%s", id,
                     H->tab[h]->path, H->tab[h]->line[H->row[h]], s->period, first + s->period_first, more);
    }
  }
  free(needed);
}

void load_periods(loader *L, const holders *H, const char *path, rb_batch *b) {
  const sc_scheme *s = L->s;
  int m = s->nperiods;
  char err[1024];
  csv_fault fault;
  csv_table *t = csv_read_ex(path, err, sizeof err, &fault);
  if (!t) {
    load_csv_error(L, path, err, fault);
    return;
  }
  /* values per holder first (parents too), then each entity's to the batch */
  rb_fixed **vals = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *vals);
  if (!vals) abort();
  for (int i = 0; i < s->ninputs; i++) {
    if (!s->inputs[i].periodic) continue;
    vals[i] = malloc(H->nh * (size_t)m * sizeof(rb_fixed) + sizeof(rb_fixed));
    if (!vals[i]) abort();
    for (size_t k = 0; k < H->nh * (size_t)m; k++) vals[i][k] = FIXED_ERROR;
  }
  bool ok = load_need_column(L, t, "id", diag_tr("the entity each row belongs to"));
  ok &= load_need_column(L, t, s->period, diag_tr("which period the row is for"));
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].periodic)
      ok &= load_need_column(L, t, s->inputs[i].name, s->inputs[i].title ? s->inputs[i].title : diag_tr("a per-period input"));
  if (ok) {
    long *seen = calloc(H->nh * (size_t)m + 1, sizeof *seen);
    if (!seen) abort();
    size_t cid = (size_t)csv_column(t, "id");
    for (size_t r = 0; r < t->nrows; r++) {
      char *id = load_trimmed(csv_cell(t, r, cid));
      period_row(L, H, t, r, id, seen, vals, b->entities_path);
      free(id);
    }
    absent_periods(L, H, t, seen, vals, b);
    free(seen);
  }
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    if (!in->periodic) continue;
    for (size_t r = 0; r < b->n; r++) {
      size_t h = in->from_parent ? (H->parent_holder ? H->parent_holder[r] : (size_t)-1) : r;
      if (h == (size_t)-1) continue;
      for (int p = 0; p < m; p++) b->column[i][(size_t)p * b->n + r] = vals[i][(size_t)p * H->nh + h];
    }
    free(vals[i]);
  }
  free(vals);
  csv_free(t);
}
