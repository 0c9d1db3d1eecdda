/* explain.c: why an entity scored what it did (explain.h): each part's
 * points earned and lost, largest loss first, the inputs its rule read, the
 * values of its lets and the tier each tier list took, with the scheme's
 * line and the document's words, and what the next better tier or grade
 * would need. Everything shown was computed by the scoring function itself
 * (its probes, codegen.h): nothing here evaluates a rule.
 */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "diag.h"
#include "scores.h"
#include "text.h"

/* ---- what a part shows -------------------------------------------------------- */

/* The probes of part P: [*first, *first + count). */
static int probes_of(const explain_ctx *x, const sc_part *p, int *first) {
  int n = 0;
  *first = -1;
  for (int k = 0; k < x->nprobes; k++)
    if (x->probes[k].part == p) {
      if (*first < 0) *first = k;
      n++;
    }
  return n;
}

static rb_fixed probe_value(const explain_ctx *x, int k, size_t r) {
  return x->sc->column[abi_out_count(x->nat->scheme) + k][r];
}

/* The source text of LOC, on one line, in BUF. */
static const char *source_text(rb_loc loc, char *buf, size_t n) {
  buf[0] = '\0';
  if (!loc.src || loc.end <= loc.start || loc.end > loc.src->len) return buf;
  size_t len = loc.end - loc.start, w = 0;
  const char *t = loc.src->text + loc.start;
  bool space = false;
  for (size_t i = 0; i < len && w + 1 < n; i++) {
    char ch = t[i];
    if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
      space = w > 0;
      continue;
    }
    if (space && w + 2 < n) buf[w++] = ' ';
    space = false;
    buf[w++] = ch;
  }
  buf[w] = '\0';
  return buf;
}

static const char *file_name(rb_loc loc) {
  if (!loc.src) return "";
  const char *slash = strrchr(loc.src->path, '/');
  return slash ? slash + 1 : loc.src->path;
}

/* The tier each tier list of the part's rule took: the first whose
   condition held (-1: none, so its `otherwise` or `linear between`; -2: a
   condition could not be computed; -3: the list is decided period by
   period, each period its own tier). */
typedef struct taken {
  const sc_expr *tiers;
  int tier;
} taken;

static int tiers_taken(const explain_ctx *x, int first, int n, size_t r, taken *out) {
  int m = 0;
  for (int k = first; k < first + n; k++) {
    const cg_probe *pr = &x->probes[k];
    if (pr->kind != PROBE_TIER) continue;
    if (pr->tier == 0) out[m++] = (taken){pr->tiers, -1};
    if (m == 0) continue; /* (cg_probes adds a list whole) */
    taken *t = &out[m - 1];
    if (t->tier != -1) continue; /* decided by an earlier tier */
    rb_fixed v = probe_value(x, k, r);
    if (v == FIXED_EMPTY) t->tier = -3; /* a condition per period: decided period by period */
    else if (!fixed_is_number(v)) t->tier = -2;
    else if (v != 0) t->tier = pr->tier;
  }
  return m;
}

/* The value of the subject of a simple test, when the explanation has it:
   a let's probe, or a per-entity input's cell. */
static bool subject_value(const explain_ctx *x, int first, int n, const sc_expr *subject, size_t r, rb_fixed *out) {
  if (subject->kind == SX_INPUT && !subject->input->periodic) {
    *out = narrow_get(x->b->column[subject->input->index], r);
    return fixed_is_number(*out);
  }
  if (subject->kind != SX_LET) return false;
  for (int k = first; k < first + n; k++)
    if (x->probes[k].kind == PROBE_LET && x->probes[k].let == subject->let) {
      *out = probe_value(x, k, r);
      return fixed_is_number(*out);
    }
  return false;
}

/* The better tier closest to what the entity has: an earlier tier of the
   list with a fixed number of points above SCORE, the fewest such points. */
