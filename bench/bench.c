/* bench.c: throughput of the generated Chengwu scoring function.
 *
 *   rubric-bench SCHEME [ROWS]
 *
 * Generates ROWS synthetic counties in memory (deterministic), each input
 * value a decimal (a whole number, or a few decimals: 0.7, 0.000123,
 * 0.987654). The generated function reads them as numbers (rb_fixed, exact
 * decimals with 18 decimals in 128 bits, compiler/fixed.h, in 8-byte
 * cells, runtime/narrow.h; rules compute with 36,
 * spec/semantics.md#numbers); the hand-written
 * C baseline (reference.c, built with the project's flags) reads the same
 * decimals as the nearest doubles and computes in doubles. Both are timed
 * (best of 5 runs); the totals are checked to agree to 1e-9 (the baseline's
 * doubles against the exact totals, converted with fixed_to_double), and
 * rows/s for both and their ratio are reported.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "abi.h"
#include "compile.h"
#include "fixed.h"
#include "narrow.h"
#include "native.h"
#include "reference.h"

static uint64_t rng = 88172645463325252ULL;
static double uniform(void) { /* xorshift64 */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}
static long long whole(long long lo, long long hi) { return lo + (long long)(uniform() * (double)(hi - lo + 1)); }

/* A decimal: coef / 10^scale, with coef < 2^53 and scale <= 18. */
typedef struct decimal {
  long long coef;
  int scale;
} decimal;

static const double pow10d[19] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                  1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

/* The number D exactly. */
static rb_fixed as_fixed(decimal d) {
  rb_fixed v = d.coef;
  for (int k = d.scale; k < FIXED_DECIMALS; k++) v *= 10;
  return v;
}
/* The double nearest to D: coef and 10^scale are exact doubles, and one
   division of exact doubles is correctly rounded. */
static double as_double(decimal d) { return (double)d.coef / pow10d[d.scale]; }

