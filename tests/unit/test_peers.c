/*
** test_peers.c — unit tests for peer statistics: the ranking routines
** (runtime/peers.c) and the two generated passes (compiler/codegen/), made
** native with native_compile (runtime/native.c) and run on hand-made
** columns of numbers (rb_fixed, compiler/fixed.h): group results, ties
** (also between values equal by different paths), a group of one, a
** failing peer, `missing scores`, targets and grades, and the same numbers
** whatever order the rows come in.
*/
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
#include "arith.h"
#include "codegen.h"
#include "compile.h"
#include "decimal.h"
#include "diag.h"
#include "fixed.h"
#include "native.h"
#include "peers.h"
#include "scheme.h"
#include "score.h"
#include "numbers.h"
#include "cells.h"

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

static rb_fixed num(long long k) { return fixed_from_int(k); }


/* ---- the ranking routine ------------------------------------------------ */

static void test_rank_ties_share_the_better_rank(void **state) {
  (void)state;
  rb_fixed v[] = {num(5), num(9), num(5), num(1), num(9), num(7)};
  int64_t g[] = {0, 0, 0, 0, 0, 0};
  peers_fold(STAT_RANK, v, g, 6, 1);
  const int want[] = {4, 1, 4, 6, 1, 3};
  for (int i = 0; i < 6; i++) assert_fixed_equal(v[i], num(want[i])); /* ranks are numbers */
}

/* A failed value (or an empty one) spoils its group's ranks. */
static void test_rank_within_groups_and_failure_spoils_its_group(void **state) {
  (void)state;
  rb_fixed v[] = {num(3), num(1), num(2), fixed_error(2), num(8), num(8), FIXED_EMPTY, num(1)};
  int64_t g[] = {0, 0, 0, 1, 1, 2, 3, 3};
  peers_fold(STAT_RANK, v, g, 8, 4);
  assert_fixed_equal(v[0], num(1));
  assert_fixed_equal(v[1], num(3));
  assert_fixed_equal(v[2], num(2));
  assert_false(fixed_is_number(v[3])); /* group 1 holds a failure */
  assert_false(fixed_is_number(v[4]));
  assert_fixed_equal(v[5], num(1)); /* a group of one */
  assert_false(fixed_is_number(v[6]));
  assert_false(fixed_is_number(v[7]));
}

static void test_output_rank_puts_failures_last(void **state) {
  (void)state;
  rb_fixed s[] = {num(70), fixed_error(1), num(90), num(70)};
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

/* Ranks by their definition, counted for each row: 1 + the numbers of its
   group greater than it; a failure after every number of its group. Rows
   of every count from 1 to 40 (the sort's small runs and first merges) and
   5,000, seven groups in no order, values from a small set (many ties) and
   failures among them. */
static void test_rank_many_rows_against_counting(void **state) {
  (void)state;
  enum { N = 5000 };
  static rb_fixed v[N];
  static int64_t g[N];
  static int r[N];
  uint32_t seed = 12345;
  for (size_t count = 1; count <= 41; count++) {
    size_t n = count <= 40 ? count : N;
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      g[i] = (int64_t)((seed >> 8) % 7) - 3;
      unsigned pick = (seed >> 16) % 23;
      v[i] = pick == 0 ? fixed_error(2) : num((long long)(pick % 11) - 5);
    }
    peers_rank(v, g, n, r);
    for (size_t i = 0; i < n; i++) {
      int want = 1;
      for (size_t k = 0; k < n; k++)
        if (g[k] == g[i] && fixed_is_number(v[k]) && (!fixed_is_number(v[i]) || v[k] > v[i])) want++;
      if (r[i] != want) fail_msg("%zu rows: row %zu ranks %d, want %d", n, i, r[i], want);
    }
  }
}

/* Descending, for qsort. */
static int greater_first(const void *a, const void *b) {
  rb_fixed x = *(const rb_fixed *)a, y = *(const rb_fixed *)b;
  return x > y ? -1 : x < y;
}

/* Enough rows that each thread sorts its part and the parts are merged
   (peers.c, from 65,536 rows): 200,003 rows in seven groups (the last only
   in the first third of the rows), many ties and some failures, with 1, 2,
   3 and 7 threads (RUBRIC_THREADS). Each row's
   rank against its definition, counted through each group's numbers
   sorted by qsort: 1 + those greater than it (all of them for a failure). */
