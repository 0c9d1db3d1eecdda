/* bench.c: throughput of the generated Chengwu scoring function.
 *
 *   rubric-bench SCHEME [ROWS]
 *
 * Generates ROWS synthetic counties in memory (deterministic), scores them
 * with the JIT-compiled function and with the hand-written C baseline
 * (reference.c, built with the project's flags), checks the totals agree
 * to 1e-9, and reports rows/s for both and their ratio. Best of 5 runs.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "compile.h"
#include "native.h"
#include "reference.h"

static uint64_t rng = 88172645463325252ULL;
static double uniform(void) { /* xorshift64 */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}
static double whole(double lo, double hi) { return floor(lo + uniform() * (hi - lo + 1)); }

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rubric-bench SCHEME [ROWS]\n");
    return 2;
  }
  long n = argc > 2 ? atol(argv[2]) : 1000000;
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

  /* Inputs: plausible county figures, every county under a million people. */
  double **in = calloc(CW_TOTAL_INPUTS, sizeof *in);
  for (int i = 0; i < CW_TOTAL_INPUTS; i++) {
    long len = i >= CW_CITY_RANK ? 12 * n : n;
    in[i] = malloc(sizeof(double) * (size_t)len);
    for (long r = 0; r < len; r++) {
      double v;
      switch (i) {
      case CW_POPULATION: v = whole(2e5, 999999); break;
      case CW_GOV_DEFAULTERS: v = whole(0, 12); break;
      case CW_SERIOUS_DISHONEST: v = whole(0, 600); break;
      case CW_MARKET_ENTITIES: v = whole(5e4, 1.5e5); break;
      case CW_PLATFORM_RECORDS: v = whole(2e7, 1e8); break;
      case CW_CREDIT_CHECKS: v = whole(3e4, 2e5); break;
      case CW_BENEFIT_DOMAINS: case CW_SUPERVISION_DOMAINS: v = whole(10, 25); break;
      case CW_XYD_REGISTERED: v = whole(50, 1500); break;
      case CW_OPERATING_FIRMS: v = whole(1e4, 4e4); break;
      case CW_XYD_CREDIT_YUAN: v = whole(1e8, 1.5e9); break;
      case CW_COMMITMENTS: v = whole(3e3, 4e4); break;
      case CW_INNOVATIONS: v = whole(0, 3); break;
      case CW_CITY_RANK: v = whole(1, 120); break;
      case CW_USC_ERROR_RATE: v = uniform() < 0.6 ? 0 : uniform() * 1e-3; break;
      case CW_PUB_COMPLIANCE: case CW_PUB_TIMELINESS: v = uniform() < 0.7 ? 1 : 0.95 + uniform() * 0.05; break;
      default:
        if (i >= CW_RECORDS_FIRST && i <= CW_RECORDS_LAST) v = whole(5e4, 5e5);
        else if (i >= CW_SYS_FIRST && i <= CW_SYS_LAST) v = floor(uniform() * 8) / 10 > 0.7 ? 0.7 : floor(uniform() * 8) / 10;
        else v = uniform() < 0.8; /* yes/no */
      }
      in[i][r] = v;
    }
  }
  int nout = abi_out_count(s), total = abi_out_total(s);
  double **out = calloc((size_t)nout, sizeof *out);
  for (int k = 0; k < nout; k++) out[k] = malloc(sizeof(double) * (size_t)n);
  double *ref = malloc(sizeof(double) * (size_t)n);

  double best_jit = 1e99, best_ref = 1e99;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = seconds();
    fn((const double *const *)in, n, NULL, out);
    double t1 = seconds();
    reference_score((const double *const *)in, n, ref);
    double t2 = seconds();
    if (t1 - t0 < best_jit) best_jit = t1 - t0;
    if (t2 - t1 < best_ref) best_ref = t2 - t1;
  }
  long mismatches = 0;
  for (long r = 0; r < n; r++)
    if (!(fabs(out[total][r] - ref[r]) <= 1e-9)) mismatches++;
  printf("rubric-bench: %ld rows, Chengwu 2022 (16 indicators, 36 inputs, 4 of them per month)\n", n);
  printf("  generated (LLVM ORC JIT): %8.3f ms  %12.0f rows/s\n", best_jit * 1e3, (double)n / best_jit);
  printf("  hand-written C baseline:  %8.3f ms  %12.0f rows/s\n", best_ref * 1e3, (double)n / best_ref);
  printf("  ratio generated/baseline: %.2fx the baseline's throughput\n", best_ref / best_jit);
  printf("  totals that differ by more than 1e-9: %ld\n", mismatches);
  for (int k = 0; k < nout; k++) free(out[k]);
  for (int i = 0; i < CW_TOTAL_INPUTS; i++) free(in[i]);
  free(out);
  free(in);
  free(ref);
  native_release(nat);
  compile_free(u);
  native_shutdown(NULL);
  return mismatches ? 1 : 0;
}
