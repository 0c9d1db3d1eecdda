/* peers.c: statistics over peer groups, and ranking; see peers.h. */
#include "peers.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arith.h"
#include "pages.h"
#include "split.h"

/* A row in the order of ranks: its group, then numbers before failures,
   greater values first, and equal ones by row (a total order: the same
   ranks whatever the sort). 32 bytes, so that a million rows sort in
   cache-sized runs. */
typedef struct entry {
  rb_fixed value;
  int64_t group;
  uint32_t row;
  bool failed; /* not a number: sorts last within its group */
} entry;

static inline bool before(const entry *a, const entry *b) {
  if (a->group != b->group) return a->group < b->group;
  if (a->failed != b->failed) return b->failed;
  if (!a->failed && a->value != b->value) return a->value > b->value;
  return a->row < b->row;
}

/* A[0..n) sorted by before(), through SCRATCH (n / 2 entries): a merge
   sort with the comparison inlined, several times faster than qsort's call
   per comparison (ranking a million totals took 0.8-1.0 s with qsort). */
static void sort_entries(entry *a, entry *scratch, size_t n) {
  if (n <= 16) { /* insertion */
    for (size_t i = 1; i < n; i++) {
      entry x = a[i];
      size_t j = i;
      for (; j > 0 && before(&x, &a[j - 1]); j--) a[j] = a[j - 1];
      a[j] = x;
    }
    return;
  }
  size_t h = n / 2;
  sort_entries(a, scratch, h);
  sort_entries(a + h, scratch, n - h);
  if (!before(&a[h], &a[h - 1])) return; /* already in order */
  /* the left half aside, then merged with the right into place: the next
     place written is never past the right half's next entry */
  memcpy(scratch, a, h * sizeof *a);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) a[k++] = before(&a[j], &scratch[i]) ? a[j++] : scratch[i++];
  while (i < h) a[k++] = scratch[i++];
}

/* The sorted runs [A[LO], A[MID]) and [A[MID], A[HI]) merged in place, the
   left one through SCRATCH, as sort_entries merges. */
static void merge_runs(entry *a, entry *scratch, size_t lo, size_t mid, size_t hi) {
  if (lo == mid || mid == hi || !before(&a[mid], &a[mid - 1])) return; /* already in order */
  size_t h = mid - lo;
  memcpy(scratch, a + lo, h * sizeof *a);
  size_t i = 0, j = mid, k = lo;
  while (i < h && j < hi) a[k++] = before(&a[j], &scratch[i]) ? a[j++] : scratch[i++];
  while (i < h) a[k++] = scratch[i++];
}

/* The rows of the parts of rb_split sorted apart, on their threads: a
   million totals took 0.2 s on one core while the other stood idle. Each
   part fills its own entries and sorts them through its own share of the
   scratch (rows FROM..TO-1 use FROM/2 + PART on: no two parts' shares
   meet). */
typedef struct sort_job {
  const rb_fixed *v;
  const int64_t *group;
  entry *e, *scratch;
  size_t from[RB_MAX_PARTS + 1];
} sort_job;

static void sort_part(void *ctx, int part, size_t from, size_t to) {
  sort_job *j = ctx;
  for (size_t r = from; r < to; r++)
    j->e[r] = (entry){j->v[r], j->group ? j->group[r] : 0, (uint32_t)r, !fixed_is_number(j->v[r])};
  sort_entries(j->e + from, j->scratch + from / 2 + (size_t)part, to - from);
  j->from[part] = from;
}

/* Parts K0..K1-1, each sorted, merged into one run: halves of the parts
   first, so that a left run is never over half the rows and a part. */
static void merge_parts(sort_job *j, int k0, int k1) {
  if (k1 - k0 < 2) return;
  int km = (k0 + k1) / 2;
  merge_parts(j, k0, km);
  merge_parts(j, km, k1);
  merge_runs(j->e, j->scratch, j->from[k0], j->from[km], j->from[k1]);
}

/* From this many rows on, the parts sort on their threads. */
enum { SORT_PARTS_FROM = 65536 };

/* Sorted entries of the rows; caller frees with pages_free. Pages arrays
   (pages.h): for a million rows, 48 MB of malloc's 4 KB pages were 6,000
   faults, 16% of a whole run's. The order is total, so the entries come
   out the same whatever the parts. */
static entry *sorted(const rb_fixed *v, const int64_t *group, size_t n) {
  assert(n <= UINT32_MAX && "ranks are ints: far fewer rows");
  entry *e = pages_calloc(n ? n : 1, sizeof *e);
  entry *scratch = pages_calloc(n / 2 + RB_MAX_PARTS + 1, sizeof *scratch);
  if (!e || !scratch) abort();
  sort_job j = {.v = v, .group = group, .e = e, .scratch = scratch};
  int parts = 1;
  if (n >= SORT_PARTS_FROM) parts = rb_split(n, SORT_PARTS_FROM / 2, sort_part, &j);
  else sort_part(&j, 0, 0, n);
  j.from[parts] = n;
  merge_parts(&j, 0, parts);
  pages_free(scratch);
  return e;
}

