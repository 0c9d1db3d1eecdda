/* examples.c: `rubric test`; see examples.h. */
#include "examples.h"

#include <stdlib.h>
#include <string.h>

#include "narrow.h"
#include "site.h"
#include "text.h"

/* Expected and computed scores agree to 1e-9, relative to the larger of 1
   and the expectation: a document's worked example may round a quotient. */
static bool close_enough(rb_fixed want, rb_fixed got) {
  rb_fixed scale = want < 0 ? -want : want;
  if (scale < FIXED_ONE) scale = FIXED_ONE;
  rb_fixed diff = want - got;
  if (diff < 0) diff = -diff;
  return diff <= scale / 1000000000;
}

/* The columns of a one-row table: statistics and outputs in one block,
   each input in cells of its own (narrow.h; not numbers unless given). IN
   is the table the native code reads (abi.h). */
typedef struct row {
  const void **in;
  rb_fixed **stats, **res, *store;
  rb_cells **cells; /* owned: each input's (narrow.h), IN's but for the calendar's */
} row;

static void row_init(row *w, const sc_scheme *s) {
  int m = s->nperiods, nout = abi_out_count(s);
  w->in = calloc((size_t)s->ninputs + 1, sizeof *w->in); /* + the calendar's column (abi.h) */
  w->cells = calloc((size_t)s->ninputs + 1, sizeof *w->cells);
  w->res = calloc((size_t)nout, sizeof *w->res);
  w->stats = calloc((size_t)(s->nstats ? s->nstats : 1), sizeof *w->stats);
  w->store = malloc(sizeof(rb_fixed) * ((size_t)nout + (size_t)s->nstats + 1));
  if (!w->in || !w->cells || !w->res || !w->stats || !w->store) abort();
  rb_fixed *p = w->store;
  for (int i = 0; i < s->ninputs; i++) { /* not given: the checker proved no expectation reads it */
    int cells = s->inputs[i].periodic ? m : 1;
    w->in[i] = w->cells[i] = narrow_column((size_t)cells, abi_cell_of(s->inputs[i].type));
    for (int k = 0; k < cells; k++) narrow_put(w->cells[i], (size_t)k, FIXED_ERROR);
  }
  for (int k = 0; k < nout; k++) w->res[k] = p++;
  for (int k = 0; k < s->nstats; k++) {
    w->stats[k] = p++;
    *w->stats[k] = FIXED_ERROR; /* the checker made sure every statistic a checked rule reads is given */
  }
}

static void row_free(row *w, const sc_scheme *s) {
  for (int i = 0; i < s->ninputs; i++) narrow_free(w->cells[i]);
  free(w->cells);
  free(w->in);
  free(w->res);
  free(w->stats);
  free(w->store);
}

/* What the native code gave for expectation X. */
static rb_fixed result_of(const row *w, const sc_scheme *s, const sc_expect *x) {
  switch (x->kind) {
  case EXPECT_GRADE: return w->res[abi_out_grade(s, x->grade->index)][0];
  case EXPECT_TARGET: return w->res[abi_out_target(s, x->target->index) + 2][0];
  case EXPECT_PART: return w->res[x->part->index][0];
  case EXPECT_TOTAL: return w->res[abi_out_total(s)][0];
  }
  return FIXED_ERROR;
}

