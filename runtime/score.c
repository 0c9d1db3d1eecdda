/* score.c: running the native scoring functions over a batch; see score.h. */
#include "score.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bad_cells.h"
#include "narrow.h"
#include "pages.h"
#include "peers.h"
#include "site.h"
#include "split.h"
#include "tally.h"

/* The passes before scoring, one per stage: each statistic's argument of
   the stage on rows FROM..TO-1 (a part of rb_split), then the stage's
   statistics folded over the groups, shared out among the threads. */
typedef struct stats_job {
  const native_scheme *nat;
  rb_peers_fn pass;
  int stage;
  const void *const *inputs;
  size_t n, ngroups;
  const int64_t *group;
  rb_fixed *const *stats;
} stats_job;

static void stat_arguments(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  const stats_job *j = ctx;
  j->pass(j->inputs, (int64_t)j->n, (int64_t)from, (int64_t)to, j->stats);
}

static void stat_folds(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  const stats_job *j = ctx;
  for (size_t k = from; k < to; k++) {
    const sc_stat *st = &j->nat->scheme->stats[k];
    if (st->stage == j->stage) peers_fold(st->kind, j->stats[k], j->group, j->n, j->ngroups);
  }
}

void scores_peer_stats(const native_scheme *nat, const void *const *inputs, size_t n, const int64_t *group,
                       size_t ngroups, rb_fixed *const *stats) {
  if (!nat->peers) return;
  const sc_scheme *s = nat->scheme;
  for (int stage = 1; stage <= s->nstages; stage++) {
    stats_job job = {nat, stage == 1 ? nat->peers : nat->later[stage - 2], stage, inputs, n, ngroups, group, stats};
    rb_split(n, 16384, stat_arguments, &job);
    /* a statistic is worth a thread when its column is long */
    rb_split((size_t)s->nstats, n >= 16384 ? 1 : (size_t)s->nstats, stat_folds, &job);
  }
}

/* The second pass. Without release, each part scores its own rows
   FROM..TO-1 (a part of rb_split). With release, the rows are cut into
   blocks that the parts take in turn, so that every part works near the
   same rows: a page of cells goes back once every row before its end is
   scored, and one front of scored rows keeps fewer pages waiting than one
   front per part would (a column on huge pages gives back 2 MB at a time,
   narrow.h). */
typedef struct score_job {
  const native_scheme *nat;
  const void *const *inputs; /* batch_inputs */
  size_t n;
  const rb_fixed *const *stats;
  rb_fixed *const *out;
  /* [input]: a column whose cells go back to the system as their rows are
     scored, or NULL; NULL itself when none does */
  rb_cells *const *release;
  /* with release: */
  size_t block, nblocks; /* rows a block; blocks */
  size_t next;           /* the next block to take (atomic) */
  pthread_mutex_t lock;  /* guards the two below */
  unsigned char *done;   /* [block]: scored (owned) */
  size_t front;          /* every block before it is scored, and its rows' cells given back (or being) */
} score_job;

/* The cells of rows FROM..TO-1 of the columns J releases, those of rows
   before FROM given back already (narrow_release). */
static void release_rows(const score_job *j, size_t from, size_t to) {
  const sc_scheme *s = j->nat->scheme;
  for (int i = 0; i < s->ninputs; i++) {
    if (!j->release[i]) continue;
    size_t m = s->inputs[i].periodic ? (size_t)s->nperiods : 1;
    for (size_t p = 0; p < m; p++) narrow_release(j->release[i], p * j->n, p * j->n + from, p * j->n + to);
  }
}

/* Block K is scored: moves the front past every scored block, and gives
   back the cells of the rows it passed. Two parts never give back the
   same rows: each takes its span under the lock, and the spans follow
   one another. */
static void block_scored(score_job *j, size_t k) {
  pthread_mutex_lock(&j->lock);
  j->done[k] = 1;
  size_t was = j->front;
  while (j->front < j->nblocks && j->done[j->front]) j->front++;
  size_t from = was * j->block, to = j->front * j->block < j->n ? j->front * j->block : j->n;
  pthread_mutex_unlock(&j->lock);
  if (to > from) release_rows(j, from, to);
}

