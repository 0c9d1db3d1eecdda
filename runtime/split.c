/* split.c: rows cut into parts, one per thread, or into blocks the parts
 * take in turn; see split.h. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "split.h"

/* How many parts for N rows: RUBRIC_THREADS when set (1 to 64), else one
   per online core, each with at least MIN_ROWS rows. */
static int part_count(size_t n, size_t min_rows) {
  const char *env = getenv("RUBRIC_THREADS");
  long t;
  if (env && *env) {
    char *end;
    t = strtol(env, &end, 10);
    if (*end || t < 1) t = 1;
  } else {
    t = sysconf(_SC_NPROCESSORS_ONLN);
    if (t < 1) t = 1;
    long most = (long)(n / (min_rows ? min_rows : 1));
    if (t > most) t = most;
  }
  if (t > RB_MAX_PARTS) t = RB_MAX_PARTS;
  if ((size_t)t > n) t = (long)n;
  return t < 1 ? 1 : (int)t;
}

typedef struct part {
  rb_range_fn *work;
  void *ctx;
  int index;
  size_t from, to;
} part;

static void *run_part(void *arg) {
  part *p = arg;
  p->work(p->ctx, p->index, p->from, p->to);
  return NULL;
}

/* Runs PARTS parts of WORK over rows 0..N-1, part k on rows
   N*k/PARTS..N*(k+1)/PARTS-1: part 0 on this thread. */
static int run_parts(int parts, size_t n, rb_range_fn *work, void *ctx) {
  part pt[RB_MAX_PARTS];
  pthread_t tid[RB_MAX_PARTS];
  bool started[RB_MAX_PARTS] = {false};
  for (int k = 0; k < parts; k++) {
    pt[k] = (part){work, ctx, k, n * (size_t)k / (size_t)parts, n * (size_t)(k + 1) / (size_t)parts};
    if (k > 0) started[k] = pthread_create(&tid[k], NULL, run_part, &pt[k]) == 0;
  }
  run_part(&pt[0]);
  for (int k = 1; k < parts; k++) {
    if (started[k]) pthread_join(tid[k], NULL);
    else run_part(&pt[k]); /* no thread for it: this one does it */
  }
  return parts;
}

int rb_split(size_t n, size_t min_rows, rb_range_fn *work, void *ctx) {
  return run_parts(part_count(n, min_rows), n, work, ctx);
}

/* The blocks of rb_split_blocks, and the next one to take. */
typedef struct blocks {
  rb_range_fn *work;
  void *ctx;
  size_t n, size, count;
  size_t next; /* atomic */
} blocks;

/* One part: blocks until none is left (its own range is not used). */
static void take_blocks(void *ctx, int part, size_t from, size_t to) {
  (void)from, (void)to;
  blocks *b = ctx;
  for (size_t k; (k = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED)) < b->count;) {
    size_t lo = k * b->size;
    b->work(b->ctx, part, lo, b->n - lo > b->size ? lo + b->size : b->n);
  }
}

int rb_split_blocks(size_t n, size_t min_rows, size_t most_rows, rb_range_fn *work, void *ctx) {
  int parts = part_count(n, min_rows);
  size_t size = n / (8 * (size_t)parts);
  if (size > most_rows) size = most_rows;
  if (size < min_rows) size = min_rows;
  if (size < 1) size = 1;
  blocks b = {work, ctx, n, size, (n + size - 1) / size, 0};
  return run_parts(parts, (size_t)parts, take_blocks, &b);
}
