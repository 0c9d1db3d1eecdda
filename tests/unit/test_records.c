/*
** test_records.c — unit tests for record tables (spec/semantics.md#records):
** what the checker makes of `records` and of count(TABLE where COND)
** (compiler/check/records.c, lowered by compiler/check/lower.c): tallies
** that are inputs of the scheme, named by their text, the same count twice
** one tally; and every mistake's message, whole.
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

#include "checked.h"
#include "scheme.h"

static int setup_dir(void **state) {
  (void)state;
  return checked_enter("test_records");
}

static int remove_dir(void **state) {
  (void)state;
  return checked_leave();
}

/* Two tables; one count written three times (spaced differently, in a let
   and in a target), one over every record, one over the second table. */
static const char *DEPARTMENTS =
    "scheme 部门 \"县直部门双公示考核\" {\n"
    "  total 10\n"
    "  records 处罚 \"行政处罚决定\" {\n"
    "    input 决定日期: date \"作出决定日期\"\n"
    "    input 公示日期: date \"公示日期\"\n"
    "    input 简易: yesno\n"
    "  }\n"
    "  records 许可 { input 天数: count \"办理天数\" }\n"
    "  input 规模: count \"编制人数\"\n"
    "  indicator 时效 \"双公示时效\" points 6 {\n"
    "    let 超期 = count(处罚 where workdays(决定日期, 公示日期) > 7)\n"
    "    max(6 - 0.5 * 超期, 0)\n"
    "  }\n"
    "  indicator 办件 \"许可办件\" points 4 {\n"
    "    4 if count(许可 where 天数 > 20 and 规模 >= 0) == 0, min(4, count(处罚) / max(规模, 1)) otherwise\n"
    "  }\n"
    "  target 及时 \"全部及时公示\" { count(处罚   where\n"
    "      workdays(决定日期,公示日期) > 7) <= 0 }\n"
    "  example \"三件超期\" {\n"
    "    count(处罚 where workdays(决定日期, 公示日期)>7) = 3\n"
    "    count(处罚) = 4\n"
    "    count(许可 where 天数 > 20 and 规模 >= 0) = 0\n"
    "    规模 = 10\n"
    "    expect 时效 = 4.5\n"
    "    expect 办件 = 4\n"
    "    expect 及时 = no\n"
    "  }\n"
    "}\n";

