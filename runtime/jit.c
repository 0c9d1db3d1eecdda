/* jit.c: ORC LLJIT wrapper; see jit.h. Every LLVMErrorRef becomes a message
   and is disposed here. */
#include "jit.h"

#include <stdio.h>
#include <stdlib.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>

#include "codegen.h"
#include "peers.h"

struct rb_jit {
  LLVMOrcLLJITRef lljit;
  LLVMOrcThreadSafeContextRef tsc;
};

/* Turns ERR (consumed) into text; returns -1 for convenience. */
static int error_text(LLVMErrorRef e, const char *what, char *err, size_t errlen) {
  char *m = LLVMGetErrorMessage(e);
  snprintf(err, errlen, "%s: %s", what, m);
  LLVMDisposeErrorMessage(m);
  return -1;
}

rb_jit *jit_create(char *err, size_t errlen) {
  if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()) {
    snprintf(err, errlen, "LLVM has no native target for this machine");
    return NULL;
  }
  rb_jit *j = calloc(1, sizeof *j);
  if (!j) abort();
  /* The builder takes the host's target machine: same CPU and features as
     the target machine codegen.c optimises for. */
  LLVMOrcJITTargetMachineBuilderRef jtmb;
  LLVMErrorRef e = LLVMOrcJITTargetMachineBuilderDetectHost(&jtmb);
  if (e) {
    error_text(e, "cannot detect the host for the JIT", err, errlen);
    free(j);
    return NULL;
  }
  LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
  LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, jtmb); /* builder owns jtmb now */
  e = LLVMOrcCreateLLJIT(&j->lljit, builder);                    /* consumes builder */
  if (e) {
    error_text(e, "cannot create the JIT", err, errlen);
    free(j);
    return NULL;
  }
  j->tsc = LLVMOrcCreateNewThreadSafeContext();
  /* The runtime routines generated code calls (peers.rank, sums), by address: the
     JIT needs no symbol search in the process. */
  LLVMJITSymbolFlags fn_flags = {LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable, 0};
  LLVMOrcCSymbolMapPair routines[2] = {
      /* the pairs own these references */
      {LLVMOrcLLJITMangleAndIntern(j->lljit, CG_RANK_SYMBOL),
       {(LLVMOrcExecutorAddress)(uintptr_t)&rubric_peer_rank, fn_flags}},
      {LLVMOrcLLJITMangleAndIntern(j->lljit, CG_ORDER_SYMBOL),
       {(LLVMOrcExecutorAddress)(uintptr_t)&rubric_peer_order, fn_flags}}};
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(routines, 2);
  e = LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(j->lljit), mu); /* takes mu, even on error */
  if (e) {
    error_text(e, "cannot give the JIT its runtime routines", err, errlen);
    jit_free(j);
    return NULL;
  }
  return j;
}

void jit_free(rb_jit *j) {
  if (!j) return;
  if (j->tsc) LLVMOrcDisposeThreadSafeContext(j->tsc);
  if (j->lljit) {
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(j->lljit);
    if (e) {
      char *m = LLVMGetErrorMessage(e);
      fprintf(stderr, "rubric: warning: shutting down the JIT: %s\n", m);
      LLVMDisposeErrorMessage(m);
    }
  }
  free(j);
}

LLVMContextRef jit_context(rb_jit *j) { return LLVMOrcThreadSafeContextGetContext(j->tsc); }

int jit_add_module(rb_jit *j, LLVMModuleRef module, char *err, size_t errlen) {
  LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(module, j->tsc); /* takes module */
  LLVMOrcJITDylibRef main = LLVMOrcLLJITGetMainJITDylib(j->lljit);
  LLVMErrorRef e = LLVMOrcLLJITAddLLVMIRModule(j->lljit, main, tsm); /* takes tsm, even on error */
  if (e) return error_text(e, "cannot add the module to the JIT", err, errlen);
  return 0;
}

void *jit_lookup(rb_jit *j, const char *name, char *err, size_t errlen) {
  LLVMOrcExecutorAddress addr = 0;
  LLVMErrorRef e = LLVMOrcLLJITLookup(j->lljit, &addr, name);
  if (e) {
    error_text(e, "cannot compile the scoring function", err, errlen);
    return NULL;
  }
  return (void *)(uintptr_t)addr;
}
