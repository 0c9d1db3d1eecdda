/*
** test_calendar.c — unit tests for runtime/load/calendar.c and
** compiler/dates.c: day numbers and weekdays, the holiday calendar's
** cumulative working days (with 调休 swaps across a year boundary), and
** its file's errors, each located.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "abi.h"
#include "calendar.h"
#include "dates.h"

/* Every day of 1600..2400 round-trips, and consecutive days are consecutive numbers. */
static void test_day_numbers(void **state) {
  (void)state;
  assert_int_equal(date_days(1970, 1, 1), 0);
  assert_int_equal(date_days(2024, 3, 15), 19797);
  assert_int_equal(date_weekday(date_days(2024, 3, 15)), 4); /* a Friday */
  assert_int_equal(date_weekday(date_days(1969, 12, 28)), 6); /* a Sunday, before day 0 */
  int64_t prev = date_days(1600, 1, 1) - 1;
  for (int64_t n = date_days(1600, 1, 1); n <= date_days(2400, 12, 31); n++) {
    int y, m, d;
    date_civil(n, &y, &m, &d);
    assert_int_equal(date_days(y, m, d), n);
    assert_int_equal(n, prev + 1);
    prev = n;
  }
  char b[16];
  assert_string_equal(date_format(date_days(2025, 1, 26), b, sizeof b), "2025-01-26");
}

static char path[64];

static rb_calendar *load_text(const char *text, rb_diags *d, char **out) {
  strcpy(path, "/tmp/rubric_calendar_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  size_t len = 0;
  FILE *msgs = open_memstream(out, &len);
  diag_init(d, msgs);
  rb_calendar *c = calendar_load(path, d);
  diag_finish(d);
  fclose(msgs);
  remove(path);
  return c;
}

static int64_t wd(const rb_calendar *c, int ya, int ma, int da, int yb, int mb, int db) {
  const rb_fixed *w = c->column + ABI_CALENDAR_W;
  int64_t a = date_days(ya, ma, da) - c->first, b = date_days(yb, mb, db) - c->first;
  return (int64_t)((w[b] - w[a]) / FIXED_ONE);
}

/* 2024 and 2025: 元旦, 春节 2025 (1-28 .. 2-4 off, Sunday 1-26 and Saturday
   2-8 worked): the cumulative count across the year boundary. */
static void test_cumulative(void **state) {
  (void)state;
  rb_diags d;
  char *msgs = NULL;
  rb_calendar *c = load_text("date,kind\n"
                             "2024-01-01,休\n"
                             "2024-12-31,workday\n" /* a Tuesday: listed as worked, no change */
                             "2025-01-01,holiday\n"
                             "2025-01-26,班\n"
                             "2025-01-28,休\n2025-01-29,休\n2025-01-30,休\n2025-01-31,休\n"
                             "2025-02-03,休\n2025-02-04,休\n"
                             "2025/2/8,班\n",
                             &d, &msgs);
  assert_non_null(c);
  assert_string_equal(msgs, "");
  free(msgs);
  assert_int_equal(c->first, date_days(2024, 1, 1));
  assert_int_equal(c->ndays, 366 + 365); /* whole years: 2024 (a leap year) and 2025 */
  assert_true(c->column[ABI_CALENDAR_FIRST] == c->first && c->column[ABI_CALENDAR_DAYS] == c->ndays);
  /* 2024: 262 weekdays, less 元旦 */
  assert_int_equal(wd(c, 2024, 1, 1, 2024, 12, 31), 261);
  /* after Tuesday 2024-12-31: 1-1 off, Thu 1-2, Fri 1-3 */
  assert_int_equal(wd(c, 2024, 12, 31, 2025, 1, 3), 2);
  /* after Friday 1-24: Sunday 1-26 worked, Mon 1-27, then off to 2-4, Wed 2-5 .. Fri 2-7, Sat 2-8 worked */
  assert_int_equal(wd(c, 2025, 1, 24, 2025, 2, 8), 6);
  assert_int_equal(wd(c, 2025, 2, 8, 2025, 1, 24), -6); /* the other way round */
  assert_int_equal(wd(c, 2025, 1, 28, 2025, 2, 4), 0);
  assert_int_equal(wd(c, 2025, 3, 3, 2025, 3, 3), 0);
  calendar_free(c);
}

/* The bare counting over a hand-made week. */
static void test_count(void **state) {
  (void)state;
  unsigned char working[7] = {1, 1, 0, 0, 1, 0, 1};
  rb_fixed w[7];
  calendar_count(working, 7, w);
  rb_fixed want[7] = {1, 2, 2, 2, 3, 3, 4};
  for (int i = 0; i < 7; i++) assert_true(w[i] == want[i] * FIXED_ONE);
}

/* Each problem of a calendar file is reported at its line, and none is loaded. */
static void test_errors(void **state) {
  (void)state;
  rb_diags d;
  char *msgs = NULL;
  assert_null(load_text("date,kind\n2024-10-01,休\n2024-02-30,休\n2024-10-02,off\n", &d, &msgs));
  assert_non_null(strstr(msgs, ":3: error[R1180]: '2024-02-30' is no day of the calendar"));
  assert_non_null(strstr(msgs, ":4: error[R1180]: 'off' is not a kind of day"));
  free(msgs);
  assert_null(load_text("date,kind\n2024-10-01,休\n2024-10-01,班\n", &d, &msgs));
  assert_non_null(strstr(msgs, ":3: error[R1180]: 2024-10-01 is already listed on line 2"));
  free(msgs);
  assert_null(load_text("day,kind\n2024-10-01,休\n", &d, &msgs));
  assert_non_null(strstr(msgs, ":1: error[R1180]: a holiday calendar has the columns 'date' and 'kind'"));
  free(msgs);
  assert_null(load_text("date,kind\n", &d, &msgs));
  assert_non_null(strstr(msgs, "names no day"));
  free(msgs);
  assert_null(load_text("date,kind\n1800-01-01,休\n2100-01-01,休\n", &d, &msgs));
  assert_non_null(strstr(msgs, "at most 200 years"));
  free(msgs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_day_numbers),
      cmocka_unit_test(test_cumulative),
      cmocka_unit_test(test_count),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
