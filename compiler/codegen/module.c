/* module.c: the module of a scheme (codegen.h): the host target machine,
 * the two functions, verification, the optimisation pipeline and the
 * machine code (an object file in memory) the JIT links.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "cg.h"

static LLVMTargetMachineRef host_tm;
static char *host_desc; /* the target machine as text, for the cache key; malloc'd */

/* The optimisation pipeline and the machine-code level, chosen by measure
   (issue 12; CPU seconds on 2,850 counties x 12 months, one thread):
                         optimise  machine code  score
     Linyi   O2, Default    1.0        3.6        0.062
     Linyi   O2, None       1.1        1.2        0.068
     Linyi   O1, None       0.6        1.4        0.08
     Linyi   O0, None       0.03       1.5        0.075
     Chengwu O2, Default    0.12       0.18       0.011
     Chengwu O2, None       0.09       0.04       0.011
   Machine code is most of a cold compile, and the code generator's level
   None (fast instruction selection and register allocation) cuts it to a
   third for Linyi. But on the arithmetic-heavy rows of Chengwu (200,000
   rows, rubric-bench, alternating runs on one machine) None scores at
   0.05-0.07x the hand-written C kernel and Default at 0.08-0.10x, and
   Less compiles Linyi as slowly as Default (4.0 against 1.6 CPU s). The
   disk cache pays a compile once per scheme and machine, while scoring is
   paid on every run and grows with the rows: Default. default<O2> keeps
   the IR's quality (and what `emit-llvm` prints).
   Before it, the loop bodies (rows.c, cg_body) are inlined into their
   passes and one early-cse merges equal loads and equal calls of the pure
   wide routines, while those are still calls: default<O2> inlines the
   routines before its own CSE runs, and two inlined divisions through
   stack slots no longer look equal. Linyi's peers pass went from 63
   divisions per row to 34. */
#define CG_PIPELINE "always-inline,function(early-cse<memssa>),default<O2>"
#define CG_CODEGEN_LEVEL LLVMCodeGenLevelDefault

/* The code generator's options that are not the target machine's, set once
   through LLVM's command line (the one way the C API reaches them), and part
   of the cache key. On x86-64 with AVX-512, the X86 domain reassignment pass
   (general registers to mask registers) took 28-30% of Linyi's machine code
   (`llc -time-passes`) and changed no byte of Linyi's or Chengwu's object. */
#define CG_X86_OPTIONS "-disable-x86-domain-reassignment"

/* Sets the code generator options for a host of TRIPLE, once a process;
   returns them as text, "" for none. LLVM reads them when it makes a pass
   pipeline; an option it does not know (a build without the X86 target)
   is left unset, as the C API parses with errors ignored. */
static const char *codegen_options(const char *triple) {
  static bool done;
  bool x86 = strncmp(triple, "x86_64", 6) == 0;
  if (x86 && !done) {
    const char *argv[] = {"rubric", CG_X86_OPTIONS};
    LLVMParseCommandLineOptions(2, argv, NULL);
  }
  done = true;
  return x86 ? CG_X86_OPTIONS : "";
}