static int next_tier(const taken *t, rb_fixed score) {
  int best = -1;
  if (t->tier < -1) return -1; /* per period, or not computed: no single next tier */
  rb_fixed best_points = 0;
  int upto = t->tier >= 0 ? t->tier : t->tiers->tiers.n;
  for (int j = 0; j < upto; j++) {
    const sc_tier *tier = &t->tiers->tiers.tier[j];
    rb_fixed pts;
    if (tier->value->kind != SX_NUMBER || !fixed_from_decimal(tier->value->number, &pts) || pts <= score) continue;
    if (best < 0 || pts < best_points) best = j, best_points = pts;
  }
  return best;
}

/* ---- one part's story --------------------------------------------------------------- */

enum { MAX_TIER_LISTS = 16 };

typedef struct story {
  const sc_part *p;
  rb_fixed points, score, lost;
  int first, nprobes; /* its probes */
  taken tk[MAX_TIER_LISTS];
  int ntk;
} story;

/* Every part with a rule, largest loss first (a tie in part order). */
static int cmp_story(const void *a, const void *b) {
  const story *x = a, *y = b;
  if (x->lost != y->lost) return x->lost > y->lost ? -1 : 1;
  return x->p->index < y->p->index ? -1 : x->p->index > y->p->index;
}

static int stories(const explain_ctx *x, size_t r, story *out) {
  const sc_scheme *s = x->nat->scheme;
  int n = 0;
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    if (!p->score || x->sc->column[k][r] == FIXED_EMPTY) continue; /* no rule, or not for this kind of entity */
    story *st = &out[n++];
    memset(st, 0, sizeof *st);
    st->p = p;
    st->score = x->sc->column[k][r];
    if (!fixed_from_decimal(p->points, &st->points)) st->points = 0;
    st->lost = fixed_is_number(st->score) ? write_part_loss(p, st->points, st->score) : 0;
    st->nprobes = probes_of(x, p, &st->first);
    taken all[64];
    int m = st->nprobes ? tiers_taken(x, st->first, st->nprobes, r, all) : 0;
    st->ntk = m < MAX_TIER_LISTS ? m : MAX_TIER_LISTS;
    memcpy(st->tk, all, (size_t)st->ntk * sizeof *all);
  }
  qsort(out, (size_t)n, sizeof *out, cmp_story);
  return n;
}

/* ---- text ------------------------------------------------------------------------------ */

static void num(FILE *out, rb_fixed v, int decimals) {
  char buf[64];
  if (!fixed_is_number(v)) {
    fputs(diag_tr("(failed)"), out);
    return;
  }
  fixed_format(v, decimals, buf, sizeof buf);
  fputs(buf, out);
}

/* An input's cell of row R as text (a label by name, yes/no as words, a
   date as 2024-03-15); a
   per-period input, every period in brackets. */
static void input_value(FILE *out, const explain_ctx *x, const sc_input *in, size_t r, bool json) {
  const rb_batch *b = x->b;
  int m = in->periodic ? x->nat->scheme->nperiods : 1;
  if (m > 1) fputc('[', out);
  for (int p = 0; p < m; p++) {
    rb_fixed v = narrow_get(b->column[in->index], (size_t)p * b->n + r); /* p is 0 for a per-entity input */
    if (p) fputs(", ", out);
    if (v == FIXED_EMPTY || !fixed_is_number(v)) fputs(json ? "null" : diag_tr("(empty)"), out);
    else if (in->type == IN_LABEL && v % FIXED_ONE == 0 && v / FIXED_ONE >= 0 && v / FIXED_ONE < in->nlabels) {
      if (json) out_json_string(out, in->labels[(int)(v / FIXED_ONE)]);
      else fputs(in->labels[(int)(v / FIXED_ONE)], out);
    } else if (in->type == IN_YESNO) fputs(json ? (v ? "true" : "false") : v ? diag_tr("yes") : diag_tr("no"), out);
    else if (in->type == IN_DATE && v % FIXED_ONE == 0) { /* a day number: the day, as the data writes it */
      char day[16];
      date_format((int64_t)(v / FIXED_ONE), day, sizeof day);
      if (json) out_json_string(out, day);
      else fputs(day, out);
    } else num(out, v, -1);
  }
  if (m > 1) fputc(']', out);
}

