/* codegen.h: a checked scheme to LLVM IR, and the host target it runs on.
 *
 * A scheme becomes up to two functions. When its rules read the peer group
 * (peers.max(x), ...), the first pass
 *   void peers(const double *const *inputs, int64_t n, const int64_t *group,
 *              int64_t ngroups, double *const *stats, double *work);
 * computes each peer statistic (ast_stat) over every row's group and writes
 * it to every row: stats[k][r]. group[r] in [0, ngroups) is the row's peer
 * group; work holds 2*ngroups + n doubles. The second pass has the C type
 * rb_score_fn:
 *   void f(const double *const *inputs, int64_t n, const double *const *stats,
 *          double *const *outputs);
 * inputs[i] is input i's column: n values, or for a per-period input
 * nperiods blocks of n (period p of row r at [p*n + r]); an empty cell of an
 * input with `missing scores` is NaN. Outputs (see cg_out_*): part k's
 * column (ast_part.index order), the total, then per target its value, goal
 * and met (1 or 0), then per grade the index of its band. A score that could
 * not be computed is a NaN whose low 32 bits hold 1 + the index of the error
 * site (cg_site) that stopped it; a number is always finite.
 */
#ifndef RUBRIC_CODEGEN_H
#define RUBRIC_CODEGEN_H
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "ast.h"

typedef void (*rb_score_fn)(const double *const *inputs, int64_t n, const double *const *stats,
                            double *const *outputs);
typedef void (*rb_peers_fn)(const double *const *inputs, int64_t n, const int64_t *group, int64_t ngroups,
                            double *const *stats, double *work);

/* Output columns of the scoring function. */
static inline int cg_out_total(const ast_scheme *s) { return s->nparts; }
static inline int cg_out_target(const ast_scheme *s, int t) { return s->nparts + 1 + 3 * t; } /* value; +1 goal; +2 met */
static inline int cg_out_grade(const ast_scheme *s, int g) { return s->nparts + 1 + 3 * s->ntargets + g; }
static inline int cg_out_count(const ast_scheme *s) { return s->nparts + 1 + 3 * s->ntargets + s->ngrades; }

/* The runtime routine the first pass calls for peers.rank: replaces each
   value by its competition rank within its group (1 = largest; ties share
   the better rank); a group holding a NaN gets NaN ranks. Defined in
   runtime/jit.c and handed to the JIT by address. */
#define CG_RANK_SYMBOL "rubric_peer_rank"
/* And for sums and means: the rows sorted by group then value, the order
   the first pass adds values in, so the bits do not depend on row order. */
#define CG_ORDER_SYMBOL "rubric_peer_order"

typedef enum { SITE_UNDEFINED, SITE_DIV_ZERO, SITE_NONFINITE, SITE_PEER } cg_site_kind;

/* A place where scoring a row can fail. */
typedef struct cg_site {
  cg_site_kind kind;
  const ast_part *part; /* the indicator or item being scored */
  rb_loc loc;           /* the `undefined`, the division, or the part */
  const char *reason;   /* text of `undefined "..."`, may be NULL */
  const ast_expr *call; /* SITE_PEER: the peer aggregate whose group has a failed value */
} cg_site;

typedef struct cg_result {
  LLVMModuleRef module; /* owned by the caller until handed to the JIT */
  char *fn_name;        /* malloc'd */
  char *peers_name;     /* malloc'd; NULL when the scheme reads no peer statistic */
  cg_site *sites;       /* malloc'd */
  int nsites;
} cg_result;

/* Decodes an error NaN from the generated code: the site index, or -1 for a
   NaN no site produced (which the runtime reports as non-finite). */
int cg_error_site(double score, int nsites);

/* The host target machine, created once per process. Returns NULL with a
   message in err on failure. Owned by this module; freed by cg_target_shutdown. */
LLVMTargetMachineRef cg_host_target(char *err, size_t errlen);
void cg_target_shutdown(void);

/* Builds the scoring function of S into a new module in CTX and optimises it
   with default<O2> for the host. Returns 0, or -1 with a message in err.
   Free the result with cg_result_free (which disposes the module unless it
   was set to NULL after a hand-off). */
int cg_scheme(const ast_scheme *s, LLVMContextRef ctx, cg_result *out, char *err, size_t errlen);
void cg_result_free(cg_result *r);

#endif
