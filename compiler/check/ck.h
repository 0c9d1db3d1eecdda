/* ck.h: the checker's own state, and the layers its passes share (not a
 * public interface: compile.c calls check_file, check.h).
 *
 * Before any pass, extends.c merges a base scheme's statements into each
 * scheme that extends it (compile.c calls check_extends).
 * The passes, in the order the driver (check.c) runs them on a scheme:
 *   records.c   record tables, and counts of their records as inputs
 *   inputs.c    each input's type, range, source and missing rule
 *   points.c    the parts in source order: structure, rules, exact budgets
 *   grades.c    bands that cover the total (or a part) once
 *   hygiene.c   unused inputs, inputs and indicators no example exercises
 *   examples.c  what each example gives and expects
 *   lower.c     the checked scheme (scheme.h), then ranges.c, the range proof
 * and, for the file, forms.c (what a form's declaration alone can show).
 * Below the passes, which never call one another:
 *   types.c     the walk over a rule's expression: names, units, calls
 *   tiers.c     tier lists: coverage, overlap, order, `linear between`
 *   cases.c     tier lists over several inputs: every combination of cases
 *   peers.c     peer statistics a rule reads
 *   intervals.c sets of intervals of exact decimals (tiers, bands)
 *   bounds.c    the values an input may take (check.h)
 *   names.c     lookups, reserved and dotted names, did-you-mean
 * A file only calls files listed below it.
 */
#ifndef RUBRIC_CHECK_CK_H
#define RUBRIC_CHECK_CK_H
#include "ast.h"
#include "check.h"

/* The type of an expression: a number with a unit, or a yes/no; either one
   value or one value per period. */
typedef struct rb_type {
  bool ok;        /* false after an error, to silence follow-on errors */
  bool is_bool;
  bool periodic;
  bool undefined; /* an `undefined` branch: takes any numeric type */
  rb_unit unit;
  const ast_input *labels; /* the value is a label of this `one of` input: neither number nor yes/no */
} rb_type;

static inline rb_type types_bad(void) { return (rb_type){.ok = false}; }
static inline rb_type types_num(rb_unit u, bool periodic) {
  return (rb_type){.ok = true, .unit = u, .periodic = periodic};
}
static inline rb_type types_bool(bool periodic) {
  return (rb_type){.ok = true, .is_bool = true, .periodic = periodic};
}

/* The lets in scope, innermost first. */
typedef struct scope {
  struct scope *next;
  ast_stmt *let;
} scope;

/* Parameters of the form whose body is being checked. */
typedef struct form_env {
  ast_form *form;
  rb_type *params;
} form_env;

typedef struct ck {
  rb_arena *arena;    /* the syntax tree's */
  check_out *out;
  rb_diags *diags;
  const ast_file *file, *prelude;
  ast_scheme *scheme; /* NULL while checking top-level forms */
  int nperiods;
  int form_errors;    /* errors in the file's own form declarations */
  bool items_here;    /* checking the rule of a part with items: `items` is their sum */
} ck;

/* Grows an arena array *ARR of *N elements with capacity *CAP by one slot
   (doubling, so a scheme of n parts costs O(n), not O(n^2)); returns the
   new slot's index. */
#define CK_GROW(c, arr, n, cap)                                                     \
  ((n) == (cap) ? (void)((cap) = (cap) ? 2 * (cap) : 16,                            \
                         (arr) = ck_regrow((c), (arr), sizeof *(arr), (n), (cap))) \
                : (void)0,                                                          \
   (n)++)
void *ck_regrow(ck *c, void *arr, size_t size, int n, int cap);

/* ---- names.c --------------------------------------------------------------- */

