/* abi.h: the native functions a scheme compiles to, as the runtime calls
 * them: their C types, the columns they read and write, the runtime
 * routines they call, and how a failed score is encoded. Shared by
 * codegen/ (which generates them) and runtime/ (which calls them).
 *
 * A scheme becomes up to two functions (more with staged statistics). When its rules read the peer group
 * (peers.max(x), ...), the first pass
 *   void peers(const void *const *inputs, int64_t n, int64_t lo, int64_t hi,
 *              rb_fixed *const *stats);
 * writes each peer statistic's argument (sc_stat.arg) for rows lo to hi - 1
 * to stats[k][r]; the runtime then folds each column over every row's peer
 * group and writes the group's statistic back to its rows (runtime/peers.c).
 * A statistic whose argument reads other statistics has a later stage
 * (sc_stat.stage): stage s > 1 has a pass of its own, rubric_peers<s>_<id>,
 * of the same type, which reads the folded columns of the earlier stages
 * and writes its statistics' arguments, folded in turn before the next.
 * The second pass
 *   void score(const void *const *inputs, int64_t n, int64_t lo, int64_t hi,
 *              const rb_fixed *const *stats, rb_fixed *const *outputs);
 * scores rows lo to hi - 1 (the runtime gives each thread its range, in
 * both passes). Every column value is a number as compiler/fixed.h
 * holds it (an exact decimal, 18 decimals, in 128 bits; inside a rule the
 * code computes with 36, rb_wide). inputs[i] is input i's column of
 * narrow values (rb_cells, below): n, or for a per-period input nperiods
 * blocks of n (period p of row r at [p*n + r]); a yes/no is the
 * number 1 or 0; an empty cell of an input
 * with `missing scores` is FIXED_EMPTY. Outputs (the abi_out_* functions):
 * part k's column (sc_part.index order), the total, then per target its
 * value, goal and met (the number 1 or 0), then per grade the index of its
 * band (a plain integer, not a number of 10^-18). A score that could not
 * be computed is fixed_error(1 + the index of the error site, cg_site).
 *
 * A scheme that calls workdays (sc_scheme.uses_calendar) reads one more
 * column after its inputs, inputs[ninputs]: the holiday calendar
 * (runtime/load/calendar.c), not by row. Its element 0 is the first day the
 * calendar covers and element 1 the number of days it covers (day numbers
 * and counts as plain integers, not numbers of 10^-18); element 2 + i is
 * the number of working days from the first day up to and including day
 * first + i, as a number (fixed.h). workdays(a, b) is then
 * W[b] - W[a], and a date outside [first, first + days) fails the row at a
 * SITE_CALENDAR site.
 *
 * A scheme with record tables (sc_scheme.records) has one more pass per
 * table, before any other, rubric_records<t>_<id> for table t:
 *   void records(const rb_fixed *const *fields, int64_t n, int64_t lo, int64_t hi,
 *                rb_fixed *const *out);
 * fields[f] is field f's column over the table's n records (in file order;
 * the calendar column after them, fields[nfields], when the scheme calls
 * workdays); for records lo to hi - 1 and each tally k of the table,
 * out[k][r] is the number 1 when record r meets the tally's condition (also
 * for a tally without one), 0 when it does not, or fixed_error(1 + site)
 * where the condition fails (a date outside the calendar). out has one
 * column per tally of the scheme (sc_tally.index); the other tables' are
 * left alone. The runtime adds each entity's records up into the tally's
 * input column (sc_tally.input) before the other passes.
 */
#ifndef RUBRIC_CODEGEN_ABI_H
#define RUBRIC_CODEGEN_ABI_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fixed.h"
#include "scheme.h"

/* Scores rows LO to HI - 1 of tables of N rows: INPUTS[i] is input i's
   column (rb_cells; per-period: period p of row r at p * N + r), STATS[k] statistic
   k's column (written by the passes before), OUTPUTS the output columns below,
   each of N numbers; only rows LO..HI-1 are read and written, so disjoint
   ranges may be scored at once, by different threads. */
typedef void (*rb_score_fn)(const void *const *inputs, int64_t n, int64_t lo, int64_t hi,
                            const rb_fixed *const *stats, rb_fixed *const *outputs);
/* A pass before scoring: the argument of each statistic k of its stage,
   rows LO to HI - 1, into STATS[k] (a count's column is left alone; a
   failed argument is FIXED_ERROR); from stage 2 on it reads the folded
   columns of the earlier stages. */
typedef void (*rb_peers_fn)(const void *const *inputs, int64_t n, int64_t lo, int64_t hi, rb_fixed *const *stats);
/* The pass over a record table's rows LO to HI - 1 (above): OUT[k][r] for
   each tally k of the table. */
