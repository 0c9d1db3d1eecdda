/* bench_ids.c: see bench_ids.h. FNV-1a and linear probing over a table at
 * most half full. */
#include "bench_ids.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t bytes) {
  p = realloc(p, bytes);
  if (!p) {
    fprintf(stderr, "rubric-bench: out of memory (%zu bytes)\n", bytes);
    exit(1);
  }
  return p;
}

void bench_ids_add(bench_ids *ids, const char *s, size_t len) {
  if (ids->n + 2 > ids->cap) {
    ids->cap = ids->cap ? 2 * ids->cap : 1024;
    ids->at = grow(ids->at, sizeof *ids->at * (size_t)ids->cap);
  }
  if (ids->len + len > ids->text_cap) {
    ids->text_cap = 2 * ids->text_cap + len + 4096;
    ids->text = grow(ids->text, ids->text_cap);
  }
  memcpy(ids->text + ids->len, s, len);
  ids->at[ids->n++] = ids->len;
  ids->len += len;
  ids->at[ids->n] = ids->len;
}

static uint64_t hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t k = 0; k < len; k++) h = (h ^ (unsigned char)s[k]) * 1099511628211ULL;
  return h;
}

/* The slot of S: where it is, or the empty slot where it would go. */
static size_t slot_of(const bench_ids *ids, const char *s, size_t len) {
  size_t k = hash(s, len) & ids->mask;
  for (;; k = (k + 1) & ids->mask) {
    long r = ids->slots[k] - 1;
    if (r < 0) return k;
    size_t at = ids->at[r];
    if (ids->at[r + 1] - at == len && !memcmp(ids->text + at, s, len)) return k;
  }
}

long bench_ids_index(bench_ids *ids, long *first) {
  size_t size = 1;
  while (size < 2 * (size_t)ids->n + 2) size *= 2;
  free(ids->slots);
  ids->slots = grow(NULL, sizeof *ids->slots * size);
  memset(ids->slots, 0, sizeof *ids->slots * size);
  ids->mask = size - 1;
  for (long r = 0; r < ids->n; r++) {
    size_t k = slot_of(ids, ids->text + ids->at[r], ids->at[r + 1] - ids->at[r]);
    if (ids->slots[k]) {
      *first = ids->slots[k] - 1;
      return r;
    }
    ids->slots[k] = r + 1;
  }
  return -1;
}

long bench_ids_find(const bench_ids *ids, const char *s, size_t len) {
  return ids->slots[slot_of(ids, s, len)] - 1;
}

const char *bench_ids_text(const bench_ids *ids, long r, int *len) {
  *len = (int)(ids->at[r + 1] - ids->at[r]);
  return ids->text + ids->at[r];
}

void bench_ids_free(bench_ids *ids) {
  free(ids->text);
  free(ids->at);
  free(ids->slots);
  memset(ids, 0, sizeof *ids);
}
