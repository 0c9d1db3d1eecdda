/* abi.h: the native functions a scheme compiles to, as the runtime calls
 * them: their C types, the columns they read and write, the runtime
 * routines they call, and how a failed score is encoded. Shared by
 * codegen/ (which generates them) and runtime/ (which calls them).
 *
 * A scheme becomes up to two functions. When its rules read the peer group
 * (peers.max(x), ...), the first pass
 *   void peers(const double *const *inputs, int64_t n, const int64_t *group,
 *              int64_t ngroups, double *const *stats, double *work);
 * computes each peer statistic (sc_stat) over every row's group and writes
 * it to every row: stats[k][r]. group[r] in [0, ngroups) is the row's peer
 * group; work holds 2*ngroups + n doubles. The second pass
 *   void score(const double *const *inputs, int64_t n, const double *const *stats,
 *              double *const *outputs);
 * scores every row. inputs[i] is input i's column: n values, or for a
 * per-period input nperiods blocks of n (period p of row r at [p*n + r]);
 * an empty cell of an input with `missing scores` is NaN. Outputs (the
 * abi_out_* functions): part k's column (sc_part.index order), the total,
 * then per target its value, goal and met (1 or 0), then per grade the
 * index of its band. A score that could not be computed is a NaN whose low
 * 32 bits hold 1 + the index of the error site (cg_site) that stopped it; a
 * number is always finite.
 */
#ifndef RUBRIC_CODEGEN_ABI_H
#define RUBRIC_CODEGEN_ABI_H
#include <stdint.h>
#include <string.h>

#include "scheme.h"

typedef void (*rb_score_fn)(const double *const *inputs, int64_t n, const double *const *stats,
                            double *const *outputs);
typedef void (*rb_peers_fn)(const double *const *inputs, int64_t n, const int64_t *group, int64_t ngroups,
                            double *const *stats, double *work);

/* Output columns of the scoring function. */
static inline int abi_out_total(const sc_scheme *s) { return s->nparts; }
static inline int abi_out_target(const sc_scheme *s, int t) { return s->nparts + 1 + 3 * t; } /* value; +1 goal; +2 met */
static inline int abi_out_grade(const sc_scheme *s, int g) { return s->nparts + 1 + 3 * s->ntargets + g; }
static inline int abi_out_count(const sc_scheme *s) { return s->nparts + 1 + 3 * s->ntargets + s->ngrades; }

/* The runtime routine the first pass calls for peers.rank: replaces each
   value by its competition rank within its group (1 = largest; ties share
   the better rank); a group holding a NaN gets NaN ranks. Defined in
   runtime/peers.c and handed to the JIT by address. */
#define ABI_RANK_SYMBOL "rubric_peer_rank"
/* And for sums and means: the rows sorted by group then value, the order
   the first pass adds values in, so the bits do not depend on row order. */
#define ABI_ORDER_SYMBOL "rubric_peer_order"

/* The error site a failed score carries: its index, or -1 for a NaN no site
   produced (which the runtime reports as non-finite). */
static inline int abi_error_site(double score, int nsites) {
  uint64_t bits;
  memcpy(&bits, &score, sizeof bits);
  uint64_t code = bits & 0xFFFFFFFFu;
  if ((bits & 0x7FF8000000000000ULL) != 0x7FF8000000000000ULL || code == 0 || code > (uint64_t)nsites) return -1;
  return (int)code - 1;
}

#endif
