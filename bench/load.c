/* load.c: how fast `rubric score` reads its tables (runtime/load/).
 *
 *   rubric-bench-load SCHEME ENTITIES [PERIODS] [RUNS]
 *
 * Loads the tables into a batch RUNS times (default 3) and reports the
 * best wall-clock time, the CPU time of that run (all threads) and the
 * bytes of the tables per wall-clock second. Peak memory: run it under
 * /usr/bin/time -v with RUNS 1. Figures only: nothing is asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "batch.h"
#include "compile.h"

static double now(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double file_bytes(const char *path) {
  struct stat st;
  return path && stat(path, &st) == 0 ? (double)st.st_size : 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rubric-bench-load SCHEME ENTITIES [PERIODS] [RUNS]\n");
    return 2;
  }
  rb_diags d;
  diag_init(&d, stderr);
  sc_file *f = compile_file(argv[1], &d);
  if (!f || f->errors || f->nschemes < 1) return 1;
  rb_tables tables = {.entities = argv[2], .periods = argc > 3 ? argv[3] : NULL};
  int runs = argc > 4 ? atoi(argv[4]) : 3;
  double bytes = file_bytes(tables.entities) + file_bytes(tables.periods);
  double best = 1e30, best_cpu = 0;
  for (int k = 0; k < runs; k++) {
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    rb_batch *b = batch_load(f->schemes[0], &tables, &d);
    double w = now(CLOCK_MONOTONIC) - w0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (!b) return 1;
    batch_free(b);
    if (w < best) best = w, best_cpu = c;
  }
  printf("load: %.0f bytes in %.3f s (cpu %.3f s): %.1f MB/s\n", bytes, best, best_cpu, bytes / best / 1e6);
  compile_free(f);
  return 0;
}
