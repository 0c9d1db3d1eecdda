/* grades.c: a grade's bands name ranges of the total (or of one part's
 * score): each band a range of its subject, none overlapping another, and
 * together covering everything the subject can score, [0, total] (ck.h).
 * Bands that also test inputs (一票否决: `"优秀" if total >= 90 and not
 * vetoed`) are proved the same way over every case of those inputs
 * (cases.c).
 */
#include <string.h>

#include "ck.h"

/* The interval a band condition selects: comparisons of the subject with
   numbers, joined by `and`. False for anything else. */
static bool band_interval(const ast_grade *g, ast_expr *cond, interval *out) {
  if (cond->kind == EX_BINARY && cond->bin.op == OP_AND) {
    interval a, b;
    if (!band_interval(g, cond->bin.lhs, &a) || !band_interval(g, cond->bin.rhs, &b)) return false;
    out->lo = iv_lo_le(a.lo, b.lo) ? b.lo : a.lo; /* the later start */
    out->hi = iv_hi_ge(a.hi, b.hi) ? b.hi : a.hi; /* the earlier end */
    return true;
  }
  tier_cond tc;
  interval iv[2];
  if (!iv_tier_cond(cond, &tc) || tc.subject->kind != EX_NAME || strcmp(tc.subject->name.id, g->subject) ||
      iv_cond_intervals(tc, iv) != 1)
    return false;
  *out = iv[0];
  return true;
}

/* The subject wherever a band's condition names it: `total`, or the part
   the grade is on (even where an input has the part's id). */
static bool mark_subject(const ast_expr *e, void *ctx) {
  const ast_grade *g = ctx;
  if (e->kind == EX_NAME && !strcmp(e->name.id, g->subject)) ((ast_expr *)e)->name.ref = REF_SUBJECT;
  return false;
}

/* What a band's condition may be made of before its types are known: names,
   numbers, yes/no and operators (no call, tier list or `undefined`). */
static bool band_shape(const ast_expr *e) {
  switch (e->kind) {
  case EX_NAME: case EX_NUMBER: case EX_BOOL: return true;
  case EX_NOT: case EX_NEG: return band_shape(e->operand);
  case EX_BINARY: return band_shape(e->bin.lhs) && band_shape(e->bin.rhs);
  default: return false;
  }
}

static void band_refused(ck *c, const ast_grade *g, const ast_band *b) {
  diag_error(c->diags, R0610, b->cond->loc,
             "a band's condition compares '%s' with numbers, and may test yes/no inputs and compare inputs with "
             "numbers, joined by 'and', 'or' and 'not' (e.g. '%s >= 90 and not 一票否决')",
             g->subject, g->subject);
}

/* Bands that test inputs beside the subject: each condition a yes/no value
   of one per entity, then every case of the subject and those inputs taken
   by exactly one band (cases.c). */
static void conditional_bands(ck *c, ast_grade *g, rb_decimal bottom, rb_decimal top) {
  g->conditional = true;
  bool ok = true;
  int errors = c->diags->errors;
  for (ast_band *b = g->bands; b; b = b->next) {
    if (!band_shape(b->cond)) {
      band_refused(c, g, b);
      ok = false;
      continue;
    }
    ast_any(b->cond, mark_subject, g);
    rb_type t = types_need_bool(c, types_check(c, b->cond, NULL, NULL), b->cond, "a band's condition");
    if (!t.ok) {
      ok = false;
      continue;
    }
    if (t.periodic) {
      diag_error(c->diags, R0404, b->cond->loc, "a band's condition needs one value per entity, and this has one per period");
      ok = false;
      continue;
    }
    ast_input *fixed = peer_reads_missing_scores(b->cond);
    if (fixed) {
      diag_error(c->diags, R0610, b->cond->loc,
                 "band \"%s\" tests '%s', whose empty cell means fixed points ('missing scores'), not a value",
                 b->name, fixed->name);
      ok = false;
      continue;
    }
    names_add_reads(c, &g->reads, &g->nreads, b->cond);
    b->resolved = true;
  }
  if (c->file->syntax_errors || (!ok && c->diags->errors > errors)) return;
  if (ok && cases_bands(c, g, bottom, top)) return;
  const ast_band *b = g->bands; /* the band that is not of the kind, else too many cases: the first */
  for (const ast_band *o = g->bands; o; o = o->next)
    if (!cases_band_testable(c, g, o->cond)) {
      b = o;
      break;
    }
  band_refused(c, g, b);
}

/* Bands name ranges of the total (or of one part's score): they must cover
   everything it can score once: [0, total], or with bonus and deduction
   sections [-deductions' points, total + bonuses' points]. */
