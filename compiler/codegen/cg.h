/* cg.h: code generation's own state, shared by its files (not by other
 * stages).
 *
 * expr.c   values, guards and error sites; every kind of expression
 * records.c the pass over a record table: which records each count counts
 * peers.c  the passes before scoring: peer statistics' arguments, stage by stage
 * periods.c a reduction over the periods as a loop
 * rows.c   the scoring function: parts, targets, grades, the row loop
 * module.c the module, the host target, verification and optimisation
 */
#ifndef RUBRIC_CODEGEN_CG_H
#define RUBRIC_CODEGEN_CG_H
#include "arena.h"
#include "fixed.h"
#include "codegen.h"

/* A value: one LLVM value, or one per period. */
typedef struct val {
  int n; /* 0: "always true" guard; 1: one value; nperiods: per period */
  LLVMValueRef *v;
} val;

/* A form call: its arguments are evaluated where the body uses them, under
   the guard at that point and in the caller's environment, so an argument
   the body does not take on a row cannot fail that row. */
typedef struct env {
  sc_expr *const *args;
  struct env *caller;
  /* Uses of a parameter under the same guard share one evaluation, so a
     body that reads x three times, nested n deep, costs n, not 3^n. */
  val *memo, *memo_guard;
} env;

typedef struct cg {
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  /* fx: a number as columns hold it (i128, 18 decimals); wx: a value inside
     a rule (i256, 36 decimals; fixed.h, rb_wide) */
  LLVMTypeRef fx, wx, i1, i32, i64, ptr;
  const sc_scheme *scheme;
  rb_arena *arena;
  int nperiods;
  /* [input]: its cells (abi.h, rb_narrow), period p of row r at p * stride
     + r, from the table's first row; in a records pass (fields), a record
     table's field columns instead, moved to the pass's first record */
  LLVMValueRef *in_col;
  bool fields;
  LLVMValueRef stride; /* i64: the table's rows, the distance between two periods */
  LLVMValueRef lo;     /* i64: the pass's first row, where the inputs' cells are read from (abi.h) */
  LLVMValueRef *cells; /* [input * nperiods + p]: an input's cell read in this row (cg_input_at), or NULL */
  LLVMValueRef period; /* i64: inside a loop over the periods (periods.c), the period read; else NULL */
  LLVMValueRef row;
  LLVMValueRef status;   /* i32: 0, or 1 + the site that stopped the current part */
  const sc_part *part;   /* the part being scored, for its sites */
  const sc_target *target;
  cg_site *sites;
  int nsites, cap;
  LLVMValueRef *part_value, *part_out, *part_status; /* value: wide, as parents add it; out: its column's */
  LLVMValueRef items_value; /* `items` (SX_ITEMS): the sum of the items of the part whose rule adjusts it */
  LLVMValueRef subject_value; /* SX_SUBJECT: the subject of the grade whose band is tested (wide) */
  LLVMValueRef *stat_ptr; /* [stat]: the statistics' columns (second pass) */
  LLVMValueRef calendar;  /* the holiday calendar's column (abi.h), when the scheme calls workdays */
  /* the runtime routines (abi.h); the wide ones, which take and give
     values through pointers, behind functions of values (module.c,
     by_value), so that the optimiser sees pure functions and computes a
     let read three times once */
  LLVMTypeRef wide2_ty, wide1_ty, result_ty, binary_ty, round_ty, narrow_ty;
  LLVMValueRef fn_wmul, fn_wdiv, fn_wfloor, fn_wceil, fn_result, fn_div, fn_round;
  LLVMValueRef fn_narrow; /* a per-period cell below its units (abi.h): reads, writes nothing the code sees */
  LLVMTypeRef add_ovf_ty;
  LLVMValueRef fn_add_ovf; /* llvm.sadd.with.overflow.i128: inline, no library call */
  /* values.c: what cg_narrow_of found for each value it looked at, so that a
     value shared by many others is looked at once (open addressing, in the
     arena; NULL until first used) */
  struct narrow_memo *narrow;
  size_t nnarrow, narrow_cap;
  const cg_probe *probes; /* probes.c: written after the outputs, when asked */
  int nprobes;
} cg;

/* probes.c */
LLVMValueRef cg_probe_value(cg *c, const cg_probe *pr);

