/* score.c: every entity's parts, total, grades and targets, then ranks and
 * the output tables (spec/semantics.md#points-and-scores, #missing-data,
 * #targets, #grades, #numbers; spec/data.md#output-tables). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ref.h"

/* What one entity scored. */
typedef struct row {
  bool failed;
  mpq_t *part;   /* by part index: the score as given (18 decimals, or N with `round N`) */
  mpq_t *exact;  /* by part index: as computed, what the part above adds up */
  bool *absent;  /* by part index: the part is not for this entity's kind (`for`): an empty cell */
  mpq_t total;
  long rank;
  int *band;     /* by grade */
  mpq_t *value, *goal; /* by target */
  bool *also;          /* by target: what must hold beside the comparison */
} row;

static void hold(mpq_t v, const mpq_t points) {
  if (mpq_sgn(v) < 0) mpq_set_ui(v, 0, 1);
  if (mpq_cmp(v, points) > 0) mpq_set(v, points);
}

/* Prints a failure: the entities table, the entity, what failed, the
   reason's code and place. */
static void report(FILE *out, const job *j, int e, const char *what, const char *path, const ref_err *err) {
  if (!err->loc.src) { /* no place: a target's margin */
    fprintf(out, "%s\t%s\t%s %s\tR%d\t-\n", j->entities_path, j->ents[e].id, what, path, err->code);
    return;
  }
  fprintf(out, "%s\t%s\t%s %s\tR%d\t%s:%d:%d\n", j->entities_path, j->ents[e].id, what, path, err->code,
          err->loc.src->path, err->loc.first_line, err->loc.first_column);
}

/* The fixed points a `missing scores` input gives part P of entity E, if
   one that P's rule reads is empty in some period. */
static bool fixed_points(const job *j, const sc_part *p, int e, mpq_t out) {
  const sc_scheme *s = j->s;
  for (int i = 0; i < s->ninputs; i++) {
    const sc_input *in = &s->inputs[i];
    if ((in->missing != MISS_POINTS && in->missing != MISS_FULL) || !reads_input(p->score, in)) continue;
    for (int q = 0; q < s->nperiods; q++)
      if (j->ents[e].cells[i * s->nperiods + q].empty) {
        num_from_decimal(in->missing == MISS_FULL ? p->points : in->missing_value, out);
        return true;
      }
  }
  return false;
}

/* Whether part P is for entity E's kind: P or a part above it says `for
   KIND L1, L2` (the checked scheme keeps the nearest list on every part
   below it) and E's cell of the kind input is not one of those labels. */
static bool for_kind(const job *j, const sc_part *p, int e) {
  if (!p->nkinds) return true;
  const mpq_t *kind = &j->ents[e].cells[j->s->kind->index * j->s->nperiods].v;
  for (int k = 0; k < p->nkinds; k++)
    if (mpq_cmp_si(*kind, p->kinds[k], 1) == 0) return true;
  return false;
}

/* Part P of entity E into R->part and R->exact; false if it (or a part
   below it) fails. A leaf is held within its points and rounded (to N
   decimals with `round N`, which is then what the parts above add up); a
   part with children is the sum of their scores as computed, held, and
   given rounded to 18 decimals. */