void grades_check(ck *c, ast_grade *g) {
  ast_scheme *s = c->scheme;
  names_plain(c, g->id, g->id_loc);
  for (ast_grade *o = s->grades; o != g; o = o->next)
    if (!strcmp(o->id, g->id)) {
      diag_error(c->diags, R0303, g->id_loc, "grade '%s' is already declared on line %d", g->id, o->id_loc.first_line);
      break;
    }
  if (names_part(s, g->id) || names_target(s, g->id) || names_reserved(g->id))
    diag_error(c->diags, R0304, g->id_loc, "'%s' already names an output column; choose another grade id", g->id);
  g->index = CK_GROW(c, s->grade_at, s->ngrades, s->cap_grades);
  s->grade_at[g->index] = g;
  rb_decimal top, bottom = dec_from_int(0);
  if (!strcmp(g->subject, "total")) {
    if (!s->has_total) {
      diag_error(c->diags, R0610, g->subject_loc, "grade '%s' is on the total, and the scheme declares none", g->id);
      return;
    }
    top = s->total;
    for (ast_stmt *st = s->body; st; st = st->next) {
      if (st->kind != ST_PART || st->part->section == SECTION_NONE) continue;
      rb_decimal *end = st->part->section == SECTION_BONUS ? &top : &bottom;
      bool fits = st->part->section == SECTION_BONUS ? dec_add(*end, st->part->points, end)
                                                      : dec_sub(*end, st->part->points, end);
      if (!fits) return; /* reported with the section's points */
    }
  } else {
    g->part = names_part(s, g->subject);
    if (!g->part) {
      suggestion sg = {g->subject, NULL, 99};
      for (int i = 0; i < s->nparts; i++) names_suggest(&sg, s->part_at[i]->path);
      diag_error(c->diags, R0301, g->subject_loc, "grade '%s' is on '%s', which is neither 'total' nor a part of the scheme%s",
                 g->id, g->subject, names_did_you_mean(c, &sg));
      return;
    }
    top = g->part->points;
    for (const ast_part *up = g->part; up; up = up->parent)
      if (up->kind_name) { /* its cell is empty for the other kinds: no band could hold them */
        diag_error(c->diags, R0346, g->subject_loc,
                   "grade '%s' is on '%s', which applies to some kinds of entity only; grade the total, or a part every entity has",
                   g->id, g->subject);
        return;
      }
  }
  bool intervals = true;
  for (ast_band *b = g->bands; b; b = b->next) {
    g->nbands++;
    if (b->treatment) g->has_treatment = true;
    for (ast_band *o = g->bands; o != b; o = o->next)
      if (!strcmp(o->name, b->name))
        diag_error(c->diags, R0303, b->loc, "band \"%s\" is already declared on line %d", b->name, o->loc.first_line);
    interval iv;
    intervals &= band_interval(g, b->cond, &iv);
  }
  if (!intervals) {
    conditional_bands(c, g, bottom, top);
    return;
  }
  ivset covered;
  covered.n = 0;
  bool ok = true;
  for (ast_band *b = g->bands; b; b = b->next) {
    interval iv;
    band_interval(g, b->cond, &iv);
    b->has_lo = !iv.lo.inf;
    b->has_hi = !iv.hi.inf;
    b->lo = iv.lo.v;
    b->hi = iv.hi.v;
    b->lo_open = !iv.lo.closed;
    b->hi_open = !iv.hi.closed;
    if (iv_empty(iv)) {
      diag_error(c->diags, R0610, b->cond->loc, "band \"%s\" can never apply: no score meets its condition", b->name);
      ok = false;
      continue;
    }
    for (ast_band *o = g->bands; o != b; o = o->next) {
      if (!o->resolved) continue;
      interval x = {{!o->has_lo, o->lo, !o->lo_open}, {!o->has_hi, o->hi, !o->hi_open}};
      interval meet = {iv_lo_le(x.lo, iv.lo) ? iv.lo : x.lo, iv_hi_ge(x.hi, iv.hi) ? iv.hi : x.hi};
      if (!iv_empty(meet)) {
        diag_error(c->diags, R0609, b->cond->loc, "bands \"%s\" and \"%s\" overlap in %s%s, %s%c: a score there has two grades",
                   o->name, b->name, meet.lo.closed ? "[" : "(", iv_bound_text(c->arena, meet.lo, true), iv_bound_text(c->arena, meet.hi, false),
                   meet.hi.closed ? ']' : ')');
        diag_note(c->diags, o->loc, "band \"%s\" is here", o->name);
      }
    }
    b->resolved = true;
    ivset_add(&covered, iv);
  }
  if (!ok || c->file->syntax_errors) return; /* a band that did not parse would be reported as a gap */
  interval range = {{false, bottom, true}, {false, top, true}};
  if (!ivset_contains(&covered, range)) {
    /* the first value of [bottom, top] no band takes */
    ivset gaps = covered;
    ivset_add(&gaps, (interval){{.inf = true}, {false, bottom, false}});
    ivset_add(&gaps, (interval){{false, top, false}, {.inf = true}});
    diag_error(c->diags, R0608, g->id_loc, "the bands of grade '%s' leave scores in %s without a grade (%s runs from %s to %s)",
               g->id, iv_first_gap(c->arena, &gaps), g->subject, names_points(c, bottom), names_points(c, top));
  }
}
