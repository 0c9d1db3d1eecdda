/* table.h: a scheme's inputs read from CSV tables into columns.
 *
 * Entity rows (one per county, town or department) carry `id`, an optional
 * `name`, and every per-entity input; period rows carry `id`, the period
 * column (e.g. `month`) and every per-period input, joined to entities by id.
 * Columns are found by name. Every bad cell is reported with file, line and
 * column name; loading fails if any is, and nothing is scored.
 */
#ifndef RUBRIC_TABLE_H
#define RUBRIC_TABLE_H
#include <stddef.h>

#include "ast.h"
#include "diag.h"

typedef struct rb_batch {
  size_t n;           /* entities */
  int ninputs;
  char **id, **name;  /* owned, n each */
  char *entities_path;/* owned, for messages */
  long *line;         /* line of each entity row in its file */
  double **column;    /* owned: column[i] has n values, or nperiods*n (period p of row r at p*n+r) */
} rb_batch;

/* Reads the tables for scheme S. periods_path may be NULL when S has no
   per-period inputs. On any error, reports them all to D and returns NULL.
   Caller owns the result; free with batch_free. */
rb_batch *batch_load(const ast_scheme *s, const char *entities_path, const char *periods_path, rb_diags *d);
void batch_free(rb_batch *b);

/* Whether scheme S reads per-period inputs, so needs a periods table. */
bool batch_needs_periods(const ast_scheme *s);

#endif
