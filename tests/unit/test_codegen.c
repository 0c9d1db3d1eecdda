/*
** test_codegen.c — unit tests for code generation (compiler/codegen/) and
** the process's JIT (runtime/native.c). Each test compiles a small scheme
** to its checked scheme (compile_file), makes it native code with
** native_compile, calls the scoring function directly on hand-made column
** arrays (the ABI in codegen/abi.h), then checks the outputs bit for bit
** against the same arithmetic done in C.
*/
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include <llvm-c/Core.h>

#include "abi.h"
#include "codegen.h"
#include "compile.h"
#include "diag.h"
#include "native.h"
#include "scheme.h"

#ifndef RUBRIC_SOURCE_DIR
#error "RUBRIC_SOURCE_DIR must name the source tree"
#endif

static char g_dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(g_dir, "/tmp/rubric_test_codegen_XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  return 0;
}

struct native;
static void native_free(struct native *nt);
static struct native *g_chengwu;

static int teardown(void **state) {
  (void)state;
  if (g_chengwu) native_free(g_chengwu);
  g_chengwu = NULL;
  native_shutdown(NULL); /* the process's JIT, once every native_scheme is released */
  return scratch_remove(g_dir);
}

/* A checked scheme with its native scoring function, and its columns. */
typedef struct native {
  sc_file *u;
  const sc_scheme *s;
  native_scheme *nat; /* its code in the process's JIT */
  rb_score_fn fn;
  int nper;
  int64_t n;      /* rows */
  double **in;    /* per input: n, or nper * n values */
  double **out;   /* abi_out_count(s) columns of n: parts, the total (targets, grades) */
} native;

static native *build_path(const char *path) {
  native *nt = calloc(1, sizeof *nt);
  assert_non_null(nt);
  char *msgs = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&msgs, &len);
  rb_diags d;
  diag_init(&d, f);
  nt->u = compile_file(path, &d);
  fclose(f);
  if (!nt->u || d.errors) fail_msg("%s does not check:\n%s", path, msgs);
  free(msgs);
  nt->s = compile_find_scheme(nt->u, NULL);
  assert_non_null(nt->s);
  msgs = NULL;
  f = open_memstream(&msgs, &len);
  diag_init(&d, f);
  nt->nat = native_compile(nt->s, &d);
  fclose(f);
  if (!nt->nat || d.errors) fail_msg("native_compile %s:\n%s", path, msgs);
  free(msgs);
  assert_ptr_equal(nt->nat->scheme, nt->s);
  assert_non_null(nt->nat->name);
  char want[256];
  snprintf(want, sizeof want, "rubric_score_%s", nt->s->id);
  assert_int_equal(strncmp(nt->nat->name, want, strlen(want)), 0);
  nt->fn = nt->nat->score;
  assert_non_null(nt->fn);
  nt->nper = nt->s->nperiods;
  return nt;
}

static native *build(const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  assert_int_equal(fclose(f), 0);
  return build_path(path);
}

static void free_columns(native *nt) {
  if (nt->in)
    for (int i = 0; i < nt->s->ninputs; i++) free(nt->in[i]);
  if (nt->out)
    for (int k = 0; k < abi_out_count(nt->s); k++) free(nt->out[k]);
  free(nt->in);
  free(nt->out);
  nt->in = nt->out = NULL;
}

/* Allocates N rows of inputs (all 0) and outputs (all a marker value). */
static void rows(native *nt, int64_t n) {
  free_columns(nt);
  nt->n = n;
  nt->in = calloc((size_t)nt->s->ninputs + 1, sizeof *nt->in);
  nt->out = calloc((size_t)abi_out_count(nt->s), sizeof *nt->out);
  assert_non_null(nt->in);
  assert_non_null(nt->out);
  for (int i = 0; i < nt->s->ninputs; i++) {
    int m = nt->s->inputs[i].periodic ? nt->nper : 1;
    nt->in[i] = calloc((size_t)(m * n + 1), sizeof(double));
    assert_non_null(nt->in[i]);
  }
  for (int k = 0; k < abi_out_count(nt->s); k++) {
    nt->out[k] = malloc(sizeof(double) * (size_t)(n + 1));
    assert_non_null(nt->out[k]);
    for (int64_t r = 0; r <= n; r++) nt->out[k][r] = -12345.0;
  }
}

static void native_free(struct native *nt) {
  free_columns(nt);
  native_release(nt->nat);
  compile_free(nt->u);
  free(nt);
}

static const sc_input *input_named(const native *nt, const char *name) {
  for (int i = 0; i < nt->s->ninputs; i++)
    if (!strcmp(nt->s->inputs[i].name, name)) return &nt->s->inputs[i];
  fail_msg("no input '%s'", name);
  return NULL;
}

/* Sets input NAME of row R (in every period for a per-period input). */
static void set(native *nt, const char *name, int64_t r, double v) {
  const sc_input *in = input_named(nt, name);
  int m = in->periodic ? nt->nper : 1;
  for (int p = 0; p < m; p++) nt->in[in->index][p * nt->n + r] = v;
}

/* Sets period P of the per-period input NAME for row R: the value sits at [p*n + r]. */
static void set_p(native *nt, const char *name, int64_t r, int p, double v) {
  const sc_input *in = input_named(nt, name);
  assert_true(in->periodic);
  nt->in[in->index][p * nt->n + r] = v;
}

static void run(native *nt) { nt->fn((const double *const *)nt->in, nt->n, NULL, nt->out); }

static int part_index(const native *nt, const char *path) {
  if (!strcmp(path, "total")) return abi_out_total(nt->s);
  for (int k = 0; k < nt->s->nparts; k++)
    if (!strcmp(nt->s->parts[k]->path, path)) return k;
  fail_msg("no part '%s'", path);
  return -1;
}

static double score(const native *nt, const char *path, int64_t r) { return nt->out[part_index(nt, path)][r]; }