static char *fmt_num(rb_fixed v, int decimals, char *buf, size_t n) {
  if (!fixed_is_number(v)) snprintf(buf, n, "%s", diag_tr("(failed)"));
  else fixed_format(v, decimals, buf, n);
  return buf;
}

/* The next better tier of T for the part of ST, if it has one:
   "next: 1.5 more points (4 in all) at line 30, if share < 0.3% (share is
   now 0.4%)". JSON: its fields. */
static void next_of(FILE *out, const explain_ctx *x, const story *st, const taken *t, size_t r, bool json) {
  int j = next_tier(t, st->score);
  if (j < 0 || !fixed_is_number(st->score)) return;
  const sc_tier *tier = &t->tiers->tiers.tier[j];
  rb_fixed pts = 0, now = 0;
  if (!fixed_from_decimal(tier->value->number, &pts)) return;
  char cond[256], gain[64], all[64], subj[128], nowt[64];
  source_text(tier->cond->loc, cond, sizeof cond);
  fmt_num(pts - st->score, x->decimals, gain, sizeof gain);
  fmt_num(pts, -1, all, sizeof all);
  bool has_now = tier->test.simple && subject_value(x, st->first, st->nprobes, tier->test.subject, r, &now);
  /* a label input's value is its label, as the data writes it, not its index */
  const sc_expr *sub = tier->test.subject;
  const sc_input *lab = has_now && sub->kind == SX_INPUT && sub->input->type == IN_LABEL ? sub->input : NULL;
  if (lab && has_now && (!fixed_is_number(now) || now < 0 || now / FIXED_ONE >= lab->nlabels)) lab = NULL;
  if (has_now) {
    source_text(tier->test.subject->loc, subj, sizeof subj);
    if (lab) snprintf(nowt, sizeof nowt, "%s", lab->labels[(int)(now / FIXED_ONE)]);
    else fmt_num(now, x->decimals, nowt, sizeof nowt);
  }
  if (json) {
    fprintf(out, ", \"next\": {\"line\": %d, \"if\": ", tier->loc.first_line);
    out_json_string(out, cond);
    fprintf(out, ", \"points\": %s, \"more\": %s", all, gain);
    if (has_now) {
      fputs(", \"subject\": ", out);
      out_json_string(out, subj);
      fputs(", \"now\": ", out);
      if (lab) out_json_string(out, nowt);
      else fputs(nowt, out);
    }
    fputc('}', out);
    return;
  }
  fputs("      ", out);
  fprintf(out, diag_tr("next: %s more points (%s in all) at line %d, if %s"), gain, all, tier->loc.first_line, cond);
  if (has_now) fprintf(out, diag_tr(" (%s is now %s)"), subj, nowt);
  fputc('\n', out);
}

/* Which tier a list took, as its source: "line 30: 4 if share < 0.3%". */
static void tier_taken_text(FILE *out, const taken *t, char *buf, size_t n) {
  const sc_expr *e = t->tiers;
  if (t->tier >= 0) {
    const sc_tier *tier = &e->tiers.tier[t->tier];
    fprintf(out, diag_tr("took line %d: %s"), tier->loc.first_line, source_text(tier->loc, buf, n));
  } else if (t->tier == -1) {
    fprintf(out, diag_tr("took line %d: %s"), e->tiers.tail_loc.first_line, source_text(e->tiers.tail_loc, buf, n));
  } else if (t->tier == -3) {
    fprintf(out, diag_tr("line %d: the tiers are taken period by period"), e->loc.first_line);
  } else {
    fputs(diag_tr("a tier's condition could not be computed"), out);
  }
}

/* The probe of the row's own value for the peers.* call of statistic probe
   K, or -1. */
static int own_probe(const explain_ctx *x, const story *st, int k) {
  for (int j = st->first; j < st->first + st->nprobes; j++)
    if (x->probes[j].kind == PROBE_PEER_OWN && x->probes[j].peer == x->probes[k].peer) return j;
  return -1;
}

