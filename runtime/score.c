/* score.c: running the native scoring functions over a batch; see score.h. */
#include "score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"

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
    sc->column[k] = malloc(rows * sizeof(double));
    if (!sc->column[k]) abort();
  }
  /* the peer statistics: one column per statistic, written by the first pass */
  double **stats = calloc((size_t)(s->nstats ? s->nstats : 1), sizeof *stats);
  double *work = malloc((2 * (size_t)(b->ngroups ? b->ngroups : 1) + rows) * sizeof(double));
  if (!stats || !work) abort();
  for (int k = 0; k < s->nstats; k++) {
    stats[k] = malloc(rows * sizeof(double));
    if (!stats[k]) abort();
  }
  if (nat->peers) nat->peers((const double *const *)b->column, (int64_t)b->n, b->group, b->ngroups, stats, work);
  nat->score((const double *const *)b->column, (int64_t)b->n, (const double *const *)stats, sc->column);
  peers_rank(sc->column[abi_out_total(s)], b->group, sc->n, sc->rank);
  for (int k = 0; k < s->nstats; k++) free(stats[k]);
  free(stats);
  free(work);
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
  case SITE_NONFINITE:
    snprintf(buf, len, diag_tr("the score is not a finite number (%s)"), where);
    return R1203;
  case SITE_PEER:
    snprintf(buf, len, diag_tr("'%.*s' cannot be computed: the value of some entity in the peer group fails (%s)"), n,
             l->src->text + l->start, where);
    return R1204;
  }
  return R1203;
}

/* Why VALUE (a NaN) failed, into WHY; its code. */
static diag_code why_failed(const native_scheme *nat, double value, const char *fallback, char *why, size_t len) {
  int site = abi_error_site(value, nat->nsites);
  if (site >= 0) return scores_describe_site(&nat->sites[site], why, len);
  snprintf(why, len, "%s", diag_tr(fallback));
  return R1203;
}

int scores_report_errors(const rb_scores *sc, const native_scheme *nat, const rb_batch *b, rb_diags *d) {
  const sc_scheme *s = nat->scheme;
  int failed = 0;
  const double *total = sc->column[abi_out_total(s)];
  for (size_t r = 0; r < sc->n; r++) {
    bool target_failed = false;
    for (int t = 0; t < s->ntargets; t++) target_failed |= isnan(sc->column[abi_out_target(s, t)][r]);
    if (!isnan(total[r]) && !target_failed) continue;
    failed++;
    rb_data_loc at = {b->entities_path, b->line[r], b->id[r], NULL};
    const char *open = b->name[r][0] ? " (" : "", *close = b->name[r][0] ? ")" : "";
    bool named = false;
    char why[800];
    for (int t = 0; t < s->ntargets; t++) {
      double v = sc->column[abi_out_target(s, t)][r];
      if (!isnan(v)) continue;
      diag_code code = why_failed(nat, v, N_("the value is not a finite number"), why, sizeof why);
      diag_data(d, DIAG_ERROR, code, at, "entity %s%s%s%s: target %s: %s", b->id[r], open, b->name[r], close,
                s->targets[t].id, why);
      named = true;
    }
    if (!isnan(total[r])) continue;
    /* Report the parts that hold a rule (leaves); their parents fail with them. */
    for (int k = 0; k < s->nparts; k++) {
      const sc_part *p = s->parts[k];
      if (p->nchildren || !isnan(sc->column[k][r])) continue;
      diag_code code = why_failed(nat, sc->column[k][r], N_("the score is not a finite number"), why, sizeof why);
      diag_data(d, DIAG_ERROR, code, at, "entity %s%s%s%s: %s %s: %s", b->id[r], open, b->name[r], close,
                diag_tr(vocab_part_kind_name(p->kind)), p->path, why);
      named = true;
    }
    if (!named) diag_data(d, DIAG_ERROR, R1203, at, "entity %s: the total is not a finite number", b->id[r]);
  }
  return failed;
}
