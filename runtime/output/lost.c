/* lost.c: where an entity lost points (scores.h), for the sheets and
 * reports that say why a county ranks where it does. */
#include <stdlib.h>

#include "scores.h"

section_kind write_part_section(const sc_part *p) {
  while (p->parent) p = p->parent;
  return p->section;
}

rb_fixed write_part_loss(const sc_part *p, rb_fixed points, rb_fixed score) {
  section_kind sec = write_part_section(p);
  return sec == SECTION_DEDUCTION ? score : sec == SECTION_BONUS ? 0 : points - score;
}

/* Largest loss first; a tie in part order, so the list never depends on
   the sort's order among equals. */
static int cmp_lost(const void *pa, const void *pb) {
  const lost_point *a = pa, *b = pb;
  if (a->lost != b->lost) return a->lost > b->lost ? -1 : 1;
  return a->part < b->part ? -1 : a->part > b->part;
}

int write_lost_points(const rb_scores *sc, const sc_scheme *s, size_t r, int decimals, lost_point *out) {
  int n = 0;
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    if (p->kind != PART_INDICATOR) continue; /* items add up to their indicator */
    rb_fixed score = sc->column[k][r], points;
    if (!fixed_is_number(score) || !fixed_from_decimal(p->points, &points)) continue;
    if (decimals >= 0) score = fixed_round(score, decimals); /* the loss of the score people see */
    rb_fixed lost = write_part_loss(p, points, score);
    if (lost > 0) out[n++] = (lost_point){k, lost, points, score};
  }
  qsort(out, (size_t)n, sizeof *out, cmp_lost);
  return n;
}