/* The entities of row R's group whose own value is the group's maximum or
   minimum STAT (probe K): who set it. Up to MAX of them into OUT, from the
   table explain_prepare made (one pass over the rows, not one per row). */
static int set_by(const explain_ctx *x, const story *st, int k, size_t r, size_t *out, int max) {
  (void)st;
  const explain_setters *t = x->setters;
  if (!t || !t->rows[k]) return 0;
  int64_t g = x->b->group[r];
  int n = t->count[k][g] < max ? t->count[k][g] : max;
  for (int i = 0; i < n; i++) out[i] = t->rows[k][(size_t)g * EXPLAIN_SETTERS + (size_t)i];
  return n;
}

void explain_prepare(explain_ctx *x) {
  explain_setters *t = calloc(1, sizeof *t);
  if (!t) abort();
  t->n = x->nprobes;
  t->rows = calloc((size_t)(x->nprobes ? x->nprobes : 1), sizeof *t->rows);
  t->count = calloc((size_t)(x->nprobes ? x->nprobes : 1), sizeof *t->count);
  if (!t->rows || !t->count) abort();
  size_t groups = x->b->ngroups > 0 ? (size_t)x->b->ngroups : 1;
  for (int k = 0; k < x->nprobes; k++) {
    const cg_probe *pr = &x->probes[k];
    if (pr->kind != PROBE_STAT) continue;
    stat_kind kind = x->nat->scheme->stats[pr->stat].kind;
    int own = -1;
    for (int j = 0; j < x->nprobes && own < 0; j++)
      if (x->probes[j].kind == PROBE_PEER_OWN && x->probes[j].peer == pr->peer) own = j;
    if (own < 0 || (kind != STAT_MAX && kind != STAT_MIN)) continue;
    t->rows[k] = malloc(groups * EXPLAIN_SETTERS * sizeof **t->rows);
    t->count[k] = calloc(groups, sizeof **t->count);
    if (!t->rows[k] || !t->count[k]) abort();
    for (size_t q = 0; q < x->b->n; q++) {
      if (probe_value(x, own, q) != probe_value(x, k, q)) continue;
      /* the smallest ids, in id order: the same whatever the order of the rows */
      int64_t g = x->b->group[q];
      size_t *at = &t->rows[k][(size_t)g * EXPLAIN_SETTERS];
      int n = t->count[k][g], i = n;
      while (i > 0 && strcmp(x->b->id[q], x->b->id[at[i - 1]]) < 0) i--;
      if (i == EXPLAIN_SETTERS) continue;
      memmove(at + i + 1, at + i, (size_t)((n < EXPLAIN_SETTERS ? n : EXPLAIN_SETTERS - 1) - i) * sizeof *at);
      at[i] = q;
      if (n < EXPLAIN_SETTERS) t->count[k][g]++;
    }
  }
  x->setters = t;
}

void explain_release(explain_ctx *x) {
  explain_setters *t = x->setters;
  if (!t) return;
  for (int k = 0; k < t->n; k++) free(t->rows[k]), free(t->count[k]);
  free(t->rows);
  free(t->count);
  free(t);
  x->setters = NULL;
}

