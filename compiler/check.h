/* check.h: the checker (check/). Resolves names, infers types and units,
 * proves the points add up exactly, checks tiers, grades and example
 * blocks, and builds the checked scheme (scheme.h) of every scheme that
 * checked clean, with the proof of what each part can score. It reports
 * through diags and never stops early.
 */
#ifndef RUBRIC_CHECK_H
#define RUBRIC_CHECK_H
#include "ast.h"
#include "scheme.h"

/* Limits of one scheme: beyond them the checker reports R0204 (the
   syntax's own limits are in grammar/parse.h). */
#define CHECK_MAX_PERIODS 1000
#define CHECK_MAX_INPUTS 200000
#define CHECK_MAX_PARTS 200000

/* The checked schemes of a file: those that checked without errors. */
typedef struct check_out {
  rb_arena *arena; /* where the checked schemes are built (not the AST's) */
  int nschemes;
  sc_scheme **schemes;
} check_out;

/* The files read for the bases of `extends BASE in "path"`: their texts,
   which locations in the merged schemes point into (malloc'd array; the
   caller owns the sources and frees them with source_free). */
typedef struct check_sources {
  rb_source **at;
  int n, cap;
} check_sources;

/* Merges into each scheme of FILE that extends another the statements of
   its base (check/extends.c), before check_file; a scheme whose base cannot
   be merged is reported and marked base_failed, and check_file skips it.
   Nodes go in ARENA (the syntax tree's); files read are added to READ. */
void check_extends(ast_file *file, rb_arena *arena, rb_diags *diags, check_sources *read);

/* Checks every scheme in FILE. PRELUDE (may be NULL) supplies forms such as
   interpolate; `linear between` needs it. Each scheme that checks without
   errors is lowered into OUT and its ranges proved. Returns the number of
   errors. */
int check_file(ast_file *file, const ast_file *prelude, rb_arena *arena, rb_diags *diags, check_out *out);

/* The values an input may take: its type's (count 0 or more, rank 1 or
   more, fraction and yes/no 0 to 1, money 0 or more, number any) unless it
   declares `in [lo, hi]`, `at least lo` or `at most hi`. */
void check_input_bounds(const ast_input *in, double *lo, double *hi);
/* NULL if V fits IN, else why not ("must be at least 1"), possibly in BUF. */
const char *check_input_value(const ast_input *in, rb_decimal v, char *buf, size_t len);

/* Number of periods of a scheme being checked (1 when it declares none). */
int check_period_count(const ast_scheme *s);

#endif