/* Keeps the closest of the candidate names offered so far. */
typedef struct suggestion {
  const char *want, *best;
  int dist;
} suggestion;
void names_suggest(suggestion *s, const char *candidate);
/* "; did you mean 'x'?" or "" */
const char *names_did_you_mean(ck *c, suggestion *s);
ast_input *names_input(ast_scheme *s, const char *name);
/* The index of label NAME of the `one of` input IN, or -1. */
int names_label(const ast_input *in, const char *name);
/* The labels of IN as a list for messages: "A级, B级, C级" (in the arena). */
const char *names_labels_text(ck *c, const ast_input *in);
ast_stmt *names_let(scope *sc, const char *name);
ast_form *names_form_in(ast_form *list, const char *name);
ast_form *names_form(ck *c, const char *name);
int names_builtin(const char *name);
/* id, name, total, rank: the key columns of the data and the output */
bool names_reserved(const char *id);
/* A declared name with a '.': R0305. */
void names_dotted(rb_diags *diags, const char *name, rb_loc loc);
void names_plain(ck *c, const char *name, rb_loc loc);
/* The part whose path is PATH, the target, the grade (hash lookups). */
ast_part *names_part(ast_scheme *s, const char *path);
ast_part *names_target(ast_scheme *s, const char *id);
ast_grade *names_grade(ast_scheme *s, const char *id);
/* Registers P (a part or a target) under its path; returns the one
   registered before under that name, or NULL. */
ast_part *names_add_part(ck *c, ast_part *p);
/* Registers IN under its name; returns the input declared before with it, or NULL. */
ast_input *names_add_input(ck *c, ast_input *in);
/* A table from names to anything, in the arena (*T starts NULL): stores
   KEY -> VAL unless KEY is there; returns what was there, or NULL. */
typedef struct name_table name_table;
void *names_table_put(ck *c, name_table **t, const char *key, void *val);
void *names_table_get(const name_table *t, const char *key);
/* The record table NAME of S, and the field NAME of one of its tables; NULL if none. */
ast_records *names_records(const ast_scheme *s, const char *name);
ast_input *names_field(const ast_scheme *s, const char *name);
const char *names_a_an(const char *word);
/* An exact decimal as the document writes it ("99.8"), in the arena. */
const char *names_points(ck *c, rb_decimal d);
/* The source text of E. */
char *names_expr_text(ck *c, const ast_expr *e);

/* The inputs E reads (through its lets and form arguments), added to the
   sorted set *IDS of *N indices (in the arena). */
void names_add_reads(ck *c, int **ids, int *n, const ast_expr *e);
/* The union of sorted sets A and B, in the arena. */
void names_union(ck *c, int **ids, int *n, const int *b, int nb);
/* Every input some part or target of S reads, as a bitmap by input index (in the arena). */
unsigned char *names_inputs_read(ck *c, ast_scheme *s);

/* ---- intervals.c ------------------------------------------------------------ */

/* One end of an interval of values: -inf/+inf, or a decimal, open or closed. */
typedef struct bound {
  bool inf;
  rb_decimal v;
  bool closed;
} bound;
typedef struct interval {
  bound lo, hi;
} interval;
#define MAX_IV 64
/* A union of disjoint intervals, sorted. */
typedef struct ivset {
  int n;
  interval iv[MAX_IV];
} ivset;
/* `subject op constant`: the subject and the set of values it matches. */
typedef struct tier_cond {
  ast_expr *subject;
  ex_op op;
  rb_decimal t;
} tier_cond;

bool iv_lo_le(bound a, bound b);   /* lower bound a starts no later than b */
bool iv_hi_ge(bound a, bound b);   /* upper bound a ends no earlier than b */
bool iv_empty(interval x);
void ivset_add(ivset *s, interval x);
bool ivset_contains(const ivset *s, interval x);
bool iv_literal(const ast_expr *e, rb_decimal *v);
bool iv_tier_cond(ast_expr *cond, tier_cond *out);
int iv_cond_intervals(tier_cond tc, interval out[2]);
const char *iv_bound_text(rb_arena *a, bound b, bool lower);
/* Text of the first range of values the set leaves out, e.g. "[0.003, 0.005]". */
const char *iv_first_gap(rb_arena *a, const ivset *s);

/* ---- peers.c ----------------------------------------------------------------- */

bool peer_is_call(const ast_expr *e, void *ctx);
/* The first input with `missing scores` that E reads, or NULL. */
ast_input *peer_reads_missing_scores(const ast_expr *e);
/* The scheme's statistic of KIND over ARG, added on first use. */
int peer_stat(ck *c, stat_kind kind, ast_expr *arg, ast_expr *call);
/* Marks the peer statistics E reads, through lets and form arguments. */
void peer_mark_stats(const ast_expr *e, unsigned char *mark);
/* How an example gives statistic ST: "'peers.max(share)'". */
const char *peer_stat_text(ck *c, const ast_stat *st);

