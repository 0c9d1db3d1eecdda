/* scores_csv.c: the scores and targets tables as CSV; see scores.h. */
#include <stdbool.h>
#include <string.h>

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

void write_scores_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals) {
  fputs(b->parent ? "id,name,parent,total,rank" : "id,name,total,rank", out);
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    fputc(',', out);
    out_csv_field(out, g->id);
    if (g->has_treatment) fprintf(out, ",%s_treatment", g->id);
  }
  for (int k = 0; k < s->nparts; k++) {
    fputc(',', out);
    out_csv_field(out, s->parts[k]->path);
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
    write_number(out, sc->column[abi_out_total(s)][r], decimals);
    fprintf(out, ",%d", sc->rank[r]);
    for (int i = 0; i < s->ngrades; i++) {
      const sc_grade *g = &s->grades[i];
      const sc_band *band = write_band_of(sc, s, g, r);
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

void write_targets_csv(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals) {
  fputs("id,name,target,title,value,goal,met,margin\n", out);
  for (size_t r = 0; r < sc->n; r++)
    for (int t = 0; t < s->ntargets; t++) {
      const sc_target *tg = &s->targets[t];
      rb_fixed value = sc->column[abi_out_target(s, t)][r], goal = sc->column[abi_out_target(s, t) + 1][r];
      bool met = sc->column[abi_out_target(s, t) + 2][r] != 0;
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
      write_number(out, scheme_target_margin(tg, value, goal), decimals);
      fputc('\n', out);
    }
}