void peers_rank(const rb_fixed *score, const int64_t *group, size_t n, int *rank) {
  entry *e = sorted(score, group, n);
  for (size_t i = 0, start = 0; i < n; i++) {
    if (i > 0 && e[i].group != e[i - 1].group) start = i;
    bool tie = i > start && e[i].failed == e[i - 1].failed && (e[i].failed || e[i].value == e[i - 1].value);
    rank[e[i].row] = tie ? rank[e[i - 1].row] : (int)(i - start + 1);
  }
  pages_free(e);
}

/* Each value replaced by its rank in its group (peers_fold, STAT_RANK). */
static void rank_in_place(rb_fixed *values, const int64_t *group, size_t n) {
  if (!n) return;
  entry *e = sorted(values, group, n);
  rb_fixed prev_rank = 0;
  for (size_t i = 0, start = 0; i < n; i++) {
    if (i > 0 && e[i].group != e[i - 1].group) start = i;
    if (i == start) {
      /* failed values sort last: a group with one has it in its last entry */
      size_t end = i;
      while (end + 1 < n && e[end + 1].group == e[i].group) end++;
      if (e[end].failed) {
        for (size_t k = i; k <= end; k++) values[e[k].row] = FIXED_ERROR;
        i = end;
        continue;
      }
    }
    rb_fixed r = (i > start && e[i].value == e[i - 1].value) ? prev_rank : fixed_from_int((long long)(i - start + 1));
    values[e[i].row] = r;
    prev_rank = r;
  }
  pages_free(e);
}

typedef unsigned __int128 u128;

/* A group's fold: a 256-bit two's complement sum (n values under 2^127
   never reach 2^255), the extreme so far, the rows, and whether one of
   them failed. */
typedef struct group_acc {
  u128 lo;
  __int128 hi;
  rb_fixed best;
  int64_t rows;
  bool spoiled;
} group_acc;

static void acc_add(group_acc *a, rb_fixed x) {
  u128 before = a->lo;
  a->lo += (u128)x;
  a->hi += (x < 0 ? -1 : 0) + (a->lo < before);
}

/* The sum as a number, or FIXED_EMPTY from 10^20 on. */
static rb_fixed acc_sum(const group_acc *a) {
  rb_fixed low = (rb_fixed)a->lo;
  if (a->hi != (low < 0 ? -1 : 0) || !fixed_is_number(low)) return FIXED_EMPTY;
  return low;
}

/* The exact sum over the rows, rounded half up to 18 decimals once. */
static rb_fixed acc_mean(const group_acc *a) {
  /* the sum (10^-18) times 10^18: a wide value (10^-36), |sum| < 2^191 */
  bool neg = a->hi < 0;
  u128 lo = a->lo, hi = (u128)a->hi;
  if (neg) { /* magnitude */
    lo = ~lo + 1;
    hi = ~hi + (lo == 0);
  }
  uint64_t w[4] = {(uint64_t)lo, (uint64_t)(lo >> 64), (uint64_t)hi, (uint64_t)(hi >> 64)}, carry = 0;
  for (int i = 0; i < 4; i++) {
    u128 p = (u128)w[i] * (uint64_t)FIXED_ONE + carry;
    w[i] = (uint64_t)p;
    carry = (uint64_t)(p >> 64);
  }
  if (neg) { /* back to two's complement */
    uint64_t c = 1;
    for (int i = 0; i < 4; i++) {
      w[i] = ~w[i] + c;
      c = c && w[i] == 0;
    }
  }
  rb_wide sum = {{w[0], w[1], w[2], w[3]}}, count = wide_from_fixed(fixed_from_int((long long)a->rows)), q;
  rubric_wide_div(&sum, &count, &q);
  return rubric_wide_result(&q);
}

void peers_fold(stat_kind kind, rb_fixed *values, const int64_t *group, size_t n, size_t ngroups) {
  if (kind == STAT_RANK) {
    rank_in_place(values, group, n);
    return;
  }
  if (!n) return;
  group_acc *acc = malloc((ngroups ? ngroups : 1) * sizeof *acc);
  if (!acc) abort();
  rb_fixed init = kind == STAT_MAX ? -FIXED_MAX : FIXED_MAX;
  for (size_t g = 0; g < (ngroups ? ngroups : 1); g++) acc[g] = (group_acc){0, 0, init, 0, false};
  for (size_t r = 0; r < n; r++) {
    group_acc *a = &acc[group ? group[r] : 0];
    rb_fixed x = kind == STAT_COUNT ? FIXED_ONE : values[r];
    a->rows++;
    if (!fixed_is_number(x)) {
      a->spoiled = true;
      continue;
    }
    if (kind == STAT_MAX) a->best = x > a->best ? x : a->best;
    else if (kind == STAT_MIN) a->best = x < a->best ? x : a->best;
    else acc_add(a, x);
  }
  /* each group's statistic, in place of its extreme */
  for (size_t g = 0; g < (ngroups ? ngroups : 1); g++) {
    group_acc *a = &acc[g];
    if (!a->rows) continue;
    if (a->spoiled) a->best = FIXED_ERROR;
    else if (kind == STAT_MEAN) a->best = acc_mean(a);
    else if (kind != STAT_MAX && kind != STAT_MIN) a->best = acc_sum(a);
  }
  for (size_t r = 0; r < n; r++) values[r] = acc[group ? group[r] : 0].best;
  free(acc);
}
