/* split.h: rows cut into contiguous parts, one per thread, or into blocks
 * the parts take in turn, for loading the tables (load/cells.c,
 * load/periods.c) and for scoring (score.c).
 *
 * Each part works only on its own rows, so what it writes comes out the
 * same whatever the number of parts; what must follow row order (messages)
 * is done afterwards on one thread.
 */
#ifndef RUBRIC_SPLIT_H
#define RUBRIC_SPLIT_H
#include <stddef.h>

/* The work of part PART: rows FROM to TO - 1. */
typedef void rb_range_fn(void *ctx, int part, size_t from, size_t to);
enum { RB_MAX_PARTS = 64 };

/* Runs WORK over rows 0..N-1 cut into parts: RUBRIC_THREADS parts when set
   (1 to 64), else one per online core with at least MIN_ROWS rows each;
   part 0 on the calling thread, and any part whose thread cannot start
   there too. Returns the number of parts (at least 1). */
int rb_split(size_t n, size_t min_rows, rb_range_fn *work, void *ctx);

/* The same parts, but the rows cut into blocks that the parts take in
   turn, so that they end together though one runs slower (a busier core,
   more fresh pages to write): blocks of at most MOST_ROWS rows, fewer
   when that leaves a part under 8 of them, but never under MIN_ROWS (the
   last may be shorter). WORK runs once per block, given the part that
   took it: a part's result accumulates over its blocks. No block when N
   is 0. Returns the number of parts. */
int rb_split_blocks(size_t n, size_t min_rows, size_t most_rows, rb_range_fn *work, void *ctx);

#endif