/* ---- tiers.c ----------------------------------------------------------------- */

/* `a if x < t1, b if x > t2, linear between`: checks its shape and returns
   the call interpolate(x, t1, a, t2, b) of the prelude (call.form set) to
   stand for the values between, for types.c to resolve; NULL after
   reporting. */
ast_expr *tiers_linear(ck *c, ast_expr *e);
/* Tiers that test one value against numbers: tiers no value reaches,
   thresholds two tiers share, values no tier takes. */
void tiers_coverage(ck *c, ast_expr *e);

/* ---- cases.c ----------------------------------------------------------------- */

/* Tiers without `otherwise` whose conditions test several inputs (or yes/no
   ones) against numbers, with and, or, not: reports the first case no tier
   takes (R0601) and each tier no case reaches, naming the tier that takes
   its cases (R0602). False, saying nothing, when the conditions are not of
   that kind. */
bool cases_tiers(ck *c, ast_expr *e);
/* The bands of grade G when some test inputs beside the subject, whose
   values run from BOTTOM to TOP: reports the first case no band takes
   (R0608), the first case two bands share (R0609) and
   each band no case reaches (R0610). False, saying nothing, when some
   condition is not of that kind. */
bool cases_bands(ck *c, ast_grade *g, rb_decimal bottom, rb_decimal top);
/* Whether COND, a band of G, is of that kind. */
bool cases_band_testable(ck *c, const ast_grade *g, const ast_expr *cond);

/* ---- types.c ----------------------------------------------------------------- */

/* The type of E, resolving its names and calls (ast.h "resolved" fields);
   reports and returns !ok on error. SC: the lets in scope; ENV: the form
   whose body E is, or NULL. */
rb_type types_check(ck *c, ast_expr *e, scope *sc, form_env *env);
rb_type types_need_number(ck *c, rb_type t, ast_expr *e, const char *context);
rb_type types_need_bool(ck *c, rb_type t, ast_expr *e, const char *context);
/* `let NAME = expr`: checks it and adds it to *SC. */
void types_let(ck *c, ast_stmt *st, scope **sc, form_env *env);

/* ---- forms.c ----------------------------------------------------------------- */

/* Reports E, a name form F's body cannot see; S: the scheme that declares
   F, NULL for a file-level form. */
void forms_unknown(rb_diags *diags, const ast_form *f, const ast_scheme *s, const ast_expr *e);
/* What can be said of a form without a call: its name, its parameters, and
   that its body names only them, or inputs of S, the scheme that declares it
   (NULL: a file-level form, which sees its parameters only). Run for a
   scheme's forms once its inputs are registered. */
void forms_check_decl(rb_diags *diags, ast_form *f, const ast_scheme *s);

/* ---- the passes -------------------------------------------------------------- */

/* A record table's statement, sorted out of the scheme's (check.c); then,
   before the inputs are numbered, its fields checked and every count of
   records turned into the name of its tally's input (ast_tally). */
void records_declare(ck *c, ast_scheme *s, ast_stmt *st);       /* records.c */
void records_check(ck *c, ast_scheme *s);
void inputs_check(ck *c, ast_input *in);                        /* inputs.c */
/* Each assessed input takes the range 0 to the points of the one part that
   reads it (reported when two do); after the parts are checked. */
void inputs_bind_assessed(ck *c, ast_scheme *s);                 /* inputs.c */
void points_check_parts(ck *c, ast_scheme *s);                  /* points.c */
void points_check_total(ck *c, ast_scheme *s);
void kinds_check(ck *c, ast_scheme *s);                          /* kinds.c */
void kinds_check_expect(ck *c, const ast_example *ex, const ast_given *expect);
int kinds_of_example(const ast_scheme *s, const ast_example *ex);
void kinds_reads_for(const ast_scheme *s, const ast_part *whose, int l, unsigned char *mark);
void grades_check(ck *c, ast_grade *g);                         /* grades.c */
void hygiene_unused_inputs(ck *c, ast_scheme *s);               /* hygiene.c */
void hygiene_check(ck *c, ast_scheme *s);
void examples_check(ck *c, ast_example *ex);                    /* examples.c */

#endif