static void test_rank_parts_against_counting(void **state) {
  (void)state;
  enum { N = 200003, G = 7 };
  rb_fixed *v = malloc(N * sizeof *v), *nums = malloc(N * sizeof *nums);
  int64_t *g = malloc(N * sizeof *g);
  int *r = malloc(N * sizeof *r), *want = malloc(N * sizeof *want);
  assert_true(v && nums && g && r && want);
  uint32_t seed = 777;
  for (size_t i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    g[i] = (int64_t)((seed >> 8) % (i < N / 3 ? G : G - 1)) * 5 - 9; /* the last group only in the first third: */
    /* so the last entry of the sort comes from the left run of every final merge */
    unsigned pick = (seed >> 12) % 4001;
    v[i] = pick == 0 ? fixed_error(3) : num((long long)(pick % 1000) - 500);
  }
  /* each group's numbers, greatest first; a row's rank is 1 + how many of them are greater */
  for (int k = 0; k < G; k++) {
    int64_t gk = (int64_t)k * 5 - 9;
    size_t m = 0;
    for (size_t i = 0; i < N; i++)
      if (g[i] == gk && fixed_is_number(v[i])) nums[m++] = v[i];
    qsort(nums, m, sizeof *nums, greater_first);
    for (size_t i = 0; i < N; i++) {
      if (g[i] != gk) continue;
      size_t lo = 0, hi = m; /* the first of NUMS not greater than v[i] */
      while (fixed_is_number(v[i]) && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nums[mid] > v[i]) lo = mid + 1;
        else hi = mid;
      }
      want[i] = 1 + (int)(fixed_is_number(v[i]) ? lo : m);
    }
  }
  const char *threads[] = {"1", "2", "3", "7"};
  for (int t = 0; t < 4; t++) {
    setenv("RUBRIC_THREADS", threads[t], 1);
    memset(r, 0, N * sizeof *r);
    peers_rank(v, g, N, r);
    for (size_t i = 0; i < N; i++)
      if (r[i] != want[i]) fail_msg("%s threads: row %zu ranks %d, want %d", threads[t], i, r[i], want[i]);
  }
  unsetenv("RUBRIC_THREADS");
  free(v), free(nums), free(g), free(r), free(want);
}

/* Values equal under the document are equal numbers, however computed:
   10 * 0.065 / 0.1 (rate 96.5% through `linear between`) ties with 6.5, and
   1/3 + 1/3 + 1/3 (0.999999999999999999) does not tie with 1. */
static void test_rank_ties_by_different_paths(void **state) {
  (void)state;
  rb_fixed third = rubric_fixed_div(num(1), num(3));
  rb_fixed v[] = {fx("6.5"), rubric_fixed_div(rubric_fixed_mul(num(10), fx("0.065")), fx("0.1")), fx("6.4"),
                  third + third + third, num(1)};
  assert_fixed_equal(v[0], v[1]);
  assert_fixed_equal(v[3], fx("0.999999999999999999"));
  int r[5];
  peers_rank(v, NULL, 5, r);
  const int want[] = {1, 1, 3, 5, 4};
  assert_memory_equal(r, want, sizeof want);
  int64_t g[5] = {0};
  peers_fold(STAT_RANK, v, g, 5, 1);
  for (int i = 0; i < 5; i++) assert_fixed_equal(v[i], num(want[i]));
}

/* ---- the folds ------------------------------------------------------------ */

/* Each kind over three groups, by hand: negative values, a mean that rounds
   half away from zero at the 18th decimal, a sum past 10^20 on the way
   back, a lone row, and a failed value that spoils only its group. */