static uint64_t bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

/* The score of PATH in row R is exactly WANT, bit for bit. */
static void expect_score(const native *nt, const char *path, int64_t r, double want) {
  double got = score(nt, path, r);
  if (bits(got) != bits(want))
    fail_msg("row %lld, %s: got %.17g (0x%016llx), expected %.17g (0x%016llx)", (long long)r, path, got,
             (unsigned long long)bits(got), want, (unsigned long long)bits(want));
}

/* The score of PATH in row R failed at a site of KIND in part PART_PATH; returns the site. */
static const cg_site *expect_failure(const native *nt, const char *path, int64_t r, cg_site_kind kind,
                                     const char *part_path) {
  double got = score(nt, path, r);
  if (!isnan(got)) fail_msg("row %lld, %s: expected a failure, got %.17g", (long long)r, path, got);
  int site = abi_error_site(got, nt->nat->nsites);
  if (site < 0) fail_msg("row %lld, %s: a NaN no site produced (0x%016llx)", (long long)r, path,
                         (unsigned long long)bits(got));
  const cg_site *st = &nt->nat->sites[site];
  assert_int_equal(st->kind, kind);
  assert_non_null(st->part);
  assert_string_equal(st->part->path, part_path);
  return st;
}

/* |got - want| <= eps, for values worked out by hand in decimal. */
#define assert_near(got, want, eps) assert_near_at((got), (want), (eps), __FILE__, __LINE__)
static void assert_near_at(double got, double want, double eps, const char *file, int line) {
  if (!(fabs(got - want) <= eps)) fail_msg("%s:%d: %.17g is not within %g of %.17g", file, line, got, eps, want);
}

/* What the prelude's interpolate computes, step by step as the generated code does. */
static double interpolate(double x, double x0, double y0, double x1, double y1) {
  double c = x0 > x ? x0 : x;
  c = x1 < c ? x1 : c;
  return y0 + (y1 - y0) * (c - x0) / (x1 - x0);
}

/* A score held within [0, points]. */
static double held(double v, double points) {
  double c = 0 > v ? 0 : v;
  return points < c ? points : c;
}

/* ---- tiers -------------------------------------------------------------- */

static void test_tiers_at_thresholds(void **state) {
  (void)state;
  native *nt = build("tiers.rubric", "scheme cg_tiers \"t\" {\n"
                                     "  total 30\n"
                                     "  input records: count\n"
                                     "  input population: count\n"
                                     "  input r: number\n"
                                     "  indicator info \"归集\" points 10 {\n"
                                     "    undefined \"人口超过 100 万\" if population >= 100万,\n"
                                     "    10 if records > 7000万,\n"
                                     "    5 if records > 4000万,\n"
                                     "    0 otherwise\n"
                                     "  }\n"
                                     "  indicator city \"排名\" points 20 {\n"
                                     "    20 if r <= 10,\n"
                                     "    0 if r > 100,\n"
                                     "    20 - 2 * ceil((r - 10) / 10) otherwise\n"
                                     "  }\n"
                                     "}\n");
  const double rec[] = {0, 39999999, 40000000, 40000001, 69999999, 70000000, 70000001, 1e12};
  const double want_info[] = {0, 0, 0, 5, 5, 5, 10, 10};
  const double rk[] = {1, 10, 10.08, 20, 20.08, 55.5, 100, 100.08};
  const double want_rank[] = {20, 20, 18, 18, 16, 10, 2, 0};
  int64_t n = 8;
  rows(nt, n);
  for (int64_t i = 0; i < n; i++) {
    set(nt, "records", i, rec[i]);
    set(nt, "population", i, 999999);
    set(nt, "r", i, rk[i]);
  }
  run(nt);
  for (int64_t i = 0; i < n; i++) {
    expect_score(nt, "info", i, want_info[i]);
    expect_score(nt, "city", i, want_rank[i]);
    expect_score(nt, "total", i, 0.0 + want_info[i] + want_rank[i]);
  }
  /* the output columns are written for exactly n rows */
  assert_true(nt->out[0][n] == -12345.0);
  assert_true(nt->out[abi_out_total(nt->s)][n] == -12345.0);
  native_free(nt);
}

static void test_undefined_names_its_site(void **state) {
  (void)state;
  native *nt = build("undef.rubric", "scheme cg_undef \"t\" {\n"
                                     "  total 30\n"
                                     "  input records: count\n"
                                     "  input population: count\n"
                                     "  indicator info \"归集\" points 10 {\n"
                                     "    undefined \"人口超过 100 万\" if population >= 100万,\n"
                                     "    10 if records > 7000万,\n"
                                     "    0 otherwise\n"
                                     "  }\n"
                                     "  indicator other \"其他\" points 20 { 20 if records > 0, 0 otherwise }\n"
                                     "}\n");
  rows(nt, 3);
  set(nt, "population", 0, 999999);
  set(nt, "population", 1, 1000000);
  set(nt, "population", 2, 5000000);
  for (int i = 0; i < 3; i++) set(nt, "records", i, 8e7);
  run(nt);
  expect_score(nt, "info", 0, 10);
  expect_score(nt, "total", 0, 30);
  for (int64_t r = 1; r <= 2; r++) {
    const cg_site *st = expect_failure(nt, "info", r, SITE_UNDEFINED, "info");
    assert_non_null(st->reason);
    assert_string_equal(st->reason, "人口超过 100 万");
    assert_int_equal(st->loc.first_line, 6);
    assert_int_equal(st->loc.first_column, 5);
    /* the total fails with the same site; the other indicator is fine */
    assert_true(bits(score(nt, "total", r)) == bits(score(nt, "info", r)));
    expect_score(nt, "other", r, 20);
  }
  native_free(nt);
}

/* ---- linear between ----------------------------------------------------- */

