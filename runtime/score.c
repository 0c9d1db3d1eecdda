/* score.c: running the native scoring functions over a batch; see score.h. */
#include "score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"
#include "split.h"

/* The first pass: each statistic's argument on rows FROM..TO-1 (a part of
   rb_split), then each statistic folded over the groups, the statistics
   shared out among the threads. */
typedef struct stats_job {
  const native_scheme *nat;
  const rb_fixed *const *inputs;
  size_t n, ngroups;
  const int64_t *group;
  rb_fixed *const *stats;
} stats_job;

static void stat_arguments(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  const stats_job *j = ctx;
  j->nat->peers(j->inputs, (int64_t)j->n, (int64_t)from, (int64_t)to, j->stats);
}

static void stat_folds(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  const stats_job *j = ctx;
  for (size_t k = from; k < to; k++) peers_fold(j->nat->scheme->stats[k].kind, j->stats[k], j->group, j->n, j->ngroups);
}

void scores_peer_stats(const native_scheme *nat, const rb_fixed *const *inputs, size_t n, const int64_t *group,
                       size_t ngroups, rb_fixed *const *stats) {
  if (!nat->peers) return;
  stats_job job = {nat, inputs, n, ngroups, group, stats};
  rb_split(n, 16384, stat_arguments, &job);
  /* a statistic is worth a thread when its column is long */
  rb_split((size_t)nat->scheme->nstats, n >= 16384 ? 1 : (size_t)nat->scheme->nstats, stat_folds, &job);
}

/* The second pass over rows FROM..TO-1 (a part of rb_split). */
typedef struct score_job {
  const native_scheme *nat;
  const rb_batch *b;
  const rb_fixed *const *stats;
  rb_fixed *const *out;
} score_job;

static void score_rows(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  const score_job *j = ctx;
  j->nat->score((const rb_fixed *const *)j->b->column, (int64_t)j->b->n, (int64_t)from, (int64_t)to, j->stats, j->out);
}

rb_scores *scores_run(const native_scheme *nat, const rb_batch *b) {
  const sc_scheme *s = nat->scheme;
  rb_scores *sc = calloc(1, sizeof *sc);
  if (!sc) abort();
  size_t rows = b->n ? b->n : 1;
  sc->n = b->n;
  sc->ncolumns = abi_out_count(s);
  sc->column = calloc((size_t)sc->ncolumns, sizeof *sc->column);
  sc->rank = calloc(rows, sizeof *sc->rank);
  if (!sc->column || !sc->rank) abort();
  for (int k = 0; k < sc->ncolumns; k++) {
    sc->column[k] = malloc(rows * sizeof(rb_fixed));
    if (!sc->column[k]) abort();
  }
  /* the peer statistics: one column per statistic, written by the first pass */
  rb_fixed **stats = calloc((size_t)(s->nstats ? s->nstats : 1), sizeof *stats);
  if (!stats) abort();
  for (int k = 0; k < s->nstats; k++) {
    stats[k] = malloc(rows * sizeof(rb_fixed));
    if (!stats[k]) abort();
  }
  scores_peer_stats(nat, (const rb_fixed *const *)b->column, b->n, b->group, (size_t)b->ngroups, stats);
  /* every row is scored on its own: the same bytes whatever the number of
     parts; a part is worth a thread from 16,384 rows on */
  score_job job = {nat, b, (const rb_fixed *const *)stats, sc->column};
  rb_split(b->n, 16384, score_rows, &job);
  peers_rank(sc->column[abi_out_total(s)], b->group, sc->n, sc->rank);
  for (int k = 0; k < s->nstats; k++) free(stats[k]);
  free(stats);
  return sc;
}

void scores_free(rb_scores *sc) {
  if (!sc) return;
  for (int k = 0; k < sc->ncolumns; k++) free(sc->column[k]);
  free(sc->column);
  free(sc->rank);
  free(sc);
}

