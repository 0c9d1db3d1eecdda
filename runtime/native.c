/* native.c: one LLJIT per process, a resource tracker per scheme; see
 * native.h. Every LLVMErrorRef is turned into text and disposed here.
 */
#include "native.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>

#include "arith.h"
#include "peers.h"

/* The process's JIT, made on first use. */
static struct {
  LLVMOrcLLJITRef lljit;
  LLVMOrcThreadSafeContextRef tsc; /* every module is built in its context */
  int compiled;                    /* schemes compiled so far, for unique names */
} jit;

/* ERR (consumed) as text in BUF, after WHAT. */
static void error_text(LLVMErrorRef e, const char *what, char *buf, size_t len) {
  char *m = LLVMGetErrorMessage(e);
  snprintf(buf, len, "%s: %s", what, m);
  LLVMDisposeErrorMessage(m);
}

static void report(rb_diags *d, const char *msg) {
  diag_plain(d, DIAG_ERROR, R1601, NULL, "cannot compile to native code: %s", msg);
}

/* Creates the JIT and gives it the runtime routines generated code calls.
   Returns false after writing why to ERR. */
static bool jit_start(char *err, size_t errlen) {
  if (jit.lljit) return true;
  if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()) {
    snprintf(err, errlen, "LLVM has no native target for this machine");
    return false;
  }
  /* The builder takes the host's target machine: the same CPU and features
     as the target machine codegen optimises for. */
  LLVMOrcJITTargetMachineBuilderRef jtmb;
  LLVMErrorRef e = LLVMOrcJITTargetMachineBuilderDetectHost(&jtmb);
  if (e) {
    error_text(e, "cannot detect the host for the JIT", err, errlen);
    return false;
  }
  LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
  LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, jtmb); /* builder owns jtmb now */
  e = LLVMOrcCreateLLJIT(&jit.lljit, builder);                   /* consumes builder */
  if (e) {
    jit.lljit = NULL;
    error_text(e, "cannot create the JIT", err, errlen);
    return false;
  }
  jit.tsc = LLVMOrcCreateNewThreadSafeContext();
  /* The runtime routines (peers.rank, the exact arithmetic) by address: the
     JIT needs no symbol search in the process. */
  LLVMJITSymbolFlags fn_flags = {LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable, 0};
  static const struct {
    const char *name;
    void (*address)(void);
  } table[] = {
      {ABI_RANK_SYMBOL, (void (*)(void))rubric_peer_rank},
      {ABI_WIDE_MUL_SYMBOL, (void (*)(void))rubric_wide_mul},
      {ABI_WIDE_DIV_SYMBOL, (void (*)(void))rubric_wide_div},
      {ABI_WIDE_FLOOR_SYMBOL, (void (*)(void))rubric_wide_floor},
      {ABI_WIDE_CEIL_SYMBOL, (void (*)(void))rubric_wide_ceil},
      {ABI_WIDE_RESULT_SYMBOL, (void (*)(void))rubric_wide_result},
      {ABI_DIV_SYMBOL, (void (*)(void))rubric_fixed_div},
      {ABI_ROUND_SYMBOL, (void (*)(void))rubric_fixed_round_to},
  };
  enum { NROUTINES = sizeof table / sizeof *table };
  LLVMOrcCSymbolMapPair routines[NROUTINES]; /* the pairs own these references */
  for (int i = 0; i < NROUTINES; i++)
    routines[i] = (LLVMOrcCSymbolMapPair){LLVMOrcLLJITMangleAndIntern(jit.lljit, table[i].name),
                                          {(LLVMOrcExecutorAddress)(uintptr_t)table[i].address, fn_flags}};
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(routines, NROUTINES);
  e = LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(jit.lljit), mu);
  if (e) {
    /* a unit Define refuses stays ours to dispose */
    LLVMOrcDisposeMaterializationUnit(mu);
    error_text(e, "cannot give the JIT its runtime routines", err, errlen);
    native_shutdown(NULL);
    return false;
  }
  return true;
}

