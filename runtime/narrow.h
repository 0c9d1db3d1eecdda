/* narrow.h: the columns of inputs, 4 or 8 bytes a cell by the input's
 * type (abi.h, abi_cell), with the rare value that does not fit kept
 * aside, exactly.
 *
 * A column is one block: a header, then its cells; the generated code gets
 * the cells (rb_cells), and the header ends with the column's abi_cell, so
 * that a read or a put needs no more than the column. A value kept aside
 * sits in its cell's place in a chunk of 16-byte numbers, made when the
 * first cell of its 4,096 needs one: a column with no such value costs
 * nothing more, one where every value has 15 decimals (a rate a
 * spreadsheet computed) 20 or 24 bytes a cell, and reading one is two
 * loads, with no lock and no search. Puts of different cells may run on
 * several threads at once; reads come after the last put.
 */
#ifndef RUBRIC_NARROW_H
#define RUBRIC_NARROW_H
#include <stddef.h>
#include <string.h>

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

/* A column of LEN cells of C, not yet written (every cell is put before
   it is read). Caller frees with narrow_free. Large ones sit on huge
   pages, each starting at its own offset (narrow.c). */
rb_cells *narrow_column(size_t len, abi_cell c);
/* The N columns of a table, LEN[k] cells of CELL[k] each, into COL[k], as
   narrow_column makes them; but those under 2 MB lie in one block they
   share, when it comes to 16 MB at most: one of 512 KB or more is asked
   for as 1 MB at least, which lies on huge pages (pages.h), so 2,850
   counties' columns (per month, 137 to 274 KB; their own, 11 to 23 KB)
   take a few faults, not hundreds. Returns the block (NULL when none
   share one): the caller frees it with narrow_columns_free, after
   narrow_free of every column. */
void *narrow_columns(int n, const size_t *len, const abi_cell *cell, rb_cells **col);
void narrow_columns_free(void *block); /* NULL-safe */
void narrow_free(rb_cells *col); /* NULL-safe; a shared column's block stays */

/* The cells of COL: the 4 bytes before its first cell. */
static inline abi_cell narrow_cell(const rb_cells *col) {
  int32_t c;
  memcpy(&c, (const char *)col - sizeof c, sizeof c);
  return (abi_cell)c;
}
/* Cell AT of COL, of C, as it is written: a count of units, or below the
   width's LEAST, not a number. */
static inline int64_t narrow_raw(const rb_cells *col, abi_cell c, size_t at) {
  return c == ABI_CELL_UNITS8 ? ((const rb_narrow *)(const void *)col)[at] : ((const rb_narrow4 *)(const void *)col)[at];
}
static inline void narrow_set(rb_cells *col, abi_cell c, size_t at, int64_t x) {
  if (c == ABI_CELL_UNITS8) ((rb_narrow *)(void *)col)[at] = x;
  else ((rb_narrow4 *)(void *)col)[at] = (rb_narrow4)x;
}

/* Cell AT of COL is V (a number, FIXED_EMPTY or FIXED_ERROR): inline, as
   the loader puts every cell; a value that does not fit goes aside. */
void narrow_put_aside(rb_cells *col, size_t at, rb_fixed v);
static inline void narrow_put(rb_cells *col, size_t at, rb_fixed v) {
  abi_cell c = narrow_cell(col);
  int64_t x;
  if (abi_narrow_of(c, v, &x)) narrow_set(col, c, at, x);
  else narrow_put_aside(col, at, v);
}
/* The same for a number of U units of 10^-9, as the loader reads most
   cells (load/cell.c, cell_number_units). */
static inline void narrow_put_units(rb_cells *col, size_t at, int64_t u) {
  abi_cell c = narrow_cell(col);
  int64_t x;
  if (abi_cell_from_units(c, u, &x)) narrow_set(col, c, at, x);
  else narrow_put_aside(col, at, (rb_fixed)u * ABI_NARROW_UNIT);
}
/* Whether cell AT of COL is a bad cell (FIXED_ERROR); whether it is an
   empty one (FIXED_EMPTY). */
static inline bool narrow_is_error(const rb_cells *col, size_t at) {
  abi_cell c = narrow_cell(col);
  return narrow_raw(col, c, at) == abi_cell_error(c);
}
static inline bool narrow_is_empty(const rb_cells *col, size_t at) {
  abi_cell c = narrow_cell(col);
  return narrow_raw(col, c, at) == abi_cell_empty(c);
}
/* Cells FROM..TO-1 of COL are 0 (a count before it is counted). */
static inline void narrow_zero(rb_cells *col, size_t from, size_t to) {
  size_t w = abi_cell_bytes(narrow_cell(col));
  memset((char *)col + from * w, 0, (to - from) * w);
}
/* The address of cell AT of COL (to prefetch). */
static inline const void *narrow_at(const rb_cells *col, size_t at) {
  return (const char *)col + at * abi_cell_bytes(narrow_cell(col));
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
void narrow_release(rb_cells *col, size_t first, size_t from, size_t to);

/* What cell AT of COL holds: a number, FIXED_EMPTY or FIXED_ERROR. The
   generated code calls it for a cell below ABI_NARROW_LEAST
   (ABI_NARROW_SYMBOL). */
rb_fixed rubric_narrow_value(const rb_cells *col, int64_t at);
static inline rb_fixed narrow_get(const rb_cells *col, size_t at) {
  abi_cell c = narrow_cell(col);
  int64_t x = narrow_raw(col, c, at);
  return x >= abi_cell_least(c) ? abi_narrow_number(c, x) : rubric_narrow_value(col, (int64_t)at);
}

#endif