static void test_linear_between(void **state) {
  (void)state;
  native *nt = build("linear.rubric", "scheme cg_linear \"t\" {\n"
                                      "  total 10\n"
                                      "  input a: count\n"
                                      "  input b: count\n"
                                      "  input loans: money\n"
                                      "  indicator bl \"黑名单\" points 4 {\n"
                                      "    let share = a / b\n"
                                      "    4 if share < 0.3%, 0 if share > 0.5%, linear between\n"
                                      "  }\n"
                                      "  indicator xyd \"信易贷\" points 6 {\n"
                                      "    6 if loans >= 10亿, 0 if loans < 3亿, linear between\n"
                                      "  }\n"
                                      "}\n");
  const double a[] = {2999, 3, 3001, 4, 4999, 5, 5001, 0};
  const double b[] = {1e6, 1000, 1e6, 1000, 1e6, 1000, 1e6, 1};
  const double loans[] = {299999999, 3e8, 3.5e8, 6.5e8, 999999999, 1e9, 2e9, 0};
  int64_t n = 8;
  rows(nt, n);
  for (int64_t i = 0; i < n; i++) {
    set(nt, "a", i, a[i]);
    set(nt, "b", i, b[i]);
    set(nt, "loans", i, loans[i]);
  }
  run(nt);
  for (int64_t i = 0; i < n; i++) {
    double share = a[i] / b[i];
    double want_bl = share < 0.003 ? 4 : share > 0.005 ? 0 : interpolate(share, 0.003, 4, 0.005, 0);
    double want_xyd = loans[i] >= 1e9 ? 6 : loans[i] < 3e8 ? 0 : interpolate(loans[i], 3e8, 0, 1e9, 6);
    expect_score(nt, "bl", i, held(want_bl, 4));
    expect_score(nt, "xyd", i, held(want_xyd, 6));
    expect_score(nt, "total", i, 0.0 + held(want_bl, 4) + held(want_xyd, 6));
  }
  /* the anchors themselves, and the halfway points, by hand */
  expect_score(nt, "bl", 0, 4);
  expect_score(nt, "bl", 1, 4);
  assert_near(score(nt, "bl", 2), 3.998, 1e-12);
  assert_near(score(nt, "bl", 3), 2, 1e-12);
  expect_score(nt, "bl", 5, 0);
  expect_score(nt, "bl", 6, 0);
  expect_score(nt, "xyd", 0, 0);
  expect_score(nt, "xyd", 1, 0);
  expect_score(nt, "xyd", 3, 3);
  assert_near(score(nt, "xyd", 4), 5.99999999142857, 1e-12);
  expect_score(nt, "xyd", 5, 6);
  native_free(nt);
}

/* ---- per-period values -------------------------------------------------- */

static void test_per_period_reductions(void **state) {
  (void)state;
  native *nt = build("period.rubric", "scheme cg_period \"t\" {\n"
                                      "  total 800\n"
                                      "  period month 1 to 3\n"
                                      "  input v: number per month\n"
                                      "  input r: rank per month\n"
                                      "  input ok: yesno per month\n"
                                      "  indicator vsum \"\" points 100 { sum(v) }\n"
                                      "  indicator rmean \"\" points 100 { mean(r) }\n"
                                      "  indicator okcount \"\" points 100 { count(ok) }\n"
                                      "  indicator bigcount \"\" points 100 { count(v > 2) }\n"
                                      "  indicator vmin \"\" points 100 { min(v) + 10 }\n"
                                      "  indicator vmax \"\" points 100 { max(v) }\n"
                                      "  indicator elementwise \"\" points 100 { sum(max(v, 1)) }\n"
                                      "  indicator monthly \"\" points 100 {\n"
                                      "    let m = 0.2 if v >= 2, -0.2 otherwise\n"
                                      "    sum(m)\n"
                                      "  }\n"
                                      "}\n");
  assert_int_equal(nt->nper, 3);
  const double v[2][3] = {{1, 2, 3}, {5, -1, 0.5}};
  const double r[2][3] = {{10, 20, 31}, {1, 1, 2}};
  const double ok[2][3] = {{1, 0, 1}, {0, 0, 7}}; /* any non-zero is yes */
  rows(nt, 2);
  for (int i = 0; i < 2; i++)
    for (int p = 0; p < 3; p++) {
      set_p(nt, "v", i, p, v[i][p]);
      set_p(nt, "r", i, p, r[i][p]);
      set_p(nt, "ok", i, p, ok[i][p]);
    }
  run(nt);
  for (int i = 0; i < 2; i++) {
    double want[8];
    want[0] = v[i][0] + v[i][1] + v[i][2];
    want[1] = (r[i][0] + r[i][1] + r[i][2]) / 3;
    want[2] = (ok[i][0] != 0) + (ok[i][1] != 0) + (ok[i][2] != 0);
    want[3] = (v[i][0] > 2) + (v[i][1] > 2) + (v[i][2] > 2);
    want[4] = fmin(fmin(v[i][0], v[i][1]), v[i][2]) + 10;
    want[5] = fmax(fmax(v[i][0], v[i][1]), v[i][2]);
    want[6] = fmax(v[i][0], 1) + fmax(v[i][1], 1) + fmax(v[i][2], 1);
    double m[3];
    for (int p = 0; p < 3; p++) m[p] = v[i][p] >= 2 ? 0.2 : -0.2;
    want[7] = m[0] + m[1] + m[2];
    const char *names[] = {"vsum", "rmean", "okcount", "bigcount", "vmin", "vmax", "elementwise", "monthly"};
    double total = 0;
    for (int k = 0; k < 8; k++) {
      expect_score(nt, names[k], i, held(want[k], 100));
      total += held(want[k], 100);
    }
    expect_score(nt, "total", i, total);
  }
  /* by hand */
  expect_score(nt, "vsum", 0, 6);
  expect_score(nt, "vsum", 1, 4.5);
  expect_score(nt, "rmean", 0, 61.0 / 3);
  expect_score(nt, "okcount", 0, 2);
  expect_score(nt, "okcount", 1, 1);
  expect_score(nt, "bigcount", 0, 1);
  expect_score(nt, "vmin", 1, 9);
  expect_score(nt, "vmax", 1, 5);
  expect_score(nt, "elementwise", 1, 7);
  expect_score(nt, "monthly", 1, 0); /* -0.2 held at 0 */
  native_free(nt);
}

