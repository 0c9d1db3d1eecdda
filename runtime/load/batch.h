/* batch.h: a scheme's inputs read from CSV tables into columns.
 *
 * Entity rows (one per county, town or department) carry `id`, an optional
 * `name`, a `parent` when the scheme uses parents, and every per-entity
 * input; period rows carry `id`, the period column (e.g. `month`) and every
 * per-period input, joined to entities (and parents) by id. Parent rows come
 * from a parents table, or else are the entity rows whose id is another
 * row's parent (those are not scored). An input `from parent` takes its
 * value from the entity's parent row. An empty cell, or a period with no
 * row, follows the input's `missing` rule. Columns are found by name. Every
 * bad cell is reported with its file, line, entity and column; loading
 * fails if any is, and nothing is scored.
 */
#ifndef RUBRIC_LOAD_BATCH_H
#define RUBRIC_LOAD_BATCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "diag.h"
#include "narrow.h"
#include "scheme.h"
#include "texts.h"

/* One record table of the scheme (sc_records), as loaded from its
   `--records NAME=FILE`: a column per field over its N records, in file
   order, and each record's entity and line. */
typedef struct rb_record_table {
  const sc_records *rec;
  char *path;         /* owned, for messages */
  size_t n;           /* records */
  rb_fixed **field;   /* owned: field[f] has n numbers; field[nfields] is the calendar's column (not owned) when
                         the scheme calls workdays (abi.h) */
  size_t *entity;     /* owned: each record's entity row in the batch */
  long *line;         /* owned: each record's line in its file */
  unsigned char *bad; /* owned: 1 for a record with a bad cell kept by --partial-data (not counted); NULL when none */
} rb_record_table;

typedef struct rb_batch {
  size_t n;           /* entities scored */
  int ninputs;
  /* id, name, parent, line and group: arrays of pages.h (batch_free frees
     them); the strings are in TEXTS, with the parents' ids */
  char **id, **name;  /* owned, n each */
  char **parent;      /* owned, n each, when the scheme uses parents; else NULL */
  texts texts;        /* owned: the strings of id, name and parent */
  char *entities_path;/* owned, for messages */
  long *line;         /* line of each entity row in its file */
  rb_cells **column; /* owned: column[i], input i's cells (narrow.h): n for a per-entity input, nperiods*n for a
                         per-period one (period p of row r at p*n + r); NULL once scores_run released it */
  void *shared_columns; /* owned: the block the small columns lie in (narrow_columns), or NULL */
  struct rb_calendar *calendar; /* owned; NULL unless the scheme calls workdays (its column: abi.h) */
  /* With rb_tables.partial, the bad cells an entity's row reads (its own,
     its periods', its parent's): bad[r * ninputs + i] is 1 when input i of
     row r is (its cells then hold a value in the input's range, not the
     text's); bad_text[r] says which, "FILE:LINE: column 'x': 'abc' is not a
     number; ...", and the code of its first (R1104, R1105 or R1106).
     Owned; NULL when no cell was bad. */
  unsigned char *bad;
  char **bad_text;
  diag_code *bad_code;
  /* A count of records whose condition failed on a record of the entity
     (runtime/tally.c): tally_why[k * n + r] names count k's first such
     record of row r, tally_code its code; the row is marked bad (above) at
     the count's input. Owned; NULL when no condition failed. */
  char **tally_why;
  diag_code *tally_code;
  size_t ntally_why;  /* ntallies * n */
  int64_t *group;     /* owned: each row's peer group, 0 .. ngroups-1 */
  int64_t ngroups;
  /* The scheme's record tables (sc_scheme.records, by index), loaded; NULL
     when it has none, or for a batch not loaded from tables (examples: a
     tally's value is given there). The tally inputs' columns are written
     by the records pass (runtime/records.h) before scoring. */
  int nrecords;
  rb_record_table *records;
} rb_batch;

/* The tables of one scoring job; periods and parents may be NULL; "-" is
   standard input (one table at most). ENCODING: how their bytes are read
   (csv.h; AUTO by default). PARTIAL:
   a bad cell (not a value, out of range, empty without a default) makes
   its entities incomplete (rb_batch.bad) and is reported as a warning,
   instead of failing the load. */
typedef struct rb_tables {
  const char *entities, *periods, *parents;
  csv_encoding encoding;
  bool partial;
  const char *calendar; /* the holiday calendar (calendar.h), for a scheme that calls workdays */
  /* `--records NAME=FILE`, one per record table: a name the scheme does
     not declare is an error (R1111), so is a table it counts not given */
  int nrecords;
  const struct rb_records_given {
    const char *name, *path;
  } *records;
} rb_tables;

/* The columns of B's inputs as the native code reads them (abi.h):
   TABLE[i] is input i's (a per-entity or a per-period column), and
   TABLE[ninputs] the calendar's. TABLE has ninputs + 1 entries. */
void batch_inputs(const rb_batch *b, const void **table);

/* Reads the tables for scheme S. On any error, reports them all to D and
   returns NULL. Caller owns the result; free with batch_free. */
rb_batch *batch_load(const sc_scheme *s, const rb_tables *tables, rb_diags *d);
void batch_free(rb_batch *b);

#endif
