/*
** test_peers.c — unit tests for peer statistics: the ranking routine
** (runtime/peers.c) and the two generated passes (compiler/codegen/), made
** native with native_compile (runtime/native.c) and run on hand-made
** columns: group results, ties, a group of one, a failing peer, `missing
** scores`, targets and grades, and the same bits whatever order the rows
** come in.
*/
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

#include "abi.h"
#include "codegen.h"
#include "compile.h"
#include "diag.h"
#include "native.h"
#include "peers.h"
#include "scheme.h"

static char g_dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(g_dir, "/tmp/rubric_test_peers_XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  native_shutdown(NULL); /* the process's JIT, once every native_scheme is released */
  return scratch_remove(g_dir);
}

/* ---- the ranking routine ------------------------------------------------ */

static void test_rank_ties_share_the_better_rank(void **state) {
  (void)state;
  double v[] = {5, 9, 5, 1, 9, 7};
  int64_t g[] = {0, 0, 0, 0, 0, 0};
  rubric_peer_rank(v, g, 6);
  double want[] = {4, 1, 4, 6, 1, 3};
  for (int i = 0; i < 6; i++) assert_true(v[i] == want[i]);
}

static void test_rank_within_groups_and_nan_spoils_its_group(void **state) {
  (void)state;
  double v[] = {3, 1, 2, NAN, 8, 8};
  int64_t g[] = {0, 0, 0, 1, 1, 2};
  rubric_peer_rank(v, g, 6);
  assert_true(v[0] == 1 && v[1] == 3 && v[2] == 2);
  assert_true(isnan(v[3]) && isnan(v[4])); /* group 1 holds a NaN */
  assert_true(v[5] == 1);                  /* a group of one */
}

static void test_output_rank_puts_nan_last(void **state) {
  (void)state;
  double s[] = {70, NAN, 90, 70};
  int64_t g[] = {0, 0, 0, 1};
  int r[4];
  peers_rank(s, g, 4, r);
  assert_int_equal(r[0], 2);
  assert_int_equal(r[1], 3);
  assert_int_equal(r[2], 1);
  assert_int_equal(r[3], 1);
  peers_rank(s, NULL, 4, r); /* one group */
  assert_int_equal(r[0], 2);
  assert_int_equal(r[3], 2);
  assert_int_equal(r[1], 4);
}

/* ---- the generated passes ------------------------------------------------ */

/* Pingyin-like towns: relative rules over peers by parent, a missing-data
   rule, a target and a grade. */
static const char *SCHEME =
    "scheme towns \"镇街\" {\n"
    "  total 30\n"
    "  peers by parent\n"
    "  input firms: count \"注册企业\"\n"
    "  input xyd: count \"信易贷企业\"\n"
    "  input docs: count \"文件\"\n"
    "  input days: count missing scores full \"异议处理天数\"\n"
    "  indicator share \"比例最高的得满分\" points 10 { 10 * peers.ratio_to_max(xyd / firms) }\n"
    "  indicator spread \"最多满分最少0分\" points 5 { 5 * peers.minmax(docs) }\n"
    "  indicator ranked \"第一名满分\" points 6 { 6 * peers.rank_ratio(docs) }\n"
    "  indicator avg \"不低于平均\" points 6 { 6 if docs >= peers.mean(docs), 0 otherwise }\n"
    "  indicator objection \"异议处理\" points 3 { 3 if days <= 1, 2 if days <= 2, 0 otherwise }\n"
    "  target docs_goal \"出台文件3件\" { docs >= 3 }\n"
    "  grade level \"等级\" on total {\n"
    "    \"A\" if total >= 20\n"
    "    \"B\" if total < 20\n"
    "  }\n"
    "}\n";

typedef struct run_ctx {
  sc_file *u;
  const sc_scheme *s;
  native_scheme *nat;
  rb_peers_fn peers;
  rb_score_fn fn;
} run_ctx;

