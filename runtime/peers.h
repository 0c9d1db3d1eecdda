/* peers.h: ranking within peer groups, for the generated code's first pass
 * (peers.rank) and for the output's rank column. Values are numbers
 * (compiler/fixed.h); a value that is not a number is a failed one.
 */
#ifndef RUBRIC_PEERS_H
#define RUBRIC_PEERS_H
#include <stddef.h>
#include <stdint.h>

#include "fixed.h"

/* Replaces each of the N values by its competition rank within its group
   (group[r]), as a number: 1 + the number of rows of the group with a
   strictly greater value, so ties share the better rank (1, 2, 2, 4). A
   group holding a value that is not a number gets FIXED_ERROR for every
   row. O(n log n). The generated code calls this by the name
   ABI_RANK_SYMBOL (codegen/abi.h); native.c hands its address to the JIT. */
void rubric_peer_rank(rb_fixed *values, const int64_t *group, int64_t n);

/* The same ranking of SCORE into RANK, where a failed score ranks after
   every number (tied with the other failed ones) instead of spoiling its
   group. GROUP may be NULL (one group). */
void peers_rank(const rb_fixed *score, const int64_t *group, size_t n, int *rank);

#endif