static void test_fold_every_kind_by_hand(void **state) {
  (void)state;
  enum { M = 8 };
  const int64_t g[M] = {0, 1, 0, 2, 1, 0, 2, 2};
  /* group 0: -1, -2, -2 (the mean -5/3 = -1.666...67); group 1: 10^-18 and
     0 (the mean 0.5 * 10^-18, half up: 10^-18); group 2: 6 * 10^19,
     6 * 10^19, -7 * 10^19 (a sum of 5 * 10^19 through 1.2 * 10^20) */
  const rb_fixed in[M] = {num(-1), 1, num(-2), fx("60000000000000000000"), 0, num(-2), fx("60000000000000000000"),
                          fx("-70000000000000000000")};
  struct {
    stat_kind kind;
    const char *want[3];
  } cases[] = {
      {STAT_MAX, {"-1", "0.000000000000000001", "60000000000000000000"}},
      {STAT_MIN, {"-2", "0", "-70000000000000000000"}},
      {STAT_SUM, {"-5", "0.000000000000000001", "50000000000000000000"}},
      {STAT_MEAN, {"-1.666666666666666667", "0.000000000000000001", "16666666666666666666.666666666666666667"}},
      {STAT_COUNT, {"3", "2", "3"}},
      {STAT_RANK, {NULL, NULL, NULL}},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    rb_fixed v[M];
    memcpy(v, in, sizeof v);
    peers_fold(cases[c].kind, v, g, M, 3);
    if (cases[c].kind == STAT_RANK) {
      const int want[M] = {1, 1, 2, 1, 2, 2, 1, 3}; /* ties share the better rank */
      for (int r = 0; r < M; r++) assert_fixed_equal(v[r], num(want[r]));
      continue;
    }
    for (int r = 0; r < M; r++) assert_fixed_equal(v[r], fx(cases[c].want[g[r]]));
  }
  /* a sum of 10^20 or more is not a number (FIXED_EMPTY: an overflow);
     a failed value spoils its group only (FIXED_ERROR) */
  rb_fixed v[M];
  memcpy(v, in, sizeof v);
  v[7] = num(1); /* group 2: 1.2 * 10^20 + 1 */
  v[1] = fixed_error(3);
  peers_fold(STAT_SUM, v, g, M, 3);
  assert_fixed_equal(v[0], num(-5));
  assert_true(v[3] == FIXED_EMPTY && v[6] == FIXED_EMPTY);
  assert_true(v[1] == FIXED_ERROR && v[4] == FIXED_ERROR);
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
/* rows: firms, xyd, docs, days (NULL: empty) */
static const char *const TOWNS[N][NIN] = {
    {"100", "10", "3", "1"}, {"100", "20", "5", NULL}, {"200", "20", "0", "3"}, {"50", "5", "1", "2"},
    {"80", "8", "5", "1"},   {"90", "9", "2", "2"},    {"10", "1", "4", "0"},
};
static const int64_t GROUP[N] = {0, 0, 0, 1, 0, 1, 2}; /* the last town is alone in its county */

/* Scores rows in the order ORDER (a permutation), into out[col][i] for the i-th given row. */
static void score_rows(run_ctx *rc, const int *order, rb_fixed out[][N]) {
  const sc_scheme *s = rc->s;
  rb_fixed cols[NIN][N];
  int64_t group[N];
  for (int r = 0; r < N; r++) {
    for (int i = 0; i < NIN; i++) {
      const char *cell = TOWNS[order[r]][i];
      cols[i][r] = cell ? fx(cell) : FIXED_EMPTY;
    }
    group[r] = GROUP[order[r]];
  }
  const void **in = cells_table(s, (const rb_fixed *[]){cols[0], cols[1], cols[2], cols[3]}, N);
  rb_fixed stat_store[8][N];
  rb_fixed *stats[8];
  assert_true(s->nstats <= 8);
  for (int k = 0; k < s->nstats; k++) stats[k] = stat_store[k];
  scores_peer_stats(rc->nat, in, N, group, 3, stats);
  int nout = abi_out_count(s);
  rb_fixed *outs[16];
  rb_fixed got[16][N];
  assert_true(nout <= 16);
  for (int k = 0; k < nout; k++) outs[k] = got[k];
  rc->fn(in, N, 0, N, (const rb_fixed *const *)stats, outs);
  for (int k = 0; k < nout; k++)
    for (int r = 0; r < N; r++) out[k][order[r]] = got[k][r];
  cells_table_free(s, in);
}

static void test_relative_rules_by_group(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "towns.rubric", SCHEME);
  const sc_scheme *s = rc.s;
  assert_int_equal(abi_out_count(s), 10);
  int id[N] = {0, 1, 2, 3, 4, 5, 6};
  rb_fixed out[16][N];
  score_rows(&rc, id, out);
  /* By hand. Group 0 = rows 0,1,2,4: shares .1 .2 .1 .1, docs 3 5 0 5:
     ratio to max .5 1 .5 .5; minmax (docs - 0) / 5; ranks 3 1 4 1 of 4,
     so rank ratios 2/4 4/4 1/4 4/4; mean 13/4 = 3.25. Group 1 = rows 3,5:
     shares tie at the maximum, docs 1 2. Group 2 = row 6 alone: full marks.
     days: an empty cell gets full marks (3); 3 days 0, 2 days 2. */
  const char *want[5][N] = {
      {"5", "10", "5", "10", "5", "10", "10"},  /* share */
      {"3", "5", "0", "0", "5", "5", "5"},      /* spread */
      {"3", "6", "1.5", "3", "6", "6", "6"},    /* ranked */
      {"0", "6", "0", "0", "6", "6", "6"},      /* avg */
      {"3", "3", "0", "2", "3", "2", "3"},      /* objection */
  };
  const char *want_total[N] = {"14", "30", "6.5", "15", "25", "29", "30"};
  for (int k = 0; k < 5; k++)
    for (int r = 0; r < N; r++) assert_fixed_equal(out[k][r], fx(want[k][r]));
  for (int r = 0; r < N; r++) assert_fixed_equal(out[abi_out_total(s)][r], fx(want_total[r]));
  /* the target: its value (docs), its goal, met as 1 (the number) or 0 */
  int t = abi_out_target(s, 0);
  for (int r = 0; r < N; r++) {
    assert_fixed_equal(out[t][r], fx(TOWNS[r][2]));
    assert_fixed_equal(out[t + 1][r], num(3));
    assert_fixed_equal(out[t + 2][r], out[t][r] >= num(3) ? FIXED_ONE : 0);
  }
  assert_fixed_equal(out[t + 2][0], FIXED_ONE);
  assert_fixed_equal(out[t + 2][3], 0);
  /* the grade: the band's index, a plain integer: A (0) from 20 up */
  for (int r = 0; r < N; r++) assert_true(out[abi_out_grade(s, 0)][r] == (out[abi_out_total(s)][r] >= num(20) ? 0 : 1));
  assert_true(out[abi_out_grade(s, 0)][1] == 0); /* 10 + 5 + 6 + 6 + 3 */
  assert_true(out[abi_out_grade(s, 0)][2] == 1);
  unbuild(&rc);
}