static void build(run_ctx *rc, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
  char *msgs = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&msgs, &len);
  rb_diags d;
  diag_init(&d, m);
  rc->u = compile_file(path, &d);
  fclose(m);
  if (!rc->u || d.errors) fail_msg("%s does not check:\n%s", path, msgs);
  free(msgs);
  rc->s = compile_find_scheme(rc->u, NULL);
  assert_non_null(rc->s);
  msgs = NULL;
  m = open_memstream(&msgs, &len);
  diag_init(&d, m);
  rc->nat = native_compile(rc->s, &d);
  fclose(m);
  if (!rc->nat || d.errors) fail_msg("native_compile %s:\n%s", path, msgs);
  free(msgs);
  assert_ptr_equal(rc->nat->scheme, rc->s);
  rc->fn = rc->nat->score;
  assert_non_null(rc->fn);
  rc->peers = rc->nat->peers; /* every scheme here reads a peer statistic */
  assert_non_null(rc->peers);
}

static void unbuild(run_ctx *rc) {
  native_release(rc->nat);
  compile_free(rc->u);
}

enum { N = 7, NIN = 4 };
/* rows: firms, xyd, docs, days (NaN: empty), group */
static const double TOWNS[N][NIN] = {
    {100, 10, 3, 1}, {100, 20, 5, NAN}, {200, 20, 0, 3}, {50, 5, 1, 2}, {80, 8, 5, 1}, {90, 9, 2, 2}, {10, 1, 4, 0},
};
static const int64_t GROUP[N] = {0, 0, 0, 1, 0, 1, 2}; /* the last town is alone in its county */

/* Scores rows in the order ORDER (a permutation), into out[col][i] for the i-th given row. */
static void score_rows(run_ctx *rc, const int *order, double out[][N]) {
  const sc_scheme *s = rc->s;
  double cols[NIN][N];
  int64_t group[N];
  for (int r = 0; r < N; r++) {
    for (int i = 0; i < NIN; i++) cols[i][r] = TOWNS[order[r]][i];
    group[r] = GROUP[order[r]];
  }
  const double *in[NIN] = {cols[0], cols[1], cols[2], cols[3]};
  double stat_store[8][N];
  double *stats[8];
  assert_true(s->nstats <= 8);
  for (int k = 0; k < s->nstats; k++) stats[k] = stat_store[k];
  double work[2 * 3 + N];
  rc->peers(in, N, group, 3, stats, work);
  int nout = abi_out_count(s);
  double *outs[16];
  double got[16][N];
  assert_true(nout <= 16);
  for (int k = 0; k < nout; k++) outs[k] = got[k];
  rc->fn(in, N, (const double *const *)stats, outs);
  for (int k = 0; k < nout; k++)
    for (int r = 0; r < N; r++) out[k][order[r]] = got[k][r];
}

static void test_relative_rules_by_group(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "towns.rubric", SCHEME);
  const sc_scheme *s = rc.s;
  int id[N] = {0, 1, 2, 3, 4, 5, 6};
  double out[16][N];
  score_rows(&rc, id, out);
  /* group 0 = rows 0,1,2,4: shares .1 .2 .1 .1, docs 3 5 0 5 */
  assert_true(out[0][0] == 10 * (0.1 / 0.2));
  assert_true(out[0][1] == 10);
  assert_true(out[1][0] == 5 * ((3.0 - 0) / (5 - 0)));
  assert_true(out[1][2] == 0);
  /* rank of docs in group 0: 5,5 tie at 1; 3 is 3rd; 0 is 4th; count 4 */
  assert_true(out[2][1] == 6.0 * (4 - 1 + 1) / 4);
  assert_true(out[2][0] == 6.0 * (4 - 3 + 1) / 4);
  assert_true(out[2][2] == 6.0 * (4 - 4 + 1) / 4);
  /* mean of docs in group 0 is 13/4: 3 is below, 5 above */
  assert_true(out[3][0] == 0 && out[3][1] == 6);
  /* an empty days cell: full marks; days 3: 0 */
  assert_true(out[4][1] == 3 && out[4][2] == 0 && out[4][3] == 2);
  /* a group of one: max = min = its own value, rank 1 of 1 */
  assert_true(out[0][6] == 10 && out[1][6] == 5 && out[2][6] == 6 && out[3][6] == 6);
  /* the target and the grade */
  int t = abi_out_target(s, 0);
  assert_true(out[t][0] == 3 && out[t + 1][0] == 3 && out[t + 2][0] == 1);
  assert_true(out[t + 2][3] == 0);
  double total0 = out[abi_out_total(s)][0];
  assert_true(out[abi_out_grade(s, 0)][0] == (total0 >= 20 ? 0 : 1));
  assert_true(out[abi_out_grade(s, 0)][1] == 0); /* 10 + 5 + 6 + 6 + 3 */
  unbuild(&rc);
}

