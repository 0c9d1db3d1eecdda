/* peers.h: statistics over peer groups, after the generated code's first
 * pass (peers.max(x), ..., peers.rank(x)), and the output's rank column.
 * Values are numbers (compiler/fixed.h); a value that is not a number is
 * a failed one.
 */
#ifndef RUBRIC_PEERS_H
#define RUBRIC_PEERS_H
#include <stddef.h>
#include <stdint.h>

#include "fixed.h"
#include "vocab.h"

/* Replaces each of the N values (the argument of a statistic of KIND on
   every row; ignored for a count) by the statistic of its row's group
   (group[r] in [0, NGROUPS)), as spec/semantics.md says:
   - max, min, sum, count: a sum is exact in any order (256-bit
     accumulators); one of 10^20 or more is FIXED_EMPTY, which the second
     pass reports as an overflow;
   - mean: the exact sum over the count, rounded half up to 18 decimals
     once (as rubric_wide_div, then rubric_wide_result);
   - rank: 1 + the number of rows of the group with a strictly greater
     value, so ties share the better rank (1, 2, 2, 4), as a number.
   A group holding a value that is not a number gets FIXED_ERROR on every
   row, which the second pass reports at the peers.* call. */
void peers_fold(stat_kind kind, rb_fixed *values, const int64_t *group, size_t n, size_t ngroups);

/* The same ranking of SCORE into RANK, where a failed score ranks after
   every number (tied with the other failed ones) instead of spoiling its
   group. GROUP may be NULL (one group). */
void peers_rank(const rb_fixed *score, const int64_t *group, size_t n, int *rank);

#endif
