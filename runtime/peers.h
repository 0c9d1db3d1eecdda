/* peers.h: ranking within peer groups, for the generated code's first pass
 * (peers.rank) and for the output's rank column.
 */
#ifndef RUBRIC_PEERS_H
#define RUBRIC_PEERS_H
#include <stddef.h>
#include <stdint.h>

/* Replaces each of the N values by its competition rank within its group
   (group[r]): 1 + the number of rows of the group with a strictly greater
   value, so ties share the better rank (1, 2, 2, 4). A group holding a NaN
   gets NaN for every row. O(n log n). The generated code calls this by the
   name ABI_RANK_SYMBOL (codegen/abi.h); native.c hands its address to the JIT. */
void rubric_peer_rank(double *values, const int64_t *group, int64_t n);

/* Writes to ORDER the rows sorted by group, then by value (NaN last, ties
   by row): the order the first pass adds a group's values in, so a sum or a
   mean has the same bits whatever order the rows come in. The generated
   code calls this by the name ABI_ORDER_SYMBOL. */
void rubric_peer_order(const double *values, const int64_t *group, int64_t n, int64_t *order);

/* The same ranking of SCORE into RANK, where a NaN ranks after every number
   (tied with other NaNs) instead of spoiling its group. GROUP may be NULL
   (one group). */
void peers_rank(const double *score, const int64_t *group, size_t n, int *rank);

#endif