/* ---- clamping, items, total --------------------------------------------- */

static void test_clamping(void **state) {
  (void)state;
  native *nt = build("clamp.rubric", "scheme cg_clamp \"t\" {\n"
                                     "  total 5\n"
                                     "  input x: number\n"
                                     "  indicator c \"c\" points 5 { x * 2 }\n"
                                     "}\n");
  const double x[] = {-3, 0, 1.25, 2.5, 2.5000001, 10, -1e300};
  const double want[] = {0, 0, 2.5, 5, 5, 5, 0};
  rows(nt, 7);
  for (int i = 0; i < 7; i++) set(nt, "x", i, x[i]);
  run(nt);
  for (int i = 0; i < 7; i++) {
    expect_score(nt, "c", i, want[i]);
    expect_score(nt, "total", i, want[i]);
  }
  native_free(nt);
}

static void test_items_and_total(void **state) {
  (void)state;
  native *nt = build("items.rubric", "scheme cg_items \"t\" {\n"
                                     "  total 12.8\n"
                                     "  input i1: number\n"
                                     "  input i2: number\n"
                                     "  input i3: number\n"
                                     "  input i4: number\n"
                                     "  input flag: yesno\n"
                                     "  indicator sys \"制度\" points 2.8 {\n"
                                     "    item a \"\" points 0.7 { i1 }\n"
                                     "    item b \"\" points 0.7 { i2 }\n"
                                     "    item c \"\" points 0.7 { i3 }\n"
                                     "    item d \"\" points 0.7 { i4 }\n"
                                     "  }\n"
                                     "  category k \"类\" points 10 {\n"
                                     "    indicator fin \"\" points 6 {\n"
                                     "      item p \"\" points 4 { 4 if flag, 0 otherwise }\n"
                                     "      item q \"\" points 2 { i1 + i2 }\n"
                                     "    }\n"
                                     "    indicator plain \"\" points 4 { i3 * 4 }\n"
                                     "  }\n"
                                     "}\n");
  assert_int_equal(nt->s->nparts, 10);
  const double in[3][5] = {{0.7, 0.7, 0.5, 0.6, 1}, {0.9, -1, 0.7, 0.35, 0}, {0, 0, 0, 0, 0}};
  rows(nt, 3);
  for (int r = 0; r < 3; r++) {
    set(nt, "i1", r, in[r][0]);
    set(nt, "i2", r, in[r][1]);
    set(nt, "i3", r, in[r][2]);
    set(nt, "i4", r, in[r][3]);
    set(nt, "flag", r, in[r][4]);
  }
  run(nt);
  for (int r = 0; r < 3; r++) {
    double a = held(in[r][0], 0.7), b = held(in[r][1], 0.7), c = held(in[r][2], 0.7), d = held(in[r][3], 0.7);
    expect_score(nt, "sys.a", r, a);
    expect_score(nt, "sys.b", r, b);
    expect_score(nt, "sys.c", r, c);
    expect_score(nt, "sys.d", r, d);
    double sys = held(a + b + c + d, 2.8);
    expect_score(nt, "sys", r, sys);
    double p = in[r][4] != 0 ? 4 : 0, q = held(in[r][0] + in[r][1], 2);
    expect_score(nt, "fin.p", r, p);
    expect_score(nt, "fin.q", r, q);
    double fin = held(p + q, 6), plain = held(in[r][2] * 4, 4);
    expect_score(nt, "fin", r, fin);
    expect_score(nt, "plain", r, plain);
    double k = held(fin + plain, 10);
    expect_score(nt, "k", r, k);
    expect_score(nt, "total", r, 0.0 + sys + k);
  }
  /* by hand: 0.7 + 0.7 + 0.5 + 0.6 and 0.7 + 0 + 0.7 + 0.35 */
  assert_near(score(nt, "sys", 0), 2.5, 1e-12);
  expect_score(nt, "sys.a", 1, 0.7); /* 0.9 held at 0.7 */
  expect_score(nt, "sys.b", 1, 0);   /* -1 held at 0 */
  assert_near(score(nt, "sys", 1), 1.75, 1e-12);
  expect_score(nt, "total", 2, 0);
  native_free(nt);
}

/* ---- failures ----------------------------------------------------------- */

static const char *k_div_scheme = "scheme cg_div \"t\" {\n"
                                  "  total 16\n"
                                  "  input a: count\n"
                                  "  input b: count\n"
                                  "  indicator ratio \"r\" points 4 { 4 if a / b > 100%, 0 otherwise }\n"
                                  "  indicator safe \"s\" points 4 { 0 if b == 0, min(4, a / b) otherwise }\n"
                                  "  indicator guarded \"g\" points 4 { 4 if b > 0 and a / b > 2, 0 otherwise }\n"
                                  "  indicator fine \"f\" points 4 { min(4, a) }\n"
                                  "}\n";