static void peers_text(FILE *out, const explain_ctx *x, const story *st, size_t r) {
  const sc_scheme *s = x->nat->scheme;
  for (int k = st->first; k >= 0 && k < st->first + st->nprobes; k++) {
    const cg_probe *pr = &x->probes[k];
    if (pr->kind != PROBE_STAT) continue;
    const sc_stat *stat = &s->stats[pr->stat];
    fprintf(out, "    %s = ", stat->text);
    num(out, probe_value(x, k, r), x->decimals);
    int own = stat->kind == STAT_COUNT ? -1 : own_probe(x, st, k);
    if (own >= 0) {
      fprintf(out, "; %s ", diag_tr("own value"));
      num(out, probe_value(x, own, r), x->decimals);
    }
    size_t who[5];
    int n = set_by(x, st, k, r, who, 5);
    if (n) {
      fprintf(out, "; %s ", diag_tr("set by"));
      for (int i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", x->b->name[who[i]] && x->b->name[who[i]][0] ? x->b->name[who[i]] : x->b->id[who[i]]);
    }
    fputc('\n', out);
  }
}

static void story_text(FILE *out, const explain_ctx *x, const story *st, size_t r) {
  const sc_scheme *s = x->nat->scheme;
  const sc_part *p = st->p;
  char buf[512], a[64], b[64], c[64];
  fprintf(out, "\n  %s", p->title && p->title[0] ? p->title : p->path);
  if (p->title && p->title[0]) fprintf(out, " (%s)", p->path);
  fprintf(out, ", %s:%d\n    ", file_name(p->loc), p->loc.first_line);
  fprintf(out, diag_tr("%s of %s points, lost %s"), fmt_num(st->score, x->decimals, a, sizeof a),
          fmt_num(st->points, -1, b, sizeof b), fmt_num(st->lost, x->decimals, c, sizeof c));
  fputc('\n', out);
  if (p->doc && p->doc[0]) {
    fprintf(out, "    %s", diag_tr("the document:"));
    bool gap = true; /* the comment's lines on one line, runs of spaces as one */
    for (const char *q = p->doc; *q; q++) {
      if (*q == '\n' || *q == ' ' || *q == '\t') {
        gap = true;
        continue;
      }
      if (gap) fputc(' ', out);
      gap = false;
      fputc(*q, out);
    }
    fputc('\n', out);
  }
  if (p->nreads) {
    fprintf(out, "    %s ", diag_tr("inputs:"));
    for (int i = 0; i < p->nreads; i++) {
      const sc_input *in = &s->inputs[p->reads[i]];
      fprintf(out, "%s%s = ", i ? "; " : "", in->name);
      input_value(out, x, in, r, false);
    }
    fputc('\n', out);
  }
  for (int k = st->first; k >= 0 && k < st->first + st->nprobes; k++) {
    const cg_probe *pr = &x->probes[k];
    if (pr->kind != PROBE_LET) continue;
    rb_fixed v = probe_value(x, k, r);
    fprintf(out, "    let %s = ", pr->let->name);
    if (v == FIXED_EMPTY) fputs(diag_tr("(one value per period)"), out);
    else num(out, v, x->decimals);
    fputc('\n', out);
  }
  peers_text(out, x, st, r);
  for (int t = 0; t < st->ntk; t++) {
    fputs("    ", out);
    tier_taken_text(out, &st->tk[t], buf, sizeof buf);
    fputc('\n', out);
    next_of(out, x, st, &st->tk[t], r, false);
  }
}

/* The band of grade G row R is in, and the next band up with the points it
   needs ("6.25 more points would reach 优秀"). */
static const sc_band *next_band(const sc_grade *g, const sc_band *band, rb_fixed subject, rb_fixed *need) {
  const sc_band *best = NULL;
  rb_fixed best_lo = 0;
  for (int k = 0; k < g->nbands; k++) {
    const sc_band *bd = &g->bands[k];
    rb_fixed lo;
    if (bd == band || !bd->has_lo || !fixed_from_decimal(bd->lo, &lo) || lo < subject) continue;
    if (lo == subject && !bd->lo_open) continue;
    if (!best || lo < best_lo) best = bd, best_lo = lo;
  }
  if (best) *need = best_lo - subject;
  return best;
}

/* The inputs a grade's bands test beside its subject (一票否决), with row
   R's values: "否决 = yes, 事故 = 0" (JSON: an object's members). */
static void band_inputs(FILE *out, const explain_ctx *x, const sc_grade *g, size_t r, bool json) {
  for (int i = 0; i < g->nreads; i++) {
    const sc_input *in = &x->nat->scheme->inputs[g->reads[i]];
    if (i) fputs(", ", out);
    if (json) out_json_string(out, in->name);
    else fputs(in->name, out);
    fputs(json ? ": " : " = ", out);
    input_value(out, x, in, r, json);
  }
}

void explain_text(FILE *out, const explain_ctx *x, size_t r) {
  const sc_scheme *s = x->nat->scheme;
  const rb_batch *b = x->b;
  const rb_scores *sc = x->sc;
  rb_fixed total = sc->column[abi_out_total(s)][r];
  char a[64];
  fprintf(out, "%s %s: ", b->id[r], b->name[r] ? b->name[r] : "");
  if (fixed_is_number(total)) {
    fprintf(out, diag_tr("total %s, rank %d"), fmt_num(total, x->decimals, a, sizeof a), sc->rank[r]);
    fputc('\n', out);
  } else {
    fprintf(out, "%s\n", diag_tr("incomplete"));
    if (sc->reason && sc->reason[r]) fprintf(out, "  %s\n", sc->reason[r]);
  }
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    const sc_band *band = write_band_of(sc, s, g, r);
    if (!band) continue;
    fprintf(out, "  %s: %s", g->title && g->title[0] ? g->title : g->id, band->name);
    rb_fixed subject = g->subject ? sc->column[g->subject->index][r] : total, need;
    const sc_band *up = fixed_is_number(subject) && !g->conditional ? next_band(g, band, subject, &need) : NULL;
    if (g->nreads) {
      fputs(" (", out);
      band_inputs(out, x, g, r, false);
      fputc(')', out);
    }
    if (up) {
      fputs("; ", out);
      fprintf(out, diag_tr("%s more points would reach %s"), fmt_num(need, x->decimals, a, sizeof a), up->name);
    }
    fputc('\n', out);
  }
  story *st = malloc(((size_t)s->nparts + 1) * sizeof *st);
  if (!st) abort();
  int n = stories(x, r, st);
  fprintf(out, "%s\n", diag_tr("parts, largest loss first:"));
  for (int k = 0; k < n; k++) story_text(out, x, &st[k], r);
  free(st);
}

