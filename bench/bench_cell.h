/* bench_cell.h: the hand-written baseline's cells: the text of a number or
 * a yes/no cell (spec/data.md, "Cell values") to the nearest double. */
#ifndef RUBRIC_BENCH_CELL_H
#define RUBRIC_BENCH_CELL_H

#include <stddef.h>

typedef enum { BENCH_CELL_OK, BENCH_CELL_EMPTY, BENCH_CELL_BAD } bench_cell_status;

/* A number cell: spaces and tabs around it, a sign, thousands groups,
   a fraction, an exponent, a trailing %. */
bench_cell_status bench_cell_number(const char *text, size_t len, double *out);
/* A yes/no cell: 1, yes, true, 是 (1) or 0, no, false, 否 (0), the ASCII
   words in any letter case. */
bench_cell_status bench_cell_yesno(const char *text, size_t len, double *out);

#endif
