/* score.c: running the native scoring function and writing results. */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

rb_scores *scores_run(rb_score_fn fn, const ast_scheme *s, const rb_batch *b) {
  rb_scores *sc = calloc(1, sizeof *sc);
  if (!sc) abort();
  sc->n = b->n;
  sc->nparts = s->nparts;
  sc->column = calloc((size_t)s->nparts + 1, sizeof *sc->column);
  sc->rank = calloc(b->n ? b->n : 1, sizeof *sc->rank);
  if (!sc->column || !sc->rank) abort();
  for (int k = 0; k <= s->nparts; k++) {
    sc->column[k] = malloc((b->n ? b->n : 1) * sizeof(double));
    if (!sc->column[k]) abort();
  }
  fn((const double *const *)b->column, (int64_t)b->n, sc->column);
  out_rank(sc->column[s->nparts], sc->n, sc->rank);
  return sc;
}

void scores_free(rb_scores *sc) {
  if (!sc) return;
  for (int k = 0; k <= sc->nparts; k++) free(sc->column[k]);
  free(sc->column);
  free(sc->rank);
  free(sc);
}

void scores_describe_site(const cg_site *site, char *buf, size_t len) {
  const rb_loc *l = &site->loc;
  char where[512];
  snprintf(where, sizeof where, "%s:%d:%d", l->src->path, l->first_line, l->first_column);
  switch (site->kind) {
  case SITE_UNDEFINED:
    if (site->reason)
      snprintf(buf, len, diag_tr("the scheme leaves this case undefined: %s (%s)"), site->reason, where);
    else
      snprintf(buf, len, diag_tr("the scheme leaves this case undefined (%s)"), where);
    break;
  case SITE_DIV_ZERO: {
    int n = (int)(l->end - l->start);
    if (n > 200) n = 200;
    snprintf(buf, len, diag_tr("division by zero in '%.*s' (%s)"), n, l->src->text + l->start, where);
    break;
  }
  case SITE_NONFINITE:
    snprintf(buf, len, diag_tr("the score is not a finite number (%s)"), where);
    break;
  }
}

int scores_report_errors(const rb_scores *sc, const ast_scheme *s, const rb_batch *b, const cg_site *sites,
                         int nsites, rb_diags *d) {
  int failed = 0;
  const double *total = sc->column[s->nparts];
  for (size_t r = 0; r < sc->n; r++) {
    if (!isnan(total[r])) continue;
    failed++;
    char at[600];
    snprintf(at, sizeof at, "%s:%ld", b->entities_path, b->line[r]);
    bool named = false;
    /* Report the parts that hold a rule (leaves); their parents fail with them. */
    for (int k = 0; k < s->nparts; k++) {
      const ast_part *p = s->part_at[k];
      if (p->nchildren || !isnan(sc->column[k][r])) continue;
      int site = cg_error_site(sc->column[k][r], nsites);
      char why[800];
      if (site >= 0) scores_describe_site(&sites[site], why, sizeof why);
      else snprintf(why, sizeof why, "%s", diag_tr("the score is not a finite number"));
      diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, at, "entity %s%s%s%s: %s %s: %s", b->id[r], b->name[r][0] ? " (" : "", b->name[r],
                 b->name[r][0] ? ")" : "", diag_tr(ast_part_kind_name(p->kind)), p->path, why);
      named = true;
    }
    if (!named)
      diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, at, "entity %s: the total is not a finite number", b->id[r]);
  }
  return failed;
}

static void write_number(FILE *out, double v, int decimals) {
  char buf[400];
  if (decimals < 0) {
    out_format_double(v, buf, sizeof buf);
  } else {
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot) { /* 4.800 -> 4.8, 16.000 -> 16 */
      char *end = buf + strlen(buf);
      while (end > dot && (end[-1] == '0' || end[-1] == '.')) {
        bool was_dot = end[-1] == '.';
        *--end = 0;
        if (was_dot) break;
      }
    }
    if (!strcmp(buf, "-0")) strcpy(buf, "0");
  }
  fputs(buf, out);
}

void scores_write_csv(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals) {
  fputs("id,name,total,rank", out);
  for (int k = 0; k < s->nparts; k++)
    if (s->part_at[k]->kind == PART_INDICATOR) {
      fputc(',', out);
      out_csv_field(out, s->part_at[k]->id);
    }
  fputc('\n', out);
  for (size_t r = 0; r < sc->n; r++) {
    out_csv_field(out, b->id[r]);
    fputc(',', out);
    out_csv_field(out, b->name[r]);
    fputc(',', out);
    write_number(out, sc->column[s->nparts][r], decimals);
    fprintf(out, ",%d", sc->rank[r]);
    for (int k = 0; k < s->nparts; k++)
      if (s->part_at[k]->kind == PART_INDICATOR) {
        fputc(',', out);
        write_number(out, sc->column[k][r], decimals);
      }
    fputc('\n', out);
  }
}