diag_code scores_describe_site(const cg_site *site, char *buf, size_t len) {
  const rb_loc *l = &site->loc;
  char where[512];
  snprintf(where, sizeof where, "%s:%d:%d", l->src->path, l->first_line, l->first_column);
  int n = (int)(l->end - l->start);
  if (n > 200) n = 200;
  switch (site->kind) {
  case SITE_UNDEFINED:
    if (site->reason)
      snprintf(buf, len, diag_tr("the scheme leaves this case undefined: %s (%s)"), site->reason, where);
    else
      snprintf(buf, len, diag_tr("the scheme leaves this case undefined (%s)"), where);
    return R1201;
  case SITE_DIV_ZERO:
    snprintf(buf, len, diag_tr("division by zero in '%.*s' (%s)"), n, l->src->text + l->start, where);
    return R1202;
  case SITE_OVERFLOW:
    snprintf(buf, len, diag_tr("'%.*s' overflows: numbers are under 10^20 (%s)"), n, l->src->text + l->start, where);
    return R1203;
  case SITE_PEER:
    snprintf(buf, len, diag_tr("'%.*s' cannot be computed: the value of some entity in the peer group fails (%s)"), n,
             l->src->text + l->start, where);
    return R1204;
  }
  return R1203;
}

/* Why VALUE (an error value: fixed_is_number is false) failed, into WHY; its code. */
static diag_code why_failed(const native_scheme *nat, rb_fixed value, const char *fallback, char *why, size_t len) {
  int site = abi_error_site(value, nat->nsites);
  if (site >= 0) return scores_describe_site(&nat->sites[site], why, len);
  snprintf(why, len, "%s", diag_tr(fallback));
  return R1203;
}

/* Target T's margin for row R: FIXED_ERROR when its value or goal failed
   or the margin overflows. */
static rb_fixed target_margin(const rb_scores *sc, const sc_scheme *s, int t, size_t r) {
  return scheme_target_margin(&s->targets[t], sc->column[abi_out_target(s, t)][r],
                              sc->column[abi_out_target(s, t) + 1][r]);
}

int scores_report_errors(const rb_scores *sc, const native_scheme *nat, const rb_batch *b, rb_diags *d) {
  const sc_scheme *s = nat->scheme;
  int failed = 0;
  const rb_fixed *total = sc->column[abi_out_total(s)];
  for (size_t r = 0; r < sc->n; r++) {
    bool target_failed = false;
    for (int t = 0; t < s->ntargets; t++) target_failed |= !fixed_is_number(target_margin(sc, s, t, r));
    if (fixed_is_number(total[r]) && !target_failed) continue;
    failed++;
    rb_data_loc at = {b->entities_path, b->line[r], b->id[r], NULL};
    const char *open = b->name[r][0] ? " (" : "", *close = b->name[r][0] ? ")" : "";
    bool named = false;
    char why[800];
    for (int t = 0; t < s->ntargets; t++) {
      rb_fixed v = sc->column[abi_out_target(s, t)][r], goal = sc->column[abi_out_target(s, t) + 1][r];
      if (fixed_is_number(target_margin(sc, s, t, r))) continue;
      if (fixed_is_number(v) && fixed_is_number(goal)) {
        /* value and goal are numbers, their difference is not */
        diag_data(d, DIAG_ERROR, R1203, at, "entity %s%s%s%s: target %s: the margin overflows: numbers are under 10^20",
                  b->id[r], open, b->name[r], close, s->targets[t].id);
        named = true;
        continue;
      }
      diag_code code = why_failed(nat, fixed_is_number(v) ? goal : v, N_("the value is not a number"), why, sizeof why);
      diag_data(d, DIAG_ERROR, code, at, "entity %s%s%s%s: target %s: %s", b->id[r], open, b->name[r], close,
                s->targets[t].id, why);
      named = true;
    }
    if (fixed_is_number(total[r])) continue;
    /* Report the parts that hold a rule (leaves); their parents fail with them. */
    for (int k = 0; k < s->nparts; k++) {
      const sc_part *p = s->parts[k];
      if (p->nchildren || fixed_is_number(sc->column[k][r])) continue;
      diag_code code = why_failed(nat, sc->column[k][r], N_("the score is not a number"), why, sizeof why);
      diag_data(d, DIAG_ERROR, code, at, "entity %s%s%s%s: %s %s: %s", b->id[r], open, b->name[r], close,
                diag_tr(vocab_part_kind_name(p->kind)), p->path, why);
      named = true;
    }
    if (!named) diag_data(d, DIAG_ERROR, R1203, at, "entity %s: the total is not a number", b->id[r]);
  }
  return failed;
}
