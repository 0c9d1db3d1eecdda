/* scores_json.c: a scored batch as one JSON document; see scores.h.
 * Entities are formatted into large buffers (outbuf.h) on every core
 * (rows.h); the keys every entity repeats are escaped once. */
#include <stdlib.h>

#include "rows.h"
#include "scores.h"

/* A JSON string: UTF-8 passes through; quotes, backslashes and controls are
   escaped ("\u001f": lowercase hex). Runs without any are copied whole. */
static void json_string(out_buf *out, const char *s) {
  static const char hex[] = "0123456789abcdef";
  out_buf_putc(out, '"');
  const unsigned char *run = (const unsigned char *)(s ? s : ""), *p = run;
  for (;; p++) {
    if (*p >= 0x20 && *p != '"' && *p != '\\') continue;
    out_buf_put(out, (const char *)run, (size_t)(p - run));
    if (*p == 0) break;
    char *e = out_buf_room(out, 6);
    if (*p < 0x20) {
      memcpy(e, "\\u00", 4);
      e[4] = hex[*p >> 4];
      e[5] = hex[*p & 15];
      out->len += 6;
    } else {
      e[0] = '\\';
      e[1] = (char)*p;
      out->len += 2;
    }
    run = p + 1;
  }
  out_buf_putc(out, '"');
}

static void json_number(out_buf *out, rb_fixed v, int decimals) {
  if (fixed_is_number(v)) out_buf_fixed(out, v, decimals);
  else out_buf_put(out, "null", 4);
}

/* Text every entity repeats, escaped once: `"path": ` for each part, and
   `"id"` for each grade and target. */
typedef struct {
  out_buf text;   /* memory: every key, one after another */
  size_t *at;     /* nparts + ngrades + ntargets + 1 offsets into text */
} json_keys;

/* False without memory for them; release with keys_free either way. */
static bool keys_make(json_keys *k, const sc_scheme *s) {
  size_t n = (size_t)s->nparts + (size_t)s->ngrades + (size_t)s->ntargets;
  k->at = malloc((n + 1) * sizeof *k->at);
  out_buf_open_mem(&k->text, 4096);
  size_t i = 0;
  for (int p = 0; p < s->nparts; p++, i++) {
    if (k->at) k->at[i] = k->text.len;
    json_string(&k->text, s->parts[p]->path);
    out_buf_put(&k->text, ": ", 2);
  }
  for (int g = 0; g < s->ngrades; g++, i++) {
    if (k->at) k->at[i] = k->text.len;
    json_string(&k->text, s->grades[g].id);
  }
  for (int t = 0; t < s->ntargets; t++, i++) {
    if (k->at) k->at[i] = k->text.len;
    json_string(&k->text, s->targets[t].id);
  }
  if (k->at) k->at[n] = k->text.len;
  return k->at != NULL && !k->text.lost;
}

static void keys_free(json_keys *k) {
  free(k->at);
  out_buf_free(&k->text);
}

typedef struct {
  const rb_scores *sc;
  const sc_scheme *s;
  const rb_batch *b;
  int decimals;
  const size_t *order;   /* write_opts.order */
  const json_keys *keys; /* NULL without memory for them: escaped each time */
} doc_ctx;

/* Key I of json_keys (parts, then grades, then targets), which is TEXT. */
static void put_key(out_buf *out, const doc_ctx *c, int i, const char *text) {
  const json_keys *k = c->keys;
  if (k) {
    out_buf_put(out, k->text.data + k->at[i], k->at[i + 1] - k->at[i]);
    return;
  }
  json_string(out, text);
  if (i < c->s->nparts) out_buf_put(out, ": ", 2);
}

static void json_grades(out_buf *out, const doc_ctx *c, size_t r) {
  const sc_scheme *s = c->s;
  out_buf_puts(out, ", \"grades\": {");
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    const sc_band *band = write_band_of(c->sc, s, g, r);
    if (i) out_buf_put(out, ", ", 2);
    put_key(out, c, s->nparts + i, g->id);
    out_buf_puts(out, ": {\"band\": ");
    json_string(out, band ? band->name : NULL);
    if (band && band->treatment) {
      out_buf_puts(out, ", \"treatment\": ");
      json_string(out, band->treatment);
    }
    out_buf_putc(out, '}');
  }
  out_buf_putc(out, '}');
}

