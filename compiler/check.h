/* check.h: the checker. Resolves names, infers types and units, proves the
 * points add up exactly, checks tiers and example blocks, and annotates the
 * AST for code generation. It reports through diags and never stops early.
 */
#ifndef RUBRIC_CHECK_H
#define RUBRIC_CHECK_H
#include "ast.h"

typedef enum {
  BI_MIN, BI_MAX, BI_CLAMP, BI_CEIL, BI_FLOOR, BI_ABS, BI_SUM, BI_MEAN, BI_COUNT,
  /* over the periods */
  BI_LATEST, BI_PREVIOUS, BI_GROWTH,
  /* over the peer group (spec/semantics.md#peers) */
  BI_PEER_MAX, BI_PEER_MIN, BI_PEER_MEAN, BI_PEER_SUM, BI_PEER_COUNT, BI_PEER_RANK,
  BI_PEER_RATIO_TO_MAX, BI_PEER_MINMAX, BI_PEER_SHARE, BI_PEER_RANK_RATIO,
  BI__COUNT
} bi_kind;

#define BI_IS_PEER(b) ((b) >= BI_PEER_MAX && (b) <= BI_PEER_RANK_RATIO)

typedef enum { U_PLAIN, U_COUNT, U_RATIO, U_MONEY, U_RANK } rb_unit;

/* The type of an expression: a number with a unit, or a yes/no; either one
   value or one value per period. */
typedef struct rb_type {
  bool ok;        /* false after an error, to silence follow-on errors */
  bool is_bool;
  bool periodic;
  bool undefined; /* an `undefined` branch: takes any numeric type */
  rb_unit unit;
} rb_type;

/* Checks every scheme in FILE. PRELUDE (may be NULL) supplies forms such as
   interpolate; `linear between` needs it. Returns the number of errors. */
int check_file(ast_file *file, const ast_file *prelude, rb_arena *arena, rb_diags *diags);

/* The values an input may take: its type's (count 0 or more, rank 1 or
   more, fraction and yes/no 0 to 1, money 0 or more, number any) unless it
   declares `in [lo, hi]`, `at least lo` or `at most hi`. */
void check_input_bounds(const ast_input *in, double *lo, double *hi);
/* NULL if V fits IN, else why not ("must be at least 1"), possibly in BUF. */
const char *check_input_value(const ast_input *in, double v, char *buf, size_t len);

/* Number of periods of a checked scheme (1 when it declares none). */
int check_period_count(const ast_scheme *s);

#endif