static void *lookup(const char *name, char *err, size_t errlen) {
  LLVMOrcExecutorAddress addr = 0;
  LLVMErrorRef e = LLVMOrcLLJITLookup(jit.lljit, &addr, name);
  if (e) {
    error_text(e, "cannot compile the scoring function", err, errlen);
    return NULL;
  }
  return (void *)(uintptr_t)addr;
}

native_scheme *native_compile(const sc_scheme *s, rb_diags *d) {
  char err[1024];
  if (!jit_start(err, sizeof err)) {
    report(d, err);
    return NULL;
  }
  native_scheme *n = calloc(1, sizeof *n);
  if (!n) abort();
  n->scheme = s;
  /* names unique in the process: two schemes may share an id (two files,
     or one scheme in two jobs). A scheme id has no '.', so "x.2" is never
     another scheme's name. */
  char suffix[32] = "";
  if (jit.compiled++) snprintf(suffix, sizeof suffix, ".%d", jit.compiled);
  if (cg_scheme(s, LLVMOrcThreadSafeContextGetContext(jit.tsc), suffix, &n->cg, err, sizeof err)) {
    report(d, err);
    native_release(n);
    return NULL;
  }
  n->name = n->cg.fn_name;
  n->sites = n->cg.sites;
  n->nsites = n->cg.nsites;
  LLVMOrcJITDylibRef main = LLVMOrcLLJITGetMainJITDylib(jit.lljit);
  LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(main);
  n->tracker = rt;
  LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(n->cg.module, jit.tsc); /* takes the module */
  n->cg.module = NULL;
  LLVMErrorRef e = LLVMOrcLLJITAddLLVMIRModuleWithRT(jit.lljit, rt, tsm); /* takes tsm, even on error */
  if (e) {
    error_text(e, "cannot add the module to the JIT", err, sizeof err);
    report(d, err);
    native_release(n);
    return NULL;
  }
  n->score = (rb_score_fn)lookup(n->cg.fn_name, err, sizeof err);
  if (n->score && n->cg.peers_name) n->peers = (rb_peers_fn)lookup(n->cg.peers_name, err, sizeof err);
  if (!n->score || (n->cg.peers_name && !n->peers)) {
    report(d, err);
    native_release(n);
    return NULL;
  }
  return n;
}

void native_release(native_scheme *n) {
  if (!n) return;
  if (n->tracker) {
    LLVMOrcResourceTrackerRef rt = n->tracker;
    LLVMErrorRef e = LLVMOrcResourceTrackerRemove(rt);
    if (e) { /* the code stays mapped until the JIT goes; nothing else to do */
      char *m = LLVMGetErrorMessage(e);
      LLVMDisposeErrorMessage(m);
    }
    LLVMOrcReleaseResourceTracker(rt);
  }
  cg_result_free(&n->cg);
  free(n);
}

char *native_ir(const sc_scheme *s, rb_diags *d) {
  char err[1024];
  cg_result r;
  LLVMContextRef ctx = LLVMContextCreate();
  char *text = NULL;
  if (cg_scheme(s, ctx, NULL, &r, err, sizeof err)) {
    report(d, err);
  } else {
    char *ir = LLVMPrintModuleToString(r.module);
    text = strdup(ir);
    LLVMDisposeMessage(ir);
    if (!text) abort();
  }
  cg_result_free(&r);
  LLVMContextDispose(ctx);
  return text;
}

void native_shutdown(rb_diags *d) {
  if (jit.tsc) LLVMOrcDisposeThreadSafeContext(jit.tsc);
  jit.tsc = NULL;
  if (jit.lljit) {
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(jit.lljit);
    if (e) {
      char m[1024];
      error_text(e, "shutting down the JIT", m, sizeof m);
      if (d) diag_plain(d, DIAG_WARNING, R1601, NULL, "%s", m);
    }
  }
  jit.lljit = NULL;
  cg_target_shutdown();
}
