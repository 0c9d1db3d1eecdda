/* ref.h: the reference interpreter (tests/reference/README.md).
 *
 * rubric-ref scores a checked scheme (compiler/scheme.h) by walking its
 * expression trees in exact rationals (GMP's mpq_t), from spec/semantics.md
 * alone: it shares the front end (parse and check) with `rubric`, and
 * nothing of the code generator or of the runtime. Its output is the CSV
 * that `rubric score -o` writes, byte for byte, or the list of the
 * entities, parts and reasons that cannot be scored.
 *
 * One concern per file: num.c (exact numbers: rounding, text), table.c
 * (CSV tables), load.c (entities, parents, periods, cells), eval.c (one
 * expression for one entity), peers.c (statistics of a peer group),
 * score.c (parts, total, ranks, grades, targets, the output), ref.c (the
 * command line).
 */
#ifndef RUBRIC_REF_H
#define RUBRIC_REF_H
#include <gmp.h>
#include <stdbool.h>
#include <stdio.h>

#include "scheme.h"

/* ---- num.c: exact decimals as rationals (spec/semantics.md#numbers) ---- */

void num_init(void);  /* the constants below; call once */
void num_done(void);
/* Q rounded half up (away from zero on ties) to DECIMALS decimals, in place. */
void num_round(mpq_t q, int decimals);
/* |Q| >= 10^20: the value overflows. */
bool num_overflows(const mpq_t q);
/* The exact decimal text of Q (at most 18 decimals after rounding): no
   trailing zeros, no exponent, never "-0". Caller frees. */
char *num_text(const mpq_t q);
/* A table cell (spec/data.md#cell-values) into OUT; false if it is not a
   number. Spaces and tabs around it are allowed. */
bool num_parse_cell(const char *s, mpq_t out);
/* A yes/no cell: 1, 0, or -1 when it is not one of the words. */
int num_parse_yesno(const char *s);
/* An exact decimal of the scheme into OUT. */
void num_from_decimal(rb_decimal d, mpq_t out);

/* ---- table.c: a CSV table (RFC 4180) ---------------------------------- */

typedef struct table {
  int ncols, nrows;
  char **head;   /* ncols names, trimmed */
  char **cells;  /* nrows * ncols fields, row-major */
} table;

/* Reads PATH into T; false (with a message on stderr) on failure. Caller
   frees with table_free. */
bool table_read(const char *path, table *t);
void table_free(table *t);
int table_col(const table *t, const char *name); /* -1 if absent */
static inline const char *table_cell(const table *t, int row, int col) {
  return t->cells[(size_t)row * t->ncols + col];
}
/* S without the spaces and tabs around it, as a new string. Caller frees. */
char *trim_dup(const char *s);

/* ---- dates.c: dates and the holiday calendar -------------------------- */

/* The calendar's listed days (day numbers, sorted) and the whole years it covers. */
typedef struct ref_calendar {
  long *off, *on;
  int noff, non;
  int first_year, last_year;
} ref_calendar;

/* A date cell (2024-03-15, 2024/3/15, 2024年3月15日) to its day number (days
   since 1970-01-01); false if it is no date. */
bool ref_parse_date(const char *s, long *day);
/* Reads the calendar at PATH; false (with a message) when rubric would refuse it. */
bool ref_calendar_load(const char *path, ref_calendar *cal);
void ref_calendar_free(ref_calendar *cal);
/* workdays(a, b) into OUT; false when the calendar does not cover A or B. */
bool ref_workdays(const ref_calendar *cal, long a, long b, long *out);

/* ---- load.c: the rows to score ---------------------------------------- */
/* (records.c: the record tables, counted into the tally inputs' cells) */

/* A cell of an input in one period: its value, or empty (`missing scores`). */
typedef struct cell {
  bool empty;
  mpq_t v;
  /* A count of records (a tally input) some record of which failed its
     condition (a date outside the calendar): the code (1181) and place of
     the first such record's failure; 0 when none did. */
  int fail_code;
  rb_loc fail_loc;
} cell;

typedef struct entity {
  char *id, *name, *parent; /* parent: NULL when the scheme uses none */
  int group;                /* its peer group */
  cell *cells;              /* ninputs * nperiods: cells[input * nperiods + period] */
} entity;

