/* tally.c: the records pass and the counts per entity (tally.h). The
 * native pass tests each record on its own, so it is split across threads
 * like the scoring pass; the counting follows file order on one thread, so
 * the reasons of a failed entity read the same on every run.
 */
#include "tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"
#include "split.h"

/* Records LO..HI-1 of one table through its pass (a part of rb_split). */
typedef struct tally_job {
  rb_records_fn pass;
  const rb_fixed *const *fields;
  size_t n;
  rb_fixed *const *out;
} tally_job;

static void tally_part(void *ctx, int part, size_t from, size_t to) {
  (void)part;
  const tally_job *j = ctx;
  j->pass(j->fields, (int64_t)j->n, (int64_t)from, (int64_t)to, j->out);
}

/* B's bad-cell tables, made when no cell was bad (the records pass may
   fail a row of a batch loaded without --partial-data too). */
static void need_bad(rb_batch *b) {
  if (b->bad) return;
  b->bad = calloc(b->n * (size_t)b->ninputs + 1, 1);
  b->bad_text = calloc(b->n + 1, sizeof *b->bad_text);
  b->bad_code = calloc(b->n + 1, sizeof *b->bad_code);
  if (!b->bad || !b->bad_text || !b->bad_code) abort();
}

/* Appends WHY to row R's reason ("; " between); CODE when it is the first. */
static void add_reason(rb_batch *b, size_t r, const char *why, diag_code code) {
  char *text = b->bad_text[r];
  size_t had = text ? strlen(text) : 0, len = had + strlen(why) + 3;
  char *grown = realloc(text, len);
  if (!grown) abort();
  snprintf(grown + had, len - had, "%s%s", had ? "; " : "", why);
  if (!text) b->bad_code[r] = code;
  b->bad_text[r] = grown;
}

void tally_fold(const sc_scheme *s, const native_scheme *nat, rb_batch *b, const rb_record_table *t, int k,
                const rb_fixed *out, bool read) {
  const sc_tally *ty = &s->tallies[k];
  int i = ty->input->index;
  rb_cells *col = b->column[i];
  /* counted as whole numbers first: the column holds a stand-in where a cell was bad */
  int64_t *count = calloc(b->n + 1, sizeof *count);
  if (!count) abort();
  for (size_t r = 0; r < t->n; r++) {
    if (t->bad && t->bad[r]) continue; /* a bad cell kept by --partial-data: its entity is marked already */
    size_t e = t->entity[r];
    if (out[r] == FIXED_ONE) {
      count[e]++;
    } else if (out[r] != 0 && read) { /* the condition failed on this record (of a count some rule reads) */
      char why[900], text[1400];
      /* learnt only now a record failed (native_site) */
      const cg_site *at = nat ? native_site(nat, fixed_error_site(out[r], nat->nsites)) : NULL;
      diag_code code = R1203;
      if (at) code = site_describe(at, why, sizeof why);
      else snprintf(why, sizeof why, "%s", diag_tr("the condition is not yes or no"));
      snprintf(text, sizeof text, diag_tr("%s:%ld: record of entity '%s' in %s: %s"), t->path, t->line[r], b->id[e],
               ty->records->name, why);
      need_bad(b);
      b->bad[e * (size_t)b->ninputs + (size_t)i] = 1;
      add_reason(b, e, text, code); /* the entity's, for what no part names */
      if (!b->tally_why) {
        b->ntally_why = (size_t)s->ntallies * b->n;
        b->tally_why = calloc(b->ntally_why + 1, sizeof *b->tally_why);
        b->tally_code = calloc(b->ntally_why + 1, sizeof *b->tally_code);
        if (!b->tally_why || !b->tally_code) abort();
      }
      char **why_k = &b->tally_why[(size_t)k * b->n + e];
      if (!*why_k) { /* the count's first failing record: the parts reading it name it */
        *why_k = strdup(text);
        if (!*why_k) abort();
        b->tally_code[(size_t)k * b->n + e] = code;
      }
    }
  }
  for (size_t e = 0; e < b->n; e++) narrow_put(col, e, (rb_fixed)count[e] * FIXED_ONE);
  free(count);
}

void tally_records(const native_scheme *nat, rb_batch *b) {
  const sc_scheme *s = nat->scheme;
  if (!b->records || !nat->records) return;
  /* a count no rule reads (in a let no rule uses) cannot fail its entity */
  unsigned char *read = calloc((size_t)s->ninputs + 1, 1);
  if (!read) abort();
  scheme_inputs_read(s, read);
  for (int ti = 0; ti < b->nrecords; ti++) {
    const rb_record_table *t = &b->records[ti];
    if (!t->rec || !nat->records[ti]) continue;
    rb_fixed **out = calloc((size_t)s->ntallies + 1, sizeof *out);
    if (!out) abort();
    bool counted = false;
    for (int k = 0; k < s->ntallies; k++)
      if (s->tallies[k].records == t->rec) { /* the other tables' are left alone (abi.h) */
        out[k] = malloc((t->n + 1) * sizeof(rb_fixed));
        if (!out[k]) abort();
        counted = true;
      }
    if (!counted) { /* declared, counted by no rule */
      free(out);
      continue;
    }
    tally_job job = {nat->records[ti], (const rb_fixed *const *)t->field, t->n, out};
    rb_split(t->n, 16384, tally_part, &job);
    for (int k = 0; k < s->ntallies; k++) {
      if (!out[k]) continue;
      tally_fold(s, nat, b, t, k, out[k], read[s->tallies[k].input->index]);
      free(out[k]);
    }
    free(out);
  }
  free(read);
}
