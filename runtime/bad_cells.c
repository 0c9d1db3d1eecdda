/* bad_cells.c: the scores of entities with bad cells (bad_cells.h). A bad
 * cell's stand-in value (load/batch.c) was scored like any other value;
 * everything computed from it is replaced here, so no number written for
 * an entity depends on a cell that held no value.
 */
#include "bad_cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a rule reads: bitmaps over the inputs and the peer statistics. */
typedef struct rule_reads {
  unsigned char *inputs, *stats;
} rule_reads;

/* Caller frees both bitmaps. */
static rule_reads reads_of(const sc_scheme *s, const sc_expr *e) {
  rule_reads r = {calloc((size_t)s->ninputs + 1, 1), calloc((size_t)s->nstats + 1, 1)};
  if (!r.inputs || !r.stats) abort();
  scheme_expr_reads(e, r.inputs, r.stats);
  return r;
}

/* Whether row R of B has a bad cell among the INPUTS marked. */
static bool reads_bad(const rb_batch *b, size_t r, const unsigned char *inputs) {
  const unsigned char *bad = b->bad + r * (size_t)b->ninputs;
  for (int i = 0; i < b->ninputs; i++)
    if (inputs[i] && bad[i]) return true;
  return false;
}

/* Which of the bad inputs of row R the rule reading INPUTS reads: a bad
   cell (ABI_DATA_ERROR) before any count of records whose condition
   failed (ABI_TALLY_ERROR of the first such count it reads); 0 if none. */
static rb_fixed bad_read(const rb_batch *b, const sc_scheme *s, size_t r, const unsigned char *inputs) {
  const unsigned char *bad = b->bad + r * (size_t)b->ninputs;
  rb_fixed tally = 0;
  for (int i = 0; i < b->ninputs; i++) {
    if (!inputs[i] || !bad[i]) continue;
    const sc_tally *y = s->inputs[i].tally;
    bool failed = y && b->tally_why && b->tally_why[(size_t)y->index * b->n + r];
    if (!failed) return ABI_DATA_ERROR;
    if (!tally) tally = ABI_TALLY_ERROR(y->index);
  }
  return tally;
}

/* What a rule reading RD gives row ROW: a number (0), ABI_DATA_ERROR for
   a bad cell of its own, ABI_TALLY_ERROR for a count of records that
   failed, or ABI_PEER_DATA_ERROR for a statistic of its group that some
   row's bad cell spoils (*PEER: the first such row). */
static rb_fixed rule_fails(const rb_batch *b, const sc_scheme *s, const rule_reads *rd, size_t row, const size_t *spoiler,
                           size_t *peer) {
  rb_fixed own = b->bad_text[row] ? bad_read(b, s, row, rd->inputs) : 0;
  if (own) return own;
  for (int k = 0; k < s->nstats; k++) {
    size_t by = rd->stats[k] ? spoiler[(size_t)k * (size_t)b->ngroups + (size_t)b->group[row]] : 0;
    if (by) {
      if (*peer == (size_t)-1) *peer = by - 1;
      return ABI_PEER_DATA_ERROR;
    }
  }
  return 0;
}

/* A malloc'd copy of TEXT. */
static char *copy(const char *text) {
  size_t len = strlen(text) + 1;
  char *c = malloc(len);
  if (!c) abort();
  return memcpy(c, text, len);
}