typedef void (*rb_records_fn)(const rb_fixed *const *fields, int64_t n, int64_t lo, int64_t hi, rb_fixed *const *out);

/* The calendar column's header (see above). */
enum { ABI_CALENDAR_FIRST = 0, ABI_CALENDAR_DAYS = 1, ABI_CALENDAR_W = 2 };

/* Output columns of the scoring function. */
static inline int abi_out_total(const sc_scheme *s) { return s->nparts; }
static inline int abi_out_target(const sc_scheme *s, int t) { return s->nparts + 1 + 3 * t; } /* value; +1 goal; +2 met */
static inline int abi_out_grade(const sc_scheme *s, int g) { return s->nparts + 1 + 3 * s->ntargets + g; }
static inline int abi_out_count(const sc_scheme *s) { return s->nparts + 1 + 3 * s->ntargets + s->ngrades; }

/* The arithmetic that rounds (runtime/arith.c, spec/semantics.md#numbers).
   Inside a rule, on wide values through pointers to i256 slots: products,
   quotients, whole parts, and the result of a rule rounded to 18 decimals
   (an i128 number, FIXED_ERROR past the range), or to a scheme's
   `round N`. On numbers (i128): a quotient. */
#define ABI_WIDE_MUL_SYMBOL "rubric_wide_mul"
#define ABI_WIDE_DIV_SYMBOL "rubric_wide_div"
#define ABI_WIDE_FLOOR_SYMBOL "rubric_wide_floor"
#define ABI_WIDE_CEIL_SYMBOL "rubric_wide_ceil"
#define ABI_WIDE_RESULT_SYMBOL "rubric_wide_result"
#define ABI_WIDE_RESULT_SMALL_SYMBOL "rubric_wide_result_small" /* a wide value within 128 bits, by value */
#define ABI_DIV_SYMBOL "rubric_fixed_div"
#define ABI_WIDE_ROUND_SYMBOL "rubric_wide_round_to" /* a wide value through a slot, and N: a number */

/* An input's column holds 4 or 8 bytes a value, not 16: the inputs are
   most of a batch's memory (79 values a Chengwu county, 48 of them per
   month, against 26 outputs), and a column's first touch costs as much as
   its writing. A cell counts units, whole ones or 10^-9, by the input's
   type (abi_cell_of): 4 bytes of whole units for a whole number (a count,
   a rank, a yes/no, a label, a date: up to 2.1 billion), 4 bytes of 10^-9
   for a fraction (up to 2.14, 214%; a rate with 9 decimals), 8 bytes of
   10^-9 for the rest (an amount of money up to 9.2 billion yuan, a
   number). Three values at the bottom of each width are not numbers: an
   empty cell, a bad one, and a value kept aside (more decimals or larger
   than its cell holds), which the runtime keeps exactly (runtime/narrow.h)
   and the generated code asks for by column and cell:
   rb_fixed ABI_NARROW_SYMBOL(const rb_cells *column, int64_t at), also
   for the other two (FIXED_EMPTY, FIXED_ERROR). So the code reads an
   input's column where it starts, not moved to row LO as the others.
   Every value at least the width's LEAST is that many units. */
typedef enum {
  ABI_CELL_UNITS8, /* int64_t, units of 10^-9 */
  ABI_CELL_UNITS4, /* int32_t, units of 10^-9 */
  ABI_CELL_WHOLE4, /* int32_t, whole units */
} abi_cell;
typedef struct rb_cells rb_cells; /* a column's cells, of its abi_cell (narrow.h) */
typedef int64_t rb_narrow;        /* an 8-byte cell */
typedef int32_t rb_narrow4;       /* a 4-byte cell */
#define ABI_NARROW_UNIT 1000000000 /* 10^-18 counts in a unit of 10^-9 */
#define ABI_NARROW_EMPTY INT64_MIN
#define ABI_NARROW_ERROR (INT64_MIN + 1)
#define ABI_NARROW_ASIDE (INT64_MIN + 2)
#define ABI_NARROW_LEAST (INT64_MIN + 3)
#define ABI_NARROW4_EMPTY INT32_MIN
#define ABI_NARROW4_ERROR (INT32_MIN + 1)
#define ABI_NARROW4_ASIDE (INT32_MIN + 2)
#define ABI_NARROW4_LEAST (INT32_MIN + 3)
#define ABI_NARROW_SYMBOL "rubric_narrow_value"

/* The cells of an input of type T. */
static inline abi_cell abi_cell_of(input_type t) {
  switch (t) {
  case IN_COUNT:
  case IN_RANK:
  case IN_YESNO:
  case IN_LABEL:
  case IN_DATE: return ABI_CELL_WHOLE4;
  case IN_FRACTION: return ABI_CELL_UNITS4;
  default: return ABI_CELL_UNITS8;
  }
}
static inline size_t abi_cell_bytes(abi_cell c) { return c == ABI_CELL_UNITS8 ? 8 : 4; }
/* The values at the bottom of cells C: empty, bad, kept aside; a number
   from the least on. */
