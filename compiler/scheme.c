/* scheme.c: the questions every stage asks of a checked scheme; see scheme.h. */
#include "scheme.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

void scheme_input_bounds(const sc_input *in, double *lo, double *hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  switch (in->type) {
  case IN_COUNT: case IN_MONEY: case IN_ASSESSED: *lo = 0; break;
  case IN_RANK: *lo = 1; break;
  case IN_FRACTION: case IN_YESNO: *lo = 0; *hi = 1; break;
  case IN_NUMBER: case IN_DATE: break;
  case IN_LABEL: *lo = 0; *hi = in->nlabels - 1; break;
  }
  if (in->has_lo) *lo = dec_to_double(in->lo);
  if (in->has_hi) *hi = dec_to_double(in->hi);
}

void scheme_input_exact_bounds(const sc_input *in, bool *has_lo, rb_decimal *lo, bool *has_hi, rb_decimal *hi) {
  *has_lo = *has_hi = true;
  *lo = dec_from_int(0), *hi = dec_from_int(1);
  switch (in->type) {
  case IN_COUNT: case IN_MONEY: case IN_ASSESSED: *has_hi = false; break;
  case IN_RANK: *lo = dec_from_int(1), *has_hi = false; break;
  case IN_FRACTION: case IN_YESNO: break;
  case IN_NUMBER: case IN_DATE: *has_lo = *has_hi = false; break;
  case IN_LABEL: *hi = dec_from_int(in->nlabels - 1); break;
  }
  if (in->has_lo) *lo = in->lo, *has_lo = true;
  if (in->has_hi) *hi = in->hi, *has_hi = true;
}

const char *scheme_input_value(const sc_input *in, rb_fixed v, char *buf, size_t len) {
  if (in->type == IN_LABEL) /* an example's or an empty cell's label was resolved by the checker */
    return v % FIXED_ONE == 0 && v >= 0 && v / FIXED_ONE < in->nlabels ? NULL : diag_tr("is not one of the input's labels");
  if (in->type == IN_DATE) /* a day number */
    return v % FIXED_ONE == 0 ? NULL : diag_tr("is not a date");
  bool whole = in->type == IN_COUNT || in->type == IN_RANK;
  if (whole && v % FIXED_ONE)
    return in->type == IN_COUNT ? diag_tr("is not a count (a whole number, 0 or more)")
                                : diag_tr("is not a rank (a whole number, 1 or more)");
  bool has_lo, has_hi;
  rb_decimal lo, hi;
  scheme_input_exact_bounds(in, &has_lo, &lo, &has_hi, &hi);
  rb_fixed flo, fhi;
  bool lo_ok = !has_lo || !fixed_from_decimal(lo, &flo) || v >= flo; /* a bound past the range bounds nothing */
  bool hi_ok = !has_hi || !fixed_from_decimal(hi, &fhi) || v <= fhi;
  if (lo_ok && hi_ok) return NULL;
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
  dec_format(lo, a, sizeof a);
  dec_format(hi, b, sizeof b);
  if (in->type == IN_ASSESSED && has_hi) /* its range is its part's points */
    snprintf(buf, len, diag_tr("must lie in [%s, %s], the points of the part it is given for"), a, b);
  else if (!has_hi) snprintf(buf, len, diag_tr("must be at least %s"), a);
  else if (!has_lo) snprintf(buf, len, diag_tr("must be at most %s"), b);
  else snprintf(buf, len, diag_tr("must lie in [%s, %s]"), a, b);
  return buf;
}

