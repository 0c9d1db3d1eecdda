/* codegen.h: a checked scheme to LLVM IR for the host (the functions of
 * abi.h), and the host's target machine.
 *
 * Reads only the checked scheme (scheme.h). The runtime hands the module to
 * the JIT (runtime/native.c); `rubric emit-llvm` prints it.
 */
#ifndef RUBRIC_CODEGEN_H
#define RUBRIC_CODEGEN_H
#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "abi.h"
#include "scheme.h"

/* SITE_CALENDAR: workdays(a, b) of a date outside the holiday calendar */
typedef enum { SITE_UNDEFINED, SITE_DIV_ZERO, SITE_OVERFLOW, SITE_PEER, SITE_REQUIRE, SITE_CALENDAR } cg_site_kind;

/* A place where scoring a row can fail. */
typedef struct cg_site {
  cg_site_kind kind;
  const sc_part *part;     /* the indicator or item being scored; NULL for a target or a statistic */
  const sc_target *target; /* the target being computed, or NULL */
  rb_loc loc;              /* the `undefined`, the division, the operation that overflowed, the peers.* call,
                              the `require` */
  const char *reason;      /* text of `undefined "..."` or of `require ... "..."`, may be NULL */
} cg_site;

/* What `rubric explain` reads of a rule besides its score: a let's value
   (LET), whether tier TIER of the tier list TIERS holds (its condition,
   EXPR, as 1 or 0), and for a peers.* call the row's own value and the
   group's statistics; see probes.c. Compiled, when asked, as output columns
   after abi_out_count, one per probe, in this order. */
typedef enum { PROBE_LET, PROBE_TIER, PROBE_PEER_OWN, PROBE_STAT } cg_probe_kind;
typedef struct cg_probe {
  cg_probe_kind kind;
  const sc_part *part;   /* the part whose rule it is in */
  const sc_expr *expr;   /* what is computed */
  const sc_let *let;     /* PROBE_LET */
  const sc_expr *tiers;  /* PROBE_TIER: the tier list (SX_TIERS) */
  int tier;              /* PROBE_TIER: the index of the tier */
  const sc_expr *peer;   /* PROBE_PEER_OWN (the row's own value of the statistic's
                            argument, EXPR), PROBE_STAT (statistic STAT of the
                            row's group): the peers.* call */
  int stat;
} cg_probe;

/* The probes of S, part by part (at most 48 a part): a malloc'd array the
   caller frees, and its length. */
int cg_probes(const sc_scheme *s, cg_probe **out);

typedef struct cg_result {
  LLVMModuleRef module; /* owned by the caller until handed to the JIT */
  char *fn_name;        /* malloc'd */
  char *peers_name;     /* malloc'd; NULL when the scheme reads no peer statistic */
  char **later_names;   /* malloc'd, with each name: the passes of stages 2, 3, ... (rubric_peers2_<id>, ...) */
  int nlater;           /* 0 unless a statistic reads another (sc_scheme.nstages - 1) */
  char **records_names; /* malloc'd, with each name: per record table, its pass (rubric_records<t>_<id>, abi.h);
                           NULL when the scheme has none (sc_scheme.nrecords) */
  int nrecords;
  cg_site *sites;       /* malloc'd */
  int nsites;
} cg_result;

/* The host target machine, created once per process. Returns NULL with a
   message in err on failure. Owned by this module; freed by cg_target_shutdown. */
LLVMTargetMachineRef cg_host_target(char *err, size_t errlen);
/* Everything besides the IR that decides the machine code: the LLVM
   version, the target triple, CPU and features, the optimisation pipeline
   and the machine-code level, as one line (runtime/cache.c keys on it).
   NULL until cg_host_target succeeded; owned by this module. */
const char *cg_target_description(void);
void cg_target_shutdown(void);

/* Builds the scoring functions of S into a new module in CTX, named
   rubric_score_<id> (and rubric_peers_<id>), with SUFFIX (may be NULL) appended
   (the JIT needs names unique in the process), and optimises it with
   default<O2> for the host. Returns 0, or -1 with a message in err. Free the
   result with cg_result_free (which disposes the module unless it was set
   to NULL after a hand-off). */
int cg_scheme(const sc_scheme *s, LLVMContextRef ctx, const char *suffix, cg_result *out, char *err, size_t errlen);
/* cg_scheme in its two steps: the module built and verified, not yet
   optimised (what the disk cache keys on), then optimised in place. */
int cg_build(const sc_scheme *s, LLVMContextRef ctx, const char *suffix, cg_result *out, char *err, size_t errlen);
/* cg_build, the scoring function also writing the NPROBES PROBES (from
   cg_probes) into the output columns after abi_out_count. */
int cg_build_probed(const sc_scheme *s, const cg_probe *probes, int nprobes, LLVMContextRef ctx, const char *suffix,
                    cg_result *out, char *err, size_t errlen);
int cg_optimise(LLVMModuleRef m, char *err, size_t errlen);
/* The machine code of the optimised module M for the host, as an ELF (or
   the host's) object file in memory: the caller owns it (the JIT takes it,
   LLVMOrcLLJITAddObjectFile). Runs the code generator over M, which is
   changed by it; dispose of M afterwards. NULL with a message in err. */
LLVMMemoryBufferRef cg_emit_object(LLVMModuleRef m, char *err, size_t errlen);
void cg_result_free(cg_result *r);

#endif
