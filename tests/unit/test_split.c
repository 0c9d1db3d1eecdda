/*
** test_split.c: rows cut into parts (runtime/split.h). rb_split gives each
** part one contiguous range; rb_split_blocks cuts the rows into blocks the
** parts take in turn. Either way every row is worked exactly once, by a
** part the call counts; blocks keep to their bounds; no rows, no block.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "split.h"

enum { MOST_ROWS = 1 << 20, MAX_CALLS = 4096 };

/* What the parts saw: each row's visits, each call's range and part. */
typedef struct seen {
  unsigned char *visits;
  size_t calls; /* atomic */
  size_t from[MAX_CALLS], to[MAX_CALLS];
  int part[MAX_CALLS];
} seen;

static void visit(void *ctx, int part, size_t from, size_t to) {
  seen *s = ctx;
  size_t k = __atomic_fetch_add(&s->calls, 1, __ATOMIC_RELAXED);
  if (k < MAX_CALLS) s->from[k] = from, s->to[k] = to, s->part[k] = part; /* more: the caller fails (no assert off the main thread) */
  for (size_t r = from; r < to; r++) __atomic_fetch_add(&s->visits[r], 1, __ATOMIC_RELAXED);
}

/* Runs N rows through rb_split_blocks (or rb_split when MOST is 0) with
   THREADS parts asked for, and checks what the parts saw. */
static void check(size_t n, size_t min_rows, size_t most, const char *threads) {
  seen *s = calloc(1, sizeof *s);
  assert_non_null(s);
  s->visits = calloc(n + 1, 1);
  assert_non_null(s->visits);
  assert_int_equal(setenv("RUBRIC_THREADS", threads, 1), 0);
  int parts = most ? rb_split_blocks(n, min_rows, most, visit, s) : rb_split(n, min_rows, visit, s);
  assert_true(parts >= 1 && parts <= atoi(threads));
  assert_true(s->calls <= MAX_CALLS);
  for (size_t r = 0; r < n; r++)
    if (s->visits[r] != 1) fail_msg("%zu rows, %s threads: row %zu worked %d times", n, threads, r, s->visits[r]);
  for (size_t k = 0; k < s->calls; k++) {
    assert_true(s->part[k] >= 0 && s->part[k] < parts);
    if (!most) continue;
    size_t len = s->to[k] - s->from[k];
    assert_true(len >= 1 && len <= (most > min_rows ? most : min_rows));
    if (s->to[k] < n) assert_true(len >= min_rows); /* only the last may be shorter */
  }
  if (most && n) { /* the parts shared the blocks: 8 a part, or as many as MOST allows */
    size_t want = n / (8 * (size_t)parts);
    if (want > most) want = most;
    if (want < min_rows) want = min_rows;
    assert_int_equal(s->calls, (n + want - 1) / want);
  }
  if (most && !n) assert_int_equal(s->calls, 0);
  free(s->visits);
  free(s);
}

static void test_blocks(void **state) {
  (void)state;
  const char *threads[] = {"1", "2", "3", "8"};
  size_t sizes[] = {0, 1, 4095, 4096, 4097, 34200, 100000, 1234567};
  for (int t = 0; t < 4; t++)
    for (int k = 0; k < 8; k++) {
      check(sizes[k], 4096, 65536, threads[t]);
      check(sizes[k], 1024, 16384, threads[t]);
      if (sizes[k] <= 20000) check(sizes[k], 1, 7, threads[t]); /* at most 2,858 blocks */
    }
  unsetenv("RUBRIC_THREADS");
}

static void test_contiguous(void **state) {
  (void)state;
  const char *threads[] = {"1", "2", "5"};
  size_t sizes[] = {1, 1023, 1024, 50000};
  for (int t = 0; t < 3; t++)
    for (int k = 0; k < 4; k++) check(sizes[k], 1024, 0, threads[t]);
  unsetenv("RUBRIC_THREADS");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_blocks),
      cmocka_unit_test(test_contiguous),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