/* ---- JSON -------------------------------------------------------------------------------- */

static void json_num(FILE *out, rb_fixed v, int decimals) {
  if (!fixed_is_number(v)) fputs("null", out);
  else num(out, v, decimals);
}

void explain_json(FILE *out, const explain_ctx *x, size_t r) {
  const sc_scheme *s = x->nat->scheme;
  const rb_batch *b = x->b;
  const rb_scores *sc = x->sc;
  rb_fixed total = sc->column[abi_out_total(s)][r];
  char buf[512];
  fputs("{\"id\": ", out);
  out_json_string(out, b->id[r]);
  fputs(", \"name\": ", out);
  out_json_string(out, b->name[r]);
  fputs(", \"total\": ", out);
  json_num(out, total, x->decimals);
  fputs(", \"rank\": ", out);
  if (fixed_is_number(total)) fprintf(out, "%d", sc->rank[r]);
  else fputs("null", out);
  if (sc->reason && sc->reason[r]) {
    fputs(", \"status\": \"incomplete\", \"reason\": ", out);
    out_json_string(out, sc->reason[r]);
  }
  fputs(", \"grades\": [", out);
  bool first = true;
  for (int i = 0; i < s->ngrades; i++) {
    const sc_grade *g = &s->grades[i];
    const sc_band *band = write_band_of(sc, s, g, r);
    if (!band) continue;
    fputs(first ? "{\"grade\": " : ", {\"grade\": ", out);
    first = false;
    out_json_string(out, g->id);
    fputs(", \"band\": ", out);
    out_json_string(out, band->name);
    rb_fixed subject = g->subject ? sc->column[g->subject->index][r] : total, need;
    const sc_band *up = fixed_is_number(subject) && !g->conditional ? next_band(g, band, subject, &need) : NULL;
    if (g->nreads) {
      fputs(", \"inputs\": {", out);
      band_inputs(out, x, g, r, true);
      fputc('}', out);
    }
    if (up) {
      fputs(", \"next\": {\"band\": ", out);
      out_json_string(out, up->name);
      fputs(", \"more\": ", out);
      json_num(out, need, x->decimals);
      fputc('}', out);
    }
    fputc('}', out);
  }
  fputs("], \"parts\": [", out);
  story *st = malloc(((size_t)s->nparts + 1) * sizeof *st);
  if (!st) abort();
  int n = stories(x, r, st);
  for (int k = 0; k < n; k++) {
    const story *t = &st[k];
    const sc_part *p = t->p;
    fputs(k ? ", {\"part\": " : "{\"part\": ", out);
    out_json_string(out, p->path);
    fputs(", \"title\": ", out);
    out_json_string(out, p->title);
    fputs(", \"points\": ", out);
    json_num(out, t->points, -1);
    fputs(", \"score\": ", out);
    json_num(out, t->score, x->decimals);
    fputs(", \"lost\": ", out);
    json_num(out, t->lost, x->decimals);
    snprintf(buf, sizeof buf, "%s:%d", file_name(p->loc), p->loc.first_line);
    fputs(", \"source\": ", out);
    out_json_string(out, buf);
    if (p->doc) {
      fputs(", \"document\": ", out);
      out_json_string(out, p->doc);
    }
    fputs(", \"inputs\": {", out);
    for (int i = 0; i < p->nreads; i++) {
      const sc_input *in = &s->inputs[p->reads[i]];
      if (i) fputs(", ", out);
      out_json_string(out, in->name);
      fputs(": ", out);
      input_value(out, x, in, r, true);
    }
    fputs("}, \"lets\": {", out);
    bool any = false;
    for (int j = t->first; j >= 0 && j < t->first + t->nprobes; j++) {
      const cg_probe *pr = &x->probes[j];
      if (pr->kind != PROBE_LET) continue;
      fputs(any ? ", " : "", out);
      any = true;
      out_json_string(out, pr->let->name);
      fputs(": ", out);
      json_num(out, probe_value(x, j, r), x->decimals);
    }
    fputs("}, \"peers\": [", out);
    any = false;
    for (int j = t->first; j >= 0 && j < t->first + t->nprobes; j++) {
      const cg_probe *pr = &x->probes[j];
      if (pr->kind != PROBE_STAT) continue;
      fputs(any ? ", {\"statistic\": " : "{\"statistic\": ", out);
      any = true;
      out_json_string(out, s->stats[pr->stat].text);
      fputs(", \"value\": ", out);
      json_num(out, probe_value(x, j, r), x->decimals);
      int own = s->stats[pr->stat].kind == STAT_COUNT ? -1 : own_probe(x, t, j);
      if (own >= 0) {
        fputs(", \"own\": ", out);
        json_num(out, probe_value(x, own, r), x->decimals);
      }
      size_t who[5];
      int nw = set_by(x, t, j, r, who, 5);
      if (nw) {
        fputs(", \"set_by\": [", out);
        for (int i = 0; i < nw; i++) {
          if (i) fputs(", ", out);
          out_json_string(out, x->b->id[who[i]]);
        }
        fputc(']', out);
      }
      fputc('}', out);
    }
    fputs("], \"tiers\": [", out);
    for (int j = 0; j < t->ntk; j++) {
      const taken *tk = &t->tk[j];
      const sc_expr *e = tk->tiers;
      rb_loc at = tk->tier >= 0 ? e->tiers.tier[tk->tier].loc : e->tiers.tail_loc;
      /* taken: the tier's number from 1; 0 the otherwise or linear between;
         "per period", or null when a condition could not be computed */
      fprintf(out, "%s{\"taken\": ", j ? ", " : "");
      if (tk->tier >= -1) fprintf(out, "%d", tk->tier + 1);
      else fputs(tk->tier == -3 ? "\"per period\"" : "null", out);
      fprintf(out, ", \"line\": %d, \"text\": ", tk->tier < -1 ? e->loc.first_line : at.first_line);
      out_json_string(out, tk->tier < -1 ? "" : source_text(at, buf, sizeof buf));
      next_of(out, x, t, tk, r, true);
      fputc('}', out);
    }
    fputs("]}", out);
  }
  free(st);
  fputs("]}\n", out);
}
