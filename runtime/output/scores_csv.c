/* scores_csv.c: the scores and targets tables as CSV; see scores.h.
 * Rows are formatted into large buffers (outbuf.h) on every core (rows.h),
 * so a table of millions of numbers is written at the speed of memory. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "text.h"
#include "scores.h"

void write_number(FILE *out, rb_fixed v, int decimals) {
  char buf[64];
  fixed_format(v, decimals, buf, sizeof buf);
  fputs(buf, out);
}

void write_json_number(FILE *out, rb_fixed v, int decimals) {
  if (fixed_is_number(v)) write_number(out, v, decimals);
  else fputs("null", out);
}

const sc_band *write_band_of(const rb_scores *sc, const sc_scheme *s, const sc_grade *g, size_t r) {
  rb_fixed k = sc->column[abi_out_grade(s, g->index)][r];
  if (k < 0 || k >= g->nbands) return NULL; /* a failed subject */
  return &g->bands[(int)k];
}

/* What a row formatter reads: the table and how its numbers are written. */
typedef struct {
  const rb_scores *sc;
  const sc_scheme *s;
  const rb_batch *b;
  int decimals;
  const size_t *order; /* write_opts.order */
} table_ctx;

static size_t text_len(const char *s) { return s ? strlen(s) : 0; }

/* A rough size of a row of NFIELDS fields, for pieces of about a block. */
static size_t row_bytes(const rb_batch *b, size_t nfields) {
  size_t name = b->n ? text_len(b->id[0]) + text_len(b->name[0]) : 16;
  return name + 12 * nfields + 16;
}

/* ",ok," or ",incomplete,<why>" when the run has incomplete rows. */
static void status_fields(out_buf *out, const rb_scores *sc, size_t r) {
  if (!sc->reason) return;
  out_buf_puts(out, sc->reason[r] ? ",incomplete," : ",ok,");
  out_buf_csv_field(out, sc->reason[r]);
}

static void scores_rows(out_buf *out, const void *arg, size_t from, size_t to) {
  const table_ctx *t = arg;
  const rb_scores *sc = t->sc;
  const sc_scheme *s = t->s;
  const rb_batch *b = t->b;
  const rb_fixed *total = sc->column[abi_out_total(s)];
  for (size_t row = from; row < to; row++) {
    size_t r = t->order ? t->order[row] : row;
    out_buf_csv_field(out, b->id[r]);
    out_buf_putc(out, ',');
    out_buf_csv_field(out, b->name[r]);
    if (b->parent) {
      out_buf_putc(out, ',');
      out_buf_csv_field(out, b->parent[r]);
    }
    out_buf_putc(out, ',');
    out_buf_fixed(out, total[r], t->decimals);
    out_buf_putc(out, ',');
    if (fixed_is_number(total[r])) out_buf_int(out, sc->rank[r]); /* an incomplete total has no rank */
    for (int i = 0; i < s->ngrades; i++) {
      const sc_grade *g = &s->grades[i];
      const sc_band *band = write_band_of(sc, s, g, r);
      out_buf_putc(out, ',');
      out_buf_csv_field(out, band ? band->name : NULL);
      if (g->has_treatment) {
        out_buf_putc(out, ',');
        out_buf_csv_field(out, band ? band->treatment : NULL);
      }
    }
    for (int k = 0; k < s->nparts; k++) {
      out_buf_putc(out, ',');
      out_buf_fixed(out, sc->column[k][r], t->decimals);
    }
    for (int i = 0; i < s->ninputs; i++) /* the reviewers' points, as given (an empty cell: empty) */
      if (s->inputs[i].type == IN_ASSESSED) {
        out_buf_putc(out, ',');
        out_buf_fixed(out, narrow_get(b->column[i], r), t->decimals);
      }
    status_fields(out, sc, r);
    out_buf_putc(out, '\n');
  }
}

static char *owned_copy(const char *s) {
  char *c = strdup(s);
  if (!c) abort();
  return c;
}

char *write_part_head(const sc_scheme *s, int k, bool titles) {
  const sc_part *p = s->parts[k];
  bool shared = false;
  if (!titles || !p->title || !p->title[0]) return owned_copy(p->path);
  for (int i = 0; i < s->nparts && !shared; i++)
    shared = i != k && s->parts[i]->title && !strcmp(s->parts[i]->title, p->title);
  if (!shared) return owned_copy(p->title);
  size_t n = strlen(p->title) + strlen(p->path) + 4;
  char *both = malloc(n);
  if (!both) abort();
  snprintf(both, n, "%s (%s)", p->title, p->path);
  return both;
}

