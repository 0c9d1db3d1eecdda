/* loader.h: what the files of load/ share while one batch loads (not a
 * public interface).
 *
 * batch.c    the driver: tables read, columns required, the steps in order
 * loader.c   what the steps share: problems reported, the id map, ids as written
 * entities.c who is scored and who is a parent, ids, peer groups
 * cells.c    one cell to its input's value, and the per-entity columns
 * periods.c  period rows joined to entities and parents; absent periods
 */
#ifndef RUBRIC_LOAD_LOADER_H
#define RUBRIC_LOAD_LOADER_H
#include <stdbool.h>

#include "batch.h"
#include "csv.h"

enum { LOAD_MAX_REPORTED = 20 }; /* bad cells listed before "and N more" */

typedef struct loader {
  rb_diags *d;
  const sc_scheme *s;
  int problems;
} loader;

/* One problem in the data, at PATH:LINE (LINE 0: the whole table), about
   ENTITY and COLUMN when known (may be NULL). Counted always, reported up
   to LOAD_MAX_REPORTED. */
void load_problem(loader *L, diag_code code, const char *path, long line, const char *entity, const char *column,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* An id map: id text -> row. Keys are not copied: they must outlive it. */
typedef struct id_map {
  size_t cap;
  const char **key;
  size_t *row;
} id_map;
void map_init(id_map *m, size_t n);
/* Returns the row already stored under KEY, or stores ROW and returns -1. */
long map_put(id_map *m, const char *key, size_t row);
long map_get(const id_map *m, const char *key);
void map_free(id_map *m);

/* Whether T has the column NAME; reports it missing (WHAT it holds) if not. */
bool load_need_column(loader *L, const csv_table *t, const char *name, const char *what);

/* An id as written, less surrounding spaces (a spreadsheet's " 371702"). Caller frees. */
char *load_trimmed(const char *s);
char *load_strdup(const char *s);

/* Everything that has a row: the entities scored (holders 0 .. n-1), then
   the parent rows (n .. nh-1). Per-period values are read per holder. */
typedef struct holders {
  size_t n, nh;
  id_map ids;            /* id -> holder */
  const csv_table **tab; /* the table and row each holder's cells are in */
  size_t *row;
  char **id;             /* owned until handed to the batch (the scored ones) */
  size_t *parent_holder; /* each scored row's parent holder, or (size_t)-1; NULL without parents */
} holders;

/* entities.c: sorts the rows of T (and of the parents table PT, may be
   NULL) into holders, fills the batch's ids, names, lines, parents and peer
   groups. Returns false when no row can be scored (reported). */
bool load_entities(loader *L, const csv_table *t, const csv_table *pt, holders *H, rb_batch *b);
void holders_free(holders *H);

/* cells.c: the cell of input IN at row R of T into *OUT; reports and
   returns false if it is bad. ENTITY names the row in messages. */
bool load_cell(loader *L, const csv_table *t, size_t r, const char *entity, const sc_input *in, rb_fixed *out);
/* Every per-entity input's column of B: an entity's own cell, or its parent's. */
void load_entity_columns(loader *L, const holders *H, const csv_table *t, rb_batch *b);

/* periods.c: the per-period columns of B from the periods table PATH. */
void load_periods(loader *L, const holders *H, const char *path, rb_batch *b);

/* loader.c: a message of csv_read ("PATH:LINE: what") as a located diagnostic. */
void load_csv_error(loader *L, const char *path, const char *err, csv_fault fault);

#endif