static void test_same_numbers_in_any_row_order(void **state) {
  (void)state;
  run_ctx rc;
  /* the same scheme under another id: the process's JIT holds both */
  char *text = strdup(SCHEME);
  assert_non_null(text);
  memcpy(strstr(text, "towns"), "twins", 5);
  build(&rc, "towns2.rubric", text);
  free(text);
  int id[N] = {0, 1, 2, 3, 4, 5, 6};
  rb_fixed base[16][N];
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
    rb_fixed out[16][N];
    score_rows(&rc, order, out);
    for (int k = 0; k < abi_out_count(rc.s); k++)
      for (int r = 0; r < N; r++) assert_fixed_equal(out[k][r], base[k][r]);
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
  rb_fixed a[] = {num(1), num(2), num(3), num(4)}, b[] = {num(1), 0, num(1), num(1)};
  int64_t group[] = {0, 0, 0, 1};
  const void **in = cells_table(rc.s, (const rb_fixed *[]){a, b}, 4);
  rb_fixed st[4], *stats[] = {st};
  scores_peer_stats(rc.nat, in, 4, group, 2, stats);
  assert_false(fixed_is_number(st[0]));
  assert_false(fixed_is_number(st[1]));
  assert_false(fixed_is_number(st[2]));
  assert_fixed_equal(st[3], num(4));
  rb_fixed o0[4], o1[4], *outs[] = {o0, o1};
  rc.fn(in, 4, 0, 4, (const rb_fixed *const *)stats, outs);
  cells_table_free(rc.s, in);
  for (int r = 0; r <= 2; r += 2) {
    int site = abi_error_site(o0[r], rc.nat->nsites);
    assert_true(site >= 0);
    assert_int_equal(native_site(rc.nat, site)->kind, SITE_PEER);
  }
  int site = abi_error_site(o0[1], rc.nat->nsites); /* its own division fails first */
  assert_true(site >= 0);
  assert_int_equal(native_site(rc.nat, site)->kind, SITE_DIV_ZERO);
  assert_fixed_equal(o0[3], num(10));
  assert_fixed_equal(o1[3], num(10));
  assert_true(o1[0] == o0[0]); /* the total fails with its part */
  unbuild(&rc);
}

/* Sums and means of numbers with 18 decimals: the first pass adds a group's
   values in sorted order, and exact sums are the same in any order anyway. */
