/*
** test_codegen.c — unit tests for code generation (compiler/codegen/) and
** the process's JIT (runtime/native.c). Each test compiles a small scheme
** to its checked scheme (compile_file), makes it native code with
** native_compile, calls the scoring function directly on hand-made columns
** of numbers (rb_fixed, compiler/fixed.h; the ABI in codegen/abi.h), then
** checks every output exactly: a score against its decimal text as worked
** by hand (fixed_format's exact text), a failure against its error site.
*/
#include <dirent.h>
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
#include "decimal.h"
#include "diag.h"
#include "fixed.h"
#include "narrow.h"
#include "native.h"
#include "peers.h"
#include "scheme.h"
#include "numbers.h"
#include "cells.h"

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

/* ---- numbers ------------------------------------------------------------- */

/* A checked scheme with its native scoring function, and its columns. */
typedef struct native {
  sc_file *u;
  const sc_scheme *s;
  native_scheme *nat; /* its code in the process's JIT */
  rb_score_fn fn;
  int nper;
  int64_t n;      /* rows */
  rb_fixed **in;  /* per input: n, or nper * n values */
  rb_fixed **out; /* abi_out_count(s) columns of n: parts, the total (targets, grades) */
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

/* What the outputs hold before a run: a number no rule here produces. */
#define MARKER fixed_from_int(-12345)

/* Allocates N rows of inputs (all 0) and outputs (all MARKER). */
static void rows(native *nt, int64_t n) {
  free_columns(nt);
  nt->n = n;
  nt->in = calloc((size_t)nt->s->ninputs + 1, sizeof *nt->in);
  nt->out = calloc((size_t)abi_out_count(nt->s), sizeof *nt->out);
  assert_non_null(nt->in);
  assert_non_null(nt->out);
  for (int i = 0; i < nt->s->ninputs; i++) {
    int m = nt->s->inputs[i].periodic ? nt->nper : 1;
    nt->in[i] = calloc((size_t)(m * n + 1), sizeof(rb_fixed));
    assert_non_null(nt->in[i]);
  }
  for (int k = 0; k < abi_out_count(nt->s); k++) {
    nt->out[k] = malloc(sizeof(rb_fixed) * (size_t)(n + 1));
    assert_non_null(nt->out[k]);
    for (int64_t r = 0; r <= n; r++) nt->out[k][r] = MARKER;
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
static void set_fixed(native *nt, const char *name, int64_t r, rb_fixed v) {
  const sc_input *in = input_named(nt, name);
  int m = in->periodic ? nt->nper : 1;
  for (int p = 0; p < m; p++) nt->in[in->index][p * nt->n + r] = v;
}
static void set(native *nt, const char *name, int64_t r, const char *v) { set_fixed(nt, name, r, fx(v)); }

/* Sets period P of the per-period input NAME for row R: the value sits at [p*n + r]. */
static void set_p(native *nt, const char *name, int64_t r, int p, const char *v) {
  const sc_input *in = input_named(nt, name);
  assert_true(in->periodic);
  nt->in[in->index][p * nt->n + r] = fx(v);
}

/* Scores rows LO to HI - 1 of the N rows of IN with FN into OUT. */
static void run_on(const native *nt, rb_score_fn fn, rb_fixed *const *in, int64_t n, int64_t lo, int64_t hi,
                   rb_fixed *const *out) {
  const void **t = cells_table(nt->s, (const rb_fixed *const *)in, (size_t)n);
  fn(t, n, lo, hi, NULL, out);
  cells_table_free(nt->s, t);
}

static void run(native *nt) { run_on(nt, nt->fn, nt->in, nt->n, 0, nt->n, nt->out); }

static int part_index(const native *nt, const char *path) {
  if (!strcmp(path, "total")) return abi_out_total(nt->s);
  for (int k = 0; k < nt->s->nparts; k++)
    if (!strcmp(nt->s->parts[k]->path, path)) return k;
  fail_msg("no part '%s'", path);
  return -1;
}

static rb_fixed score(const native *nt, const char *path, int64_t r) { return nt->out[part_index(nt, path)][r]; }

/* The score of PATH in row R is the number WANT, exactly: fixed_format's
   exact text of it is WANT (written as it prints: "6.5", "0", "-0.25"). */
static void expect_score(const native *nt, const char *path, int64_t r, const char *want) {
  rb_fixed got = score(nt, path, r);
  char text[64];
  if (!fixed_is_number(got)) fail_msg("row %lld, %s: got %s, expected %s", (long long)r, path, show(got), want);
  fixed_format(got, -1, text, sizeof text);
  if (strcmp(text, want)) fail_msg("row %lld, %s: got %s, expected %s", (long long)r, path, text, want);
  if (got != fx(want)) fail_msg("row %lld, %s: the text of %s is not its value", (long long)r, path, want);
}

/* Output column COL of row R is WANT, exactly (a number or not). */
static void expect_column(const native *nt, int col, int64_t r, rb_fixed want) {
  rb_fixed got = nt->out[col][r];
  if (got != want) fail_msg("row %lld, column %d: got %s, expected %s", (long long)r, col, show(got), show(want));
}

/* The score of PATH in row R failed at a site of KIND in part PART_PATH
   (NULL: a site of no part); returns the site. */
static const cg_site *expect_failure(const native *nt, const char *path, int64_t r, cg_site_kind kind,
                                     const char *part_path) {
  rb_fixed got = score(nt, path, r);
  if (fixed_is_number(got)) fail_msg("row %lld, %s: expected a failure, got %s", (long long)r, path, show(got));
  int site = abi_error_site(got, nt->nat->nsites);
  if (site < 0) fail_msg("row %lld, %s: a failure no site produced %s", (long long)r, path, show(got));
  const cg_site *st = native_site(nt->nat, site);
  assert_int_equal(st->kind, kind);
  if (part_path) {
    assert_non_null(st->part);
    assert_string_equal(st->part->path, part_path);
  } else {
    assert_null(st->part);
  }
  return st;
}

/* The text a site's location covers is TEXT, at LINE:COL. */
static void expect_site_at(const cg_site *st, int line, int col, const char *text) {
  assert_int_equal(st->loc.first_line, line);
  assert_int_equal(st->loc.first_column, col);
  size_t n = strlen(text);
  assert_int_equal((int)(st->loc.end - st->loc.start), (int)n);
  assert_memory_equal(st->loc.src->text + st->loc.start, text, n);
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
  const char *rec[] = {"0", "39999999", "40000000", "40000001", "69999999", "70000000", "70000001", "1000000000000"};
  const char *want_info[] = {"0", "0", "0", "5", "5", "5", "10", "10"};
  const char *rk[] = {"1", "10", "10.08", "20", "20.08", "55.5", "100", "100.08"};
  const char *want_rank[] = {"20", "20", "18", "18", "16", "10", "2", "0"};
  const char *want_total[] = {"20", "20", "18", "23", "21", "15", "12", "10"};
  int64_t n = 8;
  rows(nt, n);
  for (int64_t i = 0; i < n; i++) {
    set(nt, "records", i, rec[i]);
    set(nt, "population", i, "999999");
    set(nt, "r", i, rk[i]);
  }
  run(nt);
  for (int64_t i = 0; i < n; i++) {
    expect_score(nt, "info", i, want_info[i]);
    expect_score(nt, "city", i, want_rank[i]);
    expect_score(nt, "total", i, want_total[i]);
  }
  /* the output columns are written for exactly n rows */
  assert_true(nt->out[0][n] == MARKER);
  assert_true(nt->out[abi_out_total(nt->s)][n] == MARKER);
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
  set(nt, "population", 0, "999999");
  set(nt, "population", 1, "1000000");
  set(nt, "population", 2, "5000000");
  for (int i = 0; i < 3; i++) set(nt, "records", i, "8000万");
  run(nt);
  expect_score(nt, "info", 0, "10");
  expect_score(nt, "total", 0, "30");
  for (int64_t r = 1; r <= 2; r++) {
    const cg_site *st = expect_failure(nt, "info", r, SITE_UNDEFINED, "info");
    assert_non_null(st->reason);
    assert_string_equal(st->reason, "人口超过 100 万");
    assert_int_equal(st->loc.first_line, 6);
    assert_int_equal(st->loc.first_column, 5);
    /* the total fails with the same site; the other indicator is fine */
    assert_true(score(nt, "total", r) == score(nt, "info", r));
    expect_score(nt, "other", r, "20");
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
  const char *a[] = {"2999", "3", "3001", "4", "4999", "5", "5001", "0"};
  const char *b[] = {"1000000", "1000", "1000000", "1000", "1000000", "1000", "1000000", "1"};
  const char *loans[] = {"299999999", "3亿", "3.5亿", "6.5亿", "999999999", "10亿", "20亿", "0"};
  /* by hand: 4 + (0 - 4) * (share - 0.003) / 0.002 between the anchors:
     0.003001 -> 4 - 0.000004 / 0.002 = 3.998, 0.004999 -> 4 - 3.998 = 0.002;
     0 + 6 * (loans - 3亿) / 7亿: 3.5亿 -> 3 / 7 = 0.428571428571428571|43 (down),
     999999999 -> 4199999994 / 7亿 = 5.999999991428571428|57 (up) */
  const char *want_bl[] = {"4", "4", "3.998", "2", "0.002", "0", "0", "4"};
  const char *want_xyd[] = {"0", "0", "0.428571428571428571", "3", "5.999999991428571429", "6", "6", "0"};
  const char *want_total[] = {"4", "4", "4.426571428571428571", "5", "6.001999991428571429", "6", "6", "4"};
  int64_t n = 8;
  rows(nt, n);
  for (int64_t i = 0; i < n; i++) {
    set(nt, "a", i, a[i]);
    set(nt, "b", i, b[i]);
    set(nt, "loans", i, loans[i]);
  }
  run(nt);
  for (int64_t i = 0; i < n; i++) {
    expect_score(nt, "bl", i, want_bl[i]);
    expect_score(nt, "xyd", i, want_xyd[i]);
    expect_score(nt, "total", i, want_total[i]);
  }
  native_free(nt);
}

/* rate 96.5% on "10 points at 100%, 0 below 90%, linear between": 10 × 0.065
   / 0.1 is 6.5 exactly (spec/semantics.md#numbers); doubles gave 6.499999999999999. */
static void test_linear_between_is_exact(void **state) {
  (void)state;
  native *nt = build("rate.rubric", "scheme cg_rate \"t\" {\n"
                                    "  total 10\n"
                                    "  input rate: fraction\n"
                                    "  indicator r \"r\" points 10 { 10 if rate >= 100%, 0 if rate < 90%, linear between }\n"
                                    "}\n");
  const char *rate[] = {"96.5%", "0.9", "1", "0.95", "0.9000000001", "0.97", "0.933333333333333333", "0.89"};
  /* 10 * 0.033333333333333333 = 0.33333333333333333, / 0.1 = 3.3333333333333333 */
  const char *want[] = {"6.5", "0", "10", "5", "0.00000001", "7", "3.3333333333333333", "0"};
  rows(nt, 8);
  for (int i = 0; i < 8; i++) set(nt, "rate", i, rate[i]);
  run(nt);
  for (int i = 0; i < 8; i++) {
    expect_score(nt, "r", i, want[i]);
    expect_score(nt, "total", i, want[i]);
  }
  assert_true(score(nt, "r", 0) == fixed_from_int(13) / 2); /* 6.5 as a number, built another way */
  native_free(nt);
}

/* A falling line and other negative constants multiply without the
   routine (a whole number, or the reciprocal of one), exactly, and a
   negative factor that is neither still goes through it, rounded. */
static void test_negative_constants(void **state) {
  (void)state;
  native *nt = build("neg.rubric", "scheme cg_neg \"t\" {\n"
                                   "  total 40\n"
                                   "  input share: fraction\n"
                                   "  input x: number in [0, 1000]\n"
                                   "  indicator fall \"f\" points 4 { 4 if share < 0.3%, 0 if share > 0.5%, linear between }\n"
                                   "  indicator times \"t\" points 12 { clamp(12 + x * -3, 0, 12) }\n"
                                   "  indicator over \"o\" points 12 { clamp(12 + x / -0.25, 0, 12) }\n"
                                   "  indicator odd \"d\" points 12 { clamp(12 + x * -0.3333, 0, 12) }\n"
                                   "}\n");
  const char *share[] = {"0.3%", "0.4%", "0.5%", "0.3001%", "0.4999999%"};
  const char *x[] = {"0", "1", "2.5", "0.000000000000000001", "3.999999999999999999"};
  const char *want_fall[] = {"4", "2", "0", "3.998", "0.000002"};
  const char *want_times[] = {"12", "9", "4.5", "11.999999999999999997", "0.000000000000000003"};
  const char *want_over[] = {"12", "8", "2", "11.999999999999999996", "0"}; /* 12 - 15.999999999999999996 */
  /* 12 - 0.000000000000000001 * 0.3333 = 12 - 3.333e-22: 12 at 18 decimals;
     12 - 1.3331999999999999996667 = 10.6668000000000000003333: 10.6668 */
  const char *want_odd[] = {"12", "11.6667", "11.16675", "12", "10.6668"};
  rows(nt, 5);
  for (int i = 0; i < 5; i++) {
    set(nt, "share", i, share[i]);
    set(nt, "x", i, x[i]);
  }
  run(nt);
  for (int i = 0; i < 5; i++) {
    expect_score(nt, "fall", i, want_fall[i]);
    expect_score(nt, "times", i, want_times[i]);
    expect_score(nt, "over", i, want_over[i]);
    expect_score(nt, "odd", i, want_odd[i]);
  }
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
  const char *v[2][3] = {{"1", "2", "3"}, {"5", "-1", "0.5"}};
  const char *r[2][3] = {{"10", "20", "31"}, {"1", "1", "2"}};
  const char *ok[2][3] = {{"1", "0", "1"}, {"0", "0", "7"}}; /* any non-zero is yes */
  rows(nt, 2);
  for (int i = 0; i < 2; i++)
    for (int p = 0; p < 3; p++) {
      set_p(nt, "v", i, p, v[i][p]);
      set_p(nt, "r", i, p, r[i][p]);
      set_p(nt, "ok", i, p, ok[i][p]);
    }
  run(nt);
  const char *names[] = {"vsum", "rmean", "okcount", "bigcount", "vmin", "vmax", "elementwise", "monthly", "total"};
  /* by hand: 61 / 3 and 4 / 3 rounded half up (down here); the monthly
     row 1 is 0.2 - 0.2 - 0.2, held at 0 */
  const char *want[2][9] = {
      {"6", "20.333333333333333333", "2", "1", "11", "3", "6", "0.2", "49.533333333333333333"},
      {"4.5", "1.333333333333333333", "1", "1", "9", "5", "7", "0", "28.833333333333333333"},
  };
  for (int i = 0; i < 2; i++)
    for (int k = 0; k < 9; k++) expect_score(nt, names[k], i, want[i][k]);
  native_free(nt);
}

/* mean(...) is the exact sum divided once: 1, 1, 1 has the mean 1, where a
   third of each month, added up, makes 0.999999999999999999. */
static void test_mean_divides_once(void **state) {
  (void)state;
  native *nt = build("mean.rubric", "scheme cg_mean \"t\" {\n"
                                    "  total 210\n"
                                    "  period month 1 to 3\n"
                                    "  input r: number per month\n"
                                    "  input a: number\n"
                                    "  input b: number\n"
                                    "  indicator m \"m\" points 100 { mean(r) }\n"
                                    "  indicator thirds \"t\" points 100 { sum(r / 3) }\n"
                                    "  indicator args \"a\" points 10 { mean(a, b, 0) }\n"
                                    "}\n");
  const char *r[4][3] = {{"1", "1", "1"}, {"1", "1", "0"}, {"10", "20", "31"}, {"0.1", "0.2", "0"}};
  const char *want_m[] = {"1", "0.666666666666666667", "20.333333333333333333", "0.1"};
  /* each third is rounded to 36 decimals, three of them add up to 1 less
     10^-36, and the result is rounded to 18: the document's 1 */
  const char *want_thirds[] = {"1", "0.666666666666666667", "20.333333333333333333", "0.1"};
  rows(nt, 4);
  for (int i = 0; i < 4; i++)
    for (int p = 0; p < 3; p++) set_p(nt, "r", i, p, r[i][p]);
  set(nt, "a", 0, "1");
  set(nt, "b", 0, "1");
  set(nt, "a", 1, "2");
  set(nt, "b", 1, "0");
  run(nt);
  for (int i = 0; i < 4; i++) {
    expect_score(nt, "m", i, want_m[i]);
    expect_score(nt, "thirds", i, want_thirds[i]);
  }
  expect_score(nt, "args", 0, "0.666666666666666667"); /* 2 / 3 */
  expect_score(nt, "args", 1, "0.666666666666666667");
  expect_score(nt, "args", 2, "0");
  expect_score(nt, "total", 0, "2.666666666666666667"); /* 1 + 1 + 2/3, from the parts as computed (36 decimals) */
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
  /* the last row here is the lowest number whose product by 2 is still a
     number (it clamps to 0); row 7 is the lowest number of all, whose
     product by 2 is not (an overflow, where -1e300 * 2 clamped before) */
  const char *x[] = {"-3", "0", "1.25", "2.5", "2.5000001", "10", "-49999999999999999999.999999999999999999"};
  const char *want[] = {"0", "0", "2.5", "5", "5", "5", "0"};
  rows(nt, 8);
  for (int i = 0; i < 7; i++) set(nt, "x", i, x[i]);
  set_fixed(nt, "x", 7, -FIXED_MAX);
  run(nt);
  for (int i = 0; i < 7; i++) {
    expect_score(nt, "c", i, want[i]);
    expect_score(nt, "total", i, want[i]);
  }
  /* -10^20 + 10^-18, doubled, is no number: the part fails, not clamps */
  const cg_site *st = expect_failure(nt, "c", 7, SITE_OVERFLOW, "c");
  expect_site_at(st, 4, 30, "x * 2");
  assert_true(score(nt, "total", 7) == score(nt, "c", 7));
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
  const char *in[3][5] = {{"0.7", "0.7", "0.5", "0.6", "1"}, {"0.9", "-1", "0.7", "0.35", "0"}, {"0", "0", "0", "0", "0"}};
  rows(nt, 3);
  for (int r = 0; r < 3; r++) {
    set(nt, "i1", r, in[r][0]);
    set(nt, "i2", r, in[r][1]);
    set(nt, "i3", r, in[r][2]);
    set(nt, "i4", r, in[r][3]);
    set(nt, "flag", r, in[r][4]);
  }
  run(nt);
  const char *paths[] = {"sys.a", "sys.b", "sys.c", "sys.d", "sys", "fin.p", "fin.q", "fin", "plain", "k", "total"};
  /* by hand: 0.7 + 0.7 + 0.5 + 0.6; 1.4 + 4; 0.5 * 4; row 1: 0.9 held at 0.7,
     -1 at 0, 0.9 - 1 at 0, 0.7 * 4 = 2.8; 1.75 + 2.8 */
  const char *want[3][11] = {
      {"0.7", "0.7", "0.5", "0.6", "2.5", "4", "1.4", "5.4", "2", "7.4", "9.9"},
      {"0.7", "0", "0.7", "0.35", "1.75", "0", "0", "0", "2.8", "2.8", "4.55"},
      {"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
  };
  for (int r = 0; r < 3; r++)
    for (int k = 0; k < 11; k++) expect_score(nt, paths[k], r, want[r][k]);
  native_free(nt);
}

/* ---- parts per kind of entity -------------------------------------------- */

/* A part not for the row's kind: FIXED_EMPTY in its column (and its parts'),
   nothing added to its parent or the total, and a rule that would fail there
   (a division by zero) fails nothing (spec/semantics.md#parts-per-kind-of-entity). */
static void test_parts_per_kind(void **state) {
  (void)state;
  native *nt = build("kinds.rubric", "scheme cg_kinds \"t\" {\n"
                                     "  total 10\n"
                                     "  input k: one of { A, B, C }\n"
                                     "  input a: count\n"
                                     "  input b: count\n"
                                     "  indicator all \"共性\" points 4 { min(4, a) }\n"
                                     "  category own \"个性\" points 6 {\n"
                                     "    indicator ra \"A\" points 6 for k A { 0 if a == 0, min(6, b / a) otherwise }\n"
                                     "    category rbc \"B, C\" points 6 for k B, C {\n"
                                     "      indicator rb \"B\" points 6 for k B { min(6, a / b) }\n"
                                     "      indicator rc \"C\" points 6 for k C { min(6, b) }\n"
                                     "    }\n"
                                     "  }\n"
                                     "}\n");
  rows(nt, 3);
  const char *k[] = {"0", "1", "2"}, *a[] = {"2", "3", "1"}, *b[] = {"6", "0", "0"};
  for (int r = 0; r < 3; r++) {
    set(nt, "k", r, k[r]);
    set(nt, "a", r, a[r]);
    set(nt, "b", r, b[r]);
  }
  run(nt);
  /* row 0 (A): 2 + 3; row 1 (B): rb = min(6, 3 / 0) fails */
  expect_score(nt, "all", 0, "2");
  expect_score(nt, "ra", 0, "3");
  expect_score(nt, "own", 0, "3");
  expect_score(nt, "total", 0, "5");
  const char *absent0[] = {"rbc", "rb", "rc"};
  for (int i = 0; i < 3; i++) assert_true(score(nt, absent0[i], 0) == FIXED_EMPTY);
  expect_failure(nt, "rb", 1, SITE_DIV_ZERO, "rb");
  assert_true(score(nt, "ra", 1) == FIXED_EMPTY);
  assert_true(score(nt, "rc", 1) == FIXED_EMPTY);
  /* row 2 (C): rb would divide 1 by 0, but it is not for C: no failure */
  expect_score(nt, "rc", 2, "0");
  expect_score(nt, "rbc", 2, "0");
  expect_score(nt, "own", 2, "0");
  expect_score(nt, "total", 2, "1");
  assert_true(score(nt, "ra", 2) == FIXED_EMPTY);
  assert_true(score(nt, "rb", 2) == FIXED_EMPTY);
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
  const char *a[] = {"5", "10", "0", "3"};
  const char *b[] = {"0", "4", "0", "3"};
  const char *fine[] = {"4", "4", "0", "3"};
  rows(nt, 4);
  for (int i = 0; i < 4; i++) {
    set(nt, "a", i, a[i]);
    set(nt, "b", i, b[i]);
  }
  run(nt);
  /* rows 0 (5/0) and 2 (0/0): ratio fails at its division */
  for (int r = 0; r <= 2; r += 2) {
    const cg_site *st = expect_failure(nt, "ratio", r, SITE_DIV_ZERO, "ratio");
    expect_site_at(st, 5, 39, "a / b");
    assert_null(st->reason);
    assert_true(score(nt, "total", r) == score(nt, "ratio", r));
    /* the division in the branch not taken, and behind a false 'and', do not fail */
    expect_score(nt, "safe", r, "0");
    expect_score(nt, "guarded", r, "0");
    expect_score(nt, "fine", r, fine[r]);
  }
  /* the other rows are untouched */
  expect_score(nt, "ratio", 1, "4");
  expect_score(nt, "safe", 1, "2.5");
  expect_score(nt, "guarded", 1, "4");
  expect_score(nt, "fine", 1, "4");
  expect_score(nt, "total", 1, "14.5");
  expect_score(nt, "ratio", 3, "0");
  expect_score(nt, "safe", 3, "1");
  expect_score(nt, "guarded", 3, "0");
  expect_score(nt, "total", 3, "4");
  native_free(nt);
}

/* The first failure of a part is the one named; a product past 10^20 is an
   overflow at the product (it was an infinity, caught only at the end). */
static void test_first_failure_wins_and_overflow(void **state) {
  (void)state;
  native *nt = build("fail.rubric", "scheme cg_fail \"t\" {\n"
                                    "  total 8\n"
                                    "  input a: number\n"
                                    "  input b: number\n"
                                    "  input x: number\n"
                                    "  indicator two \"\" points 4 { min(4, 1 / a + 1 / b) }\n"
                                    "  indicator big \"\" points 4 { x * x }\n"
                                    "}\n");
  rows(nt, 5);
  const char *a[] = {"0", "1", "2", "1", "1"}, *b[] = {"0", "0", "4", "1", "1"};
  const char *x[] = {"10000000000", "1", "1.5", "9999999999", "-10000000000"};
  for (int r = 0; r < 5; r++) {
    set(nt, "a", r, a[r]);
    set(nt, "b", r, b[r]);
    set(nt, "x", r, x[r]);
  }
  run(nt);
  /* both divisions fail in row 0: the first one is named */
  const cg_site *st = expect_failure(nt, "two", 0, SITE_DIV_ZERO, "two");
  expect_site_at(st, 6, 38, "1 / a");
  st = expect_failure(nt, "two", 1, SITE_DIV_ZERO, "two");
  expect_site_at(st, 6, 46, "1 / b");
  /* 10^10 squared is 10^20, the first value that is no number */
  st = expect_failure(nt, "big", 0, SITE_OVERFLOW, "big");
  expect_site_at(st, 7, 31, "x * x");
  st = expect_failure(nt, "big", 4, SITE_OVERFLOW, "big");
  expect_site_at(st, 7, 31, "x * x");
  /* the total names the first failing part */
  assert_true(score(nt, "total", 0) == score(nt, "two", 0));
  assert_true(score(nt, "total", 4) == score(nt, "big", 4));
  expect_score(nt, "big", 1, "1");
  expect_score(nt, "two", 2, "0.75");
  expect_score(nt, "big", 2, "2.25");
  expect_score(nt, "total", 2, "3");
  /* 9999999999 squared, 99999999980000000001, is still a number: held at 4 */
  expect_score(nt, "big", 3, "4");
  expect_score(nt, "two", 3, "2");
  expect_score(nt, "total", 3, "6");
  native_free(nt);
}

/* 99999999999999999999 + 1 is 10^20: an overflow, at the sum; so is a
   difference below -10^20; the largest number plus a little too. */
static void test_sum_overflows(void **state) {
  (void)state;
  native *nt = build("sumover.rubric", "scheme cg_sumover \"t\" {\n"
                                       "  total 2\n"
                                       "  input x: number\n"
                                       "  indicator up \"u\" points 1 { min(1, x + 1) }\n"
                                       "  indicator down \"d\" points 1 { max(0, x - 1) }\n"
                                       "}\n");
  rows(nt, 5);
  set(nt, "x", 0, "99999999999999999999");
  set(nt, "x", 1, "99999999999999999998.999999999999999999");
  set(nt, "x", 2, "-99999999999999999999");
  set_fixed(nt, "x", 3, FIXED_MAX);
  set_fixed(nt, "x", 4, -FIXED_MAX + FIXED_ONE);
  run(nt);
  const cg_site *st = expect_failure(nt, "up", 0, SITE_OVERFLOW, "up");
  expect_site_at(st, 4, 38, "x + 1");
  expect_score(nt, "down", 0, "1");
  assert_true(score(nt, "total", 0) == score(nt, "up", 0));
  expect_score(nt, "up", 1, "1"); /* 99999999999999999999.999999999999999999: a number */
  expect_score(nt, "total", 1, "2");
  expect_score(nt, "up", 2, "0");
  st = expect_failure(nt, "down", 2, SITE_OVERFLOW, "down");
  expect_site_at(st, 5, 40, "x - 1");
  assert_true(score(nt, "total", 2) == score(nt, "down", 2));
  expect_failure(nt, "up", 3, SITE_OVERFLOW, "up");
  expect_score(nt, "down", 3, "1");
  expect_score(nt, "up", 4, "0"); /* -99999999999999999998.999999999999999999 */
  expect_score(nt, "down", 4, "0");
  native_free(nt);
}

/* A value that is no number stops its part wherever it goes: through min and
   max (which would have picked the other side), into a condition, into a
   sum; on the path a row does not take it does not count. */
static void test_overflow_stops_the_part(void **state) {
  (void)state;
  native *nt = build("stops.rubric", "scheme cg_stops \"t\" {\n"
                                     "  total 20\n"
                                     "  input x: number\n"
                                     "  indicator viamin \"\" points 4 { min(4, x * x) }\n"
                                     "  indicator viamax \"\" points 4 { max(0, 0 - x * x) }\n"
                                     "  indicator viatier \"\" points 4 { 4 if x * x > 5, 0 otherwise }\n"
                                     "  indicator untaken \"\" points 4 { 4 if x > 1000, min(4, x * x) otherwise }\n"
                                     "  indicator later \"\" points 4 { min(4, x * x / 10000000000000000000) }\n"
                                     "}\n");
  rows(nt, 2);
  set(nt, "x", 0, "10000000000");
  set(nt, "x", 1, "2");
  run(nt);
  const cg_site *st = expect_failure(nt, "viamin", 0, SITE_OVERFLOW, "viamin");
  expect_site_at(st, 4, 41, "x * x");
  expect_failure(nt, "viamax", 0, SITE_OVERFLOW, "viamax");
  expect_failure(nt, "viatier", 0, SITE_OVERFLOW, "viatier");
  expect_score(nt, "untaken", 0, "4");
  expect_failure(nt, "later", 0, SITE_OVERFLOW, "later"); /* dividing it back does not undo it */
  assert_true(score(nt, "total", 0) == score(nt, "viamin", 0));
  expect_score(nt, "viamin", 1, "4");
  expect_score(nt, "viamax", 1, "0");
  expect_score(nt, "viatier", 1, "0");
  expect_score(nt, "untaken", 1, "4");
  expect_score(nt, "later", 1, "0"); /* 4 / 10^19 = 4 * 10^-19, rounded to 0 */
  expect_score(nt, "total", 1, "8");
  native_free(nt);
}

static void test_error_site_decoding(void **state) {
  (void)state;
  assert_int_equal(abi_error_site(0, 5), -1);
  assert_int_equal(abi_error_site(fx("4.5"), 5), -1);
  assert_int_equal(abi_error_site(FIXED_MAX, 5), -1);
  assert_int_equal(abi_error_site(-FIXED_MAX, 5), -1);
  assert_int_equal(abi_error_site(FIXED_EMPTY, 5), -1); /* an empty cell is no failure */
  assert_int_equal(abi_error_site(FIXED_ERROR, 5), -1); /* a failure no site produced (a routine's) */
  rb_fixed e = fixed_error(3);                          /* status 3: site index 2 */
  assert_false(fixed_is_number(e));
  assert_int_equal(abi_error_site(e, 5), 2);
  assert_int_equal(abi_error_site(e, 3), 2);
  assert_int_equal(abi_error_site(e, 2), -1); /* beyond the sites */
  assert_int_equal(abi_error_site(fixed_error(1), 1), 0);
  /* what is a number: [-FIXED_MAX, FIXED_MAX], nothing else */
  assert_true(fixed_is_number(FIXED_MAX) && fixed_is_number(-FIXED_MAX) && fixed_is_number(0));
  assert_false(fixed_is_number(FIXED_MAX + 1));
  assert_false(fixed_is_number(-FIXED_MAX - 1));
  assert_false(fixed_is_number(FIXED_EMPTY));
  assert_false(fixed_is_number(FIXED_ERROR));
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
  rows(nt, 3);
  set(nt, "a", 0, "3");
  set(nt, "b", 0, "0");
  set(nt, "a", 1, "3");
  set(nt, "b", 1, "6");
  set(nt, "a", 2, "1");
  set(nt, "b", 2, "3");
  run(nt);
  expect_score(nt, "viaLet", 0, "0");
  expect_score(nt, "viaLet", 1, "0");
  /* proportional divides by its target unconditionally: b = 0 fails the row */
  expect_failure(nt, "prop", 0, SITE_DIV_ZERO, "prop");
  expect_score(nt, "prop", 1, "2"); /* min(4, 4 * 3 / 6) */
  expect_score(nt, "prop", 2, "1.333333333333333333"); /* 4 * 1 / 3: multiplies, then divides */
  native_free(nt);
}

/* Regression (was a bug): form arguments were evaluated eagerly, under the
   caller's guard, not where the form's body uses them. So a division by zero
   or an `undefined` passed to a form failed the row even on the path the row
   takes that never uses that argument. Here b = 0: 'direct', 'viaform' and
   'undef' all score 0. */
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
  set(nt, "a", 0, "5");
  set(nt, "b", 0, "0");
  set(nt, "a", 1, "6");
  set(nt, "b", 1, "2");
  run(nt);
  expect_score(nt, "direct", 0, "0");
  expect_score(nt, "viaform", 0, "0");
  expect_score(nt, "undef", 0, "0");
  expect_score(nt, "total", 0, "0");
  expect_score(nt, "direct", 1, "3");
  expect_score(nt, "viaform", 1, "3");
  expect_failure(nt, "undef", 1, SITE_UNDEFINED, "undef");
  native_free(nt);
}

/* ---- exact decimals (spec/semantics.md#numbers) ------------------------- */

/* 0.1 + 0.2 is 0.3, and equal to it; 27.9 + 8.2 + 23.9 is 60, so the grade
   "at least 60" holds (the double sum was 59.99999999999999). */
static void test_sums_are_exact(void **state) {
  (void)state;
  native *nt = build("exact.rubric", "scheme cg_exact \"t\" {\n"
                                     "  total 102\n"
                                     "  input x: number\n"
                                     "  input y: number\n"
                                     "  input z: number\n"
                                     "  indicator s \"s\" points 1 { x + y }\n"
                                     "  indicator eq \"eq\" points 1 { 1 if x + y == 0.3, 0 otherwise }\n"
                                     "  indicator three \"3\" points 100 { x + y + z }\n"
                                     "  grade g \"g\" on three {\n"
                                     "    \"A\" if three >= 60\n"
                                     "    \"B\" if three < 60\n"
                                     "  }\n"
                                     "}\n");
  rows(nt, 3);
  set(nt, "x", 0, "0.1");
  set(nt, "y", 0, "0.2");
  set(nt, "x", 1, "27.9");
  set(nt, "y", 1, "8.2");
  set(nt, "z", 1, "23.9");
  set(nt, "x", 2, "27.9");
  set(nt, "y", 2, "8.2");
  set(nt, "z", 2, "23.899999999999999999");
  run(nt);
  expect_score(nt, "s", 0, "0.3");
  assert_true(score(nt, "s", 0) == fx("0.3"));
  expect_score(nt, "eq", 0, "1");
  expect_score(nt, "three", 0, "0.3");
  expect_score(nt, "total", 0, "1.6");
  expect_score(nt, "three", 1, "60");
  expect_score(nt, "three", 2, "59.999999999999999999");
  int g = abi_out_grade(nt->s, 0);
  expect_column(nt, g, 0, 1); /* the band's index, a plain integer */
  expect_column(nt, g, 1, 0);
  expect_column(nt, g, 2, 1);
  native_free(nt);
}

/* Inside a rule a quotient keeps 36 decimals; a result is rounded half up
   to 18, away from zero on a tie: 1/3, 2/3, -2/3, ±10^-18 / 2. A target's
   value is not held within points, so it shows the negative quotients. */
static void test_division_rounds_half_up(void **state) {
  (void)state;
  native *nt = build("divround.rubric", "scheme cg_divround \"t\" {\n"
                                        "  total 3\n"
                                        "  input a: number\n"
                                        "  input b: number\n"
                                        "  indicator q \"q\" points 1 { a / b }\n"
                                        "  indicator shifted \"s\" points 2 { 1 + a / b }\n"
                                        "  target quotient \"商\" { a / b >= 0 }\n"
                                        "}\n");
  enum { R = 9 };
  const char *a[R] = {"1", "2", "-2", "2", "0.000000000000000001", "-0.000000000000000001", "1", "0.000000000000000001",
                      "-1"};
  const char *b[R] = {"3", "3", "3", "-3", "2", "2", "8", "3", "-3"};
  const char *want_value[R] = {"0.333333333333333333", "0.666666666666666667", "-0.666666666666666667",
                               "-0.666666666666666667", "0.000000000000000001", "-0.000000000000000001", "0.125", "0",
                               "0.333333333333333333"};
  const char *want_q[R] = {"0.333333333333333333", "0.666666666666666667", "0", "0", "0.000000000000000001", "0",
                           "0.125", "0", "0.333333333333333333"};
  /* 1 - 2/3 is 1/3; 1 - 5 * 10^-19 is exactly halfway, and goes up to 1 */
  const char *want_shifted[R] = {"1.333333333333333333", "1.666666666666666667", "0.333333333333333333",
                                 "0.333333333333333333", "1.000000000000000001", "1", "1.125",
                                 "1", "1.333333333333333333"};
  const int met[R] = {1, 1, 0, 0, 1, 0, 1, 1, 1};
  rows(nt, R);
  for (int r = 0; r < R; r++) {
    set(nt, "a", r, a[r]);
    set(nt, "b", r, b[r]);
  }
  run(nt);
  int t = abi_out_target(nt->s, 0);
  for (int r = 0; r < R; r++) {
    expect_column(nt, t, r, fx(want_value[r]));
    expect_column(nt, t + 1, r, 0);
    expect_column(nt, t + 2, r, met[r] ? FIXED_ONE : 0);
    expect_score(nt, "q", r, want_q[r]);
    expect_score(nt, "shifted", r, want_shifted[r]);
  }
  char text[64];
  fixed_format(nt->out[t][2], -1, text, sizeof text);
  assert_string_equal(text, "-0.666666666666666667");
  native_free(nt);
}

/* A product of two numbers is exact inside a rule (36 decimals); the
   result is rounded half up to 18, once: (0.5 * 10^-18) * 3 is 1.5 * 10^-18,
   given as 2 * 10^-18 (rounding each product to 18 would give 3 * 10^-18). */
static void test_product_rounds_half_up(void **state) {
  (void)state;
  native *nt = build("mulround.rubric", "scheme cg_mulround \"t\" {\n"
                                        "  total 1\n"
                                        "  input x: number\n"
                                        "  input y: number\n"
                                        "  input z: number\n"
                                        "  indicator p \"p\" points 1 { x * y * z }\n"
                                        "  target product \"积\" { x * y * z >= 0 }\n"
                                        "}\n");
  enum { R = 8 };
  const char *x[R] = {"0.000000001", "0.000000001", "-0.000000001", "0.5", "1.5", "0.333333333333333333",
                      "0.123456789123456789", "-1.5"};
  const char *y[R] = {"0.000000001", "0.000000001", "0.000000001", "0.000000000000000001", "0.000000000000000001", "3",
                      "0.987654321987654321", "0.000000000000000001"};
  const char *z[R] = {"0.5", "0.4", "0.5", "3", "1", "1", "1", "1"};
  /* 5 * 10^-19 -> 10^-18; 4 * 10^-19 -> 0; -5 * 10^-19 -> -10^-18;
     0.121932631356500531|347203169112635269 -> ...531 */
  const char *want[R] = {"0.000000000000000001", "0",
                         "-0.000000000000000001", "0.000000000000000002",
                         "0.000000000000000002", "0.999999999999999999",
                         "0.121932631356500531", "-0.000000000000000002"};
  rows(nt, R);
  for (int r = 0; r < R; r++) {
    set(nt, "x", r, x[r]);
    set(nt, "y", r, y[r]);
    set(nt, "z", r, z[r]);
  }
  run(nt);
  int t = abi_out_target(nt->s, 0);
  for (int r = 0; r < R; r++) {
    expect_column(nt, t, r, fx(want[r]));
    expect_score(nt, "p", r, want[r][0] == '-' ? "0" : want[r]);
  }
  native_free(nt);
}

/* `round 2`: each indicator and item rounded half up to 2 decimals after it
   is held, the indicator with items and the total the sums of the rounded
   scores; the grade sees the rounded total. */
static void test_round_parts(void **state) {
  (void)state;
  native *nt = build("round2.rubric", "scheme cg_round2 \"t\" {\n"
                                      "  total 10\n"
                                      "  round 2\n"
                                      "  input a: number\n"
                                      "  input b: number\n"
                                      "  input c: number\n"
                                      "  indicator x \"x\" points 3 { a }\n"
                                      "  indicator y \"y\" points 3 { b }\n"
                                      "  indicator z \"z\" points 4 {\n"
                                      "    item p \"p\" points 2 { c }\n"
                                      "    item q \"q\" points 2 { c * 2 }\n"
                                      "  }\n"
                                      "  grade g \"g\" on total {\n"
                                      "    \"A\" if total >= 5.07\n"
                                      "    \"B\" if total < 5.07\n"
                                      "  }\n"
                                      "}\n");
  enum { R = 4 };
  const char *a[R] = {"2.345", "3.5", "0.994999999999999999", "2.3449"};
  const char *b[R] = {"2.344", "0.005", "2.999", "2.3449"};
  const char *c[R] = {"0.125", "0.004", "1.9999", "0.1249"};
  const char *paths[] = {"x", "y", "z.p", "z.q", "z", "total"};
  /* row 0: 2.35 + 2.34 + (0.13 + 0.25), an A; unrounded 5.064, a B;
     row 1: 3.5 held at 3; 0.004 * 2 = 0.008 -> 0.01;
     row 2: 1.9999 -> 2, 3.9998 held at 2; row 3: 0.2498 -> 0.25 */
  const char *want[R][6] = {
      {"2.35", "2.34", "0.13", "0.25", "0.38", "5.07"},
      {"3", "0.01", "0", "0.01", "0.01", "3.02"},
      {"0.99", "3", "2", "2", "4", "7.99"},
      {"2.34", "2.34", "0.12", "0.25", "0.37", "5.05"},
  };
  rows(nt, R);
  for (int r = 0; r < R; r++) {
    set(nt, "a", r, a[r]);
    set(nt, "b", r, b[r]);
    set(nt, "c", r, c[r]);
  }
  run(nt);
  for (int r = 0; r < R; r++)
    for (int k = 0; k < 6; k++) expect_score(nt, paths[k], r, want[r][k]);
  int g = abi_out_grade(nt->s, 0);
  const int band[R] = {0, 1, 0, 1};
  for (int r = 0; r < R; r++) expect_column(nt, g, r, band[r]);
  native_free(nt);
}

/* `round total 1`: the parts keep every decimal, only the total is rounded,
   and the grade reads the rounded total. */
static void test_round_total(void **state) {
  (void)state;
  native *nt = build("roundtotal.rubric", "scheme cg_roundtotal \"t\" {\n"
                                          "  total 10\n"
                                          "  round total 1\n"
                                          "  input a: number\n"
                                          "  input b: number\n"
                                          "  indicator x \"x\" points 5 { a }\n"
                                          "  indicator y \"y\" points 5 { b }\n"
                                          "  grade g \"g\" on total {\n"
                                          "    \"A\" if total >= 4.7\n"
                                          "    \"B\" if total < 4.7\n"
                                          "  }\n"
                                          "}\n");
  enum { R = 5 };
  const char *a[R] = {"2.345", "2.3", "2.325", "2.35", "4.999999999999999999"};
  const char *b[R] = {"2.344", "2.34", "2.3", "2.3", "4.999999999999999999"};
  const char *want_total[R] = {"4.7", "4.6", "4.6", "4.7", "10"}; /* 4.689, 4.64, 4.625, 4.65 (a tie: up) */
  const int band[R] = {0, 1, 1, 0, 0};
  rows(nt, R);
  for (int r = 0; r < R; r++) {
    set(nt, "a", r, a[r]);
    set(nt, "b", r, b[r]);
  }
  run(nt);
  int g = abi_out_grade(nt->s, 0);
  for (int r = 0; r < R; r++) {
    expect_score(nt, "x", r, a[r]);
    expect_score(nt, "y", r, b[r]);
    expect_score(nt, "total", r, want_total[r]);
    expect_column(nt, g, r, band[r]);
  }
  native_free(nt);
}

/* Two totals equal under the document are equal here, whatever the path:
   6.5 given, and 96.5% through `linear between`; they share a rank. */
static void test_equal_totals_tie(void **state) {
  (void)state;
  native *nt = build("tie.rubric", "scheme cg_tie \"t\" {\n"
                                   "  total 20\n"
                                   "  input direct: number\n"
                                   "  input rate: fraction\n"
                                   "  indicator d \"d\" points 10 { direct }\n"
                                   "  indicator l \"l\" points 10 { 10 if rate >= 100%, 0 if rate < 90%, linear between }\n"
                                   "}\n");
  rows(nt, 5);
  const char *direct[] = {"6.5", "0", "6.4", "0", "3.25"};
  const char *rate[] = {"0", "0.965", "0", "0.9655", "0.9325"}; /* 0, 6.5, 0, 6.55, 3.25 */
  for (int r = 0; r < 5; r++) {
    set(nt, "direct", r, direct[r]);
    set(nt, "rate", r, rate[r]);
  }
  run(nt);
  const char *want[] = {"6.5", "6.5", "6.4", "6.55", "6.5"};
  for (int r = 0; r < 5; r++) expect_score(nt, "total", r, want[r]);
  const rb_fixed *total = nt->out[abi_out_total(nt->s)];
  assert_true(total[0] == total[1] && total[1] == total[4]);
  int rank[5];
  peers_rank(total, NULL, 5, rank);
  const int want_rank[] = {2, 2, 5, 1, 2};
  assert_memory_equal(rank, want_rank, sizeof want_rank);
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
    const char *v;
  } given[] = {
      {"population", "628000"},         {"gov_defaulters", "1"},          {"serious_dishonest", "160"},
      {"market_entities", "40000"},     {"platform_records", "7500万"},   {"records_social_security", "30万"},
      {"records_tax", "25万"},          {"records_housing_fund", "12万"}, {"records_water", "21万"},
      {"records_electricity", "40万"},  {"records_gas", "8万"},           {"records_logistics", "20万"},
      {"records_ip", "3万"},            {"credit_checks", "41000"},       {"benefit_domains", "18"},
      {"xyd_registered", "300"},        {"operating_firms", "15000"},     {"xyd_credit_yuan", "5亿"},
      {"supervision_domains", "22"},    {"commitments", "10500"},         {"sys_institutions", "0.7"},
      {"sys_organisation", "0.7"},      {"sys_staffing", "0.5"},          {"sys_funding", "0.6"},
      {"innovations", "1"},             {"fin_progress", "1"},            {"zx_mechanism", "1"},
      {"zx_cleanup", "0"},              {"zx_crackdown", "1"},            {"no_major_risk", "1"},
      {"pub_timeliness", "1"},
  };
  for (size_t i = 0; i < sizeof given / sizeof *given; i++) {
    set(nt, given[i].name, 0, "1"); /* neighbours with other values */
    set(nt, given[i].name, 1, given[i].v);
    set(nt, given[i].name, 2, "0");
  }
  const char *rank[12] = {"36", "33", "30", "31", "28", "27", "25", "24", "26", "23", "25", "21"};
  const char *usc[12] = {"0.012%", "0.031%", "0.008%", "0", "0", "0", "0", "0", "0", "0", "0", "0"};
  for (int p = 0; p < 12; p++) {
    set_p(nt, "city_rank", 0, p, "1");
    set_p(nt, "city_rank", 1, p, rank[p]);
    set_p(nt, "city_rank", 2, p, "200");
    set_p(nt, "usc_error_rate", 1, p, usc[p]);
    set_p(nt, "pub_compliance", 1, p, p == 0 ? "97%" : "1");
  }
  run(nt);
  /* mean rank 329 / 12 = 27.416666666666666667: 20 - 2 * ceil(1.7416...) */
  expect_score(nt, "city_rank", 1, "16");
  expect_score(nt, "gov_dishonest", 1, "9");
  expect_score(nt, "blacklist", 1, "2");
  expect_score(nt, "usc_code", 1, "1.2");
  expect_score(nt, "double_publicity", 1, "4.4");
  expect_score(nt, "info_collection", 1, "10");
  expect_score(nt, "special_info", 1, "2.5");
  expect_score(nt, "credit_check_use", 1, "4");
  expect_score(nt, "benefit_apps", 1, "3.6");
  expect_score(nt, "xyd_registered", 1, "3");
  /* 6 * 2亿 / 7亿 = 1.714285714285714285|714..., rounded up */
  expect_score(nt, "xyd_loans", 1, "1.714285714285714286");
  expect_score(nt, "tiered_supervision", 1, "4");
  expect_score(nt, "commitments", 1, "4");
  expect_score(nt, "system_building", 1, "2.5");
  expect_score(nt, "innovation", 1, "1");
  expect_score(nt, "finance_risk", 1, "9");
  expect_score(nt, "finance_risk.zx_cleanup", 1, "0");
  expect_score(nt, "total", 1, "77.914285714285714286");
  /* the neighbours: row 0 ranks first every month, row 2 has no market entities */
  expect_score(nt, "city_rank", 0, "20");
  expect_score(nt, "city_rank", 2, "0");
  expect_failure(nt, "blacklist", 2, SITE_DIV_ZERO, "blacklist");
  expect_failure(nt, "total", 2, SITE_DIV_ZERO, "blacklist");
}

/* Deterministic pseudo-random numbers (a 64-bit LCG). */
static uint64_t g_seed = 0x2545F4914F6CDD1DULL;
static uint64_t rnd64(void) {
  g_seed = g_seed * 6364136223846793005ULL + 1442695040888963407ULL;
  return g_seed >> 11; /* 53 bits */
}
static bool chance(int percent) { return (int)(rnd64() % 100) < percent; }
/* A whole number in [lo, hi]. */
static rb_fixed rnd_int(long long lo, long long hi) {
  return fixed_from_int(lo + (long long)(rnd64() % (uint64_t)(hi - lo + 1)));
}
/* A number in [0, limit) with every one of its 18 decimals random. */
static rb_fixed rnd_below(rb_fixed limit) {
  unsigned __int128 wide = ((unsigned __int128)rnd64() << 53) | rnd64();
  return (rb_fixed)(wide % (unsigned __int128)limit);
}

/* Fills row R of NT with a random county; some rows fail (population of a
   million or more, no market entities). */
static void random_county(native *nt, int64_t r) {
  for (int i = 0; i < nt->s->ninputs; i++) {
    const sc_input *in = &nt->s->inputs[i];
    int m = in->periodic ? nt->nper : 1;
    for (int p = 0; p < m; p++) {
      rb_fixed v;
      switch (in->type) {
      case IN_YESNO: v = chance(50) ? FIXED_ONE : 0; break;
      case IN_FRACTION: v = chance(60) ? FIXED_ONE : rnd_below(FIXED_ONE / 100); break;
      case IN_RANK: v = rnd_int(1, 150); break;
      case IN_NUMBER: v = rnd_below(FIXED_ONE / 10 * 8); break;
      case IN_MONEY: v = rnd_int(0, 1500000000); break;
      default: v = rnd_int(0, 100); break;
      }
      nt->in[in->index][p * nt->n + r] = v;
    }
  }
  set_fixed(nt, "population", r, rnd_int(200000, 1200000));
  set_fixed(nt, "market_entities", r, chance(10) ? 0 : rnd_int(1000, 100000));
  set_fixed(nt, "serious_dishonest", r, rnd_int(0, 600));
  set_fixed(nt, "operating_firms", r, rnd_int(1, 30000));
  set_fixed(nt, "xyd_registered", r, rnd_int(0, 1000));
  set_fixed(nt, "commitments", r, rnd_int(0, 30000));
  set_fixed(nt, "platform_records", r, rnd_int(30000000, 90000000));
  set_fixed(nt, "credit_checks", r, rnd_int(0, 120000));
}

/* Output K of row R is the same number (or the same failure) as WANT. */
static void expect_same(const char *what, long long entity, int k, rb_fixed got, rb_fixed want) {
  if (got != want) fail_msg("%s, entity %lld, output %d: %s != %s", what, entity, k, show(got), show(want));
}

static void test_reproducible(void **state) {
  (void)state;
  native *nt = build_chengwu();
  const int64_t n = 37; /* not a multiple of any vector width */
  rows(nt, n);
  for (int64_t r = 0; r < n; r++) random_county(nt, r);
  run(nt);
  int nout = abi_out_count(nt->s), tot = abi_out_total(nt->s);
  rb_fixed **first = calloc((size_t)nout, sizeof *first);
  assert_non_null(first);
  for (int k = 0; k < nout; k++) {
    first[k] = malloc(sizeof(rb_fixed) * (size_t)n);
    assert_non_null(first[k]);
    memcpy(first[k], nt->out[k], sizeof(rb_fixed) * (size_t)n);
  }
  /* the batch has numbers and failures, so both are compared; the numbers
     have decimals beyond anything a double holds */
  int failed = 0, scored = 0, long_decimals = 0;
  for (int64_t r = 0; r < n; r++) {
    if (!fixed_is_number(first[tot][r])) {
      failed++;
      assert_true(abi_error_site(first[tot][r], nt->nat->nsites) >= 0);
    } else {
      scored++;
      char text[64];
      fixed_format(first[tot][r], -1, text, sizeof text);
      const char *dot = strchr(text, '.');
      long_decimals += dot && strlen(dot + 1) > 15;
    }
  }
  assert_true(failed > 0);
  assert_true(scored > 0);
  assert_true(long_decimals > 0);

  /* a second run over the same columns */
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++) nt->out[k][r] = MARKER;
  run(nt);
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++) expect_same("run 2", r, k, nt->out[k][r], first[k][r]);

  /* in three row ranges, as the threads score them: a range from LO reads
     a per-period column from its start, at LO + its row (abi.h), and the
     fractions' 18 random decimals are kept aside (narrow.h) */
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++) nt->out[k][r] = MARKER;
  int64_t cut[4] = {0, n / 3, n / 3 + 17, n};
  for (int part = 0; part < 3; part++) run_on(nt, nt->fn, nt->in, n, cut[part], cut[part + 1], nt->out);
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++) expect_same("by ranges", r, k, nt->out[k][r], first[k][r]);

  /* the rows in reverse order: each entity's scores are the same numbers */
  rb_fixed **rev = calloc((size_t)nt->s->ninputs, sizeof *rev);
  assert_non_null(rev);
  for (int i = 0; i < nt->s->ninputs; i++) {
    int m = nt->s->inputs[i].periodic ? nt->nper : 1;
    rev[i] = malloc(sizeof(rb_fixed) * (size_t)(m * n));
    assert_non_null(rev[i]);
    for (int p = 0; p < m; p++)
      for (int64_t r = 0; r < n; r++) rev[i][p * n + r] = nt->in[i][p * n + (n - 1 - r)];
  }
  for (int i = 0; i < nt->s->ninputs; i++) {
    memcpy(nt->in[i], rev[i], sizeof(rb_fixed) * (size_t)((nt->s->inputs[i].periodic ? nt->nper : 1) * n));
    free(rev[i]);
  }
  free(rev);
  run(nt);
  for (int k = 0; k < nout; k++)
    for (int64_t r = 0; r < n; r++) expect_same("reversed", r, k, nt->out[k][n - 1 - r], first[k][r]);

  /* one row at a time gives the same numbers as the batch */
  int nin = nt->s->ninputs;
  rb_fixed **in1 = calloc((size_t)nin, sizeof *in1), **out1 = calloc((size_t)nout, sizeof *out1);
  assert_non_null(in1);
  assert_non_null(out1);
  for (int i = 0; i < nin; i++) {
    in1[i] = malloc(sizeof(rb_fixed) * (size_t)nt->nper);
    assert_non_null(in1[i]);
  }
  for (int k = 0; k < nout; k++) {
    out1[k] = malloc(sizeof(rb_fixed));
    assert_non_null(out1[k]);
  }
  for (int64_t r = 0; r < n; r += 3) {
    int64_t at = n - 1 - r; /* entity r sits at row n-1-r of the reversed batch */
    for (int i = 0; i < nin; i++) {
      int m = nt->s->inputs[i].periodic ? nt->nper : 1;
      for (int p = 0; p < m; p++) in1[i][p] = nt->in[i][p * n + at];
    }
    run_on(nt, nt->fn, in1, 1, 0, 1, out1);
    for (int k = 0; k < nout; k++) expect_same("alone", r, k, out1[k][0], first[k][r]);
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
  assert_true(nt->out[0][0] == MARKER);
  assert_true(nt->out[1][0] == MARKER);
  native_free(nt);
}