LLVMTargetMachineRef cg_host_target(char *err, size_t errlen) {
  if (host_tm) return host_tm;
  if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()) {
    snprintf(err, errlen, "LLVM has no native target for this machine");
    return NULL;
  }
  char *triple = LLVMGetDefaultTargetTriple();
  char *msg = NULL;
  LLVMTargetRef target;
  if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
    snprintf(err, errlen, "LLVM target %s: %s", triple, msg ? msg : "unknown");
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    return NULL;
  }
  char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
  /* The code model and relocations of ORC's LLJIT on ELF/x86-64 and
     AArch64 (it links with JITLink, small code model, PIC), so the object
     emitted here links in the JIT as the JIT's own compilation did: calls to
     the runtime routines go through stubs JITLink makes. */
  host_tm = LLVMCreateTargetMachine(target, triple, cpu, features, CG_CODEGEN_LEVEL, LLVMRelocPIC,
                                    LLVMCodeModelSmall);
  if (host_tm) {
    unsigned major, minor, patch;
    LLVMGetVersion(&major, &minor, &patch);
    const char *options = codegen_options(triple);
    const char *fmt = "llvm %u.%u.%u; triple %s; cpu %s; features %s; pipeline %s vec slp unroll; codegen %d pic small %s";
    int n = snprintf(NULL, 0, fmt, major, minor, patch, triple, cpu, features, CG_PIPELINE, (int)CG_CODEGEN_LEVEL,
                     options);
    host_desc = malloc((size_t)n + 1);
    if (!host_desc) abort();
    snprintf(host_desc, (size_t)n + 1, fmt, major, minor, patch, triple, cpu, features, CG_PIPELINE,
             (int)CG_CODEGEN_LEVEL, options);
  }
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(features);
  LLVMDisposeMessage(triple);
  if (!host_tm) snprintf(err, errlen, "cannot create an LLVM target machine for this host");
  return host_tm;
}

const char *cg_target_description(void) { return host_desc; }

void cg_target_shutdown(void) {
  if (host_tm) LLVMDisposeTargetMachine(host_tm);
  host_tm = NULL;
  free(host_desc);
  host_desc = NULL;
}

/* PREFIX + ID + SUFFIX, malloc'd. */
static char *symbol_name(const char *prefix, const char *id, const char *suffix) {
  size_t n = strlen(prefix) + strlen(id) + (suffix ? strlen(suffix) : 0) + 1;
  char *s = malloc(n);
  if (!s) abort();
  snprintf(s, n, "%s%s%s", prefix, id, suffix ? suffix : "");
  return s;
}

/* FN is nounwind and willreturn, and touches no memory, or only the memory
   its pointers reach (ARGMEM): LLVM may merge repeated calls and move them
   out of the way. */
static void pure(cg *c, LLVMValueRef fn, bool argmem) {
  static const char *attrs[] = {"nounwind", "willreturn", "memory"};
  for (int i = 0; i < 3; i++) {
    unsigned kind = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
    /* memory's value is LLVM's MemoryEffects: 0 none, 3 argmem: readwrite */
    uint64_t v = i == 2 && argmem ? 3 : 0;
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(c->ctx, kind, v));
  }
}

/* A runtime routine the generated code calls (abi.h), declared in the module. */
static LLVMValueRef routine(cg *c, const char *name, LLVMTypeRef ty, bool argmem) {
  LLVMValueRef fn = LLVMAddFunction(c->mod, name, ty);
  pure(c, fn, argmem);
  return fn;
}

/* The wide routine NAME (abi.h: values through pointers, of type BY_PTR)
   as a function of values of type TY, internal to the module: it stores
   its wide arguments in its own slots (others, as round's decimals, pass
   as they are), calls the routine and returns the result. Its memory is its own, so it is declared to touch none: the
   optimiser then treats two calls with the same values as one (a `let` is
   evaluated at each use, guarded by that use; the arithmetic repeated is
   folded, and the call was the one thing it could not fold), then inlines
   what remains. */
static LLVMValueRef by_value(cg *c, const char *name, LLVMTypeRef by_ptr, LLVMTypeRef ty) {
  LLVMValueRef routine_fn = routine(c, name, by_ptr, true);
  char local[64];
  snprintf(local, sizeof local, "%s_of_values", name);
  LLVMValueRef fn = LLVMAddFunction(c->mod, local, ty);
  LLVMSetLinkage(fn, LLVMInternalLinkage);
  pure(c, fn, false);
  LLVMBuilderRef b = LLVMCreateBuilderInContext(c->ctx);
  LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  unsigned nargs = LLVMCountParamTypes(ty);
  assert(nargs <= 2);
  LLVMValueRef args[3];
  LLVMTypeRef params[2];
  LLVMGetParamTypes(ty, params);
  for (unsigned k = 0; k < nargs; k++) {
    if (params[k] != c->wx) { /* round's decimals: as they are */
      args[k] = LLVMGetParam(fn, k);
      continue;
    }
    args[k] = LLVMBuildAlloca(b, c->wx, "arg");
    LLVMBuildStore(b, LLVMGetParam(fn, k), args[k]);
  }
  if (LLVMGetReturnType(ty) != c->wx) { /* rubric_wide_result returns its value; the others write it */
    LLVMBuildRet(b, LLVMBuildCall2(b, by_ptr, routine_fn, args, nargs, "result"));
  } else {
    args[nargs] = LLVMBuildAlloca(b, c->wx, "out");
    LLVMBuildCall2(b, by_ptr, routine_fn, args, nargs + 1, "");
    LLVMBuildRet(b, LLVMBuildLoad2(b, c->wx, args[nargs], "value"));
  }
  LLVMDisposeBuilder(b);
  return fn;
}

