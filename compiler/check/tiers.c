/* tiers.c: tier lists whose conditions test one value against numbers:
 * tiers no value can reach, thresholds two tiers share, values no tier
 * takes, and the shape of `linear between`; tiers over the labels of one
 * input; the rest over several inputs go to cases.c (ck.h).
 */
#include <math.h>
#include <string.h>

#include "ck.h"

static ast_expr *number_node(ck *c, rb_decimal v, rb_loc loc) {
  ast_expr *n = arena_alloc(c->arena, sizeof *n);
  n->kind = EX_NUMBER;
  n->loc = loc;
  n->num.value = v;
  return n;
}

/* `a if x < t1, b if x > t2, linear between` becomes
   interpolate(x, t1, a, t2, b) from the prelude for x between t1 and t2. */
ast_expr *tiers_linear(ck *c, ast_expr *e) {
  ast_tier *t1 = e->tiers.tiers, *t2 = t1 ? t1->next : NULL;
  if (!t2 || t2->next) {
    int n = 0;
    for (ast_tier *t = t1; t; t = t->next) n++;
    diag_error(c->diags, R0604, e->tiers.tail_loc, "'linear between' joins exactly two tiers; this list has %d", n);
    return NULL;
  }
  tier_cond a, b;
  if (!iv_tier_cond(t1->cond, &a) || !iv_tier_cond(t2->cond, &b) || a.op == OP_EQ || a.op == OP_NE ||
      b.op == OP_EQ || b.op == OP_NE) {
    diag_error(c->diags, R0604, e->tiers.tail_loc,
               "'linear between' needs both tiers to compare the same value with a number using <, <=, > or >=");
    return NULL;
  }
  if (!ast_same_expr(a.subject, b.subject, false)) {
    diag_error(c->diags, R0604, t2->cond->loc, "'linear between' needs both tiers to test the same value: '%s' and '%s' differ",
               names_expr_text(c, a.subject), names_expr_text(c, b.subject));
    return NULL;
  }
  bool a_below = a.op == OP_LT || a.op == OP_LE, b_below = b.op == OP_LT || b.op == OP_LE;
  if (a_below == b_below) {
    diag_error(c->diags, R0604, t2->cond->loc,
               "'linear between' needs one tier below a threshold and one above it; both tiers here are %s",
               a_below ? "below" : "above");
    return NULL;
  }
  tier_cond lo = a_below ? a : b, hi = a_below ? b : a;
  ast_tier *lo_t = a_below ? t1 : t2, *hi_t = a_below ? t2 : t1;
  if (dec_cmp(lo.t, hi.t) >= 0) {
    char x[64], y[64];
    dec_format(lo.t, x, sizeof x);
    dec_format(hi.t, y, sizeof y);
    diag_error(c->diags, R0605, t2->cond->loc,
               "tiers out of order: the lower tier ends at %s and the upper one starts at %s, so nothing lies between",
               x, y);
    return NULL;
  }
  /* always the prelude's: a scheme's own form of that name must not change
     what `linear between` means */
  const ast_form *f = c->prelude ? names_form_in(c->prelude->forms, "interpolate") : NULL;
  if (!f || f->nparams != 5) {
    diag_error(c->diags, R0606, e->tiers.tail_loc, "'linear between' needs the prelude form interpolate(x, x0, y0, x1, y1)");
    return NULL;
  }
  ast_expr *call = arena_alloc(c->arena, sizeof *call);
  call->kind = EX_CALL;
  call->loc = e->tiers.tail_loc;
  call->call.fn = "interpolate";
  call->call.fn_loc = e->tiers.tail_loc;
  ast_expr *argv[5] = {lo.subject, number_node(c, lo.t, lo_t->cond->loc), lo_t->value,
                       number_node(c, hi.t, hi_t->cond->loc), hi_t->value};
  ast_arg **tail = &call->call.args;
  for (int i = 0; i < 5; i++) {
    ast_arg *arg = arena_alloc(c->arena, sizeof *arg);
    arg->value = argv[i];
    arg->name_loc = argv[i]->loc;
    *tail = arg;
    tail = &arg->next;
  }
  call->call.nargs = 5;
  call->call.form = (ast_form *)f; /* resolved by types.c, which checks the call */
  return call;
}