/* Input I of a county: plausible figures, every county under a million people. */
static decimal county_value(int i) {
  switch (i) {
  case CW_POPULATION: return (decimal){whole(200000, 999999), 0};
  case CW_GOV_DEFAULTERS: return (decimal){whole(0, 12), 0};
  case CW_SERIOUS_DISHONEST: return (decimal){whole(0, 600), 0};
  case CW_MARKET_ENTITIES: return (decimal){whole(50000, 150000), 0};
  case CW_PLATFORM_RECORDS: return (decimal){whole(20000000, 100000000), 0};
  case CW_CREDIT_CHECKS: return (decimal){whole(30000, 200000), 0};
  case CW_BENEFIT_DOMAINS:
  case CW_SUPERVISION_DOMAINS: return (decimal){whole(10, 25), 0};
  case CW_XYD_REGISTERED: return (decimal){whole(50, 1500), 0};
  case CW_OPERATING_FIRMS: return (decimal){whole(10000, 40000), 0};
  case CW_XYD_CREDIT_YUAN: return (decimal){whole(100000000, 1500000000), 0};
  case CW_COMMITMENTS: return (decimal){whole(3000, 40000), 0};
  case CW_INNOVATIONS: return (decimal){whole(0, 3), 0};
  case CW_CITY_RANK: return (decimal){whole(1, 120), 0};
  case CW_USC_ERROR_RATE: /* 0, or under 0.1% with 9 decimals */
    return uniform() < 0.6 ? (decimal){0, 0} : (decimal){whole(1, 999999), 9};
  case CW_PUB_COMPLIANCE:
  case CW_PUB_TIMELINESS: /* 100%, or 95% to 100% with 6 decimals */
    return uniform() < 0.7 ? (decimal){1, 0} : (decimal){whole(950000, 1000000), 6};
  default:
    if (i >= CW_RECORDS_FIRST && i <= CW_RECORDS_LAST) return (decimal){whole(50000, 500000), 0};
    if (i >= CW_SYS_FIRST && i <= CW_SYS_LAST) { /* 0 to 0.7 in tenths */
      long long k = whole(0, 7);
      return (decimal){k, 1};
    }
    return (decimal){uniform() < 0.8, 0}; /* yes/no: 1 or 0 */
  }
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *alloc(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "rubric-bench: out of memory (%zu bytes)\n", bytes);
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rubric-bench SCHEME [ROWS]\n");
    return 2;
  }
  long n = argc > 2 ? atol(argv[2]) : 1000000;
  if (n < 1) {
    fprintf(stderr, "rubric-bench: ROWS must be 1 or more\n");
    return 2;
  }
  rb_diags d;
  diag_init(&d, stderr);
  sc_file *u = compile_file(argv[1], &d);
  const sc_scheme *s = u ? compile_find_scheme(u, NULL) : NULL;
  /* the baseline's column layout: its inputs in order, the last four per month */
  bool layout = s && s->ninputs == CW_TOTAL_INPUTS && s->nperiods == 12;
  for (int i = 0; layout && i < s->ninputs; i++) layout = s->inputs[i].periodic == (i >= CW_CITY_RANK);
  if (!s || d.errors || !layout) {
    fprintf(stderr, "rubric-bench: needs the Chengwu scheme, checked clean\n");
    compile_free(u);
    return 1;
  }
  native_scheme *nat = native_compile(s, &d); /* reports why not to stderr */
  if (!nat) {
    fprintf(stderr, "rubric-bench: cannot compile %s to native code\n", argv[1]);
    compile_free(u);
    native_shutdown(NULL);
    return 1;
  }
  rb_score_fn fn = nat->score;

  /* The inputs, generated once as decimals: exact for rubric, the nearest
     doubles for the baseline. */
  const void **fin = alloc(CW_TOTAL_INPUTS * sizeof *fin); /* as abi.h: every input in narrow cells */
  double **din = alloc(CW_TOTAL_INPUTS * sizeof *din);
  for (int i = 0; i < CW_TOTAL_INPUTS; i++) {
    long len = i >= CW_CITY_RANK ? 12 * n : n; /* the monthly ones */
    rb_cells *cells = narrow_column((size_t)len, abi_cell_of(s->inputs[i].type));
    din[i] = alloc(sizeof(double) * (size_t)len);
    for (long r = 0; r < len; r++) {
      decimal v = county_value(i);
      narrow_put(cells, (size_t)r, as_fixed(v));
      din[i][r] = as_double(v);
    }
    fin[i] = cells;
  }
  int nout = abi_out_count(s), total = abi_out_total(s);
  rb_fixed **out = alloc((size_t)nout * sizeof *out);
  for (int k = 0; k < nout; k++) out[k] = alloc(sizeof(rb_fixed) * (size_t)n);
  double *ref = alloc(sizeof(double) * (size_t)n);

  double best_jit = 1e99, best_ref = 1e99;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = seconds();
    fn(fin, n, 0, n, NULL, out);
    double t1 = seconds();
    reference_score((const double *const *)din, n, ref);
    double t2 = seconds();
    if (t1 - t0 < best_jit) best_jit = t1 - t0;
    if (t2 - t1 < best_ref) best_ref = t2 - t1;
  }
  long mismatches = 0, failed = 0;
  for (long r = 0; r < n; r++) {
    rb_fixed t = out[total][r];
    if (!fixed_is_number(t)) {
      failed++;
      mismatches++;
    } else if (!(fabs(fixed_to_double(t) - ref[r]) <= 1e-9)) {
      mismatches++;
    }
  }
  printf("rubric-bench: %ld rows, Chengwu 2022 (16 indicators, 36 inputs, 4 of them per month)\n", n);
  printf("  generated (LLVM ORC JIT): %8.3f ms  %12.0f rows/s  (exact decimals: columns of 18, rules with 36)\n",
         best_jit * 1e3, (double)n / best_jit);
  printf("  hand-written C baseline:  %8.3f ms  %12.0f rows/s  (binary doubles, the arithmetic scores used before)\n",
         best_ref * 1e3, (double)n / best_ref);
  printf("  ratio generated/baseline: %.2fx the baseline's throughput\n", best_ref / best_jit);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("  peak memory: %.1f MB (the process: both implementations' input and output columns, LLVM)\n",
         (double)ru.ru_maxrss / 1024.0);
  printf("  totals that differ by more than 1e-9: %ld", mismatches);
  if (failed) printf(" (%ld of them failed)", failed);
  printf("\n");
  for (int k = 0; k < nout; k++) free(out[k]);
  for (int i = 0; i < CW_TOTAL_INPUTS; i++) {
    narrow_free((rb_cells *)fin[i]);
    free(din[i]);
  }
  free(out);
  free(fin);
  free(din);
  free(ref);
  native_release(nat);
  compile_free(u);
  native_shutdown(NULL);
  return mismatches ? 1 : 0;
}
