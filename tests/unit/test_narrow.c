/*
** test_narrow.c — unit tests for the cells of input columns
** (codegen/abi.h: abi_cell, 4 or 8 bytes; runtime/narrow.c: the values kept aside;
** load/cells.c: cell_put, the loader's way in).
*/
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "abi.h"
#include "compile.h"
#include "diag.h"
#include "fixed.h"
#include "loader.h"
#include "narrow.h"
#include "pages.h"

static uint64_t seed = 0x2545F4914F6CDD1DULL;
static uint64_t next(void) {
  seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
  return seed;
}

static const rb_fixed UNIT = ABI_NARROW_UNIT;
static const rb_fixed MOST = (rb_fixed)(INT64_MAX - 2) * ABI_NARROW_UNIT; /* the largest narrow number */
static const abi_cell CELLS[] = {ABI_CELL_UNITS8, ABI_CELL_UNITS4, ABI_CELL_WHOLE4};

/* The largest count of units a cell of C holds, its unit in 10^-18, its
   sentinels: written out here, not taken from abi.h. */
static int64_t most_units(abi_cell c) { return c == ABI_CELL_UNITS8 ? INT64_MAX - 2 : INT32_MAX - 2; }
static rb_fixed unit_of(abi_cell c) { return c == ABI_CELL_WHOLE4 ? FIXED_ONE : UNIT; }
static int64_t empty_of(abi_cell c) { return c == ABI_CELL_UNITS8 ? INT64_MIN : INT32_MIN; }

/* What abi_narrow_of must say of V in a cell of C, by 128-bit division. */
static void check_of(abi_cell c, rb_fixed v) {
  int64_t x = 0;
  bool fits = abi_narrow_of(c, v, &x);
  if (v == FIXED_EMPTY || v == FIXED_ERROR) {
    assert_true(fits);
    assert_true(x == empty_of(c) + (v == FIXED_ERROR));
    return;
  }
  rb_fixed unit = unit_of(c), most = (rb_fixed)most_units(c) * unit;
  bool want = v % unit == 0 && v <= most && v >= -most;
  if (fits != want) fail_msg("cells %d: %s: %lld.%09lld units", (int)c, fits ? "fits, should not" : "does not fit, should",
                             (long long)(v / UNIT / 1000000000), (long long)(v / UNIT % 1000000000));
  if (!fits) return;
  assert_true(x >= -most_units(c));
  assert_true((rb_fixed)x == v / unit);
  assert_true(abi_narrow_number(c, x) == v);
}

/* The edges: 0, one unit, the largest and smallest narrow numbers and one
   unit past them, a count of 10^-18 that is no unit, the range's ends;
   for each kind of cell. */
static void test_of_edges(void **state) {
  (void)state;
  rb_fixed edges[] = {0, 1, -1, UNIT, -UNIT, UNIT - 1, UNIT + 1, MOST, -MOST, MOST + UNIT, -MOST - UNIT,
                      MOST - 1, -MOST + 1, FIXED_MAX, -FIXED_MAX, FIXED_MAX - FIXED_MAX % UNIT, FIXED_ONE,
                      FIXED_ONE * 9223372036LL, FIXED_ONE * 9223372037LL, FIXED_EMPTY, FIXED_ERROR,
                      FIXED_ERROR + 1, (rb_fixed)1 << 100, (rb_fixed)512 * 7, (rb_fixed)1953125 * 7};
  for (size_t k = 0; k < sizeof edges / sizeof *edges; k++)
    for (int c = 0; c < 3; c++) check_of(CELLS[c], edges[k]);
  for (int c = 0; c < 3; c++) { /* a 4-byte cell's own edges */
    rb_fixed unit = unit_of(CELLS[c]);
    for (int64_t u = INT32_MAX - 4; u <= (int64_t)INT32_MAX + 2; u++) {
      check_of(CELLS[c], (rb_fixed)u * unit), check_of(CELLS[c], -(rb_fixed)u * unit);
      check_of(CELLS[c], (rb_fixed)u * UNIT), check_of(CELLS[c], (rb_fixed)u * FIXED_ONE);
    }
  }
}

/* 1,000,000 random values: whole units of every size, and units with a
   count of 10^-18 off, and values of every bit length. */