static void score_rows(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  score_job *j = ctx;
  if (!j->release) {
    j->nat->score(j->inputs, (int64_t)j->n, (int64_t)from, (int64_t)to, j->stats, j->out);
    return;
  }
  for (size_t k; (k = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->nblocks;) {
    size_t lo = k * j->block, hi = lo + j->block < j->n ? lo + j->block : j->n;
    j->nat->score(j->inputs, (int64_t)j->n, (int64_t)lo, (int64_t)hi, j->stats, j->out);
    block_scored(j, k);
  }
}

/* Scores every row of J: in blocks taken in turn when J releases (a part
   for each block at most), else in one range a part. */
static void score_all(score_job *j) {
  if (!j->release) {
    rb_split(j->n, 1024, score_rows, j); /* a part is worth a thread from 1,024 rows on (spec/data.md) */
    return;
  }
  /* 16,384 rows a block, but at least 8 blocks down to 1,024 rows a block */
  j->block = j->n / 8 < 1024 ? 1024 : j->n / 8 > 16384 ? 16384 : j->n / 8;
  j->nblocks = (j->n + j->block - 1) / j->block;
  j->done = calloc(j->nblocks ? j->nblocks : 1, 1);
  if (!j->done || pthread_mutex_init(&j->lock, NULL)) abort();
  rb_split(j->nblocks, 1, score_rows, j); /* each part takes blocks until none is left */
  pthread_mutex_destroy(&j->lock);
  free(j->done);
}

/* The columns of B that scoring gives back as it goes (scores_run): every
   input's but an assessed one's, which the writers print. */
static rb_cells **released_columns(const sc_scheme *s, const rb_batch *b) {
  rb_cells **release = calloc((size_t)s->ninputs + 1, sizeof *release);
  if (!release) abort();
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].type != IN_ASSESSED) release[i] = b->column[i];
  return release;
}

/* SC's columns of ROWS numbers, in one block (column_blocks, owned by
   SC): on huge pages when large, as faulting in the scores 4 KB at a time
   cost Chengwu's 1,000,000 counties 0.25-0.4 s of the score phase. */
static void output_columns(rb_scores *sc, size_t rows) {
  sc->block = column_blocks(sc->ncolumns, rows * sizeof(rb_fixed), (void **)sc->column);
}

rb_scores *scores_run(const native_scheme *nat, rb_batch *b, bool release) {
  const sc_scheme *s = nat->scheme;
  rb_scores *sc = calloc(1, sizeof *sc);
  if (!sc) abort();
  size_t rows = b->n ? b->n : 1;
  sc->n = b->n;
  sc->ncolumns = abi_out_count(s) + nat->nprobes; /* the probes of `rubric explain` after the outputs */
  sc->column = calloc((size_t)sc->ncolumns, sizeof *sc->column);
  sc->rank = pages_calloc(rows, sizeof *sc->rank);
  if (!sc->column || !sc->rank) abort();
  output_columns(sc, rows);
  tally_records(nat, b); /* the counts of records, read by every pass after */
  /* the peer statistics: one column per statistic, written by the passes before scoring */
  rb_fixed **stats = calloc((size_t)(s->nstats ? s->nstats : 1), sizeof *stats);
  if (!stats) abort();
  for (int k = 0; k < s->nstats; k++) {
    stats[k] = malloc(rows * sizeof(rb_fixed));
    if (!stats[k]) abort();
  }
  const void **inputs = calloc((size_t)s->ninputs + 1, sizeof *inputs);
  if (!inputs) abort();
  batch_inputs(b, inputs);
  scores_peer_stats(nat, inputs, b->n, b->group, (size_t)b->ngroups, stats);
  /* every row is scored on its own: the same bytes whatever the number of
     parts and whichever part scores it */
  score_job job = {.nat = nat, .inputs = inputs, .n = b->n, .stats = (const rb_fixed *const *)stats,
                   .out = sc->column, .release = release ? released_columns(s, b) : NULL};
  score_all(&job);
  free(inputs);
  for (int i = 0; job.release && i < s->ninputs; i++) { /* read by no one now: its rest goes too */
    if (!job.release[i]) continue;
    narrow_free(b->column[i]);
    b->column[i] = NULL;
  }
  free((void *)job.release);
  if (b->bad) bad_cells_apply(sc, s, b);
  peers_rank(sc->column[abi_out_total(s)], b->group, sc->n, sc->rank);
  for (int k = 0; k < s->nstats; k++) free(stats[k]);
  free(stats);
  return sc;
}

