/*
** test_record_tables.c — unit tests for runtime/load/records.c and
** runtime/tally.c on a scheme built by hand (no front end): record rows
** joined to their entities in any order, the tally inputs needing no
** column, each located error (an id with no entity, a bad cell, a table
** not given or not the scheme's, an empty file), a bad cell kept by
** --partial-data, and the fold: counts per entity, a failed record named.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "dates.h"
#include "scratch.h"
#include "score.h"
#include "tally.h"

/* ---- the scheme: entities with one input `size`, a table 处罚 of two
   fields, counted twice (every record, and a condition) ---------------- */

typedef struct fixture {
  sc_scheme s;
  sc_input inputs[3];   /* size, count(处罚), count(处罚 where ...) */
  sc_records rec;
  sc_input fields[2];   /* 决定日期: date; 金额: money, column "罚款金额" */
  sc_tally tallies[2];
  sc_expr read[3];      /* count(处罚) + count(处罚 where ...): a rule reads both counts */
  sc_part part, *parts[1];
  char dir[64];
} fixture;

static void build(fixture *x) {
  memset(x, 0, sizeof *x);
  x->s.id = "县直部门";
  x->s.nperiods = 1;
  x->s.round_parts = x->s.round_total = -1;
  x->inputs[0] = (sc_input){.name = "size", .index = 0, .type = IN_NUMBER, .missing = MISS_ERROR};
  x->fields[0] = (sc_input){.name = "决定日期", .title = "作出决定日期", .index = 0, .type = IN_DATE,
                            .missing = MISS_ERROR, .records = &x->rec};
  x->fields[1] = (sc_input){.name = "金额", .column = "罚款金额", .index = 1, .type = IN_MONEY, .missing = MISS_ERROR,
                            .has_lo = true, .records = &x->rec};
  x->rec = (sc_records){.name = "处罚", .title = "行政处罚决定", .index = 0, .nfields = 2, .fields = x->fields};
  const char *text[2] = {"count(处罚)", "count(处罚 where 金额 > 1000)"};
  for (int k = 0; k < 2; k++) {
    x->tallies[k] = (sc_tally){.records = &x->rec, .text = text[k], .index = k, .input = &x->inputs[1 + k]};
    x->inputs[1 + k] = (sc_input){.name = text[k], .index = 1 + k, .type = IN_COUNT, .missing = MISS_ERROR,
                                  .has_lo = true, .tally = &x->tallies[k]};
  }
  x->s.ninputs = 3;
  x->s.inputs = x->inputs;
  x->s.nrecords = 1;
  x->s.records = &x->rec;
  x->s.ntallies = 2;
  x->s.tallies = x->tallies;
  x->read[0] = (sc_expr){.kind = SX_INPUT, .input = &x->inputs[1]};
  x->read[1] = (sc_expr){.kind = SX_INPUT, .input = &x->inputs[2]};
  x->read[2] = (sc_expr){.kind = SX_BINARY, .bin = {OP_ADD, &x->read[0], &x->read[1]}};
  x->part = (sc_part){.kind = PART_INDICATOR, .id = "时效", .path = "时效", .score = &x->read[2]};
  x->parts[0] = &x->part;
  x->s.nparts = 1;
  x->s.parts = x->parts;
  strcpy(x->dir, "/tmp/rubric_records_XXXXXX");
  assert_non_null(mkdtemp(x->dir));
}

static void teardown_dir(fixture *x) { assert_int_equal(scratch_remove(x->dir), 0); }