/* Values outside an input's range (a count below 0) need no tier. */
static void add_outside_range(ivset *covered, const ast_expr *subject) {
  if (subject->kind != EX_NAME || subject->name.ref != REF_INPUT) return;
  const ast_input *in = subject->name.input;
  bool has_lo = in->has_lo, has_hi = in->has_hi;
  rb_decimal lo = in->lo, hi = in->hi;
  if (!has_lo && (in->tkind == IN_COUNT || in->tkind == IN_MONEY || in->tkind == IN_FRACTION)) lo = dec_from_int(0), has_lo = true;
  if (!has_lo && in->tkind == IN_RANK) lo = dec_from_int(1), has_lo = true;
  if (!has_hi && in->tkind == IN_FRACTION) hi = dec_from_int(1), has_hi = true;
  bound ninf = {.inf = true}, pinf = {.inf = true};
  if (has_lo) ivset_add(covered, (interval){ninf, (bound){false, lo, false}});
  if (has_hi) ivset_add(covered, (interval){(bound){false, hi, false}, pinf});
}

/* Whether X meets the set in exactly one value (*AT), as `x <= 10` and a
   later `x >= 10` do: a threshold both tiers include. */
static bool meet_at_point(const ivset *s, interval x, rb_decimal *at) {
  int points = 0;
  for (int i = 0; i < s->n; i++) {
    /* a single-value tier (x == 5) shares its value on purpose */
    const interval *m = &s->iv[i];
    if (!m->lo.inf && !m->hi.inf && dec_cmp(m->lo.v, m->hi.v) == 0) continue;
    bound lo = iv_lo_le(s->iv[i].lo, x.lo) ? x.lo : s->iv[i].lo; /* the later start */
    bound hi = iv_hi_ge(s->iv[i].hi, x.hi) ? x.hi : s->iv[i].hi; /* the earlier end */
    if (lo.inf || hi.inf) return false; /* unbounded overlap: more than a point */
    int k = dec_cmp(lo.v, hi.v);
    if (k > 0 || (k == 0 && !(lo.closed && hi.closed))) continue; /* they do not meet */
    if (k < 0) return false;
    *at = lo.v;
    points++;
  }
  return points == 1;
}

/* A count or rank takes whole values only: `<= 2` then `>= 3` leaves no gap. */
static bool whole_subject(const ast_expr *e) {
  return e->kind == EX_NAME && e->name.ref == REF_INPUT &&
         (e->name.input->tkind == IN_COUNT || e->name.input->tkind == IN_RANK);
}

/* Whether some whole number lies outside the covered set. */
static bool gap_has_whole(const ivset *s) {
  for (int i = 0; i <= s->n; i++) {
    /* the gap before member i (or after the last one) */
    bound lo = i == 0 ? (bound){.inf = true} : s->iv[i - 1].hi;
    bound hi = i == s->n ? (bound){.inf = true} : s->iv[i].lo;
    if (lo.inf || hi.inf) {
      if (i == 0 && s->n && s->iv[0].lo.inf) continue; /* no gap before an unbounded start */
      if (i == s->n && s->n && s->iv[s->n - 1].hi.inf) continue;
      return true;
    }
    /* the gap is (lo, hi) with lo/hi excluded where the members include them */
    double a = dec_to_double(lo.v), b = dec_to_double(hi.v);
    double first = lo.closed ? floor(a) + 1 : ceil(a);
    if (first == a && lo.closed) first = a + 1;
    if (first < b || (first == b && !hi.closed)) return true;
  }
  return false;
}

/* Tiers whose conditions all test one value against numbers: find tiers no
   value can reach, thresholds two tiers both include, and values no tier
   takes when there is no `otherwise`. Values outside an input's range count
   as taken. */
/* A threshold written a hundred times too small or too large against the
   others of its tier list (95%, 0.9%, 85%: 0.9% where 90% was meant; 90,
   0.85, 80 on a score out of 100): a warning at it, when every other
   threshold lies within a factor of 20 of the rest and this one is at
   least 50 times off each of them, and a hundred times it (or a
   hundredth) falls among them. */
/* V as the condition at LOC writes its threshold: 90% when it is written
   with %, else 0.9. */
static const char *as_written(ck *c, rb_decimal v, rb_loc loc) {
  const char *text = loc.src->text + loc.start;
  if (!memchr(text, '%', loc.end - loc.start)) return names_points(c, v);
  return arena_printf(c->arena, "%s%%", names_points(c, dec_scale10(v, 2)));
}