static void test_of_random(void **state) {
  (void)state;
  for (int k = 0; k < 1000000; k++) {
    rb_fixed units = (rb_fixed)(int64_t)next() >> (next() % 64);
    rb_fixed v;
    switch (k % 4) {
    case 0: v = units * UNIT; break;
    case 1: v = units * UNIT + (rb_fixed)(next() % 3) - 1; break;
    case 2: v = (rb_fixed)(((unsigned __int128)next() << 64 | next()) >> (next() % 128)); break;
    default: v = units * UNIT * 5 + (rb_fixed)(next() % 2) * 512; break; /* multiples of 2^9 or 5^9 alone */
    }
    if (v > FIXED_MAX || v < -FIXED_MAX) continue;
    check_of(CELLS[k % 3], v);
    rb_fixed small = (rb_fixed)((int64_t)next() >> (31 + next() % 33)); /* |small| < 2^32: about a 4-byte cell's */
    check_of(CELLS[k % 3], small * unit_of(CELLS[k % 3]) + (rb_fixed)(next() % 3) - 1);
    check_of(CELLS[k % 3], small * UNIT);
  }
}

/* A column's cells, of each kind: each reads back as the last value put,
   kept aside or not, through narrow_get and the generated code's routine;
   overwritten cells change kind both ways. */
static void column_of(abi_cell form) {
  enum { N = 5000 };
  rb_fixed *want = malloc(N * sizeof *want);
  assert_non_null(want);
  rb_cells *col = narrow_column(N, form), *other = narrow_column(7, form);
  assert_int_equal(narrow_cell(col), form);
  for (int round = 0; round < 3; round++) {
    for (size_t k = 0; k < N; k++) {
      if (round && next() % 3) continue; /* later rounds overwrite a third */
      rb_fixed v;
      switch (next() % 6) {
      case 0: v = FIXED_EMPTY; break;
      case 1: v = FIXED_ERROR; break;
      case 2: v = (rb_fixed)(next() % 1000000) * FIXED_ONE + 1; break; /* 18 decimals: aside */
      case 3: v = (rb_fixed)(next() % 1000) * FIXED_ONE * 100000000000LL; break; /* 10^11 and more: aside */
      case 4: v = (rb_fixed)(int64_t)(next() % 2000001) * FIXED_ONE - 1000000 * FIXED_ONE; break; /* whole */
      default: v = (rb_fixed)(int64_t)(next() % 2000001) * UNIT - 1000000 * UNIT; break;
      }
      want[k] = v;
      narrow_put(col, k, v);
    }
    for (size_t k = 0; k < N; k++) {
      if (narrow_get(col, k) != want[k]) fail_msg("round %d, cell %zu", round, k);
      if (rubric_narrow_value(col, (int64_t)k) != want[k]) fail_msg("the generated code's way: cell %zu", k);
    }
  }
  narrow_put(other, 6, FIXED_ONE / 3); /* another column's aside: its own */
  assert_true(narrow_get(other, 6) == FIXED_ONE / 3);
  assert_true(rubric_narrow_value(other, 6) == FIXED_ONE / 3);
  narrow_free(other);
  for (size_t k = 0; k < N; k++) assert_true(narrow_get(col, k) == want[k]);
  narrow_free(col);
  narrow_free(NULL);
  free(want);
}
static void test_column(void **state) {
  (void)state;
  for (int c = 0; c < 3; c++) column_of(CELLS[c]);
}

/* Cells given back (narrow_release) as the scoring pass does, in steps:
   the pages wholly within the cells released read 0, every other cell
   (the edges' pages, the header's, the cells after) reads what it held,
   kept-aside values too; releasing in two steps gives back what one does.
   A column of 2 MB or more lies on huge pages and gives back only whole
   ones (narrow.h): a cell on a 2 MB page partly outside the cells keeps
   its value; the 4 KB pages before its first huge page (the header's, the
   lead's cells) go once the cells reach that page, and those after its
   last huge page with its last cells. A smaller column keeps
   every cell. */