/* Writes TEXT to DIR/NAME; its path in BUF. */
static const char *put(const fixture *x, const char *name, const char *text, char *buf, size_t len) {
  snprintf(buf, len, "%s/%s", x->dir, name);
  FILE *f = fopen(buf, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return buf;
}

static const char *entities_csv = "id,name,size\n"
                                  "e1,甲,1\n"
                                  " e2 ,乙,2\n"
                                  "e3,丙,3\n";

/* batch_load of TABLES, its messages (codes stripped) into *MSGS (caller frees). */
static rb_batch *load(const fixture *x, const rb_tables *tables, char **msgs) {
  size_t len = 0;
  FILE *m = open_memstream(msgs, &len);
  rb_diags d;
  diag_init(&d, m);
  rb_batch *b = batch_load(&x->s, tables, &d);
  diag_finish(&d);
  fclose(m);
  strip_codes(*msgs);
  return b;
}

static rb_fixed day(int y, int m, int d) { return (rb_fixed)date_days(y, m, d) * FIXED_ONE; }

/* Rows in any order, an id written with spaces, a column found by its
   `column "..."` and one by its title; the tallies need no column. */
static void test_load(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char e[128], r[128];
  struct rb_records_given given = {"处罚", put(&x, "records.csv",
                                               "罚款金额,id,作出决定日期\n"
                                               "500,e3,2024-03-15\n"
                                               "2000,\" e1\",2024/3/1\n"
                                               "1500, e3 ,2024年4月2日\n",
                                               r, sizeof r)};
  rb_tables t = {.entities = put(&x, "e.csv", entities_csv, e, sizeof e), .nrecords = 1, .records = &given};
  char *msgs = NULL;
  rb_batch *b = load(&x, &t, &msgs);
  assert_string_equal(msgs, "");
  assert_non_null(b);
  assert_int_equal(b->nrecords, 1);
  const rb_record_table *rt = &b->records[0];
  assert_ptr_equal(rt->rec, &x.rec);
  assert_int_equal(rt->n, 3);
  assert_int_equal(rt->entity[0], 2);
  assert_int_equal(rt->entity[1], 0);
  assert_int_equal(rt->entity[2], 2);
  assert_int_equal(rt->line[0], 2);
  assert_int_equal(rt->line[2], 4);
  assert_true(rt->field[0][1] == day(2024, 3, 1));
  assert_true(rt->field[0][2] == day(2024, 4, 2));
  assert_true(rt->field[1][0] == 500 * FIXED_ONE);
  assert_null(rt->bad);
  assert_null(b->bad);
  for (size_t k = 0; k < b->n; k++) assert_true(narrow_get(b->column[1], k) == 0 && narrow_get(b->column[2], k) == 0);

  /* the fold: the pass said 1, 0 per record and tally */
  rb_fixed every[3] = {FIXED_ONE, FIXED_ONE, FIXED_ONE}, big[3] = {0, FIXED_ONE, FIXED_ONE};
  tally_fold(&x.s, NULL, b, rt, 0, every, true);
  tally_fold(&x.s, NULL, b, rt, 1, big, true);
  assert_true(narrow_get(b->column[1], 0) == FIXED_ONE && narrow_get(b->column[1], 1) == 0 && narrow_get(b->column[1], 2) == 2 * FIXED_ONE);
  assert_true(narrow_get(b->column[2], 0) == FIXED_ONE && narrow_get(b->column[2], 1) == 0 && narrow_get(b->column[2], 2) == FIXED_ONE);
  assert_null(b->bad);
  batch_free(b);
  free(msgs);
  teardown_dir(&x);
}

/* A header alone: no records, every count 0. Zero bytes: csv's error. */
static void test_empty(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char e[128], r[128];
  struct rb_records_given given = {"处罚", put(&x, "records.csv", "id,决定日期,金额\n", r, sizeof r)};
  rb_tables t = {.entities = put(&x, "e.csv", entities_csv, e, sizeof e), .nrecords = 1, .records = &given};
  char *msgs = NULL;
  rb_batch *b = load(&x, &t, &msgs);
  assert_string_equal(msgs, "");
  assert_non_null(b);
  assert_int_equal(b->records[0].n, 0);
  batch_free(b);
  free(msgs);
  put(&x, "records.csv", "", r, sizeof r);
  b = load(&x, &t, &msgs);
  assert_null(b);
  assert_non_null(strstr(msgs, "records.csv"));
  assert_non_null(strstr(msgs, "error"));
  free(msgs);
  teardown_dir(&x);
}

/* An id with no entity row: R1108 at the record's line. */
static void test_unknown_id(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char e[128], r[128], want[512];
  struct rb_records_given given = {"处罚", put(&x, "records.csv",
                                               "id,决定日期,金额\n"
                                               "e1,2024-03-15,1\n"
                                               "e9,2024-03-15,1\n",
                                               r, sizeof r)};
  rb_tables t = {.entities = put(&x, "e.csv", entities_csv, e, sizeof e), .nrecords = 1, .records = &given};
  char *msgs = NULL;
  assert_null(load(&x, &t, &msgs));
  snprintf(want, sizeof want, "%s:3: error: id 'e9' has no row in %s\n", r, e);
  assert_string_equal(msgs, want);
  free(msgs);
  teardown_dir(&x);
}

/* A bad date: R1104 with file, line, entity and column; under
   --partial-data a warning, the entity's tallies bad, the record not counted. */
static void test_bad_cell(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char e[128], r[128], want[512];
  struct rb_records_given given = {"处罚", put(&x, "records.csv",
                                               "id,决定日期,金额\n"
                                               "e1,2024-03-15,1\n"
                                               "e2,2024-02-30,1\n"
                                               "e2,2024-03-01,2\n",
                                               r, sizeof r)};
  rb_tables t = {.entities = put(&x, "e.csv", entities_csv, e, sizeof e), .nrecords = 1, .records = &given};
  char *msgs = NULL;
  assert_null(load(&x, &t, &msgs));
  snprintf(want, sizeof want, "%s:3: error: entity 'e2', column '决定日期': '2024-02-30' is no day of the calendar\n", r);
  assert_string_equal(msgs, want);
  free(msgs);

  t.partial = true;
  rb_batch *b = load(&x, &t, &msgs);
  assert_non_null(b);
  assert_non_null(strstr(msgs, "warning"));
  const rb_record_table *rt = &b->records[0];
  assert_non_null(rt->bad);
  assert_int_equal(rt->bad[1], 1);
  assert_int_equal(rt->bad[2], 0);
  assert_non_null(b->bad);
  assert_int_equal(b->bad[1 * 3 + 1], 1); /* e2's tallies, not its size */
  assert_int_equal(b->bad[1 * 3 + 2], 1);
  assert_int_equal(b->bad[1 * 3 + 0], 0);
  assert_int_equal(b->bad[0 * 3 + 1], 0);
  assert_null(b->bad_text[0]);
  snprintf(want, sizeof want, "%s:3: entity 'e2', column '决定日期': '2024-02-30' is no day of the calendar", r);
  assert_string_equal(b->bad_text[1], want);
  assert_int_equal(b->bad_code[1], R1104);
  rb_fixed every[3] = {FIXED_ONE, FIXED_ONE, FIXED_ONE};
  tally_fold(&x.s, NULL, b, rt, 0, every, true);
  assert_true(narrow_get(b->column[1], 1) == FIXED_ONE); /* the bad record is not counted */
  batch_free(b);
  free(msgs);
  teardown_dir(&x);
}

/* A table counted and not given, one the scheme does not have, one twice:
   R1111 each. A field with no column: R1103. */
static void test_tables(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char e[128], r[128];
  rb_tables t = {.entities = put(&x, "e.csv", entities_csv, e, sizeof e)};
  char *msgs = NULL;
  assert_null(load(&x, &t, &msgs));
  assert_string_equal(msgs,
                      "rubric: error: scheme '县直部门' counts the records of '处罚': give their table with --records "
                      "处罚=FILE\n");
  free(msgs);
  struct rb_records_given given[2] = {{"处罚", put(&x, "records.csv", "id,决定日期\n", r, sizeof r)}, {"罚款", r}};
  t.nrecords = 2;
  t.records = given;
  assert_null(load(&x, &t, &msgs));
  assert_non_null(strstr(msgs, "scheme '县直部门' has no record table '罚款'; this table is not used"));
  free(msgs);
  given[1].name = "处罚";
  assert_null(load(&x, &t, &msgs));
  assert_non_null(strstr(msgs, "the records of '处罚' are given twice"));
  free(msgs);
  t.nrecords = 1;
  assert_null(load(&x, &t, &msgs));
  assert_non_null(strstr(msgs, "missing column '金额' (罚款金额)"));
  free(msgs);
  teardown_dir(&x);
}

/* A record whose condition failed: not counted, its entity bad, the
   record named with the site's words and code; the first reason's code. */
static void test_fold_failure(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char e[128], r[128], want[1024];
  struct rb_records_given given = {"处罚", put(&x, "records.csv",
                                               "id,决定日期,金额\n"
                                               "e1,2024-03-15,1\n"
                                               "e1,1999-03-15,1\n"
                                               "e3,2024-03-15,1\n",
                                               r, sizeof r)};
  rb_tables t = {.entities = put(&x, "e.csv", entities_csv, e, sizeof e), .nrecords = 1, .records = &given};
  char *msgs = NULL;
  rb_batch *b = load(&x, &t, &msgs);
  assert_non_null(b);
  static char text[] = "count(处罚 where workdays(决定日期, 公示日期) > 7)";
  rb_source src = {.path = "s.rubric", .text = text, .len = sizeof text - 1};
  cg_site site = {.kind = SITE_CALENDAR, .loc = {&src, 4, 20, 4, 40, 19, 55}};
  rb_fixed out[3] = {FIXED_ONE, fixed_error(1), 0};
  native_scheme nat = {.scheme = &x.s, .nsites = 1, .cg = {.sites = &site, .nsites = 1}, .sites_known = true,
                       .sites_lock = PTHREAD_MUTEX_INITIALIZER};
  tally_fold(&x.s, &nat, b, &b->records[0], 1, out, true);
  assert_true(narrow_get(b->column[2], 0) == FIXED_ONE && narrow_get(b->column[2], 2) == 0);
  assert_non_null(b->bad);
  assert_int_equal(b->bad[0 * 3 + 2], 1);
  assert_int_equal(b->bad[0 * 3 + 1], 0);
  assert_null(b->bad_text[2]);
  snprintf(want, sizeof want,
           "%s:3: record of entity 'e1' in 处罚: 'workdays(决定日期, 公示日期)': a date outside the range the "
           "holiday calendar covers (s.rubric:4:20)",
           r);
  assert_string_equal(b->bad_text[0], want);
  assert_int_equal(b->bad_code[0], R1181);
  batch_free(b);
  free(msgs);
  teardown_dir(&x);
}

/* A records pass written by hand (abi.h): tally 0 every record, tally 1
   those whose 金额 is over 1000; a 金额 of 13 fails at site 0. */
static void fake_pass(const rb_fixed *const *fields, int64_t n, int64_t lo, int64_t hi, rb_fixed *const *out) {
  (void)n;
  for (int64_t r = lo; r < hi; r++) {
    out[0][r] = FIXED_ONE;
    out[1][r] = fields[1][r] == 13 * FIXED_ONE ? fixed_error(1) : fields[1][r] > 1000 * FIXED_ONE ? FIXED_ONE : 0;
  }
}

/* The counts and reasons of a generated table (records in a scrambled
   order) as one text, scored on THREADS parts. Caller frees. */
static char *tally_run(fixture *x, const char *threads, bool reversed) {
  enum { NENT = 300, NREC = 40000 };
  char e[128], r[128];
  char *ent = NULL, *rec = NULL;
  size_t el = 0, rl = 0;
  FILE *ef = open_memstream(&ent, &el), *rf = open_memstream(&rec, &rl);
  fputs("id,name,size\n", ef);
  for (int k = 0; k < NENT; k++) fprintf(ef, "e%d,,%d\n", k, k);
  fclose(ef);
  fputs("id,金额,决定日期\n", rf);
  for (int q = 0; q < NREC; q++) {
    int k = reversed ? NREC - 1 - q : q;
    int who = (int)(((unsigned)k * 2654435761u) % (NENT - 7)); /* the last 7 entities have no records */
    int amount = k % 97 == 5 ? 13 : (int)(((unsigned)k * 40503u) % 3000);
    fprintf(rf, "e%d,%d,2024-03-15\n", who, amount);
  }
  fclose(rf);
  struct rb_records_given given = {"处罚", put(x, "records.csv", rec, r, sizeof r)};
  rb_tables t = {.entities = put(x, "e.csv", ent, e, sizeof e), .nrecords = 1, .records = &given};
  free(ent);
  free(rec);
  char *msgs = NULL;
  rb_batch *b = load(x, &t, &msgs);
  assert_non_null(b);
  free(msgs);
  static char text[] = "金额 > 1000";
  rb_source src = {.path = "s.rubric", .text = text, .len = sizeof text - 1};
  cg_site site = {.kind = SITE_OVERFLOW, .loc = {&src, 1, 1, 1, 5, 0, 6}};
  rb_records_fn passes[1] = {fake_pass};
  native_scheme nat = {.scheme = &x->s, .records = passes, .nsites = 1, .cg = {.sites = &site, .nsites = 1},
                       .sites_known = true, .sites_lock = PTHREAD_MUTEX_INITIALIZER};
  setenv("RUBRIC_THREADS", threads, 1);
  tally_records(&nat, b);
  unsetenv("RUBRIC_THREADS");
  char *out = NULL;
  size_t ol = 0;
  FILE *of = open_memstream(&out, &ol);
  for (size_t k = 0; k < b->n; k++) {
    fprintf(of, "%s %lld %lld %d%d %s\n", b->id[k], (long long)(narrow_get(b->column[1], k) / FIXED_ONE),
            (long long)(narrow_get(b->column[2], k) / FIXED_ONE), b->bad ? b->bad[k * 3 + 1] : 9, b->bad ? b->bad[k * 3 + 2] : 9,
            b->bad && b->bad_text[k] ? strstr(b->bad_text[k], ":") : "-"); /* the path differs by run: from the line on */
  }
  fclose(of);
  /* by hand: the same counts */
  long long all[NENT] = {0}, big[NENT] = {0};
  for (int k = 0; k < NREC; k++) {
    int who = (int)(((unsigned)k * 2654435761u) % (NENT - 7));
    int amount = k % 97 == 5 ? 13 : (int)(((unsigned)k * 40503u) % 3000);
    all[who]++;
    big[who] += amount > 1000;
  }
  for (int k = 0; k < NENT; k++) {
    assert_true(narrow_get(b->column[1], k) == all[k] * FIXED_ONE);
    assert_true(narrow_get(b->column[2], k) == big[k] * FIXED_ONE);
  }
  assert_true(narrow_get(b->column[1], NENT - 1) == 0);
  batch_free(b);
  return out;
}

/* The whole pass on 1 and 4 threads, and on the records reversed: the
   same counts (as counted by hand) and the same reasons, records named in
   file order. */
static void test_pass_threads(void **state) {
  (void)state;
  fixture x;
  build(&x);
  char *one = tally_run(&x, "1", false), *four = tally_run(&x, "4", false);
  assert_string_equal(one, four);
  assert_non_null(strstr(one, "e5 "));
  char *rev = tally_run(&x, "4", true);
  /* reversed: the counts are the same; the reasons name other lines */
  char *a = one, *b = rev;
  while (*a && *b) {
    char *ea = strchr(a, ':'), *eb = strchr(b, ':');
    size_t la = (size_t)(ea ? ea - a : (long)strlen(a)), lb = (size_t)(eb ? eb - b : (long)strlen(b));
    char *na = strchr(a, '\n'), *nb = strchr(b, '\n');
    if (!ea || ea > na) la = (size_t)(na - a);
    if (!eb || eb > nb) lb = (size_t)(nb - b);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    a = na + 1, b = nb + 1;
  }
  assert_true(!*a && !*b);
  free(one);
  free(four);
  free(rev);
  teardown_dir(&x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load),         cmocka_unit_test(test_empty),  cmocka_unit_test(test_unknown_id),
      cmocka_unit_test(test_bad_cell),     cmocka_unit_test(test_tables), cmocka_unit_test(test_fold_failure),
      cmocka_unit_test(test_pass_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
