/* scores_json.c: a scored batch as one JSON document; see scores.h. */
#include "scores.h"

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

static void json_grades(FILE *out, const rb_scores *sc, const sc_scheme *s, size_t r) {
  fputs(", \"grades\": {", out);
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    const sc_band *band = write_band_of(sc, s, g, r);
    if (i) fputs(", ", out);
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

static void json_targets(FILE *out, const rb_scores *sc, const sc_scheme *s, size_t r, int decimals) {
  fputs(", \"targets\": {", out);
  for (int t = 0; t < s->ntargets; t++) {
    const sc_target *tg = &s->targets[t];
    rb_fixed value = sc->column[abi_out_target(s, t)][r], goal = sc->column[abi_out_target(s, t) + 1][r];
    if (t) fputs(", ", out);
    json_string(out, tg->id);
    fputs(": {\"value\": ", out);
    write_json_number(out, value, decimals);
    fputs(", \"goal\": ", out);
    write_json_number(out, goal, decimals);
    fputs(sc->column[abi_out_target(s, t) + 2][r] != 0 ? ", \"met\": true" : ", \"met\": false", out);
    fputs(", \"margin\": ", out);
    write_json_number(out, scheme_target_margin(tg, value, goal), decimals);
    fputc('}', out);
  }
  fputc('}', out);
}

void write_scores_json(FILE *out, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, int decimals) {
  bool has_points = s->nparts > 0;
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
    if (has_points) {
      fputs(", \"total\": ", out);
      write_json_number(out, sc->column[abi_out_total(s)][r], decimals);
      fprintf(out, ", \"rank\": %d", sc->rank[r]);
    }
    if (s->ngrades) json_grades(out, sc, s, r);
    if (has_points) {
      fputs(", \"scores\": {", out);
      for (int k = 0; k < s->nparts; k++) {
        if (k) fputs(", ", out);
        json_string(out, s->parts[k]->path);
        fputs(": ", out);
        write_json_number(out, sc->column[k][r], decimals);
      }
      fputc('}', out);
    }
    if (s->ntargets) json_targets(out, sc, s, r, decimals);
    fputc('}', out);
  }
  fputs(sc->n ? "\n]}\n" : "]}\n", out);
}