rb_fixed scheme_empty_value(const sc_input *in) {
  rb_fixed v = FIXED_EMPTY;
  if (in->missing == MISS_VALUE && !fixed_from_decimal(in->missing_value, &v)) v = FIXED_EMPTY;
  return v;
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

rb_fixed scheme_target_margin(const sc_target *t, rb_fixed value, rb_fixed goal) {
  if (!fixed_is_number(value) || !fixed_is_number(goal)) return FIXED_ERROR;
  rb_fixed m;
  bool over = t->op == OP_GE || t->op == OP_GT ? __builtin_sub_overflow(value, goal, &m)
                                                : __builtin_sub_overflow(goal, value, &m);
  return over || !fixed_is_number(m) ? FIXED_ERROR : m;
}

void scheme_expr_reads(const sc_expr *e, unsigned char *inputs, unsigned char *stats) {
  if (!e) return;
  switch (e->kind) {
  case SX_NUMBER: case SX_BOOL: case SX_PARAM: case SX_UNDEFINED: case SX_ITEMS: case SX_SUBJECT: return;
  case SX_INPUT:
    if (inputs) inputs[e->input->index] = 1;
    return;
  case SX_LET: scheme_expr_reads(e->let->value, inputs, stats); return;
  case SX_BUILTIN:
    for (int i = 0; i < e->call.nargs; i++) scheme_expr_reads(e->call.args[i], inputs, stats);
    return;
  case SX_FORM: /* the arguments, and the body when it reads inputs of its own (a scheme's form) */
    for (int i = 0; i < e->form.form->nparams; i++) scheme_expr_reads(e->form.args[i], inputs, stats);
    if (e->form.form->reads_inputs) scheme_expr_reads(e->form.form->body, inputs, stats);
    return;
  case SX_PEER:
    for (int k = 0; k < 2; k++)
      if (stats && e->peer.stat[k] >= 0) stats[e->peer.stat[k]] = 1;
    scheme_expr_reads(e->peer.arg, inputs, stats);
    return;
  case SX_NEG: case SX_NOT: scheme_expr_reads(e->operand, inputs, stats); return;
  case SX_BINARY:
    scheme_expr_reads(e->bin.lhs, inputs, stats);
    scheme_expr_reads(e->bin.rhs, inputs, stats);
    return;
  case SX_TIERS:
    for (int i = 0; i < e->tiers.n; i++) {
      scheme_expr_reads(e->tiers.tier[i].cond, inputs, stats);
      scheme_expr_reads(e->tiers.tier[i].value, inputs, stats);
    }
    scheme_expr_reads(e->tiers.otherwise, inputs, stats);
    return;
  }
}

bool scheme_part_applies(const sc_part *p, int l) {
  for (int k = 0; k < p->nkinds; k++)
    if (p->kinds[k] == l) return true;
  return p->nkinds == 0;
}

/* An input only some kinds read may be left empty by the others (spec/data.md). */
/* Marks in READ what every entity's scores read: requirements, targets,
   grades' bands, peer statistics' arguments (not the parts' rules). */
static void every_entity_reads(const sc_scheme *s, unsigned char *read) {
  for (int i = 0; i < s->nrequires; i++) scheme_expr_reads(s->requires[i].cond, read, NULL);
  for (int t = 0; t < s->ntargets; t++) scheme_expr_reads(s->targets[t].rule, read, NULL);
  for (int g = 0; g < s->ngrades; g++)
    for (int b = 0; b < s->grades[g].nbands; b++)
      if (s->grades[g].bands[b].when) scheme_expr_reads(s->grades[g].bands[b].when, read, NULL);
  for (int k = 0; k < s->nstats; k++)
    if (s->stats[k].arg) scheme_expr_reads(s->stats[k].arg, read, NULL);
}

void scheme_inputs_read(const sc_scheme *s, unsigned char *read) {
  every_entity_reads(s, read);
  for (int k = 0; k < s->nparts; k++)
    if (s->parts[k]->score) scheme_expr_reads(s->parts[k]->score, read, NULL);
}

void scheme_inputs_needed(const sc_scheme *s, unsigned char *need) {
  int nl = s->kind->nlabels, ni = s->ninputs;
  unsigned char *all = calloc((size_t)ni + 1, 1), *reads = calloc((size_t)ni + 1, 1);
  if (!all || !reads) abort();
  all[s->kind->index] = 1;
  every_entity_reads(s, all);
  for (int i = 0; i < ni; i++)
    for (int l = 0; l < nl; l++) need[i * nl + l] = all[i];
  for (int k = 0; k < s->nparts; k++) {
    const sc_part *p = s->parts[k];
    if (!p->score) continue;
    memset(reads, 0, (size_t)ni);
    scheme_expr_reads(p->score, reads, NULL);
    for (int i = 0; i < ni; i++)
      for (int l = 0; reads[i] && l < nl; l++) need[i * nl + l] |= scheme_part_applies(p, l);
  }
  free(all);
  free(reads);
}