static void check_scale(ck *c, const rb_decimal *d, const rb_loc *loc, int n) {
  if (n < 3 || n > 64) return;
  double t[64];
  for (int i = 0; i < n; i++) {
    t[i] = dec_to_double(d[i]);
    if (!(t[i] > 0)) return; /* only positive thresholds have a scale */
  }
  for (int i = 0; i < n; i++) {
    int lo = -1, hi = -1;
    for (int j = 0; j < n; j++)
      if (j != i) {
        if (lo < 0 || t[j] < t[lo]) lo = j;
        if (hi < 0 || t[j] > t[hi]) hi = j;
      }
    if (t[hi] / t[lo] > 20) continue;
    bool small = t[i] * 50 <= t[lo], large = t[i] >= t[hi] * 50;
    double scaled = small ? t[i] * 100 : t[i] / 100;
    if ((small || large) && scaled >= t[lo] / 2 && scaled <= t[hi] * 2) {
      rb_decimal meant = dec_scale10(d[i], small ? 2 : -2);
      diag_warning(c->diags, R0409, loc[i],
                   "this threshold is %s its neighbours in the list: was %s meant? (the others lie between %s and %s)",
                   small ? diag_tr("a hundredth of") : diag_tr("a hundred times"), as_written(c, meant, loc[i]),
                   as_written(c, d[lo], loc[lo]), as_written(c, d[hi], loc[hi]));
      return;
    }
  }
}

/* ---- tiers over a `one of` input ----------------------------------------
   `5 if level == A级, 3 if level == B级 or level == C级`, and the lookup
   `by level { A级: 5, … }` that stands for such tiers: conditions made only
   of comparisons of one input with its labels (and, or, not) are checked
   label by label. */

/* The `one of` input whose value E is (the input, or a let that is it). */
static const ast_input *label_subject(const ast_expr *e) {
  if (e->kind != EX_NAME) return NULL;
  if (e->name.ref == REF_INPUT && e->name.input->tkind == IN_LABEL) return e->name.input;
  if (e->name.ref == REF_LET && e->name.let->type && e->name.let->type->labels) return e->name.let->type->labels;
  return NULL;
}

/* Whether E is such a condition over the input *IN (set on first use). */
static bool label_only(const ast_expr *e, const ast_input **in) {
  switch (e->kind) {
  case EX_BOOL: return true;
  case EX_NOT: return label_only(e->operand, in);
  case EX_BINARY: {
    if (e->bin.op == OP_AND || e->bin.op == OP_OR) return label_only(e->bin.lhs, in) && label_only(e->bin.rhs, in);
    if (e->bin.op != OP_EQ && e->bin.op != OP_NE) return false;
    const ast_expr *a = e->bin.lhs, *b = e->bin.rhs;
    if (a->kind == EX_NAME && a->name.ref == REF_LABEL) a = e->bin.rhs, b = e->bin.lhs;
    const ast_input *s = label_subject(a);
    if (!s || b->kind != EX_NAME || b->name.ref != REF_LABEL || (*in && *in != s)) return false;
    *in = s;
    return true;
  }
  default: return false;
  }
}

/* E's truth when its input holds label K. */
static bool label_value(const ast_expr *e, int k) {
  switch (e->kind) {
  case EX_BOOL: return e->boolean;
  case EX_NOT: return !label_value(e->operand, k);
  case EX_BINARY: {
    if (e->bin.op == OP_AND) return label_value(e->bin.lhs, k) && label_value(e->bin.rhs, k);
    if (e->bin.op == OP_OR) return label_value(e->bin.lhs, k) || label_value(e->bin.rhs, k);
    const ast_expr *b = e->bin.rhs->kind == EX_NAME && e->bin.rhs->name.ref == REF_LABEL ? e->bin.rhs : e->bin.lhs;
    return (b->name.param == k) == (e->bin.op == OP_EQ);
  }
  default: return false;
  }
}

/* Tiers over one `one of` input: a tier (or a lookup's key) no label
   reaches, labels without a score, an `otherwise` no label reaches. False
   when the tiers are not of that kind. */
static bool label_tiers(ck *c, ast_expr *e) {
  const ast_input *in = NULL;
  if (e->tiers.linear) return false;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next)
    if (!label_only(t->cond, &in)) return false;
  if (!in) return false;
  const ast_tier **taken = arena_alloc(c->arena, sizeof *taken * (size_t)in->nlabels);
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
    bool reaches = false;
    for (int k = 0; k < in->nlabels; k++)
      if (!taken[k] && label_value(t->cond, k)) taken[k] = t, reaches = true;
    if (reaches) continue;
    const ast_expr *key = t->cond->bin.rhs;
    if (e->tiers.lookup)
      diag_error(c->diags, R0602, key->loc, "'%s' has its points already on line %d", key->name.id,
                 taken[key->name.param]->loc.first_line);
    else
      diag_error(c->diags, R0602, t->cond->loc,
                 "this tier can never apply: every label of '%s' it matches is taken by an earlier tier", in->name);
  }
  const char *gaps = "", *first = NULL;
  int k = 0;
  for (const ast_arg *l = in->labels; l; l = l->next, k++)
    if (!taken[k] && names_label(in, l->name) == k) { /* a label listed twice is reported where it is declared */
      gaps = arena_printf(c->arena, "%s%s%s", gaps, *gaps ? ", " : "", l->name);
      if (!first) first = l->name;
    }
  if (first && !e->tiers.otherwise) {
    if (e->tiers.lookup)
      diag_error(c->diags, R0601, e->loc, "this lookup gives no points for %s of '%s': add '%s: …' (or '0 otherwise' for the rest)",
                 gaps, in->name, first);
    else
      diag_error(c->diags, R0601, e->loc,
                 "these tiers leave '%s' = %s without a score: add an 'otherwise' (e.g. '0 otherwise' or 'undefined otherwise')",
                 in->name, gaps);
  }
  if (!first && e->tiers.otherwise)
    diag_warning(c->diags, R0603, e->tiers.tail_loc, "'otherwise' can never apply: the tiers above cover every label of '%s'",
                 in->name);
  return true;
}

