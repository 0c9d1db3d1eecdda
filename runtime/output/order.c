/* order.c: the rows of a scores table in ranking order (scores.h), for
 * `--sort rank` and the sheets and reports people read top down. The order
 * depends only on the rows' values, never on the order they were read in. */
#include <stdlib.h>
#include <string.h>

#include "scores.h"

/* qsort has no context argument: the table being sorted, one sort at a time
   per thread. */
static _Thread_local struct {
  const rb_scores *sc;
  const rb_batch *b;
  const rb_fixed *total;
} by;

static int cmp_rank(const void *pa, const void *pb) {
  size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
  const rb_batch *b = by.b;
  if (b->group[x] != b->group[y]) return strcmp(b->parent[x], b->parent[y]); /* groups differ by parent */
  bool ix = !fixed_is_number(by.total[x]), iy = !fixed_is_number(by.total[y]);
  if (ix != iy) return ix ? 1 : -1; /* incomplete rows have no rank: last */
  if (!ix && by.sc->rank[x] != by.sc->rank[y]) return by.sc->rank[x] < by.sc->rank[y] ? -1 : 1;
  return strcmp(b->id[x], b->id[y]); /* ids are unique */
}

size_t *write_rank_order(const rb_scores *sc, const sc_scheme *s, const rb_batch *b) {
  size_t *order = malloc((sc->n ? sc->n : 1) * sizeof *order);
  if (!order) abort();
  for (size_t r = 0; r < sc->n; r++) order[r] = r;
  by.sc = sc, by.b = b, by.total = sc->column[abi_out_total(s)];
  qsort(order, sc->n, sizeof *order, cmp_rank);
  by.sc = NULL, by.b = NULL, by.total = NULL;
  return order;
}
