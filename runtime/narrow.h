/* narrow.h: the columns of inputs, 8 bytes a cell (abi.h, rb_narrow),
 * with the rare value that does not fit kept aside, exactly.
 *
 * A column is one block: a header, then its cells; the generated code gets
 * the cells. A value kept aside sits in its cell's place in a chunk of
 * 16-byte numbers, made when the first cell of its 4,096 needs one: a
 * column with no such value costs nothing more, one where every value has
 * 15 decimals (a rate a spreadsheet computed) 24 bytes a cell, and reading
 * one is two loads, with no lock and no search. Puts of different cells
 * may run on several threads at once; reads come after the last put.
 */
#ifndef RUBRIC_NARROW_H
#define RUBRIC_NARROW_H
#include <stddef.h>

#include "abi.h"

/* BYTES of memory for a column, not yet written. Large ones sit on huge
   pages: a column is written once, front to back, and a fault per 4 KB
   page costs more than the writing. Caller frees with pages_free
   (pages.h). */
void *column_block(size_t bytes);
/* Room for N columns of BYTES each in one block (column_block), which the
   caller frees (pages_free): COLUMN[k] gets column k's start. Large ones each start on
   huge pages of their own, at their own offset (narrow.c). */
void *column_blocks(int n, size_t bytes, void **column);

/* A column of LEN cells, not yet written (every cell is put before it is
   read). Caller frees with narrow_free. Large ones sit on huge pages, each
   starting at its own offset (narrow.c). */
rb_narrow *narrow_column(size_t len);
/* The N columns of a table, LEN[k] cells each, into COL[k], as
   narrow_column makes them; but those under 2 MB lie in one block they
   share, when it comes to 16 MB at most: one block of 1 MB or more is on
   huge pages (pages.h), so 2,850 counties' 9 per-month columns of 270 KB
   and 40 of 23 KB take a few faults, not 700. Returns the block (NULL when
   none share one): the caller frees it with narrow_columns_free, after
   narrow_free of every column. */
void *narrow_columns(int n, const size_t *len, rb_narrow **col);
void narrow_columns_free(void *block); /* NULL-safe */
void narrow_free(rb_narrow *col); /* NULL-safe; a shared column's block stays */

/* Cell AT of COL is V (a number, FIXED_EMPTY or FIXED_ERROR): inline, as
   the loader puts every cell; a value that does not fit goes aside. */
void narrow_put_aside(rb_narrow *col, size_t at, rb_fixed v);
static inline void narrow_put(rb_narrow *col, size_t at, rb_fixed v) {
  rb_narrow x;
  if (abi_narrow_of(v, &x)) col[at] = x;
  else narrow_put_aside(col, at, v);
}

/* Cells FIRST..TO-1 of COL will not be read again (their rows are
   scored): in a column on huge pages (2 MB or more), the huge pages
   wholly within them go back to the system, but those a call for
   FIRST..FROM-1 gave back already, and the 4 KB pages wholly within them
   before its first huge page once TO reaches that page, and when TO is
   the end, the 4 KB pages after its last huge page; a page holding a cell
   outside them, or the header, stays, and a smaller column keeps every
   page. Those cells read as 0 after: the caller frees the column
   before anyone could read them. */
void narrow_release(rb_narrow *col, size_t first, size_t from, size_t to);

/* What cell AT of COL holds: a number, FIXED_EMPTY or FIXED_ERROR. The
   generated code calls it for a cell below ABI_NARROW_LEAST
   (ABI_NARROW_SYMBOL). */
rb_fixed rubric_narrow_value(const rb_narrow *col, int64_t at);
static inline rb_fixed narrow_get(const rb_narrow *col, size_t at) {
  rb_narrow x = col[at];
  return x >= ABI_NARROW_LEAST ? abi_narrow_number(x) : rubric_narrow_value(col, (int64_t)at);
}

#endif