/* Whether every tier compares one and the same value with a number. */
static bool one_subject(ast_expr *e) {
  ast_expr *subject = NULL;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
    tier_cond tc;
    if (!iv_tier_cond(t->cond, &tc) || (subject && !ast_same_expr(subject, tc.subject, false))) return false;
    subject = tc.subject;
  }
  return true;
}

void tiers_coverage(ck *c, ast_expr *e) {
  if (label_tiers(c, e)) return;
  /* several inputs, or yes/no ones: every combination of their cases */
  if (!e->tiers.otherwise && !e->tiers.linear && !one_subject(e) && cases_tiers(c, e)) return;
  ivset covered, by_tiers; /* only n needs clearing: the intervals are 5 KB */
  covered.n = by_tiers.n = 0;
  ast_expr *subject = NULL;
  int ntiers = 0, nt = 0;
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) ntiers++;
  rb_decimal *thresholds = arena_alloc(c->arena, sizeof(rb_decimal) * (size_t)(ntiers ? ntiers : 1));
  rb_loc *at_loc = arena_alloc(c->arena, sizeof(rb_loc) * (size_t)(ntiers ? ntiers : 1));
  for (ast_tier *t = e->tiers.tiers; t; t = t->next) {
    tier_cond tc;
    if (!iv_tier_cond(t->cond, &tc) || (subject && !ast_same_expr(subject, tc.subject, false))) {
      if (!e->tiers.otherwise && !e->tiers.linear)
        diag_error(c->diags, R0601, e->loc,
                   "these tiers have no 'otherwise': say what scores when no tier applies (e.g. '0 otherwise', or 'undefined otherwise')");
      return;
    }
    if (!subject) add_outside_range(&covered, tc.subject);
    subject = tc.subject;
    thresholds[nt] = tc.t;
    at_loc[nt++] = t->cond->loc;
    interval iv[2];
    int n = iv_cond_intervals(tc, iv);
    bool reachable = false;
    for (int i = 0; i < n; i++) reachable |= !ivset_contains(&covered, iv[i]);
    rb_decimal at;
    if (!reachable)
      diag_error(c->diags, R0602, t->cond->loc,
                 "this tier can never apply: every value of '%s' it matches is taken by an earlier tier or outside its range (are the tiers out of order?)",
                 names_expr_text(c, subject));
    else if (n == 1 && meet_at_point(&by_tiers, iv[0], &at))
      diag_warning(c->diags, R0607, t->cond->loc,
                   "this tier and an earlier one both include %s, and the earlier one wins there: write < or > on one side to say which tier %s belongs to",
                   names_points(c, at), names_points(c, at));
    for (int i = 0; i < n; i++) {
      ivset_add(&covered, iv[i]);
      ivset_add(&by_tiers, iv[i]);
    }
  }
  check_scale(c, thresholds, at_loc, nt);
  bool all = (covered.n == 1 && covered.iv[0].lo.inf && covered.iv[0].hi.inf) ||
             (whole_subject(subject) && !gap_has_whole(&covered));
  if (e->tiers.otherwise && all)
    diag_warning(c->diags, R0603, e->tiers.tail_loc, "'otherwise' can never apply: the tiers above cover every value of '%s'",
                 names_expr_text(c, subject));
  if (!e->tiers.otherwise && !e->tiers.linear && !all)
    diag_error(c->diags, R0601, e->loc,
               "these tiers leave values of '%s' in %s without a score: add an 'otherwise' (e.g. '0 otherwise' or 'undefined otherwise')",
               names_expr_text(c, subject), iv_first_gap(c->arena, &covered));
}