/* Reports expectation X of example EX, which GOT does not meet. */
static void report(const native_scheme *nat, const sc_example *ex, const sc_expect *x, rb_fixed got, rb_diags *d) {
  bool failed = !fixed_is_number(got);
  int site = failed ? abi_error_site(got, nat->nsites) : -1;
  char gtxt[400], wtxt[400], why[800] = "";
  if (failed) {
    const cg_site *at = native_site(nat, site);
    if (at) site_describe(at, why, sizeof why);
    else snprintf(why, sizeof why, "not a number");
  }
  if (x->kind == EXPECT_GRADE) {
    int k = failed ? -1 : (int)got;
    snprintf(wtxt, sizeof wtxt, "\"%s\"", x->band_name);
    snprintf(gtxt, sizeof gtxt, "\"%s\"", k >= 0 && k < x->grade->nbands ? x->grade->bands[k].name : "?");
  } else if (x->kind == EXPECT_TARGET) {
    snprintf(wtxt, sizeof wtxt, "%s", x->met ? "met (yes)" : "not met (no)");
    snprintf(gtxt, sizeof gtxt, "%s", got != 0 ? "met (yes)" : "not met (no)");
  } else {
    dec_format(x->value, wtxt, sizeof wtxt);
    fixed_format(got, -1, gtxt, sizeof gtxt);
  }
  diag_report(d, DIAG_ERROR, R1301, x->loc, "example \"%s\": expected %s %s, got %s", ex->title, x->name,
              x->undefined ? "undefined" : wtxt, failed ? why : gtxt);
}

/* One example: one row, its givens as inputs and peer statistics, then each
   expectation against the native code's outputs. Returns the failures. */
static int run_one(const native_scheme *nat, const sc_example *ex, const rb_fixed *calendar, rb_diags *d) {
  const sc_scheme *s = nat->scheme;
  row w;
  row_init(&w, s);
  w.in[s->ninputs] = calendar;
  for (int i = 0; i < ex->ngivens; i++) {
    const sc_given *g = &ex->givens[i];
    if (!g->input) {
      rb_fixed v = FIXED_ERROR;
      fixed_from_decimal(g->values[0], &v); /* the checker proved it a number */
      for (int k = 0; k < g->nstats; k++) *w.stats[g->stats[k]] = v;
      continue;
    }
    /* an empty cell: its stated value, or FIXED_EMPTY for the parts that score fixed points */
    for (int k = 0; k < g->nvalues; k++) {
      rb_fixed v = FIXED_ERROR;
      if (g->empty) v = scheme_empty_value(g->input);
      else fixed_from_decimal(g->values[k], &v);
      narrow_put(w.cells[g->input->index], (size_t)k, v);
    }
  }
  nat->score(w.in, 1, 0, 1, (const rb_fixed *const *)w.stats, w.res);
  int failures = 0;
  for (int i = 0; i < ex->nexpects; i++) {
    const sc_expect *x = &ex->expects[i];
    rb_fixed got = result_of(&w, s, x), want = 0;
    bool number = fixed_is_number(got), ok;
    if (x->kind == EXPECT_GRADE) ok = number && got == x->band;
    else if (x->kind == EXPECT_TARGET) ok = number && (got != 0) == x->met;
    else if (x->undefined) {
      int site = number ? -1 : abi_error_site(got, nat->nsites);
      const cg_site *at = native_site(nat, site);
      ok = at && at->kind == SITE_UNDEFINED;
    } else ok = number && fixed_from_decimal(x->value, &want) && close_enough(want, got);
    if (ok) continue;
    failures++;
    report(nat, ex, x, got, d);
  }
  row_free(&w, s);
  return failures;
}

int examples_run(const native_scheme *nat, const rb_fixed *calendar, rb_diags *d, int *passed) {
  int failed = 0;
  /* where only tallies' conditions call workdays, examples give the counts
     and read no day: a calendar of no day stands in for the column */
  static const rb_fixed no_days[ABI_CALENDAR_W + 1] = {0, 0, 0};
  if (nat->scheme->uses_calendar && !calendar && !nat->scheme->rules_use_calendar) calendar = no_days;
  if (nat->scheme->uses_calendar && !calendar && nat->scheme->nexamples) {
    diag_report(d, DIAG_ERROR, R1180, nat->scheme->calendar_loc,
                "this rule counts working days: give the holiday calendar with --calendar FILE");
    return nat->scheme->nexamples;
  }
  for (int i = 0; i < nat->scheme->nexamples; i++) {
    if (run_one(nat, &nat->scheme->examples[i], calendar, d)) failed++;
    else (*passed)++;
  }
  return failed;
}
