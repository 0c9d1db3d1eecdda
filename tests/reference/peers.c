/* peers.c: peer aggregates (spec/semantics.md#peers). The argument of an
 * aggregate is computed for every entity of the group, with no guard, the
 * first time some entity reads it, and rounded half up to 18 decimals like
 * a result; if it fails for any of them, the aggregate fails for the whole
 * group. The entity's own value is evaluated (and rounded the same way)
 * where the aggregate is read, whatever the aggregate, so an entity whose
 * own value fails reports its own failure. Sums are exact; a peers.sum of
 * 10^20 or more is an overflow where it is read (peers.share divides by
 * it); peers.mean is the exact sum over the count, rounded to 18 decimals
 * once; the quotients of ratio_to_max, minmax, share and rank_ratio are
 * rounded to 36 decimals like any quotient in a rule. An argument may read
 * other aggregates (spec/semantics.md#staged-passes): each peer's value of
 * it asks for their statistics in turn, computed first by the same rule, so
 * the stages are the order of this recursion, and a failed inner statistic
 * fails the argument of every peer, spoiling the outer one for the group. */
#include <stdlib.h>

#include "ref.h"

/* The values of one argument over one peer group. */
typedef struct peer_stat {
  const sc_expr *arg;
  int group;
  bool failed;
  long n;
  mpq_t max, min, sum;
  mpq_t *sorted; /* the n values, ascending: ranks */
  struct peer_stat *next;
} peer_stat;

typedef struct peer_cache {
  peer_stat *head;
} peer_cache;

static int qcmp(const void *a, const void *b) { return mpq_cmp(*(const mpq_t *)a, *(const mpq_t *)b); }

/* The statistics of ARG over GROUP, computed once. Owned by the job's cache. */
static peer_stat *stat_of(job *j, const sc_expr *arg, int group) {
  if (!j->peers) {
    j->peers = calloc(1, sizeof *j->peers);
    if (!j->peers) abort();
  }
  for (peer_stat *s = j->peers->head; s; s = s->next)
    if (s->arg == arg && s->group == group) return s;
  peer_stat *s = calloc(1, sizeof *s);
  if (!s) abort();
  s->sorted = calloc((size_t)j->nentities + 1, sizeof *s->sorted);
  if (!s->sorted) abort();
  s->arg = arg;
  s->group = group;
  s->next = j->peers->head;
  j->peers->head = s;
  mpq_inits(s->max, s->min, s->sum, NULL);
  for (int e = 0; e < j->nentities; e++) {
    if (j->ents[e].group != group) continue;
    if (!arg) { /* peers.count() */
      s->n++;
      continue;
    }
    ctx peer = {.j = j, .ent = e};
    mpq_t *v = &s->sorted[s->n];
    mpq_init(*v);
    s->n++;
    bool ok = eval(&peer, arg, NULL, 0, *v);
    ctx_done(&peer);
    if (!ok) {
      s->failed = true;
      continue;
    }
    num_round(*v, 18);
    if (s->n == 1 || mpq_cmp(*v, s->max) > 0) mpq_set(s->max, *v);
    if (s->n == 1 || mpq_cmp(*v, s->min) < 0) mpq_set(s->min, *v);
    mpq_add(s->sum, s->sum, *v);
  }
  if (arg && !s->failed) qsort(s->sorted, (size_t)s->n, sizeof *s->sorted, qcmp);
  return s;
}

/* A quotient in a rule: rounded half up to 36 decimals. */
static void rounded(mpq_t q) { num_round(q, 36); }

/* 1 + the number of values of S greater than X. */
static long rank_of(const peer_stat *s, const mpq_t x) {
  long lo = 0, hi = s->n; /* the first value greater than x */
  while (lo < hi) {
    long mid = (lo + hi) / 2;
    if (mpq_cmp(s->sorted[mid], x) > 0) hi = mid;
    else lo = mid + 1;
  }
  return 1 + s->n - lo;
}

bool peer_value(ctx *c, const sc_expr *e, int p, mpq_t out) {
  const sc_expr *arg = e->peer.arg;
  mpq_t x, d;
  mpq_inits(x, d, NULL);
  bi_kind fn = e->peer.fn;
  /* the entity's own value first (its own failure is the first), as the
     group's values are taken: rounded to 18 decimals */
  bool ok = true;
  if (arg && (ok = eval_sub(c, 0, arg, NULL, p, x))) num_round(x, 18);
  peer_stat *s = ok ? stat_of(c->j, arg, c->j->ents[c->ent].group) : NULL;
  if (ok && s->failed) ok = ctx_fail(c, 1204, e->loc);
  bool by_sum = fn == BI_PEER_SUM || fn == BI_PEER_SHARE;
  if (ok && by_sum && num_overflows(s->sum)) ok = ctx_fail(c, 1203, e->loc);
  if (ok) switch (e->peer.fn) {
    case BI_PEER_MAX: mpq_set(out, s->max); break;
    case BI_PEER_MIN: mpq_set(out, s->min); break;
    case BI_PEER_SUM: mpq_set(out, s->sum); break;
    case BI_PEER_COUNT: mpq_set_si(out, s->n, 1); break;
    case BI_PEER_MEAN:
      mpq_set_si(d, s->n, 1);
      mpq_div(out, s->sum, d);
      num_round(out, 18); /* once, like a result: the statistic is a number */
      break;
    case BI_PEER_RANK: mpq_set_si(out, rank_of(s, x), 1); break;
    case BI_PEER_RATIO_TO_MAX:
      if (mpq_sgn(s->max) <= 0) mpq_set_ui(out, 0, 1);
      else mpq_div(out, x, s->max), rounded(out);
      break;
    case BI_PEER_MINMAX:
      if (mpq_equal(s->max, s->min)) {
        mpq_set_ui(out, 1, 1);
      } else { /* max - min and x - min are numbers too: under 10^20 */
        mpq_sub(d, s->max, s->min);
        mpq_sub(out, x, s->min);
        if (num_overflows(d) || num_overflows(out)) {
          ok = ctx_fail(c, 1203, e->loc);
          break;
        }
        mpq_div(out, out, d);
        rounded(out);
      }
      break;
    case BI_PEER_SHARE:
      if (mpq_sgn(s->sum) <= 0) mpq_set_ui(out, 0, 1);
      else mpq_div(out, x, s->sum), rounded(out);
      break;
    case BI_PEER_RANK_RATIO:
      mpq_set_si(out, s->n - rank_of(s, x) + 1, (unsigned long)s->n);
      mpq_canonicalize(out);
      rounded(out);
      break;
    default: abort();
    }
  if (ok && num_overflows(out)) ok = ctx_fail(c, 1203, e->loc);
  mpq_clears(x, d, NULL);
  return ok;
}

void peers_free(job *j) {
  if (!j->peers) return;
  for (peer_stat *s = j->peers->head, *next; s; s = next) {
    next = s->next;
    for (long k = 0; s->arg && k < s->n; k++) mpq_clear(s->sorted[k]);
    mpq_clears(s->max, s->min, s->sum, NULL);
    free(s->sorted);
    free(s);
  }
  free(j->peers);
  j->peers = NULL;
}
