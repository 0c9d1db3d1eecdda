/*
** test_pages.c — unit tests for large arrays on huge pages (load/pages.c),
** the id map that lives in one (load/loader.c), and strings in blocks
** (load/texts.c).
*/
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "loader.h"
#include "pages.h"
#include "texts.h"

enum { MB = 1 << 20 };

static long minor_faults(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

/* Whether the kernel gives huge pages to memory advised so. */
static bool huge_pages_on(void) {
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f) return false;
  char mode[128] = "";
  bool on = fgets(mode, sizeof mode, f) && !strstr(mode, "[never]");
  fclose(f);
  return on;
}

static void test_small_array(void **state) {
  (void)state;
  size_t *a = pages_calloc(1000, sizeof *a);
  assert_non_null(a);
  for (size_t i = 0; i < 1000; i++) assert_int_equal(a[i], 0);
  for (size_t i = 0; i < 1000; i++) a[i] = i;
  a = pages_grow(a, 1000 * sizeof *a, 3000 * sizeof *a);
  assert_non_null(a);
  for (size_t i = 0; i < 1000; i++) assert_int_equal(a[i], i);
  a[2999] = 7;
  pages_free(a);
  pages_free(NULL);
  assert_null(pages_calloc(SIZE_MAX / 2, 4)); /* N * SIZE overflows */
  void *none = pages_calloc(0, 8);            /* an empty array is still one to free */
  assert_non_null(none);
  pages_free(none);
}

#if defined(__SANITIZE_ADDRESS__)
enum { SHADOW = 8 }; /* ASan writes a shadow byte for every 8, on 4 KB pages */
#else
enum { SHADOW = 0 };
#endif

/* Strings from two threads, as the loader's ids and names are malloc'd. */
static void *strings(void *arg) {
  char **v = arg;
  for (int i = 0; i < 300000; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "C%07d", i);
    v[i] = strdup(buf);
  }
  return NULL;
}

/* Large arrays start a huge page and are cleared, and writing them takes a
   fault a huge page, not one every 4 KB, after what a load does first:
   strings malloc'd on two threads and a large block freed. Each is 8 bytes
   for 1,000,001 rows, so it ends inside a huge page. (Placed by
   posix_memalign, 22% of their pages were 4 KB ones: 5,088 faults for 12.) */
static void test_large_arrays_on_huge_pages(void **state) {
  (void)state;
  char **v = malloc(600000 * sizeof *v);
  assert_non_null(v);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, strings, v + 300000), 0);
  strings(v);
  pthread_join(t, NULL);
  char *big = malloc(100 * MB);
  assert_non_null(big);
  memset(big, 1, 100 * MB);
  free(big); /* glibc: later blocks up to 32 MB come from its heaps */
  enum { ARRAYS = 12 };
  size_t n = 1000001;
  uint64_t *a[ARRAYS];
  long before = minor_faults();
  for (int k = 0; k < ARRAYS; k++) {
    a[k] = pages_calloc(n, sizeof *a[k]);
    assert_non_null(a[k]);
    assert_int_equal((uintptr_t)a[k] % (2 * MB), 0);
    for (size_t i = 0; i < n; i += 512) assert_int_equal(a[k][i], 0);
    for (size_t i = 0; i < n; i++) a[k][i] = i * 3 + (size_t)k;
  }
  long faults = minor_faults() - before;
  long pages = (long)(ARRAYS * n * sizeof(uint64_t) / 4096); /* 23,438: a fault each on 4 KB pages */
  long shadow = SHADOW ? pages / SHADOW : 0;
  if (huge_pages_on()) assert_in_range(faults, 0, shadow + pages / 20);
  for (int k = 0; k < ARRAYS; k++) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += a[k][i];
    assert_int_equal(sum, 3 * (uint64_t)n * (n - 1) / 2 + (uint64_t)k * n);
    pages_free(a[k]);
  }
  for (int i = 0; i < 600000; i++) free(v[i]);
  free(v);
}

/* From 1 MB an array has a huge page of its own (a run over 2,850
   counties writes its 1.8 MB of scores with one fault, not 450); below,
   malloc's. Written through, 1.5 MB takes a tenth of the faults of its
   4 KB pages. */
static void test_huge_from_one_mb(void **state) {
  (void)state;
  char *under = pages_calloc(MB - 64, 1), *over = pages_calloc(MB + MB / 2, 1);
  assert_non_null(under);
  assert_non_null(over);
  assert_int_equal((uintptr_t)over % (2 * MB), 0);
  assert_int_not_equal((uintptr_t)under % (2 * MB), 0); /* malloc's header before it */
  for (size_t i = 0; i < MB + MB / 2; i += 4096) assert_int_equal(over[i], 0);
  long before = minor_faults();
  memset(over, 7, MB + MB / 2);
  long faults = minor_faults() - before;
  if (huge_pages_on()) assert_in_range(faults, 0, (SHADOW ? 384 / SHADOW : 0) + 384 / 10);
  assert_int_equal(over[MB + MB / 2 - 1], 7);
  pages_free(under);
  pages_free(over);
}

/* Growing keeps the bytes, across the step from malloc to a mapping and
   from one mapping to a larger one. */