/* rubric_wide_result as a function of a value: a value within 128 bits
   goes to rubric_wide_result_small in registers, the rest through a slot.
   A part held within its points is such a value, and once the optimiser
   knows the range (a clamp, a choice of literals) the test goes away. */
static LLVMValueRef result_of_value(cg *c, LLVMTypeRef by_ptr) {
  LLVMValueRef through_slot = by_value(c, ABI_WIDE_RESULT_SYMBOL, by_ptr, c->result_ty);
  LLVMValueRef small = routine(c, ABI_WIDE_RESULT_SMALL_SYMBOL, LLVMFunctionType(c->fx, &c->fx, 1, 0), false);
  LLVMValueRef fn = LLVMAddFunction(c->mod, ABI_WIDE_RESULT_SYMBOL "_of_value", c->result_ty);
  LLVMSetLinkage(fn, LLVMInternalLinkage);
  pure(c, fn, false);
  LLVMBuilderRef b = LLVMCreateBuilderInContext(c->ctx);
  LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(c->ctx, fn, "entry");
  LLVMBasicBlockRef narrow = LLVMAppendBasicBlockInContext(c->ctx, fn, "narrow");
  LLVMBasicBlockRef wide = LLVMAppendBasicBlockInContext(c->ctx, fn, "wide");
  LLVMPositionBuilderAtEnd(b, entry);
  LLVMValueRef v = LLVMGetParam(fn, 0), low = LLVMBuildTrunc(b, v, c->fx, "low");
  LLVMValueRef fits = LLVMBuildICmp(b, LLVMIntEQ, LLVMBuildSExt(b, low, c->wx, ""), v, "fits");
  LLVMBuildCondBr(b, fits, narrow, wide);
  LLVMPositionBuilderAtEnd(b, narrow);
  LLVMBuildRet(b, LLVMBuildCall2(b, LLVMFunctionType(c->fx, &c->fx, 1, 0), small, &low, 1, "result"));
  LLVMPositionBuilderAtEnd(b, wide);
  LLVMBuildRet(b, LLVMBuildCall2(b, c->result_ty, through_slot, &v, 1, "result"));
  LLVMDisposeBuilder(b);
  return fn;
}

int cg_build(const sc_scheme *s, LLVMContextRef ctx, const char *suffix, cg_result *out, char *err, size_t errlen) {
  return cg_build_probed(s, NULL, 0, ctx, suffix, out, err, errlen);
}