static void json_targets(out_buf *out, const doc_ctx *c, size_t r) {
  const sc_scheme *s = c->s;
  const rb_scores *sc = c->sc;
  out_buf_puts(out, ", \"targets\": {");
  for (int t = 0; t < s->ntargets; t++) {
    const sc_target *tg = &s->targets[t];
    rb_fixed value = sc->column[abi_out_target(s, t)][r], goal = sc->column[abi_out_target(s, t) + 1][r];
    if (t) out_buf_put(out, ", ", 2);
    put_key(out, c, s->nparts + s->ngrades + t, tg->id);
    out_buf_puts(out, ": {\"value\": ");
    json_number(out, value, c->decimals);
    out_buf_puts(out, ", \"goal\": ");
    json_number(out, goal, c->decimals);
    rb_fixed margin = scheme_target_margin(tg, value, goal);
    out_buf_puts(out, !fixed_is_number(margin)                        ? ", \"met\": null"
                      : sc->column[abi_out_target(s, t) + 2][r] != 0 ? ", \"met\": true"
                                                                      : ", \"met\": false");
    out_buf_puts(out, ", \"margin\": ");
    json_number(out, margin, c->decimals);
    out_buf_putc(out, '}');
  }
  out_buf_putc(out, '}');
}

static void json_entities(out_buf *out, const void *arg, size_t from, size_t to) {
  const doc_ctx *c = arg;
  const sc_scheme *s = c->s;
  const rb_scores *sc = c->sc;
  const rb_batch *b = c->b;
  bool has_points = s->nparts > 0;
  for (size_t row = from; row < to; row++) {
    size_t r = c->order ? c->order[row] : row;
    out_buf_puts(out, row ? ",\n  {" : "\n  {");
    out_buf_puts(out, "\"id\": ");
    json_string(out, b->id[r]);
    out_buf_puts(out, ", \"name\": ");
    json_string(out, b->name[r]);
    if (b->parent) {
      out_buf_puts(out, ", \"parent\": ");
      json_string(out, b->parent[r]);
    }
    if (has_points) {
      out_buf_puts(out, ", \"total\": ");
      json_number(out, sc->column[abi_out_total(s)][r], c->decimals);
      out_buf_puts(out, ", \"rank\": ");
      if (fixed_is_number(sc->column[abi_out_total(s)][r])) out_buf_int(out, sc->rank[r]);
      else out_buf_put(out, "null", 4); /* an incomplete total has no rank */
    }
    if (s->ngrades) json_grades(out, c, r);
    if (has_points) {
      out_buf_puts(out, ", \"scores\": {");
      for (int k = 0; k < s->nparts; k++) {
        if (k) out_buf_put(out, ", ", 2);
        put_key(out, c, k, s->parts[k]->path);
        json_number(out, sc->column[k][r], c->decimals);
      }
      out_buf_putc(out, '}');
    }
    bool first = true; /* the reviewers' points, as given */
    for (int i = 0; i < s->ninputs; i++) {
      if (s->inputs[i].type != IN_ASSESSED) continue;
      out_buf_puts(out, first ? ", \"assessed\": {" : ", ");
      first = false;
      json_string(out, s->inputs[i].name);
      out_buf_put(out, ": ", 2);
      json_number(out, narrow_get(b->column[i], r), c->decimals);
    }
    if (!first) out_buf_putc(out, '}');
    if (s->ntargets) json_targets(out, c, r);
    if (sc->reason && sc->reason[r]) {
      out_buf_puts(out, ", \"status\": \"incomplete\", \"reason\": ");
      json_string(out, sc->reason[r]);
    }
    out_buf_putc(out, '}');
  }
}

/* The fixed part of an entity's text, and a rough size of its numbers and
   names, for pieces of about a block. */
static size_t entity_bytes(const rb_batch *b, const json_keys *k, const sc_scheme *s) {
  size_t n = 80 + k->text.len + 30 * (size_t)s->ngrades + 60 * (size_t)s->ntargets;
  n += 12 * (size_t)s->nparts;
  if (b->n && b->id[0] && b->name[0]) n += strlen(b->id[0]) + strlen(b->name[0]);
  return n;
}

void write_scores_json(FILE *fp, const rb_scores *sc, const sc_scheme *s, const rb_batch *b, const write_opts *o) {
  char fallback[4096];
  out_buf out;
  out_buf_open(&out, fp, fallback, sizeof fallback);
  json_keys keys;
  bool have_keys = keys_make(&keys, s);
  out_buf_puts(&out, "{\"scheme\": ");
  json_string(&out, s->id);
  out_buf_puts(&out, ", \"title\": ");
  json_string(&out, s->title);
  out_buf_puts(&out, ", \"entities\": [");
  doc_ctx c = {sc, s, b, o->decimals, o->order, have_keys ? &keys : NULL};
  out_rows(&out, json_entities, &c, sc->n, out_rows_chunk(entity_bytes(b, &keys, s)), 0);
  keys_free(&keys);
  out_buf_puts(&out, sc->n ? "\n]}\n" : "]}\n");
  out_buf_close(&out);
}
