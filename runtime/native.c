/* native.c: one LLJIT per process, a resource tracker per scheme, the
 * machine code from the disk cache when it is there; see native.h. Every
 * LLVMErrorRef is turned into text and disposed here.
 */
#include "native.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <llvm-c/BitWriter.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>

#include "arith.h"
#include "build_id.h"
#include "cache.h"
#include "narrow.h"
#include "text_entry.h"

/* What else decides the machine code besides the IR and the target
   (cg_target_description): this build of Rubric. Bump the format when what
   an object may assume of the runtime changes without the IR changing. */
#define NATIVE_BUILD "rubric " RUBRIC_VERSION_TEXT "; native objects 1"

/* The process's JIT, made on first use. */
static struct {
  LLVMOrcLLJITRef lljit;
  int compiled;    /* schemes compiled so far, for unique names */
  bool use_cache;  /* native_use_cache */
  bool verbose;
} jit;

void native_use_cache(bool on, bool verbose) {
  jit.use_cache = on;
  jit.verbose = verbose;
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ERR (consumed) as text in BUF, after WHAT. */
static void error_text(LLVMErrorRef e, const char *what, char *buf, size_t len) {
  char *m = LLVMGetErrorMessage(e);
  snprintf(buf, len, "%s: %s", what, m);
  LLVMDisposeErrorMessage(m);
}

void native_report(rb_diags *d, const char *why) {
  diag_plain(d, DIAG_ERROR, R1601, NULL, "cannot compile to native code: %s", why);
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
  /* The runtime routines (the exact arithmetic) by address: the
     JIT needs no symbol search in the process. */
  LLVMJITSymbolFlags fn_flags = {LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable, 0};
  static const struct {
    const char *name;
    void (*address)(void);
  } table[] = {
      {ABI_WIDE_MUL_SYMBOL, (void (*)(void))rubric_wide_mul},
      {ABI_WIDE_DIV_SYMBOL, (void (*)(void))rubric_wide_div},
      {ABI_WIDE_FLOOR_SYMBOL, (void (*)(void))rubric_wide_floor},
      {ABI_WIDE_CEIL_SYMBOL, (void (*)(void))rubric_wide_ceil},
      {ABI_WIDE_RESULT_SYMBOL, (void (*)(void))rubric_wide_result},
      {ABI_WIDE_RESULT_SMALL_SYMBOL, (void (*)(void))rubric_wide_result_small},
      {ABI_DIV_SYMBOL, (void (*)(void))rubric_fixed_div},
      {ABI_WIDE_ROUND_SYMBOL, (void (*)(void))rubric_wide_round_to},
      {ABI_NARROW_SYMBOL, (void (*)(void))rubric_narrow_value},
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

/* Adds OBJ (taken, even on error) to the JIT under a new tracker of N and
   looks N's functions up, which links it. False with the reason in ERR,
   the tracker gone again. */
static bool link_object(native_scheme *n, LLVMMemoryBufferRef obj, char *err, size_t errlen) {
  LLVMOrcJITDylibRef main = LLVMOrcLLJITGetMainJITDylib(jit.lljit);
  LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(main);
  n->tracker = rt;
  LLVMErrorRef e = LLVMOrcLLJITAddObjectFileWithRT(jit.lljit, rt, obj); /* takes obj, even on error */
  if (e) {
    error_text(e, "cannot add the module to the JIT", err, errlen);
  } else {
    n->score = (rb_score_fn)lookup(n->cg.fn_name, err, errlen);
    if (n->score && n->cg.peers_name) n->peers = (rb_peers_fn)lookup(n->cg.peers_name, err, errlen);
    bool found = n->score && (!n->cg.peers_name || n->peers);
    if (found && n->cg.nlater) {
      n->later = calloc((size_t)n->cg.nlater, sizeof *n->later);
      if (!n->later) abort();
      for (int k = 0; found && k < n->cg.nlater; k++) {
        n->later[k] = (rb_peers_fn)lookup(n->cg.later_names[k], err, errlen);
        found = n->later[k] != NULL;
      }
      n->nlater = n->cg.nlater;
    }
    if (found && n->cg.records_names) { /* the records passes, one per table (abi.h) */
      int nr = n->scheme->nrecords;
      n->records = calloc((size_t)nr + 1, sizeof *n->records);
      if (!n->records) abort();
      for (int k = 0; found && k < nr; k++) {
        n->records[k] = (rb_records_fn)lookup(n->cg.records_names[k], err, errlen);
        found = n->records[k] != NULL;
      }
    }
    if (found) return true;
  }
  n->score = NULL;
  n->peers = NULL;
  free(n->later);
  n->later = NULL;
  n->nlater = 0;
  free(n->records);
  n->records = NULL;
  e = LLVMOrcResourceTrackerRemove(rt);
  if (e) { /* the code stays mapped until the JIT goes; the reason is ERR's already */
    char *m = LLVMGetErrorMessage(e);
    LLVMDisposeErrorMessage(m);
  }
  LLVMOrcReleaseResourceTracker(rt);
  n->tracker = NULL;
  return false;
}

/* The module of N optimised and compiled to an object; NULL after
   writing why to ERR. */
static LLVMMemoryBufferRef compile_object(native_scheme *n, double *t_opt, double *t_mc, char *err, size_t errlen) {
  double t0 = seconds();
  if (cg_optimise(n->cg.module, err, errlen)) return NULL;
  double t1 = seconds();
  LLVMMemoryBufferRef obj = cg_emit_object(n->cg.module, err, errlen);
  *t_opt = t1 - t0;
  *t_mc = seconds() - t1;
  return obj;
}

/* OBJ's bytes, malloc'd (the caller frees them), their number in *LEN. */
static void *copy_of(LLVMMemoryBufferRef obj, size_t *len) {
  *len = LLVMGetBufferSize(obj);
  void *p = malloc(*len ? *len : 1);
  if (!p) abort();
  memcpy(p, LLVMGetBufferStart(obj), *len);
  return p;
}

native_scheme *native_compile(const sc_scheme *s, rb_diags *d) { return native_compile_probed(s, NULL, 0, d); }

/* Seconds each step of native_build took, for --stats. */
typedef struct steps {
  double ir, key, optimise, machine_code, link;
} steps;

/* The key of the entry found by S's texts, when there may be one: the
   texts it was made from (sc_scheme.sources: its file's, its bases'; the
   prelude is in the program), its id, the process's SUFFIX for its names,
   the target and this very build (build_id.h: the same text may compile to
   other code in another). False without a build ID, a text or a target;
   probes (`explain`) are never kept. */
static bool text_key(const sc_scheme *s, const char *suffix, int nprobes, cache_key *key) {
  char terr[256];
  const char *id = build_id();
  if (nprobes || !id || s->nsources < 1 || !cg_host_target(terr, sizeof terr)) return false;
  size_t len = 0;
  for (int i = 0; i < s->nsources; i++) len += 8 + s->sources[i]->len;
  char *texts = malloc(len), *at = texts; /* each text after its length, so no two splits are one */
  if (!texts) abort();
  for (int i = 0; i < s->nsources; i++) {
    uint64_t n = s->sources[i]->len;
    memcpy(at, &n, 8);
    memcpy(at + 8, s->sources[i]->text, s->sources[i]->len);
    at += 8 + s->sources[i]->len;
  }
  char build[512];
  snprintf(build, sizeof build, "%s; by text; build %s; scheme %s; names %s", NATIVE_BUILD, id, s->id, suffix);
  *key = cache_key_of(texts, len, cg_target_description(), build);
  free(texts);
  return true;
}

/* N linked from the entry under its text's KEY: its names and code, its
   sites left to learn (native_site). CACHE_HIT when it linked; CACHE_BAD
   (the reason in WHY) for an entry that does not decode or link. */
static cache_status link_by_text(native_scheme *n, const cache_key *key, steps *t, char *why, size_t whylen) {
  double k0 = seconds();
  void *bytes;
  size_t len, at, objlen;
  cache_status found = cache_load(key, &bytes, &len, why, whylen);
  t->key += seconds() - k0;
  if (found != CACHE_HIT) return found;
  bool linked = false;
  if (!text_entry_decode(bytes, len, &n->cg, &at, &objlen)) {
    snprintf(why, whylen, "%s", "an entry under the scheme's text that is not one");
  } else {
    double l0 = seconds();
    n->nsites = n->cg.nsites;
    LLVMMemoryBufferRef obj = LLVMCreateMemoryBufferWithMemoryRangeCopy((char *)bytes + at, objlen, n->cg.fn_name);
    linked = link_object(n, obj, why, whylen); /* takes obj */
    if (!linked) cg_result_free(&n->cg);
    t->link += seconds() - l0;
  }
  free(bytes);
  return linked ? CACHE_HIT : CACHE_BAD;
}

/* The --stats line of S: where its code came from (FATE), each step's time. */
static void report(const sc_scheme *s, const char *fate, const steps *t) {
  if (jit.verbose)
    fprintf(stderr, diag_tr("rubric: native code of %s: %s (IR %.3f s, key %.3f s, optimise %.3f s, machine code %.3f s, link %.3f s)\n"),
            s->id, fate, t->ir, t->key, t->optimise, t->machine_code, t->link);
}

/* Keeps N's names and its object (LEN bytes) under its text's KEY. Best
   effort: a run that finds no such entry builds the IR, as before. */
static void keep_by_text(const native_scheme *n, const cache_key *key, const void *obj, size_t len) {
  size_t bytes;
  void *entry = text_entry_encode(&n->cg, obj, len, &bytes);
  char why[256];
  (void)cache_store(key, entry, bytes, why, sizeof why);
  free(entry);
}

native_scheme *native_build(const sc_scheme *s, const cg_probe *probes, int nprobes, char *err, size_t errlen) {
  if (!jit_start(err, errlen)) return NULL;
  native_scheme *n = calloc(1, sizeof *n);
  if (!n) abort();
  n->scheme = s;
  n->nprobes = nprobes;
  pthread_mutex_init(&n->sites_lock, NULL);
  /* names unique in the process: two schemes may share an id (two files,
     or one scheme in two jobs). A scheme id has no '.', so "x.2" is never
     another scheme's name. */
  if (jit.compiled++) snprintf(n->suffix, sizeof n->suffix, ".%d", jit.compiled);
  steps t = {0};
  char why[1024] = "", text_bad[1024] = "", fate[1200];
  /* First the entry under the scheme's text: found there, the code links
     with no IR built, and the thread that compiles while the tables load
     leaves the second core to the load. */
  cache_key by_text;
  double k0 = seconds();
  bool text_keyed = jit.use_cache && text_key(s, n->suffix, nprobes, &by_text);
  t.key = seconds() - k0;
  if (text_keyed) {
    cache_status found = link_by_text(n, &by_text, &t, why, sizeof why);
    if (found == CACHE_HIT) {
      n->name = n->cg.fn_name;
      report(s, diag_tr("loaded from the cache, found by the scheme's text"), &t);
      return n;
    }
    if (found == CACHE_BAD) snprintf(text_bad, sizeof text_bad, "%s", why);
  }
  /* A context of the scheme's own, gone once its object is made: the JIT
     keeps machine code only, so nothing of LLVM's IR outlives the call. */
  LLVMContextRef ctx = LLVMContextCreate();
  double t0 = seconds();
  if (cg_build_probed(s, probes, nprobes, ctx, n->suffix, &n->cg, err, errlen)) {
    cg_result_free(&n->cg);
    LLVMContextDispose(ctx);
    native_release(n);
    return NULL;
  }
  t.ir = seconds() - t0;
  /* The cache's key is the module before optimisation (optimising is most
     of the cost the cache saves), as bitcode: the same module gives the
     same bytes, written in a third of the time its text takes. */
  cache_key key;
  cache_status found = CACHE_OFF;
  LLVMMemoryBufferRef obj = NULL;
  void *kept = NULL; /* the object's bytes, for the entry under the text once it links (the JIT takes OBJ) */
  size_t kept_len = 0;
  if (jit.use_cache) {
    double k0 = seconds();
    LLVMMemoryBufferRef bc = LLVMWriteBitcodeToMemoryBuffer(n->cg.module); /* ours */
    key = cache_key_of(LLVMGetBufferStart(bc), LLVMGetBufferSize(bc), cg_target_description(), NATIVE_BUILD);
    LLVMDisposeMemoryBuffer(bc);
    void *bytes;
    size_t len;
    found = cache_load(&key, &bytes, &len, why, sizeof why);
    if (found == CACHE_HIT) {
      obj = LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, len, n->cg.fn_name); /* ours until the JIT takes it */
      if (text_keyed) kept = bytes, kept_len = len;
      else free(bytes);
    }
    t.key += seconds() - k0;
  }
  double l0 = seconds();
  bool linked = obj && link_object(n, obj, why, sizeof why);
  if (obj && !linked) found = CACHE_BAD; /* an entry that checks out yet does not link: compiled again */
  if (found == CACHE_HIT && text_bad[0])
    snprintf(fate, sizeof fate, diag_tr("loaded from the cache, replacing a bad entry (%s)"), text_bad);
  else if (found == CACHE_HIT)
    snprintf(fate, sizeof fate, "%s", diag_tr("loaded from the cache"));
  if (!linked) {
    obj = compile_object(n, &t.optimise, &t.machine_code, err, errlen);
    if (!obj) {
      free(kept);
      cg_result_free(&n->cg);
      LLVMContextDispose(ctx);
      native_release(n);
      return NULL;
    }
    if (!jit.use_cache) {
      snprintf(fate, sizeof fate, "%s", diag_tr("compiled, not cached (--no-cache)"));
    } else if (found == CACHE_OFF) {
      snprintf(fate, sizeof fate, diag_tr("compiled, not cached: %s"), why);
    } else {
      /* a miss, or a bad entry: this store replaces it (the one under
         the text, bad, is replaced below) */
      char bad[1024];
      snprintf(bad, sizeof bad, "%s", found == CACHE_BAD ? why : text_bad);
      bool stored = cache_store(&key, LLVMGetBufferStart(obj), LLVMGetBufferSize(obj), why, sizeof why);
      if (!stored) snprintf(fate, sizeof fate, diag_tr("compiled, not cached: %s"), why);
      else if (bad[0]) snprintf(fate, sizeof fate, diag_tr("compiled and cached, replacing a bad entry (%s)"), bad);
      else snprintf(fate, sizeof fate, "%s", diag_tr("compiled and cached"));
    }
    free(kept);
    kept = text_keyed ? copy_of(obj, &kept_len) : NULL;
    l0 = seconds();
    linked = link_object(n, obj, err, errlen); /* takes obj */
  }
  t.link = seconds() - l0;
  if (linked && kept) keep_by_text(n, &by_text, kept, kept_len);
  free(kept);
  /* the IR is not needed any more: the module goes before its context */
  LLVMDisposeModule(n->cg.module);
  n->cg.module = NULL;
  LLVMContextDispose(ctx);
  if (!linked) {
    native_release(n);
    return NULL;
  }
  n->name = n->cg.fn_name;
  n->nsites = n->cg.nsites;
  n->sites_known = true;
  report(s, fate, &t);
  return n;
}

native_scheme *native_compile_probed(const sc_scheme *s, const cg_probe *probes, int nprobes, rb_diags *d) {
  char err[1024];
  native_scheme *n = native_build(s, probes, nprobes, err, sizeof err);
  if (!n) native_report(d, err);
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
  free(n->later);
  free(n->records);
  pthread_mutex_destroy(&n->sites_lock);
  free(n);
}

const cg_site *native_site(const native_scheme *scheme, int k) {
  /* learnt once, whichever thread asks first: the scheme is never const
     itself (native_build made it), only as its users see it */
  native_scheme *n = (native_scheme *)scheme;
  if (k < 0 || k >= n->nsites) return NULL;
  pthread_mutex_lock(&n->sites_lock);
  if (!n->sites_known) {
    /* linked by its text: the sites are the IR's, built again as it was
       (codegen is deterministic), their number checked against the entry */
    n->sites_known = true;
    LLVMContextRef ctx = LLVMContextCreate();
    cg_result r;
    char err[256];
    if (!cg_build_probed(n->scheme, NULL, 0, ctx, n->suffix, &r, err, sizeof err) && r.nsites == n->nsites) {
      n->cg.sites = r.sites;
      r.sites = NULL;
    }
    cg_result_free(&r);
    LLVMContextDispose(ctx);
  }
  pthread_mutex_unlock(&n->sites_lock);
  return n->cg.sites ? &n->cg.sites[k] : NULL;
}

char *native_ir(const sc_scheme *s, rb_diags *d) {
  char err[1024];
  cg_result r;
  LLVMContextRef ctx = LLVMContextCreate();
  char *text = NULL;
  if (cg_scheme(s, ctx, NULL, &r, err, sizeof err)) {
    native_report(d, err);
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
  cache_shutdown();
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