static void test_sum_and_mean_same_numbers_in_any_order(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "sums.rubric",
        "scheme sums \"s\" {\n  total 10\n  input a: number in [0, 1]\n"
        "  indicator m \"m\" points 5 { 5 * peers.mean(a) }\n"
        "  indicator s \"s\" points 5 { 5 * peers.share(a) }\n}\n");
  enum { M = 1000 };
  static rb_fixed a[M], a2[M], st[2][M], st2[2][M], o[3][M], o2[3][M];
  static int64_t group[M];
  srand(7);
  rb_fixed sum = 0;
  for (int i = 0; i < M; i++) {
    /* up to 18 random decimals in [0, 1] */
    unsigned long long hi = (unsigned long long)rand() % 1000000000ULL, lo = (unsigned long long)rand() % 1000000000ULL;
    a[i] = (rb_fixed)hi * 1000000000 + (rb_fixed)lo;
    sum += a[i];
  }
  const void **in = cells_table(rc.s, (const rb_fixed *[]){a}, M);
  rb_fixed *stats[] = {st[0], st[1]}, *outs[] = {o[0], o[1], o[2]};
  scores_peer_stats(rc.nat, in, M, group, 1, stats);
  rc.fn(in, M, 0, M, (const rb_fixed *const *)stats, outs);
  /* the statistics, exactly: the sum, and the mean divided once */
  assert_true(rc.s->nstats == 2);
  bool seen_sum = false, seen_mean = false;
  for (int k = 0; k < 2; k++) {
    seen_sum |= st[k][0] == sum;
    seen_mean |= st[k][0] == rubric_fixed_div(sum, num(M));
  }
  assert_true(seen_sum && seen_mean);
  /* 5 * a / sum: the quotient to 36 decimals, the product exact, the result to 18 */
  for (int i = 0; i < M; i++) {
    rb_wide q, p, five = wide_from_fixed(num(5)), x = wide_from_fixed(a[i]), d = wide_from_fixed(sum);
    rubric_wide_div(&x, &d, &q);
    rubric_wide_mul(&five, &q, &p);
    assert_fixed_equal(o[1][i], rubric_wide_result(&p));
  }
  int perm[M];
  for (int i = 0; i < M; i++) perm[i] = i;
  for (int trial = 0; trial < 5; trial++) {
    for (int i = M - 1; i > 0; i--) {
      int j = rand() % (i + 1), t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    for (int i = 0; i < M; i++) a2[i] = a[perm[i]];
    const void **in2 = cells_table(rc.s, (const rb_fixed *[]){a2}, M);
    rb_fixed *stats2[] = {st2[0], st2[1]}, *outs2[] = {o2[0], o2[1], o2[2]};
    scores_peer_stats(rc.nat, in2, M, group, 1, stats2);
    rc.fn(in2, M, 0, M, (const rb_fixed *const *)stats2, outs2);
    for (int i = 0; i < M; i++)
      for (int k = 0; k < 3; k++) assert_fixed_equal(o2[k][i], o[k][perm[i]]);
    cells_table_free(rc.s, in2);
  }
  cells_table_free(rc.s, in);
  unbuild(&rc);
}

/* A group sum of 10^20 or more is no number: the rows reading it fail at the
   aggregate (SITE_PEER), in every order of the rows; other groups are fine. */