void bad_cells_apply(rb_scores *sc, const sc_scheme *s, const rb_batch *b) {
  size_t n = b->n, ng = (size_t)b->ngroups, ns = (size_t)s->nstats;
  /* statistic k of group g is spoiled when some row of g has a bad cell its
     argument reads: spoiler[k * ng + g] is that first row + 1, else 0 */
  size_t *spoiler = calloc(ns * ng + 1, sizeof *spoiler);
  if (!spoiler) abort();
  for (size_t k = 0; k < ns; k++) {
    rule_reads arg = reads_of(s, s->stats[k].arg);
    for (size_t r = 0; r < n; r++) {
      size_t *at = &spoiler[k * ng + (size_t)b->group[r]];
      if (!*at && b->bad_text[r] && reads_bad(b, r, arg.inputs)) *at = r + 1;
    }
    free(arg.inputs);
    free(arg.stats);
  }
  rule_reads *part = calloc((size_t)s->nparts + 1, sizeof *part);
  rule_reads *target = calloc((size_t)s->ntargets + 1, sizeof *target);
  if (b->tally_why) { /* each count's own reason, copied: the scores outlive the batch */
    sc->ntally_error = b->ntally_why;
    sc->tally_error = calloc(b->ntally_why + 1, sizeof *sc->tally_error);
    sc->tally_error_code = calloc(b->ntally_why + 1, sizeof *sc->tally_error_code);
    if (!sc->tally_error || !sc->tally_error_code) abort();
    for (size_t k = 0; k < b->ntally_why; k++)
      if (b->tally_why[k]) sc->tally_error[k] = copy(b->tally_why[k]), sc->tally_error_code[k] = b->tally_code[k];
  }
  sc->data_error = calloc(n ? n : 1, sizeof *sc->data_error);
  sc->peer_data_error = calloc(n ? n : 1, sizeof *sc->peer_data_error);
  sc->data_error_code = calloc(n ? n : 1, sizeof *sc->data_error_code);
  if (!part || !target || !sc->data_error || !sc->peer_data_error || !sc->data_error_code) abort();
  for (int k = 0; k < s->nparts; k++)
    if (s->parts[k]->score) part[k] = reads_of(s, s->parts[k]->score); /* a leaf's, or the rule adjusting items */
  for (int t = 0; t < s->ntargets; t++) target[t] = reads_of(s, s->targets[t].rule);
  for (size_t r = 0; r < n; r++) {
    bool failed = b->bad_text[r] != NULL; /* a row with a bad cell is never complete */
    size_t peer = (size_t)-1;
    for (int k = 0; k < s->nparts; k++) {
      const sc_part *p = s->parts[k];
      if (sc->column[k][r] == FIXED_EMPTY) continue; /* not for this entity's kind: it reads nothing */
      rb_fixed why = p->score ? rule_fails(b, s, &part[k], r, spoiler, &peer) : 0;
      if (!why) continue;
      failed = true;
      for (; p; p = p->parent) sc->column[p->index][r] = why;
    }
    for (int t = 0; t < s->ntargets; t++) {
      rb_fixed why = rule_fails(b, s, &target[t], r, spoiler, &peer);
      if (!why) continue;
      failed = true;
      sc->column[abi_out_target(s, t)][r] = why;
    }
    if (!failed) continue;
    sc->column[abi_out_total(s)][r] = b->bad_text[r] ? ABI_DATA_ERROR : ABI_PEER_DATA_ERROR;
    for (int g = 0; g < s->ngrades; g++) {
      const sc_grade *gr = &s->grades[g];
      if (!gr->subject || !fixed_is_number(sc->column[gr->subject->index][r]))
        sc->column[abi_out_grade(s, g)][r] = ABI_DATA_ERROR; /* no band */
    }
    if (b->bad_text[r]) sc->data_error[r] = copy(b->bad_text[r]), sc->data_error_code[r] = b->bad_code[r];
    if (peer != (size_t)-1) { /* a statistic of its group: name the entity whose cell spoils it */
      char buf[1200];
      snprintf(buf, sizeof buf, diag_tr("a peer statistic reads a bad cell of entity '%s': %s"), b->id[peer],
               b->bad_text[peer]);
      sc->peer_data_error[r] = copy(buf);
    }
  }
  for (int k = 0; k < s->nparts; k++) free(part[k].inputs), free(part[k].stats);
  for (int t = 0; t < s->ntargets; t++) free(target[t].inputs), free(target[t].stats);
  free(part);
  free(target);
  free(spoiler);
}