int cg_build_probed(const sc_scheme *s, const cg_probe *probes, int nprobes, LLVMContextRef ctx, const char *suffix,
                    cg_result *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  LLVMTargetMachineRef tm = cg_host_target(err, errlen);
  if (!tm) return -1;
  cg c = {0};
  c.arena = arena_new();
  c.ctx = ctx;
  c.scheme = s;
  c.probes = probes;
  c.nprobes = nprobes;
  c.nperiods = s->nperiods;
  c.fx = LLVMInt128TypeInContext(ctx);
  c.wx = LLVMIntTypeInContext(ctx, 256);
  c.i1 = LLVMInt1TypeInContext(ctx);
  c.i32 = LLVMInt32TypeInContext(ctx);
  c.i64 = LLVMInt64TypeInContext(ctx);
  c.ptr = LLVMPointerTypeInContext(ctx, 0);
  out->fn_name = symbol_name("rubric_score_", s->id, suffix);
  c.mod = LLVMModuleCreateWithNameInContext(s->id, ctx);
  char *triple = LLVMGetTargetMachineTriple(tm);
  LLVMSetTarget(c.mod, triple);
  LLVMDisposeMessage(triple);
  LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
  LLVMSetModuleDataLayout(c.mod, layout);
  LLVMDisposeTargetData(layout);
  c.b = LLVMCreateBuilderInContext(ctx);
  LLVMTypeRef two[2] = {c.fx, c.fx}, round_params[2] = {c.wx, c.i32}, ptrs[3] = {c.ptr, c.ptr, c.ptr};
  LLVMTypeRef wides[2] = {c.wx, c.wx}, vd = LLVMVoidTypeInContext(ctx);
  LLVMTypeRef by_ptr2 = LLVMFunctionType(vd, ptrs, 3, 0), by_ptr1 = LLVMFunctionType(vd, ptrs, 2, 0);
  LLVMTypeRef by_ptr_result = LLVMFunctionType(c.fx, ptrs, 1, 0);
  c.wide2_ty = LLVMFunctionType(c.wx, wides, 2, 0);
  c.wide1_ty = LLVMFunctionType(c.wx, wides, 1, 0);
  c.result_ty = LLVMFunctionType(c.fx, wides, 1, 0);
  c.binary_ty = LLVMFunctionType(c.fx, two, 2, 0);
  c.round_ty = LLVMFunctionType(c.fx, round_params, 2, 0); /* (i256 value, i32 decimals) */
  c.fn_wmul = by_value(&c, ABI_WIDE_MUL_SYMBOL, by_ptr2, c.wide2_ty);
  c.fn_wdiv = by_value(&c, ABI_WIDE_DIV_SYMBOL, by_ptr2, c.wide2_ty);
  c.fn_wfloor = by_value(&c, ABI_WIDE_FLOOR_SYMBOL, by_ptr1, c.wide1_ty);
  c.fn_wceil = by_value(&c, ABI_WIDE_CEIL_SYMBOL, by_ptr1, c.wide1_ty);
  c.fn_result = result_of_value(&c, by_ptr_result);
  c.fn_div = routine(&c, ABI_DIV_SYMBOL, c.binary_ty, false);
  LLVMTypeRef ptr_i32[2] = {c.ptr, c.i32};
  c.fn_round = by_value(&c, ABI_WIDE_ROUND_SYMBOL, LLVMFunctionType(c.fx, ptr_i32, 2, 0), c.round_ty);
  LLVMTypeRef ptr_i64[2] = {c.ptr, c.i64};
  c.narrow_ty = LLVMFunctionType(c.fx, ptr_i64, 2, 0);
  c.fn_narrow = LLVMAddFunction(c.mod, ABI_NARROW_SYMBOL, c.narrow_ty);
  static const char *reads_only[] = {"nounwind", "willreturn", "memory"};
  for (int i = 0; i < 3; i++) { /* memory: MemoryEffects read of every kind (argmem 1, inaccessible 4, other 16) */
    unsigned kind = LLVMGetEnumAttributeKindForName(reads_only[i], strlen(reads_only[i]));
    LLVMAddAttributeAtIndex(c.fn_narrow, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(ctx, kind, i == 2 ? 21 : 0));
  }
  unsigned sadd = LLVMLookupIntrinsicID("llvm.sadd.with.overflow", 23);
  c.fn_add_ovf = LLVMGetIntrinsicDeclaration(c.mod, sadd, &c.fx, 1);
  c.add_ovf_ty = LLVMIntrinsicGetType(ctx, sadd, &c.fx, 1);
  c.in_col = arena_alloc(c.arena, sizeof(LLVMValueRef) * (size_t)(s->ninputs ? s->ninputs : 1));
  c.cells = arena_alloc(c.arena, sizeof(LLVMValueRef) * ((size_t)s->ninputs * (size_t)s->nperiods + 1));

  if (s->nstats) {
    out->peers_name = symbol_name("rubric_peers_", s->id, suffix);
    cg_gen_peers(&c, out->peers_name, 1);
  }
  /* a statistic over statistics: one more pass per stage, after the fold of
     the one before (rubric_peers2_<id>, ...) */
  if (s->nstages > 1) {
    out->nlater = s->nstages - 1;
    out->later_names = calloc((size_t)out->nlater, sizeof *out->later_names);
    if (!out->later_names) abort();
    for (int k = 0; k < out->nlater; k++) {
      char prefix[32];
      snprintf(prefix, sizeof prefix, "rubric_peers%d_", k + 2);
      out->later_names[k] = symbol_name(prefix, s->id, suffix);
      cg_gen_peers(&c, out->later_names[k], k + 2);
    }
  }
  /* a record table: its pass, before every other (rubric_records<t>_<id>) */
  if (s->nrecords) {
    out->nrecords = s->nrecords;
    out->records_names = calloc((size_t)s->nrecords, sizeof *out->records_names);
    if (!out->records_names) abort();
    for (int t = 0; t < s->nrecords; t++) {
      char prefix[32];
      snprintf(prefix, sizeof prefix, "rubric_records%d_", t);
      out->records_names[t] = symbol_name(prefix, s->id, suffix);
      cg_gen_records(&c, out->records_names[t], &s->records[t]);
    }
  }
  cg_gen_rows(&c, out->fn_name);
  LLVMDisposeBuilder(c.b);

  out->module = c.mod;
  out->sites = c.sites;
  out->nsites = c.nsites;
  arena_free(c.arena);

  char *verr = NULL;
  if (LLVMVerifyModule(c.mod, LLVMReturnStatusAction, &verr)) {
    snprintf(err, errlen, "internal error: invalid LLVM IR for scheme %s: %s", s->id, verr ? verr : "");
    LLVMDisposeMessage(verr);
    return -1;
  }
  LLVMDisposeMessage(verr);
  return 0;
}

