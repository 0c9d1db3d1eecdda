/*
** test_staged.c — unit tests for staged peer statistics (a statistic whose
** argument reads other statistics, spec/semantics.md#staged-passes): the
** stages the checker gives them (compiler/check/lower.c), one generated
** pass per stage (compiler/codegen/peers.c, runtime/native.c), their folds
** in turn (runtime/score.c), numbers worked by hand, a failure in an
** earlier stage spoiling the later ones of its group only, and the same
** numbers whatever order the rows come in.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "fixed.h"
#include "native.h"
#include "scheme.h"
#include "score.h"
#include "numbers.h"
#include "cells.h"

static char g_dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(g_dir, "/tmp/rubric_test_staged_XXXXXX");
  return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  native_shutdown(NULL); /* the process's JIT, once every native_scheme is released */
  return scratch_remove(g_dir);
}

static rb_fixed num(long long k) { return fixed_from_int(k); }

/* Two rules over three stages: `ranked` ranks a sum of two relative scores
   (stage 2); `deep` spreads the ranks (stage 2) of a ratio that divides by
   a (failing where a is 0) into [0, 1] (stage 3). */
static const char *STAGED =
    "scheme staged \"分项按比例计分后再排名\" {\n"
    "  total 20\n"
    "  peers by parent\n"
    "  input a: count \"a\"\n"
    "  input b: count \"b\"\n"
    "  indicator ranked \"合计得分排名\" points 10 {\n"
    "    let a_score = 10 * peers.ratio_to_max(a)\n"
    "    10 * peers.rank_ratio(a_score + 10 * peers.share(b))\n"
    "  }\n"
    "  indicator deep \"名次按比例\" points 10 { 10 * peers.minmax(-peers.rank(peers.share(b) / a)) }\n"
    "}\n";

typedef struct staged_run {
  sc_file *u;
  const sc_scheme *s;
  native_scheme *nat;
} staged_run;

/* Checks and compiles TEXT (saved as NAME); fails the test on any error. */
static void build(staged_run *rc, const char *name, const char *text) {
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
  rc->s = rc->u && !d.errors ? compile_find_scheme(rc->u, NULL) : NULL;
  rc->nat = rc->s ? native_compile(rc->s, &d) : NULL;
  fclose(m);
  if (!rc->nat || d.errors) fail_msg("%s:\n%s", path, msgs);
  free(msgs);
}

static void unbuild(staged_run *rc) {
  native_release(rc->nat);
  compile_free(rc->u);
}

/* Each statistic's stage: 1 + the highest of those its argument reads. */
static void test_stages_by_dependency(void **state) {
  (void)state;
  staged_run rc;
  build(&rc, "stages.rubric", STAGED);
  const sc_scheme *s = rc.s;
  assert_int_equal(s->nstages, 3);
  int seen[4] = {0};
  for (int k = 0; k < s->nstats; k++) {
    const sc_stat *st = &s->stats[k];
    /* max(a), sum(b) and count() read no statistic; the ranks read those;
       min and max of -rank read a rank */
    bool first = !strcmp(st->text, "peers.max(a)") || !strcmp(st->text, "peers.sum(b)") || st->kind == STAT_COUNT;
    int want = first ? 1 : st->kind == STAT_RANK ? 2 : 3;
    assert_int_equal(st->stage, want);
    seen[st->stage]++;
  }
  assert_int_equal(seen[1], 3); /* max(a), sum(b), count() */
  assert_int_equal(seen[2], 2); /* the two ranks */
  assert_int_equal(seen[3], 2); /* min and max of -rank */
  /* one pass per stage after the first */
  assert_non_null(rc.nat->peers);
  assert_int_equal(rc.nat->nlater, 2);
  assert_non_null(rc.nat->later[0]);
  assert_non_null(rc.nat->later[1]);
  unbuild(&rc);
}

