/*
** rows.h — a table's rows formatted on every core, written in order.
**
** Formatting numbers is the cost of writing a large table, and rows are
** independent: pieces of rows are formatted ahead by worker threads into
** buffers of their own, while the calling thread formats too and writes
** every piece in row order. The bytes are those of one thread formatting
** every row, whatever the thread count.
*/
#ifndef RUBRIC_OUTPUT_ROWS_H
#define RUBRIC_OUTPUT_ROWS_H

#include <stddef.h>

#include "outbuf.h"

/* Appends the text of rows [FROM, TO) of a table described by CTX to B.
   A row's text must not depend on the range it is formatted in; FORMAT is
   called from several threads at once, so it only reads CTX. */
typedef void out_rows_fn(out_buf *b, const void *ctx, size_t from, size_t to);

/* Rows of about this many bytes make pieces of about one block. */
size_t out_rows_chunk(size_t row_bytes);

/* Appends rows [0, N) to B (bound to a stream) as FORMAT(b, ctx, 0, n)
   would, in pieces of CHUNK rows, formatted by THREADS threads (the caller's
   included; 0: one per core, as long as there are pieces enough to share).
   Without memory or threads for that, the caller formats them alone. */
void out_rows(out_buf *b, out_rows_fn *format, const void *ctx, size_t n, size_t chunk, int threads);

#endif /* RUBRIC_OUTPUT_ROWS_H */
