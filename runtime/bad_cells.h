/* bad_cells.h: the scores of entities whose data had bad cells, kept by
 * `rubric score --partial-data` (rb_tables.partial, batch.h).
 */
#ifndef RUBRIC_BAD_CELLS_H
#define RUBRIC_BAD_CELLS_H
#include "batch.h"
#include "score.h"

/* Once the native code has scored B (B->bad set): every part and target
   that reads a bad cell of its row, or a peer statistic of a group where
   some entity's argument reads one,
   becomes ABI_DATA_ERROR (abi.h), and so do the parts above it, the grades
   on them, and the total of every row with a bad cell or such a part; the
   cells are named in SC->data_error. */
void bad_cells_apply(rb_scores *sc, const sc_scheme *s, const rb_batch *b);

#endif
