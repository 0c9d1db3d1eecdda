/*
** test_check.c — unit tests for the checker (compiler/check.c) through
** compile_file (compiler/compile.c: read, parse with the prelude, check).
** Each scheme is written to a file in a fresh mkdtemp directory, which is
** the working directory during the tests, so messages name it plainly
** ("names.rubric:5:38: error: ..."). Messages are compared as whole lines
** and the error and warning counts exactly, so a cascade fails a test.
** What the checker resolves is inspected on the checked scheme it produces
** (compiler/scheme.h), which is all compile_file keeps.
*/
#include <dirent.h>
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
#include "checked.h"

#include "ast.h"
#include "check.h"
#include "compile.h"
#include "diag.h"
#include "scheme.h"

#ifndef RUBRIC_SOURCE_DIR
#error "RUBRIC_SOURCE_DIR must name the source tree"
#endif
#define CHENGWU RUBRIC_SOURCE_DIR "/examples/chengwu/chengwu_2022.rubric"

extern const unsigned char rubric_prelude[];
extern const size_t rubric_prelude_len;

static int setup_dir(void **state) {
  (void)state;
  return checked_enter("test_check");
}

static int remove_dir(void **state) {
  (void)state;
  return checked_leave();
}

static int count_of(const char *text, const char *needle) {
  int n = 0;
  for (const char *s = strstr(text, needle); s; s = strstr(s + 1, needle)) n++;
  return n;
}

/* ---- the clean case ----------------------------------------------------- */

static void test_chengwu_is_clean(void **state) {
  (void)state;
  checked *c = compile_path(CHENGWU);
  assert_non_null(c->u);
  assert_counts(c, 0, 0);
  assert_int_equal(c->outlen, 0);
  assert_int_equal(c->u->errors, 0);
  assert_int_equal(c->u->nschemes, 1);
  const sc_scheme *s = compile_find_scheme(c->u, NULL);
  assert_non_null(s);
  assert_ptr_equal(s, c->u->schemes[0]);
  assert_string_equal(s->id, "chengwu_2022");
  assert_ptr_equal(compile_find_scheme(c->u, "chengwu_2022"), s);
  assert_null(compile_find_scheme(c->u, "chengwu"));
  checked_free(c);
}

/* What the checker resolved, as the checked scheme (scheme.h) carries it. */
static void test_chengwu_annotations(void **state) {
  (void)state;
  checked *c = compile_path(CHENGWU);
  assert_counts(c, 0, 0);
  const sc_scheme *s = compile_find_scheme(c->u, NULL);
  assert_non_null(s);
  assert_int_equal(s->nperiods, 12);
  assert_string_equal(s->period, "month");
  assert_int_equal(dec_cmp(s->total, dec_from_int(100)), 0);
  /* 16 indicators, 4 items of system_building, 5 of finance_risk */
  assert_int_equal(s->nparts, 25);
  assert_int_equal(s->ninputs, 34);
  for (int i = 0; i < s->nparts; i++) assert_int_equal(s->parts[i]->index, i);
  for (int i = 0; i < s->ninputs; i++) assert_int_equal(s->inputs[i].index, i);
  /* parts in source order, depth first; items are named by their path */
  assert_string_equal(s->parts[0]->path, "city_rank");
  assert_string_equal(s->parts[13]->path, "system_building");
  assert_string_equal(s->parts[14]->path, "system_building.institutions");
  assert_string_equal(s->parts[17]->path, "system_building.funding");
  assert_string_equal(s->parts[18]->path, "innovation");
  assert_string_equal(s->parts[20]->path, "finance_risk.cultivation");
  assert_string_equal(s->parts[24]->path, "finance_risk.no_major_risk");
  assert_ptr_equal(s->parts[20]->parent, s->parts[19]);
  assert_int_equal(s->parts[19]->nchildren, 5);
  assert_int_equal(s->parts[13]->nchildren, 4);
  assert_null(s->parts[19]->score);
  /* the children are the parts that follow, and the scheme's top level is the 16 indicators */
  for (int k = 0; k < 5; k++) assert_ptr_equal(s->parts[19]->children[k], s->parts[20 + k]);
  assert_int_equal(s->ntop, 16);
  assert_ptr_equal(s->top[13], s->parts[13]);
  assert_ptr_equal(s->top[15], s->parts[19]);
  /* blacklist: 'linear between' is lowered to the prelude's interpolate */
  const sc_part *bl = s->parts[2];
  assert_string_equal(bl->id, "blacklist");
  assert_int_equal(bl->score->kind, SX_TIERS);
  assert_true(bl->score->tiers.linear);
  assert_int_equal(bl->score->tiers.n, 2);
  const sc_expr *between = bl->score->tiers.otherwise;
  assert_non_null(between);
  assert_int_equal(between->kind, SX_FORM);
  assert_non_null(between->form.form);
  assert_string_equal(between->form.form->name, "interpolate");
  assert_int_equal(between->form.form->nparams, 5);
  assert_int_equal(between->form.args[1]->kind, SX_NUMBER);
  assert_int_equal(dec_cmp(between->form.args[1]->number, (rb_decimal){3, 3}), 0);
  assert_int_equal(between->form.args[3]->kind, SX_NUMBER);
  assert_int_equal(dec_cmp(between->form.args[3]->number, (rb_decimal){5, 3}), 0);
  /* the let 'share' resolves, and the part reads exactly its two inputs */
  const sc_expr *cond = bl->score->tiers.tier[0].cond;
  assert_int_equal(cond->bin.lhs->kind, SX_LET);
  assert_string_equal(cond->bin.lhs->let->name, "share");
  assert_true(bl->score->tiers.tier[0].test.simple);
  assert_int_equal(bl->nreads, 2);
  const sc_input *se = NULL;
  for (int i = 0; i < s->ninputs; i++)
    if (!strcmp(s->inputs[i].name, "serious_dishonest")) se = &s->inputs[i];
  assert_non_null(se);
  bool reads_se = false;
  for (int i = 0; i < bl->nreads; i++) reads_se |= bl->reads[i] == se->index;
  assert_true(reads_se);
  assert_int_equal(se->type, IN_COUNT);
  /* gov_dishonest calls deduct with named arguments bound in parameter order */
  const sc_expr *call = s->parts[1]->score;
  assert_int_equal(call->kind, SX_FORM);
  assert_string_equal(call->form.form->name, "deduct");
  assert_int_equal(call->form.args[2]->kind, SX_INPUT);
  assert_string_equal(call->form.args[2]->input->name, "gov_defaulters");
  assert_ptr_equal(call->form.args[2]->input, &s->inputs[call->form.args[2]->input->index]);
  /* the examples are resolved: a per-month list, and the total */
  assert_true(s->nexamples > 60);
  const sc_given *g = &s->examples[1].givens[0]; /* city_rank = [10, ..., 9] */
  assert_non_null(g->input);
  assert_string_equal(g->input->name, "city_rank");
  assert_int_equal(g->nvalues, 12);
  assert_true(dec_to_double(g->values[11]) == 9.0 && dec_to_double(g->values[0]) == 10.0);
  checked_free(c);
}

/* ---- names and ids ------------------------------------------------------ */

