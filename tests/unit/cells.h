/* cells.h: the input table the generated code reads (abi.h), made in unit
 * tests from plain numbers: each input's values put into a column of
 * its cells (abi.h, abi_cell_of; runtime/narrow.h), as the loader puts them. Include after
 * cmocka.h. */
#ifndef RUBRIC_TEST_CELLS_H
#define RUBRIC_TEST_CELLS_H
#include <stdlib.h>

#include "narrow.h"
#include "scheme.h"

/* IN[i] holds input i of S for N rows (a per-period input: period p of
   row r at p * N + r). The calendar's entry is NULL. Free with
   cells_table_free. */
static inline const void **cells_table(const sc_scheme *s, const rb_fixed *const *in, size_t n) {
  const void **t = calloc((size_t)s->ninputs + 1, sizeof *t);
  assert_non_null(t);
  for (int i = 0; i < s->ninputs; i++) {
    size_t m = n * (size_t)(s->inputs[i].periodic ? s->nperiods : 1);
    rb_cells *col = narrow_column(m, abi_cell_of(s->inputs[i].type));
    assert_non_null(col);
    for (size_t k = 0; k < m; k++) narrow_put(col, k, in[i][k]);
    t[i] = col;
  }
  return t;
}

static inline void cells_table_free(const sc_scheme *s, const void **t) {
  for (int i = 0; i < s->ninputs; i++) narrow_free((rb_cells *)t[i]);
  free(t);
}

#endif