static void test_division_by_zero(void **state) {
  (void)state;
  native *nt = build("div.rubric", k_div_scheme);
  const double a[] = {5, 10, 0, 3};
  const double b[] = {0, 4, 0, 3};
  rows(nt, 4);
  for (int i = 0; i < 4; i++) {
    set(nt, "a", i, a[i]);
    set(nt, "b", i, b[i]);
  }
  run(nt);
  /* rows 0 (5/0) and 2 (0/0): ratio fails at its division */
  for (int r = 0; r <= 2; r += 2) {
    const cg_site *st = expect_failure(nt, "ratio", r, SITE_DIV_ZERO, "ratio");
    assert_int_equal(st->loc.first_line, 5);
    assert_int_equal(st->loc.first_column, 39);
    assert_int_equal((int)(st->loc.end - st->loc.start), 5); /* "a / b" */
    assert_memory_equal(st->loc.src->text + st->loc.start, "a / b", 5);
    assert_null(st->reason);
    assert_true(bits(score(nt, "total", r)) == bits(score(nt, "ratio", r)));
    /* the division in the branch not taken, and behind a false 'and', do not fail */
    expect_score(nt, "safe", r, 0);
    expect_score(nt, "guarded", r, 0);
    expect_score(nt, "fine", r, fmin(4, a[r]));
  }
  /* the other rows are untouched */
  expect_score(nt, "ratio", 1, 4);
  expect_score(nt, "safe", 1, 2.5);
  expect_score(nt, "guarded", 1, 4);
  expect_score(nt, "fine", 1, 4);
  expect_score(nt, "total", 1, 0.0 + 4 + 2.5 + 4 + 4);
  expect_score(nt, "ratio", 3, 0);
  expect_score(nt, "safe", 3, 1);
  expect_score(nt, "guarded", 3, 0);
  expect_score(nt, "total", 3, 0.0 + 0 + 1 + 0 + 3);
  native_free(nt);
}

static void test_first_failure_wins_and_nonfinite(void **state) {
  (void)state;
  native *nt = build("fail.rubric", "scheme cg_fail \"t\" {\n"
                                    "  total 8\n"
                                    "  input a: number\n"
                                    "  input b: number\n"
                                    "  input x: number\n"
                                    "  indicator two \"\" points 4 { min(4, 1 / a + 1 / b) }\n"
                                    "  indicator big \"\" points 4 { x * x }\n"
                                    "}\n");
  rows(nt, 3);
  set(nt, "a", 0, 0);
  set(nt, "b", 0, 0);
  set(nt, "x", 0, 1e200);
  set(nt, "a", 1, 1);
  set(nt, "b", 1, 0);
  set(nt, "x", 1, 1);
  set(nt, "a", 2, 2);
  set(nt, "b", 2, 4);
  set(nt, "x", 2, 1.5);
  run(nt);
  /* both divisions fail in row 0: the first one is named */
  const cg_site *st = expect_failure(nt, "two", 0, SITE_DIV_ZERO, "two");
  assert_int_equal(st->loc.first_column, 38);
  st = expect_failure(nt, "two", 1, SITE_DIV_ZERO, "two");
  assert_int_equal(st->loc.first_column, 46);
  /* an overflow to inf no rule produced is still a failure of its part */
  st = expect_failure(nt, "big", 0, SITE_NONFINITE, "big");
  assert_int_equal(st->loc.first_line, 7);
  /* the total names the first failing part */
  assert_true(bits(score(nt, "total", 0)) == bits(score(nt, "two", 0)));
  expect_score(nt, "big", 1, 1);
  expect_score(nt, "two", 2, 0.75);
  expect_score(nt, "big", 2, 2.25);
  expect_score(nt, "total", 2, 0.0 + 0.75 + 2.25);
  native_free(nt);
}

static void test_error_site_decoding(void **state) {
  (void)state;
  assert_int_equal(abi_error_site(0.0, 5), -1);
  assert_int_equal(abi_error_site(4.5, 5), -1);
  assert_int_equal(abi_error_site(INFINITY, 5), -1);
  uint64_t b = 0x7FF8000000000000ULL | 3; /* site index 2 */
  double d;
  memcpy(&d, &b, sizeof d);
  assert_true(isnan(d));
  assert_int_equal(abi_error_site(d, 5), 2);
  assert_int_equal(abi_error_site(d, 3), 2);
  assert_int_equal(abi_error_site(d, 2), -1); /* beyond the sites */
  b = 0x7FF8000000000000ULL; /* a NaN no site produced */
  memcpy(&d, &b, sizeof d);
  assert_int_equal(abi_error_site(d, 5), -1);
  assert_int_equal(abi_error_site(nan(""), 5), -1);
}

/* A division guarded by a tier inside a let, and a form whose arguments are
   all used (the prelude's forms): only the path taken counts. */
static void test_guards_through_lets_and_prelude_forms(void **state) {
  (void)state;
  native *nt = build("guards.rubric", "scheme cg_guards \"t\" {\n"
                                      "  total 8\n"
                                      "  input a: count\n"
                                      "  input b: count\n"
                                      "  indicator viaLet \"\" points 4 {\n"
                                      "    let s = a / b\n"
                                      "    0 if b == 0, 4 if s > 1, 0 otherwise\n"
                                      "  }\n"
                                      "  indicator prop \"\" points 4 { proportional(full: 4, actual: a, target: b) }\n"
                                      "}\n");
  rows(nt, 2);
  set(nt, "a", 0, 3);
  set(nt, "b", 0, 0);
  set(nt, "a", 1, 3);
  set(nt, "b", 1, 6);
  run(nt);
  expect_score(nt, "viaLet", 0, 0);
  expect_score(nt, "viaLet", 1, 0);
  /* proportional divides by its target unconditionally: b = 0 fails the row */
  expect_failure(nt, "prop", 0, SITE_DIV_ZERO, "prop");
  expect_score(nt, "prop", 1, fmin(4, 4.0 * 3 / 6));
  native_free(nt);
}

/* Regression (was a bug): form arguments are evaluated eagerly, under the caller's guard
   (codegen.c eval_call: inner.params[i] = eval(c, e->call.bound[i], g, en)),
   not where the form's body uses them. So a division by zero or an
   `undefined` passed to a form fails the row even on the path the row takes
   that never uses that argument, contrary to codegen.c's own rule ("a
   division by zero or an `undefined` counts only on the path a row really
   takes") and unlike the same rule written without the form. Here b = 0:
   'direct' scores 0 but 'viaform' is a NaN with a SITE_DIV_ZERO site, and
   'undef' is a NaN with a SITE_UNDEFINED site. */
