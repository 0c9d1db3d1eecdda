/* score.c: running the native scoring function and writing results. */
#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "peers.h"

rb_scores *scores_run(rb_peers_fn peers, rb_score_fn fn, const ast_scheme *s, const rb_batch *b) {
  rb_scores *sc = calloc(1, sizeof *sc);
  if (!sc) abort();
  size_t rows = b->n ? b->n : 1;
  sc->n = b->n;
  sc->ncolumns = cg_out_count(s);
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
  if (peers) peers((const double *const *)b->column, (int64_t)b->n, b->group, b->ngroups, stats, work);
  fn((const double *const *)b->column, (int64_t)b->n, (const double *const *)stats, sc->column);
  peers_rank(sc->column[cg_out_total(s)], b->group, sc->n, sc->rank);
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
  case SITE_PEER: {
    int n = (int)(l->end - l->start);
    if (n > 200) n = 200;
    snprintf(buf, len, diag_tr("'%.*s' cannot be computed: the value of some entity in the peer group fails (%s)"), n,
             l->src->text + l->start, where);
    break;
  }
  }
}

int scores_report_errors(const rb_scores *sc, const ast_scheme *s, const rb_batch *b, const cg_site *sites,
                         int nsites, rb_diags *d) {
  int failed = 0;
  const double *total = sc->column[cg_out_total(s)];
  for (size_t r = 0; r < sc->n; r++) {
    bool target_failed = false;
    for (int t = 0; t < s->ntargets; t++) target_failed |= isnan(sc->column[cg_out_target(s, t)][r]);
    if (!isnan(total[r]) && !target_failed) continue;
    failed++;
    char at[600];
    snprintf(at, sizeof at, "%s:%ld", b->entities_path, b->line[r]);
    bool named = false;
    for (int t = 0; t < s->ntargets; t++) {
      double v = sc->column[cg_out_target(s, t)][r];
      if (!isnan(v)) continue;
      int site = cg_error_site(v, nsites);
      char why[800];
      if (site >= 0) scores_describe_site(&sites[site], why, sizeof why);
      else snprintf(why, sizeof why, "%s", diag_tr("the value is not a finite number"));
      diag_plain(d, DIAG_ERROR, DIAG_NO_CODE, at, "entity %s%s%s%s: target %s: %s", b->id[r], b->name[r][0] ? " (" : "",
                 b->name[r], b->name[r][0] ? ")" : "", s->target_at[t]->id, why);
      named = true;
    }
    if (!isnan(total[r])) continue;
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

/* The band of grade G for row R, or NULL. */
static const ast_band *band_of(const rb_scores *sc, const ast_scheme *s, const ast_grade *g, size_t r) {
  double k = sc->column[cg_out_grade(s, g->index)][r];
  if (isnan(k)) return NULL;
  const ast_band *b = g->bands;
  for (int i = 0; b && i < (int)k; i++) b = b->next;
  return b;
}

static bool has_points(const ast_scheme *s) { return s->nparts > 0; }

void scores_write_csv(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals) {
  fputs(b->parent ? "id,name,parent,total,rank" : "id,name,total,rank", out);
  for (const ast_grade *g = s->grades; g; g = g->next) {
    fputc(',', out);
    out_csv_field(out, g->id);
    if (g->has_treatment) fprintf(out, ",%s_treatment", g->id);
  }
  for (int k = 0; k < s->nparts; k++) {
    fputc(',', out);
    out_csv_field(out, s->part_at[k]->path);
  }
  fputc('\n', out);
  for (size_t r = 0; r < sc->n; r++) {
    out_csv_field(out, b->id[r]);
    fputc(',', out);
    out_csv_field(out, b->name[r]);
    if (b->parent) {
      fputc(',', out);
      out_csv_field(out, b->parent[r]);
    }
    fputc(',', out);
    write_number(out, sc->column[cg_out_total(s)][r], decimals);
    fprintf(out, ",%d", sc->rank[r]);
    for (const ast_grade *g = s->grades; g; g = g->next) {
      const ast_band *band = band_of(sc, s, g, r);
      fputc(',', out);
      out_csv_field(out, band ? band->name : NULL);
      if (g->has_treatment) {
        fputc(',', out);
        out_csv_field(out, band ? band->treatment : NULL);
      }
    }
    for (int k = 0; k < s->nparts; k++) {
      fputc(',', out);
      write_number(out, sc->column[k][r], decimals);
    }
    fputc('\n', out);
  }
}

double scores_target_margin(const ast_part *target, double value, double goal) {
  ex_op op = target->score->bin.op;
  return op == OP_GE || op == OP_GT ? value - goal : goal - value;
}

void scores_write_targets_csv(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals) {
  fputs("id,name,target,title,value,goal,met,margin\n", out);
  for (size_t r = 0; r < sc->n; r++)
    for (int t = 0; t < s->ntargets; t++) {
      const ast_part *tg = s->target_at[t];
      double value = sc->column[cg_out_target(s, t)][r], goal = sc->column[cg_out_target(s, t) + 1][r];
      bool met = sc->column[cg_out_target(s, t) + 2][r] != 0;
      out_csv_field(out, b->id[r]);
      fputc(',', out);
      out_csv_field(out, b->name[r]);
      fputc(',', out);
      out_csv_field(out, tg->id);
      fputc(',', out);
      out_csv_field(out, tg->title);
      fputc(',', out);
      write_number(out, value, decimals);
      fputc(',', out);
      write_number(out, goal, decimals);
      fputs(met ? ",yes," : ",no,", out);
      write_number(out, scores_target_margin(tg, value, goal), decimals);
      fputc('\n', out);
    }
}

/* A JSON string: UTF-8 passes through; quotes, backslashes and controls are escaped. */
static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
    else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
    else fputc(*p, out);
  }
  fputc('"', out);
}

