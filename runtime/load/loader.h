/* loader.h: what the files of load/ share while one batch loads (not a
 * public interface).
 *
 * batch.c    the driver: tables read, columns required, the steps in order
 * loader.c   what the steps share: problems reported, the id map, ids as written
 * split.c    rows split across threads
 * entities.c who is scored and who is a parent, ids, peer groups
 * cells.c    one cell to its input's value, and the per-entity columns
 * periods.c  period rows joined to entities and parents; absent periods
 * records.c  record tables: each row joined to its entity, its fields' cells
 *
 * Every step reads a table twice at most: a fast pass that parses the rows
 * (on several threads) straight into the batch's columns and only notes
 * that something is wrong, then, only if it is, a pass in file order that
 * re-reads the rows and reports each problem exactly as it always has.
 */
#ifndef RUBRIC_LOAD_LOADER_H
#define RUBRIC_LOAD_LOADER_H
#include <stdbool.h>
#include <stdint.h>

#include "batch.h"
#include "csv.h"

enum { LOAD_MAX_REPORTED = 20 }; /* bad cells listed before "and N more" */

/* A bad cell kept for its entities' reasons (rb_tables.partial). */
typedef struct bad_cell {
  int seq;              /* the order it was reported in: a row's cells are named in it */
  diag_code code;
  char *entity, *input; /* the row's id as written (an entity's or a parent's) and the input */
  const char *table;    /* the record table (sc_records.name) whose field INPUT is; NULL for the scheme's inputs */
  char *text;           /* "FILE:LINE: entity 'x', column 'a': 'abc' is not a number" */
} bad_cell;

typedef struct loader {
  rb_diags *d;
  const sc_scheme *s;
  int problems;
  bool partial;         /* rb_tables.partial */
  int nbad, capbad;
  bad_cell *bad;        /* owned, in the order reported */
  const sc_records *table; /* the record table being read (records.c), else NULL: whose fields columns name */
} loader;

/* One problem in the data, at PATH:LINE (LINE 0: the whole table), about
   ENTITY and COLUMN when known (may be NULL). Counted always, reported up
   to LOAD_MAX_REPORTED. With L->partial, a bad cell (R1104, R1105, R1106
   of an entity's input) is kept in L->bad instead and reported as a
   warning; the load goes on. */