enum { REF_MAX_RECORDS = 32 };

typedef struct job {
  const sc_scheme *s;
  const char *entities_path, *periods_path, *parents_path, *out_path, *targets_path, *calendar_path;
  int nrecords;             /* `--records NAME=FILE`: the record tables given */
  const char *records_name[REF_MAX_RECORDS], *records_path[REF_MAX_RECORDS];
  ref_calendar cal;         /* read when the scheme calls workdays */
  bool has_name;            /* the entities table has a name column */
  int nentities, ngroups;
  entity *ents;
  struct peer_cache *peers; /* peers.c: statistics computed so far */
} job;

/* The cell TEXT (NULL: no row for that period) of input IN into C, WHERE
   naming the table in a message; false (reported) when it is no value. */
bool set_cell(const sc_input *in, const char *text, cell *c, const char *where);

/* Loads the tables of J; false (with a message on stderr) when they cannot
   be read or hold a value rubric would refuse. Frees with job_free. */
bool job_load(job *j);
void job_free(job *j);
/* records.c: every tally input's cell of every entity of J (loaded), from
   the record tables given; false (with a message) when one cannot be read,
   is not the scheme's, or is counted and not given. */
bool records_count(job *j);

/* ---- eval.c: one expression for one entity ---------------------------- */

typedef struct ref_err {
  int code;     /* 1201 undefined, 1202 division by zero, 1203 overflow, 1204 peer failed, 1181 outside the calendar */
  rb_loc loc;
  /* Where in the rule: the child indexes from the rule's root down to the
     failing operation (eval.c), so that errors in different periods can be
     put in evaluation order. Owned; freed by ctx_done. */
  int *path;
  int depth;
} ref_err;

/* The arguments of the form call whose body is being evaluated (call by
   name): a parameter is its argument, evaluated in the caller's frame. */
typedef struct frame {
  sc_expr *const *args;
  const struct frame *up;
} frame;

typedef struct ctx {
  job *j;
  int ent;      /* the entity being scored */
  ref_err err;  /* set when eval returns false */
  int *path;    /* the child indexes down to the expression being evaluated */
  int depth, cap;
  mpq_t *items; /* `items`: the sum of the items of the part whose rule adjusts it */
  const cell *record; /* a tally's condition: the fields of the record it is tested on (by field index) */
  const mpq_t *subject; /* a grade's subject, in a band's condition */
} ctx;

/* Frees what evaluating in C allocated (paths). */
void ctx_done(ctx *c);
/* Sets C->err to CODE at LOC, where C is in the rule now; returns false. */
bool ctx_fail(ctx *c, int code, rb_loc loc);

/* E for entity C->ent in period P (ignored by one-value expressions) into
   OUT (yes/no as 1/0), exact but for products and quotients (rounded half
   up to 36 decimals); false on the first error in evaluation order, in
   C->err. OUT must be initialised. */
bool eval(ctx *c, const sc_expr *e, const frame *f, int p, mpq_t out);
/* E as child K of the expression C is evaluating (eval, with K on C's
   path): how an operation evaluates its operands. */
bool eval_sub(ctx *c, int k, const sc_expr *e, const frame *f, int p, mpq_t out);
/* Whether E has one value per period. */
bool is_periodic(const sc_expr *e, const frame *f);
/* Whether E reads input IN, on any path (through lets and every argument
   of a form call). */
bool reads_input(const sc_expr *e, const sc_input *in);
/* Whether E reads, on any path, a count of records of entity C->ent that
   failed (cell.fail_code): then C->err is that failure's, as rubric fails every
   rule that reads such a count. */
bool reads_failed_count(ctx *c, const sc_expr *e);

/* ---- peers.c: the statistics of a peer group (spec/semantics.md#peers) */

/* The value of peer aggregate E (SX_PEER) for entity C->ent into OUT;
   false on error, in C->err. */
bool peer_value(ctx *c, const sc_expr *e, int p, mpq_t out);
void peers_free(job *j);

/* ---- score.c: every entity, the tables -------------------------------- */

/* Scores every entity of J. On success writes its tables and returns 0;
   if any entity fails, writes nothing, prints one line per failing part or
   target on FAILURES and returns 1. */
int job_score(job *j, FILE *failures);

#endif
