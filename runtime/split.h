/* split.h: rows cut into contiguous parts, one per thread, for loading the
 * tables (load/cells.c, load/periods.c) and for scoring (score.c).
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

#endif
