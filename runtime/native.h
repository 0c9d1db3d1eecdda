/* native.h: a checked scheme as native code, through one ORC LLJIT per
 * process (as PostgreSQL's llvmjit.c).
 *
 * native_compile generates the scheme's module (codegen/), finds its
 * machine code in the disk cache (cache.h) or optimises it and compiles it
 * to an object file (stored in the cache), adds the object to the process's
 * JIT under a resource tracker of its own and looks its functions up;
 * native_release drops that code again. The JIT is created on
 * first use and destroyed by native_shutdown. Every failure, LLVM's
 * included, is reported to the diagnostics with a code (R1601).
 */
#ifndef RUBRIC_NATIVE_H
#define RUBRIC_NATIVE_H
#include <pthread.h>
#include <stdbool.h>

#include "codegen.h"
#include "diag.h"
#include "scheme.h"

typedef struct native_scheme {
  const sc_scheme *scheme;
  rb_score_fn score;       /* the scoring function (abi.h) */
  rb_peers_fn peers;       /* the pass of stage 1; NULL when no rule reads a peer statistic */
  rb_peers_fn *later;      /* the passes of stages 2, 3, ... (nlater of them); NULL when no statistic reads another */
  int nlater;
  rb_records_fn *records;  /* per record table (sc_scheme.records), its pass; NULL when the scheme has none */
  const char *name;        /* "rubric_score_<id>", for --stats */
  int nsites;              /* where a score can fail (codegen.h): native_site */
  int nprobes;             /* output columns after abi_out_count: the probes (codegen.h) */
  /* private */
  cg_result cg;            /* its sites are N's, once known */
  void *tracker;
  char suffix[32];         /* of its names, unique in the process */
  bool sites_known;        /* cg.sites is what they are (NULL: they could not be learnt) */
  pthread_mutex_t sites_lock;
} native_scheme;

/* Whether native_compile keeps and finds machine code in the disk cache
   (cache.h); off until a command turns it on, so that a program linking
   the runtime (the tests, the fuzzers) touches no disk. VERBOSE: one line
   per scheme on stderr, what the cache did and the time each step took
   (`--stats`). The cache never changes a result, only the time. */
void native_use_cache(bool on, bool verbose);

/* Compiles S to native code. Returns NULL after reporting to D. The caller
   owns the result; release it with native_release (NULL-safe), which drops
   its code from the JIT. S must outlive it. */
native_scheme *native_compile(const sc_scheme *s, rb_diags *d);
/* native_compile, the scoring function also writing PROBES (cg_probes) into
   the output columns after abi_out_count, for `rubric explain`. */
native_scheme *native_compile_probed(const sc_scheme *s, const cg_probe *probes, int nprobes, rb_diags *d);
/* native_compile_probed reporting nothing: NULL with the reason in ERR,
   for native_report. It touches no diagnostics, so it may run on a thread
   of its own while the caller loads the data (`rubric score`), as long as
   no other native_ call runs meanwhile. */
native_scheme *native_build(const sc_scheme *s, const cg_probe *probes, int nprobes, char *err, size_t errlen);
/* Site K of N (abi_error_site): where a score failed. Code found in the
   cache by the scheme's text comes with the number of its sites only; the
   first call learns them by building the scheme's IR again, once, whatever
   thread asks. NULL when K is not a site or they could not be learnt. */
const cg_site *native_site(const native_scheme *n, int k);
/* WHY the scheme could not be compiled, as an error to D (R1601). */
void native_report(rb_diags *d, const char *why);
void native_release(native_scheme *n);

/* The optimised IR of S as text, for `rubric emit-llvm`: malloc'd, NULL
   after reporting to D. Needs no JIT. */
char *native_ir(const sc_scheme *s, rb_diags *d);

/* Destroys the process's JIT and LLVM's target machine; call once, at exit,
   after every native_scheme is released. A failure is a warning to D (may
   be NULL). */
void native_shutdown(rb_diags *d);

#endif
