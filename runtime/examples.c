/* examples.c: `rubric test`; see examples.h. */
#include "examples.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"
#include "score.h"

/* Expected and computed scores agree to 1e-9, relative to the larger. */
static bool close_enough(double want, double got) {
  double scale = fabs(want) > 1 ? fabs(want) : 1;
  return fabs(want - got) <= 1e-9 * scale;
}

/* One example: one row, its givens as inputs and peer statistics, then each
   expectation against the native code's outputs. */
static int run_one(rb_score_fn fn, const ast_scheme *s, const ast_example *ex, const cg_site *sites, int nsites,
                   FILE *out) {
  int m = check_period_count(s);
  int nout = cg_out_count(s);
  double **in = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *in);
  double **res = calloc((size_t)nout, sizeof *res);
  double **stats = calloc((size_t)(s->nstats ? s->nstats : 1), sizeof *stats);
  double *store = malloc(sizeof(double) * ((size_t)s->ninputs * (size_t)m + (size_t)nout + (size_t)s->nstats + 1));
  if (!in || !res || !stats || !store) abort();
  double *p = store;
  for (int i = 0; i < s->ninputs; i++) {
    in[i] = p;
    int w = s->input_at[i]->per ? m : 1;
    for (int k = 0; k < w; k++) p[k] = NAN;
    p += w;
  }
  for (int k = 0; k < nout; k++) res[k] = p++;
  for (int k = 0; k < s->nstats; k++) {
    stats[k] = p++;
    *stats[k] = NAN; /* the checker made sure every statistic a checked rule reads is given */
  }
  for (const ast_given *g = ex->items; g; g = g->next) {
    if (g->expect) continue;
    if (g->stat) {
      for (int k = 0; k < g->nstats; k++) *stats[g->stats[k]] = g->vals[0];
    } else {
      memcpy(in[g->input->index], g->vals, sizeof(double) * (size_t)g->nvals);
    }
  }
  fn((const double *const *)in, 1, (const double *const *)stats, res);
  int failures = 0;
  for (const ast_given *g = ex->items; g; g = g->next) {
    if (!g->expect) continue;
    bool is_target = g->part && g->part->kind == PART_TARGET;
    double got;
    if (g->grade) got = res[cg_out_grade(s, g->grade->index)][0];
    else if (is_target) got = res[cg_out_target(s, g->part->index) + 2][0];
    else got = g->part ? res[g->part->index][0] : res[cg_out_total(s)][0];
    int site = isnan(got) ? cg_error_site(got, nsites) : -1;
    char gtxt[400], wtxt[400], why[800] = "";
    if (isnan(got)) {
      if (site >= 0) scores_describe_site(&sites[site], why, sizeof why);
      else snprintf(why, sizeof why, "not a finite number");
    }
    bool ok;
    if (g->grade) ok = !isnan(got) && (int)got == g->band_index;
    else if (!g->value) ok = site >= 0 && sites[site].kind == SITE_UNDEFINED;
    else ok = !isnan(got) && close_enough(g->expected, got);
    if (ok) continue;
    failures++;
    if (g->grade) {
      const ast_band *b = g->grade->bands;
      for (int i = 0; b && !isnan(got) && i < (int)got; i++) b = b->next;
      snprintf(wtxt, sizeof wtxt, "\"%s\"", g->band);
      snprintf(gtxt, sizeof gtxt, "\"%s\"", b && !isnan(got) ? b->name : "?");
    } else if (is_target) {
      snprintf(wtxt, sizeof wtxt, "%s", g->expected != 0 ? "met (yes)" : "not met (no)");
      snprintf(gtxt, sizeof gtxt, "%s", got != 0 ? "met (yes)" : "not met (no)");
    } else {
      out_format_double(g->expected, wtxt, sizeof wtxt);
      out_format_double(got, gtxt, sizeof gtxt);
    }
    fprintf(out, "%s:%d:%d: FAIL: example \"%s\": expected %s %s, got %s\n", g->loc.src->path, g->loc.first_line,
            g->loc.first_column, ex->title, g->name, g->value || g->grade ? wtxt : "undefined", isnan(got) ? why : gtxt);
  }
  free(in);
  free(res);
  free(stats);
  free(store);
  return failures;
}

int examples_run(rb_score_fn fn, const ast_scheme *s, const cg_site *sites, int nsites, FILE *out, int *passed) {
  int failed = 0;
  for (const ast_example *ex = s->examples; ex; ex = ex->next) {
    if (run_one(fn, s, ex, sites, nsites, out)) failed++;
    else (*passed)++;
  }
  return failed;
}
