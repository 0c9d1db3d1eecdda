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

static int run_one(rb_score_fn fn, const ast_scheme *s, const ast_example *ex, const cg_site *sites, int nsites,
                   FILE *out) {
  int m = check_period_count(s);
  double **in = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *in);
  double **res = calloc((size_t)s->nparts + 1, sizeof *res);
  double *store = malloc(sizeof(double) * ((size_t)s->ninputs * (size_t)m + (size_t)s->nparts + 2));
  if (!in || !res || !store) abort();
  double *p = store;
  for (int i = 0; i < s->ninputs; i++) {
    in[i] = p;
    int w = s->input_at[i]->per ? m : 1;
    for (int k = 0; k < w; k++) p[k] = NAN;
    p += w;
  }
  for (int k = 0; k <= s->nparts; k++) res[k] = p++;
  for (const ast_given *g = ex->items; g; g = g->next)
    if (!g->expect) memcpy(in[g->input->index], g->vals, sizeof(double) * (size_t)g->nvals);
  fn((const double *const *)in, 1, res);
  int failures = 0;
  for (const ast_given *g = ex->items; g; g = g->next) {
    if (!g->expect) continue;
    double got = g->part ? res[g->part->index][0] : res[s->nparts][0];
    int site = isnan(got) ? cg_error_site(got, nsites) : -1;
    char gtxt[40], wtxt[40], why[800] = "";
    if (isnan(got)) {
      if (site >= 0) scores_describe_site(&sites[site], why, sizeof why);
      else snprintf(why, sizeof why, "not a finite number");
    }
    bool ok;
    if (!g->value) ok = site >= 0 && sites[site].kind == SITE_UNDEFINED;
    else ok = !isnan(got) && close_enough(g->expected, got);
    if (ok) continue;
    failures++;
    out_format_double(g->expected, wtxt, sizeof wtxt);
    out_format_double(got, gtxt, sizeof gtxt);
    fprintf(out, "%s:%d:%d: FAIL: example \"%s\": expected %s %s, got %s\n", g->loc.src->path, g->loc.first_line,
            g->loc.first_column, ex->title, g->name, g->value ? wtxt : "undefined", isnan(got) ? why : gtxt);
  }
  free(in);
  free(res);
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