static void test_same_bits_in_any_row_order(void **state) {
  (void)state;
  run_ctx rc;
  /* the same scheme under another id: the process's JIT holds both */
  char *text = strdup(SCHEME);
  assert_non_null(text);
  memcpy(strstr(text, "towns"), "twins", 5);
  build(&rc, "towns2.rubric", text);
  free(text);
  int id[N] = {0, 1, 2, 3, 4, 5, 6};
  double base[16][N];
  score_rows(&rc, id, base);
  srand(2022);
  for (int trial = 0; trial < 20; trial++) {
    int order[N];
    for (int i = 0; i < N; i++) order[i] = i;
    for (int i = N - 1; i > 0; i--) {
      int j = rand() % (i + 1), tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    double out[16][N];
    score_rows(&rc, order, out);
    for (int k = 0; k < abi_out_count(rc.s); k++)
      assert_memory_equal(out[k], base[k], sizeof(double) * N);
  }
  unbuild(&rc);
}

/* A peer whose value fails (division by zero) spoils its group's
   statistic: the others in the group fail at the aggregate, other groups
   are untouched. */
static void test_failing_peer_spoils_only_its_group(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "fail.rubric",
        "scheme f \"f\" {\n  total 10\n  peers by parent\n  input a: count\n  input b: count\n"
        "  indicator share \"占比\" points 10 { 10 * peers.ratio_to_max(a / b) }\n}\n");
  double a[] = {1, 2, 3, 4}, b[] = {1, 0, 1, 1};
  int64_t group[] = {0, 0, 0, 1};
  const double *in[] = {a, b};
  double st[4], *stats[] = {st}, work[2 * 2 + 4];
  rc.peers(in, 4, group, 2, stats, work);
  assert_true(isnan(st[0]) && isnan(st[1]) && isnan(st[2]));
  assert_true(st[3] == 4);
  double o0[4], o1[4], *outs[] = {o0, o1};
  rc.fn(in, 4, (const double *const *)stats, outs);
  int site = abi_error_site(o0[0], rc.nat->nsites);
  assert_true(site >= 0);
  assert_int_equal(rc.nat->sites[site].kind, SITE_PEER);
  site = abi_error_site(o0[1], rc.nat->nsites); /* its own division fails first */
  assert_true(site >= 0);
  assert_int_equal(rc.nat->sites[site].kind, SITE_DIV_ZERO);
  assert_true(o0[3] == 10);
  unbuild(&rc);
}

/* Sums and means of fractions: floating addition is not associative, so
   the first pass adds a group's values in sorted order. */
static void test_sum_and_mean_same_bits_in_any_order(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "sums.rubric",
        "scheme sums \"s\" {\n  total 10\n  input a: number in [0, 1]\n"
        "  indicator m \"m\" points 5 { 5 * peers.mean(a) }\n"
        "  indicator s \"s\" points 5 { 5 * peers.share(a) }\n}\n");
  enum { M = 1000 };
  static double a[M], a2[M], st[2][M], st2[2][M], work[2 + M], o[3][M], o2[3][M];
  static int64_t group[M];
  srand(7);
  for (int i = 0; i < M; i++) a[i] = (double)rand() / RAND_MAX;
  const double *in[] = {a};
  double *stats[] = {st[0], st[1]}, *outs[] = {o[0], o[1], o[2]};
  rc.peers(in, M, group, 1, stats, work);
  rc.fn(in, M, (const double *const *)stats, outs);
  int perm[M];
  for (int i = 0; i < M; i++) perm[i] = i;
  for (int trial = 0; trial < 5; trial++) {
    for (int i = M - 1; i > 0; i--) {
      int j = rand() % (i + 1), t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    for (int i = 0; i < M; i++) a2[i] = a[perm[i]];
    const double *in2[] = {a2};
    double *stats2[] = {st2[0], st2[1]}, *outs2[] = {o2[0], o2[1], o2[2]};
    rc.peers(in2, M, group, 1, stats2, work);
    rc.fn(in2, M, (const double *const *)stats2, outs2);
    for (int i = 0; i < M; i++)
      for (int k = 0; k < 3; k++) assert_memory_equal(&o2[k][i], &o[k][perm[i]], sizeof(double));
  }
  unbuild(&rc);
}

