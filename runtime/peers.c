/* peers.c: ranking within peer groups; see peers.h. */
#include "peers.h"

#include <stdbool.h>
#include <stdlib.h>

typedef struct entry {
  int64_t group;
  rb_fixed value;
  bool failed; /* not a number: sorts last within its group */
  size_t row;
} entry;

static int by_group_then_value(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  if (a->group != b->group) return a->group < b->group ? -1 : 1;
  if (a->failed != b->failed) return a->failed ? 1 : -1;
  if (!a->failed && a->value != b->value) return a->value > b->value ? -1 : 1;
  return a->row < b->row ? -1 : a->row > b->row; /* stable: equal values by row */
}

/* Sorted entries of the rows; caller frees. */
static entry *sorted(const rb_fixed *v, const int64_t *group, size_t n) {
  entry *e = malloc((n ? n : 1) * sizeof *e);
  if (!e) abort();
  for (size_t r = 0; r < n; r++) e[r] = (entry){group ? group[r] : 0, v[r], !fixed_is_number(v[r]), r};
  qsort(e, n, sizeof *e, by_group_then_value);
  return e;
}

void peers_rank(const rb_fixed *score, const int64_t *group, size_t n, int *rank) {
  entry *e = sorted(score, group, n);
  for (size_t i = 0, start = 0; i < n; i++) {
    if (i > 0 && e[i].group != e[i - 1].group) start = i;
    bool tie = i > start && e[i].failed == e[i - 1].failed && (e[i].failed || e[i].value == e[i - 1].value);
    rank[e[i].row] = tie ? rank[e[i - 1].row] : (int)(i - start + 1);
  }
  free(e);
}

void rubric_peer_rank(rb_fixed *values, const int64_t *group, int64_t n) {
  if (n <= 0) return;
  entry *e = sorted(values, group, (size_t)n);
  rb_fixed prev_rank = 0;
  for (size_t i = 0, start = 0; i < (size_t)n; i++) {
    if (i > 0 && e[i].group != e[i - 1].group) start = i;
    if (i == start) {
      /* failed values sort last: a group with one has it in its last entry */
      size_t end = i;
      while (end + 1 < (size_t)n && e[end + 1].group == e[i].group) end++;
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
  free(e);
}