static void test_sum_overflow_spoils_its_group(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "bigsum.rubric",
        "scheme bigsum \"s\" {\n  total 1\n  peers by parent\n  input a: number\n"
        "  indicator s \"s\" points 1 { min(1, peers.sum(a)) }\n}\n");
  enum { M = 5 };
  const char *vals[M] = {"60000000000000000000", "50000000000000000000", "-70000000000000000000", "3", "-1"};
  const int64_t grp[M] = {0, 0, 0, 1, 1};
  const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  rb_fixed first[2][M];
  for (int p = 0; p < 6; p++) {
    rb_fixed a[M], st[M], o[2][M];
    int64_t group[M];
    int order[M] = {perms[p][0], perms[p][1], perms[p][2], 3, 4};
    for (int r = 0; r < M; r++) {
      a[r] = fx(vals[order[r]]);
      group[r] = grp[order[r]];
    }
    const void **in = cells_table(rc.s, (const rb_fixed *[]){a}, M);
    rb_fixed *stats[] = {st}, *outs[] = {o[0], o[1]};
    scores_peer_stats(rc.nat, in, M, group, 2, stats);
    rc.fn(in, M, 0, M, (const rb_fixed *const *)stats, outs);
    cells_table_free(rc.s, in);
    for (int r = 0; r < M; r++) {
      if (p == 0) {
        first[0][order[r]] = o[0][r];
        first[1][order[r]] = o[1][r];
      } else {
        assert_fixed_equal(o[0][r], first[0][order[r]]);
        assert_fixed_equal(o[1][r], first[1][order[r]]);
      }
    }
  }
  /* group 1: 3 - 1 = 2, held at 1 */
  assert_fixed_equal(first[0][3], num(1));
  assert_fixed_equal(first[0][4], num(1));
  unbuild(&rc);

  /* a group whose exact sum is past the range fails, whatever the order */
  build(&rc, "bigsum2.rubric",
        "scheme bigsum2 \"s\" {\n  total 1\n  peers all\n  input a: number\n"
        "  indicator s \"s\" points 1 { min(1, peers.sum(a)) }\n}\n");
  rb_fixed a[3] = {fx("60000000000000000000"), fx("1"), fx("40000000000000000000")}, st[3], o[2][3];
  int64_t group[3] = {0, 0, 0};
  const void **in = cells_table(rc.s, (const rb_fixed *[]){a}, 3);
  rb_fixed *stats[] = {st}, *outs[] = {o[0], o[1]};
  scores_peer_stats(rc.nat, in, 3, group, 1, stats);
  for (int r = 0; r < 3; r++) assert_false(fixed_is_number(st[r]));
  rc.fn(in, 3, 0, 3, (const rb_fixed *const *)stats, outs);
  cells_table_free(rc.s, in);
  for (int r = 0; r < 3; r++) { /* reported as the overflow it is, not as a failed peer */
    int site = abi_error_site(o[0][r], rc.nat->nsites);
    assert_true(site >= 0);
    assert_int_equal(native_site(rc.nat, site)->kind, SITE_OVERFLOW);
  }
  unbuild(&rc);
}

/* peers.rank and peers.rank_ratio through the first pass: 6.5 given and
   96.5% through `linear between` tie for first place. */
static void test_generated_rank_ties_by_different_paths(void **state) {
  (void)state;
  run_ctx rc;
  build(&rc, "tie.rubric",
        "scheme tie \"t\" {\n"
        "  total 10\n"
        "  peers all\n"
        "  input direct: number\n"
        "  input rate: fraction\n"
        "  indicator rr \"rr\" points 6 {\n"
        "    let l = 10 if rate >= 100%, 0 if rate < 90%, linear between\n"
        "    6 * peers.rank_ratio(direct + l)\n"
        "  }\n"
        "  indicator rk \"rk\" points 3 {\n"
        "    let l = 10 if rate >= 100%, 0 if rate < 90%, linear between\n"
        "    min(3, peers.rank(direct + l))\n"
        "  }\n"
        "  indicator top \"top\" points 1 {\n"
        "    let l = 10 if rate >= 100%, 0 if rate < 90%, linear between\n"
        "    1 if direct + l == peers.max(direct + l), 0 otherwise\n"
        "  }\n"
        "}\n");
  enum { M = 3 };
  rb_fixed direct[M] = {fx("6.5"), 0, fx("6.4")}, rate[M] = {0, fx("0.965"), 0};
  const void **in = cells_table(rc.s, (const rb_fixed *[]){direct, rate}, M);
  int64_t group[M] = {0};
  rb_fixed st_store[4][M], *stats[4];
  assert_true(rc.s->nstats <= 4);
  for (int k = 0; k < rc.s->nstats; k++) stats[k] = st_store[k];
  scores_peer_stats(rc.nat, in, M, group, 1, stats);
  int nout = abi_out_count(rc.s);
  assert_int_equal(nout, 4);
  rb_fixed o[4][M], *outs[] = {o[0], o[1], o[2], o[3]};
  rc.fn(in, M, 0, M, (const rb_fixed *const *)stats, outs);
  cells_table_free(rc.s, in);
  /* ranks 1, 1, 3 of 3: rank ratios 1, 1 and 1/3 (to 36 decimals, times 6:
     2 less 2 * 10^-36, given to 18 decimals as 2) */
  const char *want[4][M] = {{"6", "6", "2"}, {"1", "1", "3"}, {"1", "1", "0"}, {"8", "8", "5"}};
  for (int k = 0; k < 4; k++)
    for (int r = 0; r < M; r++) assert_fixed_equal(o[k][r], fx(want[k][r]));
  int rank[M];
  peers_rank(o[3], NULL, M, rank);
  assert_int_equal(rank[0], 1);
  assert_int_equal(rank[1], 1);
  assert_int_equal(rank[2], 3);
  unbuild(&rc);
}