void load_problem(loader *L, diag_code code, const char *path, long line, const char *entity, const char *column,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* An id map: id text -> row. Keys are not copied: they must outlive it.
   Lookups (map_get, map_get_n) may run on several threads at once.
   A slot holds the key, its row (low 40 bits) and the top 24 bits of its
   hash (the rest): a probe is one cache miss, and the text of a key is read
   only when those bits agree. With a million ids the map is larger than any
   cache, so the misses are the cost (separate arrays of keys, rows and
   hashes took three a probe). */
typedef struct id_slot {
  const char *key; /* NULL: empty */
  uint64_t tag_row;
} id_slot;
typedef struct id_map {
  size_t cap; /* a power of 2, at least twice the keys */
  id_slot *slot;
} id_map;
/* A map for up to N keys (N < 2^40: no table that loads has more rows). */
void map_init(id_map *m, size_t n);
/* Returns the row already stored under KEY, or stores ROW and returns -1. */
long map_put(id_map *m, const char *key, size_t row);
/* Many keys in a row: map_put of KEY given its HASH (map_hash), after
   map_prefetch of the hashes of keys a few places ahead, so that their
   slots' cache misses overlap (each alone is the whole cost of a put). */
uint64_t map_hash(const char *key);
void map_prefetch(const id_map *m, uint64_t hash);
long map_put_hashed(id_map *m, const char *key, uint64_t hash, size_t row);
long map_get(const id_map *m, const char *key);
/* map_get of the LEN bytes at KEY (not NUL-terminated). */
long map_get_n(const id_map *m, const char *key, size_t len);
void map_free(id_map *m);

/* Whether F has the column NAME; reports it missing (WHAT it holds) if not. */
bool load_need_column(loader *L, const csv_file *f, const char *name, const char *what);
/* The column of input IN in F (spec/data.md, "Columns"): the header that
   is its id; else its `column "..."`; else its title. A header that is
   some input's id belongs to that input, never to another's title or
   column. -1 when F has none of them. */
long load_input_column(const loader *L, const csv_file *f, const sc_input *in);
/* load_input_column, or a missing-column problem (R1103: the input's id,
   and its column, title or WHAT) and false. */
bool load_need_input(loader *L, const csv_file *f, const sc_input *in, const char *what);

/* A value in IN's range, to stand where a bad cell was kept (--partial-data):
   the native code may rely on the range (a divisor at least 1), and what
   it computes from it is replaced by a data error (runtime/bad_cells.c). */
rb_fixed load_stand_in(const sc_input *in);

/* An id as written, less surrounding spaces (a spreadsheet's " 371702"). Caller frees. */
char *load_trimmed(const char *s);
/* S less surrounding spaces and tabs, in place; returns S. */
char *load_trim(char *s);
char *load_strdup(const char *s);
/* A column of LEN values, not yet written (every step writes each value,
   an error's FIXED_ERROR included): column_block (narrow.h). Caller frees
   with pages_free. */
rb_fixed *load_column(size_t len);

/* The text of field C of row R of F, decoded (trimmed when TRIM). Caller frees. */
char *load_field_text(const csv_file *f, size_t r, size_t c, bool trim);

/* Everything that has a row: the entities scored (holders 0 .. n-1), then
   the parent rows (n .. nh-1). Per-period values are read per holder. The
   arrays are pages_calloc'd (pages.h): holders_free frees them. */
typedef struct holders {
  size_t n, nh;
  id_map ids;            /* id -> holder */
  const csv_file **tab;  /* the table and row each holder's cells are in */
  size_t *row;
  char **id;             /* in the batch's texts */
  bool *first;           /* whether holder h is the first with its id (a duplicate is reported, not read) */
  size_t *parent_holder; /* each scored row's parent holder, or (size_t)-1; NULL without parents */
  struct ids_job *ids_job; /* entities.c: the ids' work, until holders_ids_wait */
} holders;

/* entities.c: sorts the rows of F (and of the parents table PF, may be
   NULL) into holders (their tables and rows), then starts the ids' work:
   each holder's id and whether it is the first with it, the id map, and
   the batch's ids, names, lines, parents and peer groups, on a thread of
   its own for many rows. None of those may be read before
   holders_ids_wait. Returns false when no row can be scored (reported). */
bool load_entities(loader *L, const csv_file *f, const csv_file *pf, holders *H, rb_batch *b);
/* Ends the ids' work of load_entities and reports, in holder order, the
   ids missing or taken, then the parents' problems. */
void holders_ids_wait(loader *L, holders *H, rb_batch *b);
void holders_free(holders *H);

/* cells.c: how a value of an input is checked, worked out once per input
   (the same test as scheme_input_value, which words the reason). */
typedef struct input_check {
  const sc_input *in;
  bool whole, has_lo, has_hi;
  bool no_percent; /* only a fraction takes 85% or 5‰ */
  rb_fixed lo, hi;
  rb_fixed empty; /* an empty cell's value, when the input gives one */
  bool units;                /* its cells are numbers (cell_put's fast way) */
  int64_t lo_units, hi_units; /* the bounds as counts of 10^-9 (INT64_MIN, INT64_MAX: none) */
} input_check;
void input_check_init(input_check *ck, const sc_input *in);
/* The value of a cell's text [P, P+LEN) into *OUT when it is good (or
   empty with a default); false when it is bad, with nothing reported. */
bool cell_value(const input_check *ck, const char *p, size_t len, rb_fixed *out);
/* cell_value of the cell into cell AT of COL (narrow.h), faster for the
   usual cell; what cell_value returns. */
bool cell_put(const input_check *ck, const char *p, size_t len, rb_cells *col, size_t at);
/* The cell TEXT of input IN at PATH:LINE into *OUT; reports and returns
   false if it is bad. ENTITY names the row in messages. */
bool load_cell(loader *L, const char *path, long line, const char *entity, const sc_input *in, const char *text,
               rb_fixed *out);
/* load_cell of field C of row R of F. */
bool load_cell_at(loader *L, const csv_file *f, size_t r, size_t c, const char *entity, const sc_input *in,
                  rb_fixed *out);
/* Every per-entity input's column of B: an entity's own cell, or its
   parent's. Its rows are parsed while the ids' work goes on, and it ends
   that work (holders_ids_wait) before any cell is reported. */
void load_entity_columns(loader *L, holders *H, const csv_file *f, rb_batch *b);

/* periods.c: the per-period columns of B from the periods table F (opened
   already, or NULL when it could not be: ERR and FAULT say why). */
void load_periods(loader *L, const holders *H, csv_file *f, const char *path, const char *err, csv_fault fault,
                  rb_batch *b);

/* records.c: each record table of the scheme given in TABLES into
   B->records (by sc_records.index; a table no tally counts and not given:
   no records). A bad cell kept by --partial-data marks the table's tally
   inputs of its entity (FIXED_ERROR, for mark_bad_cells) and its record
   (rb_record_table.bad). The tally inputs' columns are allocated already. */
void load_records(loader *L, const holders *H, const rb_tables *tables, rb_batch *b);
/* The path given for record table NAME, or NULL. */
const char *records_given(const rb_tables *tables, const char *name);
/* Whether some tally of S counts REC's records. */
bool records_counted(const sc_scheme *s, const sc_records *rec);
/* Frees what T owns (NULL-safe), leaving it empty. */
void records_free(rb_record_table *t);

/* loader.c: a message of csv_read ("PATH:LINE: what") as a located diagnostic. */
void load_csv_error(loader *L, const char *path, const char *err, csv_fault fault);

#endif
