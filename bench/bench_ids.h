/* bench_ids.h: the ids of a table's rows, and a hash from id to row, for
 * the baseline's join of the periods to the counties and the cross-check's
 * join of two outputs. */
#ifndef RUBRIC_BENCH_IDS_H
#define RUBRIC_BENCH_IDS_H

#include <stddef.h>

typedef struct bench_ids {
  long n, cap;
  char *text;    /* every id, one after another; owned */
  size_t len, text_cap;
  size_t *at;    /* row r's id is text[at[r]] .. text[at[r + 1]]; owned */
  long *slots;   /* open addressing: row + 1, or 0; owned; built by bench_ids_index */
  size_t mask;
} bench_ids;

/* Appends the id S (LEN bytes) as the next row. Aborts when out of memory. */
void bench_ids_add(bench_ids *ids, const char *s, size_t len);
/* Builds the hash. Returns -1, or the first row whose id repeats an earlier
   row's (whose index goes to *FIRST). */
long bench_ids_index(bench_ids *ids, long *first);
/* The row of id S, or -1. */
long bench_ids_find(const bench_ids *ids, const char *s, size_t len);
/* Row R's id and its length. */
const char *bench_ids_text(const bench_ids *ids, long r, int *len);
void bench_ids_free(bench_ids *ids);

#endif