static void test_unknown_name_did_you_mean(void **state) {
  (void)state;
  checked *c = check_text("names.rubric", "scheme s \"t\" {\n"
                                          "  total 10\n"
                                          "  input gov_defaulters: count\n"
                                          "  indicator a \"a\" points 10 {\n"
                                          "    deduct(full: 10, each: 1, count: gov_defaulter)\n"
                                          "  }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "names.rubric:5:38: error: unknown name 'gov_defaulter': not an input or a 'let' in scope; "
                 "did you mean 'gov_defaulters'?");
  assert_line(c, "      deduct(full: 10, each: 1, count: gov_defaulter)");
  assert_line(c, "                                       ^~~~~~~~~~~~~");
  checked_free(c);
}

static void test_unknown_name_without_suggestion(void **state) {
  (void)state;
  checked *c = check_text("names2.rubric", "scheme s \"t\" {\n"
                                           "  total 10\n"
                                           "  input x: count\n"
                                           "  indicator a \"a\" points 10 {\n"
                                           "    let k = x * 2\n"
                                           "    10 if k > 1, 0 otherwise\n"
                                           "  }\n"
                                           "  indicator b \"b\" points 0 { platform }\n"
                                           "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "names2.rubric:8:30: error: unknown name 'platform': not an input or a 'let' in scope");
  checked_free(c);
  /* a let belongs to its indicator: another indicator cannot see it */
  c = check_text("names3.rubric", "scheme s \"t\" {\n"
                                  "  total 10\n"
                                  "  input x: count\n"
                                  "  indicator a \"a\" points 10 {\n"
                                  "    let k = x * 2\n"
                                  "    10 if k > 1, 0 otherwise\n"
                                  "  }\n"
                                  "  indicator b \"b\" points 0 { k }\n"
                                  "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "names3.rubric:8:30: error: unknown name 'k': not an input or a 'let' in scope; did you mean 'x'?");
  checked_free(c);
}

static void test_duplicate_ids(void **state) {
  (void)state;
  checked *c = check_text("dup.rubric", "scheme s \"t\" {\n"
                                        "  total 10\n"
                                        "  input x: count\n"
                                        "  indicator a \"a\" points 5 { 5 if x > 1, 0 otherwise }\n"
                                        "  indicator a \"b\" points 5 { 5 if x > 1, 0 otherwise }\n"
                                        "}\n"
                                        "scheme s \"again\" {\n"
                                        "  total 1\n"
                                        "  input x: count\n"
                                        "  indicator b \"b\" points 1 { 1 if x > 1, 0 otherwise }\n"
                                        "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "dup.rubric:5:13: error: duplicate id 'a': an indicator on line 4 has it already");
  assert_line(c, "dup.rubric:7:8: error: scheme 's' is already defined on line 1");
  checked_free(c);
}

static void test_duplicate_item_ids(void **state) {
  (void)state;
  /* items are named under their indicator: p.x and q.x are different ids */
  checked *c = check_text("items_dup.rubric", "scheme s \"t\" {\n"
                                              "  total 4\n"
                                              "  input v: number\n"
                                              "  indicator p \"p\" points 2 {\n"
                                              "    item x \"x\" points 1 { v }\n"
                                              "    item x \"y\" points 1 { v }\n"
                                              "  }\n"
                                              "  indicator q \"q\" points 2 {\n"
                                              "    item x \"x\" points 2 { v }\n"
                                              "  }\n"
                                              "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "items_dup.rubric:6:10: error: duplicate id 'x': an item on line 5 has it already");
  checked_free(c);
}

/* ---- points ------------------------------------------------------------- */

static void test_points_short_of_total(void **state) {
  (void)state;
  checked *c = check_text("short.rubric", "scheme s \"t\" {\n"
                                          "  total 100\n"
                                          "  input x: count\n"
                                          "  indicator a \"a\" points 2.4 { 2.4 if x > 1, 0 otherwise }\n"
                                          "  indicator b \"b\" points 4.8 { 4.8 if x > 1, 0 otherwise }\n"
                                          "  indicator c \"c\" points 92.6 { 92.6 if x > 1, 0 otherwise }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "short.rubric:2:9: error: the points of the scheme's categories and indicators add up to 99.8, "
                 "not the declared total 100 (short by 0.2)");
  assert_line(c, "    total 100");
  assert_line(c, "          ^~~");
  checked_free(c);
  c = check_text("over.rubric", "scheme s \"t\" {\n"
                                "  total 10\n"
                                "  input x: count\n"
                                "  indicator a \"a\" points 10.01 { 10 if x > 1, 0 otherwise }\n"
                                "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "over.rubric:2:9: error: the points of the scheme's categories and indicators add up to 10.01, "
                 "not the declared total 10 (over by 0.01)");
  checked_free(c);
}

static void test_points_exact_decimal_sum(void **state) {
  (void)state;
  /* 0.1 + 0.2 = 0.3 exactly; in doubles this sum would miss */
  checked *c = check_text("exact.rubric", "scheme s \"t\" {\n"
                                          "  total 0.3\n"
                                          "  input x: count\n"
                                          "  indicator a \"a\" points 0.1 { 0.1 if x > 1, 0 otherwise }\n"
                                          "  indicator b \"b\" points 0.2 { 0.2 if x > 1, 0 otherwise }\n"
                                          "}\n");
  assert_counts(c, 0, 0);
  checked_free(c);
}

/* The budget holds once per kind: within a category and at the total, each
   message naming the kind; a clean scheme lowers each part's kinds, its
   parts inheriting them (spec/semantics.md#parts-per-kind-of-entity). */
static void test_budget_per_kind(void **state) {
  (void)state;
  checked *c = check_text("kinds.rubric", "scheme s \"t\" {\n"
                                          "  total 100\n"
                                          "  input k: one of { 执法部门, 服务部门, 综合部门 }\n"
                                          "  input x: fraction\n"
                                          "  category own \"个性\" points 60 {\n"
                                          "    indicator a \"a\" points 60 for k 执法部门 { 60 * x }\n"
                                          "    indicator b \"b\" points 55 for k 服务部门 { 55 * x }\n"
                                          "  }\n"
                                          "  indicator all \"共性\" points 40 { 40 * x }\n"
                                          "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "kinds.rubric:5:28: error: for 服务部门 the points of the indicators of category 'own' add up to 55, not "
                 "its 60 points (short by 5)");
  assert_line(c, "kinds.rubric:5:28: error: for 综合部门 the points of the indicators of category 'own' add up to 0, not "
                 "its 60 points (short by 60)");
  checked_free(c);
  c = check_text("kinds_ok.rubric", "scheme s \"t\" {\n"
                                    "  total 100\n"
                                    "  input k: one of { 执法部门, 服务部门, 综合部门 }\n"
                                    "  input x: fraction\n"
                                    "  indicator all \"共性\" points 40 { 40 * x }\n"
                                    "  indicator a \"a\" points 60 for k 执法部门 { 60 * x }\n"
                                    "  category bc \"bc\" points 60 for k 综合部门, 服务部门 {\n"
                                    "    indicator b \"b\" points 60 for k 服务部门 { 60 * x }\n"
                                    "    indicator c \"c\" points 60 for k 综合部门 { 60 * x }\n"
                                    "  }\n"
                                    "  example \"e\" { k = 执法部门; x = 1; expect all = 40; expect a = 60; expect total = 100 }\n"
                                    "  example \"f\" { k = 服务部门; x = 1; expect b = 60; expect bc = 60 }\n"
                                    "  example \"g\" { k = 综合部门; x = 1; expect c = 60 }\n"
                                    "}\n");
  assert_counts(c, 0, 0);
  const sc_scheme *s = c->u->schemes[0];
  assert_ptr_equal(s->kind, &s->inputs[0]);
  const sc_part *a = scheme_find_part(s, "a"), *bc = scheme_find_part(s, "bc"), *b = scheme_find_part(s, "b");
  assert_int_equal(scheme_find_part(s, "all")->nkinds, 0);
  assert_int_equal(a->nkinds, 1);
  assert_int_equal(a->kinds[0], 0);
  assert_int_equal(bc->nkinds, 2); /* sorted label indices */
  assert_int_equal(bc->kinds[0], 1);
  assert_int_equal(bc->kinds[1], 2);
  assert_true(scheme_part_applies(b, 1) && !scheme_part_applies(b, 2) && !scheme_part_applies(b, 0));
  assert_true(scheme_part_applies(scheme_find_part(s, "all"), 2));
  /* x is read by every kind's parts, k is the kind: both needed by all */
  unsigned char need[6];
  scheme_inputs_needed(s, need);
  for (int i = 0; i < 6; i++) assert_int_equal(need[i], 1);
  checked_free(c);
  /* y only by 服务部门's part: the others may leave it empty */
  c = check_text("kinds_need.rubric", "scheme s \"t\" {\n"
                                      "  total 10\n"
                                      "  input k: one of { A, B }\n"
                                      "  input x: fraction\n"
                                      "  input y: fraction\n"
                                      "  input z: count\n"
                                      "  require z >= 0 \"z\"\n"
                                      "  indicator a \"a\" points 10 for k A { 10 * x }\n"
                                      "  indicator b \"b\" points 10 for k B { 10 * y + 0 * x }\n"
                                      "  example \"e\" { k = A; x = 1; y = 0; z = 0; expect a = 10; expect total = 10 }\n"
                                      "  example \"f\" { k = B; x = 0; y = 1; z = 0; expect b = 10 }\n"
                                      "}\n");
  assert_counts(c, 0, 0);
  unsigned char need2[8];
  scheme_inputs_needed(c->u->schemes[0], need2);
  const unsigned char want[8] = {1, 1, 1, 1, 0, 1, 1, 1}; /* k; x; y for A no, for B yes; z (required) */
  assert_memory_equal(need2, want, 8);
  checked_free(c);
  /* a plain scheme is not touched: no kind input */
  c = check_text("plain.rubric", "scheme s \"t\" {\n  total 4\n  input x: count\n"
                                 "  indicator a \"a\" points 4 { min(4, x) }\n"
                                 "  example \"e\" { x = 1; expect a = 1 }\n}\n");
  assert_counts(c, 0, 0);
  assert_null(c->u->schemes[0]->kind);
  checked_free(c);
}

static void test_items_do_not_add_up(void **state) {
  (void)state;
  checked *c = check_text("items.rubric", "scheme s \"t\" {\n"
                                          "  total 2.8\n"
                                          "  input x: number\n"
                                          "  indicator sys \"s\" points 2.8 {\n"
                                          "    item a \"a\" points 0.7 { x }\n"
                                          "    item b \"b\" points 0.7 { x }\n"
                                          "    item c \"c\" points 0.7 { x }\n"
                                          "  }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "items.rubric:4:28: error: the points of the items of indicator 'sys' add up to 2.1, "
                 "not its 2.8 points (short by 0.7)");
  checked_free(c);
}

static void test_category_does_not_add_up(void **state) {
  (void)state;
  checked *c = check_text("cat.rubric", "scheme s \"t\" {\n"
                                        "  total 15\n"
                                        "  input x: count\n"
                                        "  category k \"k\" points 15 {\n"
                                        "    indicator a \"a\" points 6 { 6 if x > 1, 0 otherwise }\n"
                                        "    indicator b \"b\" points 10 { 10 if x > 1, 0 otherwise }\n"
                                        "  }\n"
                                        "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "cat.rubric:4:25: error: the points of the indicators of category 'k' add up to 16, "
                 "not its 15 points (over by 1)");
  checked_free(c);
}

/* ---- inputs, types and units -------------------------------------------- */

static void test_unknown_input_type(void **state) {
  (void)state;
  checked *c = check_text("type.rubric", "scheme s \"t\" {\n"
                                         "  total 2\n"
                                         "  input x: cout\n"
                                         "  indicator a \"a\" points 2 { min(x, 2) }\n"
                                         "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "type.rubric:3:12: error: unknown input type 'cout' (use count, number, fraction, money, rank, yesno, "
                 "assessed or one of { ... }); did you mean 'count'?");
  checked_free(c);
}

static void test_yesno_in_arithmetic(void **state) {
  (void)state;
  checked *c = check_text("yesno.rubric", "scheme s \"t\" {\n"
                                          "  total 2\n"
                                          "  input x: number\n"
                                          "  input ok: yesno\n"
                                          "  indicator a \"a\" points 2 { x + ok }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "yesno.rubric:5:34: error: 'ok' is a yes/no input and '+' needs a number: "
                 "write e.g. '1 if ok, 0 otherwise'");
  checked_free(c);
}

static void test_fraction_vs_bare_number_warns(void **state) {
  (void)state;
  checked *c = check_text("frac.rubric", "scheme s \"t\" {\n"
                                         "  total 2\n"
                                         "  input share: fraction\n"
                                         "  indicator b \"b\" points 2 { 2 if share < 0.3, 0 otherwise }\n"
                                         "}\n");
  assert_counts(c, 0, 1); /* a warning, not an error */
  assert_non_null(strstr(c->out, "frac.rubric:4:35: warning: a fraction is compared with the bare number 0.3"));
  assert_int_equal(count_of(c->out, "0.3%"), 1); /* the message offers the percent reading */
  checked_free(c);
  /* 0.3% and the bare 1 say what they mean: no warning */
  c = check_text("frac2.rubric", "scheme s \"t\" {\n"
                                 "  total 2\n"
                                 "  input share: fraction\n"
                                 "  indicator b \"b\" points 2 { 2 if share < 0.3%, 1 if share == 1, 0 otherwise }\n"
                                 "}\n");
  assert_counts(c, 0, 0);
  checked_free(c);
}

static void test_money_vs_count_is_error(void **state) {
  (void)state;
  checked *c = check_text("units.rubric", "scheme s \"t\" {\n"
                                          "  total 2\n"
                                          "  input loans: money\n"
                                          "  input firms: count\n"
                                          "  indicator c \"c\" points 2 { 2 if loans > firms, 0 otherwise }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_non_null(strstr(c->out, "units.rubric:5:35: error: cannot compare "));
  assert_non_null(strstr(c->out, "money"));
  assert_non_null(strstr(c->out, "count"));
  checked_free(c);
  /* a share of two counts is a fraction, and money per money is too */
  c = check_text("units2.rubric", "scheme s \"t\" {\n"
                                  "  total 2\n"
                                  "  input loans: money\n"
                                  "  input firms: count\n"
                                  "  input all: count at least 1\n"
                                  "  indicator c \"c\" points 2 { 2 if firms / all > 3%, 0 otherwise }\n"
                                  "  indicator d \"d\" points 0 { 0 if loans > 3亿, 0 otherwise }\n"
                                  "}\n");
  assert_counts(c, 0, 0);
  checked_free(c);
}

/* ---- tiers -------------------------------------------------------------- */

static void test_tiers_gap_without_otherwise(void **state) {
  (void)state;
  checked *c = check_text("gap.rubric", "scheme s \"t\" {\n"
                                        "  total 4\n"
                                        "  input x: count\n"
                                        "  indicator gap \"a\" points 4 { 4 if x >= 20, 2 if x > 10, 0 if x < 5 }\n"
                                        "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "gap.rubric:4:32: error: these tiers leave values of 'x' in [5, 10] without a score: add an "
                 "'otherwise' (e.g. '0 otherwise' or 'undefined otherwise')");
  checked_free(c);
  /* a gap below every tier */
  c = check_text("gap2.rubric", "scheme s \"t\" {\n"
                                "  total 4\n"
                                "  input share: fraction\n"
                                "  indicator g \"a\" points 4 { 4 if share >= 0.5%, 2 if share >= 0.3% }\n"
                                "}\n");
  assert_counts(c, 1, 0);
  /* a share is 0 or more: the gap starts at 0 */
  assert_non_null(strstr(c->out, "gap2.rubric:4:30: error: these tiers leave values of 'share' in [0, 0.003) "));
  checked_free(c);
  /* a gap of one value */
  c = check_text("gap3.rubric", "scheme s \"t\" {\n"
                                "  total 4\n"
                                "  input x: count\n"
                                "  indicator g \"a\" points 4 { 4 if x < 5, 2 if x > 5 }\n"
                                "}\n");
  assert_counts(c, 1, 0);
  assert_non_null(strstr(c->out, "gap3.rubric:4:30: error: these tiers leave values of 'x' in [5, 5] without a score"));
  checked_free(c);
  /* tiers that cover every value need no otherwise */
  c = check_text("nogap.rubric", "scheme s \"t\" {\n"
                                 "  total 4\n"
                                 "  input x: count\n"
                                 "  indicator g \"a\" points 4 { 4 if x >= 20, 2 if x >= 10, 1 if x == 5, 0 if x < 10 }\n"
                                 "}\n");
  assert_counts(c, 0, 0);
  checked_free(c);
}

/* `and` between comparisons of inputs: checked case by case (cases.c). */
static void test_tiers_with_and_name_the_case_left(void **state) {
  (void)state;
  checked *c = check_text("noother.rubric", "scheme s \"t\" {\n"
                                            "  total 10\n"
                                            "  input x: count\n"
                                            "  indicator a \"a\" points 10 { 10 if x < 5, 5 if x >= 5 and x < 10 }\n"
                                            "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "noother.rubric:4:31: error: these tiers leave the case x = 10 without a score: add an 'otherwise' "
                 "(e.g. '0 otherwise' or 'undefined otherwise')");
  checked_free(c);
}

/* A computed value in a compound condition: no case analysis, so `otherwise` is needed. */
static void test_tiers_without_otherwise_not_analysable(void **state) {
  (void)state;
  checked *c = check_text("noother.rubric", "scheme s \"t\" {\n"
                                            "  total 10\n"
                                            "  input x: count\n"
                                            "  input y: count at least 1\n"
                                            "  indicator a \"a\" points 10 { 10 if x - y < 5, 5 if x - y >= 5 and x > 1 }\n"
                                            "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "noother.rubric:5:31: error: these tiers have no 'otherwise': say what scores when no tier applies "
                 "(e.g. '0 otherwise', or 'undefined otherwise')");
  checked_free(c);
}

static void test_tiers_unreachable(void **state) {
  (void)state;
  checked *c = check_text("unreach.rubric", "scheme s \"t\" {\n"
                                            "  total 4\n"
                                            "  input x: count\n"
                                            "  indicator u \"b\" points 4 { 4 if x > 10, 2 if x > 20, 0 otherwise }\n"
                                            "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "unreach.rubric:4:48: error: this tier can never apply: every value of 'x' it matches is taken by an "
                 "earlier tier or outside its range (are the tiers out of order?)");
  checked_free(c);
  /* ascending thresholds with <= and equalities on distinct values are all reachable */
  c = check_text("reach.rubric", "scheme s \"t\" {\n"
                                 "  total 10\n"
                                 "  input x: count\n"
                                 "  indicator u \"b\" points 10 { 10 if x <= 10, 5 if x <= 20, 0 otherwise }\n"
                                 "  indicator v \"c\" points 0 { 0 if x == 1, 0 if x == 2, 0 otherwise }\n"
                                 "}\n");
  assert_counts(c, 0, 0);
  checked_free(c);
  /* x == 15 lies inside x > 10 */
  c = check_text("unreach2.rubric", "scheme s \"t\" {\n"
                                    "  total 4\n"
                                    "  input x: count\n"
                                    "  indicator u \"b\" points 4 { 4 if x > 10, 2 if x == 15, 0 otherwise }\n"
                                    "}\n");
  assert_counts(c, 1, 0);
  assert_non_null(strstr(c->out, "unreach2.rubric:4:48: error: this tier can never apply"));
  checked_free(c);
}

static void test_otherwise_never_applies_warns(void **state) {
  (void)state;
  checked *c = check_text("other.rubric", "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  indicator a \"a\" points 4 { 4 if x > 1, 0 if x <= 1, 0 otherwise }\n"
                                          "}\n");
  assert_counts(c, 0, 1);
  assert_line(c, "other.rubric:4:55: warning: 'otherwise' can never apply: the tiers above cover every value of 'x'");
  checked_free(c);
}

static void test_linear_between_three_tiers(void **state) {
  (void)state;
  checked *c = check_text("lin3.rubric",
                          "scheme s \"t\" {\n"
                          "  total 4\n"
                          "  input share: fraction\n"
                          "  indicator c \"c\" points 4 { 4 if share < 1%, 2 if share < 2%, 0 if share > 3%, linear between }\n"
                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "lin3.rubric:4:81: error: 'linear between' joins exactly two tiers; this list has 3");
  checked_free(c);
}

static void test_linear_between_same_side(void **state) {
  (void)state;
  checked *c = check_text("lin_same.rubric",
                          "scheme s \"t\" {\n"
                          "  total 4\n"
                          "  input share: fraction\n"
                          "  indicator d \"d\" points 4 { 4 if share < 1%, 0 if share < 3%, linear between }\n"
                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "lin_same.rubric:4:52: error: 'linear between' needs one tier below a threshold and one above it; "
                 "both tiers here are below");
  checked_free(c);
  c = check_text("lin_same2.rubric",
                 "scheme s \"t\" {\n"
                 "  total 4\n"
                 "  input share: fraction\n"
                 "  indicator d \"d\" points 4 { 4 if share >= 3%, 0 if share > 1%, linear between }\n"
                 "}\n");
  assert_counts(c, 1, 0);
  assert_non_null(strstr(c->out, "both tiers here are above"));
  checked_free(c);
}

static void test_linear_between_overlapping(void **state) {
  (void)state;
  checked *c = check_text("lin_over.rubric",
                          "scheme s \"t\" {\n"
                          "  total 4\n"
                          "  input share: fraction\n"
                          "  indicator e \"e\" points 4 { 0 if share < 5%, 4 if share > 3%, linear between }\n"
                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "lin_over.rubric:4:52: error: tiers out of order: the lower tier ends at 0.05 and the upper one "
                 "starts at 0.03, so nothing lies between");
  checked_free(c);
  /* the same threshold on both sides leaves nothing between either */
  c = check_text("lin_eq.rubric",
                 "scheme s \"t\" {\n"
                 "  total 4\n"
                 "  input share: fraction\n"
                 "  indicator e \"e\" points 4 { 0 if share < 3%, 4 if share > 3%, linear between }\n"
                 "}\n");
  assert_counts(c, 1, 0);
  assert_non_null(strstr(c->out, "tiers out of order: the lower tier ends at 0.03 and the upper one starts at 0.03"));
  checked_free(c);
}

static void test_linear_between_different_values(void **state) {
  (void)state;
  checked *c = check_text("lin_diff.rubric",
                          "scheme s \"t\" {\n"
                          "  total 4\n"
                          "  input a: fraction\n"
                          "  input b: fraction\n"
                          "  indicator e \"e\" points 4 { 0 if a < 3%, 4 if b > 5%, linear between }\n"
                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "lin_diff.rubric:5:48: error: 'linear between' needs both tiers to test the same value: "
                 "'a' and 'b' differ");
  checked_free(c);
}

static void test_linear_between_needs_prelude(void **state) {
  (void)state;
  /* check_file without the prelude: interpolate is missing */
  const char *text = "scheme s \"t\" {\n"
                     "  total 4\n"
                     "  input a: fraction\n"
                     "  indicator e \"e\" points 4 { 0 if a < 3%, 4 if a > 5%, linear between }\n"
                     "}\n";
  rb_source *src = source_from_text("p.rubric", text, strlen(text));
  rb_arena *arena = arena_new();
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  rb_diags d;
  diag_init(&d, f);
  ast_file *file = parse_source(src, arena, &d);
  rb_arena *sarena = arena_new(); /* the checked schemes' */
  check_out checked_out = {.arena = sarena};
  assert_int_equal(check_file(file, NULL, arena, &d, &checked_out), 1);
  assert_int_equal(checked_out.nschemes, 0); /* a scheme with errors is not lowered */
  fclose(f);
  if (!strstr(out, "p.rubric:4:56: error[R0606]: 'linear between' needs the prelude form interpolate(x, x0, y0, x1, y1)\n"))
    fail_msg("unexpected output:\n%s", out);
  free(out);
  /* and with the embedded prelude it checks */
  out = NULL;
  f = open_memstream(&out, &len);
  diag_init(&d, f);
  rb_source *psrc = source_from_text("<prelude>", (const char *)rubric_prelude, rubric_prelude_len);
  ast_file *prelude = parse_source(psrc, arena, &d);
  assert_non_null(prelude->forms);
  rb_arena *arena2 = arena_new();
  ast_file *file2 = parse_source(src, arena2, &d);
  check_out checked_out2 = {.arena = sarena};
  assert_int_equal(check_file(file2, prelude, arena2, &d, &checked_out2), 0);
  fclose(f);
  assert_int_equal(d.errors, 0);
  free(out);
  /* the clean scheme is lowered, its `linear between` a call of interpolate */
  assert_int_equal(checked_out2.nschemes, 1);
  const sc_scheme *s = checked_out2.schemes[0];
  assert_string_equal(s->id, "s");
  assert_int_equal(s->nparts, 1);
  const sc_expr *score = s->parts[0]->score;
  assert_int_equal(score->kind, SX_TIERS);
  assert_true(score->tiers.linear);
  assert_non_null(score->tiers.otherwise);
  assert_int_equal(score->tiers.otherwise->kind, SX_FORM);
  assert_string_equal(score->tiers.otherwise->form.form->name, "interpolate");
  arena_free(arena2);
  arena_free(arena);
  arena_free(sarena);
  source_free(psrc);
  source_free(src);
}

static void test_per_period_score_not_reduced(void **state) {
  (void)state;
  checked *c = check_text("period.rubric", "scheme s \"t\" {\n"
                                           "  total 4\n"
                                           "  period month 1 to 12\n"
                                           "  input r: rank per month\n"
                                           "  indicator p \"f\" points 4 { 4 if r <= 10, 0 otherwise }\n"
                                           "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "period.rubric:5:30: error: this score has one value per period; reduce it to one with sum(...), "
                 "mean(...), max(...) or count(...)");
  checked_free(c);
  /* reduced: fine */
  c = check_text("period2.rubric", "scheme s \"t\" {\n"
                                   "  total 4\n"
                                   "  period month 1 to 12\n"
                                   "  input r: rank per month\n"
                                   "  indicator p \"f\" points 4 { 4 if mean(r) <= 10, 0 otherwise }\n"
                                   "}\n");
  assert_counts(c, 0, 0);
  checked_free(c);
}

/* ---- examples ----------------------------------------------------------- */

static void test_example_errors(void **state) {
  (void)state;
  checked *c = check_text("ex.rubric", "scheme s \"t\" {\n"
                                       "  total 8\n"
                                       "  input x: count\n"
                                       "  input y: count\n"
                                       "  indicator a \"a\" points 4 { 4 if x > 1, 0 otherwise }\n"
                                       "  indicator b \"b\" points 4 { 4 if y > 1, 0 otherwise }\n"
                                       "  example \"e1\" { z = 3; expect a = 4 }\n"
                                       "  example \"e2\" { x = 3; expect b = 4 }\n"
                                       "  example \"e3\" { x = 3; expect c = 4 }\n"
                                       "  example \"ok\" { x = 3; y = 0; expect a = 4; expect b = 0; expect total = 4 }\n"
                                       "}\n");
  assert_counts(c, 4, 0);
  assert_line(c, "ex.rubric:7:18: error: example gives 'z', which is not an input of scheme 's'; did you mean 'x'?");
  assert_line(c, "ex.rubric:7:32: error: to check 'a' the example must give 'x'");
  assert_line(c, "ex.rubric:8:32: error: to check 'b' the example must give 'y'");
  assert_line(c, "ex.rubric:9:32: error: example expects 'c', which is not an indicator of scheme 's'; "
                 "did you mean 'a'?");
  checked_free(c);
}

/* Peer statistics over other statistics check (staged passes); an example
   gives the outer statistic as written and the inner ones the entity's own
   value reads; a per-period value inside is still refused. */
static void test_nested_peer_statistics(void **state) {
  (void)state;
  checked *c = check_text("nested.rubric",
                          "scheme s \"t\" {\n"
                          "  total 10\n"
                          "  period month 1 to 2\n"
                          "  input a: count\n"
                          "  input b: count\n"
                          "  input m: count per month\n"
                          "  indicator x \"x\" points 10 {\n"
                          "    let a_score = 10 * peers.ratio_to_max(a)\n"
                          "    10 * peers.rank_ratio(a_score + 10 * peers.share(b))\n"
                          "  }\n"
                          "  example \"e\" {\n"
                          "    a = 5; b = 1; peers.rank(a_score + 10 * peers.share(b)) = 2; peers.count() = 4\n"
                          "    peers.max(a) = 10\n"
                          "    expect x = 7.5\n"
                          "  }\n"
                          "  target t \"t\" { peers.rank(peers.share(m)) <= 2 }\n"
                          "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "nested.rubric:14:12: error: to check 'x' the example must give 'peers.sum(b)'");
  assert_line(c, "nested.rubric:16:41: error: 'peers.share' compares one value per entity, and this has one per "
                 "period: reduce it first, e.g. mean(...)");
  checked_free(c);
}

static void test_example_total_needs_every_input(void **state) {
  (void)state;
  checked *c = check_text("ex_total.rubric", "scheme s \"t\" {\n"
                                             "  total 8\n"
                                             "  input x: count\n"
                                             "  input y: count\n"
                                             "  indicator a \"a\" points 4 { 4 if x > 1, 0 otherwise }\n"
                                             "  indicator b \"b\" points 4 { 4 if y > 1, 0 otherwise }\n"
                                             "  example \"e\" { x = 3; expect total = 4 }\n"
                                             "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "ex_total.rubric:7:31: error: to check 'total' the example must give 'y'");
  checked_free(c);
}

static void test_example_values(void **state) {
  (void)state;
  checked *c = check_text("ex_vals.rubric", "scheme s \"t\" {\n"
                                            "  total 4\n"
                                            "  period month 1 to 3\n"
                                            "  input x: count\n"
                                            "  input m: rank per month\n"
                                            "  indicator e \"e\" points 4 { 4 if mean(m) < 3 and x > 0, 0 otherwise }\n"
                                            "  example \"l\" { m = [1, 2]; x = 1.5; expect e = 4 }\n"
                                            "  example \"k\" { m = [1, 2, 3]; x = 2; expect e = 4 }\n"
                                            "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "ex_vals.rubric:7:21: error: 'm' needs 3 values, one per month; this list has 2");
  assert_line(c, "ex_vals.rubric:7:33: error: 'x' is not a count (a whole number, 0 or more)");
  checked_free(c);
}

/* ---- forms -------------------------------------------------------------- */

static void test_form_unknown_named_argument(void **state) {
  (void)state;
  checked *c = check_text("form1.rubric", "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  indicator a \"a\" points 4 { deduct(full: 4, each: 1, cont: x) }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "form1.rubric:4:55: error: form 'deduct' has no parameter 'cont'; did you mean 'count'?");
  checked_free(c);
}

static void test_form_missing_argument(void **state) {
  (void)state;
  checked *c = check_text("form2.rubric", "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  indicator b \"b\" points 4 { deduct(full: 4, each: 1) }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "form2.rubric:4:30: error: form 'deduct' needs a value for 'count'");
  checked_free(c);
  /* and one given twice, and too many positional ones */
  c = check_text("form2b.rubric", "scheme s \"t\" {\n"
                                  "  total 8\n"
                                  "  input x: count\n"
                                  "  indicator b \"b\" points 4 { deduct(full: 4, full: 4, each: 1, count: x) }\n"
                                  "  indicator c \"c\" points 4 { deduct(4, 1, x, 2) }\n"
                                  "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "form2b.rubric:4:46: error: parameter 'full' of form 'deduct' is given twice");
  assert_line(c, "form2b.rubric:5:46: error: too many arguments: form 'deduct' takes 3");
  checked_free(c);
}

static void test_form_recursion(void **state) {
  (void)state;
  checked *c = check_text("form3.rubric", "form loop(x) = loop(x) + 1\n"
                                          "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  indicator c \"c\" points 4 { loop(x) }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "form3.rubric:1:16: error: form 'loop' calls itself; forms cannot be recursive");
  assert_line(c, "form3.rubric:5:30: note: in the form 'loop' used here");
  checked_free(c);
  /* through another form */
  c = check_text("form4.rubric", "form ping(x) = pong(x)\n"
                                 "form pong(y) = ping(y) * 2\n"
                                 "scheme s \"t\" {\n"
                                 "  total 4\n"
                                 "  input x: count\n"
                                 "  indicator c \"c\" points 4 { ping(x) }\n"
                                 "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "form4.rubric:2:16: error: form 'ping' calls itself; forms cannot be recursive");
  checked_free(c);
}

static void test_form_sees_only_parameters(void **state) {
  (void)state;
  checked *c = check_text("form5.rubric", "form bonus(v) = v + x\n"
                                          "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  indicator c \"c\" points 4 { bonus(x) }\n"
                                          "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "form5.rubric:1:21: error: unknown name 'x' in form 'bonus' (a form sees only its parameters); "
                 "did you mean 'v'?");
  checked_free(c);
}

/* ---- files -------------------------------------------------------------- */

static void test_missing_and_empty_files(void **state) {
  (void)state;
  checked *c = compile_path("no_such.rubric");
  assert_null(c->u);
  assert_int_equal(c->d.errors, 1);
  assert_non_null(strstr(c->out, "no_such.rubric: error: cannot open: "));
  checked_free(c);
  c = check_text("empty.rubric", "  \n\n");
  assert_counts(c, 1, 0);
  assert_line(c, "empty.rubric: error: the file is empty (expected a scheme)");
  assert_null(compile_find_scheme(c->u, NULL));
  assert_int_equal(c->u->nschemes, 0);
  assert_int_equal(c->u->errors, 1);
  checked_free(c);
}

static void test_syntax_error_does_not_pile_on(void **state) {
  (void)state;
  /* one syntax error in an indicator: its points and the total are not re-reported */
  checked *c = check_text("syn.rubric", "scheme s \"t\" {\n"
                                        "  total 10\n"
                                        "  input a: count\n"
                                        "  indicator x \"x\" points 10 {\n"
                                        "    10 if a > 3 0 otherwise\n"
                                        "  }\n"
                                        "}\n");
  assert_counts(c, 1, 0);
  assert_non_null(strstr(c->out, "syn.rubric:5:17: error: syntax error: unexpected number"));
  checked_free(c);
}

static void test_unused_input_warns_when_clean(void **state) {
  (void)state;
  checked *c = check_text("unused.rubric", "scheme s \"t\" {\n"
                                           "  total 2\n"
                                           "  input x: count\n"
                                           "  input spare: count\n"
                                           "  indicator a \"a\" points 2 { 2 if x > 1, 0 otherwise }\n"
                                           "}\n");
  assert_counts(c, 0, 1);
  assert_line(c, "unused.rubric:4:9: warning: input 'spare' is never used");
  checked_free(c);
}

/* Regression (was a bug): the checks on form declarations (check_file: "parameter '%s' appears
   twice", "'%s' is a built-in function; choose another form name") run only
   over the file's top-level forms. A form declared inside a scheme gets
   neither: `form dbl(a, a) = a * 2` is accepted (a call binds both slots and
   the body silently reads the first), and `form max(a, b) = a` is accepted
   and then never called, because built-ins are looked up first. */
static void test_scheme_form_declaration_checks(void **state) {
  (void)state;
  checked *c = check_text("sform.rubric", "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  form dbl(a, a) = a * 2\n"
                                          "  form max(a, b) = a\n"
                                          "  indicator c \"c\" points 4 { min(dbl(x, 1), 4) }\n"
                                          "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "sform.rubric:4:15: error: parameter 'a' appears twice");
  assert_line(c, "sform.rubric:5:8: error: 'max' is a built-in function; choose another form name");
  checked_free(c);
}

static void test_file_form_declaration_checks(void **state) {
  (void)state;
  checked *c = check_text("fform.rubric", "form twice(a, a) = a * 2\n"
                                          "form min(a, b) = a\n"
                                          "scheme s \"t\" {\n"
                                          "  total 4\n"
                                          "  input x: count\n"
                                          "  indicator c \"c\" points 4 { min(x, 4) }\n"
                                          "}\n");
  assert_counts(c, 2, 0);
  assert_line(c, "fform.rubric:1:15: error: parameter 'a' appears twice");
  assert_line(c, "fform.rubric:2:6: error: 'min' is a built-in function; choose another form name");
  checked_free(c);
}

/* Regression (was a bug): dec_format (compiler/decimal.c) formats into a 160-byte stack buffer,
   and the checker formats literals in its messages; a long literal such as
   0.000…0001 with 200 zeros compared with a fraction makes
   check_fraction_literal overflow that buffer (AddressSanitizer:
   stack-buffer-overflow in dec_format). See test_decimal.c. */
static void test_long_literal_in_warning(void **state) {
  (void)state;
  char text[1024] = "scheme s \"t\" {\n  total 2\n  input share: fraction\n"
                    "  indicator b \"b\" points 2 { 2 if share < 0.";
  for (int i = 0; i < 200; i++) strcat(text, "0");
  strcat(text, "1, 0 otherwise }\n}\n");
  checked *c = check_text("long.rubric", text);
  /* 201 decimals: more than a number holds (18), one error quoting it all */
  assert_counts(c, 1, 0);
  checked_free(c);
  /* 18 decimals is a number: the warning about a bare number against a
     fraction formats it in full */
  char fits[1024] = "scheme s \"t\" {\n  total 2\n  input share: fraction\n"
                    "  indicator b \"b\" points 2 { 2 if share < 0.000000000000000001, 0 otherwise }\n}\n";
  c = check_text("fits.rubric", fits);
  assert_counts(c, 0, 1);
  checked_free(c);
}

/* ---- grades with vetoes ------------------------------------------------- */

/* A veto band keeps its whole condition, the subject as SX_SUBJECT, and the
   grade the inputs its bands test; a grade of intervals alone is unchanged. */
static void test_veto_bands_lowered(void **state) {
  (void)state;
  checked *c = check_text("veto.rubric", "scheme s \"s\" {\n"
                                          "  total 100\n"
                                          "  input a: number in [0, 100] \"a\"\n"
                                          "  input v: yesno missing no \"v\"\n"
                                          "  input n: count missing 0 \"n\"\n"
                                          "  indicator x \"x\" points 100 { a }\n"
                                          "  grade g \"g\" on total {\n"
                                          "    \"A\" if total >= 60 and not v and n == 0\n"
                                          "    \"B\" if total < 60 or v or n > 0\n"
                                          "  }\n"
                                          "  grade h \"h\" on x { \"P\" if x >= 60; \"F\" if x < 60 }\n"
                                          "}\n");
  assert_counts(c, 0, 0);
  const sc_scheme *s = c->u->schemes[0];
  const sc_grade *g = &s->grades[0], *h = &s->grades[1];
  assert_true(g->conditional);
  assert_int_equal(g->nreads, 2);
  assert_string_equal(s->inputs[g->reads[0]].name, "v");
  assert_string_equal(s->inputs[g->reads[1]].name, "n");
  assert_non_null(g->bands[0].when);
  assert_int_equal(g->bands[1].when->kind, SX_BINARY);
  const sc_expr *lhs = g->bands[0].when;
  while (lhs->kind == SX_BINARY) lhs = lhs->bin.lhs;
  assert_int_equal(lhs->kind, SX_SUBJECT);
  assert_false(h->conditional);
  assert_null(h->bands[0].when);
  assert_true(h->bands[0].has_lo && !h->bands[0].has_hi);
  checked_free(c);
}

/* Every case of the subject and the inputs: a gap and an overlap each named
   by their first case, a band no case meets, a label refused. */
static void test_veto_bands_cover_every_case(void **state) {
  (void)state;
  checked *c = check_text("veto_bad.rubric", "scheme s \"s\" {\n"
                                              "  total 100\n"
                                              "  input a: number in [0, 100] \"a\"\n"
                                              "  input v: yesno missing no \"v\"\n"
                                              "  indicator x \"x\" points 100 { a }\n"
                                              "  grade gap \"g\" on total { \"A\" if total >= 60 and not v; \"B\" if total < 60 }\n"
                                              "  grade two \"t\" on total { \"A\" if total >= 60; \"B\" if total < 60 or v }\n"
                                              "  grade never \"n\" on x { \"A\" if x >= 60 or v; \"B\" if x < 60 and not v; \"C\" if v and not v }\n"
                                              "}\n");
  assert_counts(c, 3, 0);
  assert_non_null(strstr(c->out, "leave the case total = 60 and v = yes without a grade"));
  assert_non_null(strstr(c->out, "bands \"A\" and \"B\" both apply when total = 60 and v = yes"));
  assert_non_null(strstr(c->out, "band \"C\" can never apply"));
  checked_free(c);
}

/* ---- extends ---------------------------------------------------------------- */

static const char extends_base[] =
    "scheme y2021 \"2021年度\" {\n"
    "  total 10\n"
    "  input a: count \"甲\"\n"
    "  input b: count \"乙\"\n"
    "  category basics \"基础\" points 6 {\n"
    "    indicator ia \"甲\" points 3 { min(3, a) }\n"
    "    indicator ib \"乙\" points 3 { min(3, b) }\n"
    "  }\n"
    "  indicator ic \"丙\" points 4 { 4 if a > 1, 0 otherwise }\n"
    "  example \"一\" { a = 2; b = 1; expect ia = 2; expect ib = 1; expect ic = 4 }\n"
    "}\n";

/* A replaced part keeps its place (its column), an added one comes last, a
   dropped one is gone with what inherited examples expected of it; a new
   let is placed before the replacement that reads it. */
static void test_extends_merges_in_place(void **state) {
  (void)state;
  checked *c = check_text("base.rubric", extends_base);
  checked_free(c);
  c = check_text("ext.rubric", "scheme y2022 \"2022年度\" extends y2021 in \"base.rubric\" {\n"
                               "  let half = b / 2\n"
                               "  indicator ib \"乙（2022）\" points 3 { min(3, half) }\n"
                               "  drop ic\n"
                               "  indicator iz \"丁\" points 4 { min(4, a + b) }\n"
                               "  example \"二\" { a = 1; b = 4; expect ib = 2; expect iz = 4 }\n"
                               "}\n");
  assert_counts(c, 0, 0);
  const sc_scheme *s = compile_find_scheme(c->u, "y2022");
  assert_non_null(s);
  assert_int_equal(s->nparts, 4);
  assert_string_equal(s->parts[0]->id, "basics");
  assert_string_equal(s->parts[1]->id, "ia");
  assert_string_equal(s->parts[2]->id, "ib");
  assert_string_equal(s->parts[2]->title, "乙（2022）");
  assert_string_equal(s->parts[3]->id, "iz");
  assert_string_equal(s->parts[1]->loc.src->path, "base.rubric"); /* inherited: its place is in the base */
  assert_string_equal(s->parts[2]->loc.src->path, "ext.rubric");
  assert_int_equal(c->u->nbases, 1);
  checked_free(c);
}

/* The merged scheme is checked as a whole: a message about an inherited
   declaration points into the base's file; the extension's own mistakes
   and a base that is missing or circular are reported once, at the clause. */
static void test_extends_errors(void **state) {
  (void)state;
  checked *c = check_text("base.rubric", extends_base);
  checked_free(c);
  c = check_text("over.rubric", "scheme y2022 \"2022年度\" extends y2021 in \"base.rubric\" {\n"
                                "  indicator iz \"丁\" points 4 { min(4, a + b) }\n"
                                "  example \"二\" { a = 1; b = 4; expect iz = 4 }\n"
                                "}\n");
  assert_line(c, "base.rubric:2:9: error: the points of the scheme's categories and indicators add up to 14, not "
                 "the declared total 10 (over by 4)");
  assert_counts(c, 1, 0);
  checked_free(c);
  c = check_text("bad.rubric", "scheme a \"甲\" extends b { total 1 }\n"
                               "scheme b \"乙\" extends a { total 1 }\n"
                               "scheme c \"丙\" extends y2021 in \"nowhere.rubric\" { total 1 }\n"
                               "scheme d \"丁\" extends y2012 in \"base.rubric\" { total 1 }\n"
                               "scheme e \"戊\" extends y2021 in \"base.rubric\" {\n"
                               "  indicator basics \"基础\" points 6 { 6 }\n"
                               "}\n"
                               "scheme f \"己\" extends y2021 in \"base.rubric\" {\n  drop ie\n}\n"
                               "scheme g \"庚\" extends e { total 1 }\n");
  assert_line(c, "bad.rubric:2:22: error: scheme 'a' extends itself: a → b → a");
  assert_line(c, "bad.rubric:1:22: error: scheme 'b' extends itself: b → a → b");
  assert_line(c, "bad.rubric:3:31: error: cannot read the base file 'nowhere.rubric': No such file or directory");
  assert_line(c, "bad.rubric:4:22: error: no scheme 'y2012' in 'base.rubric' to extend; did you mean 'y2021'?");
  assert_line(c, "bad.rubric:6:13: error: 'basics' is a category in the base scheme 'y2021'; a replacement is of "
                 "the same kind");
  assert_line(c, "bad.rubric:9:8: error: the base scheme 'y2021' has no part, target or grade 'ie' to drop; did you "
                 "mean 'ia'?");
  assert_counts(c, 6, 0); /* g extends e, whose mistake is said once */
  assert_int_equal(c->u->nschemes, 0);
  checked_free(c);
  c = check_text("drop.rubric", "scheme s \"甲\" {\n  total 1\n  drop x\n  indicator i \"i\" points 1 { 1 }\n"
                                "  example \"e\" { expect i = 1 }\n}\n");
  assert_line(c, "drop.rubric:3:3: error: 'drop' belongs in a scheme that extends another");
  assert_counts(c, 1, 0);
  checked_free(c);
}


/* A form declared in a scheme reads the scheme's inputs (never its lets) and
   may use `undefined`; the parts that call it read those inputs, through
   other forms too. A file-level form still sees its parameters only. */
static void test_scheme_form_reads_inputs(void **state) {
  (void)state;
  checked *c = check_text("sf.rubric", "scheme s \"s\" {\n"
                                       "  total 8\n"
                                       "  input firms: count at least 1 \"在营企业\"\n"
                                       "  input reg: count \"注册企业\"\n"
                                       "  form share(n) = n / firms\n"
                                       "  form pts(full) = full if share(reg) > 3%, undefined \"未规定\" otherwise\n"
                                       "  indicator a \"a\" points 4 { min(4, 100 * share(reg)) }\n"
                                       "  indicator b \"b\" points 4 { pts(4) }\n"
                                       "  example \"e\" { firms = 100; reg = 4; expect a = 4; expect b = 4 }\n"
                                       "}\n");
  assert_counts(c, 0, 0);
  const sc_scheme *s = compile_find_scheme(c->u, "s");
  assert_non_null(s);
  for (int p = 0; p < 2; p++) { /* both parts read firms (index 0) and reg (1) */
    assert_int_equal(s->parts[p]->nreads, 2);
    assert_int_equal(s->parts[p]->reads[0], 0);
    assert_int_equal(s->parts[p]->reads[1], 1);
  }
  const sc_expr *call = s->parts[1]->score;
  assert_int_equal(call->kind, SX_FORM);
  assert_true(call->form.form->reads_inputs);
  checked_free(c);
  c = check_text("sf2.rubric", "form f(n) = n / firms\n"
                               "scheme s \"s\" {\n"
                               "  total 4\n"
                               "  input firms: count at least 1\n"
                               "  let k = firms\n"
                               "  form g(n) = n / k\n"
                               "  indicator a \"a\" points 4 { min(4, f(firms) + g(firms)) }\n"
                               "}\n");
  assert_line(c, "sf2.rubric:1:17: error: unknown name 'firms' in form 'f' (a form sees only its parameters)");
  assert_line(c, "sf2.rubric:6:19: error: unknown name 'k' in form 'g' (a scheme's form sees its parameters and the "
                 "scheme's inputs); did you mean 'n'?");
  assert_counts(c, 2, 0);
  checked_free(c);
}

/* An example that gives the kind needs only what its kind's parts read: the
   total of kind 甲 needs 'a', not 'b', which only 乙's indicator reads. */
static void test_example_needs_its_kind_only(void **state) {
  (void)state;
  checked *c = check_text("kind_example.rubric", "scheme s \"s\" {\n"
                                                  "  total 100\n"
                                                  "  input 类别: one of { 甲, 乙 } \"类别\"\n"
                                                  "  input a: fraction \"a\"\n"
                                                  "  input b: fraction \"b\"\n"
                                                  "  indicator x \"x\" points 100 for 类别 甲 { 100 * a }\n"
                                                  "  indicator y \"y\" points 100 for 类别 乙 { 100 * b }\n"
                                                  "  example \"甲\" { 类别 = 甲; expect total = 50 }\n"
                                                  "  example \"乙\" { 类别 = 乙; b = 10%; expect total = 10 }\n"
                                                  "}\n");
  assert_counts(c, 1, 0);
  assert_line(c, "kind_example.rubric:8:32: error: to check 'total' the example must give 'a'");
  checked_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_long_literal_in_warning),
      cmocka_unit_test(test_scheme_form_declaration_checks),
      cmocka_unit_test(test_chengwu_is_clean),
      cmocka_unit_test(test_chengwu_annotations),
      cmocka_unit_test(test_unknown_name_did_you_mean),
      cmocka_unit_test(test_unknown_name_without_suggestion),
      cmocka_unit_test(test_duplicate_ids),
      cmocka_unit_test(test_duplicate_item_ids),
      cmocka_unit_test(test_points_short_of_total),
      cmocka_unit_test(test_points_exact_decimal_sum),
      cmocka_unit_test(test_items_do_not_add_up),
      cmocka_unit_test(test_category_does_not_add_up),
      cmocka_unit_test(test_unknown_input_type),
      cmocka_unit_test(test_yesno_in_arithmetic),
      cmocka_unit_test(test_fraction_vs_bare_number_warns),
      cmocka_unit_test(test_money_vs_count_is_error),
      cmocka_unit_test(test_tiers_gap_without_otherwise),
      cmocka_unit_test(test_tiers_with_and_name_the_case_left),
      cmocka_unit_test(test_tiers_without_otherwise_not_analysable),
      cmocka_unit_test(test_tiers_unreachable),
      cmocka_unit_test(test_otherwise_never_applies_warns),
      cmocka_unit_test(test_linear_between_three_tiers),
      cmocka_unit_test(test_linear_between_same_side),
      cmocka_unit_test(test_linear_between_overlapping),
      cmocka_unit_test(test_linear_between_different_values),
      cmocka_unit_test(test_linear_between_needs_prelude),
      cmocka_unit_test(test_per_period_score_not_reduced),
      cmocka_unit_test(test_example_errors),
      cmocka_unit_test(test_nested_peer_statistics),
      cmocka_unit_test(test_example_total_needs_every_input),
      cmocka_unit_test(test_example_values),
      cmocka_unit_test(test_form_unknown_named_argument),
      cmocka_unit_test(test_form_missing_argument),
      cmocka_unit_test(test_form_recursion),
      cmocka_unit_test(test_form_sees_only_parameters),
      cmocka_unit_test(test_file_form_declaration_checks),
      cmocka_unit_test(test_missing_and_empty_files),
      cmocka_unit_test(test_syntax_error_does_not_pile_on),
      cmocka_unit_test(test_unused_input_warns_when_clean),
      cmocka_unit_test(test_veto_bands_lowered),
      cmocka_unit_test(test_veto_bands_cover_every_case),
      cmocka_unit_test(test_extends_merges_in_place),
      cmocka_unit_test(test_extends_errors),
      cmocka_unit_test(test_scheme_form_reads_inputs),
      cmocka_unit_test(test_budget_per_kind),
      cmocka_unit_test(test_example_needs_its_kind_only),
  };
  return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