static size_t released_of(abi_cell form, size_t n, size_t first, size_t mid, size_t to) {
  rb_cells *col = narrow_column(n, form);
  size_t w = abi_cell_bytes(form);
  rb_fixed *want = malloc(n * sizeof *want);
  assert_non_null(want);
  for (size_t k = 0; k < n; k++) {
    want[k] = k % 997 == 5 ? (rb_fixed)k * FIXED_ONE + 1 : (rb_fixed)(k + 1) * unit_of(form); /* some aside; none 0 */
    narrow_put(col, k, want[k]);
  }
  narrow_release(col, first, first, mid);
  narrow_release(col, first, mid, to);
  bool huge = n * w >= 2 << 20;
  uintptr_t page = 2 << 20, lo = (uintptr_t)col + first * w, hi = (uintptr_t)col + to * w;
  if (to == n) hi = (hi + page - 1) & ~(page - 1); /* the page the column ends in goes with its last cells */
  uintptr_t huge_from = (((uintptr_t)col - 64) & ~(page - 1)) + page; /* the header lies before it */
  size_t zero = 0;
  for (size_t k = 0; k < n; k++) {
    uintptr_t p = (uintptr_t)col + k * w, size = p < huge_from ? 4096 : page;
    uintptr_t at = p & ~(size - 1); /* the cell's page */
    if (huge && hi >= huge_from && at >= lo && at + size <= hi) {
      if (narrow_raw(col, form, k) != 0) fail_msg("cell %zu of a page given back holds %lld", k, (long long)narrow_raw(col, form, k));
      zero++;
    } else if (narrow_get(col, k) != want[k] || rubric_narrow_value(col, (int64_t)k) != want[k]) {
      fail_msg("cell %zu, kept, reads another value", k);
    }
  }
  if (huge) assert_true(zero + 2 * page / w >= to - first); /* all but the edges' pages */
  else assert_int_equal(zero, 0);
  narrow_free(col);
  free(want);
  return zero;
}
static size_t released(size_t n, size_t first, size_t mid, size_t to) {
  return released_of(ABI_CELL_UNITS8, n, first, mid, to);
}

static void test_release(void **state) {
  (void)state;
  released(3 << 20, 0, 1 << 20, 2 << 20); /* on huge pages, from the first cell: the header stays */
  released(3 << 20, 1000, 1001, (3 << 20) - 7);
  released(3 << 20, 5000, 5000, 5000); /* nothing */
  /* the first huge page goes too: the header lies on the 4 KB pages before it */
  assert_true(released(3 << 20, 0, 300000, 300001) >= (2 << 20) / sizeof(rb_narrow));
  for (int i = 0; i < 31; i++) { /* columns of every lead (narrow.c): from the start, within and past the 4 KB pages */
    released(600000, 0, 7, 5000 + (size_t)i * 8000);
    released(600000, 0, (size_t)i * 7000, 300000 + (size_t)i * 1000);
  }
  /* to the end: the huge page the cells end in goes too */
  assert_true(released(3 << 20, 0, 1 << 20, 3 << 20) >= (3 << 20) - (2 << 20) / sizeof(rb_narrow));
  released(1000000, 400000, 700000, 1000000);
  released(1000000, 999999, 999999, 1000000);
  released(20000, 123, 9000, 19999);   /* a small column (malloc): kept */
  /* 4-byte cells: half the bytes, the same pages */
  assert_true(released_of(ABI_CELL_WHOLE4, 6 << 20, 0, 1 << 20, 6 << 20) >= (6 << 20) - (2 << 20) / 4);
  released_of(ABI_CELL_UNITS4, 6 << 20, 1000, 1001, (6 << 20) - 7);
  for (int i = 0; i < 31; i++) released_of(ABI_CELL_WHOLE4, 1200000, 0, (size_t)i * 14000, 600000 + (size_t)i * 2000);
  released_of(ABI_CELL_UNITS4, 40000, 123, 9000, 39999); /* small: kept */
}

/* Whether the 4 KB page at P is resident. */
static bool resident(uintptr_t p) {
  unsigned char in = 0;
  assert_int_equal(mincore((void *)(p & ~(uintptr_t)4095), 4096, &in), 0);
  return in & 1;
}

/* A large column written whole holds no page it does not use: before its
   header and after its last cell, to the 2 MB boundaries around them, no
   page is resident (were those huge pages, Chengwu's 1,000,000 counties
   kept 36 MB more, half-empty tails). Columns of every lead. */