static bool score_part(job *j, const sc_part *p, int e, row *r, FILE *failures) {
  if (!for_kind(j, p, e)) { /* adds nothing, fails nothing, shows nothing; nor do its parts */
    r->absent[p->index] = true;
    mpq_set_ui(r->exact[p->index], 0, 1);
    mpq_set_ui(r->part[p->index], 0, 1);
    for (int k = 0; k < p->nchildren; k++) score_part(j, p->children[k], e, r, failures);
    return true;
  }
  mpq_t *v = &r->exact[p->index], points;
  mpq_init(points);
  num_from_decimal(p->points, points);
  bool ok = true;
  if (!p->nchildren) {
    ctx c = {.j = j, .ent = e};
    /* a count with a failed record fails the rule that reads it, whatever its path */
    if (reads_failed_count(&c, p->score) || (!fixed_points(j, p, e, *v) && !eval(&c, p->score, NULL, 0, *v))) {
      report(failures, j, e, p->kind == PART_ITEM ? "item" : "indicator", p->path, &c.err);
      ok = false;
    }
    ctx_done(&c);
    hold(*v, points);
    if (j->s->round_parts >= 0) num_round(*v, j->s->round_parts);
  } else {
    mpq_set_ui(*v, 0, 1);
    for (int k = 0; k < p->nchildren; k++) { /* every child, so every failure is reported */
      ok = score_part(j, p->children[k], e, r, failures) && ok;
      mpq_add(*v, *v, r->exact[p->children[k]->index]);
    }
    if (p->score && ok) { /* a rule adjusts the items' sum */
      mpq_t items;
      mpq_init(items);
      mpq_set(items, *v);
      ctx c = {.j = j, .ent = e, .items = &items};
      if (reads_failed_count(&c, p->score) || !eval(&c, p->score, NULL, 0, *v)) {
        report(failures, j, e, p->kind == PART_ITEM ? "item" : "indicator", p->path, &c.err);
        ok = false;
      }
      ctx_done(&c);
      mpq_clear(items);
    }
    hold(*v, points);
  }
  mpq_set(r->part[p->index], *v);
  num_round(r->part[p->index], 18);
  mpq_clear(points);
  return ok;
}

static void score_entity(job *j, int e, row *r, FILE *failures) {
  const sc_scheme *s = j->s;
  mpq_set_ui(r->total, 0, 1);
  for (int k = 0; k < s->ntop; k++) {
    r->failed |= !score_part(j, s->top[k], e, r, failures);
    /* a bonus section adds to the total, a deduction section takes from it */
    if (s->top[k]->section == SECTION_DEDUCTION) mpq_sub(r->total, r->total, r->exact[s->top[k]->index]);
    else mpq_add(r->total, r->total, r->exact[s->top[k]->index]);
  }
  num_round(r->total, 18);
  if (s->round_total >= 0) num_round(r->total, s->round_total);
  for (int g = 0; !r->failed && g < s->ngrades; g++) {
    const sc_grade *gr = &s->grades[g];
    const mpq_t *x = gr->subject ? &r->part[gr->subject->index] : &r->total;
    mpq_t b;
    mpq_init(b);
    r->band[g] = -1;
    for (int k = 0; k < gr->nbands && r->band[g] < 0; k++) {
      const sc_band *band = &gr->bands[k];
      bool in = true;
      if (band->when) { /* a condition over the subject and inputs: it cannot fail */
        ctx c = {.j = j, .ent = e, .subject = x};
        bool ok = eval(&c, band->when, NULL, 0, b);
        assert(ok);
        (void)ok;
        ctx_done(&c);
        if (mpq_sgn(b)) r->band[g] = k;
        continue;
      }
      if (band->has_lo) num_from_decimal(band->lo, b), in = band->lo_open ? mpq_cmp(*x, b) > 0 : mpq_cmp(*x, b) >= 0;
      if (in && band->has_hi)
        num_from_decimal(band->hi, b), in = band->hi_open ? mpq_cmp(*x, b) < 0 : mpq_cmp(*x, b) <= 0;
      if (in) r->band[g] = k;
    }
    mpq_clear(b);
  }
  for (int t = 0; t < s->ntargets; t++) {
    ctx c = {.j = j, .ent = e};
    /* value and goal are results: rounded to 18 decimals, and the target
       met or not on them */
    bool ok = !reads_failed_count(&c, s->targets[t].value) && !reads_failed_count(&c, s->targets[t].goal) &&
              !reads_failed_count(&c, s->targets[t].also) && eval_sub(&c, 0, s->targets[t].value, NULL, 0, r->value[t]) &&
              eval_sub(&c, 1, s->targets[t].goal, NULL, 0, r->goal[t]);
    r->also[t] = true;
    if (ok && s->targets[t].also) {
      mpq_t a;
      mpq_init(a);
      ok = eval(&c, s->targets[t].also, NULL, 0, a);
      r->also[t] = ok && mpq_sgn(a) != 0;
      mpq_clear(a);
    }
    if (ok) {
      num_round(r->value[t], 18);
      num_round(r->goal[t], 18);
      mpq_t m; /* the margin is a number too: under 10^20 */
      mpq_init(m);
      mpq_sub(m, r->value[t], r->goal[t]);
      if (num_overflows(m)) ok = ctx_fail(&c, 1203, (rb_loc){0});
      mpq_clear(m);
    }
    if (!ok) {
      report(failures, j, e, "target", s->targets[t].id, &c.err);
      r->failed = true;
    }
    ctx_done(&c);
  }
}