static void test_form_argument_on_untaken_path(void **state) {
  (void)state;
  native *nt = build("formarg.rubric", "form pick(c, v) = v if c, 0 otherwise\n"
                                       "scheme cg_formarg \"t\" {\n"
                                       "  total 12\n"
                                       "  input a: count\n"
                                       "  input b: count\n"
                                       "  indicator direct \"d\" points 4 { a / b if b > 0, 0 otherwise }\n"
                                       "  indicator viaform \"f\" points 4 { pick(b > 0, a / b) }\n"
                                       "  indicator undef \"u\" points 4 { pick(b > 0, undefined \"never used\") }\n"
                                       "}\n");
  rows(nt, 2);
  set(nt, "a", 0, 5);
  set(nt, "b", 0, 0);
  set(nt, "a", 1, 6);
  set(nt, "b", 1, 2);
  run(nt);
  expect_score(nt, "direct", 0, 0);
  expect_score(nt, "viaform", 0, 0);
  expect_score(nt, "undef", 0, 0);
  expect_score(nt, "total", 0, 0);
  expect_score(nt, "direct", 1, 3);
  expect_score(nt, "viaform", 1, 3);
  expect_failure(nt, "undef", 1, SITE_UNDEFINED, "undef");
  native_free(nt);
}

/* ---- the Chengwu scheme ------------------------------------------------- */

/* Built once (g_chengwu) and shared by the tests that score it; released in teardown. */
static native *build_chengwu(void) {
  if (!g_chengwu) g_chengwu = build_path(RUBRIC_SOURCE_DIR "/examples/chengwu/chengwu_2022.rubric");
  return g_chengwu;
}