static void test_column_pages(void **state) {
  (void)state;
  for (int k = 0; k < 31; k++) {
    abi_cell form = CELLS[k % 3];
    size_t w = abi_cell_bytes(form), n = (600000 + (size_t)k * 777) * 8 / w;
    rb_cells *col = narrow_column(n, form);
    for (size_t i = 0; i < n; i++) narrow_put(col, i, (rb_fixed)(i + 1) * unit_of(form));
    uintptr_t page = 2 << 20, head = (uintptr_t)col - 64, end = (uintptr_t)col + n * w;
    for (uintptr_t p = (head & ~(page - 1)); p + 4096 <= (head & ~(uintptr_t)4095); p += 4096)
      if (resident(p)) fail_msg("column %d: a page before the header is resident", k);
    for (uintptr_t p = (end + 4095) & ~(uintptr_t)4095; p < ((end + page - 1) & ~(page - 1)); p += 4096)
      if (resident(p)) fail_msg("column %d: a page after the last cell is resident", k);
    assert_true(resident(head) && resident(end - 1));
    narrow_free(col);
  }
}

/* Columns in one block (column_blocks, the score columns): each BYTES
   long, none overlapping; a large one starts on a huge page of its own
   (none shared with the end of the column before), each at another
   offset in its 2 MB. */
static void blocks(int n, size_t bytes) {
  void *column[32];
  void *block = column_blocks(n, bytes, column);
  assert_non_null(block);
  bool large = bytes >= 2 << 20;
  for (int k = 0; k < n; k++) {
    memset(column[k], k + 1, bytes); /* ASan: each lies within the block */
    if (k == 0) continue;
    uintptr_t end = (uintptr_t)column[k - 1] + bytes, start = (uintptr_t)column[k];
    assert_true(start >= end);
    if (!large) continue;
    assert_true(start / (2 << 20) > (end - 1) / (2 << 20));
    for (int j = 0; j < k; j++) assert_true((uintptr_t)column[j] % (2 << 20) != start % (2 << 20));
  }
  for (int k = 0; k < n; k++) /* and nothing wrote over another */
    assert_true(((unsigned char *)column[k])[0] == k + 1 && ((unsigned char *)column[k])[bytes - 1] == k + 1);
  pages_free(block);
}

static void test_blocks(void **state) {
  (void)state;
  blocks(26, 16000000); /* 1,000,000 scores */
  blocks(5, 3 << 20);
  blocks(7, 45600); /* 2,850 scores: malloc */
  blocks(1, 16);
}

/* A table's columns (narrow_columns): those under 2 MB share one block
   (on huge pages from 1 MB: 2,850 counties' per-month columns and their
   own, written through, take a tenth of their 4 KB pages' faults), the
   larger have their own; each holds its cells, the values kept aside
   included, and frees apart from the block. Past 16 MB none share. */
#if defined(__SANITIZE_ADDRESS__)
enum { REDZONE = 64 }; /* narrow.c: poisoned after each shared column */
#else
enum { REDZONE = 0 };
#endif