int cg_optimise(LLVMModuleRef m, char *err, size_t errlen) {
  LLVMTargetMachineRef tm = cg_host_target(err, errlen);
  if (!tm) return -1;
  LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
  LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
  LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
  LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
  LLVMErrorRef perr = LLVMRunPasses(m, CG_PIPELINE, tm, opts);
  LLVMDisposePassBuilderOptions(opts);
  if (perr) {
    char *msg = LLVMGetErrorMessage(perr); /* consumes perr */
    snprintf(err, errlen, "LLVM optimisation failed: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return -1;
  }
  return 0;
}

int cg_scheme(const sc_scheme *s, LLVMContextRef ctx, const char *suffix, cg_result *out, char *err, size_t errlen) {
  if (cg_build(s, ctx, suffix, out, err, errlen)) return -1;
  return cg_optimise(out->module, err, errlen);
}

LLVMMemoryBufferRef cg_emit_object(LLVMModuleRef m, char *err, size_t errlen) {
  LLVMTargetMachineRef tm = cg_host_target(err, errlen);
  if (!tm) return NULL;
  char *msg = NULL;
  LLVMMemoryBufferRef obj = NULL;
  /* the code generator's passes run on M itself (and change it): M is only
     disposed of afterwards */
  if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &msg, &obj)) {
    snprintf(err, errlen, "LLVM cannot emit machine code: %s", msg ? msg : "unknown");
    LLVMDisposeMessage(msg);
    return NULL;
  }
  LLVMDisposeMessage(msg);
  return obj;
}

void cg_result_free(cg_result *r) {
  if (r->module) LLVMDisposeModule(r->module);
  free(r->fn_name);
  free(r->peers_name);
  for (int k = 0; k < r->nlater; k++) free(r->later_names[k]);
  free(r->later_names);
  for (int t = 0; r->records_names && t < r->nrecords; t++) free(r->records_names[t]);
  free(r->records_names);
  free(r->sites);
  memset(r, 0, sizeof *r);
}