/* A statistic over statistics: one generated pass per stage, each named
   after its stage and the scheme, with the suffix; a flat scheme has the
   first pass only. */
static void test_staged_passes_named_by_stage(void **state) {
  (void)state;
  native *nt = build("staged.rubric", "scheme cg_staged \"t\" {\n"
                                      "  total 10\n"
                                      "  input a: count\n"
                                      "  input b: count\n"
                                      "  indicator c \"c\" points 10 { 10 * peers.minmax(peers.rank(peers.share(a) + peers.share(b))) }\n"
                                      "}\n");
  assert_int_equal(nt->s->nstages, 3);
  char err[1024] = "";
  LLVMContextRef ctx = LLVMContextCreate();
  cg_result r;
  assert_int_equal(cg_scheme(nt->s, ctx, "_9", &r, err, sizeof err), 0);
  assert_string_equal(r.peers_name, "rubric_peers_cg_staged_9");
  assert_int_equal(r.nlater, 2);
  assert_string_equal(r.later_names[0], "rubric_peers2_cg_staged_9");
  assert_string_equal(r.later_names[1], "rubric_peers3_cg_staged_9");
  for (int k = 0; k < r.nlater; k++) assert_non_null(LLVMGetNamedFunction(r.module, r.later_names[k]));
  cg_result_free(&r);
  LLVMContextDispose(ctx);
  assert_int_equal(nt->nat->nlater, 2);
  native_free(nt);
  nt = build("flat.rubric", "scheme cg_flat \"t\" {\n  total 10\n  input a: count\n"
                            "  indicator c \"c\" points 10 { 10 * peers.share(a) }\n}\n");
  assert_int_equal(nt->s->nstages, 1);
  assert_int_equal(nt->nat->nlater, 0);
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
  set(nt, "x", 0, "0.25");
  run(nt);
  expect_score(nt, "c", 0, "0.25");
  nt->out[0][0] = nt->out[1][0] = MARKER;
  run_on(nt, second->score, nt->in, 1, 0, 1, nt->out);
  expect_score(nt, "c", 0, "0.25");
  expect_score(nt, "total", 0, "0.25");
  /* the first definition still works once the second is dropped */
  native_release(second);
  nt->out[0][0] = nt->out[1][0] = MARKER;
  set(nt, "x", 0, "0.75");
  run(nt);
  expect_score(nt, "c", 0, "0.75");
  expect_score(nt, "total", 0, "0.75");
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

/* The code generator's options set through LLVM's command line are part of
   the target's description, so of every cache key: an object made with the
   X86 domain reassignment pass is never taken for one made without. */
static void test_target_names_its_options(void **state) {
  (void)state;
  char err[256] = "";
  LLVMTargetMachineRef tm = cg_host_target(err, sizeof err);
  assert_non_null(tm);
  char *triple = LLVMGetTargetMachineTriple(tm);
  const char *desc = cg_target_description();
  assert_non_null(desc);
  bool named = strstr(desc, "-disable-x86-domain-reassignment") != NULL;
  assert_int_equal(named, strncmp(triple, "x86_64", 6) == 0);
  assert_non_null(strstr(desc, triple));
  LLVMDisposeMessage(triple);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_target_names_its_options),
      cmocka_unit_test(test_form_argument_on_untaken_path),
      cmocka_unit_test(test_tiers_at_thresholds),
      cmocka_unit_test(test_undefined_names_its_site),
      cmocka_unit_test(test_linear_between),
      cmocka_unit_test(test_linear_between_is_exact),
      cmocka_unit_test(test_negative_constants),
      cmocka_unit_test(test_per_period_reductions),
      cmocka_unit_test(test_mean_divides_once),
      cmocka_unit_test(test_clamping),
      cmocka_unit_test(test_items_and_total),
      cmocka_unit_test(test_division_by_zero),
      cmocka_unit_test(test_first_failure_wins_and_overflow),
      cmocka_unit_test(test_sum_overflows),
      cmocka_unit_test(test_overflow_stops_the_part),
      cmocka_unit_test(test_error_site_decoding),
      cmocka_unit_test(test_guards_through_lets_and_prelude_forms),
      cmocka_unit_test(test_sums_are_exact),
      cmocka_unit_test(test_division_rounds_half_up),
      cmocka_unit_test(test_product_rounds_half_up),
      cmocka_unit_test(test_round_parts),
      cmocka_unit_test(test_round_total),
      cmocka_unit_test(test_equal_totals_tie),
      cmocka_unit_test(test_chengwu_worked_county),
      cmocka_unit_test(test_reproducible),
      cmocka_unit_test(test_parts_per_kind),
      cmocka_unit_test(test_zero_rows),
      cmocka_unit_test(test_staged_passes_named_by_stage),
      cmocka_unit_test(test_jit_same_scheme_twice),
      cmocka_unit_test(test_no_writable_code),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