void scores_free(rb_scores *sc) {
  if (!sc) return;
  pages_free(sc->block);
  free(sc->column);
  if (sc->reason)
    for (size_t r = 0; r < sc->n; r++) free(sc->reason[r]);
  free(sc->reason);
  for (size_t r = 0; sc->data_error && r < sc->n; r++) free(sc->data_error[r]), free(sc->peer_data_error[r]);
  free(sc->data_error);
  free(sc->peer_data_error);
  free(sc->data_error_code);
  for (size_t k = 0; sc->tally_error && k < sc->ntally_error; k++) free(sc->tally_error[k]);
  free(sc->tally_error);
  free(sc->tally_error_code);
  pages_free(sc->rank);
  free(sc);
}

/* Why VALUE (an error value: fixed_is_number is false) of row R failed,
   into WHY; its code. */
static diag_code why_failed(const rb_scores *sc, size_t r, const native_scheme *nat, rb_fixed value, const char *fallback,
                            char *why, size_t len) {
  const char *data = !sc->data_error ? NULL
                     : value == ABI_DATA_ERROR ? sc->data_error[r]
                     : value == ABI_PEER_DATA_ERROR ? sc->peer_data_error[r] : NULL;
  if (data) {
    snprintf(why, len, "%s", data);
    return value == ABI_DATA_ERROR ? sc->data_error_code[r] : R1204;
  }
  int k = sc->tally_error ? abi_tally_error(value, nat->scheme->ntallies) : -1;
  if (k >= 0 && sc->tally_error[(size_t)k * sc->n + r]) { /* a count of records that failed: its record */
    snprintf(why, len, "%s", sc->tally_error[(size_t)k * sc->n + r]);
    return sc->tally_error_code[(size_t)k * sc->n + r];
  }
  const cg_site *at = native_site(nat, abi_error_site(value, nat->nsites));
  if (at) return site_describe(at, why, len);
  snprintf(why, len, "%s", diag_tr(fallback));
  return R1203;
}

/* Target T's margin for row R: FIXED_ERROR when its value or goal failed
   or the margin overflows. */
static rb_fixed target_margin(const rb_scores *sc, const sc_scheme *s, int t, size_t r) {
  return scheme_target_margin(&s->targets[t], sc->column[abi_out_target(s, t)][r],
                              sc->column[abi_out_target(s, t) + 1][r]);
}

bool scores_row_complete(const rb_scores *sc, const sc_scheme *s, size_t r) {
  for (int t = 0; t < s->ntargets; t++)
    if (!fixed_is_number(target_margin(sc, s, t, r))) return false;
  return fixed_is_number(sc->column[abi_out_total(s)][r]);
}

/* One reason row R is incomplete: what failed (a target, a part holding a
   rule, or the total) and why. */
typedef struct failure {
  diag_code code;
  const sc_target *target; /* or */
  const sc_part *part;     /* or neither: the total */
  bool at_total;           /* the total failed at a site of its own (a requirement, its rounding) */
  char why[800];
} failure;

/* Every reason row R is incomplete, into OUT (room for ntargets + nparts
   + 1); their number. Parents fail with their parts and are not named. */
