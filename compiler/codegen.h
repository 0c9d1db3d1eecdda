/* codegen.h: a checked scheme to LLVM IR, and the host target it runs on.
 *
 * The generated function has the C type rb_score_fn:
 *   void f(const double *const *inputs, int64_t n, double *const *outputs);
 * inputs[i] is input i's column: n values, or for a per-period input
 * nperiods blocks of n (period p of row r at [p*n + r]). outputs[k] is part
 * k's column (ast_part.index order) and outputs[nparts] the total. A score
 * that could not be computed is a NaN whose low 32 bits hold 1 + the index
 * of the error site (cg_site) that stopped it; a number is always finite.
 */
#ifndef RUBRIC_CODEGEN_H
#define RUBRIC_CODEGEN_H
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "ast.h"

typedef void (*rb_score_fn)(const double *const *inputs, int64_t n, double *const *outputs);

typedef enum { SITE_UNDEFINED, SITE_DIV_ZERO, SITE_NONFINITE } cg_site_kind;

/* A place where scoring a row can fail. */
typedef struct cg_site {
  cg_site_kind kind;
  const ast_part *part; /* the indicator or item being scored */
  rb_loc loc;           /* the `undefined`, the division, or the part */
  const char *reason;   /* text of `undefined "..."`, may be NULL */
} cg_site;

typedef struct cg_result {
  LLVMModuleRef module; /* owned by the caller until handed to the JIT */
  char *fn_name;        /* malloc'd */
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
