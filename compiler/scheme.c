/* scheme.c: the questions every stage asks of a checked scheme; see scheme.h. */
#include "scheme.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

void scheme_input_bounds(const sc_input *in, double *lo, double *hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  switch (in->type) {
  case IN_COUNT: case IN_MONEY: *lo = 0; break;
  case IN_RANK: *lo = 1; break;
  case IN_FRACTION: case IN_YESNO: *lo = 0; *hi = 1; break;
  case IN_NUMBER: break;
  }
  if (in->has_lo) *lo = dec_to_double(in->lo);
  if (in->has_hi) *hi = dec_to_double(in->hi);
}

const char *scheme_input_value(const sc_input *in, double v, char *buf, size_t len) {
  bool whole = in->type == IN_COUNT || in->type == IN_RANK;
  if (whole && v != floor(v))
    return in->type == IN_COUNT ? diag_tr("is not a count (a whole number, 0 or more)")
                                : diag_tr("is not a rank (a whole number, 1 or more)");
  double lo, hi;
  scheme_input_bounds(in, &lo, &hi);
  if (v >= lo && v <= hi) return NULL;
  if (!in->has_lo && !in->has_hi) {
    switch (in->type) {
    case IN_COUNT: return diag_tr("is not a count (a whole number, 0 or more)");
    case IN_RANK: return diag_tr("is not a rank (a whole number, 1 or more)");
    /* xgettext:no-c-format */
    case IN_FRACTION: return diag_tr("is not a fraction from 0 to 1 (write 30% or 0.3)");
    case IN_MONEY: return diag_tr("is negative: money is 0 or more unless the input says 'at least'");
    default: break;
    }
  }
  char a[64], b[64];
  snprintf(a, sizeof a, "%.15g", lo);
  snprintf(b, sizeof b, "%.15g", hi);
  if (isinf(hi)) snprintf(buf, len, diag_tr("must be at least %s"), a);
  else if (isinf(lo)) snprintf(buf, len, diag_tr("must be at most %s"), b);
  else snprintf(buf, len, diag_tr("must lie in [%s, %s]"), a, b);
  return buf;
}

double scheme_empty_value(const sc_input *in) {
  return in->missing == MISS_VALUE ? dec_to_double(in->missing_value) : NAN;
}

bool scheme_has_periods(const sc_scheme *s) {
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].periodic) return true;
  return false;
}

bool scheme_reads_parent(const sc_scheme *s) {
  for (int i = 0; i < s->ninputs; i++)
    if (s->inputs[i].from_parent) return true;
  return false;
}

const sc_part *scheme_find_part(const sc_scheme *s, const char *path) {
  for (int i = 0; i < s->nparts; i++)
    if (!strcmp(s->parts[i]->path, path)) return s->parts[i];
  return NULL;
}

const sc_target *scheme_find_target(const sc_scheme *s, const char *id) {
  for (int i = 0; i < s->ntargets; i++)
    if (!strcmp(s->targets[i].id, id)) return &s->targets[i];
  return NULL;
}

const sc_grade *scheme_find_grade(const sc_scheme *s, const char *id) {
  for (int i = 0; i < s->ngrades; i++)
    if (!strcmp(s->grades[i].id, id)) return &s->grades[i];
  return NULL;
}

double scheme_target_margin(const sc_target *t, double value, double goal) {
  return t->op == OP_GE || t->op == OP_GT ? value - goal : goal - value;
}