static void test_grow(void **state) {
  (void)state;
  size_t cap = 1024, n = 0;
  size_t *a = pages_grow(NULL, 0, cap * sizeof *a);
  assert_non_null(a);
  for (size_t i = 0; i < 3 * MB; i++) {
    if (n == cap) {
      size_t *b = pages_grow(a, cap * sizeof *a, 2 * cap * sizeof *a);
      assert_non_null(b);
      a = b, cap *= 2;
    }
    a[n++] = i ^ 0x5a5a;
  }
  assert_true(cap * sizeof *a >= 16 * MB);
  assert_int_equal((uintptr_t)a % (2 * MB), 0);
  for (size_t i = 0; i < n; i++)
    if (a[i] != (i ^ 0x5a5a)) fail_msg("element %zu lost in growing", i);
  pages_free(a);
}

/* The id map: the first row of each id, ids that are prefixes of one
   another, a key given by length, and rows up to 40 bits. */
static void test_id_map(void **state) {
  (void)state;
  enum { N = 200000 };
  char **key = malloc(N * sizeof *key);
  assert_non_null(key);
  id_map m;
  map_init(&m, N);
  for (size_t i = 0; i < N; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "C%zu", i); /* C1 is a prefix of C10, C100 ... */
    key[i] = strdup(buf);
    assert_int_equal(map_put(&m, key[i], i), -1);
  }
  for (size_t i = 0; i < N; i++) {
    assert_int_equal(map_get(&m, key[i]), (long)i);
    assert_int_equal(map_put(&m, key[i], i + N), (long)i); /* a duplicate: the first row stays */
  }
  const char *text = "C12345,2023";
  assert_int_equal(map_get_n(&m, text, 6), 12345);
  assert_int_equal(map_get_n(&m, text, 5), 1234);
  assert_int_equal(map_get_n(&m, "C", 1), -1);
  assert_int_equal(map_get(&m, "C200000"), -1);
  assert_int_equal(map_get(&m, ""), -1);
  map_free(&m);

  id_map wide;
  map_init(&wide, 4);
  const size_t most = ((size_t)1 << 40) - 1;
  assert_int_equal(map_put(&wide, "last", most), -1);
  assert_int_equal(map_put(&wide, "", 3), -1); /* an empty key is a key */
  assert_int_equal(map_get(&wide, "last"), (long)most);
  assert_int_equal(map_get(&wide, ""), 3);
  map_free(&wide);
  for (size_t i = 0; i < N; i++) free(key[i]);
  free(key);
}

/* Strings in blocks: each keeps its bytes however many follow, a string
   longer than a block gets one of its own, and the blocks of several
   writers move into one, freed at once. */
static void test_texts(void **state) {
  (void)state;
  enum { N = 300000, WRITERS = 3 };
  texts part[WRITERS] = {{0}}, all = {0};
  char **s = malloc(N * sizeof *s);
  assert_non_null(s);
  for (size_t i = 0; i < N; i++) {
    char buf[64];
    int n = snprintf(buf, sizeof buf, "县%zu-%zu", i, i * 7919 % 1000);
    s[i] = texts_room(&part[i % WRITERS], (size_t)n);
    memcpy(s[i], buf, (size_t)n + 1);
  }
  size_t len = 5 << 20; /* more than a block */
  char *long_one = texts_room(&part[1], len);
  memset(long_one, 'x', len);
  long_one[len] = '\0';
  char *empty = texts_room(&part[2], 0);
  empty[0] = '\0';
  for (int w = 0; w < WRITERS; w++) texts_take(&all, &part[w]);
  for (int w = 0; w < WRITERS; w++) assert_null(part[w].last);
  for (size_t i = 0; i < N; i++) {
    char buf[64];
    snprintf(buf, sizeof buf, "县%zu-%zu", i, i * 7919 % 1000);
    if (strcmp(s[i], buf)) fail_msg("string %zu reads '%s', not '%s'", i, s[i], buf);
  }
  assert_int_equal(strlen(long_one), len);
  assert_string_equal(empty, "");
  texts_free(&all);
  assert_null(all.last);
  texts_free(&all); /* an empty one too */
  free(s);
}

/* An id trimmed in place (load_trim, as field_string writes ids into
   texts) reads as load_trimmed's copy: spaces and tabs go at both ends,
   not inside, and a blank id is empty. */
static void test_trim(void **state) {
  (void)state;
  const char *cases[] = {"371702", " 371702", "371702 \t", "\t 37 17 02  ", "   ", "", "\t", "a\tb"};
  const char *want[] = {"371702", "371702", "371702", "37 17 02", "", "", "", "a\tb"};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    char buf[32];
    snprintf(buf, sizeof buf, "%s", cases[k]);
    assert_string_equal(load_trim(buf), want[k]);
    char *copy = load_trimmed(cases[k]);
    assert_string_equal(copy, want[k]);
    free(copy);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_small_array),
      cmocka_unit_test(test_large_arrays_on_huge_pages),
      cmocka_unit_test(test_huge_from_one_mb),
      cmocka_unit_test(test_grow),
      cmocka_unit_test(test_id_map),
      cmocka_unit_test(test_texts),
      cmocka_unit_test(test_trim),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