static void rank_one_group(const rb_fixed *s, size_t n, int *r) { peers_rank(s, NULL, n, r); }

/* The rank column of the output: peers_rank with one group (moved from
   test_output.c with the unused out_rank it tested). */

static void test_rank_ties(void **state) {
  (void)state;
  rb_fixed s[] = {num(90), num(95), num(90), num(80)};
  int r[4] = {0};
  rank_one_group(s, 4, r);
  int want[] = {2, 1, 2, 4};
  assert_memory_equal(r, want, sizeof want);
}

static void test_rank_cases(void **state) {
  (void)state;
  rb_fixed same[] = {num(5), num(5), num(5)};
  int r3[3];
  rank_one_group(same, 3, r3);
  assert_int_equal(r3[0], 1);
  assert_int_equal(r3[1], 1);
  assert_int_equal(r3[2], 1);

  rb_fixed asc[] = {num(1), num(2), num(3), num(4), num(5)};
  int r5[5];
  rank_one_group(asc, 5, r5);
  int want5[] = {5, 4, 3, 2, 1};
  assert_memory_equal(r5, want5, sizeof want5);

  rb_fixed one[] = {num(-3)};
  int r1[1];
  rank_one_group(one, 1, r1);
  assert_int_equal(r1[0], 1);

  rank_one_group(NULL, 0, NULL); /* nothing to do, nothing to crash on */

  /* 0 and -0 are one number; the smallest step apart is not a tie */
  rb_fixed zeros[] = {0, -(rb_fixed)0, num(-1), 1};
  int r4[4];
  rank_one_group(zeros, 4, r4);
  assert_int_equal(r4[0], 2);
  assert_int_equal(r4[1], 2);
  assert_int_equal(r4[2], 4);
  assert_int_equal(r4[3], 1); /* 10^-18 */

  /* a failure (no score) goes after every number, tied with other failures */
  rb_fixed withfail[] = {fixed_error(1), num(10), num(20), FIXED_ERROR, num(10)};
  rank_one_group(withfail, 5, r5);
  int wantfail[] = {4, 2, 1, 4, 2};
  assert_memory_equal(r5, wantfail, sizeof wantfail);

  /* the extremes of the range are numbers, ranked as such */
  rb_fixed ends[] = {-FIXED_MAX, FIXED_MAX, fixed_error(3)};
  rank_one_group(ends, 3, r3);
  assert_int_equal(r3[0], 2);
  assert_int_equal(r3[1], 1);
  assert_int_equal(r3[2], 3);
}

/* Against the definition, on many ties. */
static void test_rank_matches_definition(void **state) {
  (void)state;
  enum { N = 3000 };
  rb_fixed *s = malloc(N * sizeof *s);
  int *r = malloc(N * sizeof *r);
  assert_non_null(s);
  assert_non_null(r);
  unsigned x = 12345;
  for (int i = 0; i < N; i++) {
    x = x * 1103515245u + 12345u;
    s[i] = fixed_from_int((long long)((x >> 16) % 200)) / 2;
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
      cmocka_unit_test(test_rank_within_groups_and_failure_spoils_its_group),
      cmocka_unit_test(test_output_rank_puts_failures_last),
      cmocka_unit_test(test_rank_ties_by_different_paths),
      cmocka_unit_test(test_fold_every_kind_by_hand),
      cmocka_unit_test(test_relative_rules_by_group),
      cmocka_unit_test(test_same_numbers_in_any_row_order),
      cmocka_unit_test(test_failing_peer_spoils_only_its_group),
      cmocka_unit_test(test_sum_and_mean_same_numbers_in_any_order),
      cmocka_unit_test(test_sum_overflow_spoils_its_group),
      cmocka_unit_test(test_generated_rank_ties_by_different_paths),
      cmocka_unit_test(test_rank_many_rows_against_counting),
      cmocka_unit_test(test_rank_parts_against_counting),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