/* values.c */
LLVMValueRef cg_fixed(cg *c, rb_fixed v);      /* a number as a column holds it (i128) */
LLVMValueRef cg_wide(cg *c, rb_fixed v);       /* the number v inside a rule (i256) */
LLVMValueRef cg_int(cg *c, long long k);        /* the number k inside a rule */
LLVMValueRef cg_widen(cg *c, LLVMValueRef x);   /* a column's number inside a rule */
LLVMValueRef cg_min(cg *c, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef cg_max(cg *c, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef cg_not_number(cg *c, LLVMValueRef x); /* of a wide value */
LLVMValueRef cg_not_fixed(cg *c, LLVMValueRef x);  /* of a column's number */
/* X (wide) as an i256 at 18 decimals (its narrow value), read off the IR
   that made it, or NULL; *BITS: the signed bits it fits. */
LLVMValueRef cg_narrow_of(cg *c, LLVMValueRef x, int *bits);
LLVMValueRef cg_narrow_is_number(cg *c, LLVMValueRef n);
LLVMValueRef cg_narrow_128(cg *c, LLVMValueRef n); /* a narrow value within 128 bits, as i128 */
/* X, or when its narrow value fits 128 bits, X rebuilt from it on 128 bits. */
LLVMValueRef cg_on_128_bits(cg *c, LLVMValueRef x);
LLVMValueRef cg_settle_of(cg *c, LLVMValueRef x); /* X (wide) rounded half up to 18 decimals, where that cannot overflow */

/* expr.c */
val cg_one(cg *c, LLVMValueRef v);
val cg_always(void);
/* X (wide) rounded half up to 18 decimals: a result (i128); where that is
   not a number and G holds, the part fails at an overflow site at LOC. */
LLVMValueRef cg_settle(cg *c, LLVMValueRef x, val g, rb_loc loc);
int cg_add_site(cg *c, cg_site_kind kind, rb_loc loc, const char *reason);
void cg_record(cg *c, val g, val fail, int site);
LLVMValueRef cg_error_value(cg *c, LLVMValueRef status);
LLVMValueRef cg_call(cg *c, LLVMValueRef fn, LLVMTypeRef ty, LLVMValueRef *args, unsigned n);
/* E's value where guard G holds (per period when E is), in form env EN. */
val cg_eval(cg *c, const sc_expr *e, val g, env *en);
/* The row's cell of input IN in period PERIOD (i64; NULL: period 0), a
   number (fixed.h) whatever its column holds (abi.h). */
LLVMValueRef cg_input_at(cg *c, const sc_input *in, LLVMValueRef period, const char *name);

/* rows.c: a counted loop over rows; loop_begin leaves the builder in the
   body with the row index in c->row; loop_end closes it and moves to the exit. */
typedef struct cg_loop {
  LLVMBasicBlockRef pre, body, exit;
  LLVMValueRef row;
} cg_loop;
void cg_loop_begin(cg *c, LLVMValueRef fn, LLVMValueRef n, cg_loop *L);
void cg_loop_end(cg *c, LLVMValueRef n, cg_loop *L);
LLVMValueRef cg_load_at(cg *c, LLVMValueRef base, LLVMValueRef idx, const char *name);
void cg_store_at(cg *c, LLVMValueRef v, LLVMValueRef base, LLVMValueRef idx);
LLVMValueRef cg_column(cg *c, LLVMValueRef tab, int k, const char *name);
/* COLUMN moved to row LO: a pass over rows LO..HI-1 counts its rows from 0 */
LLVMValueRef cg_from(cg *c, LLVMValueRef column, LLVMValueRef lo);
void cg_unpack_inputs(cg *c, LLVMValueRef in_tab, LLVMValueRef *argv);
/* An internal, always inlined function NAME of NCOLS column pointers, each
   `noalias` (columns never overlap), the pass's first row (c->lo), the
   table's rows (the stride between periods) and a count of rows to score;
   the builder at its entry, its type in *TYPE for the call. */
LLVMValueRef cg_body(cg *c, const char *name, int ncols, LLVMTypeRef *type);
void cg_gen_rows(cg *c, const char *name);

/* peers.c */
/* A pass's function NAME, void (table, n, lo, hi, out) (abi.h), with the
   builder at its entry and the wide routines' slots made. */
LLVMValueRef cg_begin_pass(cg *c, const char *name);
void cg_gen_peers(cg *c, const char *name, int stage);

/* periods.c: a reduction over the periods as a loop. Whether the reduction
   of ARG (one argument, per period) can loop; then, between begin and end,
   the caller evaluates ARG for period c->period (its failures recorded in
   c->status as ever) and combines it with acc, the value so far; end closes
   the loop, keeps the failure the unrolled values would have reported, and
   returns the reduction. */
typedef struct cg_period_loop {
  LLVMBasicBlockRef pre, body, done;
  LLVMValueRef period, acc, lowest; /* the loop's phis */
  LLVMValueRef init, before;        /* acc before period 0; c->status before the loop */
  LLVMValueRef acc128, next128;     /* a sum kept on 128 bits (cg_periods_acc128), and its next value */
} cg_period_loop;
bool cg_loops_over_periods(const cg *c, const sc_expr *arg);
void cg_periods_begin(cg *c, bi_kind fn, cg_period_loop *L);
/* A second accumulator, i128 from 0, for a sum whose terms fit 128 bits
   with room for all periods: the caller sets L->next128. */
LLVMValueRef cg_periods_acc128(cg *c, cg_period_loop *L);
LLVMValueRef cg_periods_end(cg *c, cg_period_loop *L, LLVMValueRef next_acc);

/* records.c */
void cg_gen_records(cg *c, const char *name, const sc_records *t);

#endif