static void test_shared_columns(void **state) {
  (void)state;
  enum { N = 12 };
  size_t len[N];
  for (int k = 0; k < N; k++) len[k] = k < 9 ? 34200 : k < 11 ? 2850 : 400000; /* the last: 3.2 MB, its own */
  rb_cells *col[N];
  abi_cell form[N];
  for (int k = 0; k < N; k++) form[k] = k == 11 || k % 3 == 0 ? ABI_CELL_UNITS8 : CELLS[k % 3]; /* of every kind */
#define END(k) ((char *)col[k] + len[k] * abi_cell_bytes(form[k]))
  char *block = narrow_columns(N, len, form, col);
  assert_non_null(block);
  size_t shared = 64; /* its length first */
  for (int k = 0; k < 11; k++) shared += (64 + len[k] * abi_cell_bytes(form[k]) + 63) / 64 * 64 + REDZONE;
  assert_int_equal((uintptr_t)block % (2 << 20), 0); /* 1.7 MB: on huge pages */
  for (int k = 0; k < 11; k++) {
    assert_int_equal(narrow_cell(col[k]), form[k]);
    assert_true((char *)col[k] >= block && END(k) <= block + shared);
    if (k) assert_true((char *)col[k] >= END(k - 1)); /* no two overlap */
  }
  assert_true((char *)col[11] + 64 < block || (char *)col[11] >= block + shared);
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  long before = u.ru_minflt;
  for (int k = 0; k < 11; k++)
    for (size_t r = 0; r < len[k]; r++) narrow_put(col[k], r, (rb_fixed)(r * 7 + (size_t)k) * unit_of(form[k]));
  getrusage(RUSAGE_SELF, &u);
  long pages = (long)(shared / 4096);
  /* where the kernel gives huge pages, and without ASan's shadow pages */
  char mode[128] = "";
  FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  bool huge = thp && fgets(mode, sizeof mode, thp) && !strstr(mode, "[never]");
  if (thp) fclose(thp);
#if !defined(__SANITIZE_ADDRESS__)
  if (huge) assert_in_range(u.ru_minflt - before, 0, pages / 10);
#endif
  (void)huge, (void)pages, (void)before;
#if defined(__SANITIZE_ADDRESS__)
  /* a write one cell past a shared column's end is caught, as between blocks */
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(2); /* ASan's report is expected: not in the test's output */
    volatile char *past = END(4); /* a 4-byte column's */
    *past = 1;
    _exit(0);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#endif
  narrow_put(col[3], 17, MOST + 1); /* kept aside, in a chunk of its own */
  for (size_t r = 0; r < len[11]; r++) narrow_put(col[11], r, (rb_fixed)r * UNIT);
  for (int k = 0; k < 11; k++)
    for (size_t r = 0; r < len[k]; r += 97)
      if (!(k == 3 && r == 17))
        assert_true(rubric_narrow_value(col[k], (int64_t)r) == (rb_fixed)(r * 7 + (size_t)k) * unit_of(form[k]));
  assert_true(rubric_narrow_value(col[3], 17) == MOST + 1);
  assert_true(rubric_narrow_value(col[11], 399999) == (rb_fixed)399999 * UNIT);
  for (int k = 0; k < N; k++) narrow_free(col[k]);
  narrow_columns_free(block);
  /* past 16 MB: each its own, no block */
  size_t many[N];
  for (int k = 0; k < N; k++) many[k] = 200000; /* 1.6 MB each, 19 MB together */
  abi_cell eight[N];
  for (int k = 0; k < N; k++) eight[k] = ABI_CELL_UNITS8;
  assert_null(narrow_columns(N, many, eight, col));
  for (int k = 0; k < N; k++) {
    narrow_put(col[k], many[k] - 1, UNIT);
    assert_true(rubric_narrow_value(col[k], (int64_t)many[k] - 1) == UNIT);
    narrow_free(col[k]);
  }
  /* none small: no block */
  size_t big[1] = {400000};
  assert_null(narrow_columns(1, big, form, col));
  narrow_free(col[0]);
  /* from half a megabyte to 1 MB, the block is asked for as 1 MB, on a
     huge page (2,850 counties' columns of 4 bytes: 0.97 MB); below, it is
     malloc's */
  size_t lens[2][2] = {{70000, 70000}, {20000, 20000}}; /* 560 KB, 160 KB */
  abi_cell four[2] = {ABI_CELL_WHOLE4, ABI_CELL_UNITS4};
  for (int t = 0; t < 2; t++) {
    char *b = narrow_columns(2, lens[t], four, col);
    assert_non_null(b);
    if (t == 0) assert_int_equal((uintptr_t)b % (2 << 20), 0);
    else assert_true((uintptr_t)b % (2 << 20) != 0);
    for (int k = 0; k < 2; k++) {
      for (size_t r = 0; r < lens[t][k]; r++) narrow_put(col[k], r, (rb_fixed)r * unit_of(four[k]));
      assert_true(narrow_get(col[k], lens[t][k] - 1) == (rb_fixed)(lens[t][k] - 1) * unit_of(four[k]));
      narrow_free(col[k]);
    }
    narrow_columns_free(b);
  }
}

/* The loader's way into a column (cell_put) against cell_value then
   narrow_put, for inputs of every kind of bound, on random cells of every
   shape (signs, spaces, thousands, exponents, percents, 20 digits, 18
   decimals, empty): the same verdict and the same cell. */