/* The county the scheme's last example works by hand. */
static void test_chengwu_worked_county(void **state) {
  (void)state;
  native *nt = build_chengwu();
  assert_int_equal(nt->nper, 12);
  rows(nt, 3); /* the county is row 1, between two others, so the period layout matters */
  const struct {
    const char *name;
    double v;
  } given[] = {
      {"population", 628000},        {"gov_defaulters", 1},         {"serious_dishonest", 160},
      {"market_entities", 40000},    {"platform_records", 7.5e7},   {"records_social_security", 3e5},
      {"records_tax", 2.5e5},        {"records_housing_fund", 1.2e5}, {"records_water", 2.1e5},
      {"records_electricity", 4e5},  {"records_gas", 8e4},          {"records_logistics", 2e5},
      {"records_ip", 3e4},           {"credit_checks", 41000},      {"benefit_domains", 18},
      {"xyd_registered", 300},       {"operating_firms", 15000},    {"xyd_credit_yuan", 5e8},
      {"supervision_domains", 22},   {"commitments", 10500},        {"sys_institutions", 0.7},
      {"sys_organisation", 0.7},     {"sys_staffing", 0.5},         {"sys_funding", 0.6},
      {"innovations", 1},            {"fin_progress", 1},           {"zx_mechanism", 1},
      {"zx_cleanup", 0},             {"zx_crackdown", 1},           {"no_major_risk", 1},
      {"pub_timeliness", 1},
  };
  for (size_t i = 0; i < sizeof given / sizeof *given; i++) {
    set(nt, given[i].name, 0, 1); /* neighbours with other values */
    set(nt, given[i].name, 1, given[i].v);
    set(nt, given[i].name, 2, 0);
  }
  const double rank[12] = {36, 33, 30, 31, 28, 27, 25, 24, 26, 23, 25, 21};
  const double usc[12] = {0.00012, 0.00031, 0.00008, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (int p = 0; p < 12; p++) {
    set_p(nt, "city_rank", 0, p, 1);
    set_p(nt, "city_rank", 1, p, rank[p]);
    set_p(nt, "city_rank", 2, p, 200);
    set_p(nt, "usc_error_rate", 1, p, usc[p]);
    set_p(nt, "pub_compliance", 1, p, p == 0 ? 0.97 : 1);
  }
  run(nt);
  expect_score(nt, "city_rank", 1, 16);
  expect_score(nt, "gov_dishonest", 1, 9);
  expect_score(nt, "blacklist", 1, interpolate(160.0 / 40000, 0.003, 4, 0.005, 0));
  assert_near(score(nt, "blacklist", 1), 2, 1e-12);
  assert_near(score(nt, "usc_code", 1), 1.2, 1e-12);
  assert_near(score(nt, "double_publicity", 1), 4.4, 1e-12);
  expect_score(nt, "info_collection", 1, 10);
  expect_score(nt, "special_info", 1, 2.5);
  expect_score(nt, "credit_check_use", 1, 4);
  assert_near(score(nt, "benefit_apps", 1), 3.6, 1e-12);
  expect_score(nt, "xyd_registered", 1, interpolate(300.0 / 15000, 0.01, 0, 0.03, 6));
  expect_score(nt, "xyd_loans", 1, interpolate(5e8, 3e8, 0, 1e9, 6));
  assert_near(score(nt, "xyd_loans", 1), 1.7142857142857142, 1e-12);
  expect_score(nt, "tiered_supervision", 1, 4);
  assert_near(score(nt, "commitments", 1), 4, 1e-12);
  assert_near(score(nt, "system_building", 1), 2.5, 1e-12);
  expect_score(nt, "innovation", 1, 1);
  expect_score(nt, "finance_risk", 1, 9);
  expect_score(nt, "finance_risk.zx_cleanup", 1, 0);
  assert_near(score(nt, "total", 1), 77.9142857142857, 1e-9);
  /* the neighbours: row 0 ranks first every month, row 2 has no market entities */
  expect_score(nt, "city_rank", 0, 20);
  expect_score(nt, "city_rank", 2, 0);
  expect_failure(nt, "blacklist", 2, SITE_DIV_ZERO, "blacklist");
  expect_failure(nt, "total", 2, SITE_DIV_ZERO, "blacklist");
}

/* Deterministic pseudo-random numbers (a 64-bit LCG). */
static uint64_t g_seed = 0x2545F4914F6CDD1DULL;
static double rnd(void) {
  g_seed = g_seed * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(g_seed >> 11) / 9007199254740992.0;
}
static double rnd_int(double lo, double hi) { return floor(lo + rnd() * (hi - lo + 1)); }

/* Fills row R of NT with a random county; some rows fail (population of a
   million or more, no market entities). */
static void random_county(native *nt, int64_t r) {
  for (int i = 0; i < nt->s->ninputs; i++) {
    const sc_input *in = &nt->s->inputs[i];
    int m = in->periodic ? nt->nper : 1;
    for (int p = 0; p < m; p++) {
      double v;
      switch (in->type) {
      case IN_YESNO: v = rnd() < 0.5; break;
      case IN_FRACTION: v = rnd() < 0.6 ? 1 : rnd() * 0.01; break;
      case IN_RANK: v = rnd_int(1, 150); break;
      case IN_NUMBER: v = rnd() * 0.8; break;
      case IN_MONEY: v = rnd_int(0, 1.5e9); break;
      default: v = rnd_int(0, 100); break;
      }
      nt->in[in->index][p * nt->n + r] = v;
    }
  }
  set(nt, "population", r, rnd_int(2e5, 1.2e6));
  set(nt, "market_entities", r, rnd() < 0.1 ? 0 : rnd_int(1000, 100000));
  set(nt, "serious_dishonest", r, rnd_int(0, 600));
  set(nt, "operating_firms", r, rnd_int(1, 30000));
  set(nt, "xyd_registered", r, rnd_int(0, 1000));
  set(nt, "commitments", r, rnd_int(0, 30000));
  set(nt, "platform_records", r, rnd_int(3e7, 9e7));
  set(nt, "credit_checks", r, rnd_int(0, 120000));
}

static void test_bitwise_reproducible(void **state) {
  (void)state;
  native *nt = build_chengwu();
  const int64_t n = 37; /* not a multiple of any vector width */
  rows(nt, n);
  for (int64_t r = 0; r < n; r++) random_county(nt, r);
  run(nt);
  int nout = abi_out_count(nt->s), tot = abi_out_total(nt->s);
  double **first = calloc((size_t)nout, sizeof *first);
  assert_non_null(first);
  for (int k = 0; k < nout; k++) {
    first[k] = malloc(sizeof(double) * (size_t)n);
    assert_non_null(first[k]);
    memcpy(first[k], nt->out[k], sizeof(double) * (size_t)n);
  }
  /* the batch has numbers and failures, so both are compared */
  int failed = 0, scored = 0;
  for (int64_t r = 0; r < n; r++) {
    if (isnan(first[tot][r])) {
      failed++;
      assert_true(abi_error_site(first[tot][r], nt->nat->nsites) >= 0);
    } else {
      scored++;
    }
  }
  assert_true(failed > 0);
  assert_true(scored > 0);

  /* a second run over the same columns */
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++) nt->out[k][r] = -1;
  run(nt);
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++)
      if (bits(nt->out[k][r]) != bits(first[k][r]))
        fail_msg("run 2, row %lld, part %d: 0x%016llx != 0x%016llx", (long long)r, k,
                 (unsigned long long)bits(nt->out[k][r]), (unsigned long long)bits(first[k][r]));

  /* the rows in reverse order: each entity's scores are the same bits */
  double **rev = calloc((size_t)nt->s->ninputs, sizeof *rev);
  assert_non_null(rev);
  for (int i = 0; i < nt->s->ninputs; i++) {
    int m = nt->s->inputs[i].periodic ? nt->nper : 1;
    rev[i] = malloc(sizeof(double) * (size_t)(m * n));
    assert_non_null(rev[i]);
    for (int p = 0; p < m; p++)
      for (int64_t r = 0; r < n; r++) rev[i][p * n + r] = nt->in[i][p * n + (n - 1 - r)];
  }
  for (int i = 0; i < nt->s->ninputs; i++) {
    memcpy(nt->in[i], rev[i], sizeof(double) * (size_t)((nt->s->inputs[i].periodic ? nt->nper : 1) * n));
    free(rev[i]);
  }
  free(rev);
  run(nt);
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++)
      if (bits(nt->out[k][n - 1 - r]) != bits(first[k][r]))
        fail_msg("reversed, entity %lld, part %d: 0x%016llx != 0x%016llx", (long long)r, k,
                 (unsigned long long)bits(nt->out[k][n - 1 - r]), (unsigned long long)bits(first[k][r]));

  /* one row at a time gives the same bits as the batch */
  int nin = nt->s->ninputs;
  double **in1 = calloc((size_t)nin, sizeof *in1), **out1 = calloc((size_t)nout, sizeof *out1);
  assert_non_null(in1);
  assert_non_null(out1);
  for (int i = 0; i < nin; i++) {
    in1[i] = malloc(sizeof(double) * (size_t)nt->nper);
    assert_non_null(in1[i]);
  }
  for (int k = 0; k < nout; k++) {
    out1[k] = malloc(sizeof(double));
    assert_non_null(out1[k]);
  }
  for (int64_t r = 0; r < n; r += 3) {
    int64_t at = n - 1 - r; /* entity r sits at row n-1-r of the reversed batch */
    for (int i = 0; i < nin; i++) {
      int m = nt->s->inputs[i].periodic ? nt->nper : 1;
      for (int p = 0; p < m; p++) in1[i][p] = nt->in[i][p * n + at];
    }
    nt->fn((const double *const *)in1, 1, NULL, out1);
    for (int k = 0; k < nout; k++)
      if (bits(out1[k][0]) != bits(first[k][r]))
        fail_msg("alone, entity %lld, part %d: 0x%016llx != 0x%016llx", (long long)r, k,
                 (unsigned long long)bits(out1[k][0]), (unsigned long long)bits(first[k][r]));
  }
  for (int i = 0; i < nin; i++) free(in1[i]);
  for (int k = 0; k < nout; k++) free(out1[k]);
  free(in1);
  free(out1);
  for (int k = 0; k < nout; k++) free(first[k]);
  free(first);
}