static int row_failures(const rb_scores *sc, const native_scheme *nat, size_t r, failure *out) {
  const sc_scheme *s = nat->scheme;
  int n = 0;
  for (int t = 0; t < s->ntargets; t++) {
    rb_fixed v = sc->column[abi_out_target(s, t)][r], goal = sc->column[abi_out_target(s, t) + 1][r];
    if (fixed_is_number(target_margin(sc, s, t, r))) continue;
    failure *f = &out[n++];
    *f = (failure){.target = &s->targets[t]};
    if (fixed_is_number(v) && fixed_is_number(goal)) { /* value and goal are numbers, their difference is not */
      f->code = R1203;
      snprintf(f->why, sizeof f->why, "%s", diag_tr("the margin overflows: numbers are under 10^20"));
    } else {
      f->code = why_failed(sc, r, nat, fixed_is_number(v) ? goal : v, N_("the value is not a number"), f->why, sizeof f->why);
    }
  }
  rb_fixed total = sc->column[abi_out_total(s)][r];
  if (fixed_is_number(total)) return n;
  /* what failed the total itself, first (a requirement the data does not
     meet, or one that cannot be computed, the total's rounding): the parts
     may be fine */
  const cg_site *at = native_site(nat, abi_error_site(total, nat->nsites));
  if (at && !at->part && !at->target) {
    out[n] = (failure){.at_total = true};
    out[n].code = site_describe(at, out[n].why, sizeof out[n].why);
    n++;
  }
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    if (fixed_is_number(sc->column[k][r]) || sc->column[k][r] == FIXED_EMPTY) continue; /* FIXED_EMPTY: not for its kind */
    if (p->nchildren) { /* named when its own rule (items - ...) failed, not a child */
      bool child_failed = false;
      for (int i = 0; i < p->nchildren; i++) child_failed |= !fixed_is_number(sc->column[p->children[i]->index][r]);
      if (!p->score || child_failed) continue;
    }
    failure *f = &out[n++];
    *f = (failure){.part = p};
    f->code = why_failed(sc, r, nat, sc->column[k][r], N_("the score is not a number"), f->why, sizeof f->why);
  }
  if (n == 0 && total == ABI_DATA_ERROR && sc->data_error && sc->data_error[r]) { /* a bad cell no rule reads */
    out[n] = (failure){.code = sc->data_error_code[r], .at_total = true};
    snprintf(out[n++].why, sizeof out->why, "%s", sc->data_error[r]);
  }
  if (n == 0) {
    out[n] = (failure){.code = R1203};
    snprintf(out[n++].why, sizeof out->why, "%s", diag_tr("the total is not a number"));
  }
  return n;
}

static failure *failures_room(const sc_scheme *s) {
  failure *f = malloc(((size_t)s->ntargets + (size_t)s->nparts + 1) * sizeof *f);
  if (!f) abort();
  return f;
}

int scores_report_errors(const rb_scores *sc, const native_scheme *nat, const rb_batch *b, rb_diags *d) {
  const sc_scheme *s = nat->scheme;
  failure *fs = failures_room(s);
  int failed = 0;
  for (size_t r = 0; r < sc->n; r++) {
    if (scores_row_complete(sc, s, r)) continue;
    failed++;
    rb_data_loc at = {b->entities_path, b->line[r], b->id[r], NULL};
    const char *open = b->name[r][0] ? " (" : "", *close = b->name[r][0] ? ")" : "";
    int n = row_failures(sc, nat, r, fs);
    for (int i = 0; i < n; i++) {
      const failure *f = &fs[i];
      if (f->target)
        diag_data(d, DIAG_ERROR, f->code, at, "entity %s%s%s%s: target %s: %s", b->id[r], open, b->name[r], close,
                  f->target->id, f->why);
      else if (f->part)
        diag_data(d, DIAG_ERROR, f->code, at, "entity %s%s%s%s: %s %s: %s", b->id[r], open, b->name[r], close,
                  diag_tr(vocab_part_kind_name(f->part->kind)), f->part->path, f->why);
      else if (f->at_total)
        diag_data(d, DIAG_ERROR, f->code, at, "entity %s%s%s%s: %s", b->id[r], open, b->name[r], close, f->why);
      else
        diag_data(d, DIAG_ERROR, f->code, at, "entity %s: the total is not a number", b->id[r]);
    }
  }
  free(fs);
  return failed;
}

size_t scores_explain_incomplete(rb_scores *sc, const native_scheme *nat) {
  const sc_scheme *s = nat->scheme;
  failure *fs = failures_room(s);
  size_t incomplete = 0;
  for (size_t r = 0; r < sc->n; r++) {
    if (scores_row_complete(sc, s, r)) continue;
    if (!sc->reason) {
      sc->reason = calloc(sc->n, sizeof *sc->reason);
      if (!sc->reason) abort();
    }
    incomplete++;
    int n = row_failures(sc, nat, r, fs);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) abort();
    for (int i = 0; i < n; i++) {
      const failure *f = &fs[i];
      if (i) fputs("; ", m);
      /* "indicator share: why", the kind and the colon in the messages' language */
      if (f->target) fprintf(m, diag_tr("target %s: %s"), f->target->id, f->why);
      else if (f->part) fprintf(m, diag_tr("%s %s: %s"), diag_tr(vocab_part_kind_name(f->part->kind)), f->part->path, f->why);
      else fputs(f->why, m);
    }
    if (fclose(m)) abort();
    sc->reason[r] = text;
  }
  free(fs);
  sc->nincomplete = incomplete;
  return incomplete;
}