static void test_tallies_are_inputs(void **state) {
  (void)state;
  checked *c = check_text("departments.rubric", DEPARTMENTS);
  /* the condition of 许可 reads 规模, an input of the entity: refused */
  assert_line(c, "departments.rubric:15:37: error: the condition reads each record of '许可': '规模' is an input of the "
                 "entity, not a field of the record");
  assert_counts(c, 1, 0);
  checked_free(c);

  char *text = strdup(DEPARTMENTS);
  char *at = strstr(text, " and 规模 >= 0");
  memcpy(at, " or  天数 <= 0", strlen(" or  天数 <= 0")); /* the same bytes' length: a field */
  at = strstr(at + 1, " and 规模 >= 0");
  memcpy(at, " or  天数 <= 0", strlen(" or  天数 <= 0"));
  c = check_text("departments.rubric", text);
  free(text);
  assert_counts(c, 0, 0);
  const sc_scheme *s = compile_find_scheme(c->u, NULL);
  assert_int_equal(s->nrecords, 2);
  assert_string_equal(s->records[0].name, "处罚");
  assert_string_equal(s->records[0].title, "行政处罚决定");
  assert_int_equal(s->records[0].nfields, 3);
  assert_string_equal(s->records[0].fields[1].name, "公示日期");
  assert_int_equal(s->records[0].fields[1].type, IN_DATE);
  assert_ptr_equal(s->records[0].fields[1].records, &s->records[0]);
  assert_int_equal(s->records[0].fields[2].index, 2);
  assert_null(s->records[1].title);
  /* three tallies: the count written three ways is one */
  assert_int_equal(s->ntallies, 3);
  assert_int_equal(s->ninputs, 1 + 3);
  assert_string_equal(s->inputs[0].name, "规模");
  assert_null(s->inputs[0].tally);
  const char *texts[3] = {"count(处罚 where workdays(决定日期, 公示日期) > 7)", "count(许可 where 天数 > 20 or 天数 <= 0)",
                          "count(处罚)"};
  for (int k = 0; k < 3; k++) {
    const sc_tally *y = &s->tallies[k];
    assert_int_equal(y->index, k);
    assert_string_equal(y->text, texts[k]);
    assert_ptr_equal(y->input, &s->inputs[1 + k]); /* the inputs' last, in order of first use */
    assert_ptr_equal(y->input->tally, y);
    assert_string_equal(y->input->name, texts[k]);
    assert_int_equal(y->input->type, IN_COUNT);
    assert_null(y->input->records);
  }
  assert_ptr_equal(s->tallies[0].records, &s->records[0]);
  assert_ptr_equal(s->tallies[1].records, &s->records[1]);
  assert_null(s->tallies[2].cond);
  /* the condition reads the record's fields, not the scheme's inputs */
  const sc_expr *cond = s->tallies[1].cond;
  assert_int_equal(cond->kind, SX_BINARY);
  assert_int_equal(cond->bin.lhs->kind, SX_BINARY);
  assert_ptr_equal(cond->bin.lhs->bin.lhs->input, &s->records[1].fields[0]);
  assert_true(s->uses_calendar); /* workdays in a condition only: */
  assert_false(s->rules_use_calendar); /* examples need no calendar */
  /* the rules and the target read the tallies' inputs */
  unsigned char reads[4] = {0};
  scheme_expr_reads(s->targets[0].rule, reads, NULL);
  assert_true(reads[1] && !reads[0] && !reads[2] && !reads[3]);
  /* the example gives the counts by their text */
  const sc_example *ex = &s->examples[0];
  assert_int_equal(ex->ngivens, 4);
  assert_ptr_equal(ex->givens[0].input, &s->inputs[1]);
  assert_ptr_equal(ex->givens[1].input, &s->inputs[3]);
  assert_ptr_equal(ex->givens[2].input, &s->inputs[2]);
  checked_free(c);
}

/* Every mistake with a table or a count, each said once. */
static void test_records_mistakes(void **state) {
  (void)state;
  checked *c = check_text("errs.rubric",
                          "scheme s \"t\" {\n"
                          "  total 10\n"
                          "  records 处罚 \"行政处罚决定\" {\n"
                          "    input 决定日期: date per month\n"
                          "    input 公示日期: date missing error \"公示日期\"\n"
                          "    let x = 1\n"
                          "  }\n"
                          "  records 空 { }\n"
                          "  records 处罚 { input a: count }\n"
                          "  input 规模: count\n"
                          "  indicator a \"a\" points 10 {\n"
                          "    let n = count(处罚 where 规模 > 3)\n"
                          "    let m = count(处罚x where 公示日期 > 决定日期)\n"
                          "    let k = sum(处罚 where 公示日期 > 决定日期)\n"
                          "    let q = count(处罚 when 公示日期 > 决定日期)\n"
                          "    let r = count(处罚 where 公示日期)\n"
                          "    let y = count(处罚 where peers.max(公示日期) > 1)\n"
                          "    let w = count(处罚 where count(处罚 where 公示日期 > 决定日期) > 1)\n"
                          "    min(n + m + k + q + r + y + w + 规模, 10)\n"
                          "  }\n"
                          "  indicator b \"b\" points 0 {\n"
                          "    let z = 决定日期\n"
                          "    处罚 + z\n"
                          "  }\n"
                          "  example \"e\" {\n"
                          "    count(处罚 where 公示日期 >= 决定日期) = 1\n"
                          "  }\n"
                          "}\n");
  const char *lines[] = {
      "errs.rubric:4:22: error: a field of a record has one value per record: it has no period",
      "errs.rubric:6:5: error: a record table holds 'input' declarations only: the fields of each record",
      "errs.rubric:8:11: error: record table '空' declares no fields: give an 'input' for each column",
      "errs.rubric:9:11: error: record table '处罚' is already declared on line 3",
      "errs.rubric:12:28: error: the condition reads each record of '处罚': '规模' is an input of the entity, not a field of "
      "the record",
      "errs.rubric:13:19: error: '处罚x' is not a record table of scheme 's'; did you mean '处罚'?",
      "errs.rubric:14:13: error: 'where' picks records to count: write 'count(处罚 where condition)'",
      "errs.rubric:15:22: error: write 'count(处罚 where condition)'",
      "errs.rubric:16:28: error: the condition after 'where' must be yes or no for each record of '处罚'",
      "errs.rubric:17:28: error: the condition reads each record of '处罚': it cannot read peer statistics",
      "errs.rubric:18:28: error: a count of records cannot stand inside the condition of another",
      "errs.rubric:8:11: warning: no rule counts the records of '空': count them with count(空 where ...)",
      "errs.rubric:22:13: error: '决定日期' is a field of each record of '处罚': read it in count(处罚 where ...)",
      "errs.rubric:23:5: error: '处罚' is a table of records: count them with count(处罚 where ...)",
      "errs.rubric:26:5: error: example gives 'count(处罚 where 公示日期 >= 决定日期)', which is not an input of scheme 's'",
  };
  for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) assert_line(c, lines[i]);
  assert_counts(c, 14, 1);
  checked_free(c);
}