static void test_zero_rows(void **state) {
  (void)state;
  native *nt = build("zero.rubric", "scheme cg_zero \"t\" {\n"
                                    "  total 1\n"
                                    "  input x: number\n"
                                    "  indicator c \"c\" points 1 { x }\n"
                                    "}\n");
  rows(nt, 0);
  run(nt); /* writes nothing */
  assert_true(nt->out[0][0] == -12345.0);
  assert_true(nt->out[1][0] == -12345.0);
  native_free(nt);
}

/* The same scheme twice in the process's JIT (two files may share an id):
   native_compile gives each its own names, both run, and releasing one
   leaves the other. (The old JIT wrapper refused the second module; the
   unknown-symbol lookup it also tested has no public entry point now.) */
static void test_jit_same_scheme_twice(void **state) {
  (void)state;
  native *nt = build("dup.rubric", "scheme cg_dup \"t\" {\n"
                                   "  total 1\n"
                                   "  input x: number\n"
                                   "  indicator c \"c\" points 1 { x }\n"
                                   "}\n");
  /* codegen names the function after the scheme, plus the suffix it is given */
  char err[1024] = "";
  LLVMContextRef ctx = LLVMContextCreate();
  cg_result again;
  assert_int_equal(cg_scheme(nt->s, ctx, NULL, &again, err, sizeof err), 0);
  assert_string_equal(again.fn_name, "rubric_score_cg_dup");
  assert_non_null(again.module);
  assert_null(again.peers_name);
  cg_result_free(&again);
  assert_int_equal(cg_scheme(nt->s, ctx, "_9", &again, err, sizeof err), 0);
  assert_string_equal(again.fn_name, "rubric_score_cg_dup_9");
  cg_result_free(&again);
  LLVMContextDispose(ctx);
  /* the second compilation of the scheme in the JIT is accepted under a name of its own */
  char *msgs = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&msgs, &len);
  rb_diags d;
  diag_init(&d, f);
  native_scheme *second = native_compile(nt->s, &d);
  fclose(f);
  if (!second || d.errors) fail_msg("native_compile, again:\n%s", msgs);
  assert_int_equal(len, 0);
  free(msgs);
  assert_string_not_equal(second->name, nt->nat->name);
  assert_int_equal(strncmp(second->name, "rubric_score_cg_dup", strlen("rubric_score_cg_dup")), 0);
  assert_non_null(second->score);
  assert_true(second->score != nt->fn);
  assert_null(second->peers);
  /* both definitions work */
  rows(nt, 1);
  set(nt, "x", 0, 0.25);
  run(nt);
  expect_score(nt, "c", 0, 0.25);
  nt->out[0][0] = nt->out[1][0] = -1;
  second->score((const double *const *)nt->in, 1, NULL, nt->out);
  expect_score(nt, "c", 0, 0.25);
  expect_score(nt, "total", 0, 0.25);
  /* the first definition still works once the second is dropped */
  native_release(second);
  nt->out[0][0] = nt->out[1][0] = -1;
  set(nt, "x", 0, 0.75);
  run(nt);
  expect_score(nt, "c", 0, 0.75);
  expect_score(nt, "total", 0, 0.75);
  native_free(nt);
}

/* W^X: once native code is compiled and has run, no page of the process is
   both writable and executable (ORC's memory manager flips pages from
   writable to executable; spec/guarantees.md). */
static void test_no_writable_code(void **state) {
  (void)state;
  native *nt = build("wx.rubric", "scheme cg_wx \"t\" {\n"
                                  "  total 1\n"
                                  "  input x: number\n"
                                  "  indicator c \"c\" points 1 { min(1, max(0, x)) }\n"
                                  "}\n");
  rows(nt, 3);
  run(nt);
  FILE *maps = fopen("/proc/self/maps", "r");
  assert_non_null(maps);
  char line[1024];
  int mappings = 0;
  while (fgets(line, sizeof line, maps)) {
    char perms[8] = "";
    if (sscanf(line, "%*s %7s", perms) != 1) continue;
    mappings++;
    if (strchr(perms, 'w') && strchr(perms, 'x')) fail_msg("a writable and executable mapping: %s", line);
  }
  fclose(maps);
  assert_true(mappings > 10);
  native_free(nt);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_form_argument_on_untaken_path),
      cmocka_unit_test(test_tiers_at_thresholds),
      cmocka_unit_test(test_undefined_names_its_site),
      cmocka_unit_test(test_linear_between),
      cmocka_unit_test(test_per_period_reductions),
      cmocka_unit_test(test_clamping),
      cmocka_unit_test(test_items_and_total),
      cmocka_unit_test(test_division_by_zero),
      cmocka_unit_test(test_first_failure_wins_and_nonfinite),
      cmocka_unit_test(test_error_site_decoding),
      cmocka_unit_test(test_guards_through_lets_and_prelude_forms),
      cmocka_unit_test(test_chengwu_worked_county),
      cmocka_unit_test(test_bitwise_reproducible),
      cmocka_unit_test(test_zero_rows),
      cmocka_unit_test(test_jit_same_scheme_twice),
      cmocka_unit_test(test_no_writable_code),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