static void test_cell_put(void **state) {
  (void)state;
  const char *text = "scheme cells \"格\" {\n  total 1\n"
                     "  input a: count\n  input b: count at least 1\n  input c: number in [0, 0.7]\n"
                     "  input d: fraction\n  input e: money\n  input f: number in [-5, 5.5]\n"
                     "  input g: number\n  input h: count missing 0\n  input y: yesno\n"
                     "  input j: number in [0.0000000015, 3.0000000025]\n  input k: number in [-2, -0.0000000005]\n"
                     "  indicator i \"i\" points 1 {\n"
                     "    1 if a > 0 and b > 1 and c > 0 and d > 0 and e > 0 and f > 0 and g > 0 and h > 0 and y and j > 1 and k < 0,\n"
                     "    0 otherwise\n  }\n}\n";
  rb_diags d;
  diag_init(&d, stderr);
  sc_file *u = compile_text("cells.rubric", text, strlen(text), &d);
  const sc_scheme *s = u ? compile_find_scheme(u, NULL) : NULL;
  assert_non_null(s);
  assert_int_equal(d.errors, 0);
  enum { N = 4096 };
  static const char *const parts[] = {"0", "1", "7", "12", "0.7", "0.70", "0.700000001", "1.5", "-", " ", "%", "e3",
                                      "e-9", "E2", ",000", "9223372036", "854775807", "000000000", "5", ".", "99",
                                      "123456789012345678", "1e19", "0.000000001", "0.0000000001", "3‰", "x", "",
                                      "0.000000002", "3.000000002", "3.000000003"};
  enum { NPARTS = sizeof parts / sizeof *parts };
  char cell[128];
  int agree_ok = 0;
  for (int i = 0; i < s->ninputs; i++) {
    input_check ck;
    input_check_init(&ck, &s->inputs[i]);
    rb_cells *fast = narrow_column(N, abi_cell_of(s->inputs[i].type)), *slow = narrow_column(N, abi_cell_of(s->inputs[i].type));
    for (size_t k = 0; k < N; k++) {
      size_t len = 0;
      for (int m = (int)(next() % 4); m >= 0; m--) {
        const char *p = parts[next() % NPARTS];
        if (len + strlen(p) < sizeof cell) memcpy(cell + len, p, strlen(p)), len += strlen(p);
      }
      cell[len] = '\0';
      rb_fixed v;
      bool ok_fast = cell_put(&ck, cell, len, fast, k), ok_slow = cell_value(&ck, cell, len, &v);
      narrow_put(slow, k, v);
      if (ok_fast != ok_slow || narrow_get(fast, k) != narrow_get(slow, k))
        fail_msg("input %s, \"%s\": %d and %d", s->inputs[i].name, cell, ok_fast, ok_slow);
      agree_ok += ok_fast;
    }
    narrow_free(fast);
    narrow_free(slow);
  }
  assert_true(agree_ok > N); /* good cells too, not only refusals */
  compile_free(u);
}

/* Two threads put values aside into the cells of one column at once (the
   loader's parts): every value is there afterwards. */
typedef struct half {
  rb_cells *col;
  size_t from, to;
} half;
static void *put_half(void *arg) {
  const half *h = arg;
  for (size_t k = h->from; k < h->to; k++) narrow_put(h->col, k, (rb_fixed)k * FIXED_ONE + 7); /* aside */
  return NULL;
}
static void test_threads(void **state) {
  (void)state;
  enum { N = 40000 };
  rb_cells *col = narrow_column(N, ABI_CELL_WHOLE4);
  half a = {col, 0, N / 2}, b = {col, N / 2, N};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, put_half, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, put_half, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  for (size_t k = 0; k < N; k++)
    if (narrow_get(col, k) != (rb_fixed)k * FIXED_ONE + 7) fail_msg("cell %zu", k);
  narrow_free(col);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_of_edges),
      cmocka_unit_test(test_of_random),
      cmocka_unit_test(test_column),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_release),
      cmocka_unit_test(test_column_pages),
      cmocka_unit_test(test_blocks),
      cmocka_unit_test(test_shared_columns),
      cmocka_unit_test(test_cell_put),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