/* ---- output ------------------------------------------------------------ */

/* A CSV field, quoted when it holds , " CR or LF or begins or ends with a
   space or tab. */
static void field(FILE *f, const char *s, bool last) {
  size_t n = strlen(s);
  bool quote = strpbrk(s, ",\"\r\n") || (n && (strchr(" \t", s[0]) || strchr(" \t", s[n - 1])));
  if (quote) {
    fputc('"', f);
    for (; *s; s++) {
      if (*s == '"') fputc('"', f);
      fputc(*s, f);
    }
    fputc('"', f);
  } else {
    fputs(s, f);
  }
  fputc(last ? '\n' : ',', f);
}

static void number(FILE *f, const mpq_t q, bool last) {
  char *t = num_text(q);
  field(f, t, last);
  free(t);
}

static void write_scores(FILE *f, const job *j, row *rows) {
  const sc_scheme *s = j->s;
  fputs("id,name,", f);
  if (s->uses_parent) fputs("parent,", f);
  fputs("total,rank", f);
  for (int g = 0; g < s->ngrades; g++) {
    fprintf(f, ",%s", s->grades[g].id);
    if (s->grades[g].has_treatment) fprintf(f, ",%s_treatment", s->grades[g].id);
  }
  for (int k = 0; k < s->nparts; k++) fprintf(f, ",%s", s->parts[k]->path);
  int assessed = 0; /* the reviewers' points, as given, after the parts */
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].type == IN_ASSESSED) fprintf(f, ",%s", s->inputs[i].name), assessed++;
  fputc('\n', f);
  for (int e = 0; e < j->nentities; e++) {
    const row *r = &rows[e];
    field(f, j->ents[e].id, false);
    field(f, j->ents[e].name, false);
    if (s->uses_parent) field(f, j->ents[e].parent, false);
    number(f, r->total, false);
    fprintf(f, "%ld%s", r->rank, s->ngrades || s->nparts ? "," : "\n");
    for (int g = 0; g < s->ngrades; g++) { /* the checker proved that some band holds every score */
      const sc_band *b = r->band[g] >= 0 ? &s->grades[g].bands[r->band[g]] : &(sc_band){.name = "?"};
      field(f, b->name, !s->grades[g].has_treatment && g == s->ngrades - 1 && !s->nparts);
      if (s->grades[g].has_treatment) field(f, b->treatment ? b->treatment : "", g == s->ngrades - 1 && !s->nparts);
    }
    for (int k = 0; k < s->nparts; k++)
      if (r->absent[k]) field(f, "", k == s->nparts - 1 && !assessed);
      else number(f, r->part[k], k == s->nparts - 1 && !assessed);
    for (int i = 0, seen = 0; i < s->ninputs; i++) {
      if (s->inputs[i].type != IN_ASSESSED) continue;
      const cell *x = &j->ents[e].cells[i * s->nperiods];
      if (x->empty) fputs(++seen == assessed ? "\n" : ",", f);
      else number(f, x->v, ++seen == assessed);
    }
  }
}