/* `records` is a keyword only where a table is declared: an input named
   records still begins a rule; an example's count no rule reads is named. */
static void test_records_stays_a_name(void **state) {
  (void)state;
  checked *c = check_text("name.rubric",
                          "scheme s \"t\" {\n"
                          "  total 10\n"
                          "  input records: count\n"
                          "  records 处罚 { input 金额: money }\n"
                          "  indicator a \"a\" points 10 {\n"
                          "    records if records > count(处罚 where 金额 > 1万), 0 otherwise\n"
                          "  }\n"
                          "  example \"e\" {\n"
                          "    records = 10\n"
                          "    count(处罚 where 金额 > 2万) = 1\n"
                          "    expect a = 10\n"
                          "  }\n"
                          "}\n");
  assert_line(c, "name.rubric:10:5: error: example gives 'count(处罚 where 金额 > 2万)', which is not an input of scheme "
                 "'s'; did you mean 'count(处罚 where 金额 > 1万)'?");
  assert_line(c, "name.rubric:11:12: error: to check 'a' the example must give 'count(处罚 where 金额 > 1万)'");
  assert_counts(c, 2, 0);
  checked_free(c);
}

/* A count in a file-level form (no table is in scope there: the where
   would be lost) and a table named like an input (count(处罚) would mean
   two things). */
static void test_records_out_of_scope(void **state) {
  (void)state;
  checked *c = check_text("scope.rubric",
                          "form late(t, x) = count(t where x > 1)\n"
                          "scheme s \"t\" {\n"
                          "  total 10\n"
                          "  input 处罚: count\n"
                          "  records 处罚 { input a: count }\n"
                          "  indicator a \"a\" points 10 { min(10, late(1, 2) + count(处罚)) }\n"
                          "}\n");
  assert_line(c, "scope.rubric:5:11: error: '处罚' is already an input of scheme 's': name the record table otherwise");
  assert_line(c, "scope.rubric:1:27: error: 'where' counts the records of a record table of the scheme: it cannot stand "
                 "in a file-level form");
  assert_counts(c, 2, 0);
  checked_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tallies_are_inputs),
      cmocka_unit_test(test_records_mistakes),
      cmocka_unit_test(test_records_stays_a_name),
      cmocka_unit_test(test_records_out_of_scope),
  };
  return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