static void rank_one_group(const double *s, size_t n, int *r) { peers_rank(s, NULL, n, r); }

/* The rank column of the output: peers_rank with one group (moved from
   test_output.c with the unused out_rank it tested). */

static void test_rank_ties(void **state) {
  (void)state;
  double s[] = {90, 95, 90, 80};
  int r[4] = {0};
  rank_one_group(s, 4, r);
  int want[] = {2, 1, 2, 4};
  assert_memory_equal(r, want, sizeof want);
}

static void test_rank_cases(void **state) {
  (void)state;
  double same[] = {5, 5, 5};
  int r3[3];
  rank_one_group(same, 3, r3);
  assert_int_equal(r3[0], 1);
  assert_int_equal(r3[1], 1);
  assert_int_equal(r3[2], 1);

  double asc[] = {1, 2, 3, 4, 5};
  int r5[5];
  rank_one_group(asc, 5, r5);
  int want5[] = {5, 4, 3, 2, 1};
  assert_memory_equal(r5, want5, sizeof want5);

  double one[] = {-3};
  int r1[1];
  rank_one_group(one, 1, r1);
  assert_int_equal(r1[0], 1);

  rank_one_group(NULL, 0, NULL); /* nothing to do, nothing to crash on */

  double zeros[] = {0.0, -0.0, -1};
  rank_one_group(zeros, 3, r3);
  assert_int_equal(r3[0], 1); /* 0.0 and -0.0 are equal scores */
  assert_int_equal(r3[1], 1);
  assert_int_equal(r3[2], 3);

  /* NaN (no score) goes after every number, tied with other NaNs. */
  double withnan[] = {NAN, 10, 20, NAN, 10};
  rank_one_group(withnan, 5, r5);
  int wantnan[] = {4, 2, 1, 4, 2};
  assert_memory_equal(r5, wantnan, sizeof wantnan);
}

/* Against the definition, on many ties. */
static void test_rank_matches_definition(void **state) {
  (void)state;
  enum { N = 3000 };
  double *s = malloc(N * sizeof *s);
  int *r = malloc(N * sizeof *r);
  assert_non_null(s);
  assert_non_null(r);
  unsigned x = 12345;
  for (int i = 0; i < N; i++) {
    x = x * 1103515245u + 12345u;
    s[i] = (double)((x >> 16) % 200) / 2.0;
  }
  rank_one_group(s, N, r);
  for (int i = 0; i < N; i++) {
    int above = 0;
    for (int j = 0; j < N; j++) above += s[j] > s[i];
    assert_int_equal(r[i], above + 1);
  }
  free(s);
  free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rank_ties),
      cmocka_unit_test(test_rank_cases),
      cmocka_unit_test(test_rank_matches_definition),
      cmocka_unit_test(test_rank_ties_share_the_better_rank),
      cmocka_unit_test(test_rank_within_groups_and_nan_spoils_its_group),
      cmocka_unit_test(test_output_rank_puts_nan_last),
      cmocka_unit_test(test_relative_rules_by_group),
      cmocka_unit_test(test_same_bits_in_any_row_order),
      cmocka_unit_test(test_failing_peer_spoils_only_its_group),
      cmocka_unit_test(test_sum_and_mean_same_bits_in_any_order),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