void write_scores_csv(FILE *fp, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  char fallback[4096];
  out_buf out;
  bool titles = o->titles;
  out_buf_open(&out, fp, fallback, sizeof fallback);
  if (o->bom) out_buf_puts(&out, "\xEF\xBB\xBF");
  out_buf_puts(&out, b->parent ? "id,name,parent,total,rank" : "id,name,total,rank");
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    const char *head = titles && g->title && g->title[0] ? g->title : g->id;
    out_buf_putc(&out, ',');
    out_buf_csv_field(&out, head);
    if (g->has_treatment) {
      out_buf_putc(&out, ',');
      if (head != g->id) { /* "等级 (treatment)" */
        size_t n = strlen(head) + 13;
        char *h = malloc(n);
        if (!h) abort();
        snprintf(h, n, "%s (treatment)", head);
        out_buf_csv_field(&out, h);
        free(h);
      } else {
        out_buf_puts(&out, g->id);
        out_buf_puts(&out, "_treatment");
      }
    }
  }
  for (int k = 0; k < s->nparts; k++) {
    out_buf_putc(&out, ',');
    char *head = write_part_head(s, k, titles);
    out_buf_csv_field(&out, head);
    free(head);
  }
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].type == IN_ASSESSED) {
      out_buf_putc(&out, ',');
      out_buf_csv_field(&out, titles && s->inputs[i].title && s->inputs[i].title[0] ? s->inputs[i].title : s->inputs[i].name);
    }
  if (sc->reason) out_buf_puts(&out, ",status,reason");
  out_buf_putc(&out, '\n');
  table_ctx t = {sc, s, b, o->decimals, o->order};
  size_t fields = 5 + 2 * (size_t)s->ngrades + (size_t)s->nparts;
  out_rows(&out, scores_rows, &t, sc->n, out_rows_chunk(row_bytes(b, fields)), 0);
  out_buf_close(&out);
}

static void targets_rows(out_buf *out, const void *arg, size_t from, size_t to) {
  const table_ctx *t = arg;
  const rb_scores *sc = t->sc;
  const sc_scheme *s = t->s;
  const rb_batch *b = t->b;
  for (size_t row = from; row < to; row++) {
    size_t r = t->order ? t->order[row] : row;
    for (int i = 0; i < s->ntargets; i++) {
      const sc_target *tg = &s->targets[i];
      rb_fixed value = sc->column[abi_out_target(s, i)][r], goal = sc->column[abi_out_target(s, i) + 1][r];
      rb_fixed margin = scheme_target_margin(tg, value, goal);
      bool met = sc->column[abi_out_target(s, i) + 2][r] != 0;
      out_buf_csv_field(out, b->id[r]);
      out_buf_putc(out, ',');
      out_buf_csv_field(out, b->name[r]);
      out_buf_putc(out, ',');
      out_buf_csv_field(out, tg->id);
      out_buf_putc(out, ',');
      out_buf_csv_field(out, tg->title);
      out_buf_putc(out, ',');
      out_buf_fixed(out, value, t->decimals);
      out_buf_putc(out, ',');
      out_buf_fixed(out, goal, t->decimals);
      /* a target that failed is neither met nor missed */
      out_buf_puts(out, !fixed_is_number(margin) ? ",," : met ? ",yes," : ",no,");
      out_buf_fixed(out, margin, t->decimals);
      status_fields(out, sc, r);
      out_buf_putc(out, '\n');
    }
  }
}

void write_targets_csv(FILE *fp, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  char fallback[4096];
  out_buf out;
  out_buf_open(&out, fp, fallback, sizeof fallback);
  if (o->bom) out_buf_puts(&out, "\xEF\xBB\xBF");
  out_buf_puts(&out, sc->reason ? "id,name,target,title,value,goal,met,margin,status,reason\n"
                                 : "id,name,target,title,value,goal,met,margin\n");
  table_ctx t = {sc, s, b, o->decimals, o->order};
  size_t target_bytes = 0;
  for (int i = 0; i < s->ntargets; i++) target_bytes += text_len(s->targets[i].id) + text_len(s->targets[i].title) + 40;
  out_rows(&out, targets_rows, &t, sc->n, out_rows_chunk(row_bytes(b, 0) * (size_t)s->ntargets + target_bytes), 0);
  out_buf_close(&out);
}