/* A scheme without nesting keeps one stage and one pass. */
static void test_no_nesting_one_stage(void **state) {
  (void)state;
  staged_run rc;
  build(&rc, "flat.rubric",
        "scheme flat \"f\" {\n  total 10\n  input a: count\n"
        "  indicator x \"x\" points 10 { 10 * peers.ratio_to_max(a) }\n}\n");
  assert_int_equal(rc.s->nstages, 1);
  assert_int_equal(rc.s->stats[0].stage, 1);
  assert_int_equal(rc.nat->nlater, 0);
  assert_null(rc.nat->later);
  unbuild(&rc);
}

enum { N = 6 };
static const long long A[N] = {10, 5, 0, 8, 4, 2}, B[N] = {1, 3, 2, 0, 2, 2};
static const int64_t GROUP[N] = {0, 0, 0, 0, 1, 1};

/* Rows in the order ORDER scored; out[col][i] for the i-th given row. */
static void score(staged_run *rc, const int *order, rb_fixed out[][N]) {
  const sc_scheme *s = rc->s;
  rb_fixed a[N], b[N];
  int64_t group[N];
  for (int r = 0; r < N; r++) a[r] = num(A[order[r]]), b[r] = num(B[order[r]]), group[r] = GROUP[order[r]];
  const void **in = cells_table(s, (const rb_fixed *[]){a, b}, N);
  rb_fixed store[8][N], *stats[8];
  assert_true(s->nstats <= 8);
  for (int k = 0; k < s->nstats; k++) stats[k] = store[k];
  scores_peer_stats(rc->nat, in, N, group, 2, stats);
  rb_fixed got[3][N], *outs[] = {got[0], got[1], got[2]};
  assert_int_equal(abi_out_count(s), 3);
  rc->nat->score(in, N, 0, N, (const rb_fixed *const *)stats, outs);
  cells_table_free(s, in);
  for (int k = 0; k < 3; k++)
    for (int r = 0; r < N; r++) out[k][order[r]] = got[k][r];
}

/* By hand. Group 0 (rows 0-3): a_score 10, 5, 0, 8; 10 * share(b) of 6:
   5/3, 5, 10/3, 0; sums 35/3, 10, 10/3, 8 rank 1, 2, 4, 3 of 4: 10, 7.5,
   2.5, 5. share(b) / a divides by row 2's 0: `deep` fails for the group,
   row 2 at its own division, the others at the spoiled statistic. Group 1
   (rows 4, 5): a_score 10, 5; shares 1/2, 1/2: sums 15, 10: 10 and 5;
   share / a = 1/8, 1/4 rank 2, 1: -rank spread over [-2, -1]: 0 and 10. */
static void test_staged_numbers_by_hand(void **state) {
  (void)state;
  staged_run rc;
  build(&rc, "hand.rubric", STAGED);
  int id[N] = {0, 1, 2, 3, 4, 5}, rev[N] = {5, 4, 3, 2, 1, 0};
  rb_fixed out[3][N], back[3][N];
  score(&rc, id, out);
  const char *ranked[N] = {"10", "7.5", "2.5", "5", "10", "5"};
  for (int r = 0; r < N; r++) assert_fixed_equal(out[0][r], fx(ranked[r]));
  for (int r = 0; r < 4; r++) {
    int site = abi_error_site(out[1][r], rc.nat->nsites);
    assert_true(site >= 0);
    assert_int_equal(native_site(rc.nat, site)->kind, r == 2 ? SITE_DIV_ZERO : SITE_PEER);
    assert_false(fixed_is_number(out[2][r])); /* the total fails with its part */
  }
  assert_fixed_equal(out[1][4], 0);
  assert_fixed_equal(out[1][5], num(10));
  assert_fixed_equal(out[2][4], num(10));
  assert_fixed_equal(out[2][5], num(15));
  /* the same numbers, the same failures, in reversed order */
  score(&rc, rev, back);
  for (int k = 0; k < 3; k++)
    for (int r = 0; r < N; r++) assert_true(back[k][r] == out[k][r]);
  unbuild(&rc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stages_by_dependency),
      cmocka_unit_test(test_no_nesting_one_stage),
      cmocka_unit_test(test_staged_numbers_by_hand),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