static void write_targets(FILE *f, const job *j, row *rows) {
  const sc_scheme *s = j->s;
  fputs("id,name,target,title,value,goal,met,margin\n", f);
  mpq_t m;
  mpq_init(m);
  for (int e = 0; e < j->nentities; e++)
    for (int t = 0; t < s->ntargets; t++) {
      const sc_target *tg = &s->targets[t];
      const mpq_t *v = &rows[e].value[t], *g = &rows[e].goal[t];
      int cmp = mpq_cmp(*v, *g);
      bool met = tg->op == OP_GE ? cmp >= 0 : tg->op == OP_GT ? cmp > 0 : tg->op == OP_LE ? cmp <= 0 : cmp < 0;
      met = met && rows[e].also[t];
      if (tg->op == OP_GE || tg->op == OP_GT) mpq_sub(m, *v, *g);
      else mpq_sub(m, *g, *v);
      field(f, j->ents[e].id, false);
      field(f, j->ents[e].name, false);
      field(f, tg->id, false);
      field(f, tg->title, false);
      number(f, *v, false);
      number(f, *g, false);
      field(f, met ? "yes" : "no", false);
      number(f, m, true);
    }
  mpq_clear(m);
}

static bool write_file(const char *path, void (*write)(FILE *, const job *, row *), const job *j, row *rows) {
  FILE *f = path && strcmp(path, "-") ? fopen(path, "w") : stdout;
  if (!f) {
    fprintf(stderr, "rubric-ref: %s: cannot write\n", path);
    return false;
  }
  write(f, j, rows);
  return f == stdout ? fflush(f) == 0 : fclose(f) == 0;
}

int job_score(job *j, FILE *failures) {
  const sc_scheme *s = j->s;
  int n = j->nentities, nt = s->ntargets;
  row *rows = calloc((size_t)n + 1, sizeof *rows);
  if (!rows) abort();
  bool failed = false;
  for (int e = 0; e < n; e++) {
    row *r = &rows[e];
    r->part = malloc(((size_t)s->nparts + 1) * sizeof *r->part);
    r->exact = malloc(((size_t)s->nparts + 1) * sizeof *r->exact);
    r->value = malloc(((size_t)nt + 1) * sizeof *r->value);
    r->goal = malloc(((size_t)nt + 1) * sizeof *r->goal);
    r->band = calloc((size_t)s->ngrades + 1, sizeof *r->band);
    r->also = calloc((size_t)nt + 1, sizeof *r->also);
    r->absent = calloc((size_t)s->nparts + 1, sizeof *r->absent);
    if (!r->part || !r->exact || !r->value || !r->goal || !r->band || !r->also || !r->absent) abort();
    for (int k = 0; k < s->nparts; k++) mpq_inits(r->part[k], r->exact[k], NULL);
    for (int t = 0; t < nt; t++) mpq_inits(r->value[t], r->goal[t], NULL);
    mpq_init(r->total);
    score_entity(j, e, r, failures);
    failed |= r->failed;
  }
  /* competition ranks of the totals within each peer group */
  for (int e = 0; e < n; e++) {
    rows[e].rank = 1;
    for (int k = 0; k < n; k++)
      if (j->ents[k].group == j->ents[e].group && mpq_cmp(rows[k].total, rows[e].total) > 0) rows[e].rank++;
  }
  bool ok = !failed;
  if (ok && s->nparts) ok = write_file(j->out_path, write_scores, j, rows);
  if (ok && nt) ok = write_file(s->nparts ? j->targets_path : j->out_path, write_targets, j, rows);
  for (int e = 0; e < n; e++) {
    for (int k = 0; k < s->nparts; k++) mpq_clears(rows[e].part[k], rows[e].exact[k], NULL);
    for (int t = 0; t < nt; t++) mpq_clears(rows[e].value[t], rows[e].goal[t], NULL);
    mpq_clear(rows[e].total);
    free(rows[e].part);
    free(rows[e].exact);
    free(rows[e].absent);
    free(rows[e].value);
    free(rows[e].goal);
    free(rows[e].band);
    free(rows[e].also);
  }
  free(rows);
  return ok ? 0 : 1;
}
