/* cg.h: code generation's own state, shared by its files (not by other
 * stages).
 *
 * expr.c   values, guards and error sites; every kind of expression
 * peers.c  the first pass: peer statistics per group
 * rows.c   the scoring function: parts, targets, grades, the row loop
 * module.c the module, the host target, verification and optimisation
 */
#ifndef RUBRIC_CODEGEN_CG_H
#define RUBRIC_CODEGEN_CG_H
#include "arena.h"
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
  LLVMTypeRef f64, i1, i32, i64, ptr;
  const sc_scheme *scheme;
  rb_arena *arena;
  int nperiods;
  LLVMValueRef **in_ptr; /* [input][period]: column base pointers */
  LLVMValueRef row;
  LLVMValueRef status;   /* i32: 0, or 1 + the site that stopped the current part */
  const sc_part *part;   /* the part being scored, for its sites */
  const sc_target *target;
  cg_site *sites;
  int nsites, cap;
  LLVMValueRef *part_value, *part_status;
  LLVMValueRef *stat_ptr; /* [stat]: the statistics' columns (second pass) */
  LLVMTypeRef unary_ty;
  LLVMValueRef fn_ceil, fn_floor, fn_fabs, fn_round;
} cg;

/* expr.c */
val cg_one(cg *c, LLVMValueRef v);
val cg_always(void);
LLVMValueRef cg_f64(cg *c, double d);
int cg_add_site(cg *c, cg_site_kind kind, rb_loc loc, const char *reason);
void cg_record(cg *c, val g, val fail, int site);
LLVMValueRef cg_min(cg *c, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef cg_max(cg *c, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef cg_call1(cg *c, LLVMValueRef fn, LLVMValueRef x);
LLVMValueRef cg_error_nan(cg *c, LLVMValueRef status);
/* E's value where guard G holds (per period when E is), in form env EN. */
val cg_eval(cg *c, const sc_expr *e, val g, env *en);

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
void cg_unpack_inputs(cg *c, LLVMValueRef in_tab, LLVMValueRef n, LLVMValueRef *argv);
void cg_gen_rows(cg *c, const char *name);

/* peers.c */
void cg_gen_peers(cg *c, const char *name);

#endif