static inline int64_t abi_cell_empty(abi_cell c) { return c == ABI_CELL_UNITS8 ? ABI_NARROW_EMPTY : ABI_NARROW4_EMPTY; }
static inline int64_t abi_cell_error(abi_cell c) { return c == ABI_CELL_UNITS8 ? ABI_NARROW_ERROR : ABI_NARROW4_ERROR; }
static inline int64_t abi_cell_aside(abi_cell c) { return c == ABI_CELL_UNITS8 ? ABI_NARROW_ASIDE : ABI_NARROW4_ASIDE; }
static inline int64_t abi_cell_least(abi_cell c) { return c == ABI_CELL_UNITS8 ? ABI_NARROW_LEAST : ABI_NARROW4_LEAST; }
/* Counts of 10^-18 in a unit of cells C. */
static inline rb_fixed abi_cell_unit(abi_cell c) { return c == ABI_CELL_WHOLE4 ? FIXED_ONE : ABI_NARROW_UNIT; }

/* V as a count of units of 10^-9 into *OUT, or false when it is a number
   that must be kept aside. Exact, with no 128-bit division: |V| / 2^9
   times the inverse of 5^9 modulo 2^128 is the quotient by 5^9 when 5^9
   divides it, and otherwise above (2^128 - 1) / 5^9 (Granlund and
   Montgomery's test), so far above the units a cell holds: a product
   within them is the exact count of units. V is a number. */
static inline bool abi_units_of(rb_fixed v, int64_t *out) {
  const unsigned __int128 inv5_9 = (unsigned __int128)0x97157d372fb9787eULL << 64 | 0x8e47ce423a2e9c6dULL;
  unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
  if (u & 511) return false; /* 2^9 does not divide it */
  unsigned __int128 q = (u >> 9) * inv5_9;
  if (q > (unsigned __int128)(INT64_MAX - 2)) return false; /* not whole units, or too many */
  *out = v < 0 ? -(int64_t)q : (int64_t)q;
  return true;
}
/* The cell of C that holds U units of 10^-9 (a number), into *OUT; false
   when it must be kept aside (more decimals, or too large). */
static inline bool abi_cell_from_units(abi_cell c, int64_t u, int64_t *out) {
  if (c == ABI_CELL_WHOLE4) {
    if (u % ABI_NARROW_UNIT) return false;
    u /= ABI_NARROW_UNIT;
  }
  if (c != ABI_CELL_UNITS8 && (u < ABI_NARROW4_LEAST || u > -(int64_t)ABI_NARROW4_LEAST)) return false;
  *out = u;
  return true;
}
/* V (a number, FIXED_EMPTY or FIXED_ERROR) as a cell of C into *OUT, or
   false when it is a number that must be kept aside. */
static inline bool abi_narrow_of(abi_cell c, rb_fixed v, int64_t *out) {
  if (v == FIXED_EMPTY || v == FIXED_ERROR) {
    *out = v == FIXED_EMPTY ? abi_cell_empty(c) : abi_cell_error(c);
    return true;
  }
  int64_t u;
  return abi_units_of(v, &u) && abi_cell_from_units(c, u, out);
}
/* The number a cell X of C (at least its width's LEAST) stands for. */
static inline rb_fixed abi_narrow_number(abi_cell c, int64_t x) { return (rb_fixed)x * abi_cell_unit(c); }

/* A score that reads a bad cell of its entity's data, kept by `rubric
   score --partial-data` (runtime/bad_cells.c), or a peer statistic that
   another entity's bad cell spoils: no error site's values. */
#define ABI_DATA_ERROR (FIXED_ERROR + ((rb_fixed)1 << 40))
#define ABI_PEER_DATA_ERROR (ABI_DATA_ERROR + 1)
/* A score that reads a count of records (sc_tally K) whose condition failed
   on a record of its entity (runtime/tally.c): the reason is that count's. */
#define ABI_TALLY_ERROR(k) (ABI_DATA_ERROR + 2 + (rb_fixed)(k))
static inline int abi_tally_error(rb_fixed score, int ntallies) {
  return score >= ABI_TALLY_ERROR(0) && score < ABI_TALLY_ERROR(ntallies) ? (int)(score - ABI_TALLY_ERROR(0)) : -1;
}

/* The error site a failed score carries: its index, or -1 for a value no
   site produced. */
static inline int abi_error_site(rb_fixed score, int nsites) { return fixed_error_site(score, nsites); }

#endif
