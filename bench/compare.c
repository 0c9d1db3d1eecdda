/* compare.c: the cross-check of bench/run.sh: rubric's scores against the
 * hand-written baseline's, county by county.
 *
 *   rubric-bench-compare RUBRIC_CSV BASELINE_CSV [TOLERANCE]
 *
 * Joins the two tables by id and compares every column the baseline wrote
 * (total and the 16 indicators) with rubric's column of the same name:
 * rubric's exact decimal, read as the nearest double, and the baseline's
 * double must differ by at most TOLERANCE (default 1e-9). Every county must
 * be in both tables, once. Prints
 *
 *   cross-check: N of N totals equal within 1e-09 (and K of K indicator scores)
 *
 * and the first few differences; exits 1 if there is any.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_cell.h"
#include "bench_csv.h"
#include "bench_ids.h"

enum { MAX_FIELDS = 256, SHOWN = 5 };

static void fail(const char *what) {
  fprintf(stderr, "rubric-bench-compare: %s\n", what);
  exit(1);
}

static int column(const bench_field *h, int n, const char *name) {
  for (int k = 0; k < n; k++)
    if (h[k].len == strlen(name) && !memcmp(h[k].text, name, h[k].len)) return k;
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: rubric-bench-compare RUBRIC_CSV BASELINE_CSV [TOLERANCE]\n");
    return 2;
  }
  double tolerance = argc == 4 ? strtod(argv[3], NULL) : 1e-9;
  bench_csv base, rub;
  if (bench_csv_open(&base, argv[2])) fail(base.error);
  if (bench_csv_open(&rub, argv[1])) fail(rub.error);
  bench_field f[MAX_FIELDS], hb[MAX_FIELDS];
  long line;
  int nb = bench_csv_record(&base, hb, MAX_FIELDS, &line);
  int nr = bench_csv_record(&rub, f, MAX_FIELDS, &line);
  if (nb < 2 || nr < 2) fail("a table without a header");
  /* column k of the baseline (k >= 1) is rubric's column at[k] */
  int at[MAX_FIELDS], rub_id = column(f, nr, "id");
  if (rub_id < 0 || column(hb, nb, "id") != 0) fail("no id column");
  for (int k = 1; k < nb; k++) {
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)hb[k].len, hb[k].text);
    at[k] = column(f, nr, name);
    if (at[k] < 0) {
      fprintf(stderr, "rubric-bench-compare: rubric's table has no column '%s'\n", name);
      return 1;
    }
  }
  int ncols = nb - 1;

  /* the baseline's values, row by row */
  bench_ids ids = {0};
  long cap = 1024, n = 0;
  double *values = malloc(sizeof(double) * (size_t)(cap * ncols));
  int got;
  while (values && (got = bench_csv_record(&base, hb, MAX_FIELDS, &line)) > 0) {
    if (got != nb) fail("the baseline's table has a short row");
    if (n == cap) {
      cap *= 2;
      values = realloc(values, sizeof(double) * (size_t)(cap * ncols));
      if (!values) break;
    }
    bench_ids_add(&ids, hb[0].text, hb[0].len);
    for (int k = 1; k < nb; k++)
      if (bench_cell_number(hb[k].text, hb[k].len, &values[n * ncols + k - 1]) != BENCH_CELL_OK)
        fail("the baseline's table has a cell that is not a number");
    n++;
  }
  if (!values) fail("out of memory");
  long first;
  if (bench_ids_index(&ids, &first) >= 0) fail("the baseline's table repeats an id");
  char *seen = calloc((size_t)n + 1, 1);
  if (!seen) fail("out of memory");

  long rows = 0, totals_equal = 0, parts = 0, parts_equal = 0, problems = 0;
  while ((got = bench_csv_record(&rub, f, MAX_FIELDS, &line)) > 0) {
    if (got != nr) fail("rubric's table has a short row");
    rows++;
    long r = bench_ids_find(&ids, f[rub_id].text, f[rub_id].len);
    if (r < 0 || seen[r]) {
      if (problems++ < SHOWN)
        printf("  %.*s: %s\n", (int)f[rub_id].len, f[rub_id].text, r < 0 ? "not in the baseline's table" : "twice in rubric's");
      continue;
    }
    seen[r] = 1;
    for (int k = 1; k < nb; k++) {
      double v, want = values[r * ncols + k - 1];
      const bench_field *cell = &f[at[k]];
      bool ok = bench_cell_number(cell->text, cell->len, &v) == BENCH_CELL_OK && fabs(v - want) <= tolerance;
      if (k == 1) totals_equal += ok;
      else parts++, parts_equal += ok;
      if (!ok && problems++ < SHOWN)
        printf("  %.*s: %s is %.*s in rubric's table, %.17g in the baseline's\n", (int)f[rub_id].len, f[rub_id].text,
               k == 1 ? "total" : "an indicator", (int)cell->len, cell->text, want);
    }
  }
  if (got < 0) fail(rub.error);
  long missing = 0;
  for (long r = 0; r < n; r++) missing += !seen[r];
  if (missing && problems++ < SHOWN) printf("  %ld counties of the baseline's table are not in rubric's\n", missing);
  printf("cross-check: %ld of %ld totals equal within %g (and %ld of %ld indicator scores)%s\n", totals_equal, n,
         tolerance, parts_equal, parts, problems ? ": MISMATCH" : "");
  free(values);
  free(seen);
  bench_ids_free(&ids);
  bench_csv_close(&base);
  bench_csv_close(&rub);
  return problems ? 1 : 0;
}