void scores_write_json(FILE *out, const rb_scores *sc, const ast_scheme *s, const rb_batch *b, int decimals) {
  fputs("{\"scheme\": ", out);
  json_string(out, s->id);
  fputs(", \"title\": ", out);
  json_string(out, s->title);
  fputs(", \"entities\": [", out);
  for (size_t r = 0; r < sc->n; r++) {
    fputs(r ? ",\n  {" : "\n  {", out);
    fputs("\"id\": ", out);
    json_string(out, b->id[r]);
    fputs(", \"name\": ", out);
    json_string(out, b->name[r]);
    if (b->parent) {
      fputs(", \"parent\": ", out);
      json_string(out, b->parent[r]);
    }
    if (has_points(s)) {
      fputs(", \"total\": ", out);
      write_number(out, sc->column[cg_out_total(s)][r], decimals);
      fprintf(out, ", \"rank\": %d", sc->rank[r]);
    }
    if (s->grades) {
      fputs(", \"grades\": {", out);
      for (const ast_grade *g = s->grades; g; g = g->next) {
        const ast_band *band = band_of(sc, s, g, r);
        if (g != s->grades) fputs(", ", out);
        json_string(out, g->id);
        fputs(": {\"band\": ", out);
        json_string(out, band ? band->name : NULL);
        if (band && band->treatment) {
          fputs(", \"treatment\": ", out);
          json_string(out, band->treatment);
        }
        fputc('}', out);
      }
      fputc('}', out);
    }
    if (has_points(s)) {
      fputs(", \"scores\": {", out);
      for (int k = 0; k < s->nparts; k++) {
        if (k) fputs(", ", out);
        json_string(out, s->part_at[k]->path);
        fputs(": ", out);
        write_number(out, sc->column[k][r], decimals);
      }
      fputc('}', out);
    }
    if (s->ntargets) {
      fputs(", \"targets\": {", out);
      for (int t = 0; t < s->ntargets; t++) {
        const ast_part *tg = s->target_at[t];
        double value = sc->column[cg_out_target(s, t)][r], goal = sc->column[cg_out_target(s, t) + 1][r];
        if (t) fputs(", ", out);
        json_string(out, tg->id);
        fputs(": {\"value\": ", out);
        write_number(out, value, decimals);
        fputs(", \"goal\": ", out);
        write_number(out, goal, decimals);
        fputs(sc->column[cg_out_target(s, t) + 2][r] != 0 ? ", \"met\": true" : ", \"met\": false", out);
        fputs(", \"margin\": ", out);
        write_number(out, scores_target_margin(tg, value, goal), decimals);
        fputc('}', out);
      }
      fputc('}', out);
    }
    fputc('}', out);
  }
  fputs(sc->n ? "\n]}\n" : "]}\n", out);
}
